"""Retention of run folders: <warehouse>/runs/<run_id>/ holds a run's report, GX results and
dbt artifacts; without pruning the folder grows every night.

`[retention] keep_runs` in finnews.toml keeps the newest N run folders (0 keeps all). The
pipeline prunes after every run (never the current run's folder); `python -m finnews.ops
prune` does it on demand. Only folders named like a run id are ever removed: whatever else
an operator puts under runs/ stays.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from finnews.runs import RUN_ID


@dataclass(frozen=True)
class Pruned:
    removed: list[Path]
    kept: list[Path]
    freed_bytes: int


def tree_size(path: Path) -> int:
    """Bytes of the regular files under `path` (0 when it does not exist)."""
    if not path.exists():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def run_folders(runs_dir: Path) -> list[Path]:
    """Run folders, newest first (run ids start with their UTC start time)."""
    if not runs_dir.is_dir():
        return []
    folders = [p for p in runs_dir.iterdir() if p.is_dir() and RUN_ID.match(p.name)]
    return sorted(folders, key=lambda p: p.name, reverse=True)


def prune_runs(runs_dir: Path, keep: int, current: str | None = None) -> Pruned:
    """Remove all but the newest `keep` run folders; `current` (a run id) is always kept.

    keep = 0 keeps everything."""
    if keep < 0:
        raise ValueError(f"keep_runs must be >= 0 (0 keeps all), got {keep}")
    folders = run_folders(runs_dir)
    if keep == 0:
        return Pruned([], folders, 0)
    kept = folders[:keep]
    removed, freed = [], 0
    for folder in folders[keep:]:
        if folder.name == current:
            kept.append(folder)
            continue
        size = tree_size(folder)
        shutil.rmtree(folder)
        removed.append(folder)
        freed += size
    return Pruned(removed, kept, freed)


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"
