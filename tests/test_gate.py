"""The audit counts in DuckDB and hands GX only failing rows: real DuckDB files, real GX runs.

The translation of each expectation into SQL is checked against GX itself: GX validating the
whole frame (as the gate did before) must find exactly the unexpected count DuckDB finds.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pytest

from finnews.audit_sql import SAMPLE
from finnews.gate import Check, run_gate
from finnews.policy import load_policy

# Nulls, duplicates (also in a compound key with a null), values outside bounds and sets.
ROWS = """
    select * from (values
        ('a', 1.0,   true,  'x', 2020),
        ('a', 2.0,   true,  'x', 2020),
        ('b', null,  false, 'y', null),
        ('c', -5.0,  null,  'y', null),
        (null, 99.0, true,  null, null),
        (null, 0.5,  true,  null, null),
        ('d', 0.0,   true,  'z', 2021),
        ('e', 10.0,  false, 'z', 2022)
    ) t(id, value, ok, company, year)
"""


def _suite_of(name: str, *expectations: object) -> Callable[[], gx.ExpectationSuite]:
    """A suite factory (what a Check holds) for `expectations`."""

    def build() -> gx.ExpectationSuite:
        # GX lets an expectation belong to one suite only: each build adds fresh copies.
        suite = gx.ExpectationSuite(name=name)
        for expectation in expectations:
            fresh = copy.deepcopy(expectation)
            fresh.id = None
            suite.add_expectation(fresh)
        return suite

    return build


_suite = _suite_of(
    "probe",
    gxe.ExpectColumnValuesToBeUnique(column="id"),
    gxe.ExpectColumnValuesToNotBeNull(column="value"),
    gxe.ExpectColumnValuesToNotBeNull(column="id"),
    gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0, max_value=10),
    gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0, strict_min=True),
    gxe.ExpectColumnValuesToBeBetween(column="value", max_value=10, strict_max=True),
    gxe.ExpectColumnValuesToBeInSet(column="ok", value_set=[True]),
    gxe.ExpectColumnValuesToBeInSet(column="company", value_set=["x", "z"]),
    gxe.ExpectCompoundColumnsToBeUnique(column_list=["company", "year"]),
)


@pytest.fixture()
def db(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(f"create table probe as {ROWS}")
        con.execute(
            "create table big as select i as id, (i % 7)::double as value from range(50000) t(i)"
        )
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def _gx_on_whole_frame(frame, suite_factory) -> list[int]:
    """GX's unexpected counts over the whole frame, the way the gate validated before."""
    context = gx.get_context(mode="ephemeral")
    asset = context.data_sources.add_pandas("whole").add_dataframe_asset("probe")
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(
            name="whole",
            data=asset.add_batch_definition_whole_dataframe("all"),
            suite=context.suites.add(suite_factory()),
        )
    )
    result = definition.run(batch_parameters={"dataframe": frame})
    return [r.result["unexpected_count"] for r in result.results]


def test_duckdb_counts_what_gx_counts_on_the_whole_frame(
    db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    expected = _gx_on_whole_frame(db.execute("select * from probe").df(), _suite)
    # Every kind of fault is in the table: the comparison is never 0 == 0.
    assert all(expected) and len(expected) == 9
    result = run_gate(
        db, [Check("probe", "select * from probe", _suite)], tmp_path / "out", [], load_policy()
    )
    assert not result.passed and len(result.outcomes) == len(expected)
    for outcome in result.outcomes:
        assert not outcome.success and not outcome.errored, outcome
        # "<count> unexpected of 8 rows": DuckDB's count over all rows.
        assert " unexpected of 8 rows" in outcome.detail, outcome.detail
    assert [int(o.detail.split()[0]) for o in result.outcomes] == expected


def test_gx_receives_only_a_sample_of_the_failing_rows(
    db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    suite = _suite_of(
        "big",
        gxe.ExpectColumnValuesToBeBetween(column="value", max_value=5),
        gxe.ExpectColumnValuesToBeUnique(column="id"),
    )
    result = run_gate(db, [Check("big", "select * from big", suite)], tmp_path / "o", [])
    between, unique = result.outcomes
    assert not between.success
    assert between.detail.startswith("7142 unexpected of 50000 rows"), between.detail
    assert unique.success, unique.detail
    report = json.loads((tmp_path / "o" / "validation.json").read_text())["big"]
    assert report["rows"] == 50000
    assert 0 < report["sample_rows"] <= SAMPLE
    assert sorted(report["unexpected"].values()) == [0, 7142]


def test_a_clean_check_passes_on_an_empty_sample(
    db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    suite = _suite_of(
        "clean",
        gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0),
        gxe.ExpectColumnValuesToNotBeNull(column="id"),
    )
    result = run_gate(db, [Check("clean", "select * from big", suite)], tmp_path / "o", [])
    assert result.passed, result.summary()


def test_an_expectation_without_a_duckdb_translation_is_refused_by_name(
    db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    suite = _suite_of("odd", gxe.ExpectColumnMeanToBeBetween(column="value", min_value=0))
    with pytest.raises(NotImplementedError, match="expect_column_mean_to_be_between"):
        run_gate(db, [Check("odd", "select * from big", suite)], tmp_path / "o", [])


def test_every_project_suite_translates() -> None:
    from finnews.audit_sql import unexpected
    from finnews.config import project_root
    from finnews.gate import load_checks

    for check in load_checks(project_root() / "expectations"):
        for expectation in check.build_suite().expectations:
            assert unexpected(expectation.configuration).count_sql
