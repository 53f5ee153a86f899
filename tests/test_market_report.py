"""A market report and other figures without an obvious company: index levels, stakes held,
losses, write-downs, years that look like counts. Sentences written for these tests."""

from __future__ import annotations

import datetime

import polars as pl
import pytest

from tests.helpers import extract_texts

REPORT = (
    "Der Dax schloss am Freitag 0,6 Prozent höher bei 24.310 Punkten. "
    "Papiere von BMW verloren 2,4 Prozent, Porsche 1,9 Prozent. "
    "Die Siemens-Aktie zählte mit einem Plus von 3,1 Prozent zu den größten Gewinnern im Dax. "
    "Die Allianz erreichte mit 371,20 Euro ein Rekordhoch."
)
OTHERS = {
    "stake": "Der Staat hält seit dem Sommer rund 10 Prozent der Anteile an Intel.",
    "stake_bought": "Nvidia erwirbt für 1 Milliarde Dollar knapp 3 Prozent der Anteile an Intel.",
    "writedown": "Wegen einer Abschreibung von 2,3 Milliarden Euro sank der Gewinn von BASF.",
    "users": "Täglich nutzten im Schnitt 416 Millionen Menschen die App von Kuaishou.",
    "year": "Bis Ende 2026 sollen Kunden von Li Auto in acht Ländern bestellen können.",
    "some": "Das Projekt von Heidelberg Materials kostete mehrere hundert Millionen Euro.",
    "rsi": "Die SAP-Aktie fiel auf 201 Euro. Der RSI liegt bei 38 Punkten.",
    "wall_street": "Der Nasdaq 100 gewann 1,3 Prozent auf 25.862 Punkte. Am Ölmarkt fiel der "
    "Preis für ein Barrel der Nordseesorte Brent um 1,1 Prozent auf 63,80 Dollar.",
    "oil": "Die Siemens-Aktie stieg um 1 Prozent. Der Ölpreis stieg um 2 Prozent.",
    "conversion": "Der Gewinn von Samsung betrug 8,31 Billionen Won (rund 6,74 Milliarden Euro), "
    "der Umsatz 59 Billionen Won.",
    "total": "Die Kommission verhängte gegen BASF, Bayer und Henkel Strafen von insgesamt "
    "2 Milliarden Euro. BASF allein zahlt 900 Millionen Euro.",
    "zurich": "Die Aktie von Roche fiel um 2 Prozent. Der SMI schloss 0,3 Prozent tiefer. "
    "Seit Jahresbeginn stieg der Index um 4,1 Prozent.",
    "hk": "Besonders deutlich gaben Alibaba mit 3,1 Prozent und Tencent mit 2,2 Prozent nach. "
    "Die Vorzugsaktie von Sartorius sprang um 8,4 Prozent auf 251,60 Euro. "
    "Siemens will rund 30 Prozent der Healthineers-Aktien an die Aktionäre abspalten.",
    "segments": "Während die Marke Nivea von Beiersdorf um 3,9 Prozent zulegte, brachen die "
    "Erlöse der Luxusmarke La Prairie um 9,3 Prozent ein. Im Klebstoffgeschäft ging der "
    "Umsatz um 0,6 Prozent zurück. Das Spielegeschäft legte um gut 11 Prozent zu, getragen "
    "vom Titel Marvel Rivals.",
}


@pytest.fixture(scope="module")
def figures() -> pl.DataFrame:
    found = extract_texts({"report": REPORT, **OTHERS}, datetime.date(2026, 1, 9)).figures
    return found.select("article_id", "surface", "value", "unit", "metric_type", "company_id")


def _rows(figures: pl.DataFrame, article: str) -> list[tuple]:
    rows = figures.filter(pl.col("article_id") == article).drop("article_id")
    return sorted(rows.rows(), key=str)


