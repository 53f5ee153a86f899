"""Run bookkeeping in raw.runs, and the one-run lock on the warehouse folder."""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from finnews import batches as batch_book
from finnews.batches import batches_in, record_published

LOCK_NAME = ".run.lock"

# What recovery writes into raw.runs for a run that died (the lock proves it is not running):
ABANDONED = "abandoned"  # died before its publication: published.duckdb never saw it
PUBLISHED_THEN_DIED = "published_then_died"  # its publication went out, then it died
CANCELLED = "cancelled"  # stopped by SIGTERM / Ctrl-C; recorded by the run itself

REBUILD_HINT = "recover with `make rebuild` (python -m finnews.ops rebuild), see docs/operations.md"


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse lock."""


class WarehouseDamaged(RuntimeError):
    """work.duckdb cannot be read: truncated, overwritten or otherwise corrupt."""


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


RUN_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# Lock files this process holds, with their nesting depth: an operator command that holds
# the lock may run the nightly flow in the same process (`ops rebuild`) without refusing
# itself. flock is per open file, so without this the inner acquire would fail.
_HELD: dict[Path, int] = {}
_HELD_GUARD = threading.Lock()


@contextmanager
def warehouse_lock(warehouse_dir: Path) -> Iterator[None]:
    """Exclusive lock for one run; a second run refuses at once with a clear message.

    The lock is an flock on <warehouse>/.run.lock: the kernel releases it when the holding
    process dies, however it dies. The pid written into the file is a note for operators;
    a file naming a dead pid is a leftover, not a held lock."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = (warehouse_dir / LOCK_NAME).resolve()
    with _HELD_GUARD:
        if path in _HELD:
            _HELD[path] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _HELD_GUARD:
                _HELD[path] -= 1
        return
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise WarehouseBusy(
                f"another run holds {path} ({holder}); wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {utcnow().isoformat()}Z")
        handle.flush()
        with _HELD_GUARD:
            _HELD[path] = 1
        try:
            yield
        finally:
            with _HELD_GUARD:
                del _HELD[path]
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class LockState:
    path: Path
    held: bool  # some process holds the flock now
    note: str  # what the file says ("pid 123 since ..."), "" when empty or missing
    pid: int | None  # the pid the note names
    pid_alive: bool | None  # whether that pid is a running process (None: no pid named)

    def describe(self) -> str:
        if self.held:
            who = f"pid {self.pid}" if self.pid else "an unknown process"
            alive = "" if self.pid_alive is None else (" (running)" if self.pid_alive else "")
            return f"held by {who}{alive}: {self.note or 'no note'}"
        if self.pid is not None and not self.pid_alive:
            return (
                f"free (the file still names pid {self.pid}, which is not running: "
                "a leftover of a killed run, ignored)"
            )
        if self.note:
            return f"free (the file says: {self.note})"
        return "free"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def lock_state(warehouse_dir: Path) -> LockState:
    """Who holds the warehouse lock, without taking it for longer than a probe."""
    path = warehouse_dir / LOCK_NAME
    if not path.exists():
        return LockState(path, False, "", None, None)
    with open(path) as handle:
        note = handle.read().strip()
        if path.resolve() in _HELD:
            held = True
        else:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                held = True
            else:
                held = False
                fcntl.flock(handle, fcntl.LOCK_UN)
    match = re.match(r"pid (\d+)", note)
    pid = int(match.group(1)) if match else None
    return LockState(path, held, note, pid, _pid_alive(pid) if pid else None)


