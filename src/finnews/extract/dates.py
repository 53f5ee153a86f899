"""Calendar dates in German prose, with the year inferred from the publication date."""

from __future__ import annotations

import polars as pl

from finnews.asciify import asciify_pattern
from finnews.lexicon import MONTHS, alternation
from finnews.spans import find_spans

# "19. Februar 2026", "18. oder 19. Februar", "25. November", "1. Feb."
TEXT_DATE = (
    r"\b(?P<day>\d{1,2})\.(?:\s*(?:oder|bis|und|/|-)\s*(?P<day2>\d{1,2})\.)?\s*"
    rf"(?P<month_name>(?i:{alternation(MONTHS)}))(?:\s+(?P<year>(?:19|20)\d{{2}})\b)?"
)
# "21.11.2025"
NUMERIC_DATE = r"\b(?P<day>\d{1,2})\.(?P<month_num>\d{1,2})\.(?P<year>(?:19|20)\d{2})\b"
# "2026-02-19"
ISO_DATE = r"\b(?P<year>(?:19|20)\d{2})-(?P<month_num>\d{2})-(?P<day>\d{2})\b"
# What every match of TEXT_DATE, NUMERIC_DATE and ISO_DATE holds in the shadow: a digit
# right before a dot ("11. Dezember", "21.11.2025") or a dash ("2026-02-19").
NUMBERED_ANCHOR = r"\d[.-]"
# "am Donnerstag", "kommenden Montag": a weekday of the publication week, resolved from the
# publication date (stock news dates next week's results and yesterday's close this way).
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
WEEKDAY_DATE = (
    r"\b(?:(?P<week_shift>kommenden|nächsten|vergangenen|letzten|vorigen)\s+)?"
    rf"(?P<weekday>{'|'.join(WEEKDAYS)})\b"
)


