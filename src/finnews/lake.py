"""Publish to a DuckLake lakehouse: every published night is one snapshot, queryable for ever
(or for `[retention] keep_nights`) with `AT (VERSION => n)`.

The marts are Parquet files under a data path (a folder, or an object-store URL); the
catalog that says which files make up which snapshot is a DuckDB file (one machine) or a
PostgreSQL database (many readers and writers). Chosen by configuration
(FINNEWS_PUBLISH_TARGET=ducklake, FINNEWS_LAKE_CATALOG, FINNEWS_LAKE_DATA_PATH; see
`finnews.config.Settings`); the pipeline calls `publish_lake` instead of
`finnews.publish.publish`, nothing else changes.

Write-audit-publish stays atomic: all tables of a night are written in one DuckLake
transaction, committed once, which makes one snapshot. A run killed before the commit
leaves the catalog's last snapshot as it was (its Parquet files are orphans, never
referenced). A DuckDB-file catalog is additionally written in a copy that is renamed over
the catalog, as `published.duckdb` is: a DuckDB file has one writer *or* many read-only
readers, so analysts holding the catalog open would otherwise block the night's publish.

The extensions come from the Python packages `duckdb-extension-ducklake` and
`duckdb-extension-postgres-scanner` and are LOADed by path: `INSTALL` would download them.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import duckdb

from finnews.batches import INCREMENTAL_MARTS, batches_in
from finnews.config import Settings
from finnews.failpoints import failpoint
from finnews.policy import load_policy
from finnews.publish import (
    PUBLISHED_SCHEMAS,
    PublishResult,
    _apply_delta,
    _columns,
    _decisions,
    _not_blocked,
    _sql_string,
    record_fresh,
    replace_file,
    rows_outside,
    table_checksum,
)

ALIAS = "lake"
# Who wrote a snapshot (ducklake_snapshots().author); its commit_message is the run id.
AUTHOR = "finnews"
# Extension name -> the Python package that carries its binary for this DuckDB version.
EXTENSION_PACKAGES = {
    "ducklake": "duckdb-extension-ducklake",
    "postgres_scanner": "duckdb-extension-postgres-scanner",
}


def lake_target(settings: Settings) -> LakeTarget:
    """The lake the settings name (FINNEWS_LAKE_CATALOG, FINNEWS_LAKE_DATA_PATH) and the
    retention of finnews.toml ([retention] keep_nights)."""
    return LakeTarget(
        catalog=settings.lake_catalog_uri,
        data_path=settings.lake_data_uri,
        keep_nights=load_policy().retention.keep_nights,
    )


class LakeUnavailable(RuntimeError):
    """The DuckLake (or postgres) extension is not installed for this DuckDB version."""


@dataclass(frozen=True)
class LakeTarget:
    """Where the lake lives. `catalog` is a DuckLake connection string:
    `ducklake:/path/catalog.ducklake` or `ducklake:postgres:dbname=... host=...`."""

    catalog: str
    data_path: str
    keep_nights: int = 0  # published nights (snapshots) kept for time travel; 0 keeps all

    def __post_init__(self) -> None:
        if not self.catalog.startswith("ducklake:"):
            raise ValueError(f"not a DuckLake catalog: {self.catalog!r} (ducklake:...)")

    @property
    def is_postgres(self) -> bool:
        return self.catalog.startswith("ducklake:postgres:")

    @property
    def catalog_file(self) -> Path | None:
        """The DuckDB catalog file, or None for a PostgreSQL catalog."""
        if self.is_postgres:
            return None
        return Path(self.catalog.removeprefix("ducklake:").removeprefix("duckdb:"))


def extension_path(name: str) -> Path:
    """The `.duckdb_extension` file for this DuckDB version inside its Python package."""
    package = EXTENSION_PACKAGES[name]
    module = package.replace("-", "_")
    wanted = f"v{duckdb.__version__}"
    try:
        root = resources.files(module)
    except ModuleNotFoundError as exc:
        raise LakeUnavailable(
            f"the DuckDB extension {name!r} is not installed: pip install "
            f"'{package}=={duckdb.__version__}' (it must match duckdb {duckdb.__version__})"
        ) from exc
    found = sorted(Path(str(root)).rglob(f"{name}.duckdb_extension"))
    for path in found:
        if path.parent.name == wanted:
            return path
    raise LakeUnavailable(
        f"{package} carries no build for duckdb {duckdb.__version__} "
        f"(found: {[p.parent.name for p in found]}); pin {package}=={duckdb.__version__}"
    )


def load_extensions(con: duckdb.DuckDBPyConnection, target: LakeTarget) -> None:
    names = ["ducklake", "postgres_scanner"] if target.is_postgres else ["ducklake"]
    for name in names:
        # A file path inside an installed package, never user input.
        con.execute(f"load {_sql_string(str(extension_path(name)))}")


def attach(
    con: duckdb.DuckDBPyConnection,
    target: LakeTarget,
    *,
    read_only: bool = False,
    catalog: str | None = None,
    version: int | None = None,
    alias: str = ALIAS,
) -> None:
    """Attach the lake as `alias`; `version`: the whole lake as of that snapshot."""
    load_extensions(con, target)
    options = []
    if read_only:
        options.append("read_only")
    else:
        options += [f"data_path {_sql_string(target.data_path)}", "data_inlining_row_limit 0"]
    if version is not None:
        options.append(f"snapshot_version {int(version)}")
    con.execute(
        f"attach {_sql_string(catalog or target.catalog)} as {alias} ({', '.join(options)})"
    )


def connect_lake(
    target: LakeTarget,
    *,
    read_only: bool = True,
    version: int | None = None,
    memory_limit: str = "4GB",
    threads: int = 2,
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached (and in use: `marts.fct_metrics` works)."""
    con = duckdb.connect(config={"memory_limit": memory_limit, "threads": threads})
    try:
        attach(con, target, read_only=read_only, version=version)
        con.execute(f"use {ALIAS}")
    except Exception:
        con.close()
        raise
    return con


