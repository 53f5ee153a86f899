"""Odd things in the drop folder, made for real on disk: FIFOs, sockets, symlink loops, names
that are not UTF-8, broken bulk files, damaged UTF-8, edits that keep their mtime, a warehouse
inside the drop folder, a folder that cannot be listed. Each is confined to itself: it is
quarantined (or loaded) with a reason, and the good files beside it load."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from finnews import ingest as ingest_module
from finnews.config import Settings
from finnews.decode import Decoded, decode_bytes
from finnews.ingest import IngestResult, ingest_folder, list_input_files
from finnews.pipeline import ingest as pipeline_ingest
from finnews.warehouse import connect, ensure_raw_schema
from tests.helpers import ROOT

# Example texts written for these tests.
ARTICLE = (
    "Hafenbetreiber meldet Rekordumschlag\n"
    "Der Münchner Logistikkonzern Beispiel AG hat im dritten Quartal 4,2 Millionen Container "
    "umgeschlagen. Der Umsatz stieg auf 812 Millionen Euro, die Aktie schloss bei 23,40 Euro.\n"
)
OTHER = (
    "Brauerei erhöht die Preise\n"
    "Die Brauerei Musterbräu verlangt ab Januar fünf Prozent mehr für ihr Helles. "
    "Grund seien höhere Kosten für Gerste, Glas und Energie.\n"
)
# A FIFO opened for reading blocks until a writer comes: each ingest here runs under a clock.
TIMEOUT_S = 30.0


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(tmp_path / "wh" / "work.duckdb", memory_limit="1GB")
    ensure_raw_schema(connection)
    yield connection
    connection.close()


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "gut.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def _unblock_fifos(folder: Path) -> None:
    """Open each FIFO for writing once, so a reader stuck on it sees end of file."""
    for path in folder.rglob("*"):
        if path.is_fifo():
            with contextlib.suppress(OSError):  # no reader waiting: nothing to unblock
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


def _ingest_in_time(
    con: duckdb.DuckDBPyConnection, folder: Path, run_id: str, **kwargs: object
) -> IngestResult:
    """ingest_folder in a thread that must finish within TIMEOUT_S."""
    outcome: list[IngestResult | BaseException] = []

    def work() -> None:
        try:
            outcome.append(ingest_folder(con, folder, run_id, **kwargs))  # type: ignore[arg-type]
        except BaseException as exc:  # handed to the test thread below
            outcome.append(exc)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(TIMEOUT_S)
    if worker.is_alive():
        _unblock_fifos(folder)
        worker.join(5)
        pytest.fail(f"ingest did not finish within {TIMEOUT_S:.0f} s (a FIFO was opened?)")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _quarantine(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    rows = con.execute("select file_name, reason, detail from raw.quarantine").fetchall()
    return {name: (reason, detail) for name, reason, detail in rows}


def _loaded(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute("select file_name from raw.files where status = 'loaded' order by 1")
    return [name for (name,) in rows.fetchall()]


def test_fifo_socket_and_symlink_loops_are_quarantined_without_being_opened(
    con: duckdb.DuckDBPyConnection, drop: Path
) -> None:
    os.mkfifo(drop / "x.txt")
    (drop / "sub").mkdir()
    os.mkfifo(drop / "sub" / "pipe.md")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(drop / "sock.txt"))
    (drop / "a.txt").symlink_to("b.txt")
    (drop / "b.txt").symlink_to("a.txt")
    (drop / "zur-pipe.txt").symlink_to("x.txt")
    (drop / "ich.txt").symlink_to("ich.txt")
    (drop / "verweis.txt").symlink_to("gut.txt")  # a link to a file inside is read as usual
    try:
        result = _ingest_in_time(con, drop, "run-1")
    finally:
        server.close()

    quarantine = _quarantine(con)
    assert {name: reason for name, (reason, _) in quarantine.items()} == {
        "x.txt": "not_a_regular_file",
        "pipe.md": "not_a_regular_file",
        "sock.txt": "not_a_regular_file",
        "zur-pipe.txt": "not_a_regular_file",
        "a.txt": "symlink_loop",
        "b.txt": "symlink_loop",
        "ich.txt": "symlink_loop",
    }
    assert quarantine["x.txt"][1] == "fifo (named pipe); not opened"
    assert quarantine["sock.txt"][1] == "socket; not opened"
    assert quarantine["zur-pipe.txt"][1] == "symlink to a fifo (named pipe); not opened"
    assert (result.articles_new, result.quarantined) == (1, 7)
    assert _loaded(con) == ["gut.txt"]
    assert result.duplicates == 1  # verweis.txt
    # Nothing was read from the FIFO: it still waits for its first reader and writer.
    assert stat.S_ISFIFO(os.lstat(drop / "x.txt").st_mode)


def test_a_device_node_is_quarantined_without_being_opened(
    con: duckdb.DuckDBPyConnection, drop: Path
) -> None:
    try:
        os.mknod(drop / "null.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD")
    _ingest_in_time(con, drop, "run-1")
    assert _quarantine(con) == {"null.txt": ("not_a_regular_file", "character device; not opened")}


def test_a_fifo_swapped_in_after_the_check_is_not_read(
    con: duckdb.DuckDBPyConnection, drop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between lstat and open a file can be replaced; the open itself must not block."""
    os.mkfifo(drop / "spät.txt")
    monkeypatch.setattr(ingest_module, "_why_not_opened", lambda path, root: None)
    result = _ingest_in_time(con, drop, "run-1")
    reason, detail = _quarantine(con)["spät.txt"]
    assert reason == "not_a_regular_file"
    assert detail.startswith("fifo (named pipe)")
    assert result.articles_new == 1


