"""The nightly Prefect flow: ingest -> extract -> dbt build -> validate -> publish.

Glue only: every task is one call into `finnews.pipeline`. Run it with
`python -m flows.nightly [--input-dir DIR] [--warehouse-dir DIR]` or `make run`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from finnews.prefect_home import prepare_environment

prepare_environment()  # before Prefect is imported: its settings are read at import

from prefect import flow, task, unmapped  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402
from prefect.tasks import exponential_backoff  # noqa: E402

from finnews import pipeline  # noqa: E402
from finnews.cancel import RunCancelled, cancel_on_sigterm  # noqa: E402
from finnews.config import Settings  # noqa: E402
from finnews.dbt_build import DbtResult  # noqa: E402
from finnews.extract.partitions import Partition  # noqa: E402
from finnews.gate import GateResult  # noqa: E402
from finnews.ingest import IngestResult  # noqa: E402
from finnews.publish import PublishResult  # noqa: E402
from finnews.runs import new_run_id, warehouse_lock  # noqa: E402

# File-touching stages may hit a transient error (a file still being written, a lock
# released a moment late): retry those; a failed audit is a verdict and is never retried.
_IO = {
    "retries": 3,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),  # 2 s, 4 s, 8 s
    "retry_jitter_factor": 0.5,
    "cache_policy": NO_CACHE,
}


@task(name="ingest", **_IO)
def ingest_task(settings: Settings, run_id: str) -> IngestResult:
    return pipeline.ingest(settings, run_id)


@task(name="extract-plan", **_IO)
def plan_task(settings: Settings) -> list[Partition]:
    return pipeline.plan_extraction(settings)


@task(name="extract-partition", **_IO)
def partition_task(settings: Settings, run_id: str, partition: Partition) -> dict[str, int]:
    return pipeline.extract_one(settings, run_id, partition)


@task(name="extract-load", **_IO)
def load_task(settings: Settings, run_id: str) -> dict[str, int]:
    return pipeline.load_extraction(settings, run_id)


@task(name="dbt-build", cache_policy=NO_CACHE)
def build_task(settings: Settings, run_id: str, full_refresh: bool = False) -> DbtResult:
    return pipeline.build(settings, run_id, full_refresh)


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(settings: Settings, run_id: str) -> GateResult:
    return pipeline.validate(settings, run_id)


@task(name="hold", cache_policy=NO_CACHE)
def hold_task(settings: Settings, run_id: str, batches: list[str], failed: list[str]) -> None:
    pipeline.hold(settings, run_id, batches, failed)


@task(name="publish", **_IO)
def publish_task(settings: Settings, run_id: str) -> PublishResult:
    return pipeline.publish_marts(settings, run_id)


@task(name="report", **_IO)
def report_task(settings: Settings, run_id: str) -> str:
    return str(pipeline.write_run_report(settings, run_id))


def extract_stage(settings: Settings, run_id: str) -> dict[str, int]:
    """Plan, extract the partitions, load: one stage. Partitions run in parallel on the
    flow's task runner (threads by default, Dask workers with prefect-dask); only the load
    step writes the warehouse."""
    partitions = plan_task(settings)
    futures = partition_task.map(unmapped(settings), unmapped(run_id), partitions)
    for future in futures:
        future.result()
    return load_task(settings, run_id)


@flow(name="finnews-nightly", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=2))
def nightly(
    input_dir: str | None = None, warehouse_dir: str | None = None, full_refresh: bool = False
) -> dict[str, Any]:
    """Load new articles, extract, build the marts, audit them, publish what passed.

    Rows that fail a row check are rejected (kept out, listed in marts.fct_rejected_rows);
    a batch that fails a batch-level check or a dbt test is held, and the run still
    publishes everything else. `full_refresh` rebuilds the incremental marts from the raw
    tables (after a model change)."""
    settings = Settings.resolve(input_dir, warehouse_dir)
    run_id = new_run_id()
    summary = pipeline.RunSummary(run_id)
    with cancel_on_sigterm(), warehouse_lock(settings.warehouse_dir):
        summary.counts["abandoned_runs"] = pipeline.begin(settings, run_id)
        try:
            # Each stage is timed in the flow, so its seconds include Prefect's task overhead
            # and retries: the wall time the night really spent on it (raw.run_stages).
            with summary.timed("ingest"):
                summary.counts.update(ingest_task(settings, run_id).as_dict())
            with summary.timed("extract"):
                summary.counts.update(extract_stage(settings, run_id))
            with summary.timed("dbt") as stage:
                dbt = build_task(settings, run_id, full_refresh)
                stage.batches = [dbt.batch_id]
            summary.counts.update(dbt_models=dbt.models, dbt_tests=dbt.tests_passed)
            with summary.timed("audit") as stage:
                gate = validate_task(settings, run_id)
                stage.batches = gate.batches
            failed = [f"dbt: {f}" for f in dbt.failures] + [o.label for o in gate.failed]
            summary.counts.update(
                checks_passed=gate.n_passed,
                checks_failed=len(failed),
                verdict="held" if failed else "passed",
            )
            if failed:
                summary.failed_checks = failed
                # A verdict about this batch, not about the warehouse: hold it, go on.
                with summary.timed("hold") as stage:
                    stage.batches = gate.batches or [dbt.batch_id]
                    hold_task(settings, run_id, stage.batches, failed)
            with summary.timed("publish") as stage:
                published = publish_task(settings, run_id)
                stage.batches = published.new_batches
            summary.published_tables = published.tables
            summary.counts.update(published=True, published_rows=published.new_rows)
            summary.counts.update(pipeline.night_counts(settings, run_id))
            with summary.timed("report"):
                summary.report = report_task(settings, run_id)
            summary.status = "completed"
        except (RunCancelled, KeyboardInterrupt) as exc:
            summary.status = "cancelled"
            summary.counts.setdefault("published", False)
            summary.message = str(exc) or "stopped by SIGINT (Ctrl-C)"
            raise
        except Exception as exc:
            summary.status = "failed"
            summary.counts.setdefault("published", False)
            summary.message = f"{type(exc).__name__}: {exc}"[:4000]
            raise
        finally:
            pipeline.finish(settings, summary)
            print(summary.render())
            create_markdown_artifact(
                markdown=summary.markdown(),
                key="finnews-run-summary",
                description=f"finnews nightly run {run_id}: {summary.status}",
            )
    return summary.as_dict()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input-dir", help="drop folder of articles (default: seeds/)")
    parser.add_argument(
        "--warehouse-dir", help="where work/published files go (default: warehouse/)"
    )
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild the incremental marts from the raw tables (after changing a model)",
    )
    args = parser.parse_args(argv)
    try:
        with cancel_on_sigterm():
            nightly(
                input_dir=args.input_dir,
                warehouse_dir=args.warehouse_dir,
                full_refresh=args.full_refresh,
            )
    except RunCancelled as exc:  # recorded as cancelled by the flow
        print(f"nightly run cancelled: {exc}", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("nightly run cancelled: stopped by SIGINT (Ctrl-C)", file=sys.stderr)
        return 130
    except Exception as exc:  # the flow already logged and recorded it
        print(f"nightly run failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
