"""Row-level problems are rejected rows, batch-level ones hold a batch: neither stops a night.

Real files, real flow runs (Prefect, dbt, GX), real DuckDB files; the articles below are
written by the team."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from finnews.config import Settings
from finnews.pipeline import decide_batch, list_batches, night_counts
from finnews.publish import mart_checksums
from flows.nightly import nightly
from tests.helpers import copy_seeds, query

pytestmark = pytest.mark.e2e

# A quoted price of a company the text never names: no subject company.
PRICE_WITHOUT_COMPANY = """Nebenwerte im Blick

Die Aktie des Maschinenbauers zog am Dienstag kräftig an. Auf der Handelsplattform Lang & Schwarz
kostete das Papier am Nachmittag 42,10 Euro.
"""
# A market report: its figures name no company.
MARKET_REPORT = """Robotermarkt wächst

Der weltweite Markt für Industrieroboter ist im vergangenen Jahr um 7 Prozent gewachsen. Die
Branche setzte rund 16,5 Milliarden Dollar um.
"""
# Figures in Won, a currency the test's configuration does not accept.
FIGURES_IN_WON = """Samsung steigert den Umsatz

Samsung Electronics hat im dritten Quartal einen Umsatz von 79 Billionen Won erzielt. Der
operative Gewinn stieg auf 12,1 Billionen Won.
"""


def _config(path: Path, quality: str) -> Path:
    path.write_text("[quality]\n" + quality + "\n", encoding="utf-8")
    return path


def _published(warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(warehouse / "published.duckdb"), read_only=True)


def _checksums_hold(warehouse: Path) -> None:
    """The checksums the publisher maintained batch by batch are those of the tables."""
    with _published(warehouse) as con:
        maintained = dict(con.execute("select * from meta.mart_checksums").fetchall())
        assert maintained == mart_checksums(con)


def test_bad_rows_are_rejected_and_everything_else_publishes(
    project_seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop, warehouse = tmp_path / "drop", tmp_path / "wh"
    copy_seeds(project_seeds, drop, n=2)
    (drop / "kurs_ohne_firma.txt").write_text(PRICE_WITHOUT_COMPANY, encoding="utf-8")
    (drop / "umsatz_in_won.txt").write_text(FIGURES_IN_WON, encoding="utf-8")
    config = _config(tmp_path / "finnews.toml", 'currencies = ["EUR", "USD", "CNY", "HKD"]')
    monkeypatch.setenv("FINNEWS_CONFIG", str(config))

    summary = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))

    assert summary["status"] == "completed"
    counts = summary["counts"]
    assert counts["verdict"] == "passed" and counts["articles_new"] == 4
    assert counts["rejected_by_check"] == {
        "share_prices.company_id.not_null": 1,
        "fct_metrics.unit.accepted_values": 2,
    }
    with _published(warehouse) as con:
        rejected = con.execute(
            "select r.check_name, m.surface, r.reason, r.evidence is not null, r.run_id "
            "from marts.fct_rejected_rows r "
            "join marts.dim_articles a using (article_id) "
            "left join marts.fct_metrics m on m.figure_id = r.row_key "
            "order by r.check_name, r.reason"
        ).fetchall()
        assert [(c, s) for c, s, *_ in rejected] == [
            ("fct_metrics.unit.accepted_values", None),
            ("fct_metrics.unit.accepted_values", None),
            ("share_prices.company_id.not_null", None),
        ]  # none of them reached fct_metrics
        assert {r[2] for r in rejected} >= {
            "unit KRW is not an accepted unit",
            "a share price without a subject company",
        }
        assert all(r[3] and r[4] == summary["run_id"] for r in rejected)
        # Every article is published, and the good figures of the bad articles too.
        assert con.execute("select count(*) from marts.dim_articles").fetchone()[0] == 4
        units = {
            r[0] for r in con.execute("select distinct unit from marts.fct_metrics").fetchall()
        }
        assert "KRW" not in units
        assert (
            con.execute(
                "select count(*) from marts.fct_metrics where metric_type = 'share_price' "
                "and company_id is null"
            ).fetchone()[0]
            == 0
        )
    # Nothing lost: every measurement figure is in fct_metrics or among the rejected rows.
    work = warehouse / "work.duckdb"
    raw, kept, out = query(
        work,
        "select (select count(*) from raw.figures where kind <> 'date'), "
        "(select count(*) from marts.fct_metrics), "
        "(select count(distinct row_key) from marts.fct_rejected_rows where table_name = 'fct_metrics')",
    )[0]
    assert raw == kept + out and out == 3
    report = Path(summary["report"]).read_text(encoding="utf-8")
    assert "share_prices.company_id.not_null" in report
    _checksums_hold(warehouse)


@pytest.fixture(scope="module")
def held_nights(project_seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Night 1 under a threshold its batch breaks (held); night 2 with new clean articles
    under the default configuration (published); then the operator releases night 1."""
    base = tmp_path_factory.mktemp("held")
    drop, warehouse = base / "drop", base / "wh"
    seeds = sorted(project_seeds.glob("*.txt"))
    drop.mkdir()
    for f in seeds[:2]:
        shutil.copy2(f, drop / f.name)
    (drop / "robotermarkt.txt").write_text(MARKET_REPORT, encoding="utf-8")
    # No figure may lack a company: the market report's do, so the batch is held.
    strict = _config(base / "strict.toml", "max_share_figures_without_company = 0.0")
    mp = pytest.MonkeyPatch()
    mp.setenv("FINNEWS_CONFIG", str(strict))
    first = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    mp.delenv("FINNEWS_CONFIG")
    published_after_first = _rows(warehouse)
    for f in seeds[2:4]:
        shutil.copy2(f, drop / f.name)
    second = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    published_after_second = _rows(warehouse)
    return {
        "warehouse": warehouse,
        "drop": drop,
        "seeds": seeds,
        "first": first,
        "second": second,
        "after_first": published_after_first,
        "after_second": published_after_second,
        "strict": strict,
        "mp": mp,
    }


