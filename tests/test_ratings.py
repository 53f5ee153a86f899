"""The analyst's reading of rating events (extract/ratings.py, rules/ratings.yaml): the
broker, the action, the rating word and its normalised rating, the targets; and brokers
acting as analysts are never the rated company's subject or actor."""

from __future__ import annotations

import datetime
from pathlib import Path

import polars as pl
import pytest

from finnews.extract.ratings import vocabulary
from finnews.rules import RuleError, load_rules
from tests.helpers import extract_texts

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["company_id", "broker", "broker_company_id", "rating_action", "rating_word", "rating",
           "price_target", "previous_target", "target_currency"]  # fmt: skip


def _ratings(body: str) -> list[tuple]:
    events = extract_texts({"r": body}, datetime.date(2025, 11, 25)).events
    return events.filter(pl.col("event_type") == "analyst_rating").select(COLUMNS).rows()


def test_upgrade_with_old_and_new_target() -> None:
    body = (
        'Die Deutsche Bank hat Siemens von "Hold" auf "Buy" hochgestuft und das Kursziel '
        "von 150 auf 180 Euro angehoben."
    )
    assert _ratings(body) == [
        ("siemens", "Deutsche Bank", "deutsche_bank", "upgrade", "buy", "buy", 180.0, 150.0, "EUR")
    ]


def test_target_change_with_the_rating_kept_in_a_headline() -> None:
    body = "Commerzbank hebt Ziel für SAP auf 200 Euro - 'Halten'."
    assert _ratings(body) == [
        ("sap", "Commerzbank", "commerzbank", "target_change", "halten", "hold", 200.0, None, "EUR")
    ]


def test_downgrade_by_a_broker_outside_the_seed() -> None:
    # Berenberg is in the brokers list, not in the company seed: its name is kept.
    body = 'Berenberg senkt Infineon auf "Sell".'
    ((company, broker, broker_id, action, word, rating, *_),) = _ratings(body)
    assert (company, broker, action, word, rating) == (
        "infineon",
        "Berenberg",
        "downgrade",
        "sell",
        "sell",
    )


def test_recommendation_noun_and_confirmation() -> None:
    body = "Die Analysten der UBS bestätigen ihre Kaufempfehlung für Allianz."
    ((company, broker, _, action, word, rating, *_),) = _ratings(body)
    assert (company, broker, action, word, rating) == (
        "allianz",
        "UBS",
        "confirm",
        "kaufempfehlung",
        "buy",
    )


def test_a_broker_is_never_the_subject_of_the_rated_company_figures() -> None:
    body = "Goldman Sachs hat das Kursziel für BASF auf 55 Euro gesenkt."
    figures = extract_texts({"g": body}, datetime.date(2025, 11, 25)).figures
    assert figures.select("metric_type", "company_id").rows() == [("price_target", "basf")]


def test_a_broker_in_a_hyphenated_analyst_compound_is_the_analyst() -> None:
    # Team-written: "DZ-Bank-Analyst" names the broker; "Commerzbank-Aktie" the bank's share.
    body = (
        "Die Aktie der Beispiel AG stieg auf ein Rekordhoch. DZ-Bank-Analyst Max Muster hält "
        "die Aktie für zu teuer. Er errechnet einen fairen Wert von 80 nach zuvor 73 Euro."
    )
    figures = extract_texts({"d": body}, datetime.date(2025, 11, 25)).figures
    targets = figures.filter(pl.col("metric_type") == "price_target")
    assert "dz_bank" not in set(targets["company_id"])
    share = "Analyst Max Muster sieht die Commerzbank-Aktie bei 30 Euro. Die Commerzbank-Aktie stieg um 2 Prozent."
    moves = extract_texts({"c": share}, datetime.date(2025, 11, 25)).figures
    assert ("price_change", "commerzbank") in moves.select("metric_type", "company_id").rows()


def test_a_swiss_cantonal_bank_rating_a_company_is_its_analyst() -> None:
    body = "Die Basler Kantonalbank senkt das Kursziel für Ascom auf 10 Franken."
    figures = extract_texts({"b": body}, datetime.date(2025, 11, 25)).figures
    assert figures.select("metric_type", "company_id").rows() == [("price_target", "ascom")]


def test_an_investment_house_commenting_is_no_actor() -> None:
    body = "Vom Investmenthaus Oddo BHF hieß es, die Gewinnwarnung von Siemens Energy sei zu viel."
    events = extract_texts({"o": body}, datetime.date(2025, 11, 25)).events
    assert set(events["company_id"]) == {"siemens_energy"}