def test_a_file_name_that_is_not_utf8_is_quarantined_and_the_rest_loads(
    con: duckdb.DuckDBPyConnection, drop: Path
) -> None:
    raw_drop = os.fsencode(drop)
    fd = os.open(raw_drop + b"/caf\xe9.txt", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, OTHER.encode("utf-8"))
    os.close(fd)
    os.mkdir(raw_drop + b"/Ordner-\xff")
    fd = os.open(raw_drop + b"/Ordner-\xff/notiz.txt", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, OTHER.replace("Helles", "Dunkles").encode("utf-8"))
    os.close(fd)

    result = ingest_folder(con, drop, "run-1")

    rows = con.execute(
        "select path, file_name, reason, detail, raw_text from raw.quarantine order by path"
    ).fetchall()
    assert [(Path(p).relative_to(drop).as_posix(), n, r) for p, n, r, _, _ in rows] == [
        ("Ordner-\\xff/notiz.txt", "notiz.txt", "undecodable_name"),
        ("caf\\xe9.txt", "caf\\xe9.txt", "undecodable_name"),
    ]
    assert "not valid UTF-8" in rows[1][3]
    assert rows[1][4] == OTHER  # the text is kept, as for every quarantined file
    assert (result.articles_new, result.quarantined) == (1, 2)
    assert _loaded(con) == ["gut.txt"]
    again = ingest_folder(con, drop, "run-2")  # the escaped path finds its last read
    assert (again.files_unchanged, again.quarantined) == (3, 0)


def test_broken_bulk_files_are_quarantined_with_what_is_wrong(
    con: duckdb.DuckDBPyConnection, drop: Path
) -> None:
    (drop / "kaputt.parquet").write_bytes(b"Dies ist kein Parquet, nur Text.\n")
    pl.DataFrame({"titel": ["Brauerei"], "inhalt": [OTHER]}).write_parquet(drop / "ohne.parquet")
    (drop / "ohne-text.jsonl").write_text(
        json.dumps({"id": "k-1", "body": OTHER}) + "\n" + json.dumps({"id": "k-2"}) + "\n"
    )
    (drop / "leer.ndjson").write_text("\n\n")
    # JSON may escape a lone surrogate; the record loads with U+FFFD in its place.
    (drop / "gut.jsonl").write_text(json.dumps({"id": "s-1", "text": OTHER + "Ende \ud800."}))

    result = ingest_folder(con, drop, "run-1")

    quarantine = _quarantine(con)
    assert {name: reason for name, (reason, _) in quarantine.items()} == {
        "kaputt.parquet": "bad_bulk_file",
        "ohne.parquet": "bad_bulk_file",
        "ohne-text.jsonl": "bad_bulk_file",
        "leer.ndjson": "bad_bulk_file",
    }
    assert quarantine["kaputt.parquet"][1].startswith("not a Parquet file: ")
    assert quarantine["ohne.parquet"][1] == "missing column 'text' (columns: titel, inhalt)"
    assert quarantine["ohne-text.jsonl"][1] == "no record has a 'text' field"
    assert quarantine["leer.ndjson"][1] == "no records"
    assert (result.articles_new, result.quarantined) == (2, 4)
    body, errors = con.execute(
        "select body, decode_errors from raw.articles where source_path like '%#s-1'"
    ).fetchone()
    assert body.endswith("Ende \ufffd.") and errors == 1
    # Quarantined bulk files were hashed: unchanged next night, not quarantined again.
    assert ingest_folder(con, drop, "run-2").quarantined == 0


