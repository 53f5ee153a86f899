"""Where extraction time goes: pyinstrument over `extract_articles` on N articles.

    python -m bench.profile_extract --warehouse-dir /tmp/finnews-bench/wh-10000 --n 4000
Writes profile.txt and profile.html into --out and prints the call tree.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb
import polars as pl
from pyinstrument import Profiler

from finnews.config import project_root
from finnews.extract.companies import alias_table, extract_mentions, load_gazetteer
from finnews.extract.dates import extract_dates
from finnews.extract.figures import extract_figures
from finnews.extract.run import CONTEXT_COLUMNS, extract_articles
from finnews.extract.sentences import split_sentences


def step_times(articles: pl.DataFrame, aliases: pl.DataFrame) -> dict[str, float]:
    """Wall seconds of each extraction step over the same articles (the hot path is native
    polars, so a Python profiler sees one `collect`; this says which expressions cost)."""
    art = articles.lazy().select("article_id", "body", "published_date")
    times: dict[str, float] = {}
    start = time.perf_counter()
    sentences = split_sentences(art).collect(engine="in-memory")
    times["sentences"] = time.perf_counter() - start
    ctx = (
        sentences.lazy()
        .rename({"char_start": "sent_start"})
        .join(art.select("article_id", "published_date"), on="article_id", how="left")
        .select(CONTEXT_COLUMNS)
        .collect()
        .lazy()
    )
    steps = {
        "mentions": lambda: extract_mentions(ctx, aliases, CONTEXT_COLUMNS),
        "figures": lambda: extract_figures(ctx, CONTEXT_COLUMNS),
        "dates": lambda: extract_dates(ctx, CONTEXT_COLUMNS),
    }
    for name, build in steps.items():
        start = time.perf_counter()
        build().collect(engine="in-memory")
        times[name] = time.perf_counter() - start
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse-dir", type=Path, required=True)
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/finnews-bench/profile"))
    args = parser.parse_args(argv)
    with duckdb.connect(str(args.warehouse_dir / "work.duckdb"), read_only=True) as con:
        articles = con.sql(
            "select article_id, body, published_date from raw.articles order by article_id "
            f"limit {int(args.n)}"
        ).pl()
    mb = articles["body"].str.len_bytes().sum() / 1e6
    aliases = alias_table(load_gazetteer(project_root() / "dbt_project/seeds/companies.csv"))
    extract_articles(articles.head(100), aliases)  # warm-up: regex compilation, imports
    print("per step (each collected alone, so the sum exceeds the whole):")
    for step, seconds in step_times(articles, aliases).items():
        print(f"  {step:<10} {seconds:6.2f} s  {mb / seconds:6.1f} MB/s")
    profiler = Profiler(interval=0.002)
    profiler.start()
    start = time.perf_counter()
    extract_articles(articles, aliases)
    seconds = time.perf_counter() - start
    profiler.stop()
    args.out.mkdir(parents=True, exist_ok=True)
    text = profiler.output_text(unicode=False, color=False)
    (args.out / "profile.txt").write_text(text)
    (args.out / "profile.html").write_text(profiler.output_html())
    print(f"{articles.height} articles, {mb:.1f} MB in {seconds:.2f} s: {mb / seconds:.1f} MB/s")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
