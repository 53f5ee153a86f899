"""Suites over dim_articles, fct_events and the reporting marts analysts read first."""

import great_expectations as gx
import great_expectations.expectations as gxe

from finnews.gate import Check


def _articles() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="articles")
    suite.add_expectation(gxe.ExpectTableRowCountToBeBetween(min_value=1))
    suite.add_expectation(gxe.ExpectColumnValuesToBeUnique(column="article_id"))
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="body"))
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


def _earnings_calendar() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="earnings_calendar")
    suite.add_expectation(
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["company_id", "earnings_date"])
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(column="year", min_value=2000, max_value=2100)
    )
    return suite


CHECKS = [
    Check(
        "articles",
        """
        select article_id, body, body like '%Kaufen oder verkaufen?!%' as teaser_in_body
        from marts.dim_articles
        """,
        _articles,
    ),
    Check(
        "events",
        """
        select e.evidence,
               substr(a.body, e.char_start + 1, e.char_end - e.char_start) = e.evidence as offsets_ok
        from marts.fct_events e join marts.dim_articles a using (article_id)
        """,
        _events,
    ),
    Check(
        "earnings_calendar",
        "select company_id, earnings_date, year(earnings_date) as year from reporting.rpt_earnings_calendar",
        _earnings_calendar,
    ),
]
