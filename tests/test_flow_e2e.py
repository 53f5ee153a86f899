"""The real nightly flow (Prefect, DuckDB, dbt, GX) on real files, into temp folders."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from finnews.config import Settings
from finnews.publish import table_checksum
from flows.nightly import nightly

pytestmark = pytest.mark.e2e


def published(warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(warehouse / "published.duckdb"), read_only=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def seeds_run(project_seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    warehouse = tmp_path_factory.mktemp("seeds-warehouse")
    summary = nightly(input_dir=str(project_seeds), warehouse_dir=str(warehouse))
    return warehouse, summary


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
