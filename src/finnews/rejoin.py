"""Rejoin hard-wrapped lines and end-of-line hyphenation, per line boundary (vectorized).

The cleaned body is stored rejoined, so every offset downstream indexes the text the
extraction read; `raw_text` keeps the original line breaks. Headlines, bullet lists and
paragraphs stay on their own lines: sentence splitting ends sentences at newlines.
"""

from __future__ import annotations

import polars as pl

from finnews.lexicon import alternation

# A line that ends a sentence (or a list lead-in: "Die Gründe:") is never joined on.
_SENTENCE_END = r"[.!?…:;][\"“”»«'’)\]]*$"
# A list item: a bullet or dash marker, or a number "3." / "3.)" before a space.
_BULLET = r"^[ \t]*(?:[-–•*·▪►›»](?:[ \t]|$)|\d{1,2}\.\)?[ \t])"
# "Ein-\nund Ausgaben": a suspended compound keeps its hyphen and gets its space back.
SUSPENDED_HYPHEN_WORDS = ["und", "oder", "bzw.", "sowie", "bis", "als auch"]
# Hard-wrapped lines are about as long as the wrap width (60-80 characters, a long word
# less or more); a longer line is a paragraph without its full stop (a scrape), a shorter
# one a subheading.
WRAP_MIN, WRAP_MAX = 50, 100

_SUSPENDED = alternation(SUSPENDED_HYPHEN_WORDS)


def rejoin_lines(text: pl.Expr) -> pl.Expr:
    """One line break inside a paragraph becomes what the wrap replaced:

    - "übertrof-\\nfen" (lowercase continuation) → "übertroffen";
    - "Mercedes-\\nBenz" (uppercase or digit) → "Mercedes-Benz";
    - "Ein-\\nund" → "Ein- und";
    - a line that does not end a sentence, followed by a line that continues it → a space:
      the next line starts in lower case, or the line is wrap-sized (WRAP_MIN..WRAP_MAX
      characters), the next at most WRAP_MAX and starting with a capital, digit or quote.
      The first line (a headline) only joins a lowercase continuation, and only when
      wrap-sized.

    Blank lines, bullet lines and lines after a sentence end are kept as they are.
    """
    line = pl.element()
    nxt = line.shift(-1).str.strip_chars_start(" \t")
    first = line.shift(1).is_null()
    length = line.str.len_chars()
    hyphen = line.str.contains(r"\p{L}-$") & nxt.str.contains(r"^\S")
    lower = nxt.str.contains(r"^\p{Ll}")
    # A lowercase continuation; from the first line (a headline, perhaps followed by an
    # author's initials and place: "xy Peking") only when that line is wrap-sized itself.
    lower_next = lower & (~first | (length >= WRAP_MIN))
    suspended = hyphen & nxt.str.contains(rf"^(?:{_SUSPENDED})(?:\s|$)")
    word_break = hyphen & lower & ~suspended
    compound = hyphen & nxt.str.contains(r"^[\p{Lu}\d]")
    wrapped = (
        ~first
        & ~line.str.contains(_BULLET)
        & length.is_between(WRAP_MIN, WRAP_MAX)
        & (nxt.str.len_chars() <= WRAP_MAX)
        & nxt.str.contains(r"^[\p{Lu}\d„\"“»]")
    )
    space = (
        ~hyphen
        & ~line.str.contains(_SENTENCE_END)
        & ~nxt.str.contains(_BULLET)
        & (lower_next | wrapped)
    )
    joins_next = (word_break | compound | suspended | space).fill_null(False)
    joined_on = joins_next.shift(1).fill_null(False)
    # A continuation loses its indent; a word broken at a hyphen loses the hyphen.
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
    return text.str.split("\n").list.eval(pl.concat_str(piece, separator)).list.join("")
