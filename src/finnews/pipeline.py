"""The nightly stages as plain functions: each opens what it needs and closes it again.

The Prefect flow (flows/nightly.py) calls these one task each; tests and benchmarks may call
them directly. DuckDB allows one writer per file, so no stage keeps a connection open for
the next one (dbt opens the file itself in between).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from finnews.config import Settings
from finnews.dbt_build import DbtResult, dbt_build
from finnews.extract.persist import extract_pending
from finnews.gate import GateResult, load_checks, run_gate
from finnews.ingest import IngestResult, ingest_folder
from finnews.publish import PublishResult, publish
from finnews.runs import finish_run, start_run
from finnews.warehouse import connect, ensure_raw_schema


@dataclass
class RunSummary:
    run_id: str
    status: str = "running"
    message: str = ""
    counts: dict[str, Any] = field(default_factory=dict)
    failed_checks: list[str] = field(default_factory=list)
    published_tables: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def render(self) -> str:
        c = self.counts
        lines = [
            f"run {self.run_id}: {self.status.upper()}",
            f"  articles  read {c.get('files_seen', 0)}  unchanged {c.get('files_unchanged', 0)}"
            f"  new {c.get('articles_new', 0)}  duplicates {c.get('duplicates', 0)}"
            f"  quarantined {c.get('quarantined', 0)}"
            + (f" {c['quarantine_reasons']}" if c.get("quarantine_reasons") else ""),
            f"  extracted figures {c.get('figures', 0)}  company mentions {c.get('mentions', 0)}"
            f"  events {c.get('events', 0)}",
            f"  dbt       models {c.get('dbt_models', 0)}  tests passed {c.get('dbt_tests', 0)}",
            f"  checks    passed {c.get('checks_passed', 0)}  failed {c.get('checks_failed', 0)}",
            f"  published {len(self.published_tables)} marts"
            + (f" ({sum(self.published_tables.values())} rows)" if self.published_tables else ""),
        ]
        if self.failed_checks:
            lines.append("  failed:   " + "; ".join(self.failed_checks))
        if c.get("abandoned_runs"):
            lines.append(f"  recovered {c['abandoned_runs']} earlier run(s) that died mid-way")
        if self.message:
            lines.append(f"  note      {self.message}")
        return "\n".join(lines)


def _open(settings: Settings):  # noqa: ANN202 - a duckdb connection
    con = connect(settings.work_db, memory_limit=settings.memory_limit, threads=settings.threads)
    ensure_raw_schema(con)
    return con


def begin(settings: Settings, run_id: str) -> int:
    """Record the start of a run; returns how many dead earlier runs were marked abandoned."""
    with _open(settings) as con:
        return start_run(con, run_id, settings.input_dir)


def ingest(settings: Settings, run_id: str) -> IngestResult:
    with _open(settings) as con:
        return ingest_folder(con, settings.input_dir, run_id)


def extract(settings: Settings, run_id: str) -> dict[str, int]:
    with _open(settings) as con:
        return extract_pending(con, settings.companies_csv, run_id)


def build(settings: Settings, run_id: str) -> DbtResult:
    return dbt_build(
        settings.dbt_project_dir,
        settings.work_db,
        settings.run_dir(run_id) / "dbt",
        settings.memory_limit,
    )


def validate(settings: Settings, run_id: str) -> GateResult:
    checks = load_checks(settings.expectations_dir)
    with connect(settings.work_db, read_only=True, memory_limit=settings.memory_limit) as con:
        return run_gate(con, checks, settings.run_dir(run_id))


def publish_marts(settings: Settings, run_id: str) -> PublishResult:
    return publish(settings.work_db, settings.published_db, run_id, settings.memory_limit)


def finish(settings: Settings, summary: RunSummary) -> None:
    with _open(settings) as con:
        finish_run(con, summary.run_id, summary.status, summary.counts, summary.message)
