"""Company mentions from the gazetteer (dbt seed `companies.csv`): names, aliases, inflections."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from finnews.lexicon import alternation
from finnews.spans import find_spans, shadow_before


def load_gazetteer(path: Path) -> pl.DataFrame:
    """The seed table, one row per company; `aliases` is a `|`-separated list."""
    frame = pl.read_csv(path, infer_schema=False)
    missing = {"company_id", "name", "aliases"} - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: company seed lacks columns {sorted(missing)}")
    return frame


def alias_table(gazetteer: pl.DataFrame) -> pl.DataFrame:
    """One row per (alias, company_id), the official name included."""
    aliases = (
        gazetteer.select(
            "company_id",
            pl.concat_list(pl.col("name"), pl.col("aliases").fill_null("").str.split("|")).alias(
                "alias"
            ),
        )
        .explode("alias")
        .with_columns(pl.col("alias").str.strip_chars())
        .filter(pl.col("alias") != "")
    )
    # An adjective in the name declines: "der Deutschen Börse", "bei der Deutschen Bank".
    declined = aliases.filter(pl.col("alias").str.contains(r"^\w+sche ")).with_columns(
        pl.col("alias").str.replace(r"^(\w+sche) ", "${1}n ")
    )
    return pl.concat([aliases, declined]).unique(["alias"], keep="first", maintain_order=True)


def mention_pattern(aliases: pl.DataFrame) -> str:
    # Genitive "Alibabas"; "Alibaba-Aktie" matches "Alibaba" because "-" is a word boundary.
    return rf"\b(?P<alias>{alternation(aliases['alias'].to_list())})s?\b"


def extract_mentions(
    sentences: pl.LazyFrame, aliases: pl.DataFrame, keep: list[str]
) -> pl.LazyFrame:
    """Company mentions per sentence, with the company they resolve to."""
    spans = find_spans(sentences, "text", mention_pattern(aliases), keep, shadow_col="shadow")
    # "eine Beteiligung an OpenAI im Wert von ...": OpenAI is what is held, not who holds it.
    held = shadow_before(30).str.to_lowercase().str.contains(_HELD)
    # "Broadcom und OpenAI wollen ...": whether " und " stands right before the mention
    # (the subject rule then looks for the company that ends there).
    after_und = shadow_before(5) == " und "
    # "Dafür arbeitet der Konzern eng mit Nvidia zusammen": Nvidia is the partner, not the
    # one who acts (events then take the next company named, or the article's).
    after_mit = shadow_before(40).str.to_lowercase().str.contains(_AFTER_MIT)
    return spans.join(aliases.lazy(), on="alias", how="inner").with_columns(
        held.alias("held"), after_und.alias("after_und"), after_mit.alias("after_mit")
    )


_HELD = r"(?:beteiligung|anteile?|anteilen|stake) (?:an|bei) (?:der |dem |den )?$"
_AFTER_MIT = r"\bmit (?:dem |der |den )?(?:[\w-]+ ){0,2}$"
