"""The warehouse never loses or corrupts data: kills at every stage, concurrent runs,
idempotent reruns, versions of changed files, an analyst reading during a run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from finnews.publish import mart_checksums
from flows.nightly import nightly
from tests.helpers import copy_seeds, kill_group, query, sha256, spawn_flow, wait_for

pytestmark = pytest.mark.e2e

NEW_ARTICLE = (
    "Airbus-Aktie: Rekordauftrag aus Asien\n"
    "Der Flugzeugbauer Airbus hat einen Großauftrag über 150 Maschinen erhalten. "
    "Die Aktie notiert bei 201,30 Euro und damit 2 Prozent höher als am Vortag.\n"
)


@pytest.fixture(scope="module")
def template(project_seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real run over three seed articles, built once; pristine copies kept beside it."""
    base = tmp_path_factory.mktemp("template")
    drop, warehouse = base / "drop", base / "wh"
    copy_seeds(project_seeds, drop, n=3)
    assert nightly(input_dir=str(drop), warehouse_dir=str(warehouse))["status"] == "completed"
    shutil.copytree(drop, base / "pristine-drop")
    shutil.copytree(warehouse, base / "pristine-wh")
    return base


@pytest.fixture
def good_warehouse(template: Path) -> tuple[Path, Path]:
    """The published warehouse and its drop folder, restored from the pristine copies at the
    template's own paths (raw.files remembers absolute input paths)."""
    drop, warehouse = template / "drop", template / "wh"
    for live, pristine in ((drop, "pristine-drop"), (warehouse, "pristine-wh")):
        shutil.rmtree(live, ignore_errors=True)
        shutil.copytree(template / pristine, live)
    return drop, warehouse


@pytest.mark.parametrize(
    "place",
    [
        "ingest.before_commit",
        "extract.before_commit",
        "dbt.running",
        "validate.running",
        "publish.before_rename",
    ],
)
def test_kill_at_any_stage_keeps_published_marts_and_next_run_recovers(
    good_warehouse: tuple[Path, Path], tmp_path: Path, place: str
) -> None:
    drop, warehouse = good_warehouse
    published = warehouse / "published.duckdb"
    before = sha256(published)
    (drop / "airbus.txt").write_text(NEW_ARTICLE)

    marker = tmp_path / "at-failpoint"
    proc = spawn_flow(drop, warehouse, place, marker)
    wait_for(marker, proc)
    kill_group(proc)

    assert sha256(published) == before
    summary = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    assert summary["status"] == "completed"
    assert summary["counts"]["abandoned_runs"] == 1
    statuses = [
        s
        for (s,) in query(
            warehouse / "work.duckdb", "select status from raw.runs order by started_at"
        )
    ]
    assert statuses == ["completed", "abandoned", "completed"]
    airbus = query(
        published,
        "select value from marts.fct_metrics where company_id = 'airbus' and metric_type = 'share_price'",
    )
    assert airbus == [(pytest.approx(201.30),)]
    assert query(published, "select count(*) from marts.dim_articles") == [(4,)]
    assert not list(warehouse.glob(".published.duckdb.*.tmp"))


def test_second_concurrent_run_refuses_with_clear_message(
    good_warehouse: tuple[Path, Path], tmp_path: Path
) -> None:
    drop, warehouse = good_warehouse
    marker = tmp_path / "at-failpoint"
    first = spawn_flow(drop, warehouse, "dbt.running", marker)
    try:
        wait_for(marker, first)
        state = nightly(input_dir=str(drop), warehouse_dir=str(warehouse), return_state=True)
        assert state.is_failed()
        assert "another run holds" in state.message and ".run.lock" in state.message
    finally:
        kill_group(first)
    assert nightly(input_dir=str(drop), warehouse_dir=str(warehouse))["status"] == "completed"


def test_rerun_on_same_inputs_publishes_identical_marts(
    good_warehouse: tuple[Path, Path], tmp_path: Path
) -> None:
    drop, warehouse = good_warehouse
    first = dict(query(warehouse / "published.duckdb", "select * from meta.mart_checksums"))
    again = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    assert again["counts"]["articles_new"] == 0
    second = dict(query(warehouse / "published.duckdb", "select * from meta.mart_checksums"))
    assert len(first) >= 8
    assert second == first

    # A fresh warehouse from the same files has the same content (run ids aside).
    other = tmp_path / "other"
    nightly(input_dir=str(drop), warehouse_dir=str(other))
    sums = []
    for wh in (warehouse, other):
        with duckdb.connect(str(wh / "published.duckdb"), read_only=True) as con:
            sums.append(mart_checksums(con, content_only=True))
    assert sums[0] == sums[1]


def test_changed_file_is_a_new_version_and_deleted_file_stays(
    good_warehouse: tuple[Path, Path],
) -> None:
    drop, warehouse = good_warehouse
    published = warehouse / "published.duckdb"
    files = sorted(drop.glob("*.txt"))
    changed, deleted = files[0], files[1]
    old_id = query(
        published, "select article_id from marts.dim_articles where source_path = ?", [str(changed)]
    )[0][0]
    changed.write_text(changed.read_text().replace("Euro", "Euro (Stand: Vormittag)", 1))
    deleted.unlink()

    summary = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    assert summary["counts"]["articles_new"] == 1
    rows = query(
        published,
        "select article_id, is_latest_version, version_no from marts.dim_articles order by version_no",
    )
    versions = {a: (latest, v) for a, latest, v in rows}
    assert versions[old_id] == (False, 1)
    assert sum(1 for latest, v in versions.values() if latest and v == 2) == 1
    assert len(rows) == 4  # 3 originals (one replaced, one deleted from disk) + 1 new version


def test_analyst_reading_during_run_neither_blocks_nor_sees_half_state(
    good_warehouse: tuple[Path, Path],
) -> None:
    drop, warehouse = good_warehouse
    published = warehouse / "published.duckdb"
    (drop / "airbus.txt").write_text(NEW_ARTICLE)
    reader = subprocess.Popen(
        [
            sys.executable, "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
            "q = 'select count(*) from marts.dim_articles'; "
            "print(c.execute(q).fetchone()[0], flush=True); sys.stdin.readline(); "
            "print(c.execute(q).fetchone()[0], flush=True)",
            str(published),
        ],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert reader.stdout.readline().strip() == "3"
    summary = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    out, _ = reader.communicate("\n", timeout=60)
    assert summary["status"] == "completed"
    assert out.strip() == "3"  # the open session kept its consistent snapshot
    assert query(published, "select count(*) from marts.dim_articles") == [(4,)]
