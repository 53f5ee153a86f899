"""Events per sentence from a typed trigger taxonomy, with date, companies and amount."""

from __future__ import annotations

import polars as pl

from finnews.asciify import asciify_pattern

# Trigger patterns on the lower-cased sentence. A sentence may carry several event types.
EVENT_TRIGGERS: dict[str, str] = {
    # Announced or reported: "legt die Zahlen ... vor", and a period's result stated
    # ("hat im dritten Quartal einen Umsatz von ... erzielt", "nach neun Monaten ... EBITDA").
    "earnings_release": r"quartalszahlen|geschäftszahlen|jahreszahlen|zahlen zum|zahlen für|ergebnisse für|ergebnisse zum|quartalsbericht|bilanzpressekonferenz|nächsten zahlen|zahlen (?:vorgelegt|vorgestellt|veröffentlicht)|legte .{0,40}zahlen vor|(?:im|für das|in seinem|in ihrem) (?:(?:erste|zweite|dritte|vierte|abgelaufene|jüngste)n? )?(?:geschäfts)?quartal .{0,80}(?:umsatz|gewinn|ergebnis|erträge|ebitda|erzielt|erwirtschaftet|verdient|gewachsen|aufträge|auftragseingang|setzte|gesteigert|steigerte)|(?:umsatz|gewinn|ergebnis|erträge|ebitda)\w*\s+(?:\w+\s+){0,5}im\s+(?:\w+\s+)?(?:geschäfts)?quartal\b|(?:nach|in) (?:den ersten )?(?:drei|sechs|neun) monaten .{0,80}(?:umsatz|gewinn|ergebnis|ebitda|erzielt|erwirtschaftet)",
    "merger_acquisition": r"fusion|fusioniert|übernahme|übernimmt|übernehmen|zusammenschluss|akquisition|trennt sich von|käufer ist|veräußer|abspaltung|verkauf (?:des|der|seines|ihres) [\w-]*(?:geschäft|sparte|tochter)",
    "partnership": r"partnerschaft|kooperation|zusammenarbeit|allianz mit|gemeinsam mit (?:dem|der|den)\b|vereinbarung mit|joint venture|gemeinschaftsunternehmen|liefervertrag|rahmenvertrag",
    "product_launch": r"stellte .{0,80}\bvor\b|stellt .{0,80}\bvor\b|auf den markt|enthüllt|präsentiert .{0,60}(modell|produkt|app|tool)|neues .{0,30}(modell|produkt|smartphone|fahrzeug)|markteinführung|marktstart|kommt .{0,60}in den handel|in den handel kommen",
    "investment": r"investiert|investieren|investitionsoffensive|investitionsprogramm|investitionen in|investitionen von",
    # Buying into a company, not holding a stake ("hält eine Beteiligung") or buying back.
    "stake_purchase": r"anteile im wert|kaufte anteile|anteil aufgestockt|beteiligung (?:an .{0,40})?(?:ausgebaut|aufgestockt|erhöht|erworben)|(?:erwirbt|erwarb|erwerben|kauft|kaufte|sichert sich) .{0,50}(?:beteiligung|anteile|aktien)\b|aktien (?:\w+ ){0,2}(?:erwerben|erworben)|stockt .{0,40}\bauf\b|einstieg (?:bei|der|des)\b|(?:hat|hatte) sich .{0,80}\bbeteiligt|beteiligte sich",
    "marketing_campaign": r"kampagne",
    "legal_action": r"klage|verklagt|gericht|rechtsstreit|steuerstreit|streit mit|verfahren gegen",
    "regulatory_action": r"regulierungsbehörde|aufsichtsbehörde|kartellamt|kartellbehörde|wettbewerbshüter|sanktion|exportbeschränkung|exportverbot|bafin|finanzaufsicht|bankenaufsicht|(?:zentralbank|ezb|aufsicht|behörde|kommission)(?: [a-z]+)? (?:prüft|untersucht|genehmigt|billigt|untersagt|verbietet|ordnet|ordnete|verhängt|verhängte)",
    "conference": r"konferenz|\bevent\b|messe\b|hauptversammlung|kongress|kapitalmarkttag|analystentag|investorentag|capital markets day",
    "expansion": r"rechenzentren .{0,60}(errichten|eröffnen|bauen|ausbauen)|kapazitäten .{0,40}ausbauen|eröffnet .{0,40}(werk|standort|filiale)|neues werk|expansionspläne|\bexpansion\b|expandier|markteintritt|(?:zentren|werke?|standorte?|produktion|filialnetz) .{0,50}(?:auszubauen|ausbauen|erweitern|zu erweitern)|ans netz (?:gehen|bringen|genommen)|in betrieb (?:nehmen|genommen)|(?:baut|errichtet|plant) .{0,60}(?:fabrik|werk\b|standort)",
}  # fmt: skip
EVENT_TYPES = list(EVENT_TRIGGERS)

# Sold-back shares are a buyback, not a stake purchase.
_NOT_A_STAKE = r"rückkauf|zurückgekauft|zurückkaufen|zurückzukaufen|\bzurück\b"
# "eine Übernahme sei derzeit nicht geplant": a trigger with a negation right after it, or
# "keine Übernahme" before it, is no event.
_NEGATION_AFTER = r"[^.]{0,40}\b(?:nicht|nie|keine?)\b"
_NEGATION_BEFORE = r"\b(?:keine?|kein[e]?n)\s+(?:\w+\s+){0,1}"
# "bei der Übernahme im Jahr 2010": a past event recalled, not news.
_PAST = r"[^.]{0,25}\b(?:im jahr (?:19|20)\d\d|vor (?:\w+ )?jahren)"
# Sentences about a group ("Chinas Tech-Riesen investieren in KI") without a company named
# in them: the event belongs to no single company, not to the article's main one.
_GROUP = r"(?:konzerne|riesen|giganten|firmen|rivalen|banken)\b"

# "Dann legt Alibaba die Zahlen ... vor": the date stood in the sentence before.
_BACK_REFERENCE = r"^(dann|dort|an diesem tag|an dem tag|zu diesem termin)\b"


def _fires(name: str, pattern: str) -> pl.Expr:
    """The lower-cased sentence (`_lower`) holds the trigger of event type `name`, and the
    trigger is neither negated nor a past event recalled; a buyback is no stake purchase."""
    trigger = f"(?:{pattern})"
    void = f"{trigger}{_NEGATION_AFTER}|{_NEGATION_BEFORE}{trigger}|{trigger}{_PAST}"
    if name == "stake_purchase":
        void = f"{void}|{_NOT_A_STAKE}"
    lower = pl.col("_lower")
    return lower.str.contains(asciify_pattern(pattern)) & ~lower.str.contains(asciify_pattern(void))


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
        .with_columns(_fires(name, pattern).alias(name) for name, pattern in EVENT_TRIGGERS.items())
        .unpivot(
            index=[*key, "char_start", "char_end", "text", "shadow", "_lower", "published_date"],
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
            pl.when(pl.col("companies").is_null() & pl.col("_lower").str.contains(_GROUP))
            .then(pl.lit(None, pl.String))
            .otherwise(
                pl.coalesce(pl.col("companies").list.get(0, null_on_oob=True), "main_company_id")
            )
            .alias("company_id"),
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
