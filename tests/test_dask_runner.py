"""Extraction partitions on a 2-worker local Dask cluster give the rows the default runner gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.nightly import nightly
from tests.helpers import query

pytestmark = pytest.mark.e2e

TABLES = {
    "raw.sentences": "article_id, sentence_idx",
    "raw.figures": "figure_id",
    "raw.company_mentions": "mention_id",
    "raw.events": "event_id",
}


def extracted_rows(warehouse: Path) -> dict[str, list[tuple]]:
    return {
        table: query(
            warehouse / "work.duckdb", f"select * exclude (run_id) from {table} order by {key}"
        )
        for table, key in TABLES.items()
    }


def test_dask_partitions_match_default_runner(
    project_seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefect_dask = pytest.importorskip("prefect_dask")
    monkeypatch.setenv("FINNEWS_PARTITION_SIZE", "4")  # 13 articles -> 4 partitions
    default = nightly(input_dir=str(project_seeds), warehouse_dir=str(tmp_path / "default"))
    runner = prefect_dask.DaskTaskRunner(
        cluster_kwargs={
            "n_workers": 2,
            "threads_per_worker": 1,
            "processes": True,
            "dashboard_address": None,
        }
    )
    on_dask = nightly.with_options(task_runner=runner)(
        input_dir=str(project_seeds), warehouse_dir=str(tmp_path / "dask")
    )
    assert default["status"] == on_dask["status"] == "completed"
    assert default["counts"]["figures"] == on_dask["counts"]["figures"] > 0
    rows_default = extracted_rows(tmp_path / "default")
    rows_dask = extracted_rows(tmp_path / "dask")
    for table in TABLES:
        assert rows_dask[table] == rows_default[table], table
    assert len(rows_default["raw.figures"]) == default["counts"]["figures"]
