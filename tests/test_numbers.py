"""German number grammar, on examples written for these tests."""

from __future__ import annotations

import datetime

import polars as pl
import pytest

from finnews.numbers import FIGURE, german_number, normalize_figures
from finnews.spans import find_spans
from tests.helpers import extract_texts


def figures_of(text: str) -> list[dict]:
    frame = pl.DataFrame({"doc": [1], "text": [text]})
    return normalize_figures(find_spans(frame, "text", FIGURE, ["doc"])).collect().to_dicts()


def only_figure(text: str) -> dict:
    found = figures_of(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Die Inflation lag zuletzt bei 1,3 Prozent.", 1.3, "percent"),
        ("Der Umsatz erreichte 247,8 Milliarden Yuan im Quartal.", 247.8e9, "CNY"),
        ("Der Konzern zahlt 431 Millionen US-Dollar für die Kampagne.", 4.31e8, "USD"),
        ("Das Papier schloss bei 134,60 Euro.", 134.60, "EUR"),
        ("Geplant sind bis zu vier Billionen Dollar weltweit.", 4e12, "USD"),
        ("Die Sparte setzte 3,5 Mrd. Euro um.", 3.5e9, "EUR"),
        ("Der Chipkonzern meldet 12 Mio. Dollar Gewinn.", 12e6, "USD"),
        ("Ein Aufschlag von 2,5 Prozentpunkten.", 2.5, "percentage_points"),
        ("Die Tochter ist 1.250,5 Millionen Euro wert.", 1250.5e6, "EUR"),
        ("Der Kurs fiel um 5 %.", 5.0, "percent"),
        ("Anteile für 80 HK-Dollar.", 80.0, "HKD"),
        # Swiss thousands apostrophes, scales without the dot or as "Mill.", sub-units.
        ("Der Index schloss bei 12'374,10 Punkten.", 12374.1, "index_points"),
        ("Der Gewinn lag bei 200’000 Franken.", 200000.0, "CHF"),
        ("Die Buße betrug 753 Mill. Euro.", 753e6, "EUR"),
        ("Der Konzern nimmt 30 Mrd Euro auf.", 30e9, "EUR"),
        ("Die Dividende steigt auf 68 Cent je Aktie.", 0.68, "EUR"),
        ("Die Aktie schloss bei 95 Rappen.", 0.95, "CHF"),
        ("Es droht mehr als eine halbe Million Euro Bußgeld.", 5e5, "EUR"),
        ("Die Arbeitgeber zahlen einen 0,45-prozentigen Zuschlag.", 0.45, "percent"),
    ],
)
def test_amounts_percentages_and_scales(text: str, value: float, unit: str) -> None:
    fig = only_figure(text)
    assert fig["value"] == pytest.approx(value)
    assert fig["unit"] == unit
    assert text[fig["char_start"] : fig["char_end"]] == fig["surface"]


def test_thousands_dot_is_not_a_decimal_point() -> None:
    values = pl.DataFrame({"n": ["20.000", "1.250,5", "134,60", "7", "zwei"]}).select(
        german_number(pl.col("n"))
    )
    assert values.to_series().to_list() == [20000.0, 1250.5, 134.6, 7.0, 2.0]


def test_scaled_decimals_are_exact() -> None:
    # 32.2 * 1e9 == 32200000000.000004 in floating point; the figure must not carry that.
    assert only_figure("Der Umsatz lag bei 32,2 Milliarden Euro.")["value"] == 32_200_000_000.0
    assert only_figure("Erlöse von 247,8 Milliarden Yuan.")["value"] == 247_800_000_000.0
    assert only_figure("Ein Auftrag über 1,15 Millionen Euro.")["value"] == 1_150_000.0


def test_count_with_adjective_and_compound_noun() -> None:
    fig = only_figure("Geplant sind mehr als 20.000 autonome Lieferfahrzeuge in China.")
    assert fig["kind"] == "count"
    assert fig["value"] == 20000
    assert fig["count_noun"] == "Lieferfahrzeuge"
    assert fig["qualifier"] == "mehr als"


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Die Aktie kostet rund 147 Euro.", "rund"),
        ("Das Plus beträgt knapp 3 Prozent.", "knapp"),
        ("Ein Minus von gut 7 Prozent.", "gut"),
        ("Über 600 Millionen Downloads.", "über"),
    ],
)
def test_qualifiers_are_kept_lower_case(text: str, qualifier: str) -> None:
    assert only_figure(text)["qualifier"] == qualifier


def test_bare_numbers_years_and_ordinals_are_not_figures() -> None:
    # The year and the ordinal are no figures; what a number counts is ("3 Gäste").
    found = figures_of("Im Jahr 2026 am 19. Februar kamen 3 Gäste, vor drei Jahren keine.")
    assert [(f["surface"], f["kind"]) for f in found] == [("3 Gäste", "count")]
    assert figures_of("Seit 2019 Chef, rechnet er in 12 Monaten mit Gewinnen.") == []


def test_number_word_before_hyphenated_scale_is_not_a_figure() -> None:
    assert figures_of("Mit einer Milliarden-Fusion überraschte der Konzern.") == []
    # "half" without a scale is no figure either.
    assert figures_of("Die halbe Belegschaft streikt eine halbe Stunde lang.") == []


