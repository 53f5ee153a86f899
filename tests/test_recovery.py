"""Recovery from what goes wrong at night, with real files, real DuckDB and real flow runs:
a run that died after publishing, a leftover lock, a stale WAL beside the published file,
run-folder retention, a corrupt published.duckdb (`ops republish`), a truncated work.duckdb
(`ops rebuild`), and `ops status`.

A flow run costs ~30-60 s here, so the tests share one warehouse (module fixtures) and run
in file order: each scenario starts from the state the one before it left, which is a good
published warehouse every time.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from finnews import ops
from finnews.publish import mart_checksums
from finnews.retention import prune_runs, run_folders
from finnews.runs import WarehouseBusy, lock_state, warehouse_lock
from flows.nightly import nightly
from tests.helpers import ROOT, copy_seeds, kill_group, query, sha256, spawn_flow, wait_for

pytestmark = pytest.mark.e2e

# Team-written articles (not real ones), one per later run.
LUFTHANSA = (
    "Airbus-Aktie: Neue Bestellung aus Frankfurt\n"
    "Airbus hat von der Lufthansa einen Auftrag über 40 Maschinen erhalten. Die Aktie des "
    "Flugzeugbauers stieg am Vormittag um 1,8 Prozent auf 203,40 Euro.\n"
)
BAYER = (
    "Bayer-Aktie: Umsatz im dritten Quartal gesunken\n"
    "Der Pharmakonzern Bayer hat im dritten Quartal einen Umsatz von 9,7 Milliarden Euro "
    "erzielt. Die Aktie verlor daraufhin 2,5 Prozent auf 26,10 Euro.\n"
)


def ops_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m finnews.ops ...` in a child process, as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "finnews.ops", *args],
        cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def content(published: Path) -> dict[str, str]:
    with duckdb.connect(str(published), read_only=True) as con:
        return mart_checksums(con, content_only=True)


def recorded(published: Path) -> dict[str, str]:
    return dict(query(published, "select table_name, checksum from meta.mart_checksums"))


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def leave_stale_wal(published: Path) -> None:
    """An analyst's read-write session on the published file, killed before a checkpoint."""
    code = (
        "import duckdb, os, signal, sys; c = duckdb.connect(sys.argv[1]); "
        "c.execute(\"set checkpoint_threshold = '10GB'\"); "
        "c.execute('create table main.analyst_scratch as select range as i from range(1000)'); "
        "os.kill(os.getpid(), signal.SIGKILL)"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(published)], check=False)
    assert proc.returncode == -signal.SIGKILL
    assert published.with_name(published.name + ".wal").exists()


# ------------------------------------------------------------------ unit: lock, retention


def test_leftover_lock_file_naming_a_dead_pid_is_not_a_held_lock(tmp_path: Path) -> None:
    pid = dead_pid()
    (tmp_path / ".run.lock").write_text(f"pid {pid} since 2026-01-01T02:00:00Z")
    state = lock_state(tmp_path)
    assert not state.held and state.pid == pid and state.pid_alive is False
    assert "not running" in state.describe()
    with warehouse_lock(tmp_path):  # taken at once
        assert lock_state(tmp_path).held
        with warehouse_lock(tmp_path):  # the same process may nest (ops rebuild -> flow)
            pass
        assert lock_state(tmp_path).held
    assert (tmp_path / ".run.lock").read_text() == ""


