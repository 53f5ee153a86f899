"""SIGTERM (a scheduler stopping the run, `kill`, a container shutting down) ends a real run
within seconds: recorded as `cancelled`, its dbt child gone, the lock free for the next run."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from flows.nightly import nightly
from tests.helpers import copy_seeds, kill_group, query, spawn_flow, wait_for

pytestmark = pytest.mark.e2e


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def test_sigterm_during_dbt_cancels_the_run_cleanly(project_seeds: Path, tmp_path: Path) -> None:
    drop, warehouse = tmp_path / "drop", tmp_path / "wh"
    copy_seeds(project_seeds, drop, n=2)
    marker = tmp_path / "at-failpoint"
    proc = spawn_flow(drop, warehouse, "dbt.running", marker)
    try:
        wait_for(marker, proc)
        dbt_children = [
            p for p in _children(proc.pid) if "dbt" in Path(f"/proc/{p}/cmdline").read_text()
        ]
        assert dbt_children, "the dbt child should be running at this failpoint"
        started = time.monotonic()
        os.kill(proc.pid, signal.SIGTERM)  # the run's own process, not its group
        returncode = proc.wait(timeout=60)
        took = time.monotonic() - started
    finally:
        if proc.poll() is None:
            kill_group(proc)
    assert returncode == 143
    assert took < 30
    assert all(not Path(f"/proc/{p}").exists() for p in dbt_children)  # no orphan writing on
    status, message = query(warehouse / "work.duckdb", "select status, message from raw.runs")[0]
    assert status == "cancelled" and "SIGTERM" in message
    # The lock is free and the next run completes (the cancelled one is not "abandoned").
    summary = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    assert summary["status"] == "completed" and summary["counts"]["abandoned_runs"] == 0
