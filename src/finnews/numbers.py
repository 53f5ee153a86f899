"""German number grammar as polars expressions: `247,8 Milliarden Yuan` -> 2.478e11 CNY."""

from __future__ import annotations

import polars as pl

from finnews.lexicon import (
    COUNT_NOUNS,
    CURRENCIES,
    FRACTIONS,
    NUMBER_WORDS,
    ONE_WORDS,
    PERCENT_UNITS,
    QUALIFIERS,
    SCALES,
    SUBUNITS,
    TIME_NOUNS,
    alternation,
)

# "20.000" and "1.250,5" (thousands dots, decimal comma) before plain "134,60" / "7".
# Thousands grouped by dots ("20.000"), or by spaces when decimals follow ("15 913,82
# Punkten": a space alone is too often two numbers side by side).
# Swiss copy groups thousands with an apostrophe ("12'374,10", "200'000"); the shadow shows
# the typographic one as "'" too.
DIGITS = (
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d+|\d{1,3}(?:\.\d{3})+(?:,\d+)?"
    r"|\d{1,3}(?:['’]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
)
NUMBER = rf"(?P<number>{DIGITS}|\b(?i:{alternation(NUMBER_WORDS)})\b)"
QUALIFIER = rf"(?:(?P<qualifier>(?i:{alternation(QUALIFIERS)}))\s+)?"
# A hyphen right after the scale makes it part of a compound ("einer Milliarden-Fusion"):
# captured so a number word before it is no figure; trimmed from a digit figure's span.
# A scale word ends at a word boundary ("einer milliardenschweren Belastung" has none).
_WORD_SCALES = [s for s in SCALES if s[-1].isalpha()]
_DOT_SCALES = [s for s in SCALES if not s[-1].isalpha()]
SCALE = (
    # The dotted forms first: "Mio. Euro" must not be read as "Mio" and a stray dot.
    # "10-Milliarden-Dollar-Emission": a compound joins number, scale and unit by hyphens.
    rf"(?:(?:\s+|-)(?P<scale>(?i:{alternation(_DOT_SCALES)})|(?i:{alternation(_WORD_SCALES)})\b)"
    r"(?P<compound>-)?)?"
)
_WORD_UNITS = [u for u in [*CURRENCIES, *PERCENT_UNITS] if u[-1].isalpha()]
_SIGN_UNITS = [u for u in [*CURRENCIES, *PERCENT_UNITS] if not u[-1].isalpha()]
UNIT = rf"(?P<unit>(?i:{alternation(_WORD_UNITS)})\b|{alternation(_SIGN_UNITS)})"
# Up to two lowercase words between number and noun: "20.000 robotischen Lieferfahrzeugen".
# Any other noun, after at most one adjective, is read too (`any_noun`), but counts only
# after a number written with thousands dots or a scale ("250.000 neue Anlagen",
# "17 Millionen Fahrten"): "drei Jahre", "2026 Gewinne" are no counts.
COUNT = (
    rf"(?:(?:\s+[a-zäöüß]+){{0,2}}\s+(?P<count_noun>[\w-]*?(?i:{alternation(COUNT_NOUNS)}))\b"
    r"|\s+(?:[a-zäöüß]{3,}(?:e|en|er|es|em)\s+)?(?P<any_noun>[A-ZÄÖÜ][a-zäöüß]{2,})\b)"
)

# A figure: [qualifier] number [scale] (unit | counted noun), or [qualifier] number scale.
# A results report's prior-year value in brackets between number and unit: "445,2 (Vj:
# 398,5) Mio. Euro", "1,01 (0,61) Euro"; it is a figure of its own (extract/figures.py).
# An earlier value of the same measure has other labels: "3,30 (zuvor 4) Franken", "47,2
# (Jahresbeginn: 45,1) Prozent".
PRIOR = (
    r"(?:\s*\((?i:vj\.?|vorjahr|vorjahreswert|zuvor|vorher|bisher|alt|jahresbeginn|"
    rf"jahresanfang|vormonat|vorquartal|vorwoche)?:?\s*(?P<prior>{DIGITS})\))?"
)
# ("den 500-Euro-Schein", "die 13.000-Punkte-Marke", "mit 20-Prozent-Quote": the unit
# after a hyphen.)
FIGURE = rf"\b{QUALIFIER}{NUMBER}{PRIOR}{SCALE}(?:(?:\s*|-){UNIT}|{COUNT})?"

# "RSI von 29,4", "RSI liegt bei 38", "Der Relative-Stärke-Index (RSI) fiel auf 27,5".
RSI = (
    r"\b(?:RSI|Relative[- ]Stärke[- ]Index)(?:\s*\(RSI\))?(?:-Wert)?"
    r"(?:(?:\s+[a-zäöüß]+){0,3}?\s+(?:von|bei|auf)\s+|\s+)"
    r"(?:(?P<qualifier>rund|etwa|knapp)\s+)?(?P<number>\d+(?:,\d+)?)\b"
)


