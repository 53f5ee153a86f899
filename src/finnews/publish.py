"""Publish: bring a copy of the published file up to date, then rename it over the original.

Analysts hold read-only connections to `published.duckdb` for hours. Writing a new file and
`os.replace`-ing it in is one atomic step: a reader sees the old file or the new one, never
half of each, and a crash before the rename leaves the old file exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from finnews.batches import (
    INCREMENTAL_MARTS,
    batches_in,
    blocked_batches,
    record_published,
    sql_list,
)
from finnews.failpoints import failpoint
from finnews.progress import track
from finnews.warehouse import connect, ensure_raw_schema

PUBLISHED_SCHEMAS = ("marts", "reporting")


# Run lineage differs between two builds of the same inputs; content checksums ignore it.
LINEAGE_COLUMNS = (
    "run_id", "loaded_at", "extraction_run_id", "batch_id", "built_at", "source_built_at",
    "last_file_seen_at", "batch_seq", "source_batch_seq", "rejection_id",
)  # fmt: skip


@dataclass(frozen=True)
class PublishResult:
    path: Path
    tables: dict[str, int]
    checksums: dict[str, str]
    # Batches this publication carried out for the first time, and their rows.
    new_batches: list[str] = field(default_factory=list)
    new_rows: int = 0
    # Every batch the publication carries (all of work's batches but held and discarded).
    carried: list[str] = field(default_factory=list)
    # DuckLake target only: the snapshot this night is (`AT (VERSION => version)`).
    version: int | None = None


def _hash_sum(con: duckdb.DuckDBPyConnection, query: str) -> tuple[int, int]:
    n, total = con.execute(
        f"select count(*), coalesce(sum(hash(t)::hugeint), 0)::varchar from ({query}) t"
    ).fetchone()
    return int(n), int(total)


def table_checksum(
    con: duckdb.DuckDBPyConnection, table: str, exclude: tuple[str, ...] = ()
) -> str:
    """Order-independent checksum of a table's rows (row count and sum of row hashes)."""
    columns = {r[0] for r in con.execute(f"select * from {table} limit 0").description}
    dropped = [c for c in exclude if c in columns]
    projection = f"* exclude ({', '.join(dropped)})" if dropped else "*"
    n, total = _hash_sum(con, f"select {projection} from {table}")
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


def move_stale_wal(published_db: Path) -> Path | None:
    """Move a WAL left beside the published file (an analyst's read-write session that was
    killed) out of the way, as `<name>.wal.stale-<UTC time>`: DuckDB refuses to open a file
    whose WAL belongs to an older version of it, so the new file would be unreadable for
    everyone. Nothing is deleted. Returns where it went, or None when there was none."""
    wal = published_db.with_name(published_db.name + ".wal")
    if not wal.exists():
        return None
    aside = wal.with_name(f"{wal.name}.stale-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}")
    os.replace(wal, aside)
    print(f"publish: moved a stale WAL beside {published_db.name} aside to {aside.name}")
    return aside


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"describe {table}").fetchall()]


def _parse(checksum: str) -> tuple[int, int]:
    n, total = checksum.split(":")
    return int(n), int(total)


def _previous(con: duckdb.DuckDBPyConnection) -> dict[str, str] | None:
    """Checksums of the copied publication, or None if it is not one this code can extend."""
    try:
        return dict(con.execute("select table_name, checksum from meta.mart_checksums").fetchall())
    except duckdb.Error:
        return None


def _not_blocked(blocked: list[str]) -> str:
    """A filter on batch_id that leaves out held and discarded batches."""
    return f"batch_id not in {sql_list(blocked)}" if blocked else "true"


def _apply_delta(
    con: duckdb.DuckDBPyConnection, table: str, key: str, old_checksum: str, blocked: list[str]
) -> str | None:
    """Bring `table` up to date with work's copy by its unpublished batches only: replace the
    rows whose key the new batches carry, and update the additive checksum (row count, sum
    of row hashes) with what left and what came. Held and discarded batches stay out. None
    if the result does not match work's publishable rows."""
    new = [r[0] for r in con.execute(
        f"select distinct batch_id from work.{table} where {_not_blocked(blocked)} "
        f"except select distinct batch_id from {table}"
    ).fetchall()]  # fmt: skip
    n, total = _parse(old_checksum)
    if new:
        batches = sql_list(new)
        delta = f"select * from work.{table} where batch_id in {batches}"
        leaving = f"select * from {table} where {key} in (select {key} from ({delta}))"
        n_out, sum_out = _hash_sum(con, leaving)
        con.execute(f"delete from {table} where {key} in (select {key} from ({delta}))")
        con.execute(f"insert into {table} {delta}")
        n_in, sum_in = _hash_sum(con, f"select * from {table} where batch_id in {batches}")
        n, total = n - n_out + n_in, total - sum_out + sum_in
    count = con.execute(f"select count(*) from {table}").fetchone()[0]
    expected = con.execute(
        f"select count(*) from work.{table} where {_not_blocked(blocked)}"
    ).fetchone()[0]
    if count != n or count != expected:
        return None
    return f"{n}:{total}"


