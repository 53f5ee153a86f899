"""Agency and newspaper text: datelines as metadata, sign-offs and footers as boilerplate,
hard wraps rejoined, truncation only for text cut mid-word or mid-figure.

Every example is written for these tests (invented companies, places as datelines use them).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from finnews.clean import BOILERPLATE_PATTERNS, clean_articles
from finnews.extract.sentences import split_sentences
from finnews.ingest import ingest_folder
from finnews.truncation import TRUNCATION_PATTERNS, is_cut_off
from finnews.warehouse import connect, ensure_raw_schema

PROSE = (
    "Der Autozulieferer Beispiel AG hat im dritten Quartal mehr verdient als erwartet. "
    "Der Umsatz stieg um 4 Prozent auf 2,1 Milliarden Euro, wie das Unternehmen mitteilte."
)


def cleaned(*texts: str) -> list[dict]:
    frame = pl.DataFrame({"article_id": [str(i) for i in range(len(texts))], "raw_text": texts})
    return clean_articles(frame.lazy()).collect().to_dicts()


def one(text: str) -> dict:
    return cleaned(text)[0]


# --- datelines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "agency"),
    [
        (f"MÜNCHEN (dpa-AFX) - {PROSE}", "MÜNCHEN", "dpa-AFX"),
        (f"FRANKFURT (Reuters) - {PROSE}", "FRANKFURT", "Reuters"),
        (f"Berlin (Reuters) - {PROSE}", "Berlin", "Reuters"),
        (f"NEW YORK (dpa-AFX Analyser) - {PROSE}", "NEW YORK", "dpa-AFX Analyser"),
        (f"FRANKFURT (Dow Jones)--{PROSE}", "FRANKFURT", "Dow Jones"),
        (f"Hamburg, 12. Mär (Reuters) - {PROSE}", "Hamburg", "Reuters"),
        (f"STUTTGART/PEKING (dpa-AFX) - {PROSE}", "STUTTGART/PEKING", "dpa-AFX"),
        # Without an agency: a spaced dash and a paragraph of prose after it.
        (f"Wien – {PROSE}", "Wien", None),
        (f"Frankfurt am Main - {PROSE}", "Frankfurt am Main", None),
        (f"Linz/St. Florian – {PROSE}", "Linz/St. Florian", None),
    ],
)
def test_dateline_becomes_place_and_agency_and_the_body_starts_after_the_dash(
    text: str, place: str, agency: str | None
) -> None:
    row = one(text)
    assert (row["dateline_place"], row["agency"]) == (place, agency)
    assert row["body"] == PROSE
    assert row["boilerplate"].startswith(text[: text.index(PROSE)].strip())


def test_dateline_after_a_headline_and_a_date_line() -> None:
    text = (
        "Aktien New York: Beispiel Corp zieht an\n\n"
        "12.03.2026, 22:10 Uhr | dpa-AFX\n\n"
        f"NEW YORK (dpa-AFX) - {PROSE}\n\nDer Dow Jones legte um 0,4 Prozent zu."
    )
    row = one(text)
    assert (row["dateline_place"], row["agency"]) == ("NEW YORK", "dpa-AFX")
    assert row["body"] == (
        f"Aktien New York: Beispiel Corp zieht an\n\n{PROSE}\n\nDer Dow Jones legte um 0,4 Prozent zu."
    )
    assert "12.03.2026, 22:10 Uhr | dpa-AFX" in row["boilerplate"]


def test_newspaper_dateline_after_the_lead_keeps_the_lead_as_its_own_line() -> None:
    # A newspaper export puts headline, lead and body on one line: "Lead. Wien – Body".
    text = f"Beispiel AG baut Stellen ab. Die Gewerkschaft protestiert. Wien – {PROSE}"
    row = one(text)
    assert row["dateline_place"] == "Wien" and row["agency"] is None
    assert row["body"] == f"Beispiel AG baut Stellen ab. Die Gewerkschaft protestiert.\n{PROSE}"
    sentences = split_sentences(pl.DataFrame({"article_id": ["a"], "body": [row["body"]]}).lazy())
    assert sentences.collect()["text"][2].startswith("Der Autozulieferer Beispiel AG")


@pytest.mark.parametrize(
    "text",
    [
        # A dash inside a sentence, after a capitalised word.
        f"{PROSE} Im Ausland – vor allem in Asien – wuchs das Geschäft kräftig.",
        "Die Beispiel AG meldet Zahlen. Die Folge – Anleger greifen zu und treiben den Kurs "
        "der Aktie um mehr als fünf Prozent nach oben, wie Händler in Frankfurt berichteten.",
        f"Die Folge – Anleger greifen zu. {PROSE}",
        # A headline "Company - topic" is no dateline: no agency, and no prose after it.
        f"Muster SE - Neue Fabrik in Sachsen\n{PROSE}",
        # A dateline further into the text belongs to a quoted or second report.
        f"{PROSE}\n\nBERLIN (Reuters) - Auch die Muster SE meldete am Dienstag Zahlen.",
    ],
)
def test_no_place_is_taken_from_a_normal_sentence(text: str) -> None:
    row = one(text)
    assert row["dateline_place"] is None and row["agency"] is None
    assert row["body"] == text


# --- boilerplate -----------------------------------------------------------------------

# For each new boilerplate kind: a text with it, and the piece that leaves the body.
BOILERPLATE_EXAMPLES: dict[str, tuple[str, str]] = {
    "sign_off": (f"{PROSE}/stw/tos", "/stw/tos"),
    "agency_credit": (f"{PROSE}\n(Mit Material von dpa-AFX)", "(Mit Material von dpa-AFX)"),
    "author_byline": (f"{PROSE} (Erika Muster, 3.4.2016)", "(Erika Muster, 3.4.2016)"),
    "newswire_footer": (
        f"{PROSE}\n\nKontakt zum Autor: max.muster@example.com\n\nDJG/mmu/abc\n\n"
        "(END) Dow Jones Newswires\n\nMarch 03, 2026 04:15 ET (09:15 GMT)",
        "(END) Dow Jones Newswires",
    ),
    "study_footer": (
        f"{PROSE}\n\nVeröffentlichung der Original-Studie: 03.03.2026 / 07:12 / MEZ",
        "Veröffentlichung der Original-Studie: 03.03.2026 / 07:12 / MEZ",
    ),
    "disclaimer": (
        f"{PROSE}\n\nHinweis auf mögliche Interessenkonflikte: Der Autor hält Aktien der "
        "Beispiel AG.\nDie Redaktion prüft dies regelmäßig.",
        "Hinweis auf mögliche Interessenkonflikte: Der Autor hält Aktien der Beispiel AG.\n"
        "Die Redaktion prüft dies regelmäßig.",
    ),
    "source": (f"{PROSE}\nQuelle: Unternehmensangaben", "Quelle: Unternehmensangaben"),
    "more_news": (
        f"{PROSE}\n\nWeitere Nachrichten\n- Muster SE: Prognose gesenkt\n"
        "Beispiel AG: Neuer Vorstand? https://example.com/beispiel",
        "Weitere Nachrichten\n- Muster SE: Prognose gesenkt\n"
        "Beispiel AG: Neuer Vorstand? https://example.com/beispiel",
    ),
    "first_published": (
        f"{PROSE}\nDer Artikel erschien zuerst auf beispiel-boerse.de.",
        "Der Artikel erschien zuerst auf beispiel-boerse.de.",
    ),
    "as_of": (f"Stand: heute, 14:30 Uhr\n{PROSE}", "Stand: heute, 14:30 Uhr"),
    "byline_date": (f"03.03.2026, 09:15 Uhr | dpa-AFX\n{PROSE}", "03.03.2026, 09:15 Uhr | dpa-AFX"),
    "read_more": (f"{PROSE}\nJetzt informieren!", "Jetzt informieren!"),
}


def test_every_boilerplate_kind_has_an_example() -> None:
    older = {"teaser", "dateline", "ad_marker", "promo", "call_to_action"}
    assert set(BOILERPLATE_PATTERNS) - older == set(BOILERPLATE_EXAMPLES)


@pytest.mark.parametrize("kind", sorted(BOILERPLATE_EXAMPLES))
def test_boilerplate_leaves_the_body_and_is_kept(kind: str) -> None:
    text, piece = BOILERPLATE_EXAMPLES[kind]
    row = one(text)
    assert row["body"] == PROSE
    assert piece in row["boilerplate"]


@pytest.mark.parametrize(
    ("ending", "removed"),
    [
        ("./ck/he", "/ck/he"),
        ("./hbr/jha Datum der Analyse: 03.03.2026", "/hbr/jha Datum der Analyse: 03.03.2026"),
        (". (Reuters)", "(Reuters)"),
        (". (dpa)", "(dpa)"),
        (". (APA 3.3.2026)", "(APA 3.3.2026)"),
        (". (mus, APA)", "(mus, APA)"),
        (". (Erika Muster, 3.3.2026", "(Erika Muster, 3.3.2026"),
    ],
)
def test_sign_offs_leave_the_body_and_the_full_stop_stays(ending: str, removed: str) -> None:
    row = one(PROSE[:-1] + ending)
    assert row["body"] == PROSE
    assert row["boilerplate"] == removed


def test_a_full_dpa_afx_analyst_note_keeps_only_its_prose() -> None:
    text = (
        f"FRANKFURT (dpa-AFX Analyser) - {PROSE}/mm/ab\n\n"
        "Veröffentlichung der Original-Studie: 03.03.2026 / 07:12 / MEZ\n\n"
        "Erstmalige Weitergabe der Original-Studie: 03.03.2026 / 07:30 / MEZ\n\n"
        "Hinweis: Informationen zur Offenlegungspflicht bei Interessenkonflikten finden Sie "
        "unter https://example.com/offenlegung.\n\n"
        "ABC0042 2026-03-03/08:01\n\nISIN: DE0001234567"
    )
    row = one(text)
    assert row["body"] == PROSE
    assert (row["dateline_place"], row["agency"]) == ("FRANKFURT", "dpa-AFX Analyser")
    for piece in ("/mm/ab", "Erstmalige Weitergabe", "Offenlegungspflicht", "ABC0042", "ISIN"):
        assert piece in row["boilerplate"]


def test_news_lines_that_look_like_boilerplate_stay() -> None:
    news = [
        "Die Umsätze stiegen in Europa und/oder Asien deutlich.",
        "Stand Ende Juni hielt die Beispiel AG 12 Prozent an der Muster SE.",
        "Hinweise auf eine Übernahme gebe es nicht, sagte ein Sprecher (Vorjahr: 3,1 Prozent).",
        "Der Kurs (Vorjahr: 12 Euro) stieg, die Quelle des Wachstums ist das Asiengeschäft.",
    ]
    row = one("\n".join([PROSE, *news]))
    assert row["body"] == "\n".join([PROSE, *news])
    assert row["boilerplate"] == ""


# --- hard wraps --------------------------------------------------------------------------

WRAPPED = (
    "Beispiel AG hebt Prognose an\n"
    "Die Beispiel AG hat die Erwartungen der Analysten im dritten Quartal übertrof-\n"
    "fen. Der Umsatz erreichte erstmals mehr als eine Billi-\n"
    "on Euro, teilte der Konzern gemeinsam mit der Mercedes-\n"
    "Benz Group am Dienstag in Stuttgart mit. Ein- und Verkauf sowie Ein-\n"
    "und Ausfuhren legten zu, der Vorstand der Beispiel AG sieht daher gute\n"
    "Chancen für das laufende Geschäftsjahr und bestätigte die Ziele.\n"
    "\n"
    "Die Gründe:\n"
    "- höhere Preise in Europa\n"
    "- mehr Kunden in Asien\n"
    "Ausblick\n"
    "Der Vorstand erwartet weiteres Wachstum."
)


def test_hard_wraps_and_hyphenation_are_rejoined_and_structure_stays() -> None:
    body = one(WRAPPED)["body"]
    assert body == (
        "Beispiel AG hebt Prognose an\n"
        "Die Beispiel AG hat die Erwartungen der Analysten im dritten Quartal übertroffen. "
        "Der Umsatz erreichte erstmals mehr als eine Billion Euro, teilte der Konzern "
        "gemeinsam mit der Mercedes-Benz Group am Dienstag in Stuttgart mit. Ein- und "
        "Verkauf sowie Ein- und Ausfuhren legten zu, der Vorstand der Beispiel AG sieht "
        "daher gute Chancen für das laufende Geschäftsjahr und bestätigte die Ziele.\n"
        "\n"
        "Die Gründe:\n"
        "- höhere Preise in Europa\n"
        "- mehr Kunden in Asien\n"
        "Ausblick\n"
        "Der Vorstand erwartet weiteres Wachstum."
    )


def test_sentences_of_rejoined_text_index_the_stored_body() -> None:
    body = one(WRAPPED)["body"]
    frame = pl.DataFrame({"article_id": ["a"], "body": [body]})
    sentences = split_sentences(frame.lazy()).collect()
    texts = sentences["text"].to_list()
    assert texts[0] == "Beispiel AG hebt Prognose an"  # the headline stays a sentence
    assert texts[1].endswith("übertroffen.")
    assert "Mercedes-Benz Group" in texts[2]
    for row in sentences.iter_rows(named=True):
        assert body[row["char_start"] : row["char_end"]] == row["text"]


def test_a_headline_with_a_wrap_sized_first_line_does_not_run_into_the_text() -> None:
    text = (
        "Beispiel AG: Der Autozulieferer hebt nach starkem Quartal die Prognose an\n"
        "Die Beispiel AG hat im dritten Quartal mehr verdient als von Analysten erwartet.\n"
        "Die Aktie stieg\num 3 Prozent"
    )
    body = one(text)["body"]
    assert (
        body.split("\n")[0]
        == "Beispiel AG: Der Autozulieferer hebt nach starkem Quartal die Prognose an"
    )
    assert body.endswith("Die Aktie stieg um 3 Prozent")


# --- truncation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ending", "cut"),
    [
        ("Der Umsatz stieg auf 218,40 Eu", True),
        ("Der Umsatz stieg auf eine Milliarde Eu", True),
        ("Der Umsatz stieg auf 3,2 Milli", True),
        ("Die Beispiel AG hat die Erwartungen übertrof-", True),
        ("Der Umsatz stieg auf 3,", True),
        ("Der Vorstand sagte (", True),
        ("Der Vorstand sagte: „", True),
        ("Der Umsatz und", True),
        ("Das gilt für die", True),
        # Complete, without a full stop: not truncated.
        ("Der neue Chef will vieles ändern, in den ersten 100 Tagen", False),
        ("Die Beispiel AG kündigte eine höhere Dividende an", False),
        ("Umsatz 1,29 -54% 1,95 -31% 2,82", False),
        ("Der Kurs liegt bei 218,40 EUR", False),
        ("Der Dax schloss bei 18.000 Punkte", False),
        ("Die Aktie liegt auf Platz 1.", False),
        ("Der Umsatz -", False),
    ],
)
def test_truncated_only_mid_word_or_mid_figure(ending: str, cut: bool) -> None:
    frame = pl.DataFrame({"body": [f"{PROSE}\n{ending}"]})
    assert frame.select(is_cut_off(pl.col("body"))).item() is cut


def test_every_truncation_rule_is_named() -> None:
    assert set(TRUNCATION_PATTERNS) == {
        "hyphen",
        "comma",
        "opening_mark",
        "dangling_word",
        "cut_unit",
    }


# --- ingest ------------------------------------------------------------------------------


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = connect(tmp_path / "wh" / "work.duckdb", memory_limit="1GB")
    ensure_raw_schema(connection)
    yield connection
    connection.close()


def test_ingest_stores_dateline_metadata_and_loads_complete_last_clauses(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "agentur.txt").write_text(f"MÜNCHEN (dpa-AFX) - {PROSE}/stw/tos\n", encoding="utf-8")
    # The last clause before the ad block has no full stop: complete, not truncated.
    (drop / "ohne_punkt.txt").write_text(
        "Muster SE: Neuer Chef\nDer neue Chef der Muster SE will vieles ändern, und das in "
        "den ersten 100 Tagen\n\nAnzeige\n",
        encoding="utf-8",
    )
    (drop / "abgeschnitten.txt").write_text(f"{PROSE} Die Aktie stieg auf 54,10 Eu")
    result = ingest_folder(con, drop, "r1")
    assert result.articles_new == 2
    assert result.quarantine_reasons == {"truncated": 1}
    rows = con.execute(
        "select source_path, body, boilerplate, dateline_place, agency from raw.articles "
        "order by source_path"
    ).fetchall()
    agentur = rows[0]
    assert agentur[1:] == (PROSE, "MÜNCHEN (dpa-AFX) -\n/stw/tos", "MÜNCHEN", "dpa-AFX")
    assert rows[1][1].endswith("in den ersten 100 Tagen") and rows[1][3] is None
