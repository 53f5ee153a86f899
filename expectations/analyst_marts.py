"""The analyst's reporting marts (rpt_analyst_ratings, rpt_dividends, rpt_guidance): one row
per grain key, and consensus counts that add up. Whole-table aggregates computed by DuckDB,
handed to GX as one row (as the earnings calendar's suite reads its mart whole)."""

import great_expectations as gx

from finnews.gate import Check, expect_zero

COLUMNS = (
    "duplicate_ratings",
    "duplicate_dividends",
    "duplicate_guidance",
    "ratings_over_brokers",
    "targets_over_brokers",
)


def _analyst_marts() -> gx.ExpectationSuite:
    return expect_zero(gx.ExpectationSuite(name="analyst_marts"), COLUMNS)


CHECKS = [
    Check(
        "analyst_marts",
        """
        select
            (select count(*) - count(distinct (company_id, broker))
             from reporting.rpt_analyst_ratings) as duplicate_ratings,
            (select count(*) - count(distinct (company_id, fiscal_year))
             from reporting.rpt_dividends) as duplicate_dividends,
            (select count(*) - count(distinct (company_id, measure))
             from reporting.rpt_guidance) as duplicate_guidance,
            -- Each broker counts once, with its latest rating.
            (select count(*) from reporting.rpt_analyst_ratings
             where n_buy + n_hold + n_sell > n_brokers) as ratings_over_brokers,
            (select count(*) from reporting.rpt_analyst_ratings
             where n_targets > n_brokers) as targets_over_brokers
        """,
        _analyst_marts,
    ),
]
