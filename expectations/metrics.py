"""Suites over fct_metrics: plausible values, known units, evidence that round-trips.

Row-level suites read the batches under audit only ({batches}); DuckDB hands GX the few
columns each suite needs. The same conditions run earlier as row checks
(dbt_project/macros/row_checks.sql) that keep failing rows out of the marts, so these
suites pass unless a row slipped past them: a failure here holds the batch."""

import great_expectations as gx
import great_expectations.expectations as gxe

from finnews.gate import Check
from finnews.policy import load_policy


def _share_prices() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="share_prices")
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="company_id"))
    # A quoted share price is positive and below any listed stock's price.
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0.01, max_value=1_000_000)
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="unit", value_set=list(load_policy().quality.currencies)
        )
    )
    return suite


def _all_metrics() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="metrics")
    suite.add_expectation(gxe.ExpectColumnValuesToBeUnique(column="figure_id"))
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="value"))
    # body[char_start:char_end] == surface for every figure.
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="offsets_ok", value_set=[True]))
    return suite


def _percentages() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="percentages")
    # Changes carry their sign; nothing falls by more than all of it.
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(column="value", min_value=-100, max_value=100_000)
    )
    return suite


def _rsi() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="rsi")
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0, max_value=100)
    )
    return suite


CHECKS = [
    Check(
        "share_prices",
        """
        select company_id, value, unit from marts.fct_metrics
        where metric_type = 'share_price' and batch_id in {batches}
        """,
        _share_prices,
    ),
    Check(
        "metrics",
        """
        select m.figure_id,
               -- a qualitative magnitude has no number by design
               case when m.kind = 'qualitative' then 0 else m.value end as value,
               substr(a.body, m.char_start + 1, m.char_end - m.char_start) = m.surface as offsets_ok
        from marts.fct_metrics m join marts.dim_articles a using (article_id)
        where m.batch_id in {batches} and a.batch_id in {batches}
        """,
        _all_metrics,
    ),
    Check(
        "percentages",
        "select value from marts.fct_metrics where unit = 'percent' and batch_id in {batches}",
        _percentages,
    ),
    Check(
        "rsi",
        "select value from marts.fct_metrics where metric_type = 'rsi' and batch_id in {batches}",
        _rsi,
    ),
]