def test_an_index_level_is_its_points_and_no_company(figures: pl.DataFrame) -> None:
    rows = _rows(figures, "report")
    assert ("24.310 Punkten", 24310.0, "index_points", "macro_indicator", None) in rows
    assert ("0,6 Prozent", 0.6, "percent", "price_change", None) in rows
    # Shares named in the report keep their companies; a share "im Dax" is the share's.
    assert ("1,9 Prozent", -1.9, "percent", "price_change", "porsche") in rows
    assert ("3,1 Prozent", 3.1, "percent", "price_change", "siemens") in rows
    assert ("371,20 Euro", 371.2, "EUR", "share_price", "allianz") in rows


def test_stakes_in_percent_are_stake_shares(figures: pl.DataFrame) -> None:
    assert [r[3] for r in _rows(figures, "stake")] == ["stake_share"]
    assert [(r[0], r[3]) for r in _rows(figures, "stake_bought")] == [
        ("1 Milliarde Dollar", "stake_purchase"),
        ("knapp 3 Prozent", "stake_share"),
    ]


def test_write_downs_are_costs_and_app_users_users(figures: pl.DataFrame) -> None:
    assert [r[3] for r in _rows(figures, "writedown")] == ["costs"]
    assert [r[3] for r in _rows(figures, "users")] == ["users"]


def test_years_and_vague_magnitudes_are_no_numbers(figures: pl.DataFrame) -> None:
    # "2026" before "sollen Kunden" is a year, "acht Ländern" the only count.
    assert [(r[0], r[2]) for r in _rows(figures, "year")] == [("acht Ländern", "count")]
    assert [(r[0], r[1], r[2]) for r in _rows(figures, "some")] == [
        ("mehrere hundert Millionen Euro", None, "qualitative")
    ]
    # An RSI reading in points is read once, as the RSI.
    assert [(r[0], r[3]) for r in _rows(figures, "rsi")] == [
        ("201 Euro", "share_price"),
        ("38", "rsi"),
    ]


def test_index_moves_and_commodity_prices_belong_to_no_company(figures: pl.DataFrame) -> None:
    assert _rows(figures, "wall_street") == sorted(
        [
            ("1,3 Prozent", 1.3, "percent", "price_change", None),
            ("25.862 Punkte", 25862.0, "index_points", "macro_indicator", None),
            ("1,1 Prozent", -1.1, "percent", "macro_indicator", None),
            ("63,80 Dollar", 63.8, "USD", "macro_indicator", None),
        ],
        key=str,
    )  # ("ein Barrel" is no count of one.)


def test_a_converted_amount_in_brackets_states_the_same_measure(figures: pl.DataFrame) -> None:
    assert [(r[0], r[3], r[4]) for r in _rows(figures, "conversion")] == [
        ("59 Billionen Won", "revenue", "samsung"),
        ("8,31 Billionen Won", "profit", "samsung"),
        ("rund 6,74 Milliarden Euro", "profit", "samsung"),
    ]


def test_a_total_over_several_companies_is_none_of_theirs(figures: pl.DataFrame) -> None:
    assert [(r[0], r[4]) for r in _rows(figures, "total")] == [
        ("2 Milliarden Euro", None),
        ("900 Millionen Euro", "basf"),
    ]


def test_swiss_and_generic_index_moves_belong_to_no_company(figures: pl.DataFrame) -> None:
    assert [(r[0], r[4]) for r in _rows(figures, "zurich")] == [
        ("0,3 Prozent", None),
        ("2 Prozent", "roche"),
        ("4,1 Prozent", None),
    ]


def test_brands_and_businesses_grow_as_segments(figures: pl.DataFrame) -> None:
    assert [(r[0], r[1], r[3]) for r in _rows(figures, "segments")] == sorted(
        [
            ("3,9 Prozent", 3.9, "segment_growth"),
            ("9,3 Prozent", -9.3, "segment_growth"),
            ("0,6 Prozent", -0.6, "segment_growth"),
            ("gut 11 Prozent", 11.0, "segment_growth"),
        ],
        key=str,
    )


