"""Nightly increments: the incremental marts equal a full rebuild of the same raw data, and a
run only builds, tests and validates the rows it added."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from finnews.dbt_build import dbt_build
from finnews.publish import mart_checksums
from finnews.synth import write_corpus
from flows.nightly import nightly
from tests.helpers import ROOT, copy_seeds, query

pytestmark = pytest.mark.e2e


def _content(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return mart_checksums(con, content_only=True)


@pytest.fixture(scope="module")
def increments(project_seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three nightly runs: seed articles; then synthetic ones, a copy under a new name and
    a changed file; then nothing new."""
    base = tmp_path_factory.mktemp("increments")
    drop, warehouse = base / "drop", base / "wh"
    seeds = copy_seeds(project_seeds, drop, n=6)
    assert nightly(input_dir=str(drop), warehouse_dir=str(warehouse))["status"] == "completed"

    write_corpus(drop / "synthetic", 40, 0, "files")
    shutil.copy2(seeds[1], drop / "copy-under-another-name.txt")
    text = seeds[0].read_text(encoding="utf-8").splitlines()
    text[1] += " Die Zahlen folgen im Frühjahr."
    seeds[0].write_text("\n".join(text) + "\n", encoding="utf-8")
    second = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    assert second["status"] == "completed"
    assert second["counts"]["articles_new"] == 41  # 40 synthetic + the changed file
    assert second["counts"]["duplicates"] == 1

    third = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    assert third["status"] == "completed" and third["counts"]["articles_new"] == 0
    return base


def test_incremental_marts_equal_a_full_rebuild(increments: Path, tmp_path: Path) -> None:
    work = increments / "wh" / "work.duckdb"
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy2(work, rebuilt)
    dbt_build(ROOT / "dbt_project", rebuilt, tmp_path / "dbt", "2GB", full_refresh=True)
    incremental, full = _content(work), _content(rebuilt)
    assert set(incremental) == set(full) and len(full) >= 8
    assert {t for t in full if incremental[t] != full[t]} == set()
    # What was published is what was built, and the checksums the publisher maintained
    # batch by batch are those of the whole tables.
    published = increments / "wh" / "published.duckdb"
    assert _content(published) == incremental
    with duckdb.connect(str(published), read_only=True) as con:
        maintained = dict(con.execute("select * from meta.mart_checksums").fetchall())
        assert maintained == mart_checksums(con)


def test_each_run_adds_its_own_batch_and_versions_are_rederived(increments: Path) -> None:
    published = increments / "wh" / "published.duckdb"
    batches = query(
        published,
        "select batch_id, count(*) from marts.fct_metrics group by 1 order by min(run_id)",
    )
    assert len(batches) == 2  # the third run added nothing, so no batch of its own
    changed = query(
        published,
        """
        select is_latest_version, version_no from marts.dim_articles
        where source_path like '%' || ? order by version_no
        """,
        [sorted((ROOT / "seeds").glob("*.txt"))[0].name],
    )
    assert changed == [(False, 1), (True, 2)]
    copies = query(published, "select n_sources from marts.dim_articles where n_sources > 1")
    assert copies == [(2,)]
