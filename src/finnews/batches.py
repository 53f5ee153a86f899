"""Batches: the rows one dbt invocation added to the incremental marts (column batch_id).

The audit (dbt tests, GX) looks at the batches not yet published, the publisher copies
exactly those, and `raw.published_batches` in the work file remembers what went out. A
batch that failed its audit stays unpublished, so the next run audits it again: bad rows
cannot slip out behind a later, clean batch.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import duckdb

# Marts dbt builds incrementally, with the key their delete+insert replaces rows by.
INCREMENTAL_MARTS = {
    "marts.dim_articles": "article_id",
    "marts.fct_metrics": "figure_id",
    "marts.fct_company_mentions": "mention_id",
    "marts.fct_events": "event_id",
    "marts.fct_entity_mentions": "entity_id",
}

_BATCH_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def sql_list(batches: list[str]) -> str:
    """A SQL tuple of batch ids, so DuckDB can prune row groups with a constant filter
    (ids are dbt invocation UUIDs, checked here: nothing else is formatted into SQL)."""
    bad = [b for b in batches if not _BATCH_ID.match(b)]
    if bad:
        raise ValueError(f"not a dbt invocation id: {bad[:3]}")
    return "(" + ", ".join(f"'{b}'" for b in batches) + ")" if batches else "(NULL)"


def batches_in(con: duckdb.DuckDBPyConnection, database: str | None = None) -> set[str]:
    """Every batch id present in the incremental marts of a (possibly attached) database."""
    prefix = f'"{database}".' if database else ""
    present = {
        f"{s}.{t}"
        for s, t in con.execute(
            "select schema_name, table_name from duckdb_columns() where column_name = 'batch_id' "
            "and database_name = " + ("?" if database else "current_database()"),
            [database] if database else [],
        ).fetchall()
    }
    parts = [
        f"select distinct batch_id from {prefix}{table}"
        for table in INCREMENTAL_MARTS
        if table in present
    ]
    if not parts:
        return set()
    return {r[0] for r in con.execute(" union ".join(parts)).fetchall() if r[0]}


def unpublished_batches(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Batches in the work file's marts that no successful publication has carried out."""
    published = {r[0] for r in con.execute("select batch_id from raw.published_batches").fetchall()}
    return sorted(batches_in(con) - published)


def record_published(con: duckdb.DuckDBPyConnection, batches: list[str], run_id: str) -> None:
    if not batches:
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    con.executemany(
        "insert into raw.published_batches values (?, ?, ?)", [(b, run_id, now) for b in batches]
    )
