"""Stable snake_case keys from names: company ids of the universe and of discovered
organisations, so that the same name always gets the same key."""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose into ASCII.
_FOLD = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L"})


def slug(name: str) -> str:
    """ "Münchener Rück" -> "munchener_ruck" (umlauts fold to their base letter),
    "Eckert & Ziegler" -> "eckert_and_ziegler", "JD.com" -> "jd_com"."""
    text = name.translate(_FOLD).replace("&", " and ")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
