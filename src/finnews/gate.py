"""Great Expectations gate over the built models (write-audit-publish: the audit).

Suites live as code in `expectations/*.py`. Each module exposes `CHECKS`, a list of
`Check(name, query, build_suite)`: DuckDB runs the query (only the rows and columns the
suite needs), GX validates the resulting pandas frame. `{batches}` in a query stands for the
unpublished batches (a constant list, so DuckDB prunes the old row groups): row-level checks
read the rows this run added, aggregate checks the whole tables, computed by DuckDB. GX's SQL data source over
duckdb_engine returns no rows with DuckDB (every expectation errors), so it is not used.
An expectation that raised is a failure with its exception, never a pass.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb

from finnews.batches import pending_batches, sql_list
from finnews.failpoints import failpoint
from finnews.policy import Policy, load_policy
from finnews.progress import track

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    """One GX suite validated against the rows of one DuckDB query."""

    name: str
    query: str
    build_suite: Callable[[], Any]  # -> gx.ExpectationSuite


@dataclass(frozen=True)
class ExpectationOutcome:
    check: str
    expectation: str
    column: str | None
    success: bool
    errored: bool
    detail: str

    @property
    def label(self) -> str:
        col = f"({self.column})" if self.column else ""
        return f"{self.check}: {self.expectation}{col}"


@dataclass(frozen=True)
class GateResult:
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    # The batches this audit judged (pending: built, not published, held or discarded).
    batches: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.outcomes) and all(o.success for o in self.outcomes)

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    @property
    def n_passed(self) -> int:
        return sum(o.success for o in self.outcomes)

    def summary(self) -> str:
        if self.passed:
            return f"all {len(self.outcomes)} expectations passed"
        return "failed expectations: " + "; ".join(f"{o.label} [{o.detail}]" for o in self.failed)


class GateFailed(RuntimeError):
    """The audit did not pass (kept for callers that want to stop on it; the nightly flow
    holds the audited batches instead and goes on)."""

    def __init__(self, result: GateResult):
        super().__init__(result.summary())
        self.result = result


def expect_zero(suite: Any, columns: Iterable[str]) -> Any:
    """`suite` with an expectation that each of `columns` (a one-row summary's counts of
    duplicates, missing or orphan rows) is 0."""
    import great_expectations.expectations as gxe

    for column in columns:
        suite.add_expectation(
            gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=0)
        )
    return suite


def load_checks(expectations_dir: Path) -> list[Check]:
    """Every `CHECKS` list of every module in the expectations folder, in file order."""
    modules = sorted(p for p in expectations_dir.glob("*.py") if not p.name.startswith("_"))
    if not modules:
        raise FileNotFoundError(f"no expectation suites in {expectations_dir}")
    checks: list[Check] = []
    for path in modules:
        module = _import(path)
        found = getattr(module, "CHECKS", None)
        if not found:
            raise ValueError(f"{path} defines no CHECKS")
        checks.extend(found)
    return checks


def _import(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"finnews_expectations.{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _context(project_dir: Path) -> Any:
    """A file-backed GX context in the run's folder: suites, results and data docs land there."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=str(project_dir))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _exception(result: Any) -> str | None:
    """The message of an expectation that raised instead of reaching a verdict."""
    info = result.exception_info or {}
    entries = [info] if "raised_exception" in info else list(info.values())
    for entry in entries:
        if isinstance(entry, dict) and entry.get("raised_exception"):
            return str(entry.get("exception_message") or "raised an exception")
    return None


def _detail(result: Any) -> str:
    res = result.result or {}
    if "unexpected_count" in res and res["unexpected_count"]:
        sample = res.get("partial_unexpected_list") or []
        return f"{res['unexpected_count']} unexpected, e.g. {sample[:3]}"
    if "observed_value" in res:
        return f"observed {res['observed_value']}"
    return "ok" if result.success else "failed"


def data_docs_index(out_dir: Path) -> Path:
    """Where run_gate leaves the GX data docs of a run."""
    return out_dir / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def render_query(query: str, batches: list[str], policy: Policy) -> str:
    """A check's SQL with `{batches}` and `{quality.<key>}` (finnews.toml) filled in: batch
    ids are checked UUIDs, thresholds numbers, so nothing else reaches the SQL text."""
    sql = query.replace("{batches}", sql_list(batches))
    for key, value in vars(policy.quality).items():
        if isinstance(value, int | float):
            sql = sql.replace("{quality." + key + "}", repr(value))
    return sql


def run_gate(
    con: duckdb.DuckDBPyConnection,
    checks: list[Check],
    out_dir: Path,
    batches: list[str] | None = None,
    policy: Policy | None = None,
) -> GateResult:
    """Validate every check over `batches` (default: all pending); store GX results and data
    docs, and a JSON summary, in `out_dir`."""
    import great_expectations as gx

    out_dir.mkdir(parents=True, exist_ok=True)
    context = _context(out_dir)
    source = context.data_sources.add_pandas("warehouse")
    outcomes: list[ExpectationOutcome] = []
    batches = pending_batches(con) if batches is None else batches
    policy = policy or load_policy()
    report: dict[str, Any] = {}
    for check in track(checks, len(checks), "validate", unit="suite"):
        frame = con.execute(render_query(check.query, batches, policy)).df()
        batch_definition = source.add_dataframe_asset(
            check.name
        ).add_batch_definition_whole_dataframe("all")
        suite = context.suites.add(check.build_suite())
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=check.name, data=batch_definition, suite=suite)
        )
        validation = definition.run(batch_parameters={"dataframe": frame})
        report[check.name] = {
            "rows": len(frame),
            "batches": batches,
            "result": validation.to_json_dict(),
        }
        failpoint("validate.running")
        for res in validation.results:
            error = _exception(res)
            outcomes.append(
                ExpectationOutcome(
                    check=check.name,
                    expectation=res.expectation_config.type,
                    column=res.expectation_config.kwargs.get("column"),
                    success=bool(res.success) and error is None,
                    errored=error is not None,
                    detail=f"error: {error}" if error else _detail(res),
                )
            )
    (out_dir / "validation.json").write_text(json.dumps(report, indent=2, default=str))
    context.build_data_docs()
    result = GateResult(outcomes, batches)
    log.info("gate: %s", result.summary())
    return result
