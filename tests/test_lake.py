"""The DuckLake publish target: one snapshot per night, time travel, retention, a catalog in
a DuckDB file or in PostgreSQL, readers in other processes, killed runs."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from finnews import pg_local
from finnews.batches import register_batch, set_status
from finnews.config import Settings
from finnews.lake import (
    LakeTarget,
    LakeUnavailable,
    connect_lake,
    extension_path,
    lake_target,
    nights,
)
from finnews.lake import publish_lake as _publish_lake
from finnews.warehouse import connect, ensure_raw_schema
from tests.helpers import ROOT, kill_group, wait_for


def publish_lake(work: Path, target: LakeTarget, run_id: str):  # noqa: ANN201
    return _publish_lake(work, target, run_id, "1GB", threads=1)


def add_night(work: Path, values: list[float], run_id: str, held: bool = False) -> str:
    """One night's batch in a small real work file: the raw schema, an incremental mart with
    batch ids (delta-published), a small mart and a reporting table (copied whole)."""
    batch = str(uuid.uuid4())
    with connect(work, memory_limit="1GB", threads=1) as con:
        ensure_raw_schema(con)
        con.execute("create schema if not exists marts; create schema if not exists reporting")
        con.execute(
            "create table if not exists marts.fct_metrics "
            "(figure_id varchar, company_id varchar, value double, batch_id varchar)"
        )
        con.executemany(
            "insert into marts.fct_metrics values (?, 'sap', ?, ?)",
            [(f"{run_id}-{i}", v, batch) for i, v in enumerate(values)],
        )
        con.execute(
            "create or replace table marts.dim_companies as "
            "select 'sap' as company_id, 'SAP' as company_name"
        )
        seq = int(con.execute("select nextval('raw.batch_sequence')").fetchone()[0])
        register_batch(con, batch, seq, run_id)
        if held:
            set_status(con, [batch], "held", run_id, failed_checks=["test"])
        # Derived from the facts whole, without held batches (as dbt rebuilds it).
        con.execute(
            "create or replace table reporting.rpt_latest as select company_id, "
            "max(value) as value from marts.fct_metrics where batch_id not in "
            "(select batch_id from raw.batches where status = 'held') group by 1"
        )
    return batch


def file_target(base: Path, keep_nights: int = 0) -> LakeTarget:
    return LakeTarget(
        f"ducklake:{base / 'lake' / 'catalog.ducklake'}", f"{base / 'lake' / 'data'}/", keep_nights
    )


def values_at(target: LakeTarget, version: int | None = None) -> list[float]:
    with connect_lake(target, memory_limit="1GB", threads=1) as con:
        at = f" at (version => {int(version)})" if version is not None else ""
        rows = con.execute(f"select value from marts.fct_metrics{at} order by 1").fetchall()
        return [r[0] for r in rows]


@pytest.fixture(scope="module")
def postgres() -> Iterator[pg_local.LocalPostgres]:
    """A PostgreSQL catalog: the project's own loopback server (finnews.pg_local), stopped
    after the module; skipped with the reason when it cannot start here."""
    try:
        extension_path("postgres_scanner")
    except LakeUnavailable as exc:
        pytest.skip(str(exc))
    # Outside pytest's 0700 temp folders: the server runs as `postgres` when we are root.
    folder = Path(tempfile.mkdtemp(prefix="finnews-pg-"))
    folder.chmod(0o755)
    try:
        server = pg_local.start(folder)
    except (pg_local.PostgresUnavailable, OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"PostgreSQL cannot start here: {exc}")
    try:
        yield server
    finally:
        pg_local.stop(folder)
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def pg_target(server: pg_local.LocalPostgres, base: Path) -> LakeTarget:
    """A lake of its own per test: its own PostgreSQL database on the module's server."""
    name = f"lake_{uuid.uuid4().hex[:10]}"
    pg_local.create_database(server, name)
    return LakeTarget(f"ducklake:postgres:{server.dsn_of(name)}", f"{base / 'pgdata'}/")


def test_missing_extension_package_is_a_clear_error() -> None:
    with pytest.raises(KeyError):
        extension_path("no_such_extension")
    assert extension_path("ducklake").name == "ducklake.duckdb_extension"
    assert f"v{duckdb.__version__}" in str(extension_path("ducklake"))


