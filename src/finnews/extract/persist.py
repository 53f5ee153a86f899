"""The extraction stage against the warehouse, without Prefect: plan, extract, load.

The flow runs the same three steps as Prefect tasks (partitions in parallel on its task
runner); this module runs partitions on a thread pool, for callers without Prefect.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from finnews.extract.partitions import (
    DEFAULT_PARTITION_SIZE,
    extract_partition,
    load_partitions,
    plan_partitions,
)
from finnews.warehouse import connect, ensure_raw_schema


def extract_pending(
    work_db: Path,
    companies_csv: Path,
    run_id: str,
    out_dir: Path,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    workers: int = 2,
    memory_limit: str = "4GB",
) -> dict[str, int]:
    """Extract every pending article; the writer's file must not be open in this process."""
    with connect(work_db, read_only=True, memory_limit=memory_limit) as con:
        partitions = plan_partitions(con, partition_size)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda p: extract_partition(work_db, companies_csv, p, out_dir), partitions))
    with connect(work_db, memory_limit=memory_limit) as con:
        ensure_raw_schema(con)
        return load_partitions(con, out_dir, run_id)
