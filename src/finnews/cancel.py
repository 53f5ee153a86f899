"""SIGTERM ends a run cleanly: the signal becomes an exception in the main thread, the flow
records the run as `cancelled` and releases its lock, and the dbt child is killed."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class RunCancelled(BaseException):  # noqa: N818 - reads as what happened
    """The run was asked to stop (SIGTERM). A BaseException, so no task retries it."""


def _raise(signum: int, _frame: FrameType | None) -> None:
    raise RunCancelled(f"stopped by {signal.Signals(signum).name}")


@contextmanager
def cancel_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM raises RunCancelled (main thread only; elsewhere a no-op:
    Python delivers signals to the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
