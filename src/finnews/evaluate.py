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
                               [--by-rule]

`--by-rule` (`make eval EVAL_ARGS=--by-rule`) adds, per labelled set, the precision of each
rule: metric rules over the predicted figures (metric_type), event rules over the predicted
events, entity rules over the predicted entities (and "by_rule" in --json). Every
prediction counts once, under the rule that made it (an event or entity found several times
in an article: the rule of its first occurrence), so per field the rules' tp and fp add up
to the field's. A false positive
is split into "near" (the prediction matches a gold item on a coarser key: a gold figure
of that value and unit typed otherwise, a gold event of that type for another company, a
gold entity of that name of another type) and "no gold" (nothing of the kind is labelled).

`evaluation/wordings.yaml` holds one- or two-sentence snippets, each scored as a tiny
article on the events field only: how many ways of saying an event the triggers know.

`evaluation/` was used while tuning the rules; `evaluation/holdout/` was annotated before
the extractor ever saw it and is not tuned on: its scores are the honest estimate.

`evaluation/real/<set>/` holds gold for real articles nobody on the team wrote (see its
README): `set.yaml` names the folders under `../shared` the articles are read from (they are
never copied into the project) and the fields its gold labels; the gold names companies as
written ("Lufthansa"), resolved through the company seed's aliases to company ids (a name
outside the seed becomes its slug, the id a discovered organisation gets). A real set is
skipped, with a line saying so, when `../shared` is absent. Real sets have their own
targets (REAL_TARGETS) and are printed after the team's sets.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
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
from finnews.slug import slug
from finnews.warehouse import connect

FIELDS = (
    "figures", "metric_type", "subject_company", "companies", "entities", "events",
    "event_dates",
)  # fmt: skip
TARGETS = {"figures": 0.95, "companies": 0.95, "entities": 0.85, "events": 0.85}
# On text the team did not write (issue 19).
REAL_TARGETS = {
    "figures": 0.95, "subject_company": 0.90, "companies": 0.90, "metric_type": 0.85,
    "events": 0.75,
}  # fmt: skip

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
        # The team's sets label the seed's companies only (their convention predates
        # discovered organisations).
        "seed_companies": "select company_id from raw.company_mentions "
        "where article_id = a.article_id and rule_id not in ('company.discovered', 'company.broker')",
        "discovered": "select distinct company_id from raw.company_mentions "
        "where article_id = a.article_id and rule_id in ('company.discovered', 'company.broker')",
        "events": "select event_type, company_id, event_date from raw.events "
        "where article_id = a.article_id",
        "entities": "select entity_type, name from raw.entities where article_id = a.article_id",
        # The same rows with the rule that made each, in text order (for --by-rule).
        "figure_rules": "select value, unit, metric_type, rule_id from raw.figures "
        "where kind not in ('date', 'qualitative') and article_id = a.article_id "
        "order by char_start",
        "event_rules": "select event_type, company_id, rule_id from raw.events "
        "where article_id = a.article_id order by sentence_idx, char_start",
        "entity_rules": "select entity_type, name, rule_id from raw.entities "
        "where article_id = a.article_id order by char_start",
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


Gold = dict[str, dict[str, Any]]
Extracted = dict[str, dict[str, list[tuple]]]


def _as_seed_only(rows: dict[str, list[tuple]]) -> None:
    """An article's rows as the team's sets label them: companies of the seed only, and a
    figure or event of a discovered organisation has no company (null)."""
    discovered = {c for (c,) in rows["discovered"]}
    rows["companies"] = rows["seed_companies"]
    rows["figures"] = [(*r[:3], None if r[3] in discovered else r[3]) for r in rows["figures"]]
    rows["events"] = [(r[0], None if r[1] in discovered else r[1], r[2]) for r in rows["events"]]


class CorpusMissing(RuntimeError):
    """A real-text set's articles are not on this machine (no ../shared)."""


@dataclass(frozen=True)
class SetSpec:
    """What a labelled set is: where its articles are, which fields its gold labels and
    the targets it is held to."""

    folder: Path
    real: bool
    sources: tuple[Path, ...]
    fields: tuple[str, ...]

    @property
    def targets(self) -> dict[str, float]:
        return REAL_TARGETS if self.real else TARGETS


def set_spec(eval_dir: Path) -> SetSpec:
    """A team set: `gold.yaml` and `articles/`; a real set: `set.yaml` and `gold*.yaml`."""
    spec_file = eval_dir / "set.yaml"
    if not spec_file.exists():
        return SetSpec(eval_dir, False, (eval_dir / "articles",), FIELDS)
    spec = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    fields = tuple(spec.get("fields", FIELDS))
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"{spec_file}: unknown fields {sorted(unknown)}")
    sources = tuple((project_root() / s).resolve() for s in spec["sources"])
    return SetSpec(eval_dir, True, sources, fields)