def database_problem(path: Path, deep: bool = False) -> str | None:
    """Why the DuckDB file at `path` cannot be trusted, or None if it looks sound.

    The quick check opens the file and compares its size with the blocks its header
    claims (a truncated file is shorter); `deep` also reads every row of every table."""
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            _, _, block_size, _total, used_blocks, *_ = con.execute(
                "pragma database_size"
            ).fetchone()
            wal = path.with_name(path.name + ".wal")
            # Every block in use lies inside the file; free blocks at its end may have been
            # cut off by a checkpoint, so the total count would flag sound files.
            expected = int(block_size) * int(used_blocks) + 3 * 4096  # 3 header blocks
            size = path.stat().st_size
            if not wal.exists() and size < expected:
                return f"{path.name} is {size} bytes but its header needs {expected}: truncated"
            if deep:
                tables = con.execute(
                    "select schema_name, table_name from duckdb_tables() "
                    "where database_name = current_database() order by 1, 2"
                ).fetchall()
                for schema, table in tables:
                    con.execute(f'select sum(hash(t)) from "{schema}"."{table}" t').fetchall()
    except duckdb.Error as exc:
        text = str(exc)
        if "Could not set lock" in text or "different configuration" in text:
            return None  # in use (by another process, or this one): no verdict on damage
        # A cut that falls inside the blocks the catalog needs fails the open itself.
        short = re.search(r"read (\d+) bytes from location (\d+)", text)
        size = path.stat().st_size
        if short and int(short[1]) + int(short[2]) > size:
            return (
                f"{path.name} is {size} bytes but a block it needs ends at byte "
                f"{int(short[1]) + int(short[2])}: truncated"
            )
        return f"{path.name} cannot be read: {type(exc).__name__}: {exc}"
    return None


@dataclass(frozen=True)
class Publication:
    """What published.duckdb says about itself (meta.publication) and the batches it holds."""

    run_id: str | None
    batches: frozenset[str]
    error: str | None = None


def read_publication(
    published_db: Path, open_published: Callable[[], duckdb.DuckDBPyConnection] | None = None
) -> Publication:
    """The run that wrote published.duckdb and its batches; an error (not an exception) when
    the file is missing or unreadable: recovery must not fail because the analysts' file is
    damaged (`ops republish` repairs that). `open_published`: a read-only connection to
    another publish target instead (the DuckLake, finnews.lake.connect_lake)."""
    if open_published is None and not published_db.exists():
        return Publication(None, frozenset(), "no published file")
    try:
        opened = (
            open_published()
            if open_published
            else duckdb.connect(str(published_db), read_only=True)
        )
        with opened as con:
            row = con.execute("select run_id from meta.publication").fetchone()
            return Publication(row[0] if row else None, frozenset(batches_in(con)))
    except (duckdb.Error, RuntimeError) as exc:
        return Publication(None, frozenset(), f"{type(exc).__name__}: {exc}")


def start_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    input_dir: Path,
    publication: Publication | None = None,
) -> int:
    """Record the run, after recovering the runs still marked running (we hold the lock, so
    they died). One whose run_id published.duckdb names as its publisher went out before it
    died: `published_then_died`, published = true, and the batches the file carries are
    recorded in raw.published_batches if the run died before recording them. The others
    are `abandoned`. Returns how many earlier runs were recovered."""
    recovered = recover_dead_runs(con, publication)
    con.execute(
        "insert into raw.runs (run_id, started_at, status, input_dir) values (?, ?, 'running', ?)",
        [run_id, utcnow(), str(input_dir)],
    )
    return recovered


def recover_dead_runs(con: duckdb.DuckDBPyConnection, publication: Publication | None) -> int:
    """Mark runs still `running` as published_then_died or abandoned (see start_run).
    Call only while holding the warehouse lock."""
    now = utcnow()
    recovered = 0
    publisher = publication.run_id if publication else None
    if publisher:
        recovered += con.execute(
            """
            update raw.runs set status = ?, ended_at = ?, published = true,
                message = 'published (published.duckdb names this run), then the process '
                    || 'ended before the run finished (killed or crashed)'
            where status = 'running' and run_id = ?
            """,
            [PUBLISHED_THEN_DIED, now, publisher],
        ).fetchone()[0]
        if recovered:
            record_missing_batches(con, publication)
    recovered += con.execute(
        """
        update raw.runs set status = ?, ended_at = ?,
            message = 'process ended before the run finished (killed or crashed)'
        where status = 'running'
        """,
        [ABANDONED, now],
    ).fetchone()[0]
    return int(recovered)


