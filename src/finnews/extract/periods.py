"""The period a figure refers to, read from its sentence: window, quarter, fiscal year.

`period` is one of year_to_date, week, day, month, quarter, fiscal_year, year (first rule
that holds, in that order) or null. `period_quarter` / `period_year` normalize stated
quarters: "zweites Geschäftsquartal des Fiskaljahres 2026" -> 2 / 2026 (fiscal), "Q3",
"Septemberquartal 2025" -> 3 / 2025 (the calendar quarter that month ends; a company's own
fiscal calendar is not applied). All polars expressions over the lower-cased ASCII shadow
of the sentence (`ctx`).
"""

from __future__ import annotations

import polars as pl

from finnews.asciify import asciify_literal, asciify_pattern
from finnews.lexicon import MONTHS, alternation

_MONTH_NAMES = [m for m in MONTHS if not m.endswith(".")]

PERIOD_RULES: list[tuple[str, str]] = [
    ("year_to_date", r"seit jahresbeginn|seit jahresanfang|seit anfang des jahres|im bisherigen jahresverlauf|seit dem jahreswechsel"),
    ("week", r"auf wochensicht|in dieser woche|in der vergangenen woche|binnen einer woche|innerhalb einer woche|in der ersten woche|im wochenverlauf"),
    ("day", r"\bam (montag|dienstag|mittwoch|donnerstag|freitag)\b|am vortag|\bheute\b|im tagesverlauf|zum handelsschluss|zum börsenschluss|im frühen handel|im späten handel"),
    ("month", r"auf monatssicht|im vergangenen monat|binnen eines monats|seit monatsbeginn"),
    ("quarter", r"quartal|\bq[1-4]\b"),
    ("fiscal_year", r"geschäftsjahr|fiskaljahr|gesamtjahr"),
    ("year", r"auf jahressicht|binnen eines jahres|in den vergangenen zwölf monaten|innerhalb eines jahres"),
]  # fmt: skip
PERIODS = [name for name, _ in PERIOD_RULES]

_ORDINAL_QUARTER = asciify_pattern(
    r"\b(erst|zweit|dritt|viert)(?:e|en|er|es)? (?:geschäfts|fiskal)?quartal"
)
_Q_QUARTER = r"\bq([1-4])\b"
_MONTH_QUARTER = asciify_pattern(rf"\b({alternation(_MONTH_NAMES)})-?quartal")
_PERIOD_YEAR = asciify_pattern(
    r"(?:quartal|geschäftsjahr|fiskaljahr)(?:s|es)?\s+(?:des\s+(?:geschäfts|fiskal)jahres\s+)?"
    r"(?:\d{4}/)?(20\d\d)\b"
)  # fmt: skip
_FISCAL = asciify_pattern(r"geschäftsquartal|geschäftsjahr|fiskal")

_ORDINALS = {"erst": 1, "zweit": 2, "dritt": 3, "viert": 4}
_MONTH_TO_QUARTER = {asciify_literal(m): (n - 1) // 3 + 1 for m, n in MONTHS.items()}


def period() -> pl.Expr:
    ctx = pl.col("ctx")
    expr = pl.when(pl.lit(False)).then(pl.lit(None, pl.String))
    for name, pattern in PERIOD_RULES:
        expr = expr.when(ctx.str.contains(asciify_pattern(pattern))).then(pl.lit(name))
    return expr.otherwise(pl.lit(None, pl.String))


def period_quarter() -> pl.Expr:
    ctx = pl.col("ctx")
    return pl.coalesce(
        ctx.str.extract(_ORDINAL_QUARTER, 1).replace_strict(_ORDINALS, default=None),
        ctx.str.extract(_Q_QUARTER, 1).cast(pl.Int32, strict=False),
        ctx.str.extract(_MONTH_QUARTER, 1).replace_strict(_MONTH_TO_QUARTER, default=None),
    ).cast(pl.Int32)


def period_columns() -> list[pl.Expr]:
    ctx = pl.col("ctx")
    return [
        period().alias("period"),
        period_quarter().alias("period_quarter"),
        ctx.str.extract(_PERIOD_YEAR, 1).cast(pl.Int32, strict=False).alias("period_year"),
        ctx.str.contains(_FISCAL).alias("period_is_fiscal"),
    ]
