"""Run bookkeeping in raw.runs, and the one-run lock on the warehouse folder."""

from __future__ import annotations

import fcntl
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse lock."""


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@contextmanager
def warehouse_lock(warehouse_dir: Path) -> Iterator[None]:
    """Exclusive lock for one run; a second run refuses at once with a clear message."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = warehouse_dir / ".run.lock"
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
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, input_dir: Path) -> int:
    """Record the run; runs still marked running died (we hold the lock): mark them abandoned.

    Returns how many earlier runs were abandoned.
    """
    abandoned = con.execute(
        """
        update raw.runs set status = 'abandoned', ended_at = ?,
            message = 'process ended before the run finished (killed or crashed)'
        where status = 'running'
        """,
        [utcnow()],
    ).fetchone()[0]
    con.execute(
        "insert into raw.runs (run_id, started_at, status, input_dir) values (?, ?, 'running', ?)",
        [run_id, utcnow(), str(input_dir)],
    )
    return int(abandoned)


def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: str, status: str, counts: dict[str, Any], message: str
) -> None:
    columns = [
        "files_seen", "files_unchanged", "articles_new", "duplicates", "quarantined",
        "sentences", "figures", "mentions", "events", "checks_passed", "checks_failed",
        "published", "verdict",
    ]  # fmt: skip
    values = [counts.get(c) for c in columns]
    assignments = ", ".join(f"{c} = ?" for c in columns)
    con.execute(
        f"update raw.runs set ended_at = ?, status = ?, message = ?, {assignments} where run_id = ?",
        [utcnow(), status, message, *values, run_id],
    )
