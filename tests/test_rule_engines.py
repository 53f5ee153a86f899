"""Differential test: the vectorized rule engine and the reference engine (plain Python over
the same rule files) decide the same, row for row, on the project's seeds, the team's
labelled articles, synthetic articles and the real articles in ../shared/corpus/."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from finnews.config import project_root
from finnews.extract.companies import alias_table, load_gazetteer
from finnews.rules.reference import reference_hits, reference_metric_rules, rule_stage_inputs
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
    inputs = rule_stage_inputs(articles, aliases)
    reference = reference_hits(
        inputs["sentences"], inputs["mentions"], inputs["entities"], inputs["figures"]
    )
    vectorized = inputs["rule_hits"].select("article_id", "sentence_idx", "rule_id")
    assert vectorized.height > 0
    only_vectorized = vectorized.join(reference, on=vectorized.columns, how="anti")
    only_reference = reference.join(vectorized, on=vectorized.columns, how="anti")
    assert only_vectorized.height == 0 and only_reference.height == 0, (
        f"engines differ:\n{only_vectorized.head(10)}\n{only_reference.head(10)}"
    )
    views = inputs["views"]
    expected = reference_metric_rules(views)
    assert views["metric_rule_id"].to_list() == expected


def test_engines_agree_on_team_and_synthetic_articles(aliases: pl.DataFrame) -> None:
    _same_decisions(_articles(_team(), synthetic=300), aliases)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (real articles) is not here")
def test_engines_agree_on_real_articles(aliases: pl.DataFrame) -> None:
    _same_decisions(_articles(_real()), aliases)