def test_number_word_with_a_scale_is_a_figure() -> None:
    # A scale word ends at a word boundary: "milliardenschwer" holds no figure.
    assert figures_of("Trotz einer milliardenschweren Last blieb es ruhig.") == []
    found = only_figure("Der Fonds hat Schulden von fast drei Milliarden.")
    assert (found["surface"], found["value"]) == ("fast drei Milliarden", 3e9)


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("Die Notenbank zieht den 500-Euro-Schein ein.", "500-Euro", 500.0, "EUR"),
        ("Der Index fiel unter die 13.000-Punkte-Marke.", "13.000-Punkte", 13000.0, "index_points"),
        (
            "Seit der 10-Milliarden-Dollar-Emission war keine größer.",
            "10-Milliarden-Dollar",
            1e10,
            "USD",
        ),
        ("Geplant ist eine Sanierung mit 20-Prozent-Quote.", "20-Prozent", 20.0, "percent"),
    ],
)
def test_a_compound_joins_number_scale_and_unit(
    text: str, surface: str, value: float, unit: str
) -> None:
    found = only_figure(text)
    assert (found["surface"], found["value"], found["unit"]) == (surface, value, unit)


def test_a_digit_figure_before_a_compound_ends_at_its_scale() -> None:
    text = "Ein 3 Milliarden-Deal war geplant."
    found = only_figure(text)
    assert (found["surface"], found["value"]) == ("3 Milliarden", 3e9)
    assert text[found["char_start"] : found["char_end"]] == found["surface"]


def test_offsets_are_characters_not_bytes() -> None:
    text = "Größere Ausschüttung: Übernahme für 2,1 Milliarden Euro, später 5 Prozent."
    found = figures_of(text)
    assert [f["surface"] for f in found] == ["2,1 Milliarden Euro", "5 Prozent"]
    for f in found:
        assert text[f["char_start"] : f["char_end"]] == f["surface"]


def test_a_bare_scaled_number_takes_its_articles_currency() -> None:
    # Economy pages name the currency once: "rund 300 Millionen" after euro amounts is money;
    # something counted after it or named before it stays a count; no currency, no money.
    texts = {
        "money.txt": "Das Budget sieht 800 Millionen Euro vor. Für 2026 kommen rund 300 "
        "Millionen an Mehrkosten hinzu. Der Konzern verkaufte 2 Millionen Geräte. Die Zahl "
        "der Kunden stieg auf 4,5 Millionen.",
        "none.txt": "Die Gemeinde zählt rund 300 Millionen an Besuchen.",
    }
    figures = extract_texts(texts, datetime.date(2026, 1, 1)).figures
    rows = {
        (r["article_id"].split(":")[0], r["value"]): (r["kind"], r["unit"])
        for r in figures.iter_rows(named=True)
    }
    assert rows[("money.txt", 300e6)] == ("amount", "EUR")
    assert rows[("money.txt", 2e6)] == ("count", "count")
    assert rows[("money.txt", 4.5e6)] == ("count", "count")
    assert rows[("none.txt", 300e6)] == ("count", "count")


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("Die Strecke misst 20 Kilometer bis zur Grenze.", "20 Kilometer", 20.0),
        ("Der Verbrauch liegt bei 300 Kilo pro Kopf.", "300 Kilo", 300.0),
        ("Der Motor hat zwei Litern Hubraum zu wenig.", "zwei Litern", 2.0),
        ("Das Archiv umfasst 3,62 Gigabyte an Akten.", "3,62 Gigabyte", 3.62),
    ],
)
def test_units_of_measure_are_counts(text: str, surface: str, value: float) -> None:
    found = only_figure(text)
    assert (found["surface"], found["kind"], found["value"]) == (surface, "count", value)


def test_rsi_anchors_cover_every_rsi_match():
    """The RSI finder searches only sentences whose shadow holds an anchor: sound only if
    no match can do without one (proved on the pattern as it runs on the shadow)."""
    from finnews.asciify import asciify_pattern
    from finnews.extract.figures import RSI_ANCHORS
    from finnews.numbers import RSI
    from finnews.rules.anchors import covered

    assert covered(asciify_pattern(RSI), RSI_ANCHORS)
    assert not covered(asciify_pattern(RSI), ["RSI"])  # the proof is not vacuous


def test_find_spans_prefilter_keeps_offsets() -> None:
    """With a shadow column, find_spans drops texts without a match before locating the
    matches: the spans (offsets, surfaces, groups) are those found without the filter."""
    from finnews.asciify import asciify

    texts = [
        "Kein Betrag hier.",
        "Der Umsatz stieg um 5 Prozent auf 3,2 Mrd. Euro.",
        "",
        None,
        "Nichts.",
        "Übernahme für 550 Millionen Euro, davon 12 Prozent in bar.",
        "Straße ohne Zahl",
    ]
    frame = pl.DataFrame({"id": list(range(len(texts))), "text": texts}).with_columns(
        asciify(pl.col("text")).alias("shadow")
    )
    filtered = find_spans(frame, "text", FIGURE, ["id"], shadow_col="shadow").collect()
    unfiltered = find_spans(frame, "text", FIGURE, ["id"]).collect()
    assert filtered.height == 4
    assert filtered.equals(unfiltered)
    for row in filtered.iter_rows(named=True):
        assert texts[row["id"]][row["char_start"] : row["char_end"]] == row["surface"]
