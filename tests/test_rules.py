"""Every rule file, one rule at a time: its examples, its anchors, its references.

A rule's `fire` examples must fire it (a metric rule must also win: type the figure); its
`silent` examples must not. Each example is run through the whole extractor as an article of
its own, so a rule is tested with everything that stands in front of it.
"""

from __future__ import annotations

import datetime
from typing import Any

import polars as pl
import pytest

from finnews.config import project_root
from finnews.extract.companies import alias_table, load_gazetteer
from finnews.extract.run import Extraction, extract_articles
from finnews.rules import EventRule, MetricRule, RuleError, load_rules
from finnews.rules.anchors import covered
from tests.helpers import extract_texts

RULES = load_rules()
PATTERN_RULES = [r for r in RULES.events if r.pattern]


def _text(example: Any) -> str:
    return example["text"] if isinstance(example, dict) else example


def _examples() -> dict[str, str]:
    """article_id -> text, one article per example of every rule."""
    out: dict[str, str] = {}
    for rule in (*RULES.events, *RULES.metrics):
        for which in ("fire", "silent"):
            for n, example in enumerate(getattr(rule, which)):
                out[f"{rule.id}|{which}|{n}"] = _text(example)
    return out


@pytest.fixture(scope="module")
def extracted() -> Extraction:
    examples = _examples()
    articles = pl.DataFrame(
        {
            "article_id": list(examples),
            "body": list(examples.values()),
            "published_date": [None] * len(examples),
        },
        schema={"article_id": pl.String, "body": pl.String, "published_date": pl.Date},
    )
    aliases = alias_table(load_gazetteer(project_root() / "dbt_project/seeds/companies.csv"))
    return extract_articles(articles, aliases)


def _fired(extracted: Extraction, article_id: str) -> set[str]:
    hits = extracted.rule_hits.filter(pl.col("article_id") == article_id)
    return set(hits["rule_id"].to_list())


def _figure(extracted: Extraction, article_id: str, example: Any) -> dict[str, Any] | None:
    """The example's figure: the one whose surface is `figure`, else the first that is no date."""
    figures = extracted.figures.filter(
        (pl.col("article_id") == article_id) & (pl.col("kind") != "date")
    ).sort("char_start")
    if isinstance(example, dict) and "figure" in example:
        figures = figures.filter(pl.col("surface") == example["figure"])
    return figures.row(0, named=True) if figures.height else None


@pytest.mark.parametrize("rule", RULES.events, ids=lambda r: r.id)
def test_event_rule_examples(rule: EventRule, extracted: Extraction) -> None:
    assert rule.fire, f"{rule.id} has no example that fires it"
    assert rule.silent, f"{rule.id} has no example that must not fire it"
    for n, example in enumerate(rule.fire):
        fired = _fired(extracted, f"{rule.id}|fire|{n}")
        assert rule.id in fired, f"{rule.id} does not fire on {_text(example)!r} ({fired})"
    for n, example in enumerate(rule.silent):
        fired = _fired(extracted, f"{rule.id}|silent|{n}")
        assert rule.id not in fired, f"{rule.id} fires on {_text(example)!r}"


@pytest.mark.parametrize("rule", RULES.metrics, ids=lambda r: r.id)
def test_metric_rule_examples(rule: MetricRule, extracted: Extraction) -> None:
    assert rule.fire and rule.silent, f"{rule.id} needs fire and silent examples"
    for n, example in enumerate(rule.fire):
        figure = _figure(extracted, f"{rule.id}|fire|{n}", example)
        assert figure is not None, f"no figure found in {_text(example)!r}"
        assert figure["rule_id"] == rule.id, (
            f"{_text(example)!r}: {figure['surface']} typed by {figure['rule_id']}, not {rule.id}"
        )
    for n, example in enumerate(rule.silent):
        figure = _figure(extracted, f"{rule.id}|silent|{n}", example)
        assert figure is None or figure["rule_id"] != rule.id, f"{rule.id} types {_text(example)!r}"


