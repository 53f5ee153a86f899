"""`make bench`: full rebuilds at 10k and 100k synthetic articles (1M with --full) and a
10k-article nightly increment onto each of them; every stage in its own process.

Prints per stage wall seconds, MB/s of article text, rows and peak RSS, times the pure-Python
baseline against the polars extractor on the same text, and writes everything as JSON and
Markdown into the output folder (default /tmp/finnews-bench, outside the repository).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from bench.baseline import BaselineExtractor
from finnews.config import project_root
from finnews.extract.companies import alias_table, load_gazetteer
from finnews.extract.run import extract_articles
from finnews.synth import write_corpus

STAGES = ("ingest", "extract", "dbt", "validate", "publish")


def machine() -> dict[str, str]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor())  # fmt: skip
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))  # fmt: skip
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory_gib": f"{mem_kb / 2**20:.1f}",
            "python": platform.python_version(), "polars": pl.__version__, "duckdb": duckdb.__version__}  # fmt: skip


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run_stage(stage: str, input_dir: Path, warehouse: Path, run_id: str, timeout: float) -> dict:
    env = {**os.environ, "FINNEWS_PROGRESS": "0"}
    cmd = [sys.executable, "-m", "bench.stage", stage, "--input-dir", str(input_dir),
           "--warehouse-dir", str(warehouse), "--run-id", run_id]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=project_root(), env=env, stdout=subprocess.PIPE, text=True)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            raise TimeoutError(f"{stage} exceeded {timeout:.0f} s")
        time.sleep(0.05)
    wall = time.perf_counter() - start
    out = proc.stdout.read() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{stage} failed (exit {os.waitstatus_to_exitcode(status)})")
    result = json.loads(out.strip().splitlines()[-1])
    return {"stage": stage, "seconds": round(wall, 2), "rows": result["rows"],
            "peak_rss_mb": round(usage.ru_maxrss / 1024), "detail": result["detail"]}  # fmt: skip


def run_pipeline(
    label: str, input_dir: Path, warehouse: Path, text_bytes: int, timeout: float
) -> list[dict]:
    slug = "".join(c if c.isalnum() else "-" for c in label).strip("-")
    run_id = f"bench-{slug}-{datetime.now(UTC).strftime('%H%M%S')}"
    rows = []
    for stage in STAGES:
        row = run_stage(stage, input_dir, warehouse, run_id, timeout)
        row |= {"run": label, "mb_per_s": round(text_bytes / 1e6 / row["seconds"], 1)}
        print(f"  {label:>16} {stage:<9} {row['seconds']:>8.2f} s {row['mb_per_s']:>8.1f} MB/s "
              f"{row['rows']:>10} rows {row['peak_rss_mb']:>7} MB peak", flush=True)  # fmt: skip
        rows.append(row)
    return rows


def baseline_ratio(warehouse: Path, n: int) -> dict:
    """Both extractors over the same cleaned bodies, in this process, one core each."""
    with duckdb.connect(str(warehouse / "work.duckdb"), read_only=True) as con:
        articles = con.sql(
            "select article_id, body, published_date from raw.articles order by article_id "
            f"limit {int(n)}"
        ).pl()
    mb = articles["body"].str.len_bytes().sum() / 1e6
    companies = project_root() / "dbt_project/seeds/companies.csv"
    aliases = alias_table(load_gazetteer(companies))
    start = time.perf_counter()
    extraction = extract_articles(articles, aliases)
    polars_s = time.perf_counter() - start
    baseline = BaselineExtractor(companies)
    start = time.perf_counter()
    totals: dict[str, int] = {}
    for body in articles["body"]:
        for key, value in baseline.extract(body).items():
            totals[key] = totals.get(key, 0) + value
    python_s = time.perf_counter() - start
    return {
        "articles": articles.height, "mb": round(mb, 1),
        "polars_seconds": round(polars_s, 2), "polars_mb_per_s": round(mb / polars_s, 1),
        "python_seconds": round(python_s, 2), "python_mb_per_s": round(mb / python_s, 1),
        "speedup": round(python_s / polars_s, 1),
        "polars_rows": extraction.counts(), "python_rows": totals,
    }  # fmt: skip


def markdown(results: dict) -> str:
    lines = [
        "| run | stage | seconds | MB/s | rows | peak RSS MB |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in results["stages"]:
        lines.append(
            f"| {r['run']} | {r['stage']} | {r['seconds']} | {r['mb_per_s']} | {r['rows']} | {r['peak_rss_mb']} |"
        )
    b = results.get("baseline")
    if b:
        lines += ["", f"Extraction on the same {b['articles']} articles ({b['mb']} MB), one process: "
                  f"polars {b['polars_mb_per_s']} MB/s, pure-Python baseline {b['python_mb_per_s']} MB/s, "
                  f"speed-up {b['speedup']}x."]  # fmt: skip
    m = results["machine"]
    lines += ["", f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}, "
              f"polars {m['polars']}, duckdb {m['duckdb']}."]  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--full", action="store_true", help="also 1,000,000 articles")
    parser.add_argument("--increment", type=int, default=10_000)
    parser.add_argument("--format", choices=["files", "jsonl", "parquet"], default="files")
    parser.add_argument(
        "--out", type=Path, default=Path(os.environ.get("FINNEWS_BENCH_DIR", "/tmp/finnews-bench"))
    )
    parser.add_argument("--baseline-articles", type=int, default=5_000)
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args(argv)
    os.environ.setdefault("FINNEWS_MEMORY_LIMIT", "6GB")
    sizes = sorted(set(args.sizes + ([1_000_000] if args.full else [])))
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "started": datetime.now(UTC).isoformat(), "stages": []}
    print(f"machine: {results['machine']}")
    for size in sizes:
        corpus = args.out / f"corpus-{size}-{args.format}"
        if not corpus.exists():
            t = time.perf_counter()
            write_corpus(corpus / "base", size, 0, args.format)
            print(f"generated {size} articles in {time.perf_counter() - t:.1f} s", flush=True)
        warehouse = args.out / f"wh-{size}"
        # A rebuild reads the base corpus only: drop increments an earlier bench left.
        stale = [str(p) for p in corpus.glob("increment-*")]
        subprocess.run(["rm", "-rf", str(warehouse), *stale], check=True)
        results["stages"] += run_pipeline(
            f"rebuild {size}", corpus, warehouse, corpus_bytes(corpus / "base"), args.timeout
        )
        # The nightly increment at every size: its cost should follow what it adds.
        if args.increment:
            increment = corpus / f"increment-{size}"
            subprocess.run(["rm", "-rf", str(increment)], check=True)
            write_corpus(increment, args.increment, size, args.format)
            results["stages"] += run_pipeline(
                f"+{args.increment} onto {size}",
                corpus,
                warehouse,
                corpus_bytes(increment),
                args.timeout,
            )
    results["baseline"] = baseline_ratio(args.out / f"wh-{sizes[0]}", args.baseline_articles)
    print(json.dumps(results["baseline"], indent=1))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (args.out / f"results-{stamp}.json").write_text(json.dumps(results, indent=2, default=str))
    (args.out / f"results-{stamp}.md").write_text(markdown(results) + "\n")
    print(markdown(results))
    print(f"results: {args.out / f'results-{stamp}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
