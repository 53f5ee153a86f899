"""Differential test: the vectorized rule engine and the reference engine (plain Python over
the same rule files) decide the same, row for row, on the project's seeds, the team's
labelled articles, synthetic articles and the real articles in ../shared/corpus/."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from finnews.asciify import asciify
from finnews.config import project_root
from finnews.extract.companies import alias_table, load_gazetteer
from finnews.extract.figures import extract_figures
from finnews.extract.run import CONTEXT_COLUMNS, extract_articles, sentence_context
from finnews.extract.sentences import split_sentences
from finnews.rules.reference import reference_hits, reference_metric_rules
from finnews.synth import Generator

ROOT = project_root()
SHARED = ROOT.parent / "shared"


def _articles(files: list[Path], synthetic: int = 0) -> pl.DataFrame:
    rows = [
        {"article_id": f"{f.parent.name}/{f.name}", "body": f.read_text(errors="replace")}
        for f in files
    ]
    generator = Generator()
    rows += [
        {"article_id": f"synth/{i}", "body": generator.article(i).text} for i in range(synthetic)
    ]
    return pl.DataFrame(rows).with_columns(pl.lit(None, pl.Date).alias("published_date"))


def _team() -> list[Path]:
    return sorted(
        [*ROOT.glob("seeds/*.txt"), *ROOT.glob("evaluation/articles/*.txt"),
         *ROOT.glob("evaluation/holdout/articles/*.txt")]
    )  # fmt: skip


def _real() -> list[Path]:
    return sorted([*SHARED.glob("corpus/**/*.txt"), *SHARED.glob("seeds/*")])


@pytest.fixture(scope="module")
def aliases() -> pl.DataFrame:
    return alias_table(load_gazetteer(ROOT / "dbt_project/seeds/companies.csv"))


def _same_decisions(articles: pl.DataFrame, aliases: pl.DataFrame) -> None:
    extraction = extract_articles(articles, aliases)
    sentences = extraction.sentences.with_columns(asciify(pl.col("text")).alias("shadow"))
    reference = reference_hits(
        sentences, extraction.mentions, extraction.entities, extraction.figures
    )
    vectorized = extraction.rule_hits.select("article_id", "sentence_idx", "rule_id")
    assert vectorized.height > 0
    only_vectorized = vectorized.join(reference, on=vectorized.columns, how="anti")
    only_reference = reference.join(vectorized, on=vectorized.columns, how="anti")
    assert only_vectorized.height == 0 and only_reference.height == 0, (
        f"engines differ:\n{only_vectorized.head(10)}\n{only_reference.head(10)}"
    )
    art = articles.lazy().select("article_id", "body", "published_date")
    ctx = sentence_context(art, split_sentences(art).collect())
    views = extract_figures(ctx, CONTEXT_COLUMNS, views=True).collect()
    expected = reference_metric_rules(views)
    assert views["metric_rule_id"].to_list() == expected


def test_engines_agree_on_team_and_synthetic_articles(aliases: pl.DataFrame) -> None:
    _same_decisions(_articles(_team(), synthetic=300), aliases)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (real articles) is not here")
def test_engines_agree_on_real_articles(aliases: pl.DataFrame) -> None:
    _same_decisions(_articles(_real()), aliases)