def test_publish_target_is_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings.resolve(warehouse_dir=tmp_path)
    assert settings.publish_target == "file"
    assert settings.lake_catalog_uri == f"ducklake:{tmp_path / 'lake' / 'catalog.ducklake'}"
    assert settings.lake_data_uri == f"{tmp_path / 'lake' / 'data'}/"
    monkeypatch.setenv("FINNEWS_PUBLISH_TARGET", "ducklake")
    monkeypatch.setenv("FINNEWS_LAKE_CATALOG", "ducklake:postgres:dbname=lake host=127.0.0.1")
    monkeypatch.setenv("FINNEWS_LAKE_DATA_PATH", "s3://bucket/finnews")
    target = lake_target(Settings.resolve(warehouse_dir=tmp_path))
    assert target.is_postgres and target.catalog_file is None
    assert target.data_path == "s3://bucket/finnews/" and target.keep_nights == 90
    monkeypatch.setenv("FINNEWS_PUBLISH_TARGET", "lakehouse")
    with pytest.raises(ValueError, match="FINNEWS_PUBLISH_TARGET"):
        Settings.resolve(warehouse_dir=tmp_path)


def test_file_catalog_one_snapshot_per_night_and_time_travel(tmp_path: Path) -> None:
    work, target = tmp_path / "work.duckdb", file_target(tmp_path)
    first_batch = add_night(work, [10.0, 11.0], "run-1")
    first = publish_lake(work, target, "run-1")
    assert first.tables == {
        "marts.dim_companies": 1,
        "marts.fct_metrics": 2,
        "reporting.rpt_latest": 1,
    }
    assert first.new_batches == [first_batch] and first.new_rows == 2
    add_night(work, [12.0], "run-2")
    add_night(work, [99.0], "run-held", held=True)  # held: in no night
    second = publish_lake(work, target, "run-2")
    assert second.version > first.version and second.tables["marts.fct_metrics"] == 3

    assert values_at(target) == [10.0, 11.0, 12.0]
    assert values_at(target, first.version) == [10.0, 11.0]  # an earlier night's rows
    with connect_lake(target, memory_limit="1GB", threads=1) as con:
        assert [(r, v) for r, v, _ in nights(con)] == [
            ("run-1", first.version), ("run-2", second.version)
        ]  # fmt: skip
        # One snapshot per night: nothing else was committed in between.
        assert con.execute("select count(*) from lake.snapshots()").fetchone()[0] == 3
        assert con.execute(
            f"select run_id from meta.publication at (version => {first.version})"
        ).fetchone() == ("run-1",)
        assert con.execute("select value from reporting.rpt_latest").fetchone() == (12.0,)
    # The whole lake as of the first night (every table consistent with it).
    with connect_lake(target, version=first.version, memory_limit="1GB", threads=1) as con:
        assert con.execute("select max(value) from reporting.rpt_latest").fetchone() == (11.0,)
    # Marts are Parquet files in the data folder, not rows inlined in the catalog.
    assert list((tmp_path / "lake" / "data" / "marts" / "fct_metrics").glob("*.parquet"))
    assert not list((tmp_path / "lake").glob(".catalog.ducklake.*"))
    with duckdb.connect(str(work), read_only=True) as con:
        assert {r[0] for r in con.execute("select run_id from raw.published_batches").fetchall()} == {
            "run-1", "run-2"
        }  # fmt: skip


def test_retention_keeps_the_newest_nights(tmp_path: Path) -> None:
    work, target = tmp_path / "work.duckdb", file_target(tmp_path, keep_nights=2)
    versions = []
    for night in range(3):
        add_night(work, [float(night)], f"run-{night}")
        versions.append(publish_lake(work, target, f"run-{night}").version)
    with connect_lake(target, memory_limit="1GB", threads=1) as con:
        assert [r for r, _, _ in nights(con)] == ["run-1", "run-2"]
        with pytest.raises(duckdb.Error, match="snapshot"):
            con.execute(f"select * from marts.fct_metrics at (version => {versions[0]})")
    assert values_at(target, versions[1]) == [0.0, 1.0]


def test_postgres_catalog_publish_and_time_travel(
    postgres: pg_local.LocalPostgres, tmp_path: Path
) -> None:
    work, target = tmp_path / "work.duckdb", pg_target(postgres, tmp_path)
    add_night(work, [1.5], "run-1")
    first = publish_lake(work, target, "run-1")
    add_night(work, [2.5, 3.5], "run-2")
    second = publish_lake(work, target, "run-2")
    assert values_at(target) == [1.5, 2.5, 3.5]
    assert values_at(target, first.version) == [1.5]
    with connect_lake(target, memory_limit="1GB", threads=1) as con:
        assert [(r, v) for r, v, _ in nights(con)] == [
            ("run-1", first.version), ("run-2", second.version)
        ]  # fmt: skip
    assert list((tmp_path / "pgdata").rglob("*.parquet"))


READER = """
import sys
from finnews.lake import LakeTarget, connect_lake
target = LakeTarget(sys.argv[1], sys.argv[2])
con = connect_lake(target, memory_limit="1GB", threads=1)
def show():
    run = con.execute("select run_id from meta.publication").fetchone()[0]
    n = con.execute("select count(*) from marts.fct_metrics").fetchone()[0]
    print(run, n, flush=True)
show()
for line in sys.stdin:
    show()
"""

