"""The reference engine: the rule files interpreted per article with Python `re` and loops.

Written for clarity, not speed. It decides what the vectorized engine decides from the rule
files (which event rules fire in which sentence, which metric rule types each figure) from
the same inputs (sentences, company mentions, product entities, figures with their views),
and must agree with it row for row: tests/test_rule_engines.py compares the two, and
`make bench-extract` uses it as the speed baseline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from finnews.extract.figures import DEFAULT_METRIC_RULE, METRIC_VIEWS
from finnews.rules import EventRule, RuleSet, Void, load_rules
from finnews.rules.conditions import compiled, holds


@dataclass
class Sentence:
    index: int
    start: int  # offset of the sentence in the article body
    lower: str  # lower-cased ASCII shadow
    mentions: list[tuple[int, int]]  # company mentions, body offsets
    names_product: bool
    metric_types: set[str]


def frame_of(sentence: Sentence) -> str:
    """The sentence with every company mention replaced by "@"."""
    out, at = [], 0
    for start, end in sorted(sentence.mentions):
        s, e = start - sentence.start, end - sentence.start
        out.append(sentence.lower[at : max(s, at)] + "@")
        at = e
    return "".join(out) + sentence.lower[at:]


def _void_holds(void: Void, text: str, start: int, end: int) -> bool:
    if void.scope == "after":
        window = text[end : end + void.window]
    elif void.scope == "before":
        window = text[max(0, start - void.window) : start]
    else:
        window = text
    if compiled(void.pattern).search(window) is None:
        return False
    return void.unless is None or compiled(void.unless).search(text) is None


def _view_row(sentence: Sentence, previous: str | None) -> dict[str, Any]:
    return {
        "sentence": sentence.lower,
        "previous": previous,
        "frame": None,
        "entity:product": sentence.names_product,
    }


def pattern_rule_fires(rule: EventRule, sentence: Sentence, previous: str | None) -> bool:
    """Whether a pattern rule fires in `sentence`: an anchor, `requires`, one match that no
    void cancels."""
    if not any(anchor in sentence.lower for anchor in rule.anchors):
        return False
    if rule.requires is not None and not holds(rule.requires, _view_row(sentence, previous)):
        return False
    text = frame_of(sentence) if rule.read == "frame" else sentence.lower
    assert rule.pattern is not None
    for match in compiled(rule.pattern).finditer(text):
        if not any(_void_holds(v, text, match.start(), match.end()) for v in rule.voids):
            return True
    return False


def figure_rule_fires(rule: EventRule, sentence: Sentence, previous: str | None) -> bool:
    """Whether a figure rule fires: a figure of its metric types, `requires`, no void."""
    if not sentence.metric_types & set(rule.evidence):
        return False
    if rule.requires is not None and not holds(rule.requires, _view_row(sentence, previous)):
        return False
    return not any(_void_holds(v, sentence.lower, 0, 0) for v in rule.voids)


def article_hits(sentences: list[Sentence], rules: RuleSet) -> list[tuple[int, str]]:
    """(sentence index, rule id) of every event rule that fires in one article."""
    by_index = {s.index: s for s in sentences}
    hits = []
    for sentence in sentences:
        before = by_index.get(sentence.index - 1)
        previous = before.lower if before else None
        for rule in rules.events:
            fires = (
                pattern_rule_fires(rule, sentence, previous)
                if rule.pattern
                else figure_rule_fires(rule, sentence, previous)
            )
            if fires:
                hits.append((sentence.index, rule.id))
    return hits


def metric_rule(views: Mapping[str, Any], rules: RuleSet) -> str:
    """The id of the first metric rule (by priority) that holds for one figure's views."""
    for rule in rules.metrics:
        if holds(rule.when, views):
            return rule.id
    return DEFAULT_METRIC_RULE


def _sentences_by_article(
    sentences: pl.DataFrame, mentions: pl.DataFrame, entities: pl.DataFrame, figures: pl.DataFrame
) -> dict[str, list[Sentence]]:
    """The inputs, as plain Python objects grouped by article."""
    spans: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for m in mentions.select("article_id", "sentence_idx", "char_start", "char_end").iter_rows():
        spans[(m[0], m[1])].append((m[2], m[3]))
    products = {
        (e[0], e[1])
        for e in entities.filter(pl.col("entity_type") == "product")
        .select("article_id", "sentence_idx")
        .iter_rows()
    }
    metrics: dict[tuple[str, int], set[str]] = defaultdict(set)
    for f in figures.select("article_id", "sentence_idx", "metric_type").iter_rows():
        metrics[(f[0], f[1])].add(f[2])
    articles: dict[str, list[Sentence]] = defaultdict(list)
    for article_id, idx, start, shadow in sentences.select(
        "article_id", "sentence_idx", "char_start", "shadow"
    ).iter_rows():
        key = (article_id, idx)
        articles[article_id].append(
            Sentence(idx, start, shadow.lower(), spans[key], key in products, metrics[key])
        )
    return articles


def rule_stage_inputs(articles: pl.DataFrame, aliases: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """What both engines' rule stage reads, prepared by the vectorized upstream steps:
    sentences (with their shadow), mentions, entities, figures, and the figures' views."""
    from finnews.asciify import asciify
    from finnews.extract.figures import extract_figures
    from finnews.extract.run import CONTEXT_COLUMNS, extract_articles, sentence_context
    from finnews.extract.sentences import split_sentences

    extraction = extract_articles(articles, aliases)
    art = articles.lazy().select("article_id", "body", "published_date")
    views = extract_figures(
        sentence_context(art, split_sentences(art).collect()), CONTEXT_COLUMNS, views=True
    ).collect()
    return {
        "sentences": extraction.sentences.with_columns(asciify(pl.col("text")).alias("shadow")),
        "mentions": extraction.mentions,
        "entities": extraction.entities,
        "figures": extraction.figures,
        "views": views,
        "rule_hits": extraction.rule_hits,
    }


def reference_hits(
    sentences: pl.DataFrame,
    mentions: pl.DataFrame,
    entities: pl.DataFrame,
    figures: pl.DataFrame,
    rules: RuleSet | None = None,
) -> pl.DataFrame:
    """(article_id, sentence_idx, rule_id) for every event rule that fires, article by article.

    `sentences`: article_id, sentence_idx, char_start (in the body), shadow; `mentions`: body
    offsets; `entities`: entity_type; `figures`: metric_type."""
    rules = rules or load_rules()
    rows = [
        (article_id, idx, rule_id)
        for article_id, article in _sentences_by_article(
            sentences, mentions, entities, figures
        ).items()
        for idx, rule_id in article_hits(article, rules)
    ]
    return pl.DataFrame(
        rows,
        schema={"article_id": pl.String, "sentence_idx": pl.Int32, "rule_id": pl.String},
        orient="row",
    )


def reference_metric_rules(views: pl.DataFrame, rules: RuleSet | None = None) -> list[str]:
    """The metric rule id of every figure (rows of `extract_figures(..., views=True)`)."""
    rules = rules or load_rules()
    columns = list(METRIC_VIEWS.values())
    names = list(METRIC_VIEWS)
    return [
        metric_rule(dict(zip(names, row, strict=True)), rules)
        for row in views.select(columns).iter_rows()
    ]
