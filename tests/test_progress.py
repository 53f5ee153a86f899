"""Progress bars show at a terminal and stay out of CI logs."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest

from tests.helpers import ROOT

SCRIPT = (
    "from finnews.progress import track\n"
    "import time\n"
    "for _ in track(range(3), 3, 'ingest', unit='file'): time.sleep(0.05)\n"
    "print('done')\n"
)


def run_with(stderr_tty: bool, env: dict[str, str]) -> str:
    if not stderr_tty:
        proc = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return proc.stderr
    leader, follower = pty.openpty()
    # A real terminal has a size; tqdm draws nothing into a 0-column one.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=follower, check=True,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert proc.returncode == 0
    return b"".join(chunks).decode(errors="replace")


@pytest.fixture
def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("CI", "FINNEWS_PROGRESS")}


def test_terminal_gets_a_progress_bar(clean_env: dict[str, str]) -> None:
    out = run_with(stderr_tty=True, env=clean_env)
    assert "ingest:" in out and "/3 [" in out  # the bar with its counter


def test_logs_and_ci_stay_quiet(clean_env: dict[str, str]) -> None:
    assert run_with(stderr_tty=False, env=clean_env) == ""
    assert run_with(stderr_tty=True, env={**clean_env, "CI": "true"}) == ""
