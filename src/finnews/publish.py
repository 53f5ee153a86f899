"""Publish: copy the audited marts into a fresh file, then rename it over the published one.

Analysts hold read-only connections to `published.duckdb` for hours. Writing a new file and
`os.replace`-ing it in is one atomic step: a reader sees the old file or the new one, never
half of each, and a crash before the rename leaves the old file exactly as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from finnews.failpoints import failpoint
from finnews.progress import track
from finnews.warehouse import connect

PUBLISHED_SCHEMAS = ("marts", "reporting")


# Run lineage differs between two builds of the same inputs; content checksums ignore it.
LINEAGE_COLUMNS = ("run_id", "loaded_at")


@dataclass(frozen=True)
class PublishResult:
    path: Path
    tables: dict[str, int]
    checksums: dict[str, str]


def table_checksum(
    con: duckdb.DuckDBPyConnection, table: str, exclude: tuple[str, ...] = ()
) -> str:
    """Order-independent checksum of a table's rows (row count and sum of row hashes)."""
    columns = {r[0] for r in con.execute(f"select * from {table} limit 0").description}
    dropped = [c for c in exclude if c in columns]
    projection = f"* exclude ({', '.join(dropped)})" if dropped else "*"
    n, total = con.execute(
        f"select count(*), coalesce(sum(hash(t)::hugeint), 0)::varchar "
        f"from (select {projection} from {table}) t"
    ).fetchone()
    return f"{n}:{total}"


def mart_checksums(con: duckdb.DuckDBPyConnection, content_only: bool = False) -> dict[str, str]:
    """Checksum of every published table, optionally ignoring run lineage columns."""
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where schema_name in ('marts', 'reporting') order by 1, 2"
    ).fetchall()
    exclude = LINEAGE_COLUMNS if content_only else ()
    return {f"{s}.{t}": table_checksum(con, f'"{s}"."{t}"', exclude) for s, t in tables}


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(work_db: Path, published_db: Path, run_id: str, memory_limit: str) -> PublishResult:
    """Copy every table of the published schemas from `work_db` into `published_db`."""
    # Left by a run killed before its rename; the caller holds the run lock, so none is live.
    for stale in published_db.parent.glob(f".{published_db.name}.*.tmp"):
        stale.unlink()
    staging = published_db.with_name(f".{published_db.name}.{run_id}.tmp")
    counts: dict[str, int] = {}
    con = connect(staging, memory_limit=memory_limit)
    try:
        # A file path, not article text: the only string formatted into SQL here.
        con.execute(f"attach {_sql_string(str(work_db))} as work (read_only)")
        tables = con.execute(
            """
            select schema_name, table_name from duckdb_tables()
            where database_name = 'work' and schema_name in ('marts', 'reporting')
            order by schema_name, table_name
            """
        ).fetchall()
        if not tables:
            raise RuntimeError(f"nothing to publish: no tables in {PUBLISHED_SCHEMAS} of {work_db}")
        for schema, table in track(tables, len(tables), "publish", unit="table"):
            con.execute(f'create schema if not exists "{schema}"')
            con.execute(
                f'create table "{schema}"."{table}" as select * from work."{schema}"."{table}"'
            )
            counts[f"{schema}.{table}"] = con.execute(
                f'select count(*) from "{schema}"."{table}"'
            ).fetchone()[0]
        con.execute("detach work")
        checksums = mart_checksums(con)
        con.execute("create schema if not exists meta")
        con.execute(
            "create table meta.publication as select ? as run_id, ? as published_at",
            [run_id, datetime.now(UTC).replace(tzinfo=None)],
        )
        con.execute("create table meta.mart_checksums (table_name varchar, checksum varchar)")
        con.executemany("insert into meta.mart_checksums values (?, ?)", list(checksums.items()))
        con.execute("checkpoint")
    finally:
        con.close()
    _fsync(staging)
    failpoint("publish.before_rename")
    os.replace(staging, published_db)
    _fsync(published_db.parent)
    return PublishResult(path=published_db, tables=counts, checksums=checksums)
