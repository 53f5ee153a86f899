"""Sentence tone from a German finance lexicon written by the team (data/tone_lexicon.csv).

Each sentence gets the number of positive and negative lexicon stems it contains, counted
at word starts on the lower-cased ASCII shadow. Longer stems are tried first, so
"Gewinnwarnung" counts once, as negative, not also as "Gewinn". Negation ("kein Gewinn")
is not handled: tone is a coarse signal for ranking and trends, not a verdict per sentence.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import polars as pl

from finnews.asciify import asciify_literal

LEXICON = Path(__file__).resolve().parents[1] / "data" / "tone_lexicon.csv"


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON) -> tuple[str, tuple[str, ...]]:
    """(alternation of every stem, longest first; the negative stems), both as in the shadow."""
    lexicon = pl.read_csv(path, columns=["stem", "polarity"])
    bad = lexicon.filter(~pl.col("polarity").is_in(["positive", "negative"]))
    if bad.height:
        raise ValueError(f"{path}: polarity must be positive or negative: {bad.rows()[:3]}")
    stems = lexicon.with_columns(
        pl.col("stem").str.to_lowercase().map_elements(asciify_literal, return_dtype=pl.String)
    ).sort(pl.col("stem").str.len_chars(), descending=True)
    alternation = "|".join(stems["stem"].str.escape_regex())
    negative = tuple(stems.filter(pl.col("polarity") == "negative")["stem"])
    return rf"\b(?:{alternation})", negative


def with_tone(sentences: pl.LazyFrame, path: Path = LEXICON) -> pl.LazyFrame:
    """Add n_positive and n_negative (Int32) from the sentence's `shadow`."""
    pattern, negative = load_lexicon(path)
    hits = pl.col("shadow").str.to_lowercase().str.extract_all(pattern)
    n_negative = pl.col("_hits").list.eval(pl.element().is_in(list(negative))).list.sum()
    # The hits are a column of their own: written inline in both counts, the lexicon's
    # pattern ran three times over every sentence (polars did not share the subexpression
    # holding the list.eval).
    return (
        sentences.with_columns(hits.alias("_hits"))
        .with_columns(n_negative.alias("_n_negative"))
        .with_columns(
            (pl.col("_hits").list.len() - pl.col("_n_negative")).cast(pl.Int32).alias("n_positive"),
            pl.col("_n_negative").cast(pl.Int32).alias("n_negative"),
        )
        .drop("_hits", "_n_negative")
    )
