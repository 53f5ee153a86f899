"""When a cleaned body was cut off: it stops mid-word or mid-figure (vectorized).

A last clause without a full stop is not a cut ("... in den ersten 100 Tagen" before an ad
block, a table's last number, an author's line): only an ending no complete German text
has is. Each rule reads the end of the body; the body is stripped, so `$` is its last
character.
"""

from __future__ import annotations

import polars as pl

from finnews.lexicon import CURRENCIES, NUMBER_WORDS, PERCENT_UNITS, SCALES, alternation

# Words that cannot end a clause: conjunctions, articles, prepositions without a verb
# particle reading. Left out on purpose: "an", "auf", "aus", "ab", "zu", "nach", "mit",
# "vor", "ein", "um", "bei", "über" (separable particles: "kündigte eine Dividende an",
# "teilte ... mit") and "das" (a pronoun: "Analysten bezweifeln das").
DANGLING_WORDS: list[str] = [
    "und", "oder", "sowie", "sondern", "dass", "weil", "ob", "als",
    "der", "die", "den", "dem", "des", "eine", "einen", "einem", "einer", "eines",
    "von", "vom", "zum", "zur", "für", "im", "in", "am",
]  # fmt: skip


def _unit_stubs() -> list[str]:
    """Proper prefixes of the unit and scale words that are no unit themselves: "Eu" of
    "Euro", "Proz" of "Prozent", "Milli" of "Milliarden" ("EUR" and "Punkte" are units)."""
    words = {w for w in [*CURRENCIES, *PERCENT_UNITS, *SCALES] if w.replace("-", "").isalpha()}
    return sorted({w[:k] for w in words for k in range(1, len(w))} - words)


_SCALE_WORDS = [w for w in SCALES if w.isalpha()]

# Each rule, named: the body ends ...
TRUNCATION_PATTERNS: dict[str, str] = {
    # ... inside a hyphenated word ("übertrof-"); a spaced dash ("Umsatz -") is no cut.
    "hyphen": r"\p{L}-$",
    # ... on a comma: a list or a number left open ("auf 3,").
    "comma": r",$",
    # ... on an opening bracket or German opening quote.
    "opening_mark": r"[(\[{„‚]$",
    # ... on a word a clause cannot end with ("... der Umsatz und").
    "dangling_word": rf"(?:^|\s)(?:{alternation(DANGLING_WORDS)})$",
    # ... on a figure whose unit is cut ("218,40 Eu", "3,2 Milli", "eine Milliarde Eu").
    "cut_unit": (
        rf"(?:\d|\b(?i:{alternation(NUMBER_WORDS)}))[ \t]*(?:(?i:{alternation(_SCALE_WORDS)})[ \t]+)?"
        rf"(?i:{alternation(_unit_stubs())})$"
    ),
}

_TRUNCATED_ANY = "|".join(f"(?:{p})" for p in TRUNCATION_PATTERNS.values())


def is_cut_off(body: pl.Expr) -> pl.Expr:
    """True where the body stops mid-word or mid-figure (see TRUNCATION_PATTERNS)."""
    return body.str.strip_chars().str.contains(_TRUNCATED_ANY)