def ymd(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """A date from integer parts; impossible dates (31 April) become null, not an error."""
    return pl.format(
        "{}-{}-{}",
        year.cast(pl.String),
        month.cast(pl.String).str.zfill(2),
        day.cast(pl.String).str.zfill(2),
    ).str.to_date("%Y-%m-%d", strict=False)


def nearest_year_date(month: pl.Expr, day: pl.Expr, reference: pl.Expr) -> pl.Expr:
    """The date with this day and month closest to `reference` (year before, same or after)."""
    year = reference.dt.year()
    candidates = [ymd(year + k, month, day) for k in (-1, 0, 1)]
    distances = [(c - reference).dt.total_days().abs() for c in candidates]
    best = pl.min_horizontal(distances)
    chosen = pl.when(distances[1] == best).then(candidates[1])
    chosen = chosen.when(distances[0] == best).then(candidates[0])
    return chosen.otherwise(candidates[2])


# Tense of the sentence a yearless date stands in: "Die Hauptversammlung findet am 30. April
# statt" (published in October) is next April; "hatte am 30. April ... gemeldet" the last one.
# "berichtet" and "veröffentlicht" are present tense too, so they are no past cue.
_FUTURE = (
    r"\b(?:wird|werden|will|wollen|soll|sollen|findet|finden|stattfinden|anstehende\w*|"
    r"kommende\w*|nächste\w*|bevorstehende\w*|geplant\w*|plant|planen|erwartet|vorlegen|"
    r"vorzulegen|veröffentlichen|berichten wird|ab dem)\b"
)
_PAST_TENSE = (
    r"\b(?:hatte|hatten|war|waren|wurde|wurden|vergangene\w*|zuletzt|seit|bisher|"
    r"vorgelegt|gemeldet|angekündigt|mitgeteilt|"
    # The simple past of the verbs stock news reports a day's trading and news with.
    r"verlor|verloren|gewann|gewannen|stieg|stiegen|fiel|fielen|sank|sanken|schloss|schlossen|"
    r"kletterte|rutschte|legte|gab|notierte|meldete|kündigte|teilte|sagte|erklärte|"
    r"stellte|stellten|präsentierte|zeigte|enthüllte|berichtete|nannte|übernahm|kaufte|"
    r"unterzeichnete|einigte|einigten)\b"
    # The perfect: "hat am Mittwoch ... ein neues Werk in Betrieb genommen".
    r"|\b(?:hat|haben)\b.{0,80}\b(?:ge[a-zäöüß]{3,}(?:t|en)|[a-zäöüß]{3,}iert)\b"
)


def sentence_tense(shadow: pl.Expr) -> pl.Expr:
    """'future', 'past' or null (no cue, or both) from the sentence's verbs and adverbs."""
    lower = shadow.str.to_lowercase()
    future = lower.str.contains(asciify_pattern(_FUTURE))
    past = lower.str.contains(asciify_pattern(_PAST_TENSE))
    return (
        pl.when(future & ~past)
        .then(pl.lit("future"))
        .when(past & ~future)
        .then(pl.lit("past"))
        .otherwise(pl.lit(None, pl.String))
    )


def tensed_year_date(month: pl.Expr, day: pl.Expr, reference: pl.Expr, tense: pl.Expr) -> pl.Expr:
    """The yearless date read in the sentence's tense: the first one on or after `reference`
    in future sentences, the last one on or before it in past ones, else the nearest."""
    year = reference.dt.year()
    this_year = ymd(year, month, day)
    next_on = pl.when(this_year >= reference).then(this_year).otherwise(ymd(year + 1, month, day))
    last_on = pl.when(this_year <= reference).then(this_year).otherwise(ymd(year - 1, month, day))
    return (
        pl.when(tense == "future")
        .then(next_on)
        .when(tense == "past")
        .then(last_on)
        .otherwise(nearest_year_date(month, day, reference))
    )


def weekday_date(weekday: pl.Expr, shift: pl.Expr, reference: pl.Expr, tense: pl.Expr) -> pl.Expr:
    """The weekday (1 = Monday) nearest `reference`, or the next / last one when the words
    ("kommenden", "vergangenen") or, failing them, the sentence's tense say which."""
    ahead = (weekday - reference.dt.weekday()).mod(7)  # 0..6 days forward
    direction = (
        pl.when(shift.is_in(["kommenden", "nächsten"]))
        .then(pl.lit("next"))
        .when(shift.is_in(["vergangenen", "letzten", "vorigen"]))
        .then(pl.lit("last"))
        .when(tense == "future")
        .then(pl.lit("next"))
        .when(tense == "past")
        .then(pl.lit("last"))
        .otherwise(pl.lit("nearest"))
    )
    back = pl.when(ahead == 0).then(0).otherwise(ahead - 7)
    days = (
        pl.when(direction == "next")
        .then(ahead)
        .when(direction == "last")
        .then(back)
        .otherwise(pl.when(ahead > 3).then(ahead - 7).otherwise(ahead))
    )
    return reference + pl.duration(days=days)


def resolve_date(
    day: pl.Expr, month: pl.Expr, year: pl.Expr, reference: pl.Expr, tense: pl.Expr
) -> pl.Expr:
    """An explicit year wins; otherwise the year is inferred from the reference date and
    the sentence's tense (null tense: the nearest year)."""
    explicit = ymd(year, month, day)
    inferred = tensed_year_date(month, day, reference, tense)
    return pl.when(year.is_not_null()).then(explicit).otherwise(inferred)


def extract_dates(sentences: pl.LazyFrame, keep: list[str]) -> pl.LazyFrame:
    """Date mentions in sentences: value_date, alt_date (for "18. oder 19."), year_inferred."""
    # Only sentences that can hold a date are searched (most hold none), and only they
    # get their tense: a digit right before a dot or a dash for the numbered dates, a
    # weekday's name for WEEKDAY_DATE (tests/test_dates.py proves both on the patterns).
    numbered = pl.col("shadow").str.contains(NUMBERED_ANCHOR)
    weekday = pl.col("shadow").str.contains_any(WEEKDAYS)
    tensed = (
        sentences.with_row_index("_sentence")
        .filter(numbered | weekday)
        .with_columns(sentence_tense(pl.col("shadow")).alias("_tense"))
    )
    # Diagonal concat: each pattern's missing groups (day2, month_name...) become nulls.
    spans = pl.concat(
        [
            find_spans(
                tensed.filter(weekday if p == WEEKDAY_DATE else numbered),
                "text", p, [*keep, "_tense", "_sentence"], shadow_col="shadow",
            )
            for p in (TEXT_DATE, NUMERIC_DATE, ISO_DATE, WEEKDAY_DATE)
        ],
        how="diagonal_relaxed",
    )  # fmt: skip
    # "Am Donnerstag, dem 11. Dezember": the calendar date is the one to keep.
    calendar = pl.col("weekday").is_null()
    spans = spans.filter(calendar | ~calendar.any().over("_sentence"))
    month = pl.coalesce(
        pl.col("month_num").cast(pl.Int32, strict=False),
        pl.col("month_name")
        .str.to_lowercase()
        .replace_strict(MONTHS, default=None, return_dtype=pl.Int32),
    )
    day = pl.col("day").cast(pl.Int32)
    year = pl.col("year").cast(pl.Int32)
    reference = pl.col("published_date")
    tense = pl.col("_tense")
    day2 = pl.col("day2").cast(pl.Int32)
    weekday = pl.col("weekday").replace_strict(
        {name: n for n, name in enumerate(WEEKDAYS, start=1)}, default=None, return_dtype=pl.Int32
    )
    return (
        spans.with_columns(
            pl.when(pl.col("weekday").is_not_null())
            .then(weekday_date(weekday, pl.col("week_shift"), reference, tense))
            .otherwise(resolve_date(day, month, year, reference, tense))
            .alias("value_date"),
            resolve_date(day2, month, year, reference, tense).alias("alt_date"),
            year.is_null().alias("year_inferred"),
        )
        .filter(
            # Impossible dates (31 April) go; a date whose year cannot be known stays, undated.
            pl.col("value_date").is_not_null() | (year.is_null() & reference.is_null())
        )
        .drop("weekday", "week_shift", "_sentence", "_tense")
    )
