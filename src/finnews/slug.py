"""Stable snake_case keys from names: company ids of the universe and of discovered
organisations, so that the same name always gets the same key."""

from __future__ import annotations

import re
import unicodedata

import polars as pl

# Letters NFKD does not decompose into ASCII.
_FOLD = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L"})


def slug(name: str) -> str:
    """ "Münchener Rück" -> "munchener_ruck" (umlauts fold to their base letter),
    "Eckert & Ziegler" -> "eckert_and_ziegler", "JD.com" -> "jd_com"."""
    text = name.translate(_FOLD).replace("&", " and ")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def slug_expr(col: pl.Expr) -> pl.Expr:
    """`slug` as a polars expression (the same key for the names of a column)."""
    folded = col
    for letter, ascii_ in [("ß", "ss"), ("ø", "o"), ("Ø", "O"), ("æ", "ae"), ("Æ", "AE"),
                           ("ł", "l"), ("Ł", "L"), ("&", " and ")]:  # fmt: skip
        folded = folded.str.replace_all(letter, ascii_, literal=True)
    return (
        folded.str.normalize("NFKD")
        .str.replace_all(r"[^\x00-\x7f]", "")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]+", "_")
        .str.strip_chars("_")
    )
