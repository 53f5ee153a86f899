"""The nightly stages as plain functions: each opens what it needs and closes it again.

The Prefect flow (flows/nightly.py) calls these one task each; tests and benchmarks may call
them directly. DuckDB allows one writer per file, so no stage keeps a connection open for
the next one (dbt opens the file itself in between).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from finnews import batches as batch_book
from finnews import lake
from finnews.config import Settings
from finnews.dbt_build import DbtResult, dbt_build
from finnews.gate import GateResult, load_checks, run_gate
from finnews.ingest import IngestResult, ingest_folder
from finnews.policy import Policy, load_policy
from finnews.publish import PublishResult, publish
from finnews.retention import human_bytes, prune_runs
from finnews.runs import (
    REBUILD_HINT,
    STAGE_COLUMNS,
    StageTiming,
    WarehouseDamaged,
    database_problem,
    finish_run,
    new_run_id,
    read_publication,
    stage_rows,
    stage_table,
    start_run,
)
from finnews.warehouse import connect, ensure_raw_schema

# Extraction and the report are imported where they are used: a stage runs in its own
# process (the Prefect tasks, bench.stage), and their imports (the rule patterns, matplotlib
# and pandas) cost ~2 s that an ingest, dbt or publish process never needs.
if TYPE_CHECKING:
    from finnews.extract.partitions import Partition


@dataclass
class RunSummary:
    run_id: str
    status: str = "running"
    message: str = ""
    counts: dict[str, Any] = field(default_factory=dict)
    failed_checks: list[str] = field(default_factory=list)
    published_tables: dict[str, int] = field(default_factory=dict)
    report: str | None = None
    stages: list[StageTiming] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @contextmanager
    def timed(self, stage: str) -> Iterator[StageTiming]:
        """Time the block as `stage` (wall clock, monotonic). A stage that fails is still
        recorded with the seconds it ran: a failed night shows where its time went."""
        timing = StageTiming(stage)
        self.stages.append(timing)
        start = time.perf_counter()
        try:
            yield timing
        finally:
            timing.seconds = time.perf_counter() - start

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
            f"  published {c.get('published_rows', 0)} new rows, rejected {c.get('rejected', 0)}"
            + (f" {c['rejected_by_check']}" if c.get("rejected_by_check") else "")
            + f"  ({len(self.published_tables)} marts"
            + (
                f", {sum(self.published_tables.values())} rows in all)"
                if self.published_tables
                else ")"
            ),
        ]
        if self.stages:
            table = stage_table(self.stages)
            lines.append(f"  {'timings':<10}{table[0]}")
            lines += [f"  {'':<10}{line}" for line in table[1:]]
        for held in c.get("held_batches", []):
            lines.append(
                f"  HELD      batch {held['batch_id']} (run {held['run_id']}): "
                + "; ".join(held.get("failed_checks") or [])
                + "  -> make release BATCH=... or make discard BATCH=..."
            )
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
            ("rows published (new)", c.get("published_rows", 0)),
            ("rows rejected", c.get("rejected", 0)),
            ("held batches", len(c.get("held_batches", []))),
            ("marts published", len(self.published_tables)),
        ]
        lines = [f"# finnews nightly run `{self.run_id}`: **{self.status}**", "",
                 "| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)]  # fmt: skip
        if c.get("quarantine_reasons"):
            lines += ["", "Quarantined by reason: " + ", ".join(
                f"{k} {v}" for k, v in sorted(c["quarantine_reasons"].items()))]  # fmt: skip
        if c.get("rejected_by_check"):
            lines += ["", "Rejected rows by check: " + ", ".join(
                f"{k} {v}" for k, v in sorted(c["rejected_by_check"].items()))]  # fmt: skip
        if c.get("held_batches"):
            lines += ["", "## Held batches (`make release BATCH=…` / `make discard BATCH=…`)",
                      *(f"- `{h['batch_id']}` (run {h['run_id']}): "
                        + "; ".join(h.get("failed_checks") or []) for h in c["held_batches"])]  # fmt: skip
        if self.stages:
            lines += ["", *self._markdown_stages()]
        if self.report:
            lines += ["", f"Report: `{self.report}`"]
        if self.failed_checks:
            lines += ["", "## Failed expectations", *(f"- {f}" for f in self.failed_checks)]
        if self.message:
            lines += ["", f"> {self.message}"]
        return "\n".join(lines)

    def _markdown_stages(self) -> list[str]:
        return [
            "## Stage timings", "", "| " + " | ".join(STAGE_COLUMNS) + " |", "|---|---:|---:|---:|",
            *("| " + " | ".join(row) + " |" for row in stage_rows(self.stages)),
        ]  # fmt: skip


def _open(settings: Settings):  # noqa: ANN202 - a duckdb connection
    con = connect(settings.work_db, memory_limit=settings.memory_limit, threads=settings.threads)
    ensure_raw_schema(con)
    return con


def begin(settings: Settings, run_id: str) -> int:
    """Record the start of a run; returns how many dead earlier runs were recovered: marked
    `abandoned`, or `published_then_died` when published.duckdb names them as publisher.

    A damaged work.duckdb (truncated, overwritten) stops the run here with the command that
    rebuilds it, instead of failing half-way through a stage."""
    problem = database_problem(settings.work_db)
    if problem:
        raise WarehouseDamaged(f"{settings.work_db}: {problem}; {REBUILD_HINT}")
    try:
        with _open(settings) as con:
            dead = con.execute("select count(*) from raw.runs where status = 'running'").fetchone()
            # Only when a run died: reading the published file's batches is not free.
            publication = (
                read_publication(settings.published_db, _open_published(settings))
                if dead[0]
                else None
            )
            return start_run(con, run_id, settings.input_dir, publication)
    except duckdb.Error as exc:  # the writer's file cannot be read or written
        raise WarehouseDamaged(
            f"cannot record the run in {settings.work_db} ({type(exc).__name__}: {exc}); "
            f"if the file is damaged, {REBUILD_HINT}"
        ) from exc


def ingest(settings: Settings, run_id: str) -> IngestResult:
    with _open(settings) as con:
        # The warehouse may lie inside the drop folder: its reports are never input.
        return ingest_folder(con, settings.input_dir, run_id, exclude_dirs=[settings.warehouse_dir])


def extract(settings: Settings, run_id: str) -> dict[str, int]:
    """All three extraction steps in this process (partitions on a thread pool)."""
    from finnews.extract.persist import extract_pending

    return extract_pending(
        settings.work_db, settings.companies_csv, run_id, _extract_dir(settings, run_id),
        settings.partition_size, memory_limit=settings.memory_limit,
    )  # fmt: skip


def _extract_dir(settings: Settings, run_id: str) -> Path:
    return settings.run_dir(run_id) / "extract"


def plan_extraction(settings: Settings) -> list[Partition]:
    from finnews.extract.partitions import plan_partitions

    with connect(settings.work_db, read_only=True, memory_limit=settings.memory_limit) as con:
        return plan_partitions(con, settings.partition_size)


def extract_one(settings: Settings, run_id: str, partition: Partition) -> dict[str, int]:
    from finnews.extract.partitions import extract_partition

    return extract_partition(
        settings.work_db, settings.companies_csv, partition, _extract_dir(settings, run_id)
    )


def load_extraction(settings: Settings, run_id: str) -> dict[str, int]:
    from finnews.extract.partitions import load_partitions

    with _open(settings) as con:
        return load_partitions(con, _extract_dir(settings, run_id), run_id)


def dbt_vars(policy: Policy, batch_seq: int) -> dict[str, object]:
    """What dbt gets from the pipeline: the batch's sequence number and the configuration
    its row checks read (dbt_project.yml has the defaults for a dbt run by hand)."""
    return {"batch_seq": batch_seq, "currencies": list(policy.quality.currencies)}


def build(settings: Settings, run_id: str, full_refresh: bool = False) -> DbtResult:
    """dbt build of one batch: its sequence number is reserved first (a killed build burns
    it), the batch is registered in raw.batches once dbt finished."""
    with _open(settings) as con:
        seq = batch_book.reserve_batch_seq(con)
    result = dbt_build(
        settings.dbt_project_dir,
        settings.work_db,
        settings.run_dir(run_id) / "dbt",
        settings.memory_limit,
        full_refresh=full_refresh,
        dbt_vars=dbt_vars(load_policy(), seq),
    )
    with _open(settings) as con:
        batch_book.register_batch(con, result.batch_id, seq, run_id)
    return result


# Models that read the facts whole (not batch by batch): rebuilt when a batch is held,
# released or discarded, so they never show a batch that is not published.
DERIVED_MODELS = ["dim_companies", "fct_rejected_rows", "path:models/reporting"]


def rebuild_derived(settings: Settings, run_id: str, label: str = "derived") -> DbtResult:
    with _open(settings) as con:
        seq = con.execute("select coalesce(max(batch_seq), 0) from raw.batches").fetchone()[0]
    return dbt_build(
        settings.dbt_project_dir,
        settings.work_db,
        settings.run_dir(run_id) / f"dbt-{label}",
        settings.memory_limit,
        full_refresh=True,
        dbt_vars=dbt_vars(load_policy(), int(seq)),
        select=DERIVED_MODELS,
    )


def validate(settings: Settings, run_id: str) -> GateResult:
    checks = load_checks(settings.expectations_dir)
    with connect(settings.work_db, read_only=True, memory_limit=settings.memory_limit) as con:
        return run_gate(con, checks, settings.run_dir(run_id))


def hold(settings: Settings, run_id: str, batches: list[str], failed: list[str]) -> None:
    """Hold the audited batches with the checks that failed; the derived marts are rebuilt
    without them so the publication shows none of their rows."""
    if not batches:
        return
    with _open(settings) as con:
        batch_book.set_status(con, batches, "held", run_id, failed_checks=failed)
    rebuild_derived(settings, run_id, "after-hold")


def _open_published(settings: Settings) -> Callable[[], duckdb.DuckDBPyConnection] | None:
    """What opens the publication read-only when it is not published.duckdb (the DuckLake
    target), else None: readers of the file open it themselves."""
    if settings.publish_target != "ducklake":
        return None
    target = lake.lake_target(settings)
    return lambda: lake.connect_lake(target, memory_limit=settings.memory_limit)


def publish_marts(settings: Settings, run_id: str) -> PublishResult:
    """Publish to the configured target (Settings.publish_target): published.duckdb, or one
    snapshot of the DuckLake (finnews.lake)."""
    if settings.publish_target == "ducklake":
        result = lake.publish_lake(
            settings.work_db, lake.lake_target(settings), run_id, settings.memory_limit,
            threads=settings.threads,
        )  # fmt: skip
    else:
        result = publish(settings.work_db, settings.published_db, run_id, settings.memory_limit)
    with _open(settings) as con:
        batch_book.set_status(con, result.new_batches, "published", run_id)
        batch_book.mark_empty(con, set(result.carried))
    return result


def night_counts(settings: Settings, run_id: str) -> dict[str, Any]:
    """Rejected rows of this run's extraction by check, and the batches still held."""
    with connect(settings.work_db, read_only=True, memory_limit=settings.memory_limit) as con:
        try:
            by_check = dict(con.execute(
                "select check_name, count(*) from intermediate.int_row_checks "
                "where run_id = ? and check_name is not null group by 1 order by 1", [run_id]
            ).fetchall())  # fmt: skip
        except duckdb.CatalogException:  # no dbt build yet: nothing rejected
            by_check = {}
        held = batch_book.held_batches(con)
    return {
        "rejected": sum(by_check.values()),
        "rejected_by_check": by_check,
        "held_batches": [{**h, "held_at": str(h["held_at"])} for h in held],
    }


