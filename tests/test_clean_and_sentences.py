"""Boilerplate removal and sentence segmentation, on text written for these tests."""

from __future__ import annotations

import re
import unicodedata

import polars as pl

from finnews.clean import (
    _NFC_SENSITIVE,
    BOILERPLATE_GATES,
    BOILERPLATE_PATTERNS,
    clean_articles,
    normalize_text,
)
from finnews.extract.sentences import split_sentences

ARTICLE = """Veröffentlicht am 03.03.2026
Infineon-Aktie: Neue Fabrik in Dresden
Infineon eröffnet am 3. März ein neues Werk. Die Kosten liegen bei 5 Mrd. Euro, 300 Mill. für Anlagen.

Anzeige

Sollten Anleger sofort verkaufen? Oder lohnt sich doch der Einstieg bei Infineon?

Der Auftrag von JD.com umfasst 20.000 Chips, z. B. für Ladesäulen. Wer profitiert?

Infineon-Aktie: Kaufen oder verkaufen?! Neue Infineon-Analyse vom 3. März liefert die Antwort:

Lohnt sich der Einstieg? Die Gratis-Analyse vom 3. März sagt es.

Infineon: Kaufen oder verkaufen? Jetzt lesen...
"""


def cleaned(text: str) -> dict:
    frame = pl.DataFrame({"article_id": ["a"], "raw_text": [text]})
    return clean_articles(frame.lazy()).collect().to_dicts()[0]


def test_ads_teaser_and_dateline_leave_the_body_but_are_kept() -> None:
    row = cleaned(ARTICLE)
    assert "Kaufen oder verkaufen" not in row["body"]
    assert "Anzeige" not in row["body"]
    assert "Sollten Anleger" not in row["body"]
    assert "Veröffentlicht" not in row["body"]
    assert row["body"].startswith("Infineon-Aktie: Neue Fabrik in Dresden")
    assert row["body"].endswith("Wer profitiert?")
    for removed in ("Analyse vom 3. März", "Sollten Anleger sofort verkaufen?", "Anzeige"):
        assert removed in row["boilerplate"]


def test_promotional_lines_leave_the_body_and_news_lines_stay() -> None:
    promo = [
        "Anzeige: Mit diesen zehn Aktien kassieren Sie Jahr für Jahr. Jetzt herunterladen!",
        "Diese drei Chipwerte haben unsere Experten auf der Kaufliste. Lesen Sie den Report!",
        "Was bedeutet das für Ihr Depot? Die Gratis-Auswertung vom 3. März verrät es.",
    ]
    news = [
        "Sie verdiente 700 Millionen Euro. Der neue Dienst ist für Nutzer kostenlos.",
        "Analysten erwarten einen Umsatz von 4 Milliarden Euro!",
    ]
    row = cleaned("\n".join(["Infineon wächst.", *promo, *news]))
    assert [line for line in row["body"].split("\n") if line] == ["Infineon wächst.", *news]
    assert row["boilerplate"].split("\n") == promo


def test_windows_newlines_and_nbsp_are_normalized() -> None:
    row = cleaned("Erste Zeile.\r\nZweite\u00a0Zeile.\r\n\r\n\r\n\r\nDritte.")
    assert row["body"] == "Erste Zeile.\nZweite Zeile.\n\nDritte."


def test_sentences_respect_ordinals_abbreviations_and_domains() -> None:
    body = cleaned(ARTICLE)["body"]
    frame = pl.DataFrame({"article_id": ["a"], "body": [body]})
    sentences = split_sentences(frame.lazy()).collect()
    texts = sentences["text"].to_list()
    assert texts == [
        "Infineon-Aktie: Neue Fabrik in Dresden",
        "Infineon eröffnet am 3. März ein neues Werk.",
        "Die Kosten liegen bei 5 Mrd. Euro, 300 Mill. für Anlagen.",
        "Der Auftrag von JD.com umfasst 20.000 Chips, z. B. für Ladesäulen.",
        "Wer profitiert?",
    ]
    for row in sentences.iter_rows(named=True):
        assert body[row["char_start"] : row["char_end"]] == row["text"]
    assert sentences["sentence_idx"].to_list() == list(range(5))


