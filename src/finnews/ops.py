"""Operator commands: `python -m finnews.ops <command>` (or `make status|republish|rebuild|prune`).

Each command is a function in COMMANDS (name -> Command), so new ones are one decorated
function. A command that writes takes the warehouse lock (runs.warehouse_lock) first, so it
never races a nightly run; it prints what it did and exits 0, or 1 with the reason.
docs/operations.md says which command recovers from which failure.

    status      lock holder, last runs (and the stage timings of the last), damaged files,
                stale WAL, size of runs/
    republish   published.duckdb corrupt or missing: move it aside, publish again from work
    rebuild     work.duckdb truncated or corrupt: move it aside, rebuild it from the input
                folder with the nightly flow (which also brings published.duckdb up to date)
    prune       apply run-folder retention ([retention] keep_runs) now
    batches     the newest batches with their status and what held them
    release     publish a held batch
    discard     drop a held batch for good (never published)
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from finnews import batches as batch_book
from finnews.config import Settings
from finnews.policy import load_policy
from finnews.publish import mart_checksums, move_stale_wal, publish
from finnews.retention import human_bytes, prune_runs, run_folders, tree_size
from finnews.runs import (
    StageTiming,
    WarehouseBusy,
    database_problem,
    lock_state,
    read_stages,
    stage_table,
    utcnow,
    warehouse_lock,
)


class OpsError(RuntimeError):
    """A command could not do its job; the message says why and what to do instead."""


@dataclass(frozen=True)
class Command:
    name: str
    func: Callable[[Settings, argparse.Namespace], int]
    help: str
    writes: bool  # takes the warehouse lock
    needs_input: bool = False  # takes --input-dir
    arguments: Callable[[argparse.ArgumentParser], None] | None = None


COMMANDS: dict[str, Command] = {}


def command(
    name: str,
    help: str,
    *,
    writes: bool,
    needs_input: bool = False,
    arguments: Callable[[argparse.ArgumentParser], None] | None = None,
) -> Callable[[Callable[[Settings, argparse.Namespace], int]], Callable]:
    """Register `func(settings, args) -> exit code` as `python -m finnews.ops <name>`."""

    def register(func: Callable[[Settings, argparse.Namespace], int]) -> Callable:
        COMMANDS[name] = Command(name, func, help, writes, needs_input, arguments)
        return func

    return register


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def move_aside(path: Path, label: str) -> Path:
    """Rename `path` to `<name>.<label>-<UTC time>` beside it (never over an existing file),
    its WAL with it. Nothing is deleted."""
    target = path.with_name(f"{path.name}.{label}-{stamp()}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{label}-{stamp()}-{n}")
    os.replace(path, target)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        os.replace(wal, target.with_name(target.name + ".wal"))
    return target


def log_action(settings: Settings, text: str) -> None:
    """Append what an operator command did to <warehouse>/ops.log (kept beside the files)."""
    with open(settings.warehouse_dir / "ops.log", "a", encoding="utf-8") as log:
        log.write(f"{utcnow().isoformat()}Z pid {os.getpid()} {text}\n")


def published_problem(path: Path, verify: bool = True) -> str | None:
    """Why published.duckdb cannot be served, or None: missing, unreadable (corrupt, or a
    stale WAL beside it), no meta.publication, or (verify) tables whose checksum is not the
    one recorded in meta.mart_checksums."""
    if not path.exists():
        return f"{path.name} is missing"
    problem = database_problem(path)
    if problem:
        return problem
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            if con.execute("select count(*) from meta.publication").fetchone()[0] != 1:
                return "meta.publication does not name one run"
            if verify:
                recorded = dict(
                    con.execute("select table_name, checksum from meta.mart_checksums").fetchall()
                )
                actual = mart_checksums(con)
                wrong = sorted(t for t in recorded.keys() | actual.keys()
                               if recorded.get(t) != actual.get(t))  # fmt: skip
                if wrong:
                    return f"tables differ from meta.mart_checksums: {', '.join(wrong)}"
    except duckdb.Error as exc:
        return f"{path.name} cannot be read: {type(exc).__name__}: {exc}"
    return None


# --------------------------------------------------------------------------- republish


def _force(help: str) -> Callable[[argparse.ArgumentParser], None]:
    """A `--force` flag: do the repair even though the file looks sound."""

    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--force", action="store_true", help=help)

    return add


@command(
    "republish",
    "published.duckdb corrupt or missing: move it aside and publish again from work.duckdb",
    writes=True,
    arguments=_force("republish even if published.duckdb looks healthy"),
)
def republish(settings: Settings, args: argparse.Namespace) -> int:
    pub, work = settings.published_db, settings.work_db
    # A WAL beside the published file is an analyst's read-write session (killed, or one
    # that must not exist): the next swap would make the file unreadable. Set it aside.
    moved = move_stale_wal(pub)
    if moved:
        log_action(settings, f"republish: moved a stale WAL aside to {moved.name}")
    problem = published_problem(pub)
    if moved and problem is None and not args.force:
        print(f"moved a stale WAL aside ({moved.name}); {pub.name} opens and verifies")
        return 0
    if problem is None and not args.force:
        print(f"{pub} is healthy (opens, checksums match): nothing to do (--force republishes)")
        return 0
    print(f"{pub}: {problem or 'healthy, republishing anyway (--force)'}")

    # A fresh publish copies work's marts whole, so work must hold exactly what was
    # published: readable, and no batch waiting for an audit (it would go out unaudited).
    work_problem = database_problem(work)
    if work_problem or not work.exists():
        raise OpsError(
            f"work.duckdb cannot serve a republish ({work_problem or 'missing'}): "
            "run `make rebuild` instead, which rebuilds work and publishes"
        )
    with duckdb.connect(str(work), read_only=True) as con:
        pending = batch_book.pending_batches(con)
        row = con.execute(
            "select run_id from raw.runs where published order by ended_at desc nulls last, "
            "started_at desc limit 1"
        ).fetchone()
    if pending:
        moved = ""
        if problem and pub.exists():  # a nightly run cannot extend it: clear the way
            aside = move_aside(pub, "corrupt")
            log_action(
                settings, f"republish: moved {pub.name} aside to {aside.name}; not republished"
            )
            moved = f"{pub.name} was moved aside to {aside.name}; "
        shown = ", ".join(pending[:3]) + ("…" if len(pending) > 3 else "")
        raise OpsError(
            f"work.duckdb has {len(pending)} batch(es) not audited yet ({shown}): a republish "
            f"would publish them unaudited. {moved}Run the nightly flow (`make run`): it audits "
            "them and publishes afresh"
        )
    if row is None:
        raise OpsError(
            "raw.runs records no published run: nothing to republish; run the nightly flow"
        )
    run_id = row[0]
    aside = move_aside(pub, "corrupt") if pub.exists() else None
    if aside:
        print(f"moved {pub.name} aside to {aside.name}")
    result = publish(work, pub, run_id, settings.memory_limit)
    after = published_problem(pub)
    if after:
        raise OpsError(f"republished, but the new file does not verify: {after}")
    rows = sum(result.tables.values())
    text = (
        f"republished {pub} from {work.name}: {len(result.tables)} tables, {rows} rows, "
        f"publication of run {run_id}"
    )
    log_action(settings, f"republish: {text}; old file {aside.name if aside else 'none'}")
    print(text)
    return 0


# ----------------------------------------------------------------------------- rebuild


@command(
    "rebuild",
    "work.duckdb truncated or corrupt: move it aside, rebuild it from the input folder",
    writes=True,
    needs_input=True,
    arguments=_force("rebuild even if work.duckdb reads cleanly"),
)
def rebuild(settings: Settings, args: argparse.Namespace) -> int:
    work, pub = settings.work_db, settings.published_db
    print(f"reading every table of {work} ...")
    problem = database_problem(work, deep=True)
    if problem is None and work.exists() and not args.force:
        print(f"{work} reads cleanly: nothing to do (--force rebuilds anyway)")
        return 0
    if not settings.input_dir.is_dir():
        raise OpsError(f"input folder {settings.input_dir} does not exist: nothing to rebuild from")
    print(f"{work}: {problem or ('missing' if not work.exists() else 'rebuilding (--force)')}")
    if work.exists():
        aside = move_aside(work, "broken")
        print(f"moved {work.name} aside to {aside.name}")
        log_action(settings, f"rebuild: moved {work.name} aside to {aside.name}")
    # The run below publishes onto the published file: it must be one it can extend.
    pub_problem = published_problem(pub, verify=False) if pub.exists() else None
    if pub_problem:
        pub_aside = move_aside(pub, "corrupt")
        print(f"{pub.name}: {pub_problem}; moved aside to {pub_aside.name}")
        log_action(settings, f"rebuild: moved {pub.name} aside to {pub_aside.name}")

    from flows.nightly import nightly  # Prefect loads slowly: only when rebuilding

    print(f"running the nightly flow on {settings.input_dir} into a new {work.name} ...")
    try:
        summary = nightly(
            input_dir=str(settings.input_dir), warehouse_dir=str(settings.warehouse_dir)
        )
    except Exception as exc:
        raise OpsError(f"the rebuilding run failed: {type(exc).__name__}: {exc}") from exc
    status = summary.get("status")
    text = f"rebuilt {work.name} from {settings.input_dir}: run {summary.get('run_id')} {status}"
    log_action(settings, f"rebuild: {text}")
    print(text)
    if status != "completed":
        raise OpsError(f"the rebuilding run ended {status}: {summary.get('message', '')}")
    return 0


# ------------------------------------------------------------------------------ status


def _last(default: int, what: str) -> Callable[[argparse.ArgumentParser], None]:
    """A `--last N` option: how many of the newest `what` a listing shows."""

    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--last", type=int, default=default, help=f"how many {what} to list ({default})"
        )

    return add


@command(
    "status",
    "lock holder, last runs, damaged files, stale WAL, size of runs/",
    writes=False,
    arguments=_last(5, "runs"),
)
def status(settings: Settings, args: argparse.Namespace) -> int:
    problems: list[str] = []
    wh = settings.warehouse_dir
    print(f"warehouse  {wh}")

    lock = lock_state(wh)
    print(f"lock       {lock.path.name}: {lock.describe()}")
    if lock.held and lock.pid:
        print(
            f"           a run is in progress: wait for it, or stop it with `kill {lock.pid}` "
            "(SIGTERM: recorded as cancelled)"
        )

    work = settings.work_db
    if not work.exists():
        print(f"work       {work.name}: missing (the next run creates it; `make rebuild`)")
    elif lock.held:
        print(f"work       {work.name}: {human_bytes(work.stat().st_size)}, in use by the run")
    else:
        problem = database_problem(work)
        if problem:
            problems.append(f"work.duckdb: {problem} -> make rebuild")
        print(f"work       {work.name}: {human_bytes(work.stat().st_size)}, {problem or 'opens'}")
        if not problem:
            _print_runs(work, args.last)

    pub = settings.published_db
    wal = pub.with_name(pub.name + ".wal")
    problem = published_problem(pub, verify=False)
    if not pub.exists() and not work.exists():
        print(f"published  {pub.name}: not built yet (the first `make run` builds it)")
    elif pub.exists() and not problem:
        with duckdb.connect(str(pub), read_only=True) as con:
            run_id, at = con.execute("select run_id, published_at from meta.publication").fetchone()
        print(
            f"published  {pub.name}: {human_bytes(pub.stat().st_size)}, "
            f"run {run_id} at {at:%Y-%m-%d %H:%M:%S} UTC"
        )
    else:
        print(f"published  {pub.name}: {problem}")
        problems.append(f"published.duckdb: {problem} -> make republish")
    if wal.exists():
        print(
            f"stale WAL  {wal.name}: {human_bytes(wal.stat().st_size)}, modified "
            f"{datetime.fromtimestamp(wal.stat().st_mtime, UTC):%Y-%m-%d %H:%M:%S} UTC "
            "(a read-write session on the published file; unless one is open now it is stale: "
            "the next publish moves it aside, or `make republish`)"
        )
        problems.append(f"{wal.name} beside the published file -> make republish")
    else:
        print("stale WAL  none")
    asides = sorted(p.name for p in wh.glob("*.duckdb.*-*") if not p.name.startswith("."))
    if asides:
        print(f"set aside  {', '.join(asides)}")

    folders = run_folders(settings.runs_dir)
    keep = load_policy().retention.keep_runs
    print(
        f"runs/      {len(folders)} run folder(s), {human_bytes(tree_size(settings.runs_dir))}; "
        f"keep_runs = {keep}" + (" (keeps all)" if keep == 0 else "")
    )
    if problems:
        print("problems:")
        for p in problems:
            print(f"  - {p}")
        return 1
    return 0


def _print_runs(work: Path, last: int) -> None:
    try:
        with duckdb.connect(str(work), read_only=True) as con:
            rows = con.execute(
                "select run_id, status, started_at, ended_at, published, coalesce(message, '') "
                "from raw.runs order by started_at desc limit ?",
                [last],
            ).fetchall()
            timed = _last_timed_run(con)
    except duckdb.Error as exc:
        print(f"runs       cannot read raw.runs: {exc}")
        return
    if not rows:
        print("runs       none recorded yet")
    for run_id, state, started, ended, published, message in rows:
        took = f"{(ended - started).total_seconds():.0f} s" if ended and started else "-"
        flag = "published" if published else "not published"
        note = f"  {message[:100]}" if message else ""
        print(f"run        {run_id}  {state:<20} {started:%Y-%m-%d %H:%M} {took:>6}  {flag}{note}")
    if timed:
        run_id, stages = timed
        table = stage_table(stages)
        print(f"stages     {table[0]}  (run {run_id})")
        for line in table[1:]:
            print(f"           {line}")


def _last_timed_run(con: duckdb.DuckDBPyConnection) -> tuple[str, list[StageTiming]] | None:
    """The newest run with stage timings and its stages; None when there is none, or the
    warehouse predates raw.run_stages (status opens it read-only: nothing was migrated)."""
    try:
        row = con.execute(
            "select r.run_id from raw.runs r where exists "
            "(select 1 from raw.run_stages s where s.run_id = r.run_id) "
            "order by r.started_at desc limit 1"
        ).fetchone()
    except duckdb.CatalogException:
        return None
    return (row[0], read_stages(con, row[0])) if row else None


# ------------------------------------------------------------------------------- prune


def _prune_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keep", type=int, help="keep this many run folders (default: policy)")


@command("prune", "apply run-folder retention ([retention] keep_runs) now", writes=True,
         arguments=_prune_args)  # fmt: skip
def prune(settings: Settings, args: argparse.Namespace) -> int:
    keep = args.keep if args.keep is not None else load_policy().retention.keep_runs
    if keep < 0:
        raise OpsError(f"--keep must be >= 0 (0 keeps all), got {keep}")
    pruned = prune_runs(settings.runs_dir, keep)
    if keep == 0:
        print(f"keep_runs = 0: keeping all {len(pruned.kept)} run folder(s)")
        return 0
    for folder in pruned.removed:
        print(f"removed    {folder}")
    text = (
        f"pruned {len(pruned.removed)} run folder(s), freed {human_bytes(pruned.freed_bytes)}; "
        f"kept the newest {len(pruned.kept)} (keep_runs = {keep})"
    )
    if pruned.removed:
        log_action(settings, f"prune: {text}")
    print(text)
    return 0


# ------------------------------------------------------------- batches, release, discard


@command(
    "batches",
    "list the newest batches: status (built, published, held, discarded), what held them",
    writes=False,
    arguments=_last(20, "batches"),
)
def batches(settings: Settings, args: argparse.Namespace) -> int:
    from finnews.pipeline import list_batches

    found = list_batches(settings, args.last)
    if not found:
        print(f"no batches in {settings.work_db}")
        return 0
    print(f"{'seq':>5}  {'batch':36}  {'status':10}  {'rows':>7}  run / held by")
    for b in found:
        why = "; ".join(b["failed_checks"] or []) if b["status"] in ("held", "discarded") else ""
        print(f"{b['batch_seq']:>5}  {b['batch_id'] or '-':36}  {b['status']:10}  "
              f"{b['rows']:>7}  {b['run_id']}{'  ' + why if why else ''}")  # fmt: skip
    held = [b for b in found if b["status"] == "held"]
    if held:
        print(f"{len(held)} held: make release BATCH=<id> publishes one, "
              "make discard BATCH=<id> drops it for good")  # fmt: skip
    return 0


def _decision_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--batch", required=True, help="the held batch's id (see `batches`)")
    parser.add_argument("--note", default="", help="why (kept in raw.batch_decisions)")


def _decide(settings: Settings, args: argparse.Namespace, action: str) -> int:
    from finnews.pipeline import decide_batch

    by = os.environ.get("USER") or os.environ.get("LOGNAME") or "operator"
    try:
        result = decide_batch(settings, args.batch, action, by=by, note=args.note)
    except (LookupError, ValueError) as exc:
        raise OpsError(str(exc)) from exc
    log_action(settings, f"{action} batch {args.batch}")
    print(f"batch {args.batch} {action}; published {result.new_rows} new rows "
          f"({len(result.tables)} tables in {result.path})")  # fmt: skip
    return 0


@command(
    "release",
    "publish a held batch (its rows reach the marts and reports of the published file)",
    writes=True,
    arguments=_decision_args,
)
def release(settings: Settings, args: argparse.Namespace) -> int:
    return _decide(settings, args, "released")


@command(
    "discard",
    "drop a held batch for good: never published (its rows stay in work.duckdb, excluded)",
    writes=True,
    arguments=_decision_args,
)
def discard(settings: Settings, args: argparse.Namespace) -> int:
    return _decide(settings, args, "discarded")


# -------------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m finnews.ops", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for cmd in COMMANDS.values():
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        p.add_argument(
            "--warehouse-dir", help="the warehouse folder (default: $FINNEWS_WAREHOUSE_DIR or "
            "warehouse/)",
        )  # fmt: skip
        if cmd.needs_input:
            p.add_argument(
                "--input-dir", help="the drop folder (default: $FINNEWS_INPUT_DIR or seeds/)"
            )
        if cmd.arguments:
            cmd.arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    cmd = COMMANDS[args.command]
    settings = Settings.resolve(getattr(args, "input_dir", None), args.warehouse_dir)
    try:
        if cmd.writes:
            with warehouse_lock(settings.warehouse_dir):
                return cmd.func(settings, args)
        return cmd.func(settings, args)
    except WarehouseBusy as exc:
        print(f"{cmd.name}: refused: {exc}", file=sys.stderr)
    except OpsError as exc:
        print(f"{cmd.name}: failed: {exc}", file=sys.stderr)
    except (duckdb.Error, OSError, ValueError) as exc:
        print(f"{cmd.name}: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
