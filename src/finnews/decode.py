"""Bytes -> text, or a reason why a file is not an article. One file at a time (I/O bound)."""

from __future__ import annotations

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


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


@dataclass(frozen=True)
class Rejected:
    reason: str
    detail: str


def decode_bytes(data: bytes) -> Decoded | Rejected:
    """Decode an article file: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252."""
    if not data:
        return Rejected("empty", "file has 0 bytes")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
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
    if not decoded.text.strip():
        return Rejected("whitespace_only", "file holds only whitespace")
    if looks_like_html(decoded.text):
        return Decoded(html_to_text(decoded.text), f"{decoded.encoding}+html")
    return decoded


def _decode_8bit(data: bytes) -> Decoded | Rejected:
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            # Valid UTF-8 up to a character cut in half: the file was cut off mid-write.
            return Rejected("truncated", f"file ends inside a UTF-8 character at byte {exc.start}")
        # Windows newsroom exports: cp1252 covers umlauts, € and typographic quotes;
        # latin-1 never fails and keeps the bytes cp1252 leaves undefined.
        try:
            return Decoded(data.decode("cp1252"), "cp1252")
        except UnicodeDecodeError:
            return Decoded(data.decode("latin-1"), "latin-1")
