"""The dbt accepted_values tests and the extractor's taxonomies must not drift apart."""

from __future__ import annotations

from pathlib import Path

import yaml

from finnews.extract.events import EVENT_TYPES
from finnews.extract.figures import METRIC_TYPES

MARTS_YML = Path(__file__).resolve().parents[1] / "dbt_project/models/marts/_marts.yml"


def accepted_values(model: str, column: str) -> list[str]:
    spec = yaml.safe_load(MARTS_YML.read_text())
    (node,) = [m for m in spec["models"] if m["name"] == model]
    (col,) = [c for c in node["columns"] if c["name"] == column]
    (test,) = [t for t in col["data_tests"] if isinstance(t, dict) and "accepted_values" in t]
    return test["accepted_values"]["arguments"]["values"]


def test_metric_types_match_dbt_tests() -> None:
    assert accepted_values("fct_metrics", "metric_type") == METRIC_TYPES


def test_event_types_match_dbt_tests() -> None:
    assert accepted_values("fct_events", "event_type") == EVENT_TYPES
