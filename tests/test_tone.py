"""Sentence tone from the team's finance lexicon."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from finnews.extract.sentences import split_sentences
from finnews.extract.tone import load_lexicon, with_tone


def _tone(*texts: str) -> list[tuple[int, int]]:
    frame = pl.DataFrame({"article_id": [str(i) for i in range(len(texts))], "body": texts})
    out = with_tone(split_sentences(frame.lazy())).collect()
    return list(zip(out["n_positive"], out["n_negative"], strict=True))


def test_counts_positive_and_negative_stems_per_sentence() -> None:
    assert _tone(
        "Rekordumsatz und starkes Wachstum: Die Aktie stieg.",
        "Die Aktie fiel nach der Gewinnwarnung um 5 Prozent.",
    ) == [(4, 0), (0, 2)]


def test_longest_stem_wins_and_words_must_start_with_the_stem() -> None:
    # "Gewinnwarnung" is one negative hit, not also "Gewinn"; "verkaufen" is not "kaufen".
    assert _tone("Gewinnwarnung.", "Anleger verkaufen.") == [(0, 1), (0, 0)]


def test_umlauts_match_through_the_ascii_shadow() -> None:
    assert _tone("Die Schwäche hält an.", "Der Umsatz wächst.") == [(0, 1), (1, 0)]


def test_a_lexicon_with_an_unknown_polarity_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "lexicon.csv"
    bad.write_text("stem,polarity,note\nhausse,bullish,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="polarity must be positive or negative"):
        load_lexicon(bad)
