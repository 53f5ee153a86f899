"""Agency datelines ("MÜNCHEN (dpa-AFX) -", "Wien –"): place and agency as metadata.

A dateline is read only where a dateline stands: at the start of the text, at the start of
a line after a header block of short lines (headline, date line, ticker), or after the lead
sentences of a first line that holds headline, lead and body together (DER STANDARD's
export: "Headline. Lead. Wien – Body"). A place-like word before a dash further into the
text is part of a sentence and stays there.
"""

from __future__ import annotations

import polars as pl

from finnews.lexicon import alternation

# Agencies (and agency services) that sign datelines and credits, as they are written.
AGENCIES: list[str] = [
    "dpa-AFX Analyser", "dpa-AFX Broker", "dpa-AFX", "dpa", "Reuters", "Dow Jones", "DJ",
    "AFP", "AP", "APA", "Bloomberg", "sda", "awp", "KNA", "epd", "Xinhua",
]  # fmt: skip
AGENCY = alternation(AGENCIES)

# Capitalised words that open ordinary sentences before a dash ("Die Folge – Anleger ...",
# "Fazit – Die Aktie ...") and the agencies' slugs ("KORREKTUR - ..."): never a place.
# Compared in lower case against every word of a dateline without an agency.
NOT_PLACES: list[str] = [
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer",
    "und", "oder", "aber", "doch", "auch", "also", "nun", "dann", "noch", "nur", "so",
    "im", "in", "am", "an", "auf", "aus", "bei", "mit", "nach", "von", "vor", "zum", "zur",
    "es", "er", "sie", "wir", "ich", "man", "dies", "diese", "dieser", "was", "wer",
    "fazit", "fakt", "folge", "grund", "ergebnis", "hintergrund", "ausblick", "achtung",
    "update", "eilmeldung", "korrektur", "wdh", "roundup", "analyse", "kommentar",
    "interview", "stichwort", "presse", "presseschau", "faktenbox", "chronologie", "top",
    "flop", "aktie", "aktien", "börse", "dax", "mdax", "sdax", "tecdax", "euro", "dollar",
]  # fmt: skip

# One word of a place: "MÜNCHEN", "Frankfurt", "St. Pölten", "Hamburg-Finkenwerder".
_WORD = r"(?:St\.|\p{Lu}[\p{L}'’-]*)"
# Up to five words: "NEW YORK", "TOKIO/HONGKONG/SHANGHAI/SYDNEY", "Frankfurt am Main".
_CONNECTORS = r" (?:am|an der|ob der|im) "
PLACE = rf"{_WORD}(?:(?: |/|{_CONNECTORS}){_WORD}){{0,4}}"
# An optional date between place and agency: "Frankfurt, 10. Okt (Reuters) -".
_WHEN = r"\d{1,2}\.[ \t]?(?:\d{1,2}\.(?:\d{2,4})?|\p{Lu}\p{Ll}{2,8}\.?)"
# Before the dateline: nothing, up to twelve header lines (short, not ending in a full
# stop: headline, date and ticker lines), or the lead sentences of the first line.
_HEAD = r"(?P<head>(?:(?:[^\n]{0,119}[^.\n])?\n){0,12}?|(?P<lead>[^\n]{0,600}?[.!?\"“”])[ \t]+)"
# With an agency the dash may be glued ("FRANKFURT (Dow Jones)--Mit"); without one the
# dash is spaced and the rest of the line is prose (a paragraph, not a headline: at least
# 100 characters), so "Tesla - Neue Fabrik" as a headline is no dateline.
_WITH_AGENCY = (
    rf"(?P<place>{PLACE})(?:,[ \t]*{_WHEN})?[ \t]*\((?P<agency>{AGENCY})\)"
    r"[ \t]*(?:--?|[–—])[ \t]*(?P<rest>\S)"
)
_BARE = (
    rf"(?P<bare_place>{PLACE})[ \t]*[-–—][ \t]+"
    r"(?P<bare_rest>[\p{Lu}\d„\"“»][^\n]{99})"
)
# `rest` / `bare_rest` capture only the start of what follows the dash: the body runs from
# there to the end of the text (sliced off in split_dateline). Captured through the end, as
# `\S(?s:.*)`, the regex engine's slow capture search ran over every whole text (~0.3 s per
# 20k articles); `matched` (the whole match) tells where that start is. A pattern ending
# in `(?s:.*)` matches wherever its part before matches, with the same groups.
DATELINE = rf"^(?P<matched>{_HEAD}(?:{_WITH_AGENCY}|{_BARE}))"

_NOT_PLACE = rf"(?i)(?:^|[ /])(?:{alternation(NOT_PLACES)})(?:$|[ /])"


def split_dateline(docs: pl.LazyFrame, text_col: str) -> pl.LazyFrame:
    """Replace `text_col` by the text without its dateline; add `dateline_place`, `agency`
    and `_dateline_text` (the removed words, for the boilerplate column).

    The body then starts at the first word after the dash; a lead before the dateline stays
    as the first line (a headline line), so it never runs into the first sentence.
    """
    parts = pl.col("_dateline_parts")
    bare = parts.struct["bare_place"]
    # The capitalised words only: "Frankfurt am Main" is not rejected for its "am".
    bare_words = bare.str.replace_all(_CONNECTORS, " ")
    bare_ok = bare.is_not_null() & ~bare_words.str.contains(_NOT_PLACE)
    found = parts.struct["place"].is_not_null() | bare_ok
    # Where the body starts (in characters): the end of the match, less its start captured.
    rest_start = (
        parts.struct["matched"].str.len_chars()
        - pl.coalesce(parts.struct["rest"], parts.struct["bare_rest"]).str.len_chars()
    )
    lead = parts.struct["lead"]
    before = pl.when(lead.is_not_null()).then(lead + "\n").otherwise(parts.struct["head"])
    text = pl.col(text_col)
    rest = text.str.slice(rest_start)
    head_len = parts.struct["head"].str.len_chars()
    removed = text.str.slice(head_len, rest_start - head_len)
    return (
        docs.with_columns(text.str.extract_groups(DATELINE).alias("_dateline_parts"))
        .with_columns(
            pl.when(found).then(pl.concat_str(before, rest)).otherwise(text).alias(text_col),
            pl.when(found)
            .then(pl.coalesce(parts.struct["place"], bare))
            .cast(pl.String)
            .alias("dateline_place"),
            pl.when(found).then(parts.struct["agency"]).cast(pl.String).alias("agency"),
            pl.when(found).then(removed.str.strip_chars()).cast(pl.String).alias("_dateline_text"),
        )
        .drop("_dateline_parts")
    )
