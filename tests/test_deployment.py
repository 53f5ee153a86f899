"""The nightly deployment against a real Prefect API server on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings

from tests.helpers import ROOT, copy_seeds, kill_group, prefect_server, query

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of this module's own (the deployment and its runs stay apart from the
    session's server that the other tests use)."""
    with prefect_server(tmp_path_factory.mktemp("prefect-server-home"), timeout=120) as url:
        yield url


@pytest.fixture(scope="module")
def served(
    api_url: str, project_seeds: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path, Path]]:
    base = tmp_path_factory.mktemp("served")
    drop, warehouse = base / "drop", base / "wh"
    copy_seeds(project_seeds, drop, n=2)
    log = (base / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.deploy", "--input-dir", str(drop),
         "--warehouse-dir", str(warehouse), "--cron", "0 2 * * *",
         "--timezone", "Europe/Berlin"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "PREFECT_API_URL": api_url, "PREFECT_RUNNER_POLL_FREQUENCY": "1",
             "PREFECT_HOME": str(base / "prefect-home")},
    )  # fmt: skip
    try:
        yield api_url, drop, warehouse
    finally:
        kill_group(proc)
        log.close()


def read_deployment(api_url: str, timeout: float = 90):  # noqa: ANN201
    deadline = time.monotonic() + timeout
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        while True:
            try:
                return client.read_deployment_by_name("finnews-nightly/nightly")
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)


def test_deployment_schedule_and_parameters(served: tuple[str, Path, Path]) -> None:
    api_url, drop, warehouse = served
    deployment = read_deployment(api_url)
    assert deployment.parameters == {"input_dir": str(drop), "warehouse_dir": str(warehouse)}
    (schedule,) = deployment.schedules
    assert schedule.active
    assert schedule.schedule.cron == "0 2 * * *"
    assert schedule.schedule.timezone == "Europe/Berlin"
    assert "nightly" in deployment.tags


def test_triggered_run_completes_and_publishes_summary_artifact(
    served: tuple[str, Path, Path],
) -> None:
    api_url, _, warehouse = served
    read_deployment(api_url)
    with temporary_settings({PREFECT_API_URL: api_url}):
        flow_run = run_deployment("finnews-nightly/nightly", timeout=300, poll_interval=2)
        assert flow_run.state is not None and flow_run.state.is_completed(), flow_run.state
        with get_client(sync_client=True) as client:
            artifacts = client.read_artifacts(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id]))
            )
    summary = [a for a in artifacts if a.key == "finnews-run-summary"]
    assert len(summary) == 1
    assert "**completed**" in summary[0].data
    assert "| new articles | 2 |" in summary[0].data
    assert query(warehouse / "published.duckdb", "select count(*) from marts.dim_articles") == [
        (2,)
    ]
