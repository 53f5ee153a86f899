"""The DuckDB files: connection settings and the raw schema the pipeline writes into."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from finnews.failpoints import failpoint

# Analysts' tools lag behind: files readable by DuckDB 1.5.x (and duckdb-cli 1.5.6).
STORAGE_COMPATIBILITY = "v1.5.0"

RAW_DDL = """
create schema if not exists raw;
create table if not exists raw.runs (
    run_id varchar primary key,
    started_at timestamp,
    ended_at timestamp,
    status varchar,
    input_dir varchar,
    files_seen integer,
    files_unchanged integer,
    articles_new integer,
    duplicates integer,
    quarantined integer,
    sentences integer,
    figures integer,
    mentions integer,
    events integer,
    checks_passed integer,
    checks_failed integer,
    published boolean,
    verdict varchar,
    message varchar
);
-- Each stage of a run (ingest, extract, dbt, audit, hold, publish, report): wall seconds and
-- the MB of text it took in (what that is per stage: finnews.pipeline.measure_inputs).
-- A child of raw.runs, one row per stage, so stages can be compared across nights in SQL.
create table if not exists raw.run_stages (
    run_id varchar not null,
    stage_no integer not null,
    stage varchar not null,
    seconds double not null,
    input_mb double
);
create table if not exists raw.files (
    path varchar not null,
    file_name varchar,
    file_sha256 varchar,
    size_bytes bigint,
    modified_at timestamp,
    ctime_ns bigint,
    inode ubigint,
    status varchar not null,
    article_id varchar,
    run_id varchar not null,
    seen_at timestamp not null
);
create table if not exists raw.articles (
    article_id varchar not null,
    source_path varchar not null,
    title varchar,
    body varchar not null,
    boilerplate varchar,
    raw_text varchar not null,
    encoding varchar,
    decode_errors integer,
    published_date date,
    published_date_method varchar,
    published_date_note varchar,
    dateline_place varchar,
    agency varchar,
    run_id varchar not null,
    loaded_at timestamp not null
);
create table if not exists raw.quarantine (
    path varchar not null,
    file_name varchar,
    reason varchar not null,
    detail varchar,
    size_bytes bigint,
    raw_text varchar,
    run_id varchar not null,
    quarantined_at timestamp not null
);
create table if not exists raw.extracted (
    article_id varchar primary key,
    run_id varchar not null,
    extracted_at timestamp not null
);
create table if not exists raw.sentences (
    article_id varchar not null,
    sentence_idx integer not null,
    char_start bigint not null,
    char_end bigint not null,
    text varchar not null,
    n_positive integer,
    n_negative integer,
    run_id varchar not null
);
create table if not exists raw.entities (
    entity_id varchar not null,
    article_id varchar not null,
    sentence_idx integer not null,
    char_start bigint not null,
    char_end bigint not null,
    entity_type varchar not null,
    name varchar not null,
    role varchar,
    company_id varchar,
    evidence varchar,
    run_id varchar not null
);
create table if not exists raw.published_batches (
    batch_id varchar not null,
    run_id varchar not null,
    published_at timestamp not null
);
-- One row per dbt build (batch): its place in the warehouse's own order (batch_seq, from a
-- sequence, never the clock) and what the audit and the operator decided about it.
create sequence if not exists raw.batch_sequence start 1;
create table if not exists raw.batches (
    batch_id varchar,
    batch_seq bigint not null,
    run_id varchar not null,
    status varchar not null,
    failed_checks varchar[],
    built_at timestamp,
    decided_at timestamp,
    decided_by varchar,
    note varchar
);
create table if not exists raw.batch_decisions (
    batch_id varchar not null,
    action varchar not null,
    run_id varchar,
    decided_at timestamp not null,
    decided_by varchar,
    note varchar
);
-- Batches the audit no longer looks at: published, held (until released) or discarded.
create or replace view raw.settled_batches as
    select batch_id from raw.published_batches
    union all
    select batch_id from raw.batches where status in ('held', 'discarded') and batch_id is not null;
