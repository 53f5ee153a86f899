"""`make docs`: one browsable folder with the dbt docs, the GX data docs and the run report.

build/docs/index.html      links to the three below
build/docs/dbt/index.html  dbt docs (models, columns, tests, lineage), self-contained
build/docs/gx/index.html   Great Expectations data docs of the latest validated run
build/docs/report/         the latest run report (HTML + charts)
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import sys
from pathlib import Path

from finnews.config import Settings
from finnews.dbt_build import dbt_docs
from finnews.gate import data_docs_index
from finnews.runs import warehouse_lock


def latest_run_with(runs_dir: Path, relative: str) -> Path | None:
    """The newest run folder (run ids sort by time) that holds `relative`."""
    if not runs_dir.is_dir():
        return None
    for run in sorted((p for p in runs_dir.iterdir() if p.is_dir()), reverse=True):
        if (run / relative).exists():
            return run
    return None


def _verdicts(validation_json: Path) -> dict[str, str]:
    if not validation_json.exists():
        return {}
    report = json.loads(validation_json.read_text())
    return {name: "passed" if v["result"]["success"] else "FAILED" for name, v in report.items()}


def build_docs(settings: Settings, out_dir: Path) -> Path:
    """Write the docs folder; returns its index.html. Needs a built warehouse."""
    if not settings.work_db.exists():
        raise FileNotFoundError(f"no warehouse at {settings.work_db}: run `make run` first")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    sections: list[tuple[str, str, str]] = []
    with warehouse_lock(settings.warehouse_dir):  # dbt reads the writer's file
        page = dbt_docs(
            settings.dbt_project_dir,
            settings.work_db,
            out_dir / ".dbt-artifacts",
            settings.memory_limit,
        )
    (out_dir / "dbt").mkdir()
    shutil.copy2(page, out_dir / "dbt" / "index.html")
    shutil.rmtree(out_dir / ".dbt-artifacts")
    sections.append(("dbt/index.html", "dbt docs", "models, columns, tests and lineage"))

    validations: list[tuple[str, str, str]] = []
    gx_rel = str(data_docs_index(Path(".")).relative_to("."))
    gx_run = latest_run_with(settings.runs_dir, gx_rel)
    if gx_run is not None:
        shutil.copytree(data_docs_index(gx_run).parent, out_dir / "gx")
        sections.append(
            (
                "gx/index.html",
                "Great Expectations data docs",
                f"suites and results of run {gx_run.name}",
            )
        )
        # GX's index draws its results table with scripts from CDNs (absent offline):
        # link every validation result page directly too; those render on their own.
        verdicts = _verdicts(gx_run / "validation.json")
        for page in sorted((out_dir / "gx").glob("validations/*/**/*.html")):
            check = page.relative_to(out_dir / "gx" / "validations").parts[0]
            status = verdicts.get(check, "unknown")
            validations.append(
                (page.relative_to(out_dir).as_posix(), f"validation: {check}", status)
            )
    report_run = latest_run_with(settings.runs_dir, "report/index.html")
    if report_run is not None:
        shutil.copytree(report_run / "report", out_dir / "report")
        sections.append(
            ("report/index.html", "Run report", f"charts and tables of run {report_run.name}")
        )

    items = "".join(
        f"<li><a href='{href}'>{html.escape(title)}</a> — {html.escape(note)}</li>"
        for href, title, note in [*sections, *validations]
    )
    index = out_dir / "index.html"
    index.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>finnews-warehouse docs</title>"
        "</head><body style='font-family:system-ui,sans-serif;margin:2em'>"
        f"<h1>finnews-warehouse docs</h1><ul>{items}</ul></body></html>",
        encoding="utf-8",
    )
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build dbt docs + GX data docs + run report.")
    parser.add_argument("--warehouse-dir")
    parser.add_argument("--out", default=None, help="default: build/docs in the repository")
    args = parser.parse_args(argv)
    settings = Settings.resolve(warehouse_dir=args.warehouse_dir)
    out = Path(args.out) if args.out else settings.root / "build" / "docs"
    index = build_docs(settings, out)
    print(f"docs: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