def write_run_report(settings: Settings, run_id: str) -> Path:
    from finnews.report import write_report

    return write_report(
        _open_published(settings) or settings.published_db, settings.work_db,
        settings.run_dir(run_id) / "report", run_id,
    )  # fmt: skip


# What "input MB" means per stage: each function returns the bytes of text the stage took in.
# MB are 10**6 bytes; article text is counted in UTF-8 bytes (DuckDB strlen).
InputMeasure = Callable[[duckdb.DuckDBPyConnection, Settings, str, StageTiming], int | None]


def _files_read_bytes(
    con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, stage: StageTiming
) -> int:
    """ingest: the files this run opened and hashed as new or changed (raw.files rows of the
    run with a hash: loaded, duplicates, quarantined after reading, bulk files). Files skipped
    as unchanged are not counted, so a night with nothing new reads ~0 MB."""
    return con.execute(
        "select coalesce(sum(size_bytes), 0) from raw.files "
        "where run_id = ? and file_sha256 is not null",
        [run_id],
    ).fetchone()[0]


def _extracted_bytes(
    con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, stage: StageTiming
) -> int:
    """extract: the bodies of the articles this run extracted (raw.extracted of the run)."""
    return con.execute(
        "select coalesce(sum(strlen(a.body)), 0) from raw.extracted e "
        "join raw.articles a using (article_id) where e.run_id = ?",
        [run_id],
    ).fetchone()[0]


