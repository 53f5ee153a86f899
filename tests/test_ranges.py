"""Ranges and alternatives of figures keep both ends, with scale and sign."""

from __future__ import annotations

import datetime

import polars as pl
import pytest

from tests.helpers import extract_texts


@pytest.fixture(scope="module")
def figures() -> pl.DataFrame:
    body = (
        "SAP erwartet einen Umsatz zwischen 36 und 37 Milliarden Euro. "
        "Die Aktie verlor 3 bis 4 Prozent. Der Gewinn soll um 18 oder 20 Prozent steigen. "
        "Die Aktie notiert bei 147 Euro."
    )
    return extract_texts({"r": body}, datetime.date(2025, 11, 25)).figures


def test_range_and_alternative_ends(figures: pl.DataFrame) -> None:
    rows = figures.select("surface", "value", "value_low", "range_type").rows()
    assert rows == [
        ("37 Milliarden Euro", 37e9, 36e9, "range"),
        ("4 Prozent", -4.0, -3.0, "range"),  # "verlor 3 bis 4 Prozent": both ends fall
        ("20 Prozent", 20.0, 18.0, "alternative"),
        ("147 Euro", 147.0, None, None),
    ]
