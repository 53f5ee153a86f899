"""The real nightly flow (Prefect, DuckDB, dbt, GX) on real files, into temp folders."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

import duckdb
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from finnews import ops
from finnews.config import Settings
from finnews.publish import table_checksum
from finnews.runs import StageTiming, stage_table
from finnews.warehouse import connect, ensure_raw_schema
from flows.nightly import nightly
from tests.helpers import query

pytestmark = pytest.mark.e2e


def published(warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(warehouse / "published.duckdb"), read_only=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def night(project_seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One nightly run on seeds/, with the flow's log (where its printed summary goes)."""
    warehouse = tmp_path_factory.mktemp("seeds-warehouse")
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


@pytest.fixture(scope="module")
def seeds_run(night: dict) -> tuple[Path, dict]:
    return night["warehouse"], night["summary"]


@pytest.fixture(scope="module")
def shared_run(shared_seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("shared-warehouse")
    nightly(input_dir=str(shared_seeds), warehouse_dir=str(warehouse))
    return warehouse


def test_seeds_run_completes_and_publishes(
    seeds_run: tuple[Path, dict], project_seeds: Path
) -> None:
    warehouse, summary = seeds_run
    n_files = len(list(project_seeds.glob("*.txt")))
    assert summary["status"] == "completed"
    assert summary["counts"]["articles_new"] == n_files
    assert summary["counts"]["checks_failed"] == 0
    assert "reporting.rpt_earnings_calendar" in summary["published_tables"]
    with published(warehouse) as con:
        run_id = con.execute("select run_id from meta.publication").fetchone()[0]
    assert run_id == summary["run_id"]


# Stage timings (issue #18): every run records wall seconds and input MB per stage in
# raw.run_stages; the summary, the Prefect artifact and `ops status` print them.
STAGES = ["ingest", "extract", "dbt", "audit", "publish", "report"]  # no hold: seeds pass


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


def test_seeds_share_prices_per_company(seeds_run: tuple[Path, dict]) -> None:
    warehouse, _ = seeds_run
    with published(warehouse) as con:
        rows = con.execute(
            "select company_id, currency, min_price from reporting.rpt_share_price_mentions"
        ).fetchall()
    prices = {(company, currency): price for company, currency, price in rows}
    assert prices[("sap", "EUR")] == pytest.approx(218.40)
    assert prices[("rheinmetall", "EUR")] == pytest.approx(1752.50)  # "1.752,50 Euro"
    assert prices[("byd", "HKD")] == pytest.approx(98.0)
    assert prices[("byd", "EUR")] == pytest.approx(11.42)
    # "4,60 Euro je Aktie" is JD.com's offer for Ceconomy, not a quoted share price.
    assert ("ceconomy", "EUR") not in prices


def test_seeds_earnings_calendar(seeds_run: tuple[Path, dict]) -> None:
    warehouse, _ = seeds_run
    with published(warehouse) as con:
        rows = con.execute(
            "select company_id, earnings_date from reporting.rpt_earnings_calendar"
        ).fetchall()
    calendar = {(company, str(day)) for company, day in rows}
    assert {
        ("sap", "2026-01-29"),
        ("volkswagen", "2026-03-10"),
        ("allianz", "2026-02-26"),
        ("infineon", "2026-02-04"),
        ("siemens", "2024-11-13"),  # "Am 13. November": year from the 2024 publication date
    } <= calendar


def test_seeds_figures_and_events_with_evidence(seeds_run: tuple[Path, dict]) -> None:
    warehouse, _ = seeds_run
    with published(warehouse) as con:
        revenue = con.execute(
            "select value, unit from marts.fct_metrics where company_id = 'sap' "
            "and metric_type = 'revenue' and surface = '9,08 Milliarden Euro'"
        ).fetchall()
        yuan = con.execute(
            "select value from marts.fct_metrics where company_id = 'byd' "
            "and metric_type = 'revenue' and unit = 'CNY'"
        ).fetchall()
        merger = con.execute(
            "select company_id, counterpart_company_id from marts.fct_events "
            "where event_type = 'merger_acquisition' and evidence like 'Siemens greift%'"
        ).fetchall()
        launch = con.execute(
            "select count(*) from marts.fct_events "
            "where event_type = 'product_launch' and company_id = 'mercedes_benz'"
        ).fetchone()[0]
        vw = con.execute(
            "select published_date, published_date_method from marts.dim_articles "
            "where main_company_id = 'volkswagen'"
        ).fetchall()
        bad_offsets = con.execute(
            "select count(*) from marts.fct_metrics m join marts.dim_articles a using (article_id) "
            "where substr(a.body, m.char_start + 1, m.char_end - m.char_start) <> m.surface"
        ).fetchone()[0]
    assert revenue == [(pytest.approx(9.08e9), "EUR")]
    assert [v for (v,) in yuan] == pytest.approx([194.9e9])
    assert merger == [("siemens", "altair")]
    assert launch >= 1
    assert [(str(d), m) for d, m in vw] == [("2025-10-30", "dateline")]
    assert bad_offsets == 0


def test_second_run_on_same_files_adds_nothing(
    seeds_run: tuple[Path, dict], project_seeds: Path
) -> None:
    warehouse, first = seeds_run
    again = nightly(input_dir=str(project_seeds), warehouse_dir=str(warehouse))
    assert again["status"] == "completed"
    assert again["counts"]["articles_new"] == 0
    assert again["counts"]["files_unchanged"] == first["counts"]["files_seen"]
    with duckdb.connect(str(warehouse / "work.duckdb"), read_only=True) as con:
        n_articles = con.execute("select count(*) from raw.articles").fetchone()[0]
        runs = con.execute("select status from raw.runs order by started_at").fetchall()
    assert n_articles == first["counts"]["articles_new"]
    assert runs == [("completed",), ("completed",)]


def test_real_articles_end_to_end(shared_run: Path) -> None:
    with published(shared_run) as con:
        prices = con.execute(
            "select distinct value from marts.fct_metrics "
            "where company_id = 'alibaba' and metric_type = 'share_price' and unit = 'EUR' "
            "order by value"
        ).fetchall()
        rsi = con.execute(
            "select value from marts.fct_metrics where metric_type = 'rsi'"
        ).fetchall()
        revenue = con.execute(
            "select value from marts.fct_metrics "
            "where metric_type = 'revenue' and unit = 'CNY' and company_id = 'alibaba'"
        ).fetchall()
        earnings = con.execute(
            "select earnings_date from reporting.rpt_earnings_calendar where company_id = 'alibaba'"
        ).fetchall()
    assert [v for (v,) in prices] == pytest.approx([134.60, 144.80, 147.0])
    assert [v for (v,) in rsi] == pytest.approx([29.4])
    assert [v for (v,) in revenue] == pytest.approx([247.8e9])
    assert "2026-02-19" in {str(d) for (d,) in earnings}


def test_real_articles_boilerplate_yields_no_figures(shared_run: Path, shared_seeds: Path) -> None:
    with published(shared_run) as con:
        boilerplate = con.execute("select boilerplate from marts.dim_articles").fetchall()
        bodies = con.execute("select body from marts.dim_articles").fetchall()
        surfaces = [s for (s,) in con.execute("select surface from marts.fct_metrics").fetchall()]
    with duckdb.connect(str(shared_run / "work.duckdb"), read_only=True) as con:
        dates = [
            s
            for (s,) in con.execute(
                "select surface from raw.figures where kind = 'date'"
            ).fetchall()
        ]
    # The teaser is kept aside, never in the prose the extractor reads.
    assert any("Analyse vom 21. November" in (b or "") for (b,) in boilerplate)
    assert not any("Kaufen oder verkaufen" in body for (body,) in bodies)
    assert "21. November" not in dates
    assert not any("Analyse" in s for s in surfaces)


def test_an_implausible_figure_is_rejected_and_the_night_publishes(
    project_seeds: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh"
    first = nightly(input_dir=str(project_seeds), warehouse_dir=str(warehouse))
    assert first["status"] == "completed"
    with published(warehouse) as con:
        metrics_before = table_checksum(con, "marts.fct_metrics")

    # A negative share price slips into the raw figures of a later run.
    with duckdb.connect(str(warehouse / "work.duckdb")) as con:
        bad_id = con.execute(
            """
            insert into raw.figures
            select * replace (figure_id || '-bad' as figure_id, -134.6 as value, 'later-run' as run_id)
            from raw.figures where metric_type = 'share_price' limit 1
            returning figure_id
            """
        ).fetchone()[0]
    summary = nightly(input_dir=str(project_seeds), warehouse_dir=str(warehouse))
    assert summary["status"] == "completed" and summary["counts"]["verdict"] == "passed"
    assert summary["counts"]["rejected_by_check"] == {}  # 'later-run' is no run of this night
    with published(warehouse) as con:
        rejected = con.execute(
            "select check_name, reason, run_id from marts.fct_rejected_rows where row_key = ?",
            [bad_id],
        ).fetchall()
        assert rejected == [
            (
                "share_prices.value.between",
                "share price -134.6 outside [0.01, 1000000]",
                "later-run",
            )
        ]
        # It reached no mart: fct_metrics is exactly what it was.
        assert table_checksum(con, "marts.fct_metrics") == metrics_before

    settings = Settings.resolve(project_seeds, warehouse)
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        run_id, status, published_flag = con.execute(
            "select run_id, status, published from raw.runs order by started_at desc limit 1"
        ).fetchone()
    assert (status, published_flag) == ("completed", True)
    # The GX suites behind the row checks ran and passed, none of them by an exception.
    report = json.loads((settings.run_dir(run_id) / "validation.json").read_text())
    share = report["share_prices"]["result"]
    assert share["success"] is True
    assert not any(r["exception_info"].get("raised_exception") for r in share["results"])
    shutil.rmtree(warehouse)