def _batch_bytes(
    con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, stage: StageTiming
) -> int:
    """dbt, audit, hold, publish: the bodies of the articles in the batches the stage built,
    judged, held or published (marts.dim_articles rows of those batches: the night's new
    articles and older ones whose versions it re-derived). The same text for every stage of
    a normal night, so their MB/s compare; a night that adds nothing has 0 MB."""
    if not stage.batches:
        return 0
    return con.execute(
        "select coalesce(sum(strlen(body)), 0) from marts.dim_articles "
        "where list_contains(?::varchar[], batch_id)",
        [stage.batches],
    ).fetchone()[0]


def _published_file_bytes(
    con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, stage: StageTiming
) -> int | None:
    """report: the published file it reads its tables and charts from (the DuckLake
    target: its catalog file; None for a PostgreSQL catalog)."""
    path = settings.published_db
    if settings.publish_target == "ducklake":
        found = lake.lake_target(settings).catalog_file
        if found is None:
            return None
        path = found
    return path.stat().st_size if path.exists() else None


STAGE_INPUTS: dict[str, InputMeasure] = {
    "ingest": _files_read_bytes,
    "extract": _extracted_bytes,
    "dbt": _batch_bytes,
    "audit": _batch_bytes,
    "hold": _batch_bytes,
    "publish": _batch_bytes,
    "report": _published_file_bytes,
}


