"""Company mentions with the company universe (extract/companies.py on the generated seed):
inflections, capitals, lower-case brands, each ambiguity rule, stop-listed words, guards, ISINs
and WKNs; and, where ../shared is there, the companies named in real articles."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import polars as pl
import pytest

from finnews.extract.companies import alias_table, load_gazetteer
from tests.helpers import extract_texts

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus" / "stocknews"


def companies(text: str) -> list[tuple[str, str]]:
    """(surface, company_id) of every mention in a text written for the test."""
    mentions = extract_texts({"t": text}, datetime.date(2025, 1, 1)).mentions
    return [
        (s, c) for s, c in mentions.sort("char_start").select("surface", "company_id").iter_rows()
    ]


def ids(text: str) -> list[str]:
    return [c for _, c in companies(text)]


def test_inflections_and_compounds() -> None:
    assert companies("Lufthansas Flotte wächst.") == [("Lufthansas", "lufthansa")]
    assert ids("Die Lufthansa-Aktie stieg, der Lufthansa-Chef sprach.") == ["lufthansa"] * 2
    assert ids("Der Vorstand der Deutschen Lufthansa tagte.") == ["lufthansa"]
    # A name of several words hyphenated in a compound.
    assert ids("Die DZ-Bank-Analysten sind skeptisch.") == ["dz_bank"]


def test_names_set_in_capitals_and_lower_case_brands() -> None:
    assert ids("ALIBABA MIT GEWINNSPRUNG") == ["alibaba"]
    assert ids("LUFTHANSA streicht Flüge.") == ["lufthansa"]
    assert ids("Bei adidas lief es gut.") == ["adidas"]
    assert ids("Die voestalpine liefert Stahl.") == ["voestalpine"]
    # A case-sensitive alias matches in capitals too.
    assert ids("APPLE UND CONTINENTAL IM PLUS") == ["apple", "continental"]


def test_merck_kgaa_and_merck_and_co() -> None:
    assert ids("Merck hebt die Prognose an.") == ["merck_kgaa"]
    assert ids("Merck KGaA aus Darmstadt wächst.") == ["merck_kgaa"]
    assert ids("Der US-Konzern MSD, Merck & Co., klagt.") == ["merck_and_co", "merck_and_co"]


def test_continental_the_company_and_the_word() -> None:
    assert ids("Continental senkt die Prognose.") == ["continental"]
    assert ids("Das continental breakfast kostet extra.") == []


def test_apple_the_company_and_the_fruit() -> None:
    assert ids("Apple verkauft mehr iPhones.") == ["apple"]
    assert ids("Sie bestellte einen apple pie.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Der Ball ist rund.",
        "Der Block der Abgeordneten stimmte dagegen.",
        "Next Generation EU fördert Projekte.",
        "Das Target liegt bei 2 Prozent.",
        "Das Match endete unentschieden.",
        "Die Post kommt später.",
        "Der Fox News Sender berichtet.",
        "Die Sage erzählt von Helden.",
        "Im Pool war kein Wasser.",
        "Die Gap zwischen Angebot und Nachfrage wächst.",
        "Der S&P 500 stieg.",
    ],
)
def test_common_words_are_no_company(text: str) -> None:
    assert ids(text) == []


def test_kept_brand_words_match_as_written() -> None:
    assert ids("Linde und Shell investieren, Visa und Orange auch.") == [
        "linde", "shell", "visa", "orange",
    ]  # fmt: skip
    assert ids("Die linde Luft und die orange Farbe.") == []


def test_guards() -> None:
    # A place.
    assert ids("In Salzgitter baut Salzgitter ein Werk.") == ["salzgitter"]
    # A person of the name.
    assert ids("Olaf Henkel kritisiert Henkel.") == ["henkel"]
    # Rheinmetall's vehicle, not the sportswear maker.
    assert ids("Der Schützenpanzer Puma fährt, Puma verkauft Schuhe.") == ["puma"]
    # The word, not the insurer.
    assert ids("Eine Allianz aus Staaten, die Allianz zahlt eine Dividende.") == ["allianz"]
    # A first name before a surname, not the hedge fund or the dairy.
    assert ids("Nike-Chef Elliott Hill trifft Elliott, Emmi Berger kauft bei Emmi.") == [
        "nike", "elliott", "emmi",
    ]  # fmt: skip


def test_a_stock_exchange_named_as_the_market_is_no_company() -> None:
    # "an der Wiener Börse" is where shares trade; the operator is written with its legal form.
    assert ids("An der Wiener Börse stieg Andritz, die Wiener Börse AG meldete Umsätze.") == [
        "andritz", "wiener_boerse",
    ]  # fmt: skip


def test_short_names_stock_news_uses() -> None:
    text = "DBAG, BBVA, IAG, KKR und Redcare berichten; Do&Co auch."
    assert ids(text) == [
        "deutsche_beteiligungs", "banco_bilbao_vizcaya_argentaria", "international_airlines",
        "kohlberg_kravis_roberts", "shop_apotheke_europe", "do_co",
    ]  # fmt: skip
    assert ids("Swiss Re, Kühne+Nagel, Gea, Kion, LEG und Vienna Insurance legten zu.") == [
        "swiss_reinsurance", "kuehne_nagel", "gea", "kion", "leg_immobilien",
        "vienna_insurance_group",
    ]  # fmt: skip
    # The Swiss IT distributor writes its name in capitals; the German word is no company.
    assert ids("Also wuchs ALSO im Halbjahr, also schneller.") == ["also_holding"]


def test_isin_and_wkn_link_to_their_company() -> None:
    found = companies("Die Aktie (ISIN DE0008232125, WKN: 823212) stieg.")
    assert found == [("DE0008232125", "lufthansa"), ("823212", "lufthansa")]
    # A wrong check digit is no ISIN.
    assert ids("Die Aktie DE0008232126 stieg.") == []
    # Six digits without their cue are any number.
    assert ids("Es kamen 823212 Besucher.") == []
    assert ids("Wertpapierkennnummer 716460") == ["sap"]


def test_mentions_keep_their_offsets() -> None:
    text = "Heute: LUFTHANSA und Goldman Sachs."
    mentions = extract_texts({"t": text}, datetime.date(2025, 1, 1)).mentions
    for start, end, surface in mentions.select("char_start", "char_end", "surface").iter_rows():
        assert text[start:end] == surface
    assert set(mentions["alias"]) == {"Lufthansa", "Goldman Sachs"}


def test_an_old_seed_without_case_rules_still_loads(tmp_path: Path) -> None:
    seed = tmp_path / "companies.csv"
    seed.write_text("company_id,name,aliases\nacme,Acme AG,Acme|ACME\n", encoding="utf-8")
    table = alias_table(load_gazetteer(seed))
    assert set(table.filter(pl.col("kind") == "name")["alias"]) >= {"Acme AG", "Acme", "ACME"}
    assert table.filter(pl.col("kind") == "name")["exact"].all()


# Real articles (read at test time, never copied): a company whose name a file writes is
# found in it. Only the development files s01-s30 (s31-s40 are the blind holdout).
REAL = {
    "lufthansa": "Lufthansa",
    "hella": "Hella",
    "puma": "Puma",
    "goldman_sachs": "Goldman Sachs",
    "morgan_stanley": "Morgan Stanley",
    "continental": "Continental",
    "infineon": "Infineon",
    "siemens_energy": "Siemens Energy",
}


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus/stocknews is not there")
def test_companies_named_in_real_articles_are_found() -> None:
    files = [f for f in sorted(SHARED.glob("s*.txt")) if int(re.match(r"s(\d+)", f.name)[1]) <= 30]
    bodies = {f.name: f.read_text(encoding="utf-8") for f in files}
    mentions = extract_texts(bodies, datetime.date(2025, 1, 1)).mentions
    found = {(a, c) for a, c in mentions.select("article_id", "company_id").iter_rows()}
    checked = 0
    for company_id, name in REAL.items():
        for article, body in bodies.items():
            if re.search(rf"\b{re.escape(name)}\b", body):
                assert (article, company_id) in found, (article, company_id)
                checked += 1
    assert checked >= 7
