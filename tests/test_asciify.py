"""The ASCII shadow (asciify.py): patterns written with umlauts and "ß" match the shadow of
German and Swiss spellings; literals map one character for one."""

from __future__ import annotations

import re

import polars as pl
import pytest

from finnews.asciify import asciify, asciify_literal, asciify_pattern
from finnews.rules import _shadow_anchor


def _shadow(text: str) -> str:
    return pl.select(asciify(pl.lit(text))).item()


@pytest.mark.parametrize(
    "text", ["Die Aktie büßte 3 Prozent ein.", "Die Aktie büsste 3 Prozent ein."]
)
def test_a_pattern_with_eszett_matches_the_swiss_spelling(text: str) -> None:
    assert re.search(asciify_pattern(r"\bbüßte\b"), _shadow(text))


def test_eszett_in_a_character_class_stays_one_character() -> None:
    assert asciify_pattern("[a-zäöüß]+") == "[a-zaous]+"
    assert asciify_pattern(r"\[ß\]") == r"\[ss?\]"


def test_literals_keep_one_character_per_character() -> None:
    assert asciify_literal("Bußgeld für Müller") == "Busgeld fur Muller"
    assert len(_shadow("Bußgeld für Müller")) == len("Bußgeld für Müller")


@pytest.mark.parametrize(
    ("word", "anchor"),
    [("bußgeld", "geld"), ("schließ", "schlies"), ("veräußer", "veraus"), ("kursziel", "kursziel")],
)
def test_an_anchor_never_spans_an_eszett(word: str, anchor: str) -> None:
    assert _shadow_anchor(word) == anchor
    for spelling in (word, word.replace("ß", "ss")):
        assert anchor in asciify_literal(spelling)
