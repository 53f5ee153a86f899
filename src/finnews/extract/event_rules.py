"""The generic event engine: every event rule of src/finnews/rules/events/, no per-type code.

1. One Aho-Corasick pass (`str.extract_many`) over the lower-cased shadow of every sentence
   finds all rules' literal anchors: candidate (sentence, rule) pairs.
2. Each rule's regex runs only on its candidates, on the sentence or on its frame (the
   sentence with every company mention, by its offsets, replaced by "@"). Every match is
   checked against the rule's voids: in a window before or after the match, or anywhere in
   the sentence. A rule fires where one match survives and its `requires` holds.
3. Rules fired by figures (`evidence`) take their candidates from the figures' metric types.

The reference engine (finnews.rules.reference) interprets the same files with plain Python;
the two must agree row for row (tests/test_rule_engines.py).
"""

from __future__ import annotations

import polars as pl

from finnews.rules import EventRule, RuleSet, Void
from finnews.rules.conditions import to_expr
from finnews.spans import find_spans

KEY = ["article_id", "sentence_idx"]
# The views event rules' conditions read, by column.
EVENT_VIEWS = {
    "sentence": "_lower", "previous": "_previous", "frame": "_frame",
    "entity:product": "_product",
}  # fmt: skip


def anchor_table(rules: RuleSet) -> pl.DataFrame:
    """(anchor, rule_id) for every pattern rule."""
    pairs = [(a, r.id) for r in rules.events if r.pattern for a in r.anchors]
    return pl.DataFrame(pairs, schema={"anchor": pl.String, "rule_id": pl.String}, orient="row")


def candidates(lower: pl.LazyFrame, rules: RuleSet) -> pl.LazyFrame:
    """(article_id, sentence_idx, rule_id) where one of the rule's anchors occurs."""
    table = anchor_table(rules)
    found = lower.select(
        *KEY,
        pl.col("_lower")
        .str.extract_many(table["anchor"].unique().to_list(), overlapping=True)
        .list.unique()
        .alias("anchor"),
    )
    return (
        found.filter(pl.col("anchor").list.len() > 0)
        .explode("anchor")
        .join(table.lazy(), on="anchor")
        .select(*KEY, "rule_id")
        .unique()
    )


def frames(texts: pl.LazyFrame, mentions: pl.LazyFrame) -> pl.LazyFrame:
    """`_frame`: each sentence's `_lower` with every company mention replaced by "@"
    (mentions in body offsets, sentences with `sent_start`), from the mention offsets."""
    spans = (
        mentions.select(*KEY, "char_start", "char_end")
        .join(texts.select(*KEY, "sent_start", "_lower"), on=KEY)
        .select(
            *KEY,
            "_lower",
            (pl.col("char_start") - pl.col("sent_start")).alias("_s"),
            (pl.col("char_end") - pl.col("sent_start")).alias("_e"),
        )
        .sort(*KEY, "_s")
        # (Mentions never overlap; the clip keeps a malformed input from failing the slice.)
        .with_columns(
            pl.min_horizontal(pl.col("_e").shift(1).over(KEY).fill_null(0), "_s").alias("_prev")
        )
    )
    masked = (
        spans.with_columns(
            (
                pl.col("_lower").str.slice(pl.col("_prev"), pl.col("_s") - pl.col("_prev")) + "@"
            ).alias("_piece")
        )
        .group_by(KEY, maintain_order=True)
        .agg(pl.col("_piece").str.join(""), pl.col("_e").last(), pl.col("_lower").first())
        .select(*KEY, (pl.col("_piece") + pl.col("_lower").str.slice(pl.col("_e"))).alias("_m"))
    )
    return (
        texts.join(masked, on=KEY, how="left")
        .with_columns(pl.coalesce("_m", "_lower").alias("_frame"))
        .drop("_m")
    )


def _window(void: Void, text: pl.Expr) -> pl.Expr:
    """The text a void reads: before or after the match (`_s`, `_e`), or the sentence."""
    if void.scope == "after":
        return text.str.slice(pl.col("_e"), void.window)
    if void.scope == "before":
        width = pl.min_horizontal(pl.col("_s"), pl.lit(void.window))
        return text.str.slice(pl.col("_s") - width, width)
    return text


def voided(voids: tuple[Void, ...], text: pl.Expr) -> pl.Expr:
    """Whether any void holds for a match (or, for sentence voids alone, a sentence)."""
    out = pl.lit(False)
    for void in voids:
        hit = _window(void, text).str.contains(void.pattern)
        if void.unless:
            hit = hit & ~text.str.contains(void.unless)
        out = out | hit
    return out


def _requires(rule: EventRule) -> pl.Expr:
    return pl.lit(True) if rule.requires is None else to_expr(rule.requires, EVENT_VIEWS)


def _column(rule: EventRule) -> str:
    return "_frame" if rule.read == "frame" else "_lower"


def _views(cond: object) -> set[str]:
    """The views a condition reads."""
    if not isinstance(cond, tuple) or not cond:
        return set()
    if cond[0] == "match":
        return {cond[1]}
    if cond[0] == "not":
        return _views(cond[1])
    if cond[0] in ("all", "any"):
        return set().union(*(_views(c) for c in cond[1]))
    return set()


def _reads_frame(rule: EventRule) -> bool:
    return rule.read == "frame" or "frame" in _views(rule.requires)