def nights(con: duckdb.DuckDBPyConnection, alias: str = ALIAS) -> list[tuple[str, int, datetime]]:
    """(run_id, version, published_at) of every published night still in the lake."""
    return [
        (r[0], int(r[1]), r[2])
        for r in con.execute(
            "select commit_message, snapshot_id, snapshot_time from ducklake_snapshots(?) "
            "where author = ? order by snapshot_id",
            [alias, AUTHOR],
        ).fetchall()
    ]


def _lake_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [f"{s}.{t}" for s, t in con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ? "
        "and schema_name in ('marts', 'reporting') order by 1, 2", [ALIAS],
    ).fetchall()]  # fmt: skip


def _previous_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        return dict(con.execute("select table_name, checksum from meta.mart_checksums").fetchall())
    except duckdb.CatalogException:
        return {}


def _write_night(
    con: duckdb.DuckDBPyConnection, work_db: Path, run_id: str
) -> tuple[dict[str, int], dict[str, str], int, list[str]]:
    """Every table of work's published schemas into the lake, in the open transaction."""
    blocked, already = _decisions(con)
    tables = [f"{s}.{t}" for s, t in con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = 'work' "
        "and schema_name in ('marts', 'reporting') order by 1, 2"
    ).fetchall()]  # fmt: skip
    if not tables:
        raise RuntimeError(f"nothing to publish: no tables in {PUBLISHED_SCHEMAS} of {work_db}")
    previous = _previous_checksums(con)
    for schema in (*PUBLISHED_SCHEMAS, "meta"):
        con.execute(f"create schema if not exists {schema}")
    for table in _lake_tables(con):
        if table not in tables:
            con.execute(f"drop table {table}")
    present = set(_lake_tables(con))
    counts: dict[str, int] = {}
    checksums: dict[str, str] = {}
    new_rows = 0
    for table in tables:
        key = INCREMENTAL_MARTS.get(table)
        columns = _columns(con, f"work.{table}")
        batched = ("batch_id", "VARCHAR") in columns
        same_shape = table in present and _columns(con, table) == columns
        checksum = None
        if key and batched and same_shape and table in previous:
            # Only the night's batches: a few new Parquet files and deletes per night, so
            # keeping many nights costs what they added, not a copy of the marts each.
            checksum = _apply_delta(con, table, key, previous[table], blocked)
        if checksum is None:
            keep = _not_blocked(blocked) if batched else "true"
            if same_shape:
                con.execute(f"delete from {table}")
                con.execute(f"insert into {table} select * from work.{table} where {keep}")
            else:
                if table in present:
                    con.execute(f"drop table {table}")
                con.execute(f"create table {table} as select * from work.{table} where {keep}")
            checksum = table_checksum(con, table)
        if key and batched:
            new_rows += rows_outside(con, table, already)
        checksums[table] = checksum
        counts[table] = int(checksum.split(":")[0])
    carried = sorted(batches_in(con, "work") - set(blocked))
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute("create or replace table meta.publication (run_id varchar, published_at timestamp)")
    con.execute("insert into meta.publication values (?, ?)", [run_id, now])
    con.execute(
        "create or replace table meta.mart_checksums (table_name varchar, checksum varchar)"
    )
    con.executemany("insert into meta.mart_checksums values (?, ?)", sorted(checksums.items()))
    return counts, checksums, new_rows, carried


