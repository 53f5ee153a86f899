"""The dbt accepted_values tests, the row checks and the extractor's taxonomies must not drift
apart: one list each in dbt_project.yml `vars`, read by the tests in _marts.yml and by
macros/row_checks.sql, equal to what the extractor emits."""

from __future__ import annotations

from pathlib import Path

import yaml

from finnews.extract.events import EVENT_TYPES
from finnews.extract.figures import METRIC_MEASURES, METRIC_TYPES, RULES
from finnews.extract.ratings import ACTIONS, DEFAULT_ACTION, vocabulary
from finnews.lexicon import CURRENCIES, PERCENT_UNITS
from finnews.policy import Quality

DBT = Path(__file__).resolve().parents[1] / "dbt_project"
VARS = yaml.safe_load((DBT / "dbt_project.yml").read_text())["vars"]


def accepted_values(model: str, column: str) -> str:
    spec = yaml.safe_load((DBT / "models/marts/_marts.yml").read_text())
    (node,) = [m for m in spec["models"] if m["name"] == model]
    (col,) = [c for c in node["columns"] if c["name"] == column]
    (test,) = [t for t in col["data_tests"] if isinstance(t, dict) and "accepted_values" in t]
    return test["accepted_values"]["arguments"]["values"]


def test_metric_types_match_dbt_tests() -> None:
    assert accepted_values("fct_metrics", "metric_type") == "{{ var('metric_types') }}"
    assert VARS["metric_types"] == METRIC_TYPES


def test_event_types_match_dbt_tests() -> None:
    assert accepted_values("fct_events", "event_type") == "{{ var('event_types') }}"
    # The rule files (one per type, read in name order) and dbt list the same types.
    assert sorted(VARS["event_types"]) == sorted(EVENT_TYPES)


def test_guidance_measures_match_dbt_tests_and_the_rules() -> None:
    assert accepted_values("fct_metrics", "metric_measure") == "{{ var('metric_measures') }}"
    assert sorted(VARS["metric_measures"]) == sorted(set(METRIC_MEASURES.values()))
    # Every rule that types a guidance names its measure: rpt_guidance is keyed by it, and
    # _marts.yml tests fct_metrics.metric_measure not null for guidance.
    assert [r.id for r in RULES.metrics if r.metric == "guidance" and not r.measure] == []


def test_rating_readings_match_dbt_tests_and_the_ratings_file() -> None:
    assert accepted_values("fct_events", "rating_action") == "{{ var('rating_actions') }}"
    assert accepted_values("fct_events", "rating") == "{{ var('ratings') }}"
    assert sorted(VARS["rating_actions"]) == sorted([*ACTIONS, DEFAULT_ACTION])
    assert sorted(VARS["ratings"]) == sorted(set(vocabulary().normalised.values()))


def test_units_match_what_the_extractor_emits() -> None:
    assert accepted_values("fct_metrics", "unit") == "{{ var('currencies') + var('other_units') }}"
    # Every currency the extractor knows is accepted by default (dbt and finnews.toml alike).
    assert set(VARS["currencies"]) == set(CURRENCIES.values()) == set(Quality().currencies)
    assert set(PERCENT_UNITS.values()) <= set(VARS["other_units"])


def test_docs_name_every_type_the_rule_files_emit() -> None:
    # docs/metrics.md is what analysts read: every metric and event type of the rule files
    # has a row there (a type added to the rules without docs fails here).
    docs = (DBT.parent / "docs" / "metrics.md").read_text(encoding="utf-8")
    missing = [t for t in METRIC_TYPES if f"| `{t}` |" not in docs]
    missing += [t for t in EVENT_TYPES if f"`{t}`" not in docs]
    assert missing == []
