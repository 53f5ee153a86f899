"""People (with role), products, places and unknown organisation candidates, per sentence.

Everything is a regex over the sentence text run by `find_spans` (polars, vectorized):

- person: a role word followed by two or three capitalized names ("CEO Eddie Wu",
  "Nvidia-Chef Jensen Huang", "Finanzchef Toby Xu"); the role is kept.
- product: a capitalized name after a product noun ("App Qwen", "KI-Modell Qwen3-Max",
  "Elektroauto SU7"), or a model-like name mixing letters and digits ("GPT-5", "iPhone 17").
- place: a gazetteer of places German stock news names (cities, countries, regions).
- organisation_candidate: a capitalized name after an organisation cue ("Startup Manus",
  "Entwickler Zhipu", "Tochter Cainiao") that is no gazetteer company: surfaced for curation
  (`rpt_unknown_organisations`), never dropped silently.
"""

from __future__ import annotations

import polars as pl

from finnews.lexicon import alternation
from finnews.spans import find_spans

_NAME = r"[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?"
ROLES = [
    "CEO", "CFO", "CTO", "Chef", "Konzernchef", "Vorstandschef", "Firmenchef", "Finanzchef",
    "Technikchef", "Gründer", "Mitgründer", "Präsident", "Präsidentin", "Vorstand",
    "Vorstandsvorsitzende", "Vorstandsvorsitzender", "Aufsichtsratschef", "Analyst",
    "Analystin", "Fondsmanager", "Fondsmanagerin", "Chefin", "Gründerin",
]  # fmt: skip
PERSON = rf"\b(?P<role>{alternation(ROLES)})\s+(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}})"

PRODUCT_NOUNS = [
    "App", "Chatbot", "KI-Modell", "Sprachmodell", "Modell", "Chip", "KI-Chip", "Smartphone",
    "Elektroauto", "Plattform", "Software", "Dienst", "Konsole", "Medikament", "Wirkstoff",
    "Abnehmspritze", "Assistent", "KI-Assistent", "Brille",
]  # fmt: skip
_MODEL_NAME = r"[A-Za-z][A-Za-z]*[0-9][\w.-]*|[A-Z][a-z]+[A-Z][\w-]*"
PRODUCT = (
    rf"\b(?:{alternation(PRODUCT_NOUNS)})\s+(?P<product>[A-Z][\w.-]*(?:\s(?:{_MODEL_NAME}))?)"
    rf"|\b(?P<model>(?:iPhone|Pixel|Galaxy|Model|GPT|Gemini|Claude|Llama|Qwen|DeepSeek)"
    rf"[- ]?[0-9][\w.-]*)"
)

PLACES = [
    "China", "Peking", "Shanghai", "Shenzhen", "Hangzhou", "Hongkong", "Taiwan", "Japan",
    "Südkorea", "Indien", "Singapur", "Asien", "USA", "Vereinigte Staaten", "Amerika",
    "Kalifornien", "Texas", "New York", "Washington", "Silicon Valley", "Kanada", "Mexiko",
    "Brasilien", "Europa", "EU", "Deutschland", "Frankreich", "Großbritannien", "London",
    "Paris", "Brüssel", "Schweiz", "Zürich", "Österreich", "Wien", "Italien", "Spanien",
    "Niederlande", "Amsterdam", "München", "Frankfurt", "Berlin", "Hamburg", "Stuttgart",
    "Wolfsburg", "Walldorf", "Düsseldorf", "Köln", "Bremen", "Dresden", "Leipzig",
    "Ingolstadt", "Russland", "Ukraine", "Israel", "Saudi-Arabien", "Dubai", "Afrika",
    "Australien", "Vietnam", "Thailand", "Indonesien", "Malaysia", "Polen", "Ungarn",
]  # fmt: skip
PLACE = rf"\b(?P<place>{alternation(PLACES)})s?\b"