def _rows(warehouse: Path) -> dict[str, int]:
    with _published(warehouse) as con:
        return {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("marts.dim_articles", "marts.fct_metrics", "reporting.rpt_latest_metrics")
        }


def test_a_batch_level_failure_holds_the_batch_not_the_night(held_nights: dict) -> None:
    first = held_nights["first"]
    assert first["status"] == "completed"
    assert first["counts"]["verdict"] == "held"
    assert any("share_figures_without_company" in f for f in first["failed_checks"])
    held = first["counts"]["held_batches"]
    assert len(held) == 1 and held[0]["run_id"] == first["run_id"]
    # Nothing of the held batch is published, not even in the reporting marts.
    assert held_nights["after_first"] == {
        "marts.dim_articles": 0,
        "marts.fct_metrics": 0,
        "reporting.rpt_latest_metrics": 0,
    }  # the first night's publication is empty, not missing
    work = held_nights["warehouse"] / "work.duckdb"
    assert query(
        work, "select status from raw.batches where batch_id = ?", [held[0]["batch_id"]]
    ) == [("held",)]


def test_next_nights_clean_batch_publishes_while_one_is_held(held_nights: dict) -> None:
    second = held_nights["second"]
    assert second["status"] == "completed" and second["counts"]["verdict"] == "passed"
    assert second["counts"]["articles_new"] == 2
    # The held batch is still listed in the summary of every later night.
    assert [h["run_id"] for h in second["counts"]["held_batches"]] == [
        held_nights["first"]["run_id"]
    ]
    rows = held_nights["after_second"]
    assert rows["marts.dim_articles"] == 2 and rows["marts.fct_metrics"] > 0
    with _published(held_nights["warehouse"]) as con:
        runs = {
            r[0] for r in con.execute("select distinct run_id from marts.dim_articles").fetchall()
        }
    assert runs == {second["run_id"]}
    _checksums_hold(held_nights["warehouse"])


def test_release_publishes_and_discard_drops_a_held_batch(held_nights: dict) -> None:
    warehouse, drop, seeds = held_nights["warehouse"], held_nights["drop"], held_nights["seeds"]
    settings = Settings.resolve(drop, warehouse)
    held = held_nights["second"]["counts"]["held_batches"][0]["batch_id"]
    result = decide_batch(settings, held, "released", by="test")
    assert held in result.new_batches
    assert _rows(warehouse)["marts.dim_articles"] == 5
    _checksums_hold(warehouse)
    work = warehouse / "work.duckdb"
    assert query(work, "select status from raw.runs where message like ?", [f"%{held}%"]) == [
        ("released",)
    ]
    with pytest.raises(ValueError, match="not held"):
        decide_batch(settings, held, "released", by="test")

    # A third night under the strict threshold is held again, then discarded.
    for f in seeds[4:6]:
        shutil.copy2(f, drop / f.name)
    (drop / "waermepumpen.txt").write_text(
        MARKET_REPORT.replace("Industrieroboter", "Wärmepumpen").replace("7 Prozent", "9 Prozent"),
        encoding="utf-8",
    )
    mp = held_nights["mp"]
    mp.setenv("FINNEWS_CONFIG", str(held_nights["strict"]))
    third = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    mp.delenv("FINNEWS_CONFIG")
    assert third["counts"]["verdict"] == "held"
    before = _rows(warehouse)
    batch = third["counts"]["held_batches"][0]["batch_id"]
    decide_batch(settings, batch, "discarded", by="test")
    assert _rows(warehouse) == before  # nothing of it was, or is, published
    assert [b["status"] for b in list_batches(settings) if b["batch_id"] == batch] == ["discarded"]
    _checksums_hold(warehouse)
    # What the next night's summary lists as held (the same call builds it): nothing.
    assert night_counts(settings, third["run_id"])["held_batches"] == []
