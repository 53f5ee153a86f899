"""Shared fixtures. Environment is set before Prefect is imported anywhere."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_PREFECT_HOME = tempfile.mkdtemp(prefix="finnews-prefect-")
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parents[1]
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session", autouse=True)
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One real Prefect API server for the session: flow runs in this process and in child
    processes report to it, instead of each starting (and migrating) an ephemeral server of
    its own (11 s a run on 2 cores). tests/test_odd_files_flow.py runs its nights without it,
    in ephemeral mode as `make run` does."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from tests.helpers import prefect_server

    with prefect_server(tmp_path_factory.mktemp("prefect-api-home")) as url:
        os.environ["PREFECT_API_URL"] = url
        try:
            with temporary_settings({PREFECT_API_URL: url}):
                yield url
        finally:
            os.environ.pop("PREFECT_API_URL", None)


@pytest.fixture(scope="session")
def project_seeds() -> Path:
    return ROOT / "seeds"


@pytest.fixture(scope="session")
def shared_seeds() -> Path:
    """The real articles beside the repo (CI has them; a fresh clone elsewhere may not)."""
    if not SHARED_SEEDS.is_dir() or not any(SHARED_SEEDS.glob("*.txt")):
        pytest.skip(f"real articles not available at {SHARED_SEEDS}")
    return SHARED_SEEDS


@pytest.fixture(scope="session")
def companies_csv() -> Path:
    return ROOT / "dbt_project" / "seeds" / "companies.csv"
