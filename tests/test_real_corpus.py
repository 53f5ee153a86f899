"""The real flow on real text nobody on the team wrote: the DER STANDARD economy articles,
the stock-news texts of a dozen publishers and the real seeds, all from ../shared (read at
test time, never copied into the project; skipped when ../shared is absent)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from finnews.policy import load_policy
from flows.nightly import nightly
from tests.helpers import ROOT

pytestmark = pytest.mark.e2e

SHARED = ROOT.parent / "shared"
FOLDERS = [
    SHARED / "corpus" / "standard-wirtschaft",
    SHARED / "corpus" / "stocknews",
    SHARED / "seeds",
]


@pytest.fixture(scope="module")
def real_runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    present = [f for f in FOLDERS if f.is_dir() and any(f.glob("*.txt"))]
    if not present:
        pytest.skip(f"no real-text corpus at {SHARED}")
    base = tmp_path_factory.mktemp("real")
    drop, warehouse = base / "drop", base / "wh"
    files = []
    for folder in present:
        for src in sorted(folder.glob("*.txt")):
            dst = drop / folder.name / src.name
            dst.parent.mkdir(parents=True, exist_ok=True)
            files.append(Path(shutil.copy2(src, dst)))
    first = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    with duckdb.connect(str(warehouse / "published.duckdb"), read_only=True) as con:
        checksums = dict(con.execute("select * from meta.mart_checksums").fetchall())
    second = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    return {"files": files, "warehouse": warehouse, "first": first, "second": second,
            "checksums": checksums}  # fmt: skip


def test_real_news_publishes(real_runs: dict) -> None:
    first = real_runs["first"]
    counts = first["counts"]
    print("real corpus:", {k: counts.get(k) for k in (
        "files_seen", "articles_new", "duplicates", "quarantined", "quarantine_reasons",
        "figures", "events", "published_rows", "rejected", "rejected_by_check")})  # fmt: skip
    assert first["status"] == "completed"
    assert counts["verdict"] == "passed", first["failed_checks"]
    assert counts["files_seen"] == len(real_runs["files"])
    # Every file is published or quarantined with a reason; none of these should be.
    assert counts["quarantined"] == 0, counts["quarantine_reasons"]
    assert counts["articles_new"] + counts["duplicates"] == len(real_runs["files"])
    # Rejected rows stay under the documented threshold (finnews.toml [quality]).
    kept = counts["published_rows"]
    assert (
        counts["rejected"] / (kept + counts["rejected"]) <= load_policy().quality.max_share_rejected
    )
    with duckdb.connect(str(real_runs["warehouse"] / "published.duckdb"), read_only=True) as con:
        assert (
            con.execute("select count(*) from marts.dim_articles").fetchone()[0]
            == counts["articles_new"]
        )
        # Agency datelines and sign-offs are metadata and boilerplate, not prose.
        assert (
            con.execute(
                "select count(*) from marts.dim_articles where regexp_matches(body, '/[a-z]{2,4}/[a-z]{2,4}\\s*$')"
            ).fetchone()[0]
            == 0
        )


def test_second_run_on_the_same_folder_changes_nothing(real_runs: dict) -> None:
    second = real_runs["second"]
    assert second["status"] == "completed"
    assert second["counts"]["articles_new"] == 0
    assert second["counts"]["files_unchanged"] == len(real_runs["files"])
    assert second["counts"]["published_rows"] == 0
    with duckdb.connect(str(real_runs["warehouse"] / "published.duckdb"), read_only=True) as con:
        after = dict(con.execute("select * from meta.mart_checksums").fetchall())
    assert after == real_runs["checksums"]
