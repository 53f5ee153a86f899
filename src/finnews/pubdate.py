"""Publication date of each article, with the method that found it (vectorized)."""

from __future__ import annotations

import polars as pl

from finnews.extract.dates import ymd
from finnews.lexicon import MONTHS, alternation

_DATELINE = (
    r"(?im)^\s*(?:veröffentlicht(?: am)?|datum|stand|published)\s*:?\s*"
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d{2})"
)
_FILENAME = r"(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})"
# The paid-analysis teaser carries the publication day: "Analyse vom 21. November".
_TEASER = rf"(?i)Analyse vom (?P<d>\d{{1,2}})\.\s*(?P<mn>{alternation(MONTHS)})"


def _parts(col: str, pattern: str) -> pl.Expr:
    return pl.col(col).str.extract_groups(pattern)


def infer_published_date(docs: pl.LazyFrame) -> pl.LazyFrame:
    """Add published_date, published_date_method and published_date_note.

    Needs raw_text, boilerplate, file_name, modified_at (file mtime) and record_published
    (bulk records). Order of trust: a dateline in the text, the record's `published` field,
    a date in the file name, the teaser's day and month with the
    year taken from the file's mtime (the latest such date not after it); else null.
    """
    dateline = _parts("raw_text", _DATELINE)
    fname = _parts("file_name", _FILENAME)
    teaser = _parts("boilerplate", _TEASER)
    dl = ymd(dateline.struct["y"].cast(pl.Int32), dateline.struct["m"].cast(pl.Int32),
              dateline.struct["d"].cast(pl.Int32))  # fmt: skip
    fn = ymd(fname.struct["y"].cast(pl.Int32), fname.struct["m"].cast(pl.Int32),
              fname.struct["d"].cast(pl.Int32))  # fmt: skip
    t_month = (
        teaser.struct["mn"]
        .str.to_lowercase()
        .replace_strict(MONTHS, default=None, return_dtype=pl.Int32)
    )
    t_day = teaser.struct["d"].cast(pl.Int32)
    record = pl.col("record_published").str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    mtime = pl.col("modified_at").cast(pl.Date)
    same_year = ymd(mtime.dt.year(), t_month, t_day)
    td = (
        pl.when(same_year <= mtime)
        .then(same_year)
        .otherwise(ymd(mtime.dt.year() - 1, t_month, t_day))
    )
    return docs.with_columns(
        pl.coalesce(dl, record, fn, td).alias("published_date"),
        pl.when(dl.is_not_null())
        .then(pl.lit("dateline"))
        .when(record.is_not_null())
        .then(pl.lit("record_field"))
        .when(fn.is_not_null())
        .then(pl.lit("file_name"))
        .when(td.is_not_null())
        .then(pl.lit("teaser_day_month+file_mtime_year"))
        .alias("published_date_method"),
        pl.when(dl.is_null() & record.is_null() & fn.is_null() & td.is_null())
        .then(pl.lit("no dateline, no date in the file name, no dated teaser"))
        .alias("published_date_note"),
    )
