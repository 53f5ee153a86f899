"""Events per sentence from the event rule files, with date, companies and amount.

Which sentences are events, of which type, and by which rule, is decided by the generic
engine (event_rules.py) from src/finnews/rules/events/; this module adds what every event
carries: its date and status, its company and counterpart, the figure that evidences it.
"""

from __future__ import annotations

import polars as pl

from finnews.rules import load_rules

RULES = load_rules()
EVENT_TYPES = list(RULES.event_types)

# Figures that are themselves evidence of an event, whatever verb the sentence uses (the
# rule files' `evidence`): a deal's price, a stake bought, an investment programme, a
# campaign's budget, a period's results. An event points to the first such figure and may
# take its subject company.
FIGURE_EVENTS: dict[str, str] = {
    metric: rule.event_type for rule in RULES.events for metric in rule.evidence
}
# The columns each actor source of the rule files reads (events.py `detect_events`).
_ACTOR_COLUMNS = {
    "named_first": "actor", "figure_subject": "figure_company_id",
    "article_main": "main_company_id", "previous_named": "previous_actor",
}  # fmt: skip
# Sentences about a group ("Chinas Tech-Riesen investieren in KI") without a company named
# in them: the event belongs to no single company, not to the article's main one.
_GROUP = r"(?:konzerne|riesen|giganten|firmen|rivalen|banken)\b"
# "Dann legt Alibaba die Zahlen ... vor": the date stood in the sentence before.
_BACK_REFERENCE = r"^(dann|dort|an diesem tag|an dem tag|zu diesem termin)\b"


def _figure_events(figures: pl.LazyFrame) -> pl.LazyFrame:
    """(sentence, event type) pairs a figure evidences, with its first such figure and that
    figure's subject company."""
    return (
        figures.with_columns(
            pl.col("metric_type").replace_strict(FIGURE_EVENTS, default=None).alias("event_type")
        )
        .filter(pl.col("event_type").is_not_null())
        .sort("char_start")
        .group_by("article_id", "sentence_idx", "event_type")
        .agg(
            pl.col("figure_id").first().alias("evidenced_by"),
            pl.col("company_id").first().alias("figure_company_id"),
        )
    )


# Types whose events get a status from their date (`status: by_date` in the rule file).
_DATED_TYPES = [t.name for t in RULES.types.values() if t.status == "by_date"]


def _actor() -> pl.Expr:
    """Each event type's actor: the first of its rule file's `roles.actor` sources known."""
    types = list(RULES.types.values())
    expr = pl.when(pl.col("event_type") == types[0].name).then(
        pl.coalesce(*(_ACTOR_COLUMNS[a] for a in types[0].actor))
    )
    for t in types[1:]:
        expr = expr.when(pl.col("event_type") == t.name).then(
            pl.coalesce(*(_ACTOR_COLUMNS[a] for a in t.actor))
        )
    return expr.otherwise(None)


# Types whose every company named as an actor gets its own event (`roles.each_named`).
_EACH_NAMED = [t.name for t in RULES.types.values() if t.each_named]


_NEVER = pl.DataFrame(
    [(t.name, c) for t in RULES.types.values() for c in t.never],
    schema={"event_type": pl.String, "company_id": pl.String},
    orient="row",
)


def _each_named(events: pl.LazyFrame) -> pl.LazyFrame:
    """One event per actor named in the sentence, for the `_EACH_NAMED` types with more
    than one ("In den MDax steigen A, B und C auf"): each its own id, none the other's
    counterpart. Every other event stays as it is."""
    each = pl.col("event_type").is_in(_EACH_NAMED) & (pl.col("actors").list.len() > 1)
    return (
        events.with_columns(
            each.fill_null(False).alias("_each"),
            pl.when(each).then("actors").otherwise(pl.concat_list("company_id")).alias("_who"),
        )
        .explode("_who")
        .with_columns(
            pl.col("_who").alias("company_id"),
            pl.when("_each").then(None).otherwise("counterpart_company_id")
            .alias("counterpart_company_id"),
            pl.when("_each")
            .then(pl.concat_str("event_id", pl.lit(":"), "_who"))
            .otherwise("event_id")
            .alias("event_id"),
        )
        .drop("_each", "_who")
    )  # fmt: skip


def winning_rules(fired: pl.DataFrame) -> pl.DataFrame:
    """One row per (sentence, event type): the fired rule of lowest priority names it."""
    table = pl.DataFrame(
        [(r.id, r.event_type, r.priority) for r in RULES.events],
        schema={"rule_id": pl.String, "event_type": pl.String, "priority": pl.Int64},
        orient="row",
    )
    return (
        fired.join(table, on="rule_id")
        .sort("priority", "rule_id")
        .group_by("article_id", "sentence_idx", "event_type", maintain_order=True)
        .agg(pl.col("rule_id").first())
    )


