"""Ingest real files on disk into a real DuckDB file: decoding, dedup, quarantine."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from finnews.decode import Decoded, Rejected, decode_bytes
from finnews.ingest import ingest_folder
from finnews.warehouse import connect, ensure_raw_schema

ARTICLE = (
    "BMW-Aktie: Neue Klasse läuft vom Band\n"
    "Der Münchner Autobauer BMW startet die Produktion im Werk Debrecen. "
    "Die Aktie notiert bei 84,12 Euro, der Umsatz lag bei 32,4 Milliarden Euro.\n"
)
TEASER = (
    "\nBMW-Aktie: Kaufen oder verkaufen?! Neue BMW-Analyse vom 2. Oktober liefert die Antwort:\n"
    "Lohnt sich der Einstieg? Die Gratis-Analyse vom 2. Oktober sagt es.\n"
)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = connect(tmp_path / "wh" / "work.duckdb", memory_limit="1GB")
    ensure_raw_schema(connection)
    yield connection
    connection.close()


def test_decoding_choices() -> None:
    text = "Größe: 5 € für Übernahme"
    assert decode_bytes(text.encode("utf-8")) == Decoded(text, "utf-8")
    assert decode_bytes(text.encode("cp1252")) == Decoded(text, "cp1252")
    assert decode_bytes(text.encode("utf-16")) == Decoded(text, "utf-16")
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")) == Decoded(text, "utf-8")
    assert decode_bytes(b"") == Rejected("empty", "file has 0 bytes")
    assert isinstance(decode_bytes(b" \n\t "), Rejected)
    png = decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert isinstance(png, Rejected) and png.reason == "binary" and "PNG" in png.detail
    assert decode_bytes(b"abc\x00def") == Rejected("binary", "NUL byte at offset 3")


def test_mixed_folder_loads_good_quarantines_bad_and_dedups(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "bmw.txt").write_text(ARTICLE + TEASER, encoding="utf-8")
    # Same prose, other name, other encoding, no teaser: one article, two sources. Files
    # load in name order, so bmw.txt is the source and the copy is the duplicate.
    (drop / "zz BMW Kopie (ä).txt").write_bytes((ARTICLE + "\n\n").encode("cp1252"))
    (drop / "utf16.txt").write_bytes(ARTICLE.replace("BMW", "Bayer").encode("utf-16"))
    (drop / "leer.txt").write_bytes(b"")
    (drop / "blank.txt").write_text("   \n\n  ")
    (drop / "bild.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (drop / "nur_werbung.txt").write_text(TEASER.strip())
    (drop / "notizen.csv").write_text("not,an,article")

    result = ingest_folder(con, drop, "run-1")

    assert (result.files_seen, result.articles_new, result.duplicates, result.quarantined) == (
        7,
        2,
        1,
        4,
    )
    reasons = dict(con.execute("select file_name, reason from raw.quarantine").fetchall())
    assert reasons == {
        "leer.txt": "empty",
        "blank.txt": "whitespace_only",
        "bild.txt": "binary",
        "nur_werbung.txt": "no_prose",
    }
    statuses = dict(con.execute("select file_name, status from raw.files").fetchall())
    assert statuses["zz BMW Kopie (ä).txt"] == "duplicate"
    assert statuses["bmw.txt"] == "loaded"
    sources = con.execute(
        "select count(distinct article_id) from raw.files where file_name like '%BMW%' "
        "or file_name = 'bmw.txt'"
    ).fetchone()[0]
    assert sources == 1
    body, boilerplate, encoding = con.execute(
        "select body, boilerplate, encoding from raw.articles where source_path like '%bmw.txt'"
    ).fetchone()
    assert body == ARTICLE.strip()
    assert "Analyse vom 2. Oktober" in boilerplate
    assert encoding == "utf-8"
    utf16 = con.execute(
        "select encoding, title from raw.articles where source_path like '%utf16.txt'"
    ).fetchone()
    assert utf16 == ("utf-16", "Bayer-Aktie: Neue Klasse läuft vom Band")


def test_second_ingest_of_unchanged_files_adds_nothing(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "bmw.txt").write_text(ARTICLE)
    first = ingest_folder(con, drop, "run-1")
    second = ingest_folder(con, drop, "run-2")
    assert first.articles_new == 1
    assert (second.files_unchanged, second.articles_new, second.quarantined) == (1, 0, 0)
    assert con.execute("select count(*) from raw.articles").fetchone()[0] == 1
    assert con.execute("select count(*) from raw.files").fetchone()[0] == 1


def test_missing_input_folder_is_a_clear_error(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError, match="input folder does not exist"):
        ingest_folder(con, tmp_path / "nope", "run-1")


def test_bulk_jsonl_and_parquet_records_load_as_articles(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    records = [
        {"id": "a-1", "published": "2025-11-02", "text": ARTICLE},
        {"id": "a-2", "text": ARTICLE.replace("BMW", "Siemens")},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + [
        "{not json",
        json.dumps({"id": "x"}),
    ]
    (drop / "export.jsonl").write_text("\n".join(lines) + "\n")
    pl.DataFrame(
        [{"id": "p-1", "published": "2025-10-01", "text": ARTICLE.replace("BMW", "SAP")}]
    ).write_parquet(drop / "export.parquet")
    result = ingest_folder(con, drop, "run-1")
    assert (result.articles_new, result.quarantined) == (3, 2)
    assert result.quarantine_reasons == {"bad_record": 2}
    rows = con.execute(
        "select f.file_name, a.published_date::varchar, a.published_date_method, a.encoding "
        "from raw.files f join raw.articles a using (article_id) order by f.file_name"
    ).fetchall()
    assert rows == [
        ("a-1", "2025-11-02", "record_field", "utf-8+jsonl"),
        ("a-2", None, None, "utf-8+jsonl"),
        ("p-1", "2025-10-01", "record_field", "utf-8+parquet"),
    ]
    again = ingest_folder(con, drop, "run-2")
    assert (again.files_unchanged, again.articles_new) == (2, 0)


def test_a_warehouse_with_the_old_article_key_loses_it_and_keeps_its_rows(tmp_path: Path) -> None:
    # raw.articles had a primary key; with an index DuckDB rewrote the whole table at every
    # checkpoint after an append. An old file gets the table copied once without it.
    path = tmp_path / "work.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema raw")
        con.execute(
            "create table raw.articles (article_id varchar primary key, source_path varchar "
            "not null, title varchar, body varchar not null, boilerplate varchar, raw_text "
            "varchar not null, encoding varchar, published_date date, published_date_method "
            "varchar, published_date_note varchar, run_id varchar not null, loaded_at "
            "timestamp not null)"
        )
        con.execute(
            "insert into raw.articles values ('a1', 'x.txt', 't', 'Text.', null, 'Text.', "
            "'utf-8', null, null, null, 'r1', now())"
        )
    with connect(path) as con:
        ensure_raw_schema(con)
        ensure_raw_schema(con)  # idempotent
        kinds = con.execute(
            "select constraint_type from duckdb_constraints() "
            "where schema_name = 'raw' and table_name = 'articles'"
        ).fetchall()
        rows = con.execute("select article_id, body, decode_errors from raw.articles").fetchall()
    assert ("PRIMARY KEY",) not in kinds and ("NOT NULL",) in kinds
    assert rows == [("a1", "Text.", None)]