WRITER = """
import sys
from pathlib import Path
from finnews.lake import LakeTarget, publish_lake
publish_lake(Path(sys.argv[1]), LakeTarget(sys.argv[2], sys.argv[3]), sys.argv[4], "1GB", 1)
"""


def _reader(target: LakeTarget) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", READER, target.catalog, target.data_path],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def _ask(reader: subprocess.Popen) -> str:
    reader.stdin.write("\n")
    reader.stdin.flush()
    return reader.stdout.readline().strip()


@pytest.mark.parametrize("catalog", ["duckdb", "postgres"])
def test_readers_see_the_last_night_while_a_run_writes_and_a_killed_run_changes_nothing(
    catalog: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if catalog == "postgres":
        target = pg_target(request.getfixturevalue("postgres"), tmp_path)
    else:
        target = file_target(tmp_path)
    work = tmp_path / "work.duckdb"
    add_night(work, [1.0, 2.0], "run-1")
    first = publish_lake(work, target, "run-1")
    add_night(work, [3.0], "run-2")
    # An analyst's session open since before the run, in another process.
    before = _reader(target)
    assert before.stdout.readline().strip() == "run-1 2"

    marker = tmp_path / "writer-frozen"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(work), target.catalog, target.data_path, "run-2"],
        cwd=ROOT, start_new_session=True,
        env={**os.environ, "FINNEWS_FAILPOINT": "lake.before_commit",
             "FINNEWS_FAILPOINT_MARKER": str(marker)},
    )  # fmt: skip
    try:
        wait_for(marker, writer, timeout=120)  # night 2 written, not committed
        assert _ask(before) == "run-1 2"
        during = _reader(target)  # a session opened while the run writes
        assert during.stdout.readline().strip() == "run-1 2"
        during.communicate("", timeout=30)
    finally:
        kill_group(writer)  # SIGKILL just before the commit
    assert _ask(before) == "run-1 2"
    with connect_lake(target, memory_limit="1GB", threads=1) as con:
        assert [(r, v) for r, v, _ in nights(con)] == [("run-1", first.version)]
        last = con.execute("select max(snapshot_id) from lake.snapshots()").fetchone()[0]
        assert last == first.version  # the last snapshot is still the first night
    assert values_at(target) == [1.0, 2.0]

    # The next run publishes normally, with the session of night 1 still open.
    second = publish_lake(work, target, "run-2")
    assert second.version > first.version
    after = _reader(target)
    assert after.stdout.readline().strip() == "run-2 3"
    after.communicate("", timeout=30)
    # PostgreSQL: the open session reads the new snapshot; a DuckDB-file catalog was
    # renamed over, so the open session keeps the catalog it opened (as published.duckdb).
    assert _ask(before) == ("run-2 3" if catalog == "postgres" else "run-1 2")
    before.communicate("", timeout=30)


@pytest.mark.e2e
def test_nightly_flow_publishes_each_night_as_a_snapshot(
    project_seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real flow with FINNEWS_PUBLISH_TARGET=ducklake (configuration only): two nights,
    each a snapshot; the report reads the lake; the first night stays queryable."""
    from flows.nightly import nightly
    from tests.helpers import copy_seeds

    monkeypatch.setenv("FINNEWS_PUBLISH_TARGET", "ducklake")
    monkeypatch.setenv("FINNEWS_MEMORY_LIMIT", "2GB")
    drop, warehouse = tmp_path / "drop", tmp_path / "wh"
    seeds = sorted(project_seeds.glob("*.txt"))
    copy_seeds(project_seeds, drop, n=4)
    first = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    assert first["status"] == "completed", first["message"]
    for seed in seeds[4:]:
        (drop / seed.name).write_bytes(seed.read_bytes())
    second = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    assert second["status"] == "completed", second["message"]

    assert not (warehouse / "published.duckdb").exists()
    assert (warehouse / "runs" / second["run_id"] / "report" / "index.html").exists()
    target = LakeTarget(
        f"ducklake:{warehouse / 'lake' / 'catalog.ducklake'}", f"{warehouse / 'lake' / 'data'}/"
    )
    with connect_lake(target, memory_limit="1GB", threads=1) as con:
        runs = nights(con)
        assert [r for r, _, _ in runs] == [first["run_id"], second["run_id"]]
        v1 = runs[0][1]
        n1 = con.execute(f"select count(*) from marts.dim_articles at (version => {v1})").fetchone()
        n2 = con.execute("select count(*) from marts.dim_articles").fetchone()
        assert n1 == (4,) and n2 == (len(seeds),)
        assert con.execute("select run_id from meta.publication").fetchone() == (second["run_id"],)
        tables = {r[0] for r in con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "where database_name = 'lake' and schema_name in ('marts', 'reporting')"
        ).fetchall()}  # fmt: skip
    assert set(second["published_tables"]) == tables and len(tables) >= 8