def rows_outside(con: duckdb.DuckDBPyConnection, table: str, batches: set[str]) -> int:
    """Rows of the published `table` in none of `batches` (those published before): the
    rows this publication adds."""
    return con.execute(
        f"select count(*) from {table} where {_not_blocked(sorted(batches))}"
    ).fetchone()[0]


def _decisions(con: duckdb.DuckDBPyConnection) -> tuple[list[str], set[str]]:
    """(held or discarded batches, batches published before) of the attached work file;
    none when it keeps no batch records (a work file built by hand)."""
    try:
        blocked = sorted(blocked_batches(con, "work"))
        rows = con.execute("select batch_id from work.raw.published_batches").fetchall()
    except duckdb.CatalogException:
        return [], set()
    return blocked, {r[0] for r in rows}


def replace_file(staging: Path, target: Path) -> None:
    """Put the finished `staging` file in place of `target` in one rename: synced first, a
    stale WAL of the old file moved aside, the folder synced after (a crash leaves the old
    file or the new one)."""
    _fsync(staging)
    move_stale_wal(target)
    os.replace(staging, target)
    _fsync(target.parent)


def record_fresh(work_db: Path, batches: list[str], run_id: str, memory_limit: str) -> list[str]:
    """Record in work.duckdb which of `batches` this publication carried for the first time;
    returns those."""
    with connect(work_db, memory_limit=memory_limit) as work:
        ensure_raw_schema(work)
        known = {
            r[0] for r in work.execute("select batch_id from raw.published_batches").fetchall()
        }
        fresh = [b for b in batches if b not in known]
        record_published(work, fresh, run_id)
    return fresh


def publish(work_db: Path, published_db: Path, run_id: str, memory_limit: str) -> PublishResult:
    """Bring `published_db` to the audited state of work's published schemas, atomically.

    The previous publication is copied (a file copy) and the incremental marts receive only
    their unpublished batches; the small marts are copied whole. Without a previous
    publication, or when a table's shape changed, the table is copied whole instead."""
    # Left by a run killed before its rename; the caller holds the run lock, so none is live.
    for stale in published_db.parent.glob(f".{published_db.name}.*.tmp"):
        stale.unlink()
    staging = published_db.with_name(f".{published_db.name}.{run_id}.tmp")
    if published_db.exists():
        shutil.copyfile(published_db, staging)
    counts: dict[str, int] = {}
    checksums: dict[str, str] = {}
    new_rows = 0
    con = connect(staging, memory_limit=memory_limit)
    try:
        previous = _previous(con) or {}
        if not previous and published_db.exists():  # not ours to extend: start afresh
            con.close()
            staging.unlink()
            con = connect(staging, memory_limit=memory_limit)
        # A file path, not article text: the only string formatted into SQL here.
        con.execute(f"attach {_sql_string(str(work_db))} as work (read_only)")
        blocked, already = _decisions(con)
        tables = [f"{s}.{t}" for s, t in con.execute(
            """
            select schema_name, table_name from duckdb_tables()
            where database_name = 'work' and schema_name in ('marts', 'reporting')
            order by schema_name, table_name
            """
        ).fetchall()]  # fmt: skip
        if not tables:
            raise RuntimeError(f"nothing to publish: no tables in {PUBLISHED_SCHEMAS} of {work_db}")
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f"create schema if not exists {schema}")
        stale = con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name in ('marts', 'reporting')"
        ).fetchall()
        for (table,) in stale:
            if table not in tables:
                con.execute(f"drop table {table}")
        for table in track(tables, len(tables), "publish", unit="table"):
            con.execute("begin transaction")
            checksum = None
            key = INCREMENTAL_MARTS.get(table)
            columns = _columns(con, f"work.{table}")
            batched = ("batch_id", "VARCHAR") in columns
            if key and table in previous and batched and _columns(con, table) == columns:
                checksum = _apply_delta(con, table, key, previous[table], blocked)
            if checksum is None:
                keep = _not_blocked(blocked) if batched else "true"
                con.execute(
                    f"create or replace table {table} as select * from work.{table} where {keep}"
                )
                checksum = table_checksum(con, table)
            if key and batched:
                new_rows += rows_outside(con, table, already)
            checksums[table] = checksum
            con.execute("commit")
            counts[table] = con.execute(f"select count(*) from {table}").fetchone()[0]
        batches = sorted(batches_in(con, "work") - set(blocked))
        con.execute("detach work")
        con.execute("create schema if not exists meta")
        con.execute(
            "create or replace table meta.publication as select ? as run_id, ? as published_at",
            [run_id, datetime.now(UTC).replace(tzinfo=None)],
        )
        con.execute(
            "create or replace table meta.mart_checksums (table_name varchar, checksum varchar)"
        )
        con.executemany("insert into meta.mart_checksums values (?, ?)", sorted(checksums.items()))
        con.execute("checkpoint")
    finally:
        con.close()
    failpoint("publish.before_rename")
    replace_file(staging, published_db)
    fresh = record_fresh(work_db, batches, run_id, memory_limit)
    return PublishResult(
        path=published_db, tables=counts, checksums=checksums, new_batches=fresh,
        new_rows=new_rows, carried=batches,
    )  # fmt: skip
