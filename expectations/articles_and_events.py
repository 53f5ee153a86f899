"""Suites over dim_articles, fct_events, the reporting marts analysts read first, and the
whole-table aggregates that tie the marts to the raw tables (nothing lost, nothing doubled).

Row-level suites read the unpublished batches ({batches}); the aggregates are computed by
DuckDB over whole tables and reach GX as one row."""

import great_expectations as gx
import great_expectations.expectations as gxe

from finnews.gate import Check, expect_zero


def _articles() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="articles")
    suite.add_expectation(gxe.ExpectColumnValuesToBeUnique(column="article_id"))
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="body_chars"))
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="body_chars", min_value=1))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(column="tone", min_value=-1, max_value=1)
    )
    # The teaser is boilerplate: it must never survive into the prose.
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(column="teaser_in_body", value_set=[False])
    )
    return suite


def _events() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="events")
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="evidence"))
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="offsets_ok", value_set=[True]))
    return suite


def _entities() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="entities")
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="entity_type",
            value_set=["person", "product", "place", "organisation_candidate"],
        )
    )
    # body[char_start:char_end] == name for every person, product, place and candidate.
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="offsets_ok", value_set=[True]))
    return suite


def _earnings_calendar() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="earnings_calendar")
    suite.add_expectation(
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["company_id", "earnings_date"])
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(column="year", min_value=2000, max_value=2100)
    )
    return suite


def _warehouse_totals() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="warehouse_totals")
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="articles", min_value=1))
    # Every loaded article reached the marts exactly once, and every measurement figure is
    # in fct_metrics or, rejected by a row check, in the rejected rows: nothing lost.
    return expect_zero(
        suite, ("articles_missing", "figures_missing", "duplicate_figures", "orphan_figures")
    )


CHECKS = [
    Check(
        "articles",
        """
        select article_id, body_chars, tone,
               body like '%Kaufen oder verkaufen?!%' as teaser_in_body
        from marts.dim_articles where batch_id in {batches}
        """,
        _articles,
    ),
    Check(
        "events",
        """
        select e.evidence,
               substr(a.body, e.char_start + 1, e.char_end - e.char_start) = e.evidence as offsets_ok
        from marts.fct_events e join marts.dim_articles a using (article_id)
        where e.batch_id in {batches} and a.batch_id in {batches}
        """,
        _events,
    ),
    Check(
        "entities",
        """
        select e.entity_type,
               substr(a.body, e.char_start + 1, e.char_end - e.char_start) = e.name as offsets_ok
        from marts.fct_entity_mentions e join marts.dim_articles a using (article_id)
        where e.batch_id in {batches} and a.batch_id in {batches}
        """,
        _entities,
    ),
    Check(
        "earnings_calendar",
        "select company_id, earnings_date, year(earnings_date) as year from reporting.rpt_earnings_calendar",
        _earnings_calendar,
    ),
    Check(
        "warehouse_totals",
        """
        select
            (select count(*) from marts.dim_articles) as articles,
            (select count(*) from raw.articles) - (select count(*) from marts.dim_articles)
                as articles_missing,
            (select count(*) from raw.figures where kind <> 'date')
                - (select count(*) from marts.fct_metrics)
                - (select count(distinct row_key) from intermediate.int_row_checks
                   where table_name = 'fct_metrics' and check_name is not null)
                as figures_missing,
            (select count(*) - count(distinct figure_id) from marts.fct_metrics)
                as duplicate_figures,
            (select count(*) from marts.fct_metrics m
             anti join marts.dim_articles a using (article_id)) as orphan_figures
        """,
        _warehouse_totals,
    ),
]
