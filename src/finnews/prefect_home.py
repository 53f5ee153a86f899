"""Prefect's home and settings for this project, set before Prefect is imported.

On a machine where Prefect never ran, the first ephemeral API start creates and migrates
Prefect's SQLite database, which takes longer than Prefect's default 20 s startup timeout on
a 2-core machine: a newcomer's first `make run` failed with "Timed out while attempting to
connect to ephemeral Prefect API server". The cause is fixed, not retried: the project keeps
its Prefect home in a folder of its own (`.prefect/` at the project root, unless
PREFECT_HOME says otherwise), `make install` migrates that database once
(`python -m finnews.prefect_home`), and the startup timeout fits this machine kind.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from finnews.config import project_root

# Seconds the ephemeral API may take to start: a migration on 2 slow cores takes ~30 s.
STARTUP_TIMEOUT_SECONDS = "180"

_DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": STARTUP_TIMEOUT_SECONDS,
    # Offline: no telemetry from Prefect, dbt or Great Expectations.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "false",
}


def prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or project_root() / ".prefect").expanduser()


def prepare_environment() -> Path:
    """Set PREFECT_HOME and the settings above unless the caller set them; returns the home."""
    home = prefect_home()
    os.environ["PREFECT_HOME"] = str(home)
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)
    home.mkdir(parents=True, exist_ok=True)
    return home


def migrate_database() -> None:
    """Create and migrate Prefect's database in the project's home (once, at install)."""
    home = prepare_environment()
    prefect = Path(sys.executable).with_name("prefect")
    cmd = [str(prefect)] if prefect.exists() else [sys.executable, "-m", "prefect"]
    subprocess.run([*cmd, "server", "database", "upgrade", "-y"], check=True, env=os.environ)
    print(f"Prefect database ready in {home}")


if __name__ == "__main__":
    migrate_database()
