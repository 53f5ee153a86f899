"""Configuration an operator tunes without touching code: quality thresholds and retention.

Read from `finnews.toml` at the project root, or the file named by FINNEWS_CONFIG. Every key
is optional; unknown keys are an error (a typo must not silently keep the default).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from finnews.config import project_root
from finnews.lexicon import CURRENCIES


@dataclass(frozen=True)
class Quality:
    max_share_figures_without_company: float = 0.95
    figures_per_article_low: float = 0.2
    figures_per_article_high: float = 5.0
    min_history_batches: int = 3
    min_batch_articles: int = 20
    max_share_rejected: float = 0.25
    min_share_articles_with_figures: float = 0.2
    # Currencies a figure may be in (dbt accepted_values and the row checks); default: every
    # currency the extractor knows. A figure in another one is a rejected row.
    currencies: tuple[str, ...] = tuple(sorted(set(CURRENCIES.values())))


@dataclass(frozen=True)
class Retention:
    keep_runs: int = 30
    # DuckLake publish target: published nights (snapshots) kept for time travel; 0 keeps all.
    keep_nights: int = 90


@dataclass(frozen=True)
class Policy:
    quality: Quality = Quality()
    retention: Retention = Retention()
    source: str = "defaults"


def config_path() -> Path:
    env = os.environ.get("FINNEWS_CONFIG")
    return Path(env).expanduser() if env else project_root() / "finnews.toml"


def _section(cls: type, values: dict[str, Any], where: str) -> Any:
    known = {f.name: f.type for f in fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {unknown}; known: {sorted(known)}")
    defaults = cls()
    typed = {k: type(getattr(defaults, k))(v) for k, v in values.items()}
    return cls(**typed)


def load_policy(path: Path | None = None) -> Policy:
    """The policy in `path` (default: config_path()); defaults when the file does not exist."""
    path = path or config_path()
    if not path.exists():
        if os.environ.get("FINNEWS_CONFIG"):
            raise FileNotFoundError(f"FINNEWS_CONFIG names a missing file: {path}")
        return Policy()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = sorted(set(data) - {"quality", "retention"})
    if unknown:
        raise ValueError(f"{path}: unknown section(s) {unknown}; known: ['quality', 'retention']")
    return Policy(
        quality=_section(Quality, data.get("quality", {}), f"{path} [quality]"),
        retention=_section(Retention, data.get("retention", {}), f"{path} [retention]"),
        source=str(path),
    )
