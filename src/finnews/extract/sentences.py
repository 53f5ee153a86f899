"""Sentence segmentation with character offsets, aware of German ordinals and abbreviations."""

from __future__ import annotations

import polars as pl

from finnews.asciify import asciify
from finnews.lexicon import MONTHS, alternation
from finnews.spans import find_spans

_MONTH_WORDS = alternation([m for m in MONTHS if not m.endswith(".")])
# A dot that does not end a sentence: abbreviations, "20.000", "19. Februar", "18. oder".
_ABBREV = (
    r"\b(?:Mrd|Mio|Mill|Bio|Tsd|ca|Nr|Dr|Prof|Inc|Corp|Co|Ltd|bzw|vgl|evtl|ggf|usw|etc|inkl|"
    r"zzgl|St|Abs|Bros|Jan|Feb|Apr|Aug|Sept|Okt|Nov|Dez|z\.\s?B|u\.\s?a|d\.\s?h|o\.\s?ä)\."
    # Initials: "J.P. Morgan", "U.S. Steel", "J. P. Morgan" (one capital alone, "Plan B.",
    # may end a sentence).
    r"|\b(?:[A-Z]\.\s?){1,3}[A-Z]\."
)
_DIGIT_DOT = rf"\d\.(?:\d|\s+(?:[a-zäöüß]|(?i:{_MONTH_WORDS})|Quartal|Geschäftsquartal))"
# "JD.com", "z.B.": a dot directly followed by a letter or digit is inside a word.
_INNER_DOT = r"\.\w"
_CHAR = rf"(?:{_ABBREV}|{_DIGIT_DOT}|{_INNER_DOT}|[^.!?…\n])"
_FIRST = rf"(?:{_ABBREV}|{_DIGIT_DOT}|[^.!?…\s])"
SENTENCE = rf"{_FIRST}{_CHAR}*(?:[.!?…]+[\"“”»«'’)]*)?"


def split_sentences(articles: pl.LazyFrame) -> pl.LazyFrame:
    """One row per sentence: article_id, sentence_idx, char_start, char_end, text, shadow.

    Newlines end sentences too, so headlines and bullet lines stand alone. `shadow` is the
    sentence's ASCII shadow (see asciify.py), for fast matching downstream.
    """
    with_shadow = articles.with_columns(asciify(pl.col("body")).alias("_body_shadow"))
    spans = find_spans(
        with_shadow, "body", SENTENCE, ["article_id", "_body_shadow"], shadow_col="_body_shadow"
    )
    trimmed = pl.col("surface").str.strip_chars_end()
    length = trimmed.str.len_chars()
    return spans.select(
        "article_id",
        (pl.int_range(pl.len()).over("article_id")).cast(pl.Int32).alias("sentence_idx"),
        "char_start",
        (pl.col("char_start") + length).cast(pl.Int64).alias("char_end"),
        trimmed.alias("text"),
        pl.col("_body_shadow").str.slice(pl.col("char_start"), length).alias("shadow"),
    )