def detect_events(
    sentences: pl.LazyFrame,
    dates: pl.LazyFrame,
    mentions: pl.LazyFrame,
    figures: pl.LazyFrame,
    main_company: pl.LazyFrame,
    fired: pl.DataFrame,
) -> pl.LazyFrame:
    """One row per (sentence, event type) where a rule of that type fired (`fired`, from
    `event_rules.fired_rules`).

    `sentences` needs shadow, text and published_date.
    """
    key = ["article_id", "sentence_idx"]
    # Only the event sentences are lower-cased (for the back reference and group words).
    flagged = (
        sentences.select(*key, "char_start", "char_end", "text", "published_date", "shadow")
        .join(winning_rules(fired).lazy(), on=key)
        .with_columns(pl.col("shadow").str.to_lowercase().alias("_lower"))
        .drop("shadow")
    )
    evidenced = _figure_events(figures)
    first_date = (
        dates.sort("char_start")
        .group_by(key)
        .agg(pl.col("value_date").first().alias("date_here"), pl.col("alt_date").first())
    )
    previous_date = first_date.select(
        "article_id",
        (pl.col("sentence_idx") + 1).alias("sentence_idx"),
        pl.col("date_here").alias("date_before"),
    )
    actor = ~pl.col("no_actor") & ~pl.col("analyst").fill_null(False)
    companies = (
        mentions.sort("char_start")
        .group_by(key)
        .agg(
            pl.col("company_id").unique(maintain_order=True).alias("companies"),
            # Not a partner named after "mit", nor a broker acting as analyst.
            pl.col("company_id")
            .filter(actor & (pl.col("rule_id") != "company.discovered"))
            .first()
            .alias("actor"),
            # Every one that can act, for the types with an event per company named.
            pl.col("company_id")
            .filter(actor & (pl.col("rule_id") != "company.discovered"))
            .unique(maintain_order=True)
            .alias("actors"),
            # A discovered organisation acts only where no company of the seed does (in
            # the sentence, by its figure or as the article's main company).
            pl.col("company_id").filter(actor).first().alias("discovered_actor"),
        )
    )
    first_amount = (
        figures.filter(pl.col("kind") == "amount")
        .sort("char_start")
        .group_by(key)
        .agg(pl.col("figure_id").first())
    )
    back_ref = pl.col("_lower").str.contains(_BACK_REFERENCE)
    return (
        flagged.join(first_date, on=key, how="left")
        .join(previous_date, on=key, how="left")
        .join(companies, on=key, how="left")
        # The company acting in the sentence before: "ING muss Staatshilfe nehmen. Um ...
        # sollen 7.000 Arbeitsplätze abgebaut werden."
        .join(
            companies.select(
                "article_id",
                (pl.col("sentence_idx") + 1).alias("sentence_idx"),
                pl.col("actor").alias("previous_actor"),
            ),
            on=key,
            how="left",
        )
        .join(first_amount, on=key, how="left")
        .join(evidenced, on=[*key, "event_type"], how="left")
        .join(main_company, on="article_id", how="left")
        .with_columns(
            pl.when(pl.col("date_here").is_null() & back_ref)
            .then(pl.col("date_before"))
            .otherwise(pl.col("date_here"))
            .alias("event_date"),
            pl.when(pl.col("companies").is_null() & pl.col("_lower").str.contains(_GROUP))
            .then(pl.lit(None, pl.String))
            # The actor is named first ("Siemens bietet den Altair-Aktionären 113 Dollar je
            # Aktie": the offer price is Altair's, the deal Siemens's). A company named
            # after "mit" is the partner: the actor is the next one named, else the
            # article's ("der Konzern arbeitet mit Nvidia zusammen"). Each type's order of
            # sources is in its rule file (`roles.actor`).
            .otherwise(pl.coalesce(_actor(), "discovered_actor"))
            .alias("company_id"),
        )
        .with_columns(
            pl.when(pl.col("companies").list.get(0, null_on_oob=True) != pl.col("company_id"))
            .then(pl.col("companies").list.get(0, null_on_oob=True))
            .otherwise(pl.col("companies").list.get(1, null_on_oob=True))
            .alias("counterpart_company_id"),
        )
        .with_columns(
            pl.when(~pl.col("event_type").is_in(_DATED_TYPES))
            .then(None)
            .when(pl.col("event_date").is_null())
            .then(pl.lit("announced"))
            .when(pl.col("event_date") >= pl.col("published_date"))
            .then(pl.lit("scheduled"))
            .otherwise(pl.lit("reported"))
            .alias("status"),
            pl.concat_str(
                pl.col("article_id"),
                pl.lit(":e:"),
                pl.col("char_start").cast(pl.String),
                pl.lit(":"),
                pl.col("event_type"),
            ).alias("event_id"),
        )  # fmt: skip
        .pipe(_each_named)
        # An index provider announces an index change; it never makes one (`roles.never`).
        .join(_NEVER.lazy(), on=["event_type", "company_id"], how="anti", nulls_equal=False)
        # An event of no company, outside a sentence about a group of them, is news about
        # politics or the economy (real newspaper text), not a company's event.
        .filter(pl.col("company_id").is_not_null() | pl.col("_lower").str.contains(_GROUP))
        .select(
            "event_id",
            "article_id",
            "sentence_idx",
            "char_start",
            "char_end",
            "event_type",
            "event_date",
            "alt_date",
            "status",
            "company_id",
            "counterpart_company_id",
            pl.coalesce("evidenced_by", "figure_id").alias("figure_id"),
            "rule_id",
            pl.col("text").alias("evidence"),
        )  # fmt: skip
    )
