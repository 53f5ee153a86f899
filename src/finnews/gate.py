"""Great Expectations gate over the built models (write-audit-publish: the audit).

Suites live as code in `expectations/*.py`. Each module exposes `CHECKS`, a list of
`Check(name, query, build_suite)`. DuckDB runs the query into a temporary table and counts
each expectation's unexpected rows there (finnews.audit_sql); GX validates the same suite
over the failing rows only (a sample), so memory does not grow with the batch. The verdict
needs both: DuckDB's count of 0 and GX's pass. `{batches}` in a query stands for the
unpublished batches (a constant list, so DuckDB prunes the old row groups): row-level checks
read the rows this run added, aggregate checks the whole tables, computed by DuckDB. GX's
SQL data source over duckdb_engine returns no rows with DuckDB (every expectation errors),
so it is not used.
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

from finnews.audit_sql import ROW, TABLE, unexpected
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


@dataclass(frozen=True)
class Audited:
    """One check's rows as DuckDB counted them: how many, each expectation's unexpected
    count (by expectation id), and the failing rows GX is given (at most SAMPLE each)."""

    rows: int
    unexpected: dict[Any, int]
    sample: Any  # pandas.DataFrame


def _audit_in_duckdb(con: duckdb.DuckDBPyConnection, query: str, suite: Any) -> Audited:
    """Materialise `query` once in a temporary table (DuckDB spills it to disk past its
    memory_limit) and count each expectation's unexpected rows there."""
    finds = {e.id: unexpected(e.configuration) for e in suite.expectations}
    con.execute(f"create or replace temp table {TABLE} as {query}")
    try:
        counts = con.execute(
            "select count(*)" + "".join(f", {f.count_sql}" for f in finds.values())
            + f" from {TABLE}"
        ).fetchone()  # fmt: skip
        assert counts is not None
        ids = " union ".join(f.rows_sql for f in finds.values()) or f"select null::bigint as {ROW}"
        sample = con.execute(f"select * from {TABLE} where {ROW} in ({ids}) order by {ROW}").df()
    finally:
        con.execute(f"drop table if exists {TABLE}")
    return Audited(int(counts[0]), dict(zip(finds, map(int, counts[1:]), strict=True)), sample)


def _outcome(check: str, res: Any, audited: Audited) -> ExpectationOutcome:
    """GX's verdict on the failing sample and DuckDB's count over all rows must agree."""
    config = res.expectation_config
    error = _exception(res)
    count = audited.unexpected.get(config.id)
    if error:
        detail, success = f"error: {error}", False
    elif count is None:
        detail, success = "no DuckDB count for this expectation", False
    elif bool(res.success) != (count == 0):
        verdict = "passed" if res.success else "failed"
        detail = f"GX {verdict} on the sample but DuckDB counts {count} unexpected: disagree"
        success = False
    elif count:
        sample = (res.result or {}).get("partial_unexpected_list") or []
        detail, success = f"{count} unexpected of {audited.rows} rows, e.g. {sample[:3]}", False
    else:
        detail, success = _detail(res), True
    return ExpectationOutcome(
        check=check,
        expectation=config.type,
        column=config.kwargs.get("column"),
        success=success,
        errored=error is not None,
        detail=detail,
    )


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
        suite = context.suites.add(check.build_suite())
        audited = _audit_in_duckdb(con, render_query(check.query, batches, policy), suite)
        batch_definition = source.add_dataframe_asset(
            check.name
        ).add_batch_definition_whole_dataframe("all")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=check.name, data=batch_definition, suite=suite)
        )
        validation = definition.run(batch_parameters={"dataframe": audited.sample})
        report[check.name] = {
            "rows": audited.rows,
            "unexpected": {str(k): v for k, v in audited.unexpected.items()},
            "sample_rows": len(audited.sample),
            "batches": batches,
            "result": validation.to_json_dict(),
        }
        failpoint("validate.running")
        for res in validation.results:
            outcomes.append(_outcome(check.name, res, audited))
    (out_dir / "validation.json").write_text(json.dumps(report, indent=2, default=str))
    context.build_data_docs()
    result = GateResult(outcomes, batches)
    log.info("gate: %s", result.summary())
    return result