ORG_CUES = [
    "Startup", "Start-up", "Entwickler", "Tochter", "Tochterfirma", "Konzern", "Hersteller",
    "Anbieter", "Spezialist", "Zulieferer", "Rivale", "Konkurrent", "Wettbewerber",
    "Plattformbetreiber", "Fintech", "Biotech-Firma", "Firma", "Unternehmen", "Chipentwickler",
    "Autobauer", "Softwarehaus", "Investor", "Finanzinvestor", "Fonds",
]  # fmt: skip
# An organisation name: capitalized, and not a plain German word of the sentence ("Konzern
# Umsatz ..." is no name): it must carry a capital or digit inside, or stand before a verb,
# comma or bracket, or the end of the sentence.
ORG = (
    rf"\b(?:{alternation(ORG_CUES)})(?:s|en)?\s+"
    r"(?P<org>[A-Z][A-Za-z0-9]*(?:[A-Z0-9.&][A-Za-z0-9.&]*)+|[A-Z][a-z]+)"
    r"(?:[A-Z0-9.&][A-Za-z0-9.&]*)?(?P<after>[,;:)(]|\s[a-z]|[.!?]?$)"
)
# Capitalized sentence words that are no organisation names.
_NOT_ORGS = {
    "Die", "Der", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Einen", "Im", "In", "Mit",
    "Auch", "Und", "Nach", "Vor", "Bei", "Von", "Zum", "Zur", "Aus", "Laut", "Seit", "Ende",
    "Anfang", "Sein", "Ihr", "Ihre", "Sie", "Er", "Es",
}  # fmt: skip

ENTITY_TYPES = ["person", "product", "place", "organisation_candidate"]


def _spans(sentences: pl.LazyFrame, pattern: str, keep: list[str]) -> pl.LazyFrame:
    return find_spans(sentences, "text", pattern, keep, shadow_col="shadow")


def extract_entities(
    sentences: pl.LazyFrame, aliases: pl.DataFrame, keep: list[str]
) -> pl.LazyFrame:
    """One row per entity: entity_type, name, role (people), offsets relative to `text`."""
    known = aliases["alias"].to_list()
    columns = [*keep, "char_start", "char_end", "entity_type", "name", "role"]
    people = _spans(sentences, PERSON, keep).with_columns(pl.lit("person").alias("entity_type"))
    # The name alone is the evidence: shift the span past the role.
    people = people.with_columns(
        (pl.col("char_end") - pl.col("name").str.len_chars().cast(pl.Int64)).alias("char_start")
    )
    products = (
        _spans(sentences, PRODUCT, keep)
        .with_columns(pl.coalesce("product", "model").alias("name"))
        .with_columns(
            (pl.col("char_end") - pl.col("name").str.len_chars().cast(pl.Int64)).alias(
                "char_start"
            ),
            pl.lit("product").alias("entity_type"),
            pl.lit(None, pl.String).alias("role"),
        )
        .filter(~pl.col("name").is_in(known))
    )
    places = _spans(sentences, PLACE, keep).with_columns(
        pl.col("place").alias("name"),
        # "Europas": the genitive s is matched but is not part of the name.
        (pl.col("char_start") + pl.col("place").str.len_chars().cast(pl.Int64)).alias("char_end"),
        pl.lit("place").alias("entity_type"),
        pl.lit(None, pl.String).alias("role"),
    )
    orgs = (
        _spans(sentences, ORG, keep)
        .with_columns(
            pl.col("org").str.strip_chars_end(".").alias("name"),
            pl.lit("organisation_candidate").alias("entity_type"),
            pl.lit(None, pl.String).alias("role"),
        )
        # The cue words are ASCII, so the byte offset of the name in the match is its
        # character offset.
        .with_columns(
            (
                pl.col("char_start")
                + pl.col("surface").str.find(pl.col("org"), literal=True).cast(pl.Int64)
            ).alias("char_start")
        )
        .with_columns(
            (pl.col("char_start") + pl.col("name").str.len_chars().cast(pl.Int64)).alias("char_end")
        )
        .filter(~pl.col("name").is_in(known) & ~pl.col("name").is_in(list(_NOT_ORGS)))
        .filter(~pl.col("name").str.strip_chars_end("s").is_in(known))
    )
    return pl.concat(
        [frame.select(columns) for frame in (people, products, places, orgs)], how="vertical"
    )
