"""Separate article prose from publisher boilerplate (ads, "Kaufen oder verkaufen?!" teasers).

Vectorized over a frame of documents. The removed text is kept in `boilerplate` so nothing
is lost, and `body` is what every character offset downstream refers to.
"""

from __future__ import annotations

import polars as pl

_OFFER = (
    r"(?:\b[Gg]ratis|kostenlos|Sonderreport|Spezialreport|Börsenbrief|Newsletter"
    r"|[Uu]nsere (?:Experten|Analysten))"
)
# An exclamation, or the reader addressed inside the line (a line opening with "Sie" may be
# the company: "Sie verdiente 700 Millionen Yuan").
_TO_READER = r"(?:!|\b(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer)\b)"

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
}

_BOILERPLATE_ANY = "|".join(f"(?:{p})" for p in BOILERPLATE_PATTERNS.values())


def normalize_text(col: pl.Expr) -> pl.Expr:
    """NFC, unix newlines, no trailing blanks on lines, at most one blank line in a row."""
    return (
        col.str.normalize("NFC")
        .str.replace_all("\r\n?", "\n")
        .str.replace_all("\u00a0", " ", literal=True)
        .str.replace_all(r"(?m)[ \t]+$", "")
        .str.replace_all(r"\n{3,}", "\n\n")
        .str.strip_chars()
    )


def clean_articles(docs: pl.LazyFrame, text_col: str = "raw_text") -> pl.LazyFrame:
    """Add `body` (prose only, normalized) and `boilerplate` (what was removed, joined)."""
    text = normalize_text(pl.col(text_col))
    removed = text.str.extract_all(_BOILERPLATE_ANY).list.eval(pl.element().str.strip_chars())
    return docs.with_columns(
        normalize_text(text.str.replace_all(_BOILERPLATE_ANY, "\n")).alias("body"),
        removed.list.join("\n").alias("boilerplate"),
    )