def read_gold(spec: SetSpec) -> Gold:
    """The set's gold; a real set's may be split over several `gold*.yaml` files."""
    gold: Gold = {}
    for path in sorted(spec.folder.glob("gold*.yaml")):
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        twice = sorted(set(part) & set(gold))
        if twice:
            raise ValueError(f"{path}: articles annotated in another gold file too: {twice}")
        gold |= part
    return gold


def company_resolver(companies_csv: Path | None = None) -> Callable[[str | None], str | None]:
    """Gold names ("Lufthansa") to company ids: an alias of the seed (any case), else the
    name's slug, which is the id a discovered organisation of that name gets."""
    aliases = alias_table(
        load_gazetteer(companies_csv or project_root() / "dbt_project/seeds/companies.csv")
    )
    by_alias = {a.casefold(): c for a, c in aliases.select("alias", "company_id").iter_rows()}

    def resolve(name: str | None) -> str | None:
        return None if name is None else by_alias.get(str(name).casefold(), slug(str(name)))

    return resolve


def resolve_names(gold: Gold, resolve: Callable[[str | None], str | None]) -> Gold:
    """A real set's gold with company names replaced by company ids."""
    out: Gold = {}
    for name, article in gold.items():
        article = dict(article or {})
        article["companies"] = sorted(
            {c for c in map(resolve, article.get("companies") or []) if c}
        )
        for field in ("figures", "events"):
            article[field] = [
                {**item, "company": resolve(item.get("company"))}
                for item in article.get(field) or []
            ]
        out[name] = article
    return out


def _gather_articles(spec: SetSpec, names: Iterable[str], into: Path) -> None:
    """Copy the set's articles from their source folders (read, never kept in the project)."""
    absent = [s for s in spec.sources if not s.is_dir()]
    if absent:
        raise CorpusMissing(f"{spec.folder}: no corpus at {', '.join(map(str, absent))}")
    into.mkdir(parents=True)
    for name in names:
        found = next((s / name for s in spec.sources if (s / name).is_file()), None)
        if found is None:
            raise ValueError(f"{spec.folder}: {name} is in no source folder")
        shutil.copyfile(found, into / name)


def load_set(eval_dir: Path) -> tuple[Gold, Extracted]:
    """The gold of a labelled set and what the extraction finds in its articles."""
    spec = set_spec(eval_dir)
    gold = (
        read_gold(spec)
        if spec.real
        else yaml.safe_load((eval_dir / "gold.yaml").read_text(encoding="utf-8"))
    )
    with tempfile.TemporaryDirectory(prefix="finnews-eval-") as tmp:
        articles = spec.sources[0]
        if spec.real:
            articles = Path(tmp) / "articles"
            _gather_articles(spec, gold, articles)
            gold = resolve_names(gold, company_resolver())
        extracted = extract_set(articles, Path(tmp) / "work")
    if not spec.real:
        for rows in extracted.values():
            _as_seed_only(rows)
    return gold, extracted


def evaluate(eval_dir: Path) -> tuple[dict[str, Score], list[str]]:
    """Scores per field over the whole set, and the mismatches, one line each."""
    return score_set(*load_set(eval_dir), set_spec(eval_dir).fields)


def score_set(
    gold: Gold, extracted: Extracted, fields: Iterable[str] = FIELDS
) -> tuple[dict[str, Score], list[str]]:
    """Scores per field of `extracted` against `gold`, and the mismatches."""
    fields = tuple(fields)
    missing = sorted(set(gold) - set(extracted))
    if missing:
        raise ValueError(f"gold articles that were not loaded: {missing}")
    totals = {field: Score(0, 0, 0) for field in fields}
    errors: list[str] = []
    for name, article in sorted(gold.items()):
        expected, found = gold_keys(article), predicted_keys(extracted[name])
        for field in fields:
            totals[field] += score(found[field], expected[field])
            extra = Counter(found[field]) - Counter(expected[field])
            lost = Counter(expected[field]) - Counter(found[field])
            errors += [f"{name} {field}: unexpected {k}" for k in sorted(extra.elements(), key=str)]
            errors += [f"{name} {field}: missed {k}" for k in sorted(lost.elements(), key=str)]
    return totals, errors


WORDINGS_PUBLISHED = date(2025, 12, 15)


