"""`make eval`: precision, recall and F1 of the extraction against a labelled evaluation set.

The articles in `evaluation/articles/` go through the real ingest and extraction (a
throw-away warehouse in a temporary folder); `evaluation/gold.yaml` says what should come
out. Fields, each compared per article as a multiset of keys:

    figures          (value, unit)                  value with its sign, 6 significant digits
    metric_type      (value, unit, metric type)
    subject_company  (value, unit, company)
    companies        company id                     gazetteer companies the article names
    entities         (type, name)                   people, products, places, organisation
                                                    candidates; distinct per article
    events           (event type, company)
    event_dates      (event type, company, date)    events whose gold has a date

    python -m finnews.evaluate [--set DIR ...] [--wordings FILE] [--json out.json] [--errors]

`evaluation/wordings.yaml` holds one- or two-sentence snippets, each scored as a tiny
article on the events field only: how many ways of saying an event the triggers know.

`evaluation/` was used while tuning the rules; `evaluation/holdout/` was annotated before
the extractor ever saw it and is not tuned on: its scores are the honest estimate.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from finnews import pipeline
from finnews.config import Settings, project_root
from finnews.extract.companies import alias_table, load_gazetteer
from finnews.extract.run import extract_articles
from finnews.warehouse import connect

FIELDS = (
    "figures", "metric_type", "subject_company", "companies", "entities", "events",
    "event_dates",
)  # fmt: skip
TARGETS = {"figures": 0.95, "companies": 0.95, "entities": 0.85, "events": 0.85}

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def score(predicted: Iterable[Key], gold: Iterable[Key]) -> Score:
    """Multiset match: each gold key can be matched by one predicted key."""
    p, g = Counter(predicted), Counter(gold)
    tp = sum((p & g).values())
    return Score(tp, sum(p.values()) - tp, sum(g.values()) - tp)


def _num(value: float | None) -> str | None:
    return None if value is None else f"{float(value):.6g}"


def _day(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else (str(value) if value else None)


def gold_keys(article: dict[str, Any]) -> dict[str, list[Key]]:
    figures = article.get("figures") or []
    events = article.get("events") or []
    return {
        "figures": [(_num(f["value"]), f["unit"]) for f in figures],
        "metric_type": [(_num(f["value"]), f["unit"], f["metric"]) for f in figures],
        "subject_company": [(_num(f["value"]), f["unit"], f.get("company")) for f in figures],
        "companies": [(c,) for c in article.get("companies") or []],
        "entities": sorted({(e["type"], e["name"]) for e in article.get("entities") or []}),
        "events": sorted({(e["type"], e.get("company")) for e in events}, key=str),
        "event_dates": sorted(
            {(e["type"], e.get("company"), _day(e["date"])) for e in events if e.get("date")},
            key=str,
        ),
    }


def predicted_keys(rows: dict[str, list[tuple]]) -> dict[str, list[Key]]:
    """Keys from one article's extracted rows (figures, company ids, events)."""
    figures = rows.get("figures", [])
    events = rows.get("events", [])
    return {
        "figures": [(_num(v), u) for v, u, _, _ in figures],
        "metric_type": [(_num(v), u, m) for v, u, m, _ in figures],
        "subject_company": [(_num(v), u, c) for v, u, _, c in figures],
        "companies": [(c,) for c in sorted({c for (c,) in rows.get("companies", [])})],
        "entities": sorted(set(rows.get("entities", []))),
        "events": sorted({(t, c) for t, c, _ in events}, key=str),
        "event_dates": sorted({(t, c, _day(d)) for t, c, d in events if d}, key=str),
    }


def extract_set(articles_dir: Path, work: Path) -> dict[str, dict[str, list[tuple]]]:
    """Run the real ingest and extraction over the articles; rows per file name."""
    settings = Settings.resolve(articles_dir, work, memory_limit="2GB")
    run_id = "evaluation"
    pipeline.begin(settings, run_id)
    pipeline.ingest(settings, run_id)
    pipeline.extract(settings, run_id)
    queries = {
        "figures": "select value, unit, metric_type, company_id from raw.figures "
        "where kind not in ('date', 'qualitative') and article_id = a.article_id",
        "companies": "select company_id from raw.company_mentions where article_id = a.article_id",
        "events": "select event_type, company_id, event_date from raw.events "
        "where article_id = a.article_id",
        "entities": "select entity_type, name from raw.entities where article_id = a.article_id",
    }
    out: dict[str, dict[str, list[tuple]]] = {}
    with connect(settings.work_db, read_only=True) as con:
        articles = con.execute("select article_id, source_path from raw.articles").fetchall()
        for article_id, path in articles:
            name = Path(path).name
            out[name] = {
                field: con.execute(sql.replace("a.article_id", "?"), [article_id]).fetchall()
                for field, sql in queries.items()
            }
    return out