def test_market_report_moves_preferred_shares_and_stakes_spun_off(figures: pl.DataFrame) -> None:
    assert _rows(figures, "hk") == sorted(
        [
            ("3,1 Prozent", -3.1, "percent", "price_change", "alibaba"),
            ("2,2 Prozent", -2.2, "percent", "price_change", "tencent"),
            ("8,4 Prozent", 8.4, "percent", "price_change", "sartorius"),
            ("251,60 Euro", 251.6, "EUR", "share_price", "sartorius"),
            ("rund 30 Prozent", 30.0, "percent", "stake_share", "siemens"),
        ],
        key=str,
    )


def test_a_commodity_with_an_umlaut_belongs_to_no_company(figures: pl.DataFrame) -> None:
    assert _rows(figures, "oil") == [
        ("1 Prozent", 1.0, "percent", "price_change", "siemens"),
        ("2 Prozent", 2.0, "percent", "macro_indicator", None),
    ]


def test_one_percent_in_words_and_people_counted() -> None:
    bodies = {
        "index": "Der Dow Jones fällt um gut ein Prozent auf 26.147 Punkte.",
        "share": "Zuletzt lag die Aktie mit rund einem Prozent im Minus.",
        "staff": "Betroffen sind 300 Piloten und 900 Flugbegleiter.",
        "barrel": "Der Preis für ein Barrel stieg um 2 Dollar.",
    }
    rows = extract_texts(bodies, datetime.date(2025, 10, 1)).figures
    found = set(rows.select("article_id", "surface", "value", "unit", "metric_type").iter_rows())
    assert found >= {
        ("index", "gut ein Prozent", -1.0, "percent", "price_change"),
        ("share", "rund einem Prozent", -1.0, "percent", "price_change"),
        # Groups of staff are employees (as the real-text gold labels them).
        ("staff", "300 Piloten", 300.0, "count", "employees"),
        ("staff", "900 Flugbegleiter", 900.0, "count", "employees"),
    }
    # "ein Barrel" stays an article, not a count of one.
    assert not rows.filter(pl.col("article_id") == "barrel")["surface"].str.contains("ein").any()


def test_listed_values_take_the_unit_after_them_and_zero_groups_are_no_figures() -> None:
    bodies = {
        "bzw": "Die Institute erwarten ein Wachstum von 1,6 beziehungsweise 1,5 Prozent.",
        "statt": "Das BIP legte um 0,5 statt 0,4 Prozent zu.",
        "grouped": "Der Dow rutschte unter 25 000 Punkte.",
        "zuvor": "Die Bank nennt einen fairen Wert von 64 nach zuvor 59 Euro.",
    }
    rows = extract_texts(bodies, datetime.date(2025, 10, 1)).figures
    found = {
        (r["article_id"], r["surface"], r["value"], r["unit"]) for r in rows.iter_rows(named=True)
    }
    assert found == {
        ("bzw", "1,6", 1.6, "percent"),
        ("bzw", "1,5 Prozent", 1.5, "percent"),
        ("statt", "0,5", 0.5, "percent"),
        ("statt", "0,4 Prozent", 0.4, "percent"),
        ("zuvor", "64", 64.0, "EUR"),
        ("zuvor", "59 Euro", 59.0, "EUR"),
    }
    for row in rows.iter_rows(named=True):
        assert bodies[row["article_id"]][row["char_start"] : row["char_end"]] == row["surface"]


def test_fractions_in_words_are_percentages_when_they_are_changes() -> None:
    bodies = {
        "fifth": "Der Umsatz stieg um fast ein Fünftel auf 62 Milliarden Dollar.",
        "quarter": "Seitdem hat die Aktie rund ein Viertel an Wert verloren.",
        "most": "Zwei Drittel der Befragten sind zufrieden.",
    }
    rows = extract_texts(bodies, datetime.date(2025, 10, 1)).figures.filter(
        pl.col("unit") == "percent"
    )
    found = {(r["article_id"], r["surface"], r["value"]) for r in rows.iter_rows(named=True)}
    assert found == {("fifth", "fast ein Fünftel", 20.0), ("quarter", "rund ein Viertel", -25.0)}


