"""The nightly deployment: cron 02:00 Europe/Berlin by default, served by this process.

`python -m flows.deploy` registers the deployment with the Prefect API in PREFECT_API_URL
and serves it (runs scheduled and manually triggered flow runs) until stopped.
`--with-server` first starts a local Prefect server on loopback, so `make serve` is the whole
local setup in one command.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from finnews.prefect_home import prepare_environment

prepare_environment()  # the project's Prefect home, before Prefect reads its settings

from prefect.schedules import Cron  # noqa: E402

DEPLOYMENT_NAME = "nightly"
DEFAULT_CRON = "0 2 * * *"
DEFAULT_TIMEZONE = "Europe/Berlin"


def build_deployment(
    cron: str = DEFAULT_CRON,
    timezone: str = DEFAULT_TIMEZONE,
    input_dir: str | None = None,
    warehouse_dir: str | None = None,
) -> Any:  # RunnerDeployment
    from flows.nightly import nightly

    return nightly.to_deployment(
        name=DEPLOYMENT_NAME,
        schedules=[Cron(cron, timezone=timezone)],
        parameters={"input_dir": input_dir, "warehouse_dir": warehouse_dir},
        description="Nightly load of German financial news into the DuckDB warehouse.",
        tags=["finnews", "nightly"],
    )


def wait_for_api(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"Prefect API at {url} did not answer within {timeout:.0f} s")
        time.sleep(0.5)


@contextmanager
def local_server(port: int) -> Iterator[str]:
    """A Prefect server on 127.0.0.1:port for the life of the block; yields its API URL."""
    url = f"http://127.0.0.1:{port}/api"
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
         "--port", str(port)],
        env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
    )  # fmt: skip
    try:
        wait_for_api(url)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Register and serve the nightly deployment.")
    parser.add_argument("--cron", default=os.environ.get("FINNEWS_CRON", DEFAULT_CRON))
    parser.add_argument("--timezone", default=os.environ.get("FINNEWS_TIMEZONE", DEFAULT_TIMEZONE))
    parser.add_argument("--input-dir", default=os.environ.get("FINNEWS_INPUT_DIR"))
    parser.add_argument("--warehouse-dir", default=os.environ.get("FINNEWS_WAREHOUSE_DIR"))
    parser.add_argument(
        "--with-server", action="store_true", help="start a local Prefect server first"
    )
    parser.add_argument("--port", type=int, default=4200, help="port of the local server")
    args = parser.parse_args(argv)

    def serve() -> None:
        from prefect import serve as prefect_serve

        deployment = build_deployment(args.cron, args.timezone, args.input_dir, args.warehouse_dir)
        prefect_serve(deployment)

    if args.with_server:
        with local_server(args.port) as url:
            os.environ["PREFECT_API_URL"] = url
            print(f"Prefect UI and API: {url.removesuffix('/api')}")
            serve()
    else:
        serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
