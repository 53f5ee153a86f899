"""`make bench-extract`: the vectorized extraction and the reference engine, one sitting.

    python -m bench.extract [--real-mb 50] [--synthetic-mb 10] [--workers 2]

Two corpora: the project's synthetic articles, and the real articles of ../shared/corpus/
(and ../shared/seeds/) repeated under new ids to at least --real-mb. On each, with the same
process partitions (one per core):
- extraction: `extract_articles`, everything from sentences to events (MB/s of article text);
- rules: the vectorized rule stage alone (event rules fired + metric rules over figure views);
- baseline: the reference engine (finnews.rules.reference) deciding the same rules from the
  same inputs in plain Python, per article.
The inputs the reference reads (sentences, mentions, entities, figure views) are prepared
before its clock starts, so the baseline times rule interpretation only: the ratio
extraction/baseline compares the whole vectorized extraction with the reference doing less.
Then where the time goes: the extraction's steps, and how many sentences the anchor pass
lets through. The last line is for the real text.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import polars as pl

from finnews.config import project_root

SHARED = project_root().parent / "shared"


def real_corpus(min_mb: float) -> pl.DataFrame:
    """The real articles, repeated under new ids until they hold at least `min_mb` MB."""
    files = sorted([*SHARED.glob("corpus/**/*.txt"), *SHARED.glob("seeds/*")])
    if not files:
        raise SystemExit(f"no real articles under {SHARED}: the real-text benchmark needs them")
    bodies = [f.read_text(errors="replace") for f in files]
    sizes = [len(b.encode()) for b in bodies]
    copies = max(1, int(min_mb * 1e6 // sum(sizes)) + 1)
    return pl.DataFrame(
        {
            "article_id": [
                f"real-{c:04d}-{i:04d}" for c in range(copies) for i in range(len(bodies))
            ],
            "body": bodies * copies,
            "published_date": [None] * (copies * len(bodies)),
        },
        schema={"article_id": pl.String, "body": pl.String, "published_date": pl.Date},
    )


def synthetic_corpus(min_mb: float) -> pl.DataFrame:
    from finnews.synth import Generator

    generator = Generator()
    rows, size, i = [], 0, 0
    while size < min_mb * 1e6:
        article = generator.article(i)
        rows.append((f"synth-{i:07d}", article.text, article.published))
        size += len(article.text.encode())
        i += 1
    return pl.DataFrame(
        rows,
        schema={"article_id": pl.String, "body": pl.String, "published_date": pl.Date},
        orient="row",
    )


def _aliases() -> pl.DataFrame:
    from finnews.extract.companies import alias_table, load_gazetteer

    return alias_table(load_gazetteer(project_root() / "dbt_project/seeds/companies.csv"))


def _warm_up(articles: pl.DataFrame, aliases: pl.DataFrame) -> None:
    """Imports, rule loading and regex compilation happen before any clock starts."""
    from finnews.extract.run import extract_articles

    extract_articles(articles.head(20), aliases)


def _worker(task: str, part: str) -> dict[str, Any]:
    """One partition, in its own process: warm up, then time `task` (wall clock bounds)."""
    articles = pl.read_parquet(part)
    aliases = _aliases()
    _warm_up(articles, aliases)
    out: dict[str, Any] = {}
    if task == "extraction":
        from finnews.extract.run import extract_articles

        timings: dict[str, float] = {}
        out["start"] = time.time()
        extraction = extract_articles(articles, aliases, timings)
        out["end"] = time.time()
        out["timings"] = timings
        out["counts"] = extraction.counts()
        return out
    from finnews.rules.reference import rule_stage_inputs

    inputs = rule_stage_inputs(articles, aliases)
    if task == "rules":
        from finnews.extract.event_rules import fired_rules
        from finnews.extract.figures import metric_rule_id
        from finnews.rules import load_rules

        sentences = inputs["sentences"].with_columns(pl.col("char_start").alias("sent_start"))
        out["start"] = time.time()
        fired_rules(
            sentences.lazy(), inputs["mentions"].lazy(), inputs["entities"].lazy(),
            inputs["figures"].lazy(), load_rules(),
        )  # fmt: skip
        inputs["views"].select(metric_rule_id())
        out["end"] = time.time()
        return out
    from finnews.rules.reference import reference_hits, reference_metric_rules

    out["start"] = time.time()
    reference_hits(inputs["sentences"], inputs["mentions"], inputs["entities"], inputs["figures"])
    reference_metric_rules(inputs["views"])
    out["end"] = time.time()
    return out


def run(task: str, parts: list[str], workers: int) -> tuple[float, list[dict[str, Any]]]:
    """Wall seconds from the first worker's start to the last one's end, and their results."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        results = list(pool.map(_worker, [task] * len(parts), parts))
    return max(r["end"] for r in results) - min(r["start"] for r in results), results