def test_live_holder_is_named_and_writing_commands_refuse(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, pathlib; from finnews.runs import warehouse_lock\n"
         "with warehouse_lock(pathlib.Path(sys.argv[1])):\n"
         "    print('held', flush=True); sys.stdin.readline()",
         str(tmp_path)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        state = lock_state(tmp_path)
        assert state.held and state.pid == holder.pid and state.pid_alive
        with pytest.raises(WarehouseBusy, match="another run holds"), warehouse_lock(tmp_path):
            pass
        out = ops_cli("status", "--warehouse-dir", str(tmp_path))
        assert f"held by pid {holder.pid} (running)" in out.stdout
        assert f"kill {holder.pid}" in out.stdout
        refused = ops_cli("prune", "--warehouse-dir", str(tmp_path))
        assert refused.returncode == 1 and "refused: another run holds" in refused.stderr
    finally:
        holder.communicate("\n", timeout=30)
    assert not lock_state(tmp_path).held


def _fake_runs(runs: Path, ids: list[str]) -> None:
    for run_id in ids:
        (runs / run_id / "report").mkdir(parents=True)
        (runs / run_id / "report" / "index.html").write_text("x" * 1000)


def test_prune_keeps_the_newest_runs_and_never_the_current_or_foreign_folders(
    tmp_path: Path,
) -> None:
    runs = tmp_path / "runs"
    ids = [f"2026110{d}T020000Z-00000{d}" for d in range(1, 6)]
    _fake_runs(runs, ids)
    (runs / "operator-notes").mkdir()
    pruned = prune_runs(runs, keep=2, current=ids[0])  # the current run is the oldest here
    assert sorted(p.name for p in pruned.removed) == ids[1:3]
    assert sorted(p.name for p in run_folders(runs)) == [ids[0], ids[3], ids[4]]
    assert (runs / "operator-notes").is_dir() and pruned.freed_bytes >= 2000
    assert prune_runs(runs, keep=0).removed == []  # 0 keeps all
    with pytest.raises(ValueError, match="keep_runs"):
        prune_runs(runs, keep=-1)

    config = tmp_path / "finnews.toml"
    config.write_text("[retention]\nkeep_runs = 1\n")
    env = {**os.environ, "FINNEWS_CONFIG": str(config)}
    out = subprocess.run(
        [sys.executable, "-m", "finnews.ops", "prune", "--warehouse-dir", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "pruned 2 run folder(s)" in out.stdout
    assert [p.name for p in run_folders(runs)] == [ids[4]]
    assert "prune: pruned 2" in (tmp_path / "ops.log").read_text()


# ------------------------------------------------- a run that died after publishing, etc.


@pytest.fixture(scope="module")
def night(project_seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run 1 is SIGKILLed in its report stage, after it published. Before run 2: its batch
    bookkeeping is removed (as if it died between the rename and recording it), an analyst's
    killed read-write session leaves a WAL beside published.duckdb, old run folders pile up
    under a policy of keep_runs = 2, and the lock file still names run 1's dead pid."""
    base = tmp_path_factory.mktemp("recovery")
    drop, wh = base / "drop", base / "wh"
    published, work = wh / "published.duckdb", wh / "work.duckdb"
    copy_seeds(project_seeds, drop, n=3)

    marker = base / "at-failpoint"
    proc = spawn_flow(drop, wh, "report.running", marker)
    wait_for(marker, proc)
    kill_group(proc)
    first = query(published, "select run_id from meta.publication")[0][0]
    assert query(work, "select run_id, status from raw.runs") == [(first, "running")]
    batches = [b for (b,) in query(work, "select batch_id from raw.published_batches")]
    assert batches
    with duckdb.connect(str(work)) as con:
        con.execute("delete from raw.published_batches")
        with_book = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'raw' "
            "and table_name = 'batches'"
        ).fetchone()[0]
        if with_book:
            con.execute("update raw.batches set status = 'built'")

    leave_stale_wal(published)
    wal = published.with_name("published.duckdb.wal")
    stale_wal = base / "stale.wal"
    shutil.copyfile(wal, stale_wal)
    lock_before = lock_state(wh)

    _fake_runs(wh / "runs", ["20200101T000000Z-aaaaaa", "20200102T000000Z-bbbbbb"])
    (wh / "runs" / "operator-notes").mkdir()
    config = base / "finnews.toml"
    config.write_text("[retention]\nkeep_runs = 2\n")
    (drop / "airbus_auftrag.txt").write_text(LUFTHANSA, encoding="utf-8")
    os.environ["FINNEWS_CONFIG"] = str(config)
    try:
        t0 = time.monotonic()
        summary = nightly(input_dir=str(drop), warehouse_dir=str(wh))
        took = time.monotonic() - t0
    finally:
        del os.environ["FINNEWS_CONFIG"]
    return {
        "base": base, "drop": drop, "wh": wh, "first": first, "batches": batches,
        "summary": summary, "lock_before": lock_before, "stale_wal": stale_wal, "took": took,
    }  # fmt: skip


def test_run_that_died_after_publishing_is_recorded_as_published(night: dict) -> None:
    work = night["wh"] / "work.duckdb"
    summary = night["summary"]
    assert summary["status"] == "completed"
    assert summary["counts"]["abandoned_runs"] == 1  # recovered runs, whatever their fate
    runs = query(
        work, "select run_id, status, published, message from raw.runs order by started_at"
    )
    assert [(r[0], r[1], r[2]) for r in runs] == [
        (night["first"], "published_then_died", True),
        (summary["run_id"], "completed", True),
    ]
    assert "published" in runs[0][3] and "killed or crashed" in runs[0][3]
    # Its batches are recorded as published by it again, and not twice.
    book = query(work, "select batch_id, run_id from raw.published_batches")
    assert {b for b, r in book if r == night["first"]} == set(night["batches"])
    assert len(book) == len({b for b, _ in book})
    with duckdb.connect(str(work), read_only=True) as con:
        has_book = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'raw' "
            "and table_name = 'batches'"
        ).fetchone()[0]
        if has_book:
            statuses = dict(con.execute("select batch_id, status from raw.batches").fetchall())
            assert all(statuses[b] == "published" for b in night["batches"])


def test_leftover_lock_of_the_killed_run_did_not_stop_the_next(night: dict) -> None:
    before = night["lock_before"]
    assert not before.held and before.pid and before.pid_alive is False
    assert night["summary"]["status"] == "completed"
    assert (night["wh"] / ".run.lock").read_text() == ""  # released cleanly this time


def test_stale_wal_is_moved_aside_and_everyone_can_open_the_new_file(night: dict) -> None:
    wh = night["wh"]
    published = wh / "published.duckdb"
    assert not published.with_name("published.duckdb.wal").exists()
    asides = list(wh.glob("published.duckdb.wal.stale-*"))
    assert len(asides) == 1 and asides[0].read_bytes() == night["stale_wal"].read_bytes()

    rows = query(published, "select count(*) from marts.dim_articles")
    assert rows == [(4,)]
    cli = subprocess.run(
        [str(Path(sys.executable).parent / "duckdb"), "-readonly", str(published), "-c",
         "select count(*) from marts.dim_articles"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert "4" in cli.stdout

    # Without the move, that WAL would have made the new file unreadable for everyone.
    probe = night["base"] / "probe.duckdb"
    shutil.copyfile(published, probe)
    shutil.copyfile(night["stale_wal"], probe.with_name("probe.duckdb.wal"))
    with pytest.raises(duckdb.Error, match="WAL"):
        duckdb.connect(str(probe), read_only=True)


def test_retention_after_a_run_keeps_the_newest_run_folders(night: dict) -> None:
    runs = night["wh"] / "runs"
    kept = sorted(p.name for p in run_folders(runs))
    assert kept == sorted([night["first"], night["summary"]["run_id"]])
    assert (runs / "operator-notes").is_dir()
    assert (runs / night["summary"]["run_id"] / "report" / "index.html").exists()


def test_status_reports_lock_runs_wal_and_runs_folder(night: dict) -> None:
    wh = night["wh"]
    out = ops_cli("status", "--warehouse-dir", str(wh))
    assert out.returncode == 0, out.stdout + out.stderr
    text = out.stdout
    assert "lock       .run.lock: free" in text
    assert f"{night['summary']['run_id']}  completed" in text
    assert f"{night['first']}  published_then_died" in text
    assert "stale WAL  none" in text
    assert "runs/      2 run folder(s)" in text

    (wh / ".run.lock").write_text(f"pid {dead_pid()} since 2026-01-01T02:00:00Z")
    leave_stale_wal(wh / "published.duckdb")  # an analyst's killed session, again
    out = ops_cli("status", "--warehouse-dir", str(wh))
    assert out.returncode == 1
    assert "which is not running: a leftover of a killed run, ignored" in out.stdout
    assert "stale WAL  published.duckdb.wal" in out.stdout and "problems:" in out.stdout
    # The WAL is this file's own: republish moves it aside, the file verifies, nothing else.
    fixed = ops_cli("republish", "--warehouse-dir", str(wh))
    assert fixed.returncode == 0, fixed.stderr
    assert "moved a stale WAL aside" in fixed.stdout
    assert ops_cli("status", "--warehouse-dir", str(wh)).returncode == 0


# ------------------------------------------------------------ corrupt published.duckdb


def test_republish_restores_a_corrupt_or_missing_published_file(night: dict) -> None:
    wh = night["wh"]
    published = wh / "published.duckdb"
    before_content, before_recorded = content(published), recorded(published)
    publisher = query(published, "select run_id from meta.publication")

    garbage = b"not a database " * 5000
    published.write_bytes(garbage)
    with pytest.raises(duckdb.Error):
        duckdb.connect(str(published), read_only=True)
    out = ops_cli("republish", "--warehouse-dir", str(wh))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "moved published.duckdb aside to published.duckdb.corrupt-" in out.stdout
    (aside,) = wh.glob("published.duckdb.corrupt-*")
    assert aside.read_bytes() == garbage  # nothing lost
    assert content(published) == before_content
    assert recorded(published) == before_recorded  # same rows, lineage included
    assert query(published, "select run_id from meta.publication") == publisher

    again = ops_cli("republish", "--warehouse-dir", str(wh))
    assert again.returncode == 0 and "nothing to do" in again.stdout

    published.unlink()  # missing: published afresh just the same
    assert ops.main(["republish", "--warehouse-dir", str(wh)]) == 0
    assert content(published) == before_content
    assert "republish: republished" in (wh / "ops.log").read_text()


def test_next_nightly_run_extends_the_republished_file(night: dict) -> None:
    drop, wh = night["drop"], night["wh"]
    (drop / "bayer_quartal.txt").write_text(BAYER, encoding="utf-8")
    summary = nightly(input_dir=str(drop), warehouse_dir=str(wh))
    assert summary["status"] == "completed"
    published = wh / "published.duckdb"
    assert query(published, "select count(*) from marts.dim_articles") == [(5,)]
    assert query(published, "select run_id from meta.publication") == [(summary["run_id"],)]
    assert ops.published_problem(published) is None  # checksums verify


# -------------------------------------------------------------- truncated work.duckdb


def test_truncated_work_fails_clearly_and_rebuild_restores_it(night: dict) -> None:
    drop, wh = night["drop"], night["wh"]
    work, published = wh / "work.duckdb", wh / "published.duckdb"
    before = content(published)
    published_sha = sha256(published)
    n_articles = query(published, "select count(*) from marts.dim_articles")

    os.truncate(work, work.stat().st_size // 2)
    truncated = work.stat().st_size
    t0 = time.monotonic()
    failed = subprocess.run(
        [sys.executable, "-m", "flows.nightly", "--input-dir", str(drop),
         "--warehouse-dir", str(wh)],
        cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert failed.returncode == 1
    assert time.monotonic() - t0 < 120  # refuses at the start instead of retrying stages
    assert "truncated" in failed.stderr and "make rebuild" in failed.stderr
    assert sha256(published) == published_sha  # the analysts' file is untouched

    assert ops.main(["rebuild", "--warehouse-dir", str(wh), "--input-dir", str(drop)]) == 0
    (broken,) = wh.glob("work.duckdb.broken-*")
    assert broken.stat().st_size == truncated  # the damaged file, kept as it was
    assert [s for (s,) in query(work, "select status from raw.runs")] == ["completed"]
    # The marts carry the same content; lineage (run ids, batch ids) is new: one batch,
    # built by the rebuilding run, replaced the nightly batches.
    assert content(published) == before
    assert query(published, "select count(*) from marts.dim_articles") == n_articles
    assert ops.published_problem(published) is None
    (rebuilt_run,) = query(work, "select run_id from raw.runs")
    assert query(published, "select run_id from meta.publication") == [rebuilt_run]
    assert query(published, "select count(distinct batch_id) from marts.fct_metrics") == [(1,)]

    assert ops.main(["rebuild", "--warehouse-dir", str(wh), "--input-dir", str(drop)]) == 0
    assert len(list(wh.glob("work.duckdb.broken-*"))) == 1  # healthy: nothing done


def test_lock_probe_does_not_leave_the_lock_taken(tmp_path: Path) -> None:
    (tmp_path / ".run.lock").write_text("")
    lock_state(tmp_path)
    with open(tmp_path / ".run.lock") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again
