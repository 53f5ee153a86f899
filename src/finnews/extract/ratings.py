"""The analyst's reading of an analyst_rating event: broker, action, rating, targets.

The event rules (rules/events/analyst_rating.yaml) decide which sentences are ratings; this
module reads, from src/finnews/rules/ratings.yaml, who rated (the broker), what they did
(upgrade, downgrade, initiate, target_change, else confirm), the rating word in quotes or
the recommendation noun and its normalised rating (buy, hold, sell), and the targets (the
sentence's price_target figures: the last is the new one, a first one before it the old).
It also says which company mentions are brokers acting as analysts: they are never the
subject of the rated company's figures nor the actor of its events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl
import yaml

from finnews.lexicon import alternation
from finnews.slug import slug_expr
from finnews.spans import drop_overlapping, find_spans

RATINGS_FILE = Path(__file__).resolve().parents[1] / "rules" / "ratings.yaml"
ACTIONS = ("upgrade", "downgrade", "initiate", "target_change")
DEFAULT_ACTION = "confirm"
RATING_COLUMNS = [
    "broker", "broker_company_id", "rating_action", "rating_word", "rating", "price_target",
    "previous_target", "target_currency",
]  # fmt: skip
_QUOTES_OPEN, _QUOTES_CLOSE = "\"'„»“‚‘", "\"'“”«‘’"


@dataclass(frozen=True)
class Vocabulary:
    normalised: dict[str, str]  # rating word (lower case) -> buy | hold | sell
    actions: dict[str, str]  # action -> regex on the lower-cased sentence
    analyst_words: str
    brokers: dict[str, str]  # alias (lower case) -> broker name (rating agencies included)
    agencies: frozenset[str]  # the aliases (lower case) of rating agencies
    broker_pattern: str  # (?i) any broker alias as a word
    quoted: str  # any rating word in quotes
    media: frozenset[str]  # company ids of newspapers and magazines
    source_words: str  # words citing a source, on the lower-cased sentence
    broker_descriptors: str  # a broker's descriptor right before a name, on the lower-cased text


@lru_cache(maxsize=2)
def vocabulary(path: Path = RATINGS_FILE) -> Vocabulary:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    normalised = {w.lower(): r for r, words in data["ratings"].items() for w in words}
    unknown = set(data["actions"]) - set(ACTIONS)
    if unknown:
        raise ValueError(f"{path.name}: unknown actions {sorted(unknown)}")
    words = alternation(sorted(normalised, key=len, reverse=True))
    quoted = rf"[{_QUOTES_OPEN}]\s*(?:{words})\s*[{_QUOTES_CLOSE}]"
    actions = {a: data["actions"][a].replace("{rating}", quoted) for a in ACTIONS}
    for pattern in actions.values():
        re.compile(pattern)  # a bad pattern fails here, naming nothing worse than the file
    agencies = {
        alias.lower(): b["name"]
        for b in data.get("rating_agencies", [])
        for alias in [b["name"], *b["aliases"]]
    }
    brokers = {
        alias.lower(): b["name"] for b in data["brokers"] for alias in [b["name"], *b["aliases"]]
    } | agencies
    analyst = data["analyst_words"].replace("{rating}", quoted)
    pattern = rf"(?i)\b(?:{alternation(sorted(brokers, key=len, reverse=True))})\b"
    return Vocabulary(
        normalised, actions, analyst, brokers, frozenset(agencies), pattern, quoted,
        frozenset(data.get("media", [])), data.get("source_words", "$^"),
        data.get("broker_descriptors", "$^"),
    )  # fmt: skip


def flag_analysts(mentions: pl.DataFrame, sentences: pl.LazyFrame) -> pl.DataFrame:
    """`mentions` with `analyst`: the mention names a broker, in a sentence with analyst
    words ("Die Deutsche Bank hob das Kursziel ..."), or a newspaper cited as a source."""
    voc = vocabulary()
    lower = pl.col("text").str.to_lowercase()
    flagged_sentences = (
        sentences.select("article_id", "sentence_idx", "sent_start", "text")
        .with_columns(
            lower.str.contains(voc.analyst_words).alias("_analyst_sentence"),
            lower.str.contains(voc.source_words).alias("_source_sentence"),
        )
        .filter(pl.col("_analyst_sentence") | pl.col("_source_sentence"))
        .collect(engine="in-memory")
    )
    alias = pl.col("alias").str.to_lowercase()
    # "DZ-Bank-Analyst Herbert Sturm": a broker written with hyphens, in a compound naming its
    # analyst, is the broker ("Credit-Suisse-Aktie" is the bank's share, no analyst).
    follows = (
        pl.col("text")
        .str.slice(pl.col("char_end") - pl.col("sent_start"), 12)
        .str.to_lowercase()
        .fill_null("")
    )
    hyphenated_broker = alias.str.replace_all("-", " ", literal=True).is_in(
        list(voc.brokers)
    ) & follows.str.contains(r"^-(?:analyst|expert|research|strateg)")
    in_analyst_sentence = pl.col("_analyst_sentence").fill_null(False)
    # "Das Analysehaus Daiwa Securities hat das Rating ... geändert": called a broker.
    described = (
        pl.col("text")
        .str.slice(0, pl.col("char_start") - pl.col("sent_start"))
        .str.to_lowercase()
        .str.contains(voc.broker_descriptors)
        .fill_null(False)
    )
    # A rating agency that acts as one anywhere in the article is the analyst everywhere in
    # it; so is a newspaper cited anywhere in it the source everywhere.
    agency = (
        (in_analyst_sentence & alias.is_in(list(voc.agencies)))
        | (pl.col("_source_sentence").fill_null(False) & pl.col("company_id").is_in(list(voc.media)))
    ).any().over("article_id", "company_id")  # fmt: skip
    return (
        mentions.join(flagged_sentences, on=["article_id", "sentence_idx"], how="left")
        .with_columns(
            (
                (
                    in_analyst_sentence
                    & (alias.is_in(list(voc.brokers)) | hyphenated_broker | described)
                )
                | agency
            ).alias("analyst")
        )
        .drop("_analyst_sentence", "_source_sentence", "sent_start", "text")
    )


def _action() -> pl.Expr:
    lower = pl.col("_lower")
    voc = vocabulary()
    expr = pl.when(lower.str.contains(voc.actions[ACTIONS[0]])).then(pl.lit(ACTIONS[0]))
    for action in ACTIONS[1:]:
        expr = expr.when(lower.str.contains(voc.actions[action])).then(pl.lit(action))
    return expr.otherwise(pl.lit(DEFAULT_ACTION))


def read_ratings(
    events: pl.DataFrame, figures: pl.DataFrame, mentions: pl.DataFrame
) -> pl.DataFrame:
    """`events` with RATING_COLUMNS, filled for analyst_rating events (null for others)."""
    voc = vocabulary()
    key = ["article_id", "sentence_idx"]
    targets = (
        figures.filter(pl.col("metric_type") == "price_target")
        .sort("char_start")
        .group_by(key)
        .agg(
            pl.col("value").last().alias("price_target"),
            pl.when(pl.len() > 1).then(pl.col("value").first()).alias("previous_target"),
            pl.col("unit").last().alias("target_currency"),
        )
    )
    broker_ids = (
        mentions.filter(pl.col("analyst"))
        .sort("char_start")
        .group_by(key)
        .agg(pl.col("company_id").first().alias("broker_company_id"))
    )
    ratings = (
        events.filter(pl.col("event_type") == "analyst_rating")
        .select("event_id", *key, pl.col("evidence").str.to_lowercase().alias("_lower"))
        .with_columns(
            pl.col("_lower").str.extract_all(voc.quoted).list.last().alias("_quoted"),
            # The broker as the text names it (first broker alias in the sentence).
            pl.col("_lower")
            .str.extract(f"({voc.broker_pattern})", 1)
            .replace_strict(voc.brokers, default=None)
            .alias("broker"),
            _action().alias("rating_action"),
        )
        .with_columns(
            pl.coalesce(
                pl.col("_quoted").str.strip_chars(_QUOTES_OPEN + _QUOTES_CLOSE + " "),
                pl.col("_lower").str.extract(
                    r"\b(kaufempfehlung|verkaufsempfehlung|halteempfehlung)\b", 1
                ),
            ).alias("rating_word")
        )
        .with_columns(
            pl.col("rating_word").replace_strict(voc.normalised, default=None).alias("rating")
        )
        .join(targets, on=key, how="left")
        .join(broker_ids, on=key, how="left")
        .select("event_id", *RATING_COLUMNS)
    )
    return events.join(ratings, on="event_id", how="left")


def broker_mentions(ctx: pl.LazyFrame, mentions: pl.DataFrame) -> pl.DataFrame:
    """A company mention for each broker of ratings.yaml named in a sentence with analyst
    words and not already a mention ("Oddo BHF hebt ...", "Berenberg senkt ..."): the
    broker is a company named in the article (rule company.broker, id from its name or,
    when a seed alias names it, that company), flagged as analyst."""
    voc = vocabulary()
    key = ["article_id", "sentence_idx"]
    spans = (
        find_spans(
            ctx.filter(pl.col("text").str.to_lowercase().str.contains(voc.analyst_words)),
            "text",
            voc.broker_pattern,
            [*key, "sent_start"],
        )
        .with_columns(
            (pl.col("char_start") + pl.col("sent_start")).alias("char_start"),
            (pl.col("char_end") + pl.col("sent_start")).alias("char_end"),
        )
        .collect(engine="in-memory")
    )
    if spans.is_empty():
        return mentions
    name = pl.col("surface").str.to_lowercase().replace_strict(voc.brokers, default=None)
    added = (
        drop_overlapping(spans, mentions, tuple(key))
        .with_columns(
            pl.concat_str("article_id", pl.lit(":m:"), pl.col("char_start").cast(pl.String)).alias(
                "mention_id"
            ),
            pl.col("surface").alias("alias"),
            slug_expr(name).alias("company_id"),
            pl.lit("company.broker").alias("rule_id"),
            pl.lit(False).alias("held"),
            pl.lit(False).alias("after_und"),
            pl.lit(False).alias("no_actor"),
            pl.lit(True).alias("analyst"),
        )
        .select(mentions.columns)
    )
    return pl.concat([mentions, added]).sort("article_id", "char_start")
