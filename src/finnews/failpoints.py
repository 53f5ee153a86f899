"""Failpoints: named places where a test can freeze a real run to kill it (SIGKILL) there.

Inert unless FINNEWS_FAILPOINT names the place, e.g. FINNEWS_FAILPOINT=publish.before_rename.
The run then writes FINNEWS_FAILPOINT_MARKER (a file path) and sleeps until it is killed,
so a crash-recovery test kills the process at a known point instead of at a random time.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PLACES = (
    "ingest.before_commit",
    "extract.before_commit",
    "dbt.running",
    "validate.running",
    "publish.before_rename",
    "lake.before_commit",
    "report.running",
)


def failpoint(place: str) -> None:
    if os.environ.get("FINNEWS_FAILPOINT") != place:
        return
    marker = os.environ.get("FINNEWS_FAILPOINT_MARKER")
    if marker:
        Path(marker).write_text(f"{place} {os.getpid()}\n")
    while True:  # wait to be killed
        time.sleep(0.2)
