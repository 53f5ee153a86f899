"""Helpers for tests that run the real flow, in this process or in a child to kill."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl

from finnews.extract.companies import alias_table, load_gazetteer
from finnews.extract.run import Extraction, extract_articles

ROOT = Path(__file__).resolve().parents[1]


def extract_texts(bodies: dict[str, str], published: datetime.date) -> Extraction:
    """The real extraction over texts written in a test, keyed by article id, all published
    on `published`, with the project's company gazetteer."""
    articles = pl.DataFrame(
        {
            "article_id": list(bodies),
            "body": list(bodies.values()),
            "published_date": [published] * len(bodies),
        }
    )
    aliases = alias_table(load_gazetteer(ROOT / "dbt_project/seeds/companies.csv"))
    return extract_articles(articles, aliases)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_seeds(src: Path, dst: Path, n: int | None = None) -> list[Path]:
    dst.mkdir(parents=True, exist_ok=True)
    files = sorted(src.glob("*.txt"))[:n]
    return [Path(shutil.copy2(f, dst / f.name)) for f in files]


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def spawn_flow(input_dir: Path, warehouse: Path, failpoint: str, marker: Path) -> subprocess.Popen:
    """The nightly flow in a child process (own session, so the whole group can be killed),
    frozen at `failpoint` once it gets there."""
    env = {
        **os.environ,
        "FINNEWS_FAILPOINT": failpoint,
        "FINNEWS_FAILPOINT_MARKER": str(marker),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flows.nightly", "--input-dir", str(input_dir),
         "--warehouse-dir", str(warehouse)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def wait_for(marker: Path, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"flow exited ({proc.returncode}) before reaching the failpoint")
        if time.monotonic() > deadline:
            kill_group(proc)
            raise AssertionError("flow did not reach the failpoint in time")
        time.sleep(0.1)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the run and everything it started (Prefect server, dbt child)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def chromium_dom(page: Path, budget_ms: int = 15000) -> str:
    """The DOM of a local page after headless Chromium ran its scripts."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        import pytest

        pytest.skip("chromium not installed (`make browser` installs Debian's package)")
    profile = Path(tempfile.mkdtemp(prefix="finnews-chromium-"))
    try:
        proc = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}",
             "--dump-dom", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return proc.stdout


def visible_text(dom: str) -> str:
    """Text a reader sees: scripts, styles and tags removed, whitespace folded."""
    text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", dom)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def prefect_server(home: Path, timeout: float = 180) -> Iterator[str]:
    """A real Prefect API server on a free loopback port, its database in `home` (created
    and migrated at its start); yields the API URL, ends the server afterwards."""
    from flows.deploy import wait_for_api

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
         "--port", str(port)],
        env={**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/api"
    try:
        wait_for_api(url, timeout=timeout)
        yield url
    finally:
        kill_group(server)
