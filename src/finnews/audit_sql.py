"""The expectations of a GX suite as DuckDB SQL, so the audit reads aggregates, not rows.

A check's query can return tens of millions of rows (every figure of a night at a million
articles); handing them to GX as pandas took 13 GB. Instead DuckDB materialises the query
once (a temporary table, spilled to disk under `memory_limit`), counts each expectation's
unexpected rows, and GX validates only a sample of the failing rows (at most `SAMPLE` per
expectation) with the very same suite. The gate's verdict needs both to agree: DuckDB's
count of 0 and GX's success on the sample (see gate.run_gate).

The translation follows GX's semantics for the types the suites use: map expectations
ignore nulls except `ExpectColumnValuesToNotBeNull`; bounds are inclusive unless
strict_min/strict_max; a compound key ignores rows whose columns are all null. Any other
type is refused with the list of those supported, rather than validated unbounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Rows of failing examples GX receives per expectation (its data docs show them).
SAMPLE = 20
TABLE = "_audit_rows"
# The temporary table's own row id (a DuckDB pseudo-column, not part of `select *`).
ROW = "rowid"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    """A SQL literal for an expectation's parameter (bool, number or text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {value!r} ({type(value).__name__})")


@dataclass(frozen=True)
class Unexpected:
    """How DuckDB finds one expectation's unexpected rows of TABLE: `count_sql` is a scalar
    subquery (their number), `rows_sql` selects the ROW ids of up to SAMPLE of them."""

    count_sql: str
    rows_sql: str


def _map(predicate: str) -> Unexpected:
    return Unexpected(
        f"(select count(*) from {TABLE} where {predicate})",
        f"(select {ROW} from {TABLE} where {predicate} order by {ROW} limit {SAMPLE})",
    )


def _duplicates(columns: list[str], ignore_all_null: bool) -> Unexpected:
    cols = ", ".join(ident(c) for c in columns)
    nulls = " and ".join(f"{ident(c)} is null" for c in columns)
    keep = (
        f"not ({nulls})"
        if ignore_all_null
        else " and ".join(f"{ident(c)} is not null" for c in columns)
    )
    # `is not distinct from`: GX (pandas) counts two nulls in a compound key as equal.
    on = " and ".join(f"t.{ident(c)} is not distinct from d.{ident(c)}" for c in columns)
    groups = f"from {TABLE} where {keep} group by {cols} having count(*) > 1"
    dup_rows = f"select t.{ROW} from {TABLE} t semi join (select {cols} {groups}) d on {on}"
    return Unexpected(
        # The rows of every duplicated key, summed from the groups: no join over all rows.
        f"(select coalesce(sum(n), 0) from (select count(*) as n {groups}))",
        f"(select {ROW} from ({dup_rows}) order by {ROW} limit {SAMPLE})",
    )


def unexpected(config: Any) -> Unexpected:
    """The unexpected rows of one expectation (its `ExpectationConfiguration`)."""
    kind, kw = config.type, config.kwargs
    if kind == "expect_column_values_to_not_be_null":
        return _map(f"{ident(kw['column'])} is null")
    if kind == "expect_column_values_to_be_between":
        col = ident(kw["column"])
        outside = []
        if kw.get("min_value") is not None:
            op = "<=" if kw.get("strict_min") else "<"
            outside.append(f"{col} {op} {literal(kw['min_value'])}")
        if kw.get("max_value") is not None:
            op = ">=" if kw.get("strict_max") else ">"
            outside.append(f"{col} {op} {literal(kw['max_value'])}")
        if not outside:
            raise ValueError(f"{kind} on {kw['column']} has neither min_value nor max_value")
        return _map(f"{col} is not null and ({' or '.join(outside)})")
    if kind == "expect_column_values_to_be_in_set":
        values = ", ".join(literal(v) for v in kw["value_set"])
        col = ident(kw["column"])
        return _map(f"{col} is not null and {col} not in ({values})")
    if kind == "expect_column_values_to_be_unique":
        return _duplicates([kw["column"]], ignore_all_null=False)
    if kind == "expect_compound_columns_to_be_unique":
        ignore = kw.get("ignore_row_if", "all_values_are_missing")
        if ignore not in ("all_values_are_missing", "any_value_is_missing"):
            raise ValueError(f"{kind}: ignore_row_if={ignore!r} is not supported")
        return _duplicates(list(kw["column_list"]), ignore == "all_values_are_missing")
    raise NotImplementedError(
        f"{kind} has no DuckDB translation (supported: {', '.join(SUPPORTED)}); add one to "
        "finnews/audit_sql.py rather than validating the whole batch in pandas"
    )


SUPPORTED = (
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_between",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_be_unique",
    "expect_compound_columns_to_be_unique",
)