def measure_inputs(
    con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, stages: list[StageTiming]
) -> None:
    """Fill in each stage's input MB (STAGE_INPUTS), after the run, so measuring never counts
    in a stage's seconds. Best effort: what cannot be measured (a failed night without marts)
    stays None."""
    for stage in stages:
        measure = STAGE_INPUTS.get(stage.stage)
        if measure is None or stage.input_mb is not None:
            continue
        try:
            n_bytes = measure(con, settings, run_id, stage)
        except (duckdb.Error, OSError):
            continue
        stage.input_mb = None if n_bytes is None else n_bytes / 1e6


def finish(settings: Settings, summary: RunSummary) -> None:
    """Record how the run ended and its stage timings, then apply run-folder retention
    ([retention] keep_runs).

    Runs in the flow's `finally`: when the run already failed, a second error here (work.duckdb
    unreadable) is printed, not raised, so the run's own error is the one reported."""
    try:
        with _open(settings) as con:
            measure_inputs(con, settings, summary.run_id, summary.stages)
            finish_run(
                con, summary.run_id, summary.status, summary.counts, summary.message,
                summary.stages,
            )  # fmt: skip
    except duckdb.Error as exc:
        if summary.status == "completed":
            raise
        print(
            f"could not record run {summary.run_id} as {summary.status} in raw.runs "
            f"({type(exc).__name__}: {exc}); if work.duckdb is damaged, {REBUILD_HINT}"
        )
    try:  # retention never fails a run
        keep = load_policy().retention.keep_runs
        pruned = prune_runs(settings.runs_dir, keep, current=summary.run_id)
        if pruned.removed:
            print(
                f"retention: removed {len(pruned.removed)} old run folder(s) "
                f"({human_bytes(pruned.freed_bytes)}), keeping the newest {keep}"
            )
    except Exception as exc:  # noqa: BLE001
        print(f"retention: run folders not pruned ({type(exc).__name__}: {exc})")


