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


PUBLISH_TARGETS = ("file", "ducklake")


def _publish_target(value: str) -> str:
    if value not in PUBLISH_TARGETS:
        raise ValueError(f"FINNEWS_PUBLISH_TARGET={value!r}: one of {list(PUBLISH_TARGETS)}")
    return value


@dataclass(frozen=True)
class Settings:
    input_dir: Path
    warehouse_dir: Path
    root: Path
    memory_limit: str = "4GB"
    threads: int = 2
    partition_size: int = 20_000
    # Where a night is published (FINNEWS_PUBLISH_TARGET): `file` (published.duckdb, renamed
    # into place) or `ducklake` (one snapshot per night in a DuckLake, finnews.lake).
    publish_target: str = "file"
    # The DuckLake catalog (FINNEWS_LAKE_CATALOG): `ducklake:<path>.ducklake` (a DuckDB
    # file: one machine) or `ducklake:postgres:dbname=... host=...` (many readers and
    # writers); empty: <warehouse>/lake/catalog.ducklake.
    lake_catalog: str = ""
    # Where the lake's Parquet files go (FINNEWS_LAKE_DATA_PATH): a folder or an object-store
    # URL (s3://bucket/prefix/); empty: <warehouse>/lake/data/.
    lake_data_path: str = ""

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
            publish_target=_publish_target(os.environ.get("FINNEWS_PUBLISH_TARGET", "file")),
            lake_catalog=os.environ.get("FINNEWS_LAKE_CATALOG", ""),
            lake_data_path=os.environ.get("FINNEWS_LAKE_DATA_PATH", ""),
        )

    @property
    def lake_catalog_uri(self) -> str:
        """The DuckLake connection string; a relative catalog file is made absolute."""
        catalog = (
            self.lake_catalog or f"ducklake:{self.warehouse_dir / 'lake' / 'catalog.ducklake'}"
        )
        if not catalog.startswith("ducklake:"):
            raise ValueError(f"FINNEWS_LAKE_CATALOG must start with 'ducklake:': {catalog!r}")
        rest = catalog.removeprefix("ducklake:")
        if rest.startswith(("postgres:", "sqlite:", "mysql:")) or ":" in rest.split("/")[0]:
            return catalog
        return f"ducklake:{Path(rest.removeprefix('duckdb:')).expanduser().resolve()}"

    @property
    def lake_data_uri(self) -> str:
        """The lake's data path: an object-store URL as given, a folder made absolute (the
        catalog stores it, and a relative one would follow each reader's working folder)."""
        data = self.lake_data_path or str(self.warehouse_dir / "lake" / "data")
        if "://" in data:
            return data if data.endswith("/") else data + "/"
        return str(Path(data).expanduser().resolve()) + "/"

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