def test_a_bank_s_expert_commenting_is_no_actor() -> None:
    # Team-written: the expert of a bank judges another company's warning.
    body = (
        "Die Beispiel AG hat ihre Prognose gesenkt. Für den Experten Max Muster von der "
        "Commerzbank ist nach der Prognosesenkung klar, dass die Erwartungen sinken."
    )
    events = extract_texts({"x": body}, datetime.date(2025, 11, 25)).events
    assert "commerzbank" not in set(events["company_id"])


def test_a_rating_agency_is_the_analyst_in_the_whole_article() -> None:
    # Team-written: the agency acts once with analyst words, then is named again with a
    # figure of the bank it rated; the bank, not the agency, is the figure's subject.
    body = (
        "Die Ratingagentur Moody's hat die Erste Group herabgestuft. "
        "Moody's zufolge hatte die Bank im Quartal 300 Millionen Euro Gewinn."
    )
    figures = extract_texts({"m": body}, datetime.date(2025, 11, 25)).figures
    assert figures.select("value", "company_id").rows() == [(3e8, "erste_group")]


def test_a_rating_agency_named_without_analyst_words_stays_a_company() -> None:
    body = "Moody's steigerte den Umsatz im Quartal auf 1,8 Milliarden Dollar."
    figures = extract_texts({"m": body}, datetime.date(2025, 11, 25)).figures
    assert figures.select("value", "company_id").rows() == [(1.8e9, "moody_s")]


def test_a_newspaper_cited_as_source_is_no_subject_nor_actor() -> None:
    # Team-written: the paper is cited once, then named again beside the bank's figure.
    body = (
        "Die Commerzbank will laut Handelsblatt 3.900 Stellen streichen. "
        "Das Handelsblatt nennt für die Bank Kosten von 700 Millionen Euro."
    )
    extraction = extract_texts({"h": body}, datetime.date(2025, 11, 25))
    assert {c for (c,) in extraction.mentions.select("company_id").iter_rows()} == {
        "commerzbank", "handelsblatt",
    }  # fmt: skip
    assert set(extraction.figures["company_id"]) == {"commerzbank"}
    assert set(extraction.events["company_id"]) == {"commerzbank"}


def test_a_consultancy_whose_study_is_cited_is_no_subject() -> None:
    # Team-written: a study's totals over an index are no company's, nor the auditor's.
    body = (
        "Die Dax-Konzerne schütten 30 Milliarden Euro aus, wie eine Studie der "
        "Beratungsgesellschaft EY zeigt. Laut EY stieg der Gewinn um 6 Prozent."
    )
    figures = extract_texts({"e": body}, datetime.date(2025, 11, 25)).figures
    assert "ey" not in set(figures["company_id"].drop_nulls())


def test_every_media_id_is_a_company_of_the_seed() -> None:
    seed = pl.read_csv(ROOT / "dbt_project" / "seeds" / "companies.csv")
    newspapers = seed.filter(pl.col("sector").is_in(["Newspaper", "Magazine"]))
    assert vocabulary().media <= set(seed["company_id"])
    assert set(newspapers["company_id"]) <= vocabulary().media


def test_every_rating_word_normalises_to_buy_hold_or_sell() -> None:
    assert set(vocabulary().normalised.values()) == {"buy", "hold", "sell"}


def test_look_around_is_refused_when_rules_load(tmp_path) -> None:
    import shutil

    from finnews.rules import RULES_DIR

    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    path = rules / "events" / "strike.yaml"
    path.write_text(path.read_text().replace("'streik'", "'(?<!warn)streik'"))
    with pytest.raises(RuleError, match="look-around"):
        load_rules(rules)


def test_auto_anchors_cover_the_pattern() -> None:
    (rule,) = [r for r in load_rules().events if r.id == "strike.strike_words"]
    assert set(rule.anchors) == {"streik", "arbeitsniederlegung", "ausstand", "arbeitskampf"}


def test_a_house_called_a_broker_before_its_name_is_the_analyst() -> None:
    # Team-written: a broker of the seed that is in no broker list, called "Analysehaus".
    body = (
        "Infineon\n\n"
        'Das Analysehaus Daiwa Securities hat das Rating für Infineon von "Hold" auf "Buy" '
        "geändert. Das Kursziel wurde von 30 auf 40 Euro erhöht."
    )
    extraction = extract_texts({"d": body}, datetime.date(2025, 11, 25))
    assert extraction.figures.select("value", "company_id").rows() == [
        (30.0, "infineon"), (40.0, "infineon"),
    ]  # fmt: skip
    assert set(extraction.events["company_id"]) == {"infineon"}
    # Without analyst words it is a company with figures of its own.
    own = "Die Investmentbank Daiwa Securities steigerte den Gewinn um 5 Prozent."
    figures = extract_texts({"o": own}, datetime.date(2025, 11, 25)).figures
    assert figures.select("value", "company_id").rows() == [(5.0, "daiwa_securities")]
