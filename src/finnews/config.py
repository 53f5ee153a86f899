"""Where things live. Every path can be overridden by a parameter or an environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def project_root() -> Path:
    """The repository root (holds dbt_project/ and expectations/)."""
    env = os.environ.get("FINNEWS_PROJECT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parents[2]
    if (here / "dbt_project").is_dir():
        return here
    return Path.cwd().resolve()


@dataclass(frozen=True)
class Settings:
    input_dir: Path
    warehouse_dir: Path
    root: Path
    memory_limit: str = "4GB"
    threads: int = 2
    partition_size: int = 20_000

    @classmethod
    def resolve(
        cls,
        input_dir: str | Path | None = None,
        warehouse_dir: str | Path | None = None,
        memory_limit: str | None = None,
    ) -> Settings:
        root = project_root()
        return cls(
            input_dir=Path(input_dir or os.environ.get("FINNEWS_INPUT_DIR") or root / "seeds")
            .expanduser()
            .resolve(),
            warehouse_dir=Path(
                warehouse_dir or os.environ.get("FINNEWS_WAREHOUSE_DIR") or root / "warehouse"
            )
            .expanduser()
            .resolve(),
            root=root,
            memory_limit=memory_limit or os.environ.get("FINNEWS_MEMORY_LIMIT", "4GB"),
            partition_size=int(os.environ.get("FINNEWS_PARTITION_SIZE", "20000")),
        )

    @property
    def work_db(self) -> Path:
        """The writer's file: raw tables and every dbt model. Analysts never open it."""
        return self.warehouse_dir / "work.duckdb"

    @property
    def published_db(self) -> Path:
        """The analysts' file: dims, facts and reporting marts of the last good run."""
        return self.warehouse_dir / "published.duckdb"

    @property
    def runs_dir(self) -> Path:
        return self.warehouse_dir / "runs"

    @property
    def dbt_project_dir(self) -> Path:
        return self.root / "dbt_project"

    @property
    def expectations_dir(self) -> Path:
        return self.root / "expectations"

    @property
    def companies_csv(self) -> Path:
        return self.dbt_project_dir / "seeds" / "companies.csv"

    def run_dir(self, run_id: str) -> Path:
        return self.runs_dir / run_id
