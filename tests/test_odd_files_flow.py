"""The odd drop folder, through real nightly runs (Prefect, dbt, GX) in a child process under a
clock: a FIFO, a name that is not UTF-8, a corrupt Parquet file, a symlink loop, damaged
UTF-8, the warehouse itself inside the drop folder, and a same-size edit whose mtime was put
back. Each night ends by itself, completes, and publishes the good articles."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, copy_seeds, query

pytestmark = pytest.mark.e2e

# Written for this test.
DAMAGED_UTF8 = (
    "Münchner Rückversicherer wächst\n\n"
    "Der Münchner Rückversicherer Beispiel Re hat die Prämien um 6 Prozent gesteigert. "
    "Die Aktie gewann 1,5 Prozent auf 41,20 Euro."
).encode() + b"\xff\xfe kaputt \xff\n"
NAMED_BADLY = (
    "Brauerei erhöht die Preise\n\nDie Brauerei Musterbräu verlangt ab Januar fünf Prozent mehr.\n"
)


def _night(drop: Path, warehouse: Path, ephemeral: bool = False) -> subprocess.CompletedProcess:
    """One nightly run in a child process; a hang fails the test instead of stalling it.
    `ephemeral`: without the session's API server, the run starts (and, in this session's
    fresh Prefect home, migrates) its own, as a newcomer's first `make run` does."""
    env = {k: v for k, v in os.environ.items() if not (ephemeral and k == "PREFECT_API_URL")}
    return subprocess.run(
        [sys.executable, "-m", "flows.nightly", "--input-dir", str(drop),
         "--warehouse-dir", str(warehouse)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=400,
    )  # fmt: skip


def test_odd_files_never_stop_or_falsify_a_night(project_seeds: Path, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    warehouse = drop / "warehouse"  # the warehouse inside the drop folder
    seeds = copy_seeds(project_seeds, drop, n=2)
    os.mkfifo(drop / "x.txt")
    with open(os.fsencode(drop) + b"/caf\xe9.txt", "wb") as handle:
        handle.write(NAMED_BADLY.encode())
    (drop / "export.parquet").write_bytes(b"PAR1 this is not parquet at all")
    os.symlink(drop / "b.txt", drop / "a.txt")
    os.symlink(drop / "a.txt", drop / "b.txt")
    (drop / "rueck.txt").write_bytes(DAMAGED_UTF8)

    first = _night(drop, warehouse, ephemeral=True)
    assert first.returncode == 0, first.stderr[-3000:]
    work = warehouse / "work.duckdb"
    reasons = dict(query(work, "select file_name, reason from raw.quarantine"))
    assert reasons == {
        "x.txt": "not_a_regular_file",
        "caf\\xe9.txt": "undecodable_name",
        "export.parquet": "bad_bulk_file",
        "a.txt": "symlink_loop",
        "b.txt": "symlink_loop",
    }
    (encoding, errors, body), *_ = query(
        work,
        "select encoding, decode_errors, body from raw.articles where source_path like '%rueck.txt'",
    )
    assert encoding == "utf-8+replaced" and errors >= 3 and "Münchner" in body
    published = warehouse / "published.duckdb"
    assert query(published, "select count(*) from marts.dim_articles") == [(3,)]
    assert query(published, "select count(*) from marts.dim_articles where body like '%Ã%'") == [
        (0,)
    ]

    # A same-size edit whose mtime was put back (cp -p, rsync -t) is a new version; the
    # warehouse's own report pages, now inside the drop folder, are never input.
    path = seeds[0]
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    edited = text[: digits[0]] + ("7" if text[digits[0]] != "7" else "8") + text[digits[0] + 1 :]
    assert len(edited.encode()) == len(text.encode()) and edited != text
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns

    second = _night(drop, warehouse)
    assert second.returncode == 0, second.stderr[-3000:]
    runs = query(work, "select status, articles_new from raw.runs order by started_at")
    assert runs == [("completed", 3), ("completed", 1)]
    assert query(work, "select count(*) from raw.files where path like ?", [f"{warehouse}%"]) == [
        (0,)
    ]
    versions = query(
        published,
        "select version_no, is_latest_version from marts.dim_articles "
        "where source_path = ? order by version_no",
        [str(path)],
    )
    assert versions == [(1, False), (2, True)]
