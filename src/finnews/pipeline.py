"""The nightly stages as plain functions: each opens what it needs and closes it again.

The Prefect flow (flows/nightly.py) calls these one task each; tests and benchmarks may call
them directly. DuckDB allows one writer per file, so no stage keeps a connection open for
the next one (dbt opens the file itself in between).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from finnews.config import Settings
from finnews.dbt_build import DbtResult, dbt_build
from finnews.extract.partitions import (
    Partition,
    extract_partition,
    load_partitions,
    plan_partitions,
)
from finnews.extract.persist import extract_pending
from finnews.gate import GateResult, load_checks, run_gate
from finnews.ingest import IngestResult, ingest_folder
from finnews.publish import PublishResult, publish
from finnews.report import write_report
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
    report: str | None = None

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
            f"  events {c.get('events', 0)}  entities {c.get('entities', 0)}",
            f"  dbt       models {c.get('dbt_models', 0)}  tests passed {c.get('dbt_tests', 0)}",
            f"  checks    passed {c.get('checks_passed', 0)}  failed {c.get('checks_failed', 0)}",
            f"  published {len(self.published_tables)} marts"
            + (f" ({sum(self.published_tables.values())} rows)" if self.published_tables else ""),
        ]
        if self.failed_checks:
            lines.append("  failed:   " + "; ".join(self.failed_checks))
        if self.report:
            lines.append(f"  report    {self.report}")
        if c.get("abandoned_runs"):
            lines.append(f"  recovered {c['abandoned_runs']} earlier run(s) that died mid-way")
        if self.message:
            lines.append(f"  note      {self.message}")
        return "\n".join(lines)

    def markdown(self) -> str:
        """The run summary as a Prefect markdown artifact."""
        c = self.counts
        rows = [
            ("files read", c.get("files_seen", 0)),
            ("unchanged files", c.get("files_unchanged", 0)),
            ("new articles", c.get("articles_new", 0)),
            ("duplicates", c.get("duplicates", 0)),
            ("quarantined", c.get("quarantined", 0)),
            ("figures", c.get("figures", 0)),
            ("company mentions", c.get("mentions", 0)),
            ("events", c.get("events", 0)),
            ("people, products, places, org candidates", c.get("entities", 0)),
            ("dbt models / tests", f"{c.get('dbt_models', 0)} / {c.get('dbt_tests', 0)}"),
            (
                "expectations passed / failed",
                f"{c.get('checks_passed', 0)} / {c.get('checks_failed', 0)}",
            ),
            ("quality verdict", c.get("verdict") or "not reached"),
            ("marts published", len(self.published_tables)),
        ]
        lines = [f"# finnews nightly run `{self.run_id}`: **{self.status}**", "",
                 "| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)]  # fmt: skip
        if c.get("quarantine_reasons"):
            lines += ["", "Quarantined by reason: " + ", ".join(
                f"{k} {v}" for k, v in sorted(c["quarantine_reasons"].items()))]  # fmt: skip
        if self.report:
            lines += ["", f"Report: `{self.report}`"]
        if self.failed_checks:
            lines += ["", "## Failed expectations", *(f"- {f}" for f in self.failed_checks)]
        if self.message:
            lines += ["", f"> {self.message}"]
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
    """All three extraction steps in this process (partitions on a thread pool)."""
    return extract_pending(
        settings.work_db, settings.companies_csv, run_id, _extract_dir(settings, run_id),
        settings.partition_size, memory_limit=settings.memory_limit,
    )  # fmt: skip


def _extract_dir(settings: Settings, run_id: str) -> Path:
    return settings.run_dir(run_id) / "extract"


def plan_extraction(settings: Settings) -> list[Partition]:
    with connect(settings.work_db, read_only=True, memory_limit=settings.memory_limit) as con:
        return plan_partitions(con, settings.partition_size)


def extract_one(settings: Settings, run_id: str, partition: Partition) -> dict[str, int]:
    return extract_partition(
        settings.work_db, settings.companies_csv, partition, _extract_dir(settings, run_id)
    )


def load_extraction(settings: Settings, run_id: str) -> dict[str, int]:
    with _open(settings) as con:
        return load_partitions(con, _extract_dir(settings, run_id), run_id)


def build(settings: Settings, run_id: str, full_refresh: bool = False) -> DbtResult:
    return dbt_build(
        settings.dbt_project_dir,
        settings.work_db,
        settings.run_dir(run_id) / "dbt",
        settings.memory_limit,
        full_refresh=full_refresh,
    )


def validate(settings: Settings, run_id: str) -> GateResult:
    checks = load_checks(settings.expectations_dir)
    with connect(settings.work_db, read_only=True, memory_limit=settings.memory_limit) as con:
        return run_gate(con, checks, settings.run_dir(run_id))


def publish_marts(settings: Settings, run_id: str) -> PublishResult:
    return publish(settings.work_db, settings.published_db, run_id, settings.memory_limit)


def write_run_report(settings: Settings, run_id: str) -> Path:
    return write_report(
        settings.published_db, settings.work_db, settings.run_dir(run_id) / "report", run_id
    )


def finish(settings: Settings, summary: RunSummary) -> None:
    with _open(settings) as con:
        finish_run(con, summary.run_id, summary.status, summary.counts, summary.message)