def _mantissa_and_decimals(col: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """'1.250,5' -> (12505, 1): integer digits and how many of them are decimals."""
    digits = col.str.replace_all(r"[.'’\s\u00a0\u202f]", "")
    mantissa = digits.str.replace(",", "", literal=True).cast(pl.Float64, strict=False)
    decimals = digits.str.extract(r",(\d+)$", 1).str.len_chars().fill_null(0)
    return mantissa, decimals


def german_number(col: pl.Expr, scale: pl.Expr | None = None) -> pl.Expr:
    """'20.000' -> 20000.0, '134,60' -> 134.6, 'vier' -> 4.0; anything else -> null.

    With `scale`, the scale is applied before the decimal shift, so '32,2' Milliarden is
    exactly 322e9 / 10 = 32200000000.0, not 32.2 * 1e9 = 32200000000.000004.
    """
    mantissa, decimals = _mantissa_and_decimals(col)
    factor = scale.fill_null(1.0) if scale is not None else pl.lit(1.0)
    digits = mantissa * factor / pl.lit(10.0).pow(decimals)
    words = col.str.to_lowercase().replace_strict(
        {word: float(value) for word, value in NUMBER_WORDS.items()},  # one dtype ("halbe")
        default=None,
        return_dtype=pl.Float64,
    )
    return pl.coalesce(digits, words * factor)


def scale_factor(col: pl.Expr) -> pl.Expr:
    """'Milliarden' / 'Mrd.' -> 1e9; no scale word -> null."""
    return col.str.to_lowercase().replace_strict(SCALES, default=None, return_dtype=pl.Float64)


def currency_code(col: pl.Expr) -> pl.Expr:
    """'US-Dollar' -> 'USD', 'Yuan' -> 'CNY'; not a currency -> null."""
    return col.str.to_lowercase().replace_strict(CURRENCIES, default=None, return_dtype=pl.String)


def _year_before_a_phrase() -> pl.Expr:
    """'ab der zweiten Jahreshälfte 2026 in Rechenzentren': a year, then a prepositional
    phrase whose noun merely looks like a count noun."""
    return pl.col("number").str.contains(r"^(?:19|20)\d\d$") & pl.col("surface").str.contains(
        r"^\S+\s+(?:in|im|an|am|auf|für|bei|nach|von|vor|zu|zum|zur|mit|ab|bis|seit)\s"
    )


def normalize_figures(spans: pl.LazyFrame) -> pl.LazyFrame:
    """Turn raw FIGURE matches into typed figures: value, unit, currency, scale, qualifier.

    Matches that are neither amounts, percentages, counts nor scaled numbers (a bare `2026`)
    are dropped here: they are not figures.
    """
    unit_lc = pl.col("unit").str.to_lowercase()
    currency = currency_code(pl.col("unit"))
    percent_kind = unit_lc.replace_strict(PERCENT_UNITS, default=None, return_dtype=pl.String)
    scale = scale_factor(pl.col("scale"))
    fraction = unit_lc.replace_strict(FRACTIONS, default=None, return_dtype=pl.Float64)
    subunit = unit_lc.replace_strict(SUBUNITS, default=None, return_dtype=pl.Float64)
    grouped = pl.col("number").str.contains(r"^\d{1,3}[.'’\s\u00a0\u202f]\d{3}")
    digits = pl.col("number").str.contains(r"^\d")
    # A number before a capitalised noun counts it ("130 Gläubiger", "drei Banken"), unless
    # the number is a year, an article or "half" ("2026 Gewinne", "Ein Aufschlag", "die
    # halbe Belegschaft") or the noun a unit of time ("drei Jahre").
    counts_nothing = pl.col("number").str.contains(r"^(?:19|20)\d\d$") | pl.col(
        "number"
    ).str.to_lowercase().is_in(ONE_WORDS)
    time_noun = pl.col("any_noun").str.contains(rf"^(?:{alternation(TIME_NOUNS)})$")
    any_noun = pl.when(grouped | scale.is_not_null() & digits | ~counts_nothing & ~time_noun).then(
        pl.col("any_noun")
    )
    kind = (
        pl.when(currency.is_not_null())
        .then(pl.lit("amount"))
        .when(percent_kind.is_not_null())
        .then(percent_kind)
        .when(pl.col("count_noun").is_not_null() & ~_year_before_a_phrase())
        .then(pl.lit("count"))
        # "250.000 neue Anlagen", "18,34 Millionen" and "rund eine Milliarde" count;
        # "einer Milliarden-Fusion" is not a figure. (A noun read as `any_noun` needs a
        # grouped or scaled number anyway.)
        .when(
            grouped & pl.col("any_noun").is_not_null()
            | scale.is_not_null() & (digits | pl.col("compound").is_null())
            | any_noun.is_not_null()
        )
        .then(pl.lit("count"))
    )
    compound = pl.col("compound").is_not_null()
    return (
        spans.with_columns(
            kind.alias("kind"),
            pl.when(compound).then(pl.col("char_end") - 1).otherwise("char_end").alias("char_end"),
            pl.when(compound)
            .then(pl.col("surface").str.strip_suffix("-"))
            .otherwise("surface")
            .alias("surface"),
            pl.when(fraction.is_not_null())
            .then((german_number(pl.col("number")) * fraction).round(1))
            .when(subunit.is_not_null())
            .then((german_number(pl.col("number"), scale) * subunit).round(6))
            .otherwise(german_number(pl.col("number"), scale))
            .alias("value"),
            scale.alias("scale_factor"),
            currency.alias("currency"),
            pl.col("qualifier").str.to_lowercase().alias("qualifier"),
            pl.coalesce("count_noun", any_noun).alias("count_noun"),
        )
        .filter(pl.col("kind").is_not_null() & pl.col("value").is_not_null())
        .with_columns(
            pl.when(pl.col("kind") == "amount")
            .then(pl.col("currency"))
            .when(pl.col("kind") == "count")
            .then(pl.lit("count"))
            .otherwise(pl.col("kind"))
            .alias("unit"),
        )
    )
