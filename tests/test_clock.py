"""A night whose clock is off builds the same reports: increments follow the warehouse's own
batch order (raw.batch_sequence), never wall-clock time. The second night runs under
`faketime` (Debian package, installed by `make browser`) two days in the past."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from finnews.dbt_build import dbt_build
from finnews.publish import mart_checksums
from flows.nightly import nightly
from tests.helpers import ROOT, query

pytestmark = pytest.mark.e2e


def test_a_night_with_its_clock_set_back_builds_the_same_reports(
    project_seeds: Path, tmp_path: Path
) -> None:
    faketime = shutil.which("faketime")
    if faketime is None:
        pytest.skip("faketime not installed (`make browser` installs Debian's package)")
    drop, warehouse = tmp_path / "drop", tmp_path / "wh"
    drop.mkdir()
    seeds = sorted(project_seeds.glob("*.txt"))
    for f in seeds[:6]:
        shutil.copy2(f, drop / f.name)
    first = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    assert first["status"] == "completed"
    for f in seeds[6:]:
        shutil.copy2(f, drop / f.name)
    proc = subprocess.run(
        [faketime, "-f", "-2d", sys.executable, "-m", "flows.nightly",
         "--input-dir", str(drop), "--warehouse-dir", str(warehouse)],
        cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    work = warehouse / "work.duckdb"
    runs = query(work, "select run_id, status from raw.runs order by started_at")
    assert [status for _, status in runs] == ["completed", "completed"]
    assert runs[1][0] == first["run_id"]  # by the clock, the second night came first

    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy2(work, rebuilt)
    dbt_build(ROOT / "dbt_project", rebuilt, tmp_path / "dbt", "2GB", full_refresh=True)
    with (
        duckdb.connect(str(warehouse / "published.duckdb"), read_only=True) as pub,
        duckdb.connect(str(rebuilt), read_only=True) as full,
    ):
        published, expected = (
            mart_checksums(pub, content_only=True),
            mart_checksums(full, content_only=True),
        )
        reports = [t for t in expected if t.startswith("reporting.rpt_")]
        assert len(reports) >= 4
        assert {t: published[t] for t in reports} == {t: expected[t] for t in reports}
        # And the night's articles are in them: every seed's company with a share price.
        n = pub.execute("select count(*) from reporting.rpt_share_price_mentions").fetchone()[0]
        assert (
            n
            == full.execute("select count(*) from reporting.rpt_share_price_mentions").fetchone()[0]
        )
        assert n > 6