def test_an_unexpected_error_in_one_file_quarantines_only_that_file(
    con: duckdb.DuckDBPyConnection, drop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (drop / "brauerei.txt").write_text(OTHER)
    (drop / "seltsam.txt").write_text("Kaputt-Marker\n" + ARTICLE.replace("Hafen", "Flughafen"))
    real_decode = ingest_module.decode_bytes

    def decode_or_fail(data: bytes) -> object:
        if data.startswith(b"Kaputt-Marker"):
            raise RuntimeError("unerwarteter Fehler beim Dekodieren")
        return real_decode(data)

    monkeypatch.setattr(ingest_module, "decode_bytes", decode_or_fail)
    result = ingest_folder(con, drop, "run-1")
    assert _quarantine(con) == {
        "seltsam.txt": ("unreadable", "RuntimeError: unerwarteter Fehler beim Dekodieren")
    }
    assert _loaded(con) == ["brauerei.txt", "gut.txt"]
    assert result.articles_new == 2
    statuses = con.execute("select status from raw.files where file_name = 'seltsam.txt'")
    assert statuses.fetchall() == [("quarantined",)]


def test_utf8_with_a_few_bad_bytes_stays_utf8_and_counts_them(
    con: duckdb.DuckDBPyConnection, drop: Path
) -> None:
    utf8 = ARTICLE.encode("utf-8")
    damaged = utf8[:40] + b"\xff\xff" + utf8[40:]
    decoded = decode_bytes(damaged)
    assert decoded == Decoded(
        (utf8[:40].decode() + "\ufffd\ufffd" + utf8[40:].decode()), "utf-8+replaced", 2
    )
    # cp1252 stays cp1252, even with a byte pair that happens to be valid UTF-8 ("ß“").
    cp1252 = "Der Umsatz ist „groß“, sagt die Geschäftsführerin. Übernahme geprüft.\n"
    assert decode_bytes(cp1252.encode("cp1252")) == Decoded(cp1252, "cp1252")
    (drop / "gut.txt").write_bytes(damaged)
    (drop / "windows.txt").write_bytes(OTHER.encode("cp1252"))
    (drop / "seite.html").write_bytes(
        b"<html><body><h1>Werft</h1><p>Die K\xc3\xbcstenwerft baut \xfe ein F\xc3\xa4hrschiff "
        b"f\xc3\xbcr 90 Millionen Euro.</p></body></html>"
    )

    ingest_folder(con, drop, "run-1")

    rows = con.execute(
        "select f.file_name, a.encoding, a.decode_errors, a.body from raw.files f "
        "join raw.articles a using (article_id) order by 1"
    ).fetchall()
    assert [r[:3] for r in rows] == [
        ("gut.txt", "utf-8+replaced", 2),
        ("seite.html", "utf-8+replaced+html", 1),
        ("windows.txt", "cp1252", 0),
    ]
    assert "Münchner" in rows[0][3] and "Ã" not in rows[0][3]
    assert "Küstenwerft" in rows[1][3]


def test_a_same_size_edit_with_its_old_mtime_is_a_new_version(
    con: duckdb.DuckDBPyConnection, drop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = drop / "gut.txt"
    before = path.stat()
    assert ingest_folder(con, drop, "run-1").articles_new == 1
    edited = ARTICLE.replace("23,40", "24,10")
    assert len(edited.encode()) == before.st_size
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p / rsync -t do
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    second = ingest_folder(con, drop, "run-2")
    assert (second.files_unchanged, second.articles_new) == (0, 1)
    bodies = con.execute("select body from raw.articles order by loaded_at, run_id").fetchall()
    assert [("24,10" in b) for (b,) in bodies] == [False, True]

    # Touched, same bytes: hashed, equal to the last hash, so no new version ...
    os.utime(path, ns=(after.st_atime_ns, after.st_mtime_ns + 5_000_000_000))
    third = ingest_folder(con, drop, "run-3")
    assert (third.files_unchanged, third.articles_new, third.quarantined) == (1, 0, 0)
    assert con.execute("select count(*) from raw.files").fetchone()[0] == 2
    # ... and its new stat is recorded, so the next night does not even open it.
    monkeypatch.setattr(ingest_module, "_open_regular", _must_not_open)
    fourth = ingest_folder(con, drop, "run-4")
    assert (fourth.files_unchanged, fourth.quarantined) == (1, 0)


def _must_not_open(path: Path) -> None:
    raise AssertionError(f"opened {path}, which was unchanged by stat")


def test_rows_from_before_ctime_and_inode_are_hashed_once_then_trusted(
    con: duckdb.DuckDBPyConnection, drop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_folder(con, drop, "run-1")
    con.execute("update raw.files set ctime_ns = null, inode = null")  # an older warehouse
    upgraded = ingest_folder(con, drop, "run-2")
    assert (upgraded.files_unchanged, upgraded.articles_new) == (1, 0)
    monkeypatch.setattr(ingest_module, "_open_regular", _must_not_open)
    assert ingest_folder(con, drop, "run-3").files_unchanged == 1


def test_a_warehouse_inside_the_drop_folder_is_never_input(drop: Path) -> None:
    warehouse = drop / "lager"
    report = warehouse / "runs" / "20260101T020000Z-a1b2c3" / "report"
    report.mkdir(parents=True)
    (report / "index.html").write_text(f"<html><body><p>{OTHER}</p></body></html>")
    (warehouse / "notizen").mkdir()
    (warehouse / "notizen" / "seite.html").write_text(f"<html><body><p>{OTHER}</p></body></html>")
    # Found by what it holds, without being named: an old warehouse, a copied runs/ folder.
    (drop / "altes-lager").mkdir()
    (drop / "altes-lager" / "published.duckdb").write_bytes(b"")
    (drop / "altes-lager" / "bericht.html").write_text("<p>Bericht</p>")
    copied = drop / "kopie" / "runs" / "20251231T020000Z-0f0f0f"
    copied.mkdir(parents=True)
    (copied / "index.html").write_text("<p>Bericht</p>")
    (drop / "kopie" / "runs" / "artikel.txt").write_text(OTHER)  # beside run folders: theirs

    assert list_input_files(drop, exclude_dirs=[warehouse]) == [drop / "gut.txt"]
    settings = Settings(input_dir=drop, warehouse_dir=warehouse, root=ROOT, memory_limit="1GB")
    result = pipeline_ingest(settings, "run-1")  # passes the warehouse dir as exclusion
    assert (result.files_seen, result.articles_new, result.quarantined) == (1, 1, 0)
    assert (warehouse / "work.duckdb").is_file()


UNLISTABLE_SCRIPT = """
import sys
from pathlib import Path
from finnews.ingest import ingest_folder
from finnews.warehouse import connect, ensure_raw_schema
base = Path(sys.argv[1])
con = connect(base / "work.duckdb", memory_limit="512MB")
ensure_raw_schema(con)
r = ingest_folder(con, base / "drop", "run-perm")
print(r.files_seen, r.articles_new, r.quarantined)
print(con.execute("select file_name, reason, detail from raw.quarantine").fetchall())
"""


def test_a_folder_that_cannot_be_listed_does_not_stop_the_listing(
    drop: Path, tmp_path: Path
) -> None:
    locked = drop / "gesperrt"
    locked.mkdir()
    (locked / "geheim.txt").write_text(OTHER)
    (drop / "offen").mkdir()
    (drop / "offen" / "brauerei.txt").write_text(OTHER)
    prefix: list[str] = []
    if os.geteuid() == 0:
        # Root lists any folder; without CAP_DAC_OVERRIDE it obeys mode 000 like anyone else.
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a folder unlistable")
        prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]
    locked.chmod(0o000)
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-c", UNLISTABLE_SCRIPT, str(tmp_path)],
            capture_output=True, text=True, cwd=ROOT, check=False, timeout=120,
        )  # fmt: skip
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 0, proc.stderr[-2000:]
    counts, quarantine = proc.stdout.strip().splitlines()
    assert counts == "2 2 1"
    assert "('gesperrt', 'unreadable_folder', 'PermissionError: Permission denied;" in quarantine
