"""Rejoin hard-wrapped lines and end-of-line hyphenation, per line boundary (vectorized).

The cleaned body is stored rejoined, so every offset downstream indexes the text the
extraction read; `raw_text` keeps the original line breaks. Headlines, bullet lists and
paragraphs stay on their own lines: sentence splitting ends sentences at newlines.
"""

from __future__ import annotations

import polars as pl

from finnews.lexicon import alternation

# A line that ends a sentence (or a list lead-in: "Die Gründe:") is never joined on.
_CLOSERS = "\"“”»«'’)\\]"
_SENTENCE_END = rf"[.!?…:;][{_CLOSERS}]*$"
# A list item: a bullet or dash marker, or a number "3." / "3.)" before a space.
_BULLET = r"^[ \t]*(?:[-–•*·▪►›»](?:[ \t]|$)|\d{1,2}\.\)?[ \t])"
# "Ein-\nund Ausgaben": a suspended compound keeps its hyphen and gets its space back.
SUSPENDED_HYPHEN_WORDS = ["und", "oder", "bzw.", "sowie", "bis", "als auch"]
# Hard-wrapped lines are about as long as the wrap width (60-80 characters, a long word
# less or more); a longer line is a paragraph without its full stop (a scrape), a shorter
# one a subheading.
WRAP_MIN, WRAP_MAX = 50, 100

_SUSPENDED = alternation(SUSPENDED_HYPHEN_WORDS)


# Where a join can happen at all: a line break after a line that does not end a sentence
# (no mark before its closing quotes and brackets; a blank line counts), before a line that
# starts with a non-blank. Every join below needs both, so a text without one is returned
# as it is without being split into lines (most are: that split costs ~17 MB/s).
_JOINABLE = rf"(?:^|[^.!?…:;{_CLOSERS}])[{_CLOSERS}]*\n[ \t]*\S"


def rejoin_lines(docs: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """`docs` with `column`'s hard wraps rejoined. One line break inside a paragraph becomes
    what the wrap replaced:

    - "übertrof-\\nfen" (lowercase continuation) → "übertroffen";
    - "Mercedes-\\nBenz" (uppercase or digit) → "Mercedes-Benz";
    - "Ein-\\nund" → "Ein- und";
    - a line that does not end a sentence, followed by a line that continues it → a space:
      the next line starts in lower case, or the line is wrap-sized (WRAP_MIN..WRAP_MAX
      characters), the next at most WRAP_MAX and starting with a capital, digit or quote.
      The first line (a headline) only joins a lowercase continuation, and only when
      wrap-sized.

    Blank lines, bullet lines and lines after a sentence end are kept as they are. A text
    without a `_JOINABLE` line break is not split at all.

    The lines of all texts are one long frame (a text's next line is the row below while
    the row below is of the same text), so each condition is computed once per line:
    inside `list.eval` every use of a condition computed it again (~18 MB/s).
    """
    docs = docs.with_row_index("_doc")
    line, nxt, first = pl.col("_line"), pl.col("_next"), pl.col("_first")
    length = line.str.len_chars()
    hyphen, lower, suspended = pl.col("_hyphen"), pl.col("_lower"), pl.col("_suspended")
    word_break, compound, space = pl.col("_word_break"), pl.col("_compound"), pl.col("_space")
    # A lowercase continuation; from the first line (a headline, perhaps followed by an
    # author's initials and place: "xy Peking") only when that line is wrap-sized itself.
    lower_next = lower & (~first | (length >= WRAP_MIN))
    wrapped = (
        ~first
        & ~line.str.contains(_BULLET)
        & length.is_between(WRAP_MIN, WRAP_MAX)
        & (nxt.str.len_chars() <= WRAP_MAX)
        & nxt.str.contains(r"^[\p{Lu}\d„\"“»]")
    )
    joins_next = pl.col("_joins_next")
    # A continuation loses its indent; a word broken at a hyphen loses the hyphen.
    joined_on = joins_next.shift(1).fill_null(False) & ~first
    base = pl.when(joined_on).then(line.str.strip_chars_start(" \t")).otherwise(line)
    piece = pl.when(word_break).then(base.str.strip_suffix("-")).otherwise(base)
    separator = (
        pl.when(word_break | compound)
        .then(pl.lit(""))
        .when(suspended | space)
        .then(pl.lit(" "))
        .when(nxt.is_null())
        .then(pl.lit(""))
        .otherwise(pl.lit("\n"))
    )
    same_text = pl.col("_doc").shift(-1) == pl.col("_doc")
    rejoined = (
        docs.filter(pl.col(column).str.contains(_JOINABLE))
        .select("_doc", pl.col(column).str.split("\n").alias("_line"))
        .explode("_line")
        .with_columns(
            pl.when(same_text).then(line.shift(-1).str.strip_chars_start(" \t")).alias("_next"),
            (pl.col("_doc").shift(1) != pl.col("_doc")).fill_null(True).alias("_first"),
        )
        .with_columns(
            (line.str.contains(r"\p{L}-$") & nxt.str.contains(r"^\S")).alias("_hyphen"),
            nxt.str.contains(r"^\p{Ll}").alias("_lower"),
        )
        .with_columns(
            (hyphen & nxt.str.contains(rf"^(?:{_SUSPENDED})(?:\s|$)")).alias("_suspended"),
            (hyphen & nxt.str.contains(r"^[\p{Lu}\d]")).alias("_compound"),
            (
                ~hyphen
                & ~line.str.contains(_SENTENCE_END)
                & ~nxt.str.contains(_BULLET)
                & (lower_next | wrapped)
            ).alias("_space"),
        )
        .with_columns((hyphen & lower & ~suspended).alias("_word_break"))
        .with_columns(
            (word_break | compound | suspended | space).fill_null(False).alias("_joins_next")
        )
        .group_by("_doc", maintain_order=True)
        .agg(pl.concat_str(piece, separator).str.join("").alias("_rejoined"))
    )
    return (
        docs.join(rejoined, on="_doc", how="left", maintain_order="left")
        .with_columns(pl.coalesce("_rejoined", column).alias(column))
        .drop("_doc", "_rejoined")
    )
