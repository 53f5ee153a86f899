"""The extraction stage against the warehouse: new articles in, raw.* extraction tables out."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from finnews.extract.companies import alias_table, load_gazetteer
from finnews.extract.run import extract_articles
from finnews.warehouse import append_frames


def pending_articles(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Articles loaded but not yet extracted (a crashed run leaves them pending)."""
    return con.sql(
        """
        select a.article_id, a.body, a.published_date
        from raw.articles a
        anti join raw.extracted e using (article_id)
        order by a.article_id
        """
    ).pl()


def extract_pending(
    con: duckdb.DuckDBPyConnection, companies_csv: Path, run_id: str
) -> dict[str, int]:
    """Extract every pending article and append the results in one transaction."""
    articles = pending_articles(con)
    if articles.is_empty():
        return {"articles": 0, "sentences": 0, "figures": 0, "mentions": 0, "events": 0}
    extraction = extract_articles(articles, alias_table(load_gazetteer(companies_csv)))
    run = pl.lit(run_id).alias("run_id")
    now = datetime.now(UTC).replace(tzinfo=None)
    append_frames(
        con,
        {
            "raw.sentences": extraction.sentences.with_columns(run),
            "raw.figures": extraction.figures.with_columns(run),
            "raw.company_mentions": extraction.mentions.with_columns(run),
            "raw.events": extraction.events.with_columns(run),
            # Written last, in the same transaction: an article is extracted wholly or not.
            "raw.extracted": articles.select("article_id", run, pl.lit(now).alias("extracted_at")),
        },
        stage="extract",
    )
    return {"articles": articles.height, **extraction.counts()}