def _pattern_rule(rule: EventRule, texts: pl.DataFrame) -> pl.LazyFrame:
    """The matches of `rule` in its candidate sentences (`texts`) that no sentence void
    cancels: article_id, sentence_idx, rule_id and, when the rule has window voids, each
    match's span (`_s`, `_e`) and the text read (`_text`)."""
    column = _column(rule)
    assert rule.pattern is not None
    # Most candidates hold an anchor but no match: one plain pass (eager, so that the
    # conditions below are not fused into it) drops them; only the sentences that match
    # are judged by the rule's requires and sentence voids, and located (two passes) for
    # the window voids.
    matched = texts.filter(pl.col(column).str.contains(rule.pattern))
    sentence_void = voided(tuple(v for v in rule.voids if v.scope == "sentence"), pl.col(column))
    matching = matched.lazy().filter(_requires(rule) & ~sentence_void)
    if all(void.scope == "sentence" for void in rule.voids):
        return matching.select(*KEY).unique().with_columns(pl.lit(rule.id).alias("rule_id"))
    return (
        find_spans(matching, column, rule.pattern, [*KEY, column], column).select(
            *KEY,
            pl.lit(rule.id).alias("rule_id"),
            pl.col("char_start").alias("_s"),
            pl.col("char_end").alias("_e"),
            pl.col(column).alias("_text"),
        )  # fmt: skip
    )


def _window_voids(rules: RuleSet, matches: pl.LazyFrame) -> pl.LazyFrame:
    """(article_id, sentence_idx, rule_id) of the matches no window void cancels; each void
    is judged once over all rules' matches."""
    windows = {v for r in rules.events if r.pattern for v in r.voids if v.scope != "sentence"}
    cancelled = pl.any_horizontal(
        pl.lit(False),
        *(
            pl.col("rule_id").is_in([r.id for r in rules.events if void in r.voids])
            & voided((void,), pl.col("_text"))
            for void in sorted(windows, key=lambda v: v.name)
        ),
    )
    return matches.filter(~cancelled).select(*KEY, "rule_id").unique()


def _figure_rules(rules: RuleSet, texts: pl.LazyFrame, figures: pl.LazyFrame) -> pl.LazyFrame:
    """Sentences where a rule fired by figures fires: a figure of one of its metric types,
    its `requires` holding and none of its voids in the sentence."""
    evidence = pl.DataFrame(
        [(m, r.id) for r in rules.events if r.evidence for m in r.evidence],
        schema={"metric_type": pl.String, "rule_id": pl.String},
        orient="row",
    )
    pairs = (
        figures.select(*KEY, "metric_type")
        .join(evidence.lazy(), on="metric_type")
        .select(*KEY, "rule_id")
        .unique()
        .join(texts, on=KEY)
    )
    fires = pl.lit(False)
    for rule in (r for r in rules.events if r.evidence):
        holds = _requires(rule) & ~voided(rule.voids, pl.col("_lower"))
        fires = fires | ((pl.col("rule_id") == rule.id) & holds)
    return pairs.filter(fires).select(*KEY, "rule_id")


def fired_rules(
    sentences: pl.LazyFrame,
    mentions: pl.LazyFrame,
    entities: pl.LazyFrame,
    figures: pl.LazyFrame,
    rules: RuleSet,
) -> pl.DataFrame:
    """(article_id, sentence_idx, rule_id) for every event rule that fires.

    `sentences` needs article_id, sentence_idx, sent_start (offset into the body) and
    shadow; `mentions` body offsets; `entities` entity_type; `figures` metric_type."""
    lower = sentences.select(
        *KEY, "sent_start", pl.col("shadow").str.to_lowercase().alias("_lower")
    ).collect(engine="in-memory")
    previous = lower.select(
        "article_id", (pl.col("sentence_idx") + 1).alias("sentence_idx"),
        pl.col("_lower").alias("_previous"),
    )  # fmt: skip
    products = (
        entities.filter(pl.col("entity_type") == "product")
        .select(*KEY, pl.lit(True).alias("_product"))
        .unique()
    )
    # What the rules' conditions read of every sentence; the pattern rules' candidates
    # also get their frame.
    context = (
        lower.lazy()
        .join(previous.lazy(), on=KEY, how="left")
        .join(products, on=KEY, how="left")
        .with_columns(pl.col("_product").fill_null(False))
    )
    found = candidates(lower.lazy(), rules).collect(engine="in-memory")
    texts = context.join(found.select(KEY).unique().lazy(), on=KEY, how="semi").collect(
        engine="in-memory"
    )
    # The frame (each company mention masked) only for the candidates of the few rules
    # that read it, not for every candidate sentence.
    framed = pl.col("rule_id").is_in(sorted(r.id for r in rules.events if _reads_frame(r)))
    framed_found = found.filter(framed)
    framed_texts = frames(
        texts.lazy().join(framed_found.select(KEY).unique().lazy(), on=KEY, how="semi"), mentions
    ).collect(engine="in-memory")
    by_rule = found.filter(~framed).join(texts, on=KEY).partition_by("rule_id", as_dict=True)
    by_rule |= framed_found.join(framed_texts, on=KEY).partition_by("rule_id", as_dict=True)
    located = [r for r in rules.events if r.pattern and (r.id,) in by_rule]
    sentence_only = [r for r in located if all(v.scope == "sentence" for v in r.voids)]
    windowed = [r for r in located if r not in sentence_only]
    plans = [_pattern_rule(rule, by_rule[(rule.id,)]) for rule in sentence_only]
    if windowed:
        matches = pl.concat([_pattern_rule(rule, by_rule[(rule.id,)]) for rule in windowed])
        plans.append(_window_voids(rules, matches))
    plans.append(_figure_rules(rules, context, figures))
    return pl.concat(plans).collect(engine="in-memory")
