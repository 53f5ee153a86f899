"""Batches: the rows one dbt invocation added to the incremental marts (column batch_id).

The audit (dbt tests, GX) looks at the batches not yet judged, the publisher copies the ones
that may go out, and `raw.published_batches` in the work file remembers what went out. A
batch that fails a batch-level check is held (raw.batches): it reaches no publication until
an operator releases or discards it, and it never blocks the batches of later nights.
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


# What the audit or an operator decided about a batch (raw.batches.status):
#   built      dbt built it; not audited yet (or the run died before the verdict)
#   published  audited clean and published
#   held       a batch-level check failed: kept out of every publication until released
#   released   an operator released it: the next publication carries it
#   discarded  an operator dropped it: never published (its rows stay in work, excluded)
#   empty      the build added no rows (a night with nothing new): nothing to publish
BLOCKED = ("held", "discarded")


def reserve_batch_seq(con: duckdb.DuckDBPyConnection) -> int:
    """The next number of the warehouse's own batch order (a DuckDB sequence: a killed run
    burns its number, so the order only ever grows, whatever the clock says)."""
    return int(con.execute("select nextval('raw.batch_sequence')").fetchone()[0])


def register_batch(
    con: duckdb.DuckDBPyConnection, batch_id: str, batch_seq: int, run_id: str
) -> None:
    con.execute(
        "insert into raw.batches (batch_id, batch_seq, run_id, status, built_at) "
        "values (?, ?, ?, 'built', ?)",
        [batch_id, batch_seq, run_id, datetime.now(UTC).replace(tzinfo=None)],
    )


def blocked_batches(con: duckdb.DuckDBPyConnection, database: str | None = None) -> set[str]:
    """Batches held or discarded: no publication carries them."""
    prefix = f'"{database}".' if database else ""
    return {
        r[0]
        for r in con.execute(
            f"select batch_id from {prefix}raw.batches where status in {BLOCKED} "
            "and batch_id is not null"
        ).fetchall()
    }


def pending_batches(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Batches the audit still has to judge: built, not published, not held or discarded."""
    return sorted(set(unpublished_batches(con)) - blocked_batches(con))


def set_status(
    con: duckdb.DuckDBPyConnection,
    batches: list[str],
    status: str,
    run_id: str | None,
    failed_checks: list[str] | None = None,
    by: str = "pipeline",
    note: str = "",
) -> None:
    """Record a decision about batches, in raw.batches and the log raw.batch_decisions."""
    now = datetime.now(UTC).replace(tzinfo=None)
    for batch in batches:
        known = con.execute("select 1 from raw.batches where batch_id = ?", [batch]).fetchone()
        if not known:  # built by a run that died before registering it
            con.execute(
                "insert into raw.batches (batch_id, batch_seq, run_id, status) "
                "values (?, nextval('raw.batch_sequence'), ?, 'built')",
                [batch, run_id or "unknown"],
            )
        con.execute(
            "update raw.batches set status = ?, decided_at = ?, decided_by = ?, note = ?, "
            "failed_checks = coalesce(?, failed_checks) where batch_id = ?",
            [status, now, by, note, failed_checks, batch],
        )
        con.execute(
            "insert into raw.batch_decisions values (?, ?, ?, ?, ?, ?)",
            [batch, status, run_id, now, by, note or "; ".join(failed_checks or [])],
        )


def held_batches(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """Held batches with what held them, oldest first (listed in every run summary)."""
    rows = con.execute(
        "select batch_id, batch_seq, run_id, failed_checks, decided_at from raw.batches "
        "where status = 'held' order by batch_seq"
    ).fetchall()
    keys = ("batch_id", "batch_seq", "run_id", "failed_checks", "held_at")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def mark_empty(con: duckdb.DuckDBPyConnection, carried: set[str]) -> None:
    """Built batches that added no row to any mart (nights with nothing new) are `empty`, so
    they do not stay `built` (waiting for a verdict) for ever. `carried`: the batches a
    publication just carried, i.e. every batch with rows that is not held or discarded (the
    publisher has read them already; no second scan of the marts)."""
    present = carried
    waiting = [
        r[0]
        for r in con.execute("select batch_id from raw.batches where status = 'built'").fetchall()
        if r[0] and r[0] not in present
    ]
    if waiting:
        con.execute(
            "update raw.batches set status = 'empty' where batch_id in (select unnest(?))",
            [waiting],
        )