@pytest.mark.parametrize("rule", PATTERN_RULES, ids=lambda r: r.id)
def test_pattern_cannot_match_without_an_anchor(rule: EventRule) -> None:
    # The anchor pass only lets sentences with an anchor reach the regex: a pattern that
    # could match without one would silently miss events.
    wildcard = "@" if rule.read == "frame" else None
    assert rule.pattern is not None
    assert covered(rule.pattern, list(rule.anchors), wildcard), (
        f"{rule.id}: some match of its pattern contains none of its anchors"
    )


def test_anchor_lint_catches_an_uncovered_pattern() -> None:
    assert covered(r"(?:kauft|erwirbt) .{0,20}\bfirma", ["kauft", "erwirbt"])
    assert not covered(r"(?:kauft|erwirbt) .{0,20}\bfirma", ["kauft"])
    assert not covered(r"neue[nmrs]? modell", ["neuen"])  # "neue modell" has no "neuen"
    assert covered(r"@ (?:kauft|kaufte) @", ["kauft"], wildcard="@")
    assert not covered(r"@ übernommen|kauft", ["kauft"], wildcard="@")


def test_every_event_type_has_a_rule_file_and_rules_have_unique_priorities() -> None:
    for event_type in RULES.event_types:
        priorities = [r.priority for r in RULES.events if r.event_type == event_type]
        assert priorities and len(set(priorities)) == len(priorities), event_type
    assert len({r.priority for r in RULES.metrics}) == len(RULES.metrics)


def test_unknown_fragment_and_void_are_named_errors(tmp_path) -> None:
    import shutil

    shutil.copytree(project_root() / "src/finnews/rules", tmp_path / "rules", dirs_exist_ok=True)
    target = tmp_path / "rules/events/conference.yaml"
    original = target.read_text()
    target.write_text(
        original.replace("  pattern:\n  - '", "  pattern:\n  - '{no_such_fragment}|", 1)
    )
    with pytest.raises(RuleError, match=r"conference.yaml: rule conference\.\w+: unknown fragment"):
        load_rules(tmp_path / "rules")
    target.write_text(original.replace("- trigger", "- nope", 1))
    with pytest.raises(RuleError, match="unknown void 'nope'"):
        load_rules(tmp_path / "rules")


def test_event_roles_and_status_are_checked(tmp_path) -> None:
    import shutil

    shutil.copytree(project_root() / "src/finnews/rules", tmp_path / "rules", dirs_exist_ok=True)
    target = tmp_path / "rules/events/partnership.yaml"
    target.write_text(target.read_text().replace("named_first,", "loudest,", 1))
    with pytest.raises(RuleError, match="partnership.yaml: roles.actor must come from"):
        load_rules(tmp_path / "rules")
    assert RULES.types["earnings_release"].status == "by_date"
    assert RULES.types["partnership"].status is None


def test_a_growth_no_company_owns_is_the_economys() -> None:
    bodies = {
        "economy": "Die Nachfrage nach Ausrüstung wuchs im Quartal um 0,7 Prozent.",
        "company": "Bei Siemens wuchs die Nachfrage nach Zügen um 0,7 Prozent.",
        "segment": "Der Cloud-Umsatz wuchs um 28 Prozent.",
    }
    figures = extract_texts(bodies, datetime.date(2025, 10, 1)).figures
    typed = {
        row["article_id"]: (row["metric_type"], row["rule_id"], row["company_id"])
        for row in figures.iter_rows(named=True)
    }
    assert typed == {
        "economy": ("macro_indicator", "macro_indicator.no_company_growth", None),
        "company": ("segment_growth", "segment_growth.growth_verb", "siemens"),
        # A segment word says whose growth it is, even when no company is named.
        "segment": ("segment_growth", "segment_growth.segment_named", None),
    }
