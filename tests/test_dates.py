"""Dates in prose and publication-date inference."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from finnews.asciify import asciify
from finnews.extract.dates import extract_dates
from finnews.pubdate import infer_published_date

KEEP = ["article_id", "text", "published_date"]


def dates_in(text: str, published: date | None) -> list[dict]:
    frame = pl.DataFrame(
        {"article_id": ["a"], "text": [text], "published_date": [published]},
        schema={"article_id": pl.String, "text": pl.String, "published_date": pl.Date},
    )
    frame = frame.with_columns(asciify(pl.col("text")).alias("shadow"))
    return extract_dates(frame.lazy(), KEEP).collect().to_dicts()


def test_explicit_year_wins() -> None:
    (d,) = dates_in("Am 19. Februar 2026 kommen die Zahlen.", date(2025, 11, 1))
    assert d["value_date"] == date(2026, 2, 19)
    assert d["year_inferred"] is False


def test_year_is_the_one_closest_to_publication() -> None:
    # Published in late January: "18. oder 19. Februar" is next month, not last February.
    (d,) = dates_in("Die Zahlen kommen am 18. oder 19. Februar.", date(2026, 1, 28))
    assert (d["value_date"], d["alt_date"]) == (date(2026, 2, 18), date(2026, 2, 19))
    # Published in December, "5. Januar" is early next year.
    (d,) = dates_in("Der Termin ist der 5. Januar.", date(2025, 12, 20))
    assert d["value_date"] == date(2026, 1, 5)
    assert d["year_inferred"] is True


def test_yearless_date_follows_the_sentence_tense() -> None:
    published = date(2025, 10, 24)
    # Six months ahead, not six months back: the meeting is still to come.
    (d,) = dates_in("Die Hauptversammlung findet am 30. April statt.", published)
    assert d["value_date"] == date(2026, 4, 30)
    # A past report of a July date one quarter later stays in the same year ...
    (d,) = dates_in("Der Konzern hatte am 30. Juli Zahlen vorgelegt.", published)
    assert d["value_date"] == date(2025, 7, 30)
    # ... and a past sentence about a date just after publication is last year's.
    (d,) = dates_in("Am 2. November hatte der Konzern gewarnt.", published)
    assert d["value_date"] == date(2024, 11, 2)
    # Without a tense cue the nearest year stays the rule.
    (d,) = dates_in("Der Termin: 30. April.", published)
    assert d["value_date"] == date(2025, 4, 30)


def test_numeric_and_iso_dates() -> None:
    found = dates_in("Stichtag 21.11.2025, Zahlung 2026-01-15.", None)
    assert [d["value_date"] for d in found] == [date(2025, 11, 21), date(2026, 1, 15)]


def test_impossible_date_is_dropped_not_an_error() -> None:
    assert dates_in("Am 31. April 2026 passiert nichts.", None) == []


def frame(**cols: list) -> pl.LazyFrame:
    schema = {
        "raw_text": pl.String,
        "boilerplate": pl.String,
        "file_name": pl.String,
        "modified_at": pl.Datetime("us"),
        "record_published": pl.String,
    }
    cols.setdefault("record_published", [None] * len(cols["raw_text"]))
    return pl.DataFrame(cols, schema=schema).lazy()


def test_publication_date_methods_in_order_of_trust() -> None:
    mtime = datetime(2026, 3, 1, 8, 0)
    result = infer_published_date(
        frame(
            raw_text=["Veröffentlicht am 02.01.2026\nText", "Text", "Text", "Text"],
            boilerplate=["", "", "Neue Analyse vom 21. November liefert", ""],
            file_name=["2025-12-01_a.txt", "2025-12-01_b.txt", "c.txt", "d.txt"],
            modified_at=[mtime] * 4,
        )
    ).collect()
    assert result["published_date"].to_list() == [
        date(2026, 1, 2),
        date(2025, 12, 1),
        date(2025, 11, 21),  # the latest 21 November not after the file's mtime
        None,
    ]
    assert result["published_date_method"].to_list() == [
        "dateline",
        "file_name",
        "teaser_day_month+file_mtime_year",
        None,
    ]
    assert result["published_date_note"][3].startswith("no dateline")


def test_weekdays_are_days_of_the_publication_week() -> None:
    tuesday = date(2025, 12, 9)
    cases = {
        # Present tense names the coming day, the simple past the one before.
        "Am Donnerstag legt Broadcom die Zahlen vor.": date(2025, 12, 11),
        "Die Aktie verlor am Mittwoch 2 Prozent.": date(2025, 12, 3),
        "Die Aktie schloss am Dienstag im Plus.": tuesday,
        # The words win over the tense.
        "Kommenden Montag beginnt die Messe.": date(2025, 12, 15),
        "Vergangenen Freitag wurde der Vertrag unterzeichnet.": date(2025, 12, 5),
    }
    found = {text: [d["value_date"] for d in dates_in(text, tuesday)] for text in cases}
    assert found == {text: [day] for text, day in cases.items()}
    # A weekday beside its calendar date adds no second date.
    both = dates_in("Am Donnerstag, dem 11. Dezember, tagt der Rat.", tuesday)
    assert [(d["surface"], d["value_date"]) for d in both] == [("11. Dezember", date(2025, 12, 11))]


def test_date_prefilters_cover_every_date_pattern() -> None:
    """extract_dates searches only sentences whose shadow holds a digit before a dot or a
    dash, or a weekday's name: sound only if every match of each pattern does."""
    from finnews.asciify import asciify_pattern
    from finnews.extract.dates import ISO_DATE, NUMERIC_DATE, TEXT_DATE, WEEKDAY_DATE, WEEKDAYS
    from finnews.rules.anchors import covered

    assert covered(asciify_pattern(WEEKDAY_DATE), WEEKDAYS)
    # Each numbered pattern opens with a mandatory digit group right before "." or "-"
    # (nothing before it is optional), so every match holds a match of NUMBERED_ANCHOR.
    assert TEXT_DATE.startswith(r"\b(?P<day>\d{1,2})\.")
    assert NUMERIC_DATE.startswith(r"\b(?P<day>\d{1,2})\.")
    assert ISO_DATE.startswith(r"\b(?P<year>(?:19|20)\d{2})-")


def test_date_prefilter_keeps_every_date() -> None:
    text = (
        "Am Donnerstag, dem 11. Dezember, und am 21.11.2025 sowie am 2026-02-19 tagt man; "
        "kommenden Montag auch, ebenso am 18. oder 19. März."
    )
    found = dates_in(text, date(2025, 11, 1))
    assert {d["value_date"] for d in found} >= {
        date(2025, 12, 11), date(2025, 11, 21), date(2026, 2, 19), date(2026, 3, 18),
    }  # fmt: skip