def test_initials_end_no_sentence_but_a_single_capital_may() -> None:
    body = (
        "Das Kursziel von J.P. Morgan sinkt. Auch U.S. Steel und J. P. Morgan fallen. "
        "Die Firma setzt auf Plan B. Danach kam die Erholung."
    )
    frame = pl.DataFrame({"article_id": ["a"], "body": [body]})
    assert split_sentences(frame.lazy()).collect()["text"].to_list() == [
        "Das Kursziel von J.P. Morgan sinkt.",
        "Auch U.S. Steel und J. P. Morgan fallen.",
        "Die Firma setzt auf Plan B.",
        "Danach kam die Erholung.",
    ]


def test_teaser_right_after_an_ad_marker_leaves_the_body() -> None:
    # Each pattern runs on what the one before left, so the "Anzeige" line taking the line
    # break does not hide the teaser line after it.
    row = cleaned(
        "Infineon-Aktie: Prognose steigt\nInfineon hebt die Prognose an.\n\nAnzeige\n"
        "Infineon-Aktie: Kaufen oder verkaufen?! Neue Infineon-Analyse vom 3. März liefert "
        "die Antwort."
    )
    assert row["body"] == "Infineon-Aktie: Prognose steigt\nInfineon hebt die Prognose an."
    assert row["boilerplate"].split("\n") == [
        "Infineon-Aktie: Kaufen oder verkaufen?! Neue Infineon-Analyse vom 3. März liefert "
        "die Antwort.",
        "Anzeige",
    ]
    assert row["dateline_place"] is None and row["agency"] is None


def test_text_nfc_could_change_is_normalized_and_the_rest_is_left_alone() -> None:
    # Decomposed umlauts (as macOS writes file text) and the Angstrom sign are composed; the
    # test that lets NFC-ready text skip normalization must know every character NFC moves.
    body = cleaned("Mu\u0308ller und Gro\u0308ße messen 3 \u212b.\n")["body"]
    assert body == unicodedata.normalize("NFC", body) == "Müller und Größe messen 3 Å."
    chars = [chr(cp) for cp in range(0x80, 0x30000) if not 0xD800 <= cp <= 0xDFFF]
    # After a letter, a Hangul syllable start or syllable: a character NFC changes there.
    moved = [
        ch
        for ch in chars
        if any(
            unicodedata.normalize("NFC", s) != s for s in (f"a{ch}", f"\u1100{ch}", f"\uac00{ch}")
        )
    ]
    listed = pl.Series(moved).str.contains(_NFC_SENSITIVE)
    assert len(moved) > 1000
    assert listed.all(), [f"U+{ord(c):04X}" for c, ok in zip(moved, listed, strict=True) if not ok]


def test_boilerplate_word_boundaries_are_ascii_and_next_to_ascii_letters() -> None:
    # An ASCII boundary (fast) equals a Unicode one (slow on German text) unless a non-ASCII
    # letter stands beside it: so no cue word in the patterns may begin or end with one.
    for name, pattern in BOILERPLATE_PATTERNS.items():
        assert r"\b" not in pattern.replace(r"(?-u:\b)", ""), name
        for before, after in re.findall(r"(.)\(\?-u:\\b\)(.?)", pattern):
            assert before.isascii() and after.isascii(), (name, before, after)


# Lines each gated pattern removes: every wording its comment names, and its alternatives.
GATED_EXAMPLES: dict[str, list[str]] = {
    "dateline": ["Veröffentlicht am 03.03.2026", "Datum: 3.4.2020 10:00", "Stand 12.5.2021"],
    "promo": [
        "Anzeige: Sichern Sie sich jetzt unseren Sonderreport",
        "Die Antwort kennen unsere Experten!",
        "Was bedeutet das für Ihr Depot? Die Gratis-Auswertung verrät es.",
        "Lesen Sie den Börsenbrief: kostenlos",
        "Unsere Analysten empfehlen Ihnen drei Aktien",
    ],
    "agency_credit": [
        "Der Kurs stieg. (Reuters)",
        "Er fiel. (dpa)",
        "(APA 4.9.2015)",
        "(Mit Material von dpa-AFX)",
        "(Material der Dow Jones, AFP)",
    ],
    "newswire_footer": [
        "DJG/abc/def",
        "DJ/ab",
        "(END) Dow Jones Newswires",
        "July 22, 2021 06:30 ET (10:30 GMT)",
        "Kontakt zur Autorin: erika.muster@example.com",
        "Kontakt zu Redaktion: x",
        "AFA0024 2018-11-22/11:07",
        "ISIN: DE0007164600",
    ],
    "study_footer": [
        "Veröffentlichung der Original-Studie: 3.4.2020 / 08:00 / MEZ",
        "Erstmalige Weitergabe der Original-Studie: 3.4.2020",
    ],
    "disclaimer": [
        "Hinweis auf mögliche Interessenkonflikte: siehe unten",
        "Hinweis: Informationen zur Offenlegungspflicht finden Sie hier",
        "Risikohinweis: Dies ist keine Anlageberatung.\nZweite Zeile",
        "Haftungsausschluss: keine Haftung",
        "Disclaimer - Haftung ausgeschlossen",
    ],
    "more_news": [
        "Weitere Nachrichten\n- Link eins\nwww.example.com/a",
        "Weitere News zu BASF",
        "Weitere Artikel",
        "Lesen Sie auch: Die Lage",
        "Mehr zum Thema",
        "Das könnte Sie auch interessieren",
    ],
    "read_more": [
        "Jetzt informieren!",
        "Jetzt weiterlesen",
        "Jetzt mehr erfahren!",
        "Hier weiterlesen »",
        "Wenn Sie mehr über das Thema erfahren wollen, klicken Sie hier.",
        "Wenn Sie mehr über BASF erfahren möchten",
    ],
}


