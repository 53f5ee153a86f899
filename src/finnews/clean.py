"""Separate article prose from publisher and agency boilerplate (ads, teasers, sign-offs).

Vectorized over a frame of documents. The removed text is kept in `boilerplate` so nothing
is lost, and `body` is what every character offset downstream refers to: boilerplate out,
the agency dateline out (into `dateline_place` and `agency`), hard wraps rejoined.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import polars as pl

from finnews.agency import AGENCY, split_dateline
from finnews.rejoin import rejoin_lines

# A word boundary in these patterns is ASCII (`_B`): Rust's regex runs a Unicode `\b` on
# its fast lazy DFA only while the text is ASCII, and every umlaut sends it to an engine up
# to 40x slower (the promo pattern alone read 8 MB/s). The two differ only beside a
# non-ASCII letter, and no cue word below begins or ends next to one
# (tests/test_clean_and_sentences.py checks the patterns for it).
_B = r"(?-u:\b)"
_OFFER = (
    rf"(?:{_B}[Gg]ratis|kostenlos|Sonderreport|Spezialreport|Börsenbrief|Newsletter"
    r"|[Uu]nsere (?:Experten|Analysten))"
)
# _OFFER without its word boundary: it matches wherever _OFFER matches (a gate, below).
_OFFER_WORDS = _OFFER.replace(_B, "")
# An exclamation, or the reader addressed inside the line (a line opening with "Sie" may be
# the company: "Sie verdiente 700 Millionen Yuan").
_TO_READER = rf"(?:!|{_B}(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer){_B})"

# Each pattern removes whole lines (or the teaser block through the end of the text).
BOILERPLATE_PATTERNS: dict[str, str] = {
    # The closing teaser: from the "<X>-Aktie: Kaufen oder verkaufen?!" line to the end.
    "teaser": r"(?s)(?:^|\n)[^\n]*Kaufen oder verkaufen\?![^\n]*(?:\n.*)?$",
    # Publisher metadata line; the publication date is read from the raw text.
    "dateline": r"(?m)^[ \t]*(?:Veröffentlicht am|Datum|Stand):?[ \t]+\d[^\n]*(?:\n|$)",
    # A lone "Anzeige" marker line.
    "ad_marker": r"(?m)^[ \t]*Anzeige[ \t]*(?:\n|$)",
    # A promotional line inside the article ("Anzeige: Sichern Sie sich jetzt unseren
    # Sonderreport ...", "Die Antwort kennen unsere Experten!"): an offer word and a call to
    # the reader (an exclamation, or "Sie"/"Ihr" inside the line). Its figures ("diese drei
    # Aktien") and places are the publisher's, not the news.
    "promo": (
        rf"(?m)^[ \t]*(?:Anzeige:[^\n]*|[^\n]*{_OFFER}[^\n]*{_TO_READER}[^\n]*"
        rf"|[^\n]+{_TO_READER}[^\n]*{_OFFER}[^\n]*)(?:\n|$)"
    ),
    # The mid-article call to action that links to the paid analysis.
    "call_to_action": r"(?m)^[ \t]*Sollten Anleger sofort verkaufen\?[^\n]*(?:\n|$)",
    # dpa-AFX editors' initials glued to the last sentence ("gekauft./he", "./stw/tos") or
    # alone on a line; what follows on that line is the note's metadata ("Datum der
    # Analyse: ..."). polars' regex has no look-behind, so the mark before the slash is
    # matched as `keep` and put back (see clean_articles); no other pattern names a group.
    "sign_off": (
        r"(?m)(?:(?P<keep>[.!?\"“”»)])|^[ \t]*)/[a-z]{1,4}(?:/[a-z]{1,4}){0,4}"
        r"(?:[ \t][^\n]*)?$"
    ),
    # An agency credit closing a paragraph: "(Reuters)", "(dpa)", "(APA 4.9.2015)",
    # "(Mit Material von dpa-AFX)".
    "agency_credit": (
        rf"(?m)[ \t]*\((?:[Mm]it )?(?:Material (?:von|der) )?(?:{AGENCY})"
        rf"(?:[ ,/]+(?:{AGENCY}|\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}))*\)[ \t]*$"
    ),
    # The author's byline closing the text: "(Erika Muster, 3.4.2016)", "(mus, APA)"; the
    # closing bracket may be cut off.
    "author_byline": (
        rf"(?m)[ \t]*\((?:\p{{Lu}}[\p{{L}}.-]+(?: \p{{Lu}}[\p{{L}}.-]+){{1,3}}|\p{{Ll}}{{2,5}}),"
        rf" (?:{AGENCY}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})\)?[ \t]*$"
    ),
    # Newswire footer lines: Dow Jones ("DJG/abc/def", "(END) Dow Jones Newswires", the
    # "July 22, 2021 06:30 ET (10:30 GMT)" stamp, "Kontakt zur Autorin: ..."), dpa-AFX's
    # message id ("AFA0024 2018-11-22/11:07") and the ISIN line.
    "newswire_footer": (
        r"(?m)^[ \t]*(?:DJG?/[a-z]{2,4}(?:/[a-z]{2,4})*[^\n]*|\(END\) Dow Jones Newswires[^\n]*"
        r"|Kontakt zu[rm]? (?:Autorin|Autor|Autoren|Redaktion):[^\n]*"
        r"|(?:January|February|March|April|May|June|July|August|September|October|November"
        r"|December) \d{1,2}, \d{4} \d{2}:\d{2} ET \(\d{2}:\d{2} GMT\)"
        r"|[A-Z]{3}\d{4} \d{4}-\d{2}-\d{2}/\d{2}:\d{2}|ISIN:[ \t]*[A-Z]{2}[A-Z0-9]{9}\d)"
        r"[ \t]*(?:\n|$)"
    ),
    # An analyst note's study dates: "Veröffentlichung der Original-Studie: ...".
    "study_footer": (
        r"(?m)^[ \t]*(?:Veröffentlichung|Erstmalige Weitergabe) der Original-Studie:[^\n]*"
        r"(?:\n|$)"
    ),
    # A disclaimer paragraph: "Hinweis auf mögliche Interessenkonflikte: ...", "Hinweis:
    # Informationen zur Offenlegungspflicht ...", "Risikohinweis: ... keine Anlageberatung".
    "disclaimer": (
        rf"(?m)^[ \t]*(?:Hinweis|Haftungsausschluss|Disclaimer|Risikohinweis){_B}[^\n]*"
        r"(?:Interessenkonflikt|Offenlegungspflicht|Anlageberatung|Haftung)[^\n]*"
        r"(?:\n[^\n]+)*(?:\n|$)"
    ),
    # A source line under a table or chart: "Quelle: Unternehmensangaben".
    "source": r"(?m)^[ \t]*Quellen?:[^\n]*(?:\n|$)",
    # "Weitere Nachrichten" and its link lines: bullets, URLs, or short lines without a
    # full stop (headlines), blank lines between them included.
    "more_news": (
        r"(?m)^[ \t]*(?:Weitere Nachrichten|Weitere News|Weitere Artikel|Lesen Sie auch"
        rf"|Mehr zum Thema|Das könnte Sie auch interessieren){_B}(?:[^\n]{{0,100}}[^.\n])?"
        r"(?:\n|$)(?:[ \t]*(?:[-•*»›▸·][^\n]*|[^\n]*(?:https?://|www\.)[^\n]*"
        r"|[^\n]{0,119}[^.\n])?(?:\n|$))*"
    ),
    # Syndication note: "Der Artikel erschien zuerst auf beispiel.de".
    "first_published": (
        r"(?m)^[ \t]*(?:Der|Dieser) (?:Artikel|Beitrag|Text) (?:erschien|ist) (?:zuerst|"
        rf"ursprünglich|erstmals) (?:auf|bei|in|im){_B}[^\n]*(?:\n|$)"
    ),
    # A short "Stand:" line ("Stand: heute, 14:30 Uhr"); dated ones are `dateline` above.
    "as_of": r"(?m)^[ \t]*Stand:[^\n]{0,60}(?:\n|$)",
    # A date-and-source line under the headline: "13.02.2026, 09:56 Uhr | dpa-AFX".
    "byline_date": (
        r"(?m)^[ \t]*\d{1,2}\.\d{1,2}\.\d{4},?[ \t]+\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]+Uhr)?"
        r"(?:[ \t]*\|[ \t]*[^\n]{1,40})?[ \t]*(?:\n|$)"
    ),
    # Links to more of the publisher's pages: "Jetzt informieren!", "Wenn Sie mehr über
    # das Thema erfahren wollen, ...".
    "read_more": (
        r"(?m)^[ \t]*(?:Wenn Sie mehr über [^\n]*erfahren (?:wollen|möchten)[^\n]*"
        r"|Jetzt (?:informieren|weiterlesen|mehr erfahren)!?|Hier weiterlesen[^\n]{0,20})"
        r"[ \t]*(?:\n|$)"
    ),
}


# A cheap necessary condition per slow pattern: a text the pattern matches anywhere also
# matches its gate (each gate asks for a literal every match of the pattern contains), so
# the pattern runs only on the texts that pass it. Without a literal prefix or suffix the
# regex engine scans every text in full (~0.06 s per 10k synthetic articles per pattern,
# eight patterns), while these literal searches run at memchr speed. A pattern without a
# gate here is fast already (a literal prefilter of its own) or matches most texts.
# tests/test_clean_and_sentences.py checks each gate against the pattern's matches.
def _any(*patterns: str) -> Callable[[pl.Expr], pl.Expr]:
    return lambda body: pl.any_horizontal(body.str.contains(p) for p in patterns)


BOILERPLATE_GATES: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "dateline": _any("Veröffentlicht am|Datum|Stand"),
    # "Anzeige:", or an offer word and a call to the reader (both asked for on one line).
    "promo": lambda body: (
        body.str.contains("Anzeige:", literal=True)
        | (body.str.contains(_OFFER_WORDS) & body.str.contains("!|Sie|Ih"))
    ),
    "agency_credit": _any(rf"\((?:[Mm]it )?(?:Material (?:von|der) )?(?:{AGENCY})"),
    # Dow Jones' "DJG/..." and the message id "AFA0024 2018-11-22/11:07" both hold a slash.
    "newswire_footer": _any("/", r"\(END\) Dow Jones Newswires|Kontakt zu|ET \(|ISIN:"),
    "study_footer": _any("der Original-Studie:"),
    "disclaimer": _any("Interessenkonflikt|Offenlegungspflicht|Anlageberatung|Haftung"),
    "more_news": _any(
        "Weitere Nachrichten|Weitere News|Weitere Artikel|Lesen Sie auch|Mehr zum Thema"
        "|Das könnte Sie auch interessieren"
    ),
    "read_more": _any(
        "Wenn Sie mehr über |Jetzt (?:informieren|weiterlesen|mehr erfahren)|Hier weiterlesen"
    ),
}


# What NFC can change: a combining mark (composed onto or reordered after the letter before
# it), a Hangul vowel or final jamo (composed into a syllable), or a character that is not
# NFC on its own (the Angstrom sign). Text with none of them is NFC already, and most
# articles have none: NFC itself runs at ~50 MB/s, this test at hundreds.
_NFC_SENSITIVE = (
    r"[\p{M}\u1161-\u1175\u11A8-\u11C2"
    + "".join(
        re.escape(chr(cp))
        for cp in range(0x80, 0x30000)
        if not (0xD800 <= cp <= 0xDFFF) and unicodedata.normalize("NFC", chr(cp)) != chr(cp)
    )
    + "]"
)


def _nfc(col: pl.Expr) -> pl.Expr:
    # polars evaluates a `then` branch on the rows its condition holds for only.
    return pl.when(col.str.contains(_NFC_SENSITIVE)).then(col.str.normalize("NFC")).otherwise(col)


def normalize_text(col: pl.Expr) -> pl.Expr:
    """NFC, unix newlines, no trailing blanks on lines, at most one blank line in a row.

    `col` is evaluated more than once: pass a column, not a chain of work."""
    # Newlines, no-break spaces and trailing blanks are rewritten only in texts that have
    # them (a literal search each; most texts have none, and the three rewrites took about
    # half of normalize_text). NFC never adds or removes a \r, a U+00A0, a blank or a
    # newline, so asking before it is asking after it.
    needs_more = (
        col.str.contains("\r", literal=True)
        | col.str.contains("\u00a0", literal=True)
        | col.str.contains(" \n", literal=True)
        | col.str.contains("\t\n", literal=True)
        | col.str.ends_with(" ")
        | col.str.ends_with("\t")
    )
    nfc = _nfc(col)
    full = (
        nfc.str.replace_all("\r\n?", "\n")
        .str.replace_all("\u00a0", " ", literal=True)
        .str.replace_all(r"(?m)[ \t]+$", "")
    )
    return (
        pl.when(needs_more)
        .then(full)
        .otherwise(nfc)
        .str.replace_all(r"\n{3,}", "\n\n")
        .str.strip_chars()
    )


def clean_articles(docs: pl.LazyFrame, text_col: str = "raw_text") -> pl.LazyFrame:
    """Add `body` (prose only, normalized, hard wraps rejoined), `boilerplate` (what was
    removed, joined: the dateline first, then each pattern's matches in the order of
    BOILERPLATE_PATTERNS), `dateline_place` and `agency` (null without a dateline).

    Boilerplate goes first (its patterns read whole lines, before wraps are joined), then
    the dateline (read from the lines the boilerplate left), then the rejoin. The patterns
    run one after the other: one alternation of them all is several times slower (the
    regex engine loses each pattern's literal prefilter).
    """
    stripped = docs.with_columns(normalize_text(pl.col(text_col)).alias("_body"))
    pieces = []
    no_match = pl.lit([], dtype=pl.List(pl.String))
    for i, (name, pattern) in enumerate(BOILERPLATE_PATTERNS.items()):
        # The matches first, then the replacement only in texts with a match: most texts
        # have none of most patterns, and a replace_all scanning them costs more than the
        # extract (polars evaluates `then` on the rows its condition holds for only).
        # A sign-off's `keep` (the mark before the slash) goes back into the body.
        body = pl.col("_body")
        found = body.str.extract_all(pattern)
        gate = BOILERPLATE_GATES.get(name)
        if gate is not None:
            # A null text keeps extract_all's null.
            found = pl.when(gate(body) | body.is_null()).then(found).otherwise(no_match)
        stripped = stripped.with_columns(found.alias(f"_bp{i}"))
        stripped = stripped.with_columns(
            pl.when(pl.col(f"_bp{i}").list.len() > 0)
            .then(body.str.replace_all(pattern, "${keep}\n"))
            .otherwise(body)
            .alias("_body")
        )
        pieces.append(f"_bp{i}")
    removed = pl.concat_list(pieces).list.eval(
        pl.element().str.replace(r"^[.!?\"“”»)](/[a-z])", "$1").str.strip_chars()
    )
    # normalize_text is idempotent, so a text it has seen and nothing changed since needs
    # no second pass (two of the three passes were ~20% of cleaning): here the texts where
    # no pattern matched, below the texts the dateline and the rejoin left as they were.
    matched = pl.any_horizontal(pl.col(p).list.len() > 0 for p in pieces)
    stripped = (
        stripped.with_columns(
            _normalize_if(matched, pl.col("_body")).alias("_body"), removed.alias("_removed")
        )
        .drop(pieces)
        .with_columns(pl.col("_body").alias("_normalized"))
    )
    body = pl.col("_body")
    return (
        rejoin_lines(split_dateline(stripped, "_body"), "_body")
        .with_columns(
            _normalize_if(body != pl.col("_normalized"), body).alias("body"),
            pl.concat_list(pl.col("_dateline_text"), pl.col("_removed"))
            .list.drop_nulls()
            .list.join("\n")
            .alias("boilerplate"),
        )
        .drop("_body", "_normalized", "_removed", "_dateline_text")
    )


def _normalize_if(changed: pl.Expr, col: pl.Expr) -> pl.Expr:
    """normalize_text(col) where `changed` holds, else `col` (already normalized)."""
    return pl.when(changed).then(normalize_text(col)).otherwise(col)
