"""Run `dbt build` (seeds, models, tests) against the writer's file, in a child process.

A child process, not dbtRunner in-process: dbt-duckdb keeps its DuckDB instance open for the
life of the process, which would block every later connection with other settings (the
gate's read-only one, the publisher's). The child exits and releases the file.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from finnews.failpoints import failpoint


class DbtBuildError(RuntimeError):
    """dbt build failed: a model errored or a dbt test did not pass."""


@dataclass(frozen=True)
class DbtResult:
    models: int
    tests_passed: int
    failures: list[str] = field(default_factory=list)
    # The dbt invocation id, stamped as batch_id on the rows the incremental marts added.
    batch_id: str = ""


def _dbt_executable() -> list[str]:
    script = Path(sys.executable).with_name("dbt")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from dbt.cli.main import cli; cli()"]


def _die_with_parent() -> None:
    """In the child: get SIGKILL when the parent dies, so a killed run leaves no orphan
    dbt process writing the warehouse behind the next run's back (Linux prctl)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _failures(run_results: dict) -> list[str]:
    return [
        f"{r['unique_id']}: {r['status']}" + (f" ({r['message']})" if r.get("message") else "")
        for r in run_results.get("results", [])
        if r["status"] not in ("success", "pass")
    ]


def run_dbt(
    command: list[str],
    project_dir: Path,
    work_db: Path,
    artifacts_dir: Path,
    memory_limit: str,
    dbt_vars: dict[str, object] | None = None,
) -> tuple[int, str, Path]:
    """Run one dbt command in a child process; returns exit code, output and target path."""
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    target = artifacts_dir / "target"
    env = {
        **os.environ,
        "FINNEWS_WORK_DB": str(work_db),
        "FINNEWS_MEMORY_LIMIT": memory_limit,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    cmd = [
        *_dbt_executable(), *command,
        "--project-dir", str(project_dir),
        "--profiles-dir", str(project_dir),
        "--target-path", str(target),
        "--log-path", str(artifacts_dir / "logs"),
        "--no-partial-parse",
        *(["--vars", json.dumps(dbt_vars)] if dbt_vars else []),
    ]  # fmt: skip
    log_file = artifacts_dir / f"dbt_{command[0]}.log"
    with log_file.open("w") as log:
        proc = subprocess.Popen(
            cmd, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
        )
        try:
            failpoint("dbt.running" if command[0] == "build" else f"dbt.{command[0]}")
            returncode = proc.wait()
        except BaseException:  # cancelled (SIGTERM) or failed: dbt must not write on alone
            proc.kill()
            proc.wait()
            raise
    return returncode, log_file.read_text(), target


def dbt_build(
    project_dir: Path,
    work_db: Path,
    artifacts_dir: Path,
    memory_limit: str,
    full_refresh: bool = False,
    dbt_vars: dict[str, object] | None = None,
    select: list[str] | None = None,
) -> DbtResult:
    """Build the models (all, or `select`) and run their dbt tests.

    A model that errors raises DbtBuildError. A dbt test that fails does not: the build is
    done and the failed tests come back in `failures`, a batch-level finding for the audit
    (the batch is held, the night goes on). Incremental marts only add the runs they have
    not built; `full_refresh` rebuilds them from the raw tables."""
    command = ["build", "--full-refresh"] if full_refresh else ["build"]
    if select:
        command += ["--select", *select]
    returncode, output, target = run_dbt(
        command, project_dir, work_db, artifacts_dir, memory_limit, dbt_vars
    )
    results_file = target / "run_results.json"
    if not results_file.exists():
        tail = "\n".join(output.strip().splitlines()[-15:])
        raise DbtBuildError(f"dbt build did not run (exit {returncode}):\n{tail}")
    run_results = json.loads(results_file.read_text())
    failures = _failures(run_results)
    broken = [f for f in failures if not f.startswith("test.")]
    if broken or (returncode != 0 and not failures):
        raise DbtBuildError("dbt build failed: " + "; ".join(broken or ["see dbt_build.log"]))
    kinds = [r["unique_id"].split(".", 1)[0] for r in run_results["results"]]
    return DbtResult(
        models=kinds.count("model"),
        tests_passed=kinds.count("test") - len(failures),
        failures=failures,
        batch_id=run_results["metadata"]["invocation_id"],
    )


def dbt_docs(project_dir: Path, work_db: Path, artifacts_dir: Path, memory_limit: str) -> Path:
    """`dbt docs generate --static`: one self-contained HTML page (models, columns, lineage)."""
    returncode, output, target = run_dbt(
        ["docs", "generate", "--static"], project_dir, work_db, artifacts_dir, memory_limit
    )
    page = target / "static_index.html"
    if returncode != 0 or not page.exists():
        tail = "\n".join(output.strip().splitlines()[-15:])
        raise DbtBuildError(f"dbt docs generate failed (exit {returncode}):\n{tail}")
    return page