def test_macro_indicators_belong_to_no_company() -> None:
    body = (
        "Siemens hat den Umsatz um 5 Prozent gesteigert. "
        "Im November wuchsen die Einzelhandelsumsätze um 1,3 Prozent. "
        "Der Ölpreis fiel um 2 Prozent."
    )
    rows = extract_texts({"a": body}, datetime.date(2025, 10, 1)).figures
    subjects = {(r["value"], r["metric_type"], r["company_id"]) for r in rows.iter_rows(named=True)}
    assert subjects == {
        (5.0, "revenue_growth", "siemens"),
        (1.3, "macro_indicator", None),
        (-2.0, "macro_indicator", None),
    }


def test_counts_of_index_members_and_changes_belong_to_no_company() -> None:
    # Team-written: what an index or a dividend season counts is no company's figure.
    body = (
        "Siemens zahlt 3,70 Euro je Aktie. Bei drei Dax-Unternehmen bleibt die Dividende gleich. "
        "Für den 50 Titel umfassenden MDax gibt es 43 erwartete Erhöhungen. "
        "Ab März gibt es zwei Veränderungen im MDax."
    )
    rows = extract_texts({"c": body}, datetime.date(2025, 10, 1)).figures
    counts = rows.filter(pl.col("kind") == "count")
    assert sorted(counts["value"].to_list()) == [2.0, 3.0, 43.0, 50.0]
    assert counts["company_id"].is_null().all()


def test_a_trade_in_the_genitive_speaks_of_the_company_before() -> None:
    # Team-written: "des Leiterplattenherstellers" is the company the sentence before named.
    body = (
        "Gefragt waren Siemens und BASF. Im Fokus stand zudem Infineon. Am Vortag war "
        "der Kurs des Chipherstellers um gut 14 Prozent abgerutscht."
    )
    rows = extract_texts({"t": body}, datetime.date(2025, 10, 1)).figures
    assert rows.select("value", "company_id").rows() == [(-14.0, "infineon")]


def test_a_paragraph_about_a_company_gives_it_the_figures_that_name_none() -> None:
    # A day overview: each paragraph opens with its company; the second is the article's
    # main company by count, yet the first paragraph's figures are Henkel's.
    body = (
        "Tagesüberblick\n\n"
        "Henkel hat im Quartal mehr verdient. Der Umsatz stieg um 2 Prozent.\n\n"
        "Beiersdorf wächst kräftig. Beiersdorf hebt die Prognose an. Die Beiersdorf-Aktie "
        "legte zu. Der Gewinn stieg um 9 Prozent. Das Management von Henkel schweigt.\n"
    )
    one_line = body.replace("\n", " ")
    found = extract_texts({"paras": body, "line": one_line}, datetime.date(2025, 10, 1)).figures
    subjects = {(r["article_id"], r["value"], r["company_id"]) for r in found.iter_rows(named=True)}
    assert subjects == {
        ("paras", 2.0, "henkel"),
        ("paras", 9.0, "beiersdorf"),
        # A text in one line has no paragraphs: the article's main company, as before.
        ("line", 2.0, "beiersdorf"),
        ("line", 9.0, "beiersdorf"),
    }


def test_earlier_values_beside_a_figure_take_its_unit() -> None:
    bodies = {
        "bracket": "Die Bank sieht das Kursziel für Henkel bei 3,30 (zuvor 4) Franken.",
        "since": "Die Quote von Henkel stieg auf 47,2 (Jahresbeginn: 45,1) Prozent.",
        "reversed": "Die Marge von Henkel sank auf 16,5 von 17,4 Prozent.",
        "after": "Der Gewinn je Aktie von Henkel kletterte auf 55 Cent von 50 im Vorjahr.",
    }
    found = extract_texts(bodies, datetime.date(2025, 10, 1)).figures
    values = {(r["article_id"], r["value"], r["unit"]) for r in found.iter_rows(named=True)}
    assert values == {
        ("bracket", 3.3, "CHF"), ("bracket", 4.0, "CHF"),
        ("since", 47.2, "percent"), ("since", 45.1, "percent"),
        # Both levels, though the margin fell: no sign.
        ("reversed", 16.5, "percent"), ("reversed", 17.4, "percent"),
        ("after", 0.55, "EUR"), ("after", 0.5, "EUR"),
    }  # fmt: skip


