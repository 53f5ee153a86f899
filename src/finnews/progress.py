"""Progress bars for long stages, only for a person at a terminal (quiet in CI and logs)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")


def progress_enabled(stream: TextIO | None = None) -> bool:
    """FINNEWS_PROGRESS=1/0 forces it; otherwise on for a terminal, off under CI."""
    forced = os.environ.get("FINNEWS_PROGRESS", "").lower()
    if forced in ("1", "true", "yes"):
        return True
    if forced in ("0", "false", "no"):
        return False
    stream = stream or sys.stderr
    return bool(stream.isatty()) and not os.environ.get("CI")


def track(iterable: Iterable[T], total: int | None, desc: str, unit: str = "it") -> Iterator[T]:
    if not progress_enabled():
        yield from iterable
        return
    from tqdm import tqdm

    yield from tqdm(iterable, total=total, desc=desc, unit=unit, leave=False, file=sys.stderr)
