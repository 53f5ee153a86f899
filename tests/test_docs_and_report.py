"""What analysts browse: the run report, dbt docs and GX data docs, rendered in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from finnews.config import Settings
from finnews.docs import build_docs
from finnews.gate import load_checks
from finnews.report import RULE_TABLES
from flows.nightly import nightly
from tests.helpers import chromium_dom, query, visible_text

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def run(project_seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict]:
    warehouse = tmp_path_factory.mktemp("docs-wh")
    summary = nightly(input_dir=str(project_seeds), warehouse_dir=str(warehouse))
    return Settings.resolve(project_seeds, warehouse), summary


def test_run_report_has_charts_and_tables(run: tuple[Settings, dict]) -> None:
    settings, summary = run
    report = Path(summary["report"])
    assert report == settings.run_dir(summary["run_id"]) / "report" / "index.html"
    charts = sorted(p.name for p in report.parent.glob("*.png"))
    assert charts == ["mentions_per_company.png", "share_prices.png"]
    for chart in charts:
        assert (report.parent / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = visible_text(chromium_dom(report, budget_ms=2000))
    for heading in (
        "Upcoming earnings",
        "Earnings calendar",
        "Latest metrics per company",
        "Quarantine",
    ):
        assert heading in text
    assert "2026-03-10 Volkswagen" in text  # a calendar row: date, company
    assert "Rheinmetall share_price 1,752.50 EUR" in text  # a latest-metrics row
    assert "Volkswagen units_sold 661,000 count – 2025-10-30 661.000 Fahrzeuge" in text
    assert "no quarantined files" in text


def test_run_report_links_an_explain_page_per_article(run: tuple[Settings, dict]) -> None:
    settings, summary = run
    report = Path(summary["report"])
    links = re.findall(r"href='(explain/[0-9a-f]+\.html)'", report.read_text(encoding="utf-8"))
    ((extracted,),) = query(
        settings.work_db, "select count(*) from raw.extracted where run_id = ?", [summary["run_id"]]
    )
    assert len(set(links)) == extracted > 0
    assert all((report.parent / link).is_file() for link in links)
    dom = chromium_dom(report.parent / links[0], budget_ms=1000)
    assert 'class="sp k-figure' in dom and 'data-kind="company"' in dom


def test_run_report_counts_the_rules_fired(run: tuple[Settings, dict]) -> None:
    """The "Rules fired" table counts, per rule, the raw rows of the night's articles."""
    settings, summary = run
    page = Path(summary["report"]).read_text(encoding="utf-8")
    (section,) = re.findall(r'(?s)<section id="rules-fired">(.*?)</section>', page)
    assert "<h2>Rules fired</h2>" in section
    cell = r"\s*<td>([^<]*)</td>"
    shown: dict[str, dict[str, tuple[int, int]]] = {}
    for rule_id, kind, rows, articles in re.findall(rf"<tr>{cell * 4}\s*</tr>", section):
        shown.setdefault(kind, {})[rule_id] = (int(rows.replace(",", "")), int(articles))
    night = "article_id in (select article_id from raw.extracted where run_id = ?)"
    for table, kind in RULE_TABLES.items():
        counted = query(
            settings.work_db,
            f"select rule_id, count(*), count(distinct article_id) from raw.{table} "
            f"where {night} group by rule_id",
            [summary["run_id"]],
        )
        assert shown.get(kind) == {rule: (n, a) for rule, n, a in counted}, table
    assert all(shown.get(kind) for kind in ("metric", "event", "entity", "company"))
    n_metric, n_event, n_entity = (len(shown[kind]) for kind in ("metric", "event", "entity"))
    assert (
        f"{n_metric} metric rules, {n_event} event rules, {n_entity} entity rules fired" in section
    )


def test_docs_folder_renders_models_and_validation_results(
    run: tuple[Settings, dict], tmp_path: Path
) -> None:
    settings, summary = run
    index = build_docs(settings, tmp_path / "docs")
    links = re.findall(r"href='([^']+)'", index.read_text())
    assert links[:3] == ["dbt/index.html", "gx/index.html", "report/index.html"]
    validation_pages = [link for link in links if link.startswith("gx/validations/")]
    # One page per check in expectations/.
    assert len(validation_pages) == len(load_checks(settings.expectations_dir))

    dbt_dom = chromium_dom(index.parent / "dbt" / "index.html")
    rendered = re.sub(r"(?s)<script\b.*?</script>", "", dbt_dom)  # the manifest is inlined
    for model in ("dim_companies", "dim_articles", "fct_metrics", "fct_events",
                  "fct_company_mentions", "rpt_earnings_calendar", "rpt_latest_metrics",
                  "rpt_analyst_ratings", "rpt_dividends", "rpt_guidance"):  # fmt: skip
        assert f'data-nav-unique-id="model.finnews.{model}"' in rendered, model

    gx_index = chromium_dom(index.parent / "gx" / "index.html", budget_ms=3000)
    for check in ("share_prices", "metrics", "articles", "events", "earnings_calendar",
                  "analyst_marts"):  # fmt: skip
        assert f'href="expectations/{check}.html"' in gx_index
    (page,) = [p for p in validation_pages if "/share_prices/" in p]
    result = visible_text(chromium_dom(index.parent / page, budget_ms=3000))
    assert "Expectation Suite: share_prices" in result
    assert "Status: Succeeded" in result
    assert "values must be greater than or equal to 0.01" in result
