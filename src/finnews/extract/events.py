"""Events per sentence from a typed trigger taxonomy, with date, companies and amount."""

from __future__ import annotations

import polars as pl

from finnews.asciify import asciify_pattern

# Trigger patterns on the lower-cased sentence. A sentence may carry several event types.
EVENT_TRIGGERS: dict[str, str] = {
    "earnings_release": r"quartalszahlen|geschäftszahlen|jahreszahlen|zahlen zum|zahlen für|ergebnisse für|ergebnisse zum|quartalsbericht|bilanzpressekonferenz|nächsten zahlen",
    "merger_acquisition": r"fusion|fusioniert|übernahme|übernimmt|übernehmen|zusammenschluss|akquisition",
    "partnership": r"partnerschaft|kooperation|zusammenarbeit|allianz mit",
    "product_launch": r"stellte .{0,80}\bvor\b|stellt .{0,80}\bvor\b|auf den markt|enthüllt|präsentiert .{0,60}(modell|produkt|app|tool)|neues .{0,30}(modell|produkt|smartphone|fahrzeug)|markteinführung",
    "investment": r"investiert|investieren|investitionsoffensive|investitionsprogramm|investitionen in|investitionen von",
    "stake_purchase": r"anteile im wert|kaufte anteile|anteil aufgestockt|beteiligung an",
    "marketing_campaign": r"kampagne",
    "legal_action": r"klage|verklagt|gericht|rechtsstreit",
    "regulatory_action": r"regulierungsbehörde|aufsichtsbehörde|kartellamt|sanktion|exportbeschränkung|exportverbot",
    "conference": r"konferenz|\bevent\b|messe\b|hauptversammlung|kongress|kapitalmarkttag",
    "expansion": r"rechenzentren .{0,60}(errichten|eröffnen|bauen|ausbauen)|kapazitäten .{0,40}ausbauen|eröffnet .{0,40}(werk|standort|filiale)|neues werk|expansionspläne",
}  # fmt: skip
EVENT_TYPES = list(EVENT_TRIGGERS)

# "Dann legt Alibaba die Zahlen ... vor": the date stood in the sentence before.
_BACK_REFERENCE = r"^(dann|dort|an diesem tag|an dem tag|zu diesem termin)\b"


def detect_events(
    sentences: pl.LazyFrame,
    dates: pl.LazyFrame,
    mentions: pl.LazyFrame,
    figures: pl.LazyFrame,
    main_company: pl.LazyFrame,
) -> pl.LazyFrame:
    """One row per (sentence, event type) whose trigger occurs in the sentence."""
    key = ["article_id", "sentence_idx"]
    ctx = pl.col("shadow").str.to_lowercase()
    any_trigger = "|".join(f"(?:{p})" for p in EVENT_TRIGGERS.values())
    flagged = (
        # One pass finds the few sentences with any trigger; only those are typed.
        sentences.with_columns(ctx.alias("_lower"))
        .filter(pl.col("_lower").str.contains(asciify_pattern(any_trigger)))
        .with_columns(
            pl.col("_lower").str.contains(asciify_pattern(pattern)).alias(name)
            for name, pattern in EVENT_TRIGGERS.items()
        )
        .unpivot(
            index=[*key, "char_start", "char_end", "text", "shadow", "published_date"],
            on=EVENT_TYPES,
            variable_name="event_type",
            value_name="hit",
        )
        .filter(pl.col("hit"))
        .drop("hit")
    )
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
    companies = (
        mentions.sort("char_start")
        .group_by(key)
        .agg(pl.col("company_id").unique(maintain_order=True).alias("companies"))
    )
    first_amount = (
        figures.filter(pl.col("kind") == "amount")
        .sort("char_start")
        .group_by(key)
        .agg(pl.col("figure_id").first())
    )
    back_ref = pl.col("shadow").str.to_lowercase().str.contains(_BACK_REFERENCE)
    return (
        flagged.join(first_date, on=key, how="left")
        .join(previous_date, on=key, how="left")
        .join(companies, on=key, how="left")
        .join(first_amount, on=key, how="left")
        .join(main_company, on="article_id", how="left")
        .with_columns(
            pl.when(pl.col("date_here").is_null() & back_ref)
            .then(pl.col("date_before"))
            .otherwise(pl.col("date_here"))
            .alias("event_date"),
            pl.coalesce(pl.col("companies").list.get(0, null_on_oob=True), "main_company_id").alias(
                "company_id"
            ),
            pl.col("companies").list.get(1, null_on_oob=True).alias("counterpart_company_id"),
        )
        .with_columns(
            pl.when(pl.col("event_type") != "earnings_release")
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
            "figure_id",
            pl.col("text").alias("evidence"),
        )  # fmt: skip
    )
