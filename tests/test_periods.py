"""Periods of figures: windows, stated quarters and fiscal years."""

from __future__ import annotations

import polars as pl
import pytest

from finnews.extract.periods import period_columns


def _period(sentence: str) -> tuple:
    frame = pl.DataFrame({"ctx": [sentence.lower()]})
    row = frame.select(period_columns()).row(0)
    return row


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Seit Jahresbeginn legte die Aktie um 78 Prozent zu.",
            ("year_to_date", None, None, False),
        ),
        ("Auf Wochensicht verlor das Papier 3 Prozent.", ("week", None, None, False)),
        ("Am Freitag schloss die Aktie bei 147 Euro.", ("day", None, None, False)),
        (
            "Umsatz im zweiten Geschaftsquartal des Fiskaljahres 2026: 247,8 Milliarden Yuan.",
            ("quarter", 2, 2026, True),
        ),
        ("Im Septemberquartal 2025 wuchs die Cloud um 26 Prozent.", ("quarter", 3, 2025, False)),
        ("Im Q1 stieg der Gewinn auf 2 Milliarden Euro.", ("quarter", 1, None, False)),
        (
            "Fur das Geschaftsjahr 2025 erwartet SAP 36 Milliarden Euro.",
            ("fiscal_year", None, 2025, True),
        ),
        ("Die Aktie notiert bei 34,20 Euro.", (None, None, None, False)),
    ],
)
def test_period_of_a_sentence(sentence: str, expected: tuple) -> None:
    assert _period(sentence) == expected
