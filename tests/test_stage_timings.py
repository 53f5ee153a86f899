"""Stage timings (issue #18): every run records wall seconds and input MB per stage in
raw.run_stages (a child of raw.runs), and the run summary, the Prefect artifact and
`ops status` print them. One real nightly run on seeds/."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import duckdb
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from finnews import ops
from finnews.runs import StageTiming, stage_table
from finnews.warehouse import connect, ensure_raw_schema
from flows.nightly import nightly
from tests.helpers import query

pytestmark = pytest.mark.e2e

STAGES = ["ingest", "extract", "dbt", "audit", "publish", "report"]  # no hold: seeds pass


@pytest.fixture(scope="module")
def night(project_seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One nightly run on seeds/, with the flow's log (where its printed summary goes)."""
    warehouse = tmp_path_factory.mktemp("timings-wh")
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = records.append  # type: ignore[method-assign]
    # The flow prints with log_prints: the summary is an INFO record of its run logger, which
    # the tests' PREFECT_LOGGING_LEVEL=WARNING would otherwise drop.
    logger = logging.getLogger("prefect.flow_runs")
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        summary = nightly(input_dir=str(project_seeds), warehouse_dir=str(warehouse))
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    log = "\n".join(r.getMessage() for r in records)
    return {"warehouse": warehouse, "summary": summary, "log": log}


def _stored(work: Path, run_id: str) -> list[StageTiming]:
    rows = query(
        work,
        "select stage, seconds, input_mb from raw.run_stages where run_id = ? order by stage_no",
        [run_id],
    )
    return [StageTiming(*row) for row in rows]


def test_every_stage_has_seconds_and_input_mb(night: dict, project_seeds: Path) -> None:
    work, summary = night["warehouse"] / "work.duckdb", night["summary"]
    assert summary["status"] == "completed"
    stages = _stored(work, summary["run_id"])
    assert [t.stage for t in stages] == STAGES
    assert all(t.seconds > 0 for t in stages), stages
    assert all(t.input_mb is not None and t.input_mb > 0 for t in stages), stages
    by_stage = {t.stage: t for t in stages}
    # ingest read every seed file whole; extraction took their bodies (less than the files:
    # headlines, ads and sign-offs are not body), and dbt, audit and publish that same text.
    files_mb = sum(p.stat().st_size for p in project_seeds.glob("*.txt")) / 1e6
    assert by_stage["ingest"].input_mb == pytest.approx(files_mb)
    assert 0 < by_stage["extract"].input_mb < by_stage["ingest"].input_mb
    for stage in ("dbt", "audit", "publish"):
        assert by_stage[stage].input_mb == pytest.approx(by_stage["extract"].input_mb)
    # The stages lie inside the run's own start and end in raw.runs.
    ((took,),) = query(
        work,
        "select epoch(ended_at - started_at) from raw.runs where run_id = ?",
        [summary["run_id"]],
    )
    assert sum(t.seconds for t in stages) <= took + 0.5
    # The flow's return value carries the same timings.
    assert [(s["stage"], s["seconds"]) for s in summary["stages"]] == [
        (t.stage, t.seconds) for t in stages
    ]


def test_summary_prints_the_stage_table(night: dict) -> None:
    work, summary = night["warehouse"] / "work.duckdb", night["summary"]
    log = night["log"]
    assert f"run {summary['run_id']}: COMPLETED" in log
    table = stage_table(_stored(work, summary["run_id"]))
    assert f"  timings   {table[0]}" in log
    for line in table[1:]:  # each stage (and the total) with the numbers raw.run_stages holds
        assert f"\n            {line}\n" in log + "\n", line


def test_prefect_artifact_has_the_stage_table(night: dict) -> None:
    work, run_id = night["warehouse"] / "work.duckdb", night["summary"]["run_id"]
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["finnews-run-summary"]))
        )
    (markdown,) = [a.data for a in artifacts if run_id in (a.description or "")]
    assert "## Stage timings" in markdown
    ingest = _stored(work, run_id)[0]
    assert f"| ingest | {ingest.seconds:.2f} | {ingest.input_mb:.3f} |" in markdown


def test_ops_status_shows_the_last_runs_stages(
    night: dict, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse, run_id = night["warehouse"], night["summary"]["run_id"]
    assert ops.main(["status", "--warehouse-dir", str(warehouse)]) == 0
    out = capsys.readouterr().out
    table = stage_table(_stored(warehouse / "work.duckdb", run_id))
    assert f"stages     {table[0]}  (run {run_id})" in out
    assert all(f"           {line}" in out for line in table[1:])

    # A warehouse from before raw.run_stages: status (read-only, no migration) still works,
    # and the next open adds the table.
    old = tmp_path / "old"
    shutil.copytree(warehouse, old, ignore=shutil.ignore_patterns("runs"))
    with duckdb.connect(str(old / "work.duckdb")) as con:
        con.execute("drop table raw.run_stages")
    assert ops.main(["status", "--warehouse-dir", str(old)]) == 0
    out = capsys.readouterr().out
    assert f"run        {run_id}" in out and "stages     " not in out
    with connect(old / "work.duckdb") as con:
        ensure_raw_schema(con)
        assert con.execute("select count(*) from raw.run_stages").fetchone() == (0,)
