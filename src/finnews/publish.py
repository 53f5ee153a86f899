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

from finnews.warehouse import connect

PUBLISHED_SCHEMAS = ("marts", "reporting")


@dataclass(frozen=True)
class PublishResult:
    path: Path
    tables: dict[str, int]


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
    staging = published_db.with_name(f".{published_db.name}.{run_id}.tmp")
    staging.unlink(missing_ok=True)
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
        for schema, table in tables:
            con.execute(f'create schema if not exists "{schema}"')
            con.execute(
                f'create table "{schema}"."{table}" as select * from work."{schema}"."{table}"'
            )
            counts[f"{schema}.{table}"] = con.execute(
                f'select count(*) from "{schema}"."{table}"'
            ).fetchone()[0]
        con.execute("create schema if not exists meta")
        con.execute(
            "create table meta.publication as select ? as run_id, ? as published_at",
            [run_id, datetime.now(UTC).replace(tzinfo=None)],
        )
        con.execute("detach work")
        con.execute("checkpoint")
    finally:
        con.close()
    _fsync(staging)
    os.replace(staging, published_db)
    _fsync(published_db.parent)
    return PublishResult(path=published_db, tables=counts)
