"""Conditions of the rule files, two ways: as polars expressions (the engine) and as plain
Python over one row (the reference engine). Both read the same named views.

A view is a column: the caller maps view names to its column names (`columns`). Text that
is null never matches a pattern.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import polars as pl

from finnews.rules import Condition


def to_expr(cond: Condition, columns: Mapping[str, str]) -> pl.Expr:
    """The polars expression of `cond` over the columns named in `columns`."""
    op = cond[0]
    if op == "kind":
        return pl.col(columns["kind"]).is_in(list(cond[1]))
    if op == "missing":
        return pl.col(columns[cond[1]]).is_null()
    if op == "entity":
        return pl.col(columns[f"entity:{cond[1]}"]).fill_null(False)
    if op == "match":
        return pl.col(columns[cond[1]]).str.contains(cond[2]).fill_null(False)
    if op == "not":
        return ~to_expr(cond[1], columns)
    if op == "all":
        return pl.all_horizontal(to_expr(c, columns) for c in cond[1])
    if op == "any":
        return pl.any_horizontal(to_expr(c, columns) for c in cond[1])
    raise ValueError(f"unknown condition {op!r}")


@lru_cache(maxsize=4096)
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def holds(cond: Condition, row: Mapping[str, Any]) -> bool:
    """Whether `cond` holds for one row: a mapping of view name to value."""
    op = cond[0]
    if op == "kind":
        return row["kind"] in cond[1]
    if op == "missing":
        return row[cond[1]] is None
    if op == "entity":
        return bool(row.get(f"entity:{cond[1]}"))
    if op == "match":
        text = row[cond[1]]
        return text is not None and compiled(cond[2]).search(text) is not None
    if op == "not":
        return not holds(cond[1], row)
    if op == "all":
        return all(holds(c, row) for c in cond[1])
    if op == "any":
        return any(holds(c, row) for c in cond[1])
    raise ValueError(f"unknown condition {op!r}")
