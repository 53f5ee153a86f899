"""Atomic publish: readers see the old file or the new one, never a half-written one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from finnews.publish import publish
from finnews.warehouse import connect


def build_work_db(path: Path, price: float) -> None:
    with connect(path, memory_limit="1GB") as con:
        con.execute("create schema if not exists marts; create schema if not exists reporting")
        con.execute("create schema if not exists staging")
        con.execute("create or replace table marts.fct_metrics as select ? as value", [price])
        con.execute("create or replace table reporting.rpt_x as select 1 as n union all select 2")
        con.execute("create or replace table staging.not_published as select 1 as n")


def test_publish_copies_marts_and_reporting_only(tmp_path: Path) -> None:
    work, pub = tmp_path / "work.duckdb", tmp_path / "published.duckdb"
    build_work_db(work, 10.0)
    result = publish(work, pub, "run-1", "1GB")
    assert result.tables == {"marts.fct_metrics": 1, "reporting.rpt_x": 2}
    with duckdb.connect(str(pub), read_only=True) as con:
        schemas = {r[0] for r in con.execute("select schema_name from duckdb_tables()").fetchall()}
        assert schemas == {"marts", "reporting", "meta"}
        assert con.execute("select run_id from meta.publication").fetchone() == ("run-1",)
    assert not list(tmp_path.glob(".published.duckdb.*.tmp"))


def test_open_reader_keeps_its_snapshot_and_does_not_block_publish(tmp_path: Path) -> None:
    work, pub = tmp_path / "work.duckdb", tmp_path / "published.duckdb"
    build_work_db(work, 10.0)
    publish(work, pub, "run-1", "1GB")
    # An analyst in another process holds the published file open read-only.
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print(c.execute('select value from marts.fct_metrics').fetchone()[0], flush=True); "
            "sys.stdin.readline(); "
            "print(c.execute('select value from marts.fct_metrics').fetchone()[0], flush=True)",
            str(pub),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == "10.0"
    build_work_db(work, 20.0)
    publish(work, pub, "run-2", "1GB")
    out, _ = reader.communicate("\n", timeout=30)
    assert out.strip() == "10.0"  # the open session still reads the file it opened
    with duckdb.connect(str(pub), read_only=True) as con:
        assert con.execute("select value from marts.fct_metrics").fetchone() == (20.0,)


def test_failed_publish_leaves_published_file_untouched(tmp_path: Path) -> None:
    work, pub = tmp_path / "work.duckdb", tmp_path / "published.duckdb"
    build_work_db(work, 10.0)
    publish(work, pub, "run-1", "1GB")
    before = pub.read_bytes()
    empty = tmp_path / "empty.duckdb"
    connect(empty, memory_limit="1GB").close()
    with pytest.raises(RuntimeError, match="nothing to publish"):
        publish(empty, pub, "run-2", "1GB")
    assert pub.read_bytes() == before


@pytest.fixture(scope="session")
def duckdb_15(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DuckDB 1.5.6, the version analysts' tools still ship, installed beside the suite."""
    target = tmp_path_factory.mktemp("duckdb15")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target),
         "duckdb==1.5.6"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    if proc.returncode != 0:
        pytest.skip(f"cannot install duckdb 1.5.6 here: {proc.stderr.strip()[-300:]}")
    return target


def test_published_file_opens_in_duckdb_1_5(tmp_path: Path, duckdb_15: Path) -> None:
    work, pub = tmp_path / "work.duckdb", tmp_path / "published.duckdb"
    build_work_db(work, 42.5)
    publish(work, pub, "run-1", "1GB")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import duckdb; "
        "c = duckdb.connect(sys.argv[2], read_only=True); "
        "print(duckdb.__version__, c.execute('select value from marts.fct_metrics').fetchone()[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(duckdb_15), str(pub)],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert out == ["1.5.6", "42.5"]