def test_earnings_per_share_beside_the_profit_is_no_offer() -> None:
    bodies = {
        "or": "Der Nettogewinn von Henkel betrug 2 Milliarden Euro oder 1,10 Euro je Aktie.",
        "estimate": "Die Gewinnschätzungen je Aktie für Henkel liegen bei 2,90 Euro.",
    }
    extraction = extract_texts(bodies, datetime.date(2025, 10, 1))
    found = extraction.figures
    assert set(found.select("article_id", "value", "metric_type").iter_rows()) == {
        ("or", 2e9, "profit"), ("or", 1.1, "eps"), ("estimate", 2.9, "eps"),
    }  # fmt: skip
    # An offer price would evidence a takeover; earnings per share do not.
    assert "merger_acquisition" not in set(extraction.events["event_type"])


def test_directors_dealings_in_sum_are_no_single_company_s() -> None:
    # Team-written: an insider report about one company, with the totals of all insiders.
    body = (
        "Der Henkel-Chef hat Aktien von Henkel gekauft.\n"
        "Deutschlands Vorstände und Aufsichtsräte haben im Jahr für fast 500 Millionen Euro "
        "Aktien der eigenen Unternehmen gekauft.\n"
        "Insgesamt haben die Top-Manager für 482 Millionen Euro Aktien erworben.\n"
        "Henkel zahlt eine Dividende von 1,85 Euro."
    )
    found = extract_texts({"i": body}, datetime.date(2025, 10, 1)).figures
    assert found.select("value", "company_id").rows() == [
        (5e8, None), (4.82e8, None), (1.85, "henkel"),
    ]  # fmt: skip


def test_a_company_named_once_late_in_a_long_text_is_not_its_main_company() -> None:
    # Team-written: a tax report that names a platform once, in its last sentence.
    body = (
        "Die Gemeinden des Landes klagen über Ausfälle bei der Ortstaxe für Ferienwohnungen. "
        "Nach Schätzungen der Finanzverwaltung fehlen ihnen jedes Jahr mehr als 9 Millionen "
        "Euro, weil viele Vermieter ihre Einnahmen nicht melden und die Kontrollen selten "
        "sind. Die Landesregierung will die Meldepflicht deshalb verschärfen und prüft "
        "strengere Strafen für säumige Vermieter in den Tourismusregionen. "
        "Gespräche mit Airbnb laufen."
    )
    found = extract_texts({"t": body}, datetime.date(2025, 10, 1)).figures
    assert found.select("value", "company_id").rows() == [(9e6, None)]
    # Named early, the company is the text's subject.
    short = "Airbnb meldet mehr Buchungen. Der Umsatz stieg auf 3 Milliarden Dollar."
    found = extract_texts({"s": short}, datetime.date(2025, 10, 1)).figures
    assert found.select("value", "company_id").rows() == [(3e9, "airbnb")]


def test_a_paragraph_subject_after_a_fronted_phrase_and_its_verb() -> None:
    # Team-written: the second paragraph names its company after "Nach ... hat der".
    body = (
        "Versorger im Halbjahr\n\n"
        "Die EnBW steigerte den Umsatz deutlich. Der Gewinn legte um 20 Prozent zu. "
        "Die EnBW bleibt vorsichtig. Die EnBW investiert weiter.\n\n"
        "Nach einem starken Halbjahr hat der Versorger RWE die Prognose angehoben. "
        "Der Nettogewinn stieg um 150 Prozent.\n"
    )
    found = extract_texts({"v": body}, datetime.date(2025, 10, 1)).figures
    assert found.select("value", "company_id").rows() == [(20.0, "enbw"), (150.0, "rwe")]