def extract_wordings(path: Path) -> tuple[list[dict[str, Any]], pl.DataFrame]:
    """The snippets of a wordings file and the events extracted from them (article w<i>)."""
    snippets = yaml.safe_load(path.read_text(encoding="utf-8"))
    articles = pl.DataFrame(
        {
            "article_id": [f"w{i}" for i in range(len(snippets))],
            "body": [s["text"] for s in snippets],
            "published_date": [WORDINGS_PUBLISHED] * len(snippets),
        }
    )
    aliases = alias_table(load_gazetteer(project_root() / "dbt_project/seeds/companies.csv"))
    return snippets, extract_articles(articles, aliases).events


def evaluate_wordings(path: Path) -> tuple[dict[str, Score], list[str]]:
    """Events of each snippet in `path` against its gold: overall and per event type."""
    return score_wordings(*extract_wordings(path))


def score_wordings(
    snippets: list[dict[str, Any]], events: pl.DataFrame
) -> tuple[dict[str, Score], list[str]]:
    """The snippets' events against their gold: overall and per event type."""
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


@dataclass(frozen=True)
class RuleField:
    """How a scored field is split by rule: the extracted rows holding the rule ids (the
    rule id last), a row's key as `predicted_keys` makes it, and the coarser key a false
    positive may still match gold on."""

    kind: str
    rows: str
    key: Callable[[tuple], Key]
    near: Callable[[Key], Key]
    near_label: str
    # Fields scored as a set per article (predicted_keys dedups them): one prediction a key.
    distinct: bool


RULE_FIELDS = {
    "metric_type": RuleField(
        "metric", "figure_rules", lambda r: (_num(r[0]), r[1], r[2]), lambda k: k[:2],
        "wrong type", distinct=False,
    ),
    "events": RuleField(
        "event", "event_rules", lambda r: (r[0], r[1]), lambda k: k[:1], "other company",
        distinct=True,
    ),
    "entities": RuleField(
        "entity", "entity_rules", lambda r: (r[0], r[1]), lambda k: k[1:], "other type",
        distinct=True,
    ),
}  # fmt: skip
RULE_COLUMNS = ["rule_id", "predicted", "tp", "fp", "precision", "near", "no_gold"]


def _predictions(extracted: Extracted, names: Iterable[str], field: RuleField) -> pl.DataFrame:
    """One row per prediction of `field`: article, key, near key, rule_id, text order."""
    rows = [
        (name, str(key), str(field.near(key)), row[-1], order)
        for name in names
        for order, row in enumerate(extracted[name].get(field.rows, []))
        for key in [field.key(row[:-1])]
    ]
    frame = pl.DataFrame(
        rows, schema=["article", "key", "near", "rule_id", "order"], orient="row"
    ).cast({"article": pl.String, "key": pl.String, "near": pl.String, "rule_id": pl.String})
    # A key found twice in an article is one prediction: the first row's rule made it.
    return frame.unique(["article", "key"], keep="first") if field.distinct else frame


def _gold_items(gold: Gold, field_name: str, field: RuleField) -> pl.DataFrame:
    rows = [
        (name, str(key), str(field.near(key)))
        for name, article in gold.items()
        for key in gold_keys(article)[field_name]
    ]
    return pl.DataFrame(rows, schema=["article", "key", "near"], orient="row").cast(pl.String)


def rule_scores(predicted: pl.DataFrame, gold: pl.DataFrame) -> pl.DataFrame:
    """RULE_COLUMNS per rule_id of `predicted`, matched to `gold` as `score` does: in an
    article, the first predictions (by order) of a key take its gold items; the false
    positives left take the gold items of their near key that no true positive took."""
    per_key = gold.group_by("article", "key").agg(pl.len().alias("gold_key"))
    per_near = gold.group_by("article", "near").agg(pl.len().alias("gold_near"))
    tp, fp = pl.col("tp"), ~pl.col("tp")
    by_key, by_near = ["article", "key"], ["article", "near"]
    # Gold items of the near key that true positives left over, for the false positives.
    near_left = pl.col("gold_near") - tp.sum().over(by_near)
    matched = (
        predicted.join(per_key, on=by_key, how="left")
        .join(per_near, on=by_near, how="left")
        .with_columns(pl.col("gold_key", "gold_near").fill_null(0))
        .sort("article", "order")
        .with_columns((pl.int_range(pl.len()).over(by_key) < pl.col("gold_key")).alias("tp"))
        .with_columns((fp & (fp.cum_sum().over(by_near) <= near_left)).alias("near_fp"))
    )
    return (
        matched.group_by("rule_id")
        .agg(
            pl.len().alias("predicted"),
            tp.sum().alias("tp"),
            fp.sum().alias("fp"),
            pl.col("near_fp").sum().alias("near"),
        )
        .with_columns(
            (pl.col("tp") / pl.col("predicted")).alias("precision"),
            (pl.col("fp") - pl.col("near")).alias("no_gold"),
        )
        .sort(["fp", "rule_id"], descending=[True, False])
        .select(RULE_COLUMNS)
    )