def expire_nights(
    con: duckdb.DuckDBPyConnection, keep_nights: int, alias: str = ALIAS
) -> list[int]:
    """Expire the snapshots older than the newest `keep_nights` published nights (0 keeps
    all); their files are deleted by ducklake_cleanup_old_files once no reader can still
    need them. Returns the expired snapshot ids."""
    if keep_nights <= 0:
        return []
    published = [version for _, version, _ in nights(con, alias)]
    if len(published) <= keep_nights:
        return []
    oldest_kept = published[-keep_nights]
    expired = [
        int(r[0])
        for r in con.execute(
            "select snapshot_id from ducklake_snapshots(?) where snapshot_id < ? order by 1",
            [alias, oldest_kept],
        ).fetchall()
    ]
    if expired:
        con.execute("call ducklake_expire_snapshots(?, versions => ?)", [alias, expired])
        # Files only expired snapshots used: kept a day for readers still scanning them.
        con.execute(
            "call ducklake_cleanup_old_files(?, older_than => now() - interval 1 day)", [alias]
        )
    return expired


def publish_lake(
    work_db: Path, target: LakeTarget, run_id: str, memory_limit: str, threads: int = 2
) -> PublishResult:
    """Publish work's audited marts and reporting tables as one new snapshot of the lake.

    One transaction: a reader sees the previous night or this one, never a mix; a failure or
    a kill before the commit leaves the lake at its last snapshot."""
    catalog = target.catalog
    catalog_file = target.catalog_file
    staging: Path | None = None
    if catalog_file is not None:
        catalog_file = catalog_file.resolve()
        catalog_file.parent.mkdir(parents=True, exist_ok=True)
        for stale in catalog_file.parent.glob(f".{catalog_file.name}.*.tmp*"):
            stale.unlink()  # left by a killed run; the caller holds the run lock
        staging = catalog_file.with_name(f".{catalog_file.name}.{run_id}.tmp")
        if catalog_file.exists():
            shutil.copyfile(catalog_file, staging)
            wal = catalog_file.with_name(catalog_file.name + ".wal")
            if wal.exists():  # a writer outside the pipeline died: its commits are in it
                shutil.copyfile(wal, staging.with_name(staging.name + ".wal"))
        catalog = f"ducklake:{staging}"
    if not target.is_postgres and "://" not in target.data_path:
        Path(target.data_path).mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(
        config={"memory_limit": memory_limit, "threads": threads,
                "preserve_insertion_order": False}
    )  # fmt: skip
    try:
        attach(con, target, catalog=catalog)
        con.execute(f"use {ALIAS}")
        con.execute(f"attach {_sql_string(str(work_db))} as work (read_only)")
        con.execute("begin transaction")
        con.execute(
            "call ducklake_set_commit_message(?, ?, ?, extra_info => ?)",
            [ALIAS, AUTHOR, run_id, json.dumps({"work_db": str(work_db)})],
        )
        counts, checksums, new_rows, carried = _write_night(con, work_db, run_id)
        failpoint("lake.before_commit")
        con.execute("commit")
        version = max(v for r, v, _ in nights(con) if r == run_id)
        expire_nights(con, target.keep_nights)
        con.execute("use memory")
        con.execute("detach work")
        if staging is not None:  # everything into the file itself before it is renamed
            con.execute(f"checkpoint __ducklake_metadata_{ALIAS}")
        con.execute(f"detach {ALIAS}")
    finally:
        con.close()
    if staging is not None and catalog_file is not None:
        if staging.with_name(staging.name + ".wal").exists():
            raise RuntimeError(f"{staging}: catalog not checkpointed; the lake is unchanged")
        replace_file(staging, catalog_file)
    fresh = record_fresh(work_db, carried, run_id, memory_limit)
    return PublishResult(
        path=catalog_file or Path(target.data_path), tables=counts, checksums=checksums,
        new_batches=fresh, new_rows=new_rows, carried=carried, version=version,
    )  # fmt: skip


def attach_sql(target: LakeTarget, version: int | None = None) -> str:
    """The statements that attach the lake read-only in a DuckDB 1.5.5 session (the CLI of
    `make query-lake`): LOAD by path, since INSTALL would download the extensions."""
    names = ["ducklake", "postgres_scanner"] if target.is_postgres else ["ducklake"]
    loads = "".join(f"load {_sql_string(str(extension_path(n)))}; " for n in names)
    at = f", snapshot_version {int(version)}" if version is not None else ""
    return f"{loads}attach {_sql_string(target.catalog)} as {ALIAS} (read_only{at}); use {ALIAS};"


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="The DuckLake publish target (finnews.lake)")
    parser.add_argument("action", choices=["attach-sql", "nights"])
    parser.add_argument("--warehouse-dir")
    parser.add_argument("--version", type=int, help="attach-sql: the lake as of this version")
    args = parser.parse_args(argv)
    target = lake_target(Settings.resolve(warehouse_dir=args.warehouse_dir))
    if args.action == "attach-sql":
        print(attach_sql(target, args.version))
        return 0
    with connect_lake(target) as con:
        print(f"{'version':>7}  {'published_at (UTC)':<19}  run_id")
        for run_id, version, published_at in nights(con):
            print(f"{version:>7}  {published_at.astimezone(UTC):%Y-%m-%d %H:%M:%S}  {run_id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