# Operator decisions on held batches (`make batches`, `make release`, `make discard`): each
# is recorded in raw.batches, raw.batch_decisions and as a row of raw.runs.
def list_batches(settings: Settings, limit: int = 20) -> list[dict[str, Any]]:
    """The newest batches with their status, what held them and their rows per mart."""
    with connect(settings.work_db, read_only=True, memory_limit=settings.memory_limit) as con:
        rows = con.execute(
            "select batch_id, batch_seq, run_id, status, failed_checks, built_at, decided_at "
            "from raw.batches order by batch_seq desc limit ?",
            [limit],
        ).fetchall()
        keys = ("batch_id", "batch_seq", "run_id", "status", "failed_checks", "built_at",
                "decided_at")  # fmt: skip
        found = [dict(zip(keys, r, strict=True)) for r in rows]
        for batch in found:
            batch["rows"] = _batch_rows(con, batch["batch_id"]) if batch["batch_id"] else 0
    return found


def _batch_rows(con: Any, batch_id: str) -> int:
    parts = " + ".join(
        f"(select count(*) from {t} where batch_id = $b)" for t in batch_book.INCREMENTAL_MARTS
    )
    return int(con.execute(f"select {parts}", {"b": batch_id}).fetchone()[0])


def _operator_run(settings: Settings, run_id: str, action: str, batch_id: str, note: str) -> None:
    with _open(settings) as con:
        now = con.execute("select current_localtimestamp()").fetchone()[0]
        con.execute(
            "insert into raw.runs (run_id, started_at, ended_at, status, input_dir, message) "
            "values (?, ?, ?, ?, ?, ?)",
            [run_id, now, now, action, str(settings.input_dir), f"batch {batch_id}: {note}"],
        )


def decide_batch(
    settings: Settings, batch_id: str, action: str, by: str, note: str = ""
) -> PublishResult:
    """Release (publish) or discard (never publish) a held batch, then republish so the
    published file shows the decision. The caller holds the warehouse lock."""
    if action not in ("released", "discarded"):
        raise ValueError(f"unknown decision {action!r}: released or discarded")
    run_id = new_run_id()
    with _open(settings) as con:
        row = con.execute(
            "select status from raw.batches where batch_id = ?", [batch_id]
        ).fetchone()
        if row is None:
            raise LookupError(f"no batch {batch_id} in {settings.work_db} (see `make batches`)")
        if row[0] != "held":
            raise ValueError(f"batch {batch_id} is {row[0]}, not held: nothing to {action[:-1]}")
        batch_book.set_status(con, [batch_id], action, run_id, by=by, note=note)
    rebuild_derived(settings, run_id, f"after-{action}")
    result = publish_marts(settings, run_id)
    _operator_run(settings, run_id, action, batch_id, note or f"{action} by {by}")
    return result