create table if not exists raw.figures (
    figure_id varchar not null,
    article_id varchar not null,
    sentence_idx integer not null,
    char_start bigint not null,
    char_end bigint not null,
    surface varchar not null,
    kind varchar not null,
    metric_type varchar not null,
    value double,
    unit varchar,
    currency varchar,
    scale double,
    qualifier varchar,
    count_noun varchar,
    value_date date,
    alt_date date,
    year_inferred boolean,
    company_id varchar,
    period varchar,
    period_quarter integer,
    period_year integer,
    period_is_fiscal boolean,
    value_low double,
    range_type varchar,
    evidence varchar,
    run_id varchar not null
);
create table if not exists raw.company_mentions (
    mention_id varchar not null,
    article_id varchar not null,
    sentence_idx integer not null,
    char_start bigint not null,
    char_end bigint not null,
    surface varchar not null,
    alias varchar not null,
    company_id varchar not null,
    run_id varchar not null
);
create table if not exists raw.events (
    event_id varchar not null,
    article_id varchar not null,
    sentence_idx integer not null,
    char_start bigint not null,
    char_end bigint not null,
    event_type varchar not null,
    event_date date,
    alt_date date,
    status varchar,
    company_id varchar,
    counterpart_company_id varchar,
    figure_id varchar,
    evidence varchar not null,
    run_id varchar not null
);
"""


def connect(
    path: Path, *, read_only: bool = False, memory_limit: str = "4GB", threads: int = 2
) -> duckdb.DuckDBPyConnection:
    """Open a warehouse file; a new file is created readable by DuckDB 1.5.x."""
    config: dict[str, str | int | bool] = {"memory_limit": memory_limit, "threads": threads}
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
        config["storage_compatibility_version"] = STORAGE_COMPATIBILITY
    return duckdb.connect(str(path), read_only=read_only, config=config)


# Columns added after a warehouse may already exist: applied on every open, idempotent.
MIGRATIONS = (
    "alter table raw.runs add column if not exists verdict varchar",
    "alter table raw.quarantine add column if not exists raw_text varchar",
    "alter table raw.sentences add column if not exists n_positive integer",
    "alter table raw.sentences add column if not exists n_negative integer",
    "alter table raw.figures add column if not exists period varchar",
    "alter table raw.figures add column if not exists period_quarter integer",
    "alter table raw.figures add column if not exists period_year integer",
    "alter table raw.figures add column if not exists period_is_fiscal boolean",
    "alter table raw.figures add column if not exists value_low double",
    "alter table raw.figures add column if not exists range_type varchar",
    "alter table raw.figures add column if not exists evidence varchar",
    "alter table raw.entities add column if not exists evidence varchar",
    "alter table raw.files add column if not exists ctime_ns bigint",
    "alter table raw.files add column if not exists inode ubigint",
    "alter table raw.articles add column if not exists decode_errors integer",
    "alter table raw.articles add column if not exists dateline_place varchar",
    "alter table raw.articles add column if not exists agency varchar",
    # Which rule typed a figure's metric, fired an event, found an entity or a mention.
    "alter table raw.figures add column if not exists rule_id varchar",
    "alter table raw.events add column if not exists rule_id varchar",
    "alter table raw.entities add column if not exists rule_id varchar",
    "alter table raw.company_mentions add column if not exists rule_id varchar",
    # The measure of a forecast figure (metric type guidance): revenue, ebit, margin, ...
    "alter table raw.figures add column if not exists metric_measure varchar",
    # An analyst_rating event's reading: the broker (as written, and its company id when
    # the broker is in the company seed), the action (upgrade, downgrade, initiate,
    # confirm, target_change), the broker's rating word and its normalised rating (buy,
    # hold, sell), the new and the previous price target and their currency.
    "alter table raw.events add column if not exists broker varchar",
    "alter table raw.events add column if not exists broker_company_id varchar",
    "alter table raw.events add column if not exists rating_action varchar",
    "alter table raw.events add column if not exists rating_word varchar",
    "alter table raw.events add column if not exists rating varchar",
    "alter table raw.events add column if not exists price_target double",
    "alter table raw.events add column if not exists previous_target double",
    "alter table raw.events add column if not exists target_currency varchar",
)


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(RAW_DDL)
    for statement in MIGRATIONS:
        con.execute(statement)
    _drop_article_key(con)


def _drop_article_key(con: duckdb.DuckDBPyConnection) -> None:
    """raw.articles without the primary key it had: with an index on it, DuckDB rewrote the
    whole table at every checkpoint after an append (10k new articles onto 100k: 9.9 s, and
    growing with the warehouse; 0.45 s without). The ingest keeps article ids unique (a
    semi-join against the table and first-of-batch), the dbt test on stg_articles checks it.
    A warehouse made before gets its table copied once, in one transaction."""
    keyed = con.execute(
        "select count(*) from duckdb_constraints() where schema_name = 'raw' "
        "and table_name = 'articles' and constraint_type = 'PRIMARY KEY'"
    ).fetchone()
    if not keyed or not keyed[0]:
        return
    con.execute("begin transaction")
    try:
        con.execute("create table raw._articles_unkeyed as select * from raw.articles")
        con.execute("drop table raw.articles")
        con.execute("alter table raw._articles_unkeyed rename to articles")
        con.execute("alter table raw.articles alter column article_id set not null")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def append_frames(
    con: duckdb.DuckDBPyConnection, tables: dict[str, pl.DataFrame], stage: str
) -> None:
    """Append each frame to its table, by column name, all in one transaction."""
    con.execute("begin transaction")
    try:
        for table, frame in tables.items():
            view = "_append_" + table.replace(".", "_")
            con.register(view, frame.to_arrow())
            try:
                con.execute(f"insert into {table} by name select * from {view}")
            finally:
                con.unregister(view)
        failpoint(f"{stage}.before_commit")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