def evaluate(eval_dir: Path) -> tuple[dict[str, Score], list[str]]:
    """Scores per field over the whole set, and the mismatches, one line each."""
    gold = yaml.safe_load((eval_dir / "gold.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="finnews-eval-") as tmp:
        extracted = extract_set(eval_dir / "articles", Path(tmp))
    missing = sorted(set(gold) - set(extracted))
    if missing:
        raise ValueError(f"gold articles that were not loaded: {missing}")
    totals = {field: Score(0, 0, 0) for field in FIELDS}
    errors: list[str] = []
    for name, article in sorted(gold.items()):
        expected, found = gold_keys(article), predicted_keys(extracted[name])
        for field in FIELDS:
            totals[field] += score(found[field], expected[field])
            extra = Counter(found[field]) - Counter(expected[field])
            lost = Counter(expected[field]) - Counter(found[field])
            errors += [f"{name} {field}: unexpected {k}" for k in sorted(extra.elements(), key=str)]
            errors += [f"{name} {field}: missed {k}" for k in sorted(lost.elements(), key=str)]
    return totals, errors


WORDINGS_PUBLISHED = date(2025, 12, 15)


def evaluate_wordings(path: Path) -> tuple[dict[str, Score], list[str]]:
    """Events of each snippet in `path` against its gold: overall and per event type."""
    snippets = yaml.safe_load(path.read_text(encoding="utf-8"))
    articles = pl.DataFrame(
        {
            "article_id": [f"w{i}" for i in range(len(snippets))],
            "body": [s["text"] for s in snippets],
            "published_date": [WORDINGS_PUBLISHED] * len(snippets),
        }
    )
    aliases = alias_table(load_gazetteer(project_root() / "dbt_project/seeds/companies.csv"))
    events = extract_articles(articles, aliases).events
    found: dict[str, set[Key]] = {}
    for article_id, event_type, company in events.select(
        "article_id", "event_type", "company_id"
    ).iter_rows():
        found.setdefault(article_id, set()).add((event_type, company))
    totals: dict[str, Score] = {"events": Score(0, 0, 0)}
    errors: list[str] = []
    for i, snippet in enumerate(snippets):
        expected = {(e["type"], e.get("company")) for e in snippet.get("events") or []}
        got = found.get(f"w{i}", set())
        totals["events"] += score(got, expected)
        for key in got | expected:
            kind = key[0]
            totals[kind] = totals.get(kind, Score(0, 0, 0)) + score(got & {key}, expected & {key})
        errors += [f"unexpected {k}: {snippet['text']}" for k in sorted(got - expected, key=str)]
        errors += [f"missed {k}: {snippet['text']}" for k in sorted(expected - got, key=str)]
    return totals, errors


def render(totals: dict[str, Score]) -> str:
    lines = [f"{'field':<18} {'precision':>9} {'recall':>7} {'F1':>6}  {'tp':>4} {'fp':>4} "
             f"{'fn':>4}  target"]  # fmt: skip
    for field, s in totals.items():
        target = TARGETS.get(field)
        mark = "" if target is None else f"F1 >= {target}: {'met' if s.f1 >= target else 'NOT met'}"
        lines.append(
            f"{field:<18} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}  "
            f"{s.tp:>4} {s.fp:>4} {s.fn:>4}  {mark}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = project_root() / "evaluation"
    parser.add_argument(
        "--set",
        type=Path,
        action="append",
        help="folder with gold.yaml and articles/ (default: evaluation/ and evaluation/holdout/)",
    )
    parser.add_argument(
        "--wordings",
        type=Path,
        help="event wordings file (default: evaluation/wordings.yaml when no --set is given)",
    )
    parser.add_argument("--json", type=Path, help="also write the scores here")
    parser.add_argument("--errors", action="store_true", help="list every mismatch")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, dict[str, float]]] = {}

    def report(title: str, totals: dict[str, Score], errors: list[str]) -> dict:
        print(f"\n{title}")
        print(render(totals))
        if args.errors:
            print("\n".join(errors))
        return {
            f: {"precision": s.precision, "recall": s.recall, "f1": s.f1} | vars(s)
            for f, s in totals.items()
        }

    for eval_set in args.set or [root, root / "holdout"]:
        totals, errors = evaluate(eval_set)
        n = len(yaml.safe_load((eval_set / "gold.yaml").read_text(encoding="utf-8")))
        results[str(eval_set)] = report(f"{eval_set} ({n} articles)", totals, errors)
    wordings = args.wordings or (None if args.set else root / "wordings.yaml")
    if wordings is not None:
        totals, errors = evaluate_wordings(wordings)
        n = len(yaml.safe_load(wordings.read_text(encoding="utf-8")))
        results[str(wordings)] = report(
            f"{wordings} (event wordings, {n} snippets)", totals, errors
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