def record_missing_batches(con: duckdb.DuckDBPyConnection, publication: Publication) -> list[str]:
    """Batches published.duckdb carries, work's marts hold, and raw.published_batches does
    not know (the publisher died between its rename and its bookkeeping): record them."""
    if not publication.run_id or not publication.batches:
        return []
    known = {r[0] for r in con.execute("select batch_id from raw.published_batches").fetchall()}
    try:
        in_work = batches_in(con)
    except duckdb.Error:  # no marts yet
        return []
    carried = publication.batches & in_work
    missing = sorted(carried - known)
    record_published(con, missing, publication.run_id)
    # The batch book (raw.batches) may also still say `built` for what went out.
    built = {
        r[0]
        for r in con.execute("select batch_id from raw.batches where status = 'built'").fetchall()
    }
    mark = sorted((carried & built) | set(missing))
    if mark:
        batch_book.set_status(
            con, mark, "published", publication.run_id, by="recovery",
            note="published.duckdb carries it; its run died before recording that",
        )  # fmt: skip
    return missing


@dataclass
class StageTiming:
    """One stage of a run: its wall seconds (retries included) and the MB (10**6 bytes) of
    text it took in, None when that could not be measured (pipeline.measure_inputs says what
    the text is for each stage). `batches` are the batches the stage worked on, which its MB
    is measured over (in the flow's summary, not in raw.run_stages)."""

    stage: str
    seconds: float = 0.0
    input_mb: float | None = None
    batches: list[str] = field(default_factory=list)

    @property
    def mb_per_s(self) -> float | None:
        if self.input_mb is None or self.seconds <= 0:
            return None
        return self.input_mb / self.seconds


def record_stages(
    con: duckdb.DuckDBPyConnection, run_id: str, stages: Sequence[StageTiming]
) -> None:
    """Replace the run's rows in raw.run_stages with `stages`, in their order."""
    con.execute("delete from raw.run_stages where run_id = ?", [run_id])
    if stages:
        con.executemany(
            "insert into raw.run_stages (run_id, stage_no, stage, seconds, input_mb) "
            "values (?, ?, ?, ?, ?)",
            [[run_id, i, t.stage, t.seconds, t.input_mb] for i, t in enumerate(stages, 1)],
        )


def read_stages(con: duckdb.DuckDBPyConnection, run_id: str) -> list[StageTiming]:
    rows = con.execute(
        "select stage, seconds, input_mb from raw.run_stages where run_id = ? order by stage_no",
        [run_id],
    ).fetchall()
    return [StageTiming(stage, seconds, input_mb) for stage, seconds, input_mb in rows]


STAGE_COLUMNS = ("stage", "seconds", "MB", "MB/s")


def stage_rows(stages: Sequence[StageTiming]) -> list[tuple[str, str, str, str]]:
    """The stages as formatted cells (stage, seconds, MB, MB/s), then a total of the seconds;
    "-" where the MB is unknown."""

    def number(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    rows = [(t.stage, f"{t.seconds:.2f}", number(t.input_mb), number(t.mb_per_s)) for t in stages]
    return [*rows, ("total", f"{sum(t.seconds for t in stages):.2f}", "", "")]


def stage_table(stages: Sequence[StageTiming]) -> list[str]:
    """The stages as aligned text lines under a header line."""
    return [
        f"{stage:<8} {seconds:>8} {mb:>9} {rate:>8}".rstrip()
        for stage, seconds, mb, rate in [STAGE_COLUMNS, *stage_rows(stages)]
    ]


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    counts: dict[str, Any],
    message: str,
    stages: Sequence[StageTiming] = (),
) -> None:
    columns = [
        "files_seen", "files_unchanged", "articles_new", "duplicates", "quarantined",
        "sentences", "figures", "mentions", "events", "checks_passed", "checks_failed",
        "published", "verdict",
    ]  # fmt: skip
    values = [counts.get(c) for c in columns]
    assignments = ", ".join(f"{c} = ?" for c in columns)
    # One transaction: a run is never recorded as ended without its stage timings.
    con.execute("begin transaction")
    try:
        con.execute(
            f"update raw.runs set ended_at = ?, status = ?, message = ?, {assignments} "
            "where run_id = ?",
            [utcnow(), status, message, *values, run_id],
        )
        record_stages(con, run_id, stages)
        con.execute("commit")
    except Exception:
        with suppress(duckdb.Error):  # keep the first error, not the rollback's
            con.execute("rollback")
        raise
