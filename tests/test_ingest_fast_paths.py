"""The ingest's faster paths give what the plain ones give: the batch read on a thread, the
listing of path strings, the read that reuses the read-ahead's lstat, the ids over a batch."""

from __future__ import annotations

import json
import os
import sys
import threading
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

import finnews.ingest as ingest_module
from finnews.ingest import _article_id, _article_ids, ingest_folder, list_input_files
from finnews.warehouse import connect, ensure_raw_schema

ARTICLE = (
    "Werft-Aktie: Auftrag für zwei Fähren\n"
    "Die Kieler Werft baut zwei Fähren für 180 Millionen Euro. "
    "Die Aktie stieg um 4,2 Prozent auf 18,40 Euro.\n"
)


def _article(n: int) -> str:
    return ARTICLE.replace("zwei", f"{n + 2}").replace("4,2", f"{n % 9},{n % 7}")


def _drop(root: Path) -> Path:
    """Articles in two folders, duplicates (a copy, and the same prose spaced otherwise), a
    binary file, a truncated one, a symlink inside the folder and a bulk file."""
    drop = root / "drop"
    for n in range(12):
        folder = drop / f"{n // 5:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"artikel-{n:03d}.txt").write_text(_article(n), encoding="utf-8")
    (drop / "kopie.txt").write_text(_article(3), encoding="utf-8")
    (drop / "kopie-weit.txt").write_text(_article(4).replace(" ", "  \t"), encoding="utf-8")
    (drop / "bild.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    (drop / "halb.txt").write_text("Die Werft baut zwei Fähren für", encoding="utf-8")
    (drop / "verweis.txt").symlink_to(drop / "00" / "artikel-001.txt")
    records = [{"id": "b-1", "text": _article(40)}, {"id": "b-2", "text": _article(5)}]
    (drop / "export.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return drop


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    # Rows in insertion order: the order of the batches is part of what must not change.
    return {t: con.execute(f"select * from raw.{t}").fetchall()
            for t in ("articles", "files", "quarantine")}  # fmt: skip


def test_the_batch_read_on_a_thread_gives_the_rows_of_the_sequential_read(tmp_path: Path) -> None:
    drop = _drop(tmp_path)
    edited, touched = drop / "00" / "artikel-002.txt", drop / "01" / "artikel-006.txt"
    warehouses = {"thread": True, "sequential": False}
    cons = {name: connect(tmp_path / f"{name}.duckdb", memory_limit="1GB") for name in warehouses}
    results: dict[str, list] = {name: [] for name in warehouses}
    for night in (1, 2):
        if night == 2:  # made once, after both warehouses read night 1 (same stat for both)
            edited.write_text(_article(2) + "Die Auslieferung beginnt im Mai.\n")
            st = touched.stat()
            os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
            (drop / "neu.txt").write_text(_article(77), encoding="utf-8")
        for name, read_behind in warehouses.items():
            ensure_raw_schema(cons[name])
            results[name].append(
                ingest_folder(
                    cons[name],
                    drop,
                    f"run-{night}",
                    now=datetime(2026, 3, night, 2),
                    batch_docs=3,
                    read_behind=read_behind,
                )
            )
    tables = {name: {"results": results[name], **_tables(cons[name])} for name in warehouses}
    for con in cons.values():
        con.close()

    threaded, sequential = tables["thread"], tables["sequential"]
    assert threaded == sequential
    night_one, night_two = threaded["results"]
    # 12 files and one bulk record new; the copy, the respaced copy, the symlink and one
    # bulk record are duplicates.
    assert (night_one.articles_new, night_one.duplicates) == (13, 4)
    assert night_one.quarantine_reasons == {"binary": 1, "truncated": 1}
    # Night 2: the edited file is a new version, the touched one unchanged by hash, the
    # new file new; every other file is unchanged.
    assert (night_two.articles_new, night_two.files_unchanged) == (2, 17)
    assert night_two.quarantined == 0


def test_an_error_in_a_flush_stops_the_reader_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop = _drop(tmp_path)
    con = connect(tmp_path / "wh.duckdb", memory_limit="1GB")
    ensure_raw_schema(con)

    def fail(*_args: object) -> None:
        raise RuntimeError("Platte voll")

    monkeypatch.setattr(ingest_module, "_flush", fail)
    with pytest.raises(RuntimeError, match="Platte voll"):
        ingest_folder(con, drop, "run-1", batch_docs=2)
    assert not [t for t in threading.enumerate() if t.name.startswith("ingest-read")]
    con.close()


def test_the_listing_spells_and_orders_paths_as_pathlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop = _drop(tmp_path)
    (drop / "00" / "Ä-umlaut.md").write_text(ARTICLE)
    (drop / "00" / "punkt.").write_text(ARTICLE)  # no suffix as pathlib reads it: not listed
    (drop / "a.b").mkdir()
    (drop / "a.b" / "ohne").write_text(ARTICLE)  # a dot in the folder is no suffix
    (drop / "a.b" / "mit.TXT").write_text(ARTICLE)
    (drop / ".versteckt.txt").write_text(ARTICLE)
    suffixes = ingest_module.ARTICLE_SUFFIXES | ingest_module.BULK_SUFFIXES

    def by_pathlib(root: Path) -> list[Path]:
        found = [Path(folder) / name for folder, _, names in os.walk(root) for name in names
                 if not name.startswith(".") and Path(name).suffix.lower() in suffixes]  # fmt: skip
        return sorted(found, key=lambda p: p.parts)

    assert list_input_files(drop) == by_pathlib(drop)
    assert drop / "a.b" / "mit.TXT" in list_input_files(drop)
    monkeypatch.chdir(drop)
    assert list_input_files(Path(".")) == by_pathlib(Path("."))
    assert list_input_files(Path("./00/")) == by_pathlib(Path("00"))
    assert str(list_input_files(Path("./00/"))[0]).startswith("00/")


def test_a_symlink_swapped_in_after_the_read_ahead_is_judged_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read-ahead saw a regular file; by its read it is a symlink leading outside."""
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "gut.txt").write_text(ARTICLE)
    outside = tmp_path / "draussen.txt"
    outside.write_text(ARTICLE.replace("Kieler", "Rostocker"))
    real_read = ingest_module._read

    def swap_then_read(batch, path, *args):  # noqa: ANN001, ANN202 - the patched _read
        if path.endswith("gut.txt"):
            os.replace(drop / "gut.txt", tmp_path / "weg.txt")
            os.symlink(outside, drop / "gut.txt")
        return real_read(batch, path, *args)

    monkeypatch.setattr(ingest_module, "_read", swap_then_read)
    con = connect(tmp_path / "wh.duckdb", memory_limit="1GB")
    ensure_raw_schema(con)
    result = ingest_folder(con, drop, "run-1")
    assert (result.articles_new, result.quarantine_reasons) == (0, {"symlink_outside_input": 1})
    con.close()


def test_article_ids_over_a_batch_fold_whitespace_as_str_split() -> None:
    spaces = [chr(cp) for cp in range(sys.maxunicode + 1) if chr(cp).isspace()]
    # Not whitespace to str.split(): zero-width space, BOM, Mongolian vowel separator.
    others = ["a", "ä", "€", " ", "  ", "\n", "\u200b", "\ufeff", "\u180e", "x y"]
    bodies = ["", " ", "a", ARTICLE, ARTICLE.replace(" ", "\u00a0\n ")]
    bodies += [f"{s}{o}{s}{o}" for s in spaces for o in others]
    bodies += [f"a{s}{t}b {s}" for s in spaces for t in spaces]
    ids = _article_ids(pl.Series(bodies)).to_list()
    assert ids == [_article_id(b) for b in bodies]