def test_each_gate_passes_every_text_its_pattern_matches() -> None:
    # A pattern runs only on texts that pass its gate: a match outside one would be kept.
    assert set(GATED_EXAMPLES) == set(BOILERPLATE_GATES)
    for name, lines in GATED_EXAMPLES.items():
        texts = pl.Series([f"Die Aktie stieg.\n{line}\nDer Kurs fiel." for line in lines])
        found = texts.str.extract_all(BOILERPLATE_PATTERNS[name])
        assert (found.list.len() > 0).all(), (name, found.to_list())
        matches = found.explode().drop_nulls()
        passed = pl.DataFrame({"m": matches}).select(BOILERPLATE_GATES[name](pl.col("m")))
        assert passed.to_series().all(), (name, matches.filter(~passed.to_series()).to_list())


def test_normalize_text_equals_every_rewrite_on_every_text() -> None:
    # normalize_text skips the newline, no-break space and trailing-blank rewrites where a
    # literal search finds nothing for them: the result must be that of all rewrites.
    parts = ["a", " ", "\t", "\u00a0", "\r", "\n", "\r\n", "e\u0301", "\u2003", "\n\n\n"]
    texts = [x + y + z for x in parts for y in parts for z in parts]
    col = pl.col("t")
    every = (
        pl.when(col.str.contains(_NFC_SENSITIVE))
        .then(col.str.normalize("NFC"))
        .otherwise(col)
        .str.replace_all("\r\n?", "\n")
        .str.replace_all("\u00a0", " ", literal=True)
        .str.replace_all(r"(?m)[ \t]+$", "")
        .str.replace_all(r"\n{3,}", "\n\n")
        .str.strip_chars()
    )
    frame = pl.DataFrame({"t": texts})
    assert frame.select(normalize_text(col)).equals(frame.select(every))


def test_normalize_text_is_idempotent() -> None:
    # clean_articles skips the later passes of normalize_text on text it left unchanged.
    texts = [
        "a \u00a0\r\n\r\n\r\n b\t \n",
        "\u2003 x \n\n\n\n\u2003 \n y \u00a0",
        "e\u0301 \r\u0301x\r\r\n\n\n",
        "\u00a0\n\u0308a\t\u00a0\n \n\t\n\nb",
        "",
        "  ",
    ]
    once = pl.DataFrame({"t": texts}).select(normalize_text(pl.col("t")))
    twice = once.select(normalize_text(pl.col("t")))
    assert once.to_series().to_list() == twice.to_series().to_list()


def test_hard_wraps_are_rejoined_per_text_and_texts_without_them_are_kept() -> None:
    wrapped = (
        "Die Aktie des Konzerns legte am Vormittag im Handel in Frankfurt um\n"
        "drei Prozent zu, nachdem der Vorstand die Jahresziele bestä-\n"
        "tigt hatte. Mercedes-\nBenz blieb stabil.\n\nNeuer Absatz."
    )
    plain = "Eine Zeile.\n\nNoch eine Zeile."
    frame = pl.DataFrame({"raw_text": [wrapped, plain, ""]})
    bodies = clean_articles(frame.lazy()).collect()["body"].to_list()
    assert bodies[0] == (
        "Die Aktie des Konzerns legte am Vormittag im Handel in Frankfurt um drei Prozent zu, "
        "nachdem der Vorstand die Jahresziele bestätigt hatte. Mercedes-Benz blieb stabil."
        "\n\nNeuer Absatz."
    )
    assert bodies[1:] == [plain, ""]
