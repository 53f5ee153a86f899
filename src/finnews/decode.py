"""Bytes -> text, or a reason why a file is not an article. One file at a time (I/O bound)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from finnews.html_text import html_to_text, looks_like_html

# Magic numbers of binary formats that end up in drop folders under a .txt name.
_MAGIC: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (or Office document)",
    b"\x1f\x8b": "gzip archive",
}
_MAGIC_PREFIXES = tuple(_MAGIC)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    # Invalid bytes replaced by U+FFFD (only for "utf-8+replaced"; 0 otherwise).
    decode_errors: int = 0


@dataclass(frozen=True)
class Rejected:
    reason: str
    detail: str


def decode_bytes(data: bytes) -> Decoded | Rejected:
    """Decode an article file: UTF-8 (with or without BOM, or with a few bad bytes replaced:
    see `_damaged_utf8`), UTF-16 with BOM, else cp1252."""
    if not data:
        return Rejected("empty", "file has 0 bytes")
    if data.startswith(_MAGIC_PREFIXES):  # one test for the common case, an article
        kind = next(kind for magic, kind in _MAGIC.items() if data.startswith(magic))
        return Rejected("binary", f"file starts like a {kind}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            decoded = Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            return Rejected("undecodable", f"UTF-16 BOM but invalid UTF-16: {exc}")
    elif b"\x00" in data:
        return Rejected("binary", f"NUL byte at offset {data.index(0)}")
    else:
        decoded = _decode_8bit(data)
        if isinstance(decoded, Rejected):
            return decoded
    if not decoded.text or decoded.text.isspace():  # as `not text.strip()`, without a copy
        return Rejected("whitespace_only", "file holds only whitespace")
    if looks_like_html(decoded.text):
        html = html_to_text(decoded.text)
        return Decoded(html, f"{decoded.encoding}+html", decoded.decode_errors)
    return decoded


_UTF8_BOM = b"\xef\xbb\xbf"
# surrogateescape turns each byte that is not valid UTF-8 into one of these code points.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
# Characters German and European news use beyond ASCII: Latin-1 and Latin Extended-A letters
# (umlauts, ß, accents), typographic punctuation („“ – …), currency signs (€), ™ and the BOM.
# Byte pairs of a cp1252 file that happen to be valid UTF-8 ("ß“" = U+07D3) fall outside.
_EXPECTED_NON_ASCII = re.compile("[\u00a0-\u017f\u2000-\u206f\u20a0-\u20cf\u2100-\u214f\ufeff]")
# A UTF-8 file may have this many bad bytes whatever its count of umlauts.
_FEW_BAD_BYTES = 8


def _decode_8bit(data: bytes) -> Decoded | Rejected:
    if not data.startswith(_UTF8_BOM):
        # Without a BOM utf-8-sig is utf-8, and the plain codec skips its Python wrapper;
        # a failure takes the full path below, which reports it as before.
        try:
            return Decoded(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            # Valid UTF-8 up to a character cut in half: the file was cut off mid-write.
            return Rejected("truncated", f"file ends inside a UTF-8 character at byte {exc.start}")
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return damaged
    # Windows newsroom exports: cp1252 covers umlauts, € and typographic quotes;
    # latin-1 never fails and keeps the bytes cp1252 leaves undefined.
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "latin-1")


def _damaged_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few bad bytes, decoded with U+FFFD for each bad byte; None if not UTF-8.

    Rule: a file that is not valid UTF-8 is still UTF-8 when it starts with the UTF-8 BOM, or
    when it holds at least one valid multi-byte UTF-8 sequence for an expected character
    (umlaut, ß, accent, „“–…, €) and its invalid bytes number at most 8 or at most as many as
    those characters. Otherwise it is cp1252. A UTF-8 article with a stray byte or two still
    has its umlauts as valid sequences; a cp1252 file has an invalid byte for every umlaut and
    no valid sequences but chance pairs that decode to unexpected characters ("ß“" -> U+07D3).
    Re-decoding damaged UTF-8 as cp1252 would turn every umlaut into mojibake ("MÃ¼nchner").
    """
    text = data.decode("utf-8", errors="surrogateescape")
    bad = len(_ESCAPED_BYTE.findall(text))
    expected = len(_EXPECTED_NON_ASCII.findall(text))
    if not data.startswith(_UTF8_BOM) and not (expected and bad <= max(expected, _FEW_BAD_BYTES)):
        return None
    repaired = _ESCAPED_BYTE.sub("\ufffd", text).removeprefix("\ufeff")
    return Decoded(repaired, "utf-8+replaced", bad)