def rule_precision(
    gold: Gold, extracted: Extracted, fields: Iterable[str] = RULE_FIELDS
) -> dict[str, pl.DataFrame]:
    """`rule_scores` of each field in `fields` (keys of RULE_FIELDS) over the gold articles."""
    return {
        name: rule_scores(
            _predictions(extracted, sorted(gold), RULE_FIELDS[name]),
            _gold_items(gold, name, RULE_FIELDS[name]),
        )
        for name in fields
    }


def wordings_rule_precision(
    snippets: list[dict[str, Any]], events: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """`rule_precision` of the events of a wordings file: snippet w<i> as article w<i>."""
    gold = {f"w{i}": snippet for i, snippet in enumerate(snippets)}
    rows = events.sort("article_id", "sentence_idx", "char_start").select(
        "article_id", "event_type", "company_id", "rule_id"
    )
    extracted: Extracted = {name: {"event_rules": []} for name in gold}
    for article_id, *row in rows.iter_rows():
        extracted[article_id]["event_rules"].append(tuple(row))
    return rule_precision(gold, extracted, ["events"])


def render_rules(field: str, frame: pl.DataFrame) -> str:
    spec = RULE_FIELDS[field]
    width = max([len("rule_id"), *(len(r) for r in frame["rule_id"].fill_null("–"))])
    lines = [
        f"{spec.kind} rules ({field}); fp near: {spec.near_label}",
        f"{'rule_id':<{width}} {'predicted':>9} {'tp':>4} {'fp':>4} {'precision':>9} "
        f"{'fp near':>7} {'fp no gold':>10}",
    ]
    lines += [
        f"{rule or '–':<{width}} {n:>9} {tp:>4} {fp:>4} {p:>9.3f} {near:>7} {none:>10}"
        for rule, n, tp, fp, p, near, none in frame.iter_rows()
    ]
    return "\n".join(lines)


def render(totals: dict[str, Score], targets: dict[str, float] = TARGETS) -> str:
    lines = [f"{'field':<18} {'precision':>9} {'recall':>7} {'F1':>6}  {'tp':>4} {'fp':>4} "
             f"{'fn':>4}  target"]  # fmt: skip
    for field, s in totals.items():
        target = targets.get(field)
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
    parser.add_argument(
        "--by-rule", action="store_true", help="also the precision of each metric/event/entity rule"
    )
    args = parser.parse_args(argv)
    results: dict[str, dict[str, Any]] = {}

    def report(
        title: str,
        totals: dict[str, Score],
        errors: list[str],
        rules: dict[str, pl.DataFrame] | None,
        targets: dict[str, float] = TARGETS,
    ) -> dict:
        print(f"\n{title}")
        print(render(totals, targets))
        if args.errors:
            print("\n".join(errors))
        scores: dict[str, Any] = {
            f: {"precision": s.precision, "recall": s.recall, "f1": s.f1} | vars(s)
            for f, s in totals.items()
        }
        if rules is not None:
            for field, frame in rules.items():
                print(f"\n{render_rules(field, frame)}")
            scores["by_rule"] = {field: frame.to_dicts() for field, frame in rules.items()}
        return scores

    sets = args.set or [
        root,
        root / "holdout",
        *sorted(p.parent for p in root.glob("real/*/set.yaml")),
    ]
    for eval_set in sets:
        spec = set_spec(eval_set)
        try:
            gold, extracted = load_set(eval_set)
        except CorpusMissing as missing:
            print(f"\n{eval_set}: skipped, {missing}")
            continue
        if not gold:
            # A set not annotated yet scores nothing: no perfect scores out of no items.
            print(f"\n{eval_set}: skipped, no gold annotated yet")
            continue
        totals, errors = score_set(gold, extracted, spec.fields)
        rules = (
            rule_precision(gold, extracted, [f for f in RULE_FIELDS if f in spec.fields])
            if args.by_rule
            else None
        )
        kind = "real text, nobody on the team wrote it" if spec.real else "team-written"
        results[str(eval_set)] = report(
            f"{eval_set} ({len(gold)} articles, {kind})", totals, errors, rules, spec.targets
        )
    wordings = args.wordings or (None if args.set else root / "wordings.yaml")
    if wordings is not None:
        snippets, events = extract_wordings(wordings)
        totals, errors = score_wordings(snippets, events)
        rules = wordings_rule_precision(snippets, events) if args.by_rule else None
        results[str(wordings)] = report(
            f"{wordings} (event wordings, {len(snippets)} snippets)", totals, errors, rules
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
