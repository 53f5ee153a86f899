"""Extraction in partitions: plan, extract each partition anywhere, load in one place.

    plan_partitions   the writer's file, read-only: pending articles cut into id ranges
    extract_partition any worker (thread, process, Dask worker): reads its id range
                      read-only, extracts with polars, writes Parquet into its own folder
    load_partitions   the writer: appends every partition's Parquet in one transaction
                      per partition, marking its articles extracted

No partition writes the warehouse, so they can run in parallel, on other processes or
machines (a shared folder for the Parquet), and a crash before loading loses nothing: the
articles are still pending and the next run extracts them again.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from finnews.extract.companies import alias_table, load_gazetteer
from finnews.extract.run import extract_articles
from finnews.failpoints import failpoint
from finnews.warehouse import connect

DEFAULT_PARTITION_SIZE = 20_000
TABLES = ("sentences", "figures", "company_mentions", "events", "entities", "extracted")


@dataclass(frozen=True)
class Partition:
    index: int
    first_id: str
    last_id: str
    articles: int


_PENDING = """
    select a.article_id from raw.articles a anti join raw.extracted e using (article_id)
"""


def plan_partitions(
    con: duckdb.DuckDBPyConnection, size: int = DEFAULT_PARTITION_SIZE
) -> list[Partition]:
    """Pending articles, by id, in ranges of at most `size`."""
    rows = con.execute(
        f"""
        with pending as ({_PENDING}),
        numbered as (
            select article_id, (row_number() over (order by article_id) - 1) // ? as part
            from pending
        )
        select part, min(article_id), max(article_id), count(*)
        from numbered group by part order by part
        """,
        [size],
    ).fetchall()
    return [Partition(int(p), lo, hi, int(n)) for p, lo, hi, n in rows]


def extract_partition(
    work_db: Path,
    companies_csv: Path,
    partition: Partition,
    out_dir: Path,
    memory_limit: str = "2GB",
) -> dict[str, int]:
    """Extract one partition into Parquet files under out_dir/part-NNNNN; returns row counts."""
    with connect(work_db, read_only=True, memory_limit=memory_limit, threads=1) as con:
        articles = con.sql(
            f"""
            select a.article_id, a.body, a.published_date from raw.articles a
            where a.article_id between ? and ? and a.article_id in ({_PENDING})
            order by a.article_id
            """,
            params=[partition.first_id, partition.last_id],
        ).pl()
    extraction = extract_articles(articles, alias_table(load_gazetteer(companies_csv)))
    folder = out_dir / f"part-{partition.index:05d}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    frames = {
        "sentences": extraction.sentences,
        "figures": extraction.figures,
        "company_mentions": extraction.mentions,
        "events": extraction.events,
        "entities": extraction.entities,
        "extracted": articles.select("article_id"),
    }
    for name, frame in frames.items():
        frame.write_parquet(folder / f"{name}.parquet")
    counts = {"articles": articles.height, **extraction.counts()}
    # Written last: a folder without it is an unfinished partition and is not loaded.
    (folder / "done.json").write_text(json.dumps(counts))
    return counts


def load_partitions(con: duckdb.DuckDBPyConnection, out_dir: Path, run_id: str) -> dict[str, int]:
    """Append every finished partition under out_dir; each partition is one transaction."""
    totals = {
        "articles": 0, "sentences": 0, "figures": 0, "mentions": 0, "events": 0, "entities": 0,
    }  # fmt: skip
    now = datetime.now(UTC).replace(tzinfo=None)
    for folder in sorted(out_dir.glob("part-*")):
        done = folder / "done.json"
        if not done.exists():
            continue
        con.execute("begin transaction")
        try:
            for table in TABLES:
                # A path we made, not article text: quoted, it is safe in the SQL.
                source = "'" + str(folder / f"{table}.parquet").replace("'", "''") + "'"
                if table == "extracted":
                    con.execute(
                        f"insert into raw.extracted by name select article_id, ? as run_id, "
                        f"? as extracted_at from read_parquet({source})",
                        [run_id, now],
                    )
                else:
                    con.execute(
                        f"insert into raw.{table} by name select *, ? as run_id "
                        f"from read_parquet({source})",
                        [run_id],
                    )
            failpoint("extract.before_commit")
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        for key, value in json.loads(done.read_text()).items():
            totals[key] = totals.get(key, 0) + value
        shutil.rmtree(folder)
    return totals