def test_a_company_name_before_a_move_verb_is_its_share_moving() -> None:
    bodies = {
        "share": "Nestlé gewann. Helvetia stieg um 0,5 Prozent. Zurich Insurance sanken 0,7 Prozent.",
        # A thing that grows takes an article; it stays the company's segment growth.
        "segment": "Bei Siemens stieg der Umsatz. Die Nachfrage stieg um 9 Prozent.",
    }
    found = extract_texts(bodies, datetime.date(2025, 10, 1)).figures
    assert set(found.select("article_id", "value", "metric_type", "company_id").iter_rows()) == {
        ("share", 0.5, "price_change", "helvetia"),
        ("share", -0.7, "price_change", "zurich_insurance"),
        ("segment", 9.0, "segment_growth", "siemens"),
    }


def test_a_sentence_opened_by_the_company_s_trade_speaks_of_the_one_before() -> None:
    # Team-written: a market report; the insurer of the second sentence is Helvetia.
    body = (
        "Im SMI legte Nestlé zu, Nestlé war gefragt. Helvetia stieg um 0,5 Prozent. "
        "Der Versicherer hat den Halbjahresgewinn um 9,8 Prozent gesteigert."
    )
    found = extract_texts({"m": body}, datetime.date(2025, 10, 1)).figures
    assert found.select("value", "company_id").rows() == [(0.5, "helvetia"), (9.8, "helvetia")]


def test_a_share_move_before_its_company_is_the_company_named_after_it() -> None:
    # Team-written: a year review that gives the move first and the company after it.
    body = (
        "Der Leitindex schloss das Jahr mit einem Plus.\n"
        "48,5 Prozent legte die Aktie des Papierherstellers Mondi heuer zu.\n"
        "Auf der Verliererseite lag mit einem Minus von 3,2 Prozent die Lufthansa.\n"
        "Der Umsatz stieg um 5 Prozent, mehr als bei BMW."
    )
    found = extract_texts({"y": body}, datetime.date(2025, 10, 1)).figures
    rows = found.select("value", "company_id").rows()
    assert rows[:2] == [(48.5, "mondi"), (-3.2, "lufthansa")]
    # Only a share's move or price: revenue growth is not the company it is compared with.
    assert rows[2][0] == 5.0 and rows[2][1] != "bmw"


def test_a_company_named_twice_in_one_late_sentence_is_not_the_main_company() -> None:
    # Team-written: an overview of many companies names one, with its brand, once and late.
    body = (
        "Die Rückkäufe der großen Konzerne erreichen einen Rekord. Nach Berechnungen von "
        "Beobachtern nehmen die Unternehmen in diesem Jahr für etwa 20 Milliarden Euro eigene "
        "Aktien vom Markt. Viele Programme laufen über mehrere Jahre und werden in Tranchen "
        "abgewickelt, die Volumen unterscheiden sich stark von Konzern zu Konzern. Einige "
        "Vorstände sehen darin die beste Verwendung ihrer überschüssigen Mittel. "
        "Das größte Programm läuft bei der Deutschen Post (DHL)."
    )
    found = extract_texts({"b": body}, datetime.date(2025, 10, 1)).figures
    assert found.select("value", "company_id").rows() == [(2e10, None)]


def test_an_analyst_note_s_only_company_is_its_main_one_though_named_once_late() -> None:
    # Team-written: two brokers' targets first, the rated company named once, late.
    body = (
        "Die Analysten werden optimistischer. Die Deutsche Bank hob ihr Kursziel von 50 auf "
        "56 Euro an, die DZ Bank erhöhte ihr Kursziel auf 58 Euro. Beide loben das starke "
        "Geschäft mit Laufschuhen und die vollen Auftragsbücher des Handels für das Frühjahr. "
        "Die Risiken aus Zöllen und dem schwachen Dollar seien eingepreist, heißt es. "
        "Schon im Januar hatte Berenberg die Aktie von Puma zum Kauf empfohlen."
    )
    found = extract_texts({"n": body}, datetime.date(2025, 10, 1)).figures
    assert found.select("value", "company_id").rows() == [
        (50.0, "puma"), (56.0, "puma"), (58.0, "puma"),
    ]  # fmt: skip
    # Without a broker it is a newspaper's aside: the text keeps no main company.
    aside = body.replace("Die Deutsche Bank", "Ein Fonds").replace("die DZ Bank", "ein zweiter")
    aside = aside.replace("Berenberg", "ein Händler")
    found = extract_texts({"a": aside}, datetime.date(2025, 10, 1)).figures
    assert set(found["company_id"].to_list()) == {None}