def anchor_pass_through(articles: pl.DataFrame, top: int = 8) -> list[str]:
    """Share of sentences the anchor pass lets through to any regex, and the anchors that
    let most through."""
    from finnews.extract.event_rules import anchor_table, candidates
    from finnews.extract.sentences import split_sentences
    from finnews.rules import load_rules

    rules = load_rules()
    lower = (
        split_sentences(articles.lazy())
        .select("article_id", "sentence_idx", pl.col("shadow").str.to_lowercase().alias("_lower"))
        .collect()
    )
    found = candidates(lower.lazy(), rules).collect()
    reached = found.select("article_id", "sentence_idx").unique().height
    anchors = anchor_table(rules)["anchor"].unique().to_list()
    counts = (
        lower.select(pl.col("_lower").str.extract_many(anchors, overlapping=True).list.unique())
        .explode("_lower")
        .drop_nulls()
        .group_by("_lower")
        .len()
        .sort("len", descending=True)
        .head(top)
    )
    lines = [
        f"  anchor pass: {reached / lower.height:.1%} of {lower.height} sentences reach a regex; "
        f"{found.height / lower.height:.2f} candidate rules per sentence"
    ]
    lines += [f"    {a!r:>14} {n / lower.height:6.1%}" for a, n in counts.iter_rows()]
    return lines


def bench(name: str, articles: pl.DataFrame, workers: int, scratch: Path) -> str:
    mb = articles["body"].str.len_bytes().sum() / 1e6
    size = -(-articles.height // workers)
    parts = []
    for k in range(workers):
        path = scratch / f"{name}-{k}.parquet"
        articles.slice(k * size, size).write_parquet(path)
        parts.append(str(path))
    seconds, results = run("extraction", parts, workers)
    rules_s, _ = run("rules", parts, workers)
    base_s, _ = run("reference", parts, workers)
    print(f"{name}: {articles.height} articles, {mb:.1f} MB, {workers} process partitions")
    print(f"  extraction {seconds:7.2f} s  {mb / seconds:7.2f} MB/s")
    print(f"  rules      {rules_s:7.2f} s  {mb / rules_s:7.2f} MB/s (vectorized rule stage alone)")
    print(f"  baseline   {base_s:7.2f} s  {mb / base_s:7.2f} MB/s (reference engine, same rules)")
    print("  where the extraction's time goes (seconds per step, summed over the partitions):")
    steps: dict[str, float] = {}
    for r in results:
        for step, s in r["timings"].items():
            steps[step] = steps.get(step, 0.0) + s
    total = sum(steps.values())
    for step, s in sorted(steps.items(), key=lambda kv: -kv[1]):
        print(f"    {step:<12} {s:7.2f} s  {s / total:5.1%}")
    for line in anchor_pass_through(articles.head(max(200, articles.height // 20))):
        print(line)
    return (
        f"extraction {mb / seconds:.1f} MB/s, baseline {mb / base_s:.1f} MB/s, "
        f"ratio {base_s / seconds:.1f}x, {articles.height} articles, {mb:.0f} MB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real-mb", type=float, default=50.0)
    parser.add_argument("--synthetic-mb", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="finnews-bench-extract-") as tmp:
        scratch = Path(tmp)
        synthetic = bench("synthetic", synthetic_corpus(args.synthetic_mb), args.workers, scratch)
        print(synthetic)
        real = bench("real", real_corpus(args.real_mb), args.workers, scratch)
        print(real)
    return 0


if __name__ == "__main__":
    sys.exit(main())