def test_an_organisation_outside_the_seed_named_in_three_sentences_is_the_main_company() -> None:
    # Team-written: a broker's note on a small cap outside the seed, named first after a
    # long introduction; one seed company is named once, as its customer.
    body = (
        "Die Analysten am Schweizer Markt werden vorsichtiger, immer mehr Kursziele sinken. "
        "Am Morgen trafen gleich mehrere Senkungen ein, fast alle nach den Zahlen der "
        "vergangenen Tage. Das überrascht nicht, der Bedarf an Anpassungen ist gross. "
        "Besonders deutlich fiel der Schritt bei einem Titel aus, der lange als sicher galt.\n"
        "Sensorik AG im Visier\n"
        "Sensorik AG liefert Sensoren an Apple. Die UBS senkt ihr Kursziel auf 40 Franken. "
        "Sie rechnet mit schwächeren Margen. Bei Sensorik AG sei die Lage unklar.\n"
        "Seit Jahresbeginn hat die Aktie 30 Prozent verloren."
    )
    found = extract_texts({"s": body}, datetime.date(2025, 10, 1)).figures
    assert found.select("value", "company_id").rows() == [(40.0, "sensorik"), (-30.0, "sensorik")]


def test_a_sentence_opened_by_a_pronoun_speaks_of_the_company_before() -> None:
    # Team-written: a Vienna close; the second share is named, then moved by "Sie".
    body = (
        "Die Wertpapiere des Verbund verloren 0,13 Prozent. Ebenfalls gefragt waren die "
        "Wertpapiere der Addiko Bank. Sie legten um 2,72 Prozent zu."
    )
    found = extract_texts({"w": body}, datetime.date(2025, 10, 1)).figures
    assert found.select("value", "metric_type", "company_id").rows() == [
        (-0.13, "price_change", "verbund"), (2.72, "price_change", "addiko_bank"),
    ]  # fmt: skip


def test_the_share_of_a_trade_with_its_adjective_is_the_company_before() -> None:
    # Team-written: the steelmaker is named, then its shares by trade and adjective.
    body = (
        "Der Verbund stieg um 0,5 Prozent, der Verbund war gefragt. "
        "Mit Aufschlägen schlossen dagegen voestalpine. "
        "Die Aktien des heimischen Stahlgiganten legten um 2,69 Prozent zu."
    )
    found = extract_texts({"v": body}, datetime.date(2025, 10, 1)).figures
    assert found.select("value", "company_id").rows()[-1] == (2.69, "voestalpine")


def test_a_company_named_beside_the_subject_is_neither_subject_nor_actor() -> None:
    # Team-written: a late-trading note that names another falling share first.
    body = (
        "Neben Puma gerät heute auch Sartorius nachbörslich unter Druck. Auslöser waren neue "
        "Quartalszahlen. Die erste Reaktion: ein Minus von rund fünf Prozent.\n"
        "Sartorius hat den Umsatz gesteigert.\n"
        "Der Konzern bleibt vorsichtig."
    )
    extraction = extract_texts({"n": body}, datetime.date(2025, 10, 1))
    assert extraction.figures.select("value", "company_id").rows() == [(-5.0, "sartorius")]
    releases = extraction.events.filter(pl.col("event_type") == "earnings_release")
    assert set(releases["company_id"]) == {"sartorius"}
