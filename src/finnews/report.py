"""The run report: one HTML page with PNG charts under the run's folder.

Reads the published file (what analysts see) and the quarantine of the writer's file.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from finnews.batches import held_batches  # noqa: E402
from finnews.explain import WarehousePage, company_names, write_warehouse_pages  # noqa: E402
from finnews.failpoints import failpoint  # noqa: E402

TOP_COMPANIES = 8
# Explain pages per report: a few ms each, so a night of a few hundred articles gets one per
# article; a bulk night (100k articles) gets the first ones, and the report says so.
EXPLAIN_CAP = 500
# The raw tables whose every row names the rule that made it, and that rule's kind; the
# dates among the figures are typed by `date.calendar`, counted with the metric rules.
RULE_TABLES = {
    "figures": "metric", "events": "event", "entities": "entity", "company_mentions": "company",
}  # fmt: skip


def _table(frame: pd.DataFrame, empty: str) -> str:
    if frame.empty:
        return f"<p class='empty'>{html.escape(empty)}</p>"
    shown = frame.apply(lambda column: column.map(_cell))
    return shown.to_html(index=False, border=0, classes="data", escape=True)


def _cell(value: object) -> str:
    """Numbers with thousands separators, dates as ISO, missing as a dash."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _save(fig: plt.Figure, path: Path) -> str:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name


def _mentions_chart(pub: duckdb.DuckDBPyConnection, out: Path) -> str | None:
    frame = pub.execute(
        """
        with top as (
            select company_id from marts.fct_company_mentions
            group by company_id order by count(*) desc, company_id limit ?
        )
        select m.published_date, c.company_name, count(*) as mentions
        from marts.fct_company_mentions m
        join top using (company_id)
        join marts.dim_companies c using (company_id)
        where m.published_date is not null
        group by all order by 1
        """,
        [TOP_COMPANIES],
    ).df()
    if frame.empty:
        return None
    wide = frame.pivot_table(
        index="published_date", columns="company_name", values="mentions", aggfunc="sum"
    ).fillna(0)
    fig, ax = plt.subplots(figsize=(9, 4))
    wide.plot(ax=ax, marker="o", linewidth=1)
    ax.set_title(f"Company mentions per publication date (top {TOP_COMPANIES})")
    ax.set_xlabel("publication date")
    ax.set_ylabel("mentions")
    ax.legend(fontsize=7, ncols=2)
    return _save(fig, out / "mentions_per_company.png")


def _share_price_chart(pub: duckdb.DuckDBPyConnection, out: Path) -> str | None:
    frame = pub.execute(
        """
        select as_of_date, company_name, avg_price
        from reporting.rpt_share_price_mentions
        where currency = 'EUR' and as_of_date is not null order by as_of_date
        """
    ).df()
    if frame.empty:
        return None
    fig, ax = plt.subplots(figsize=(9, 4))
    for company, rows in frame.groupby("company_name"):
        ax.plot(rows["as_of_date"], rows["avg_price"], marker="o", linewidth=1, label=company)
    ax.set_yscale("log")
    ax.set_title("Share prices quoted in articles (EUR, log scale)")
    ax.set_xlabel("publication date")
    ax.set_ylabel("EUR")
    ax.legend(fontsize=7, ncols=2)
    return _save(fig, out / "share_prices.png")


def _quarantine_chart(quarantine: pd.DataFrame, out: Path) -> str | None:
    if quarantine.empty:
        return None
    counts = quarantine.groupby("reason").size().sort_values()
    fig, ax = plt.subplots(figsize=(6, 0.5 + 0.4 * len(counts)))
    counts.plot.barh(ax=ax, color="#b55")
    ax.set_title("Quarantined files by reason (all runs)")
    ax.set_xlabel("files")
    return _save(fig, out / "quarantine.png")


def _rejected_and_held(
    work: duckdb.DuckDBPyConnection, run_id: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """This run's rejected rows by check (with an example), and every batch still held."""
    rejected = work.execute(
        """
        select check_name, table_name, count(*) as n_rows, min(reason) as example_reason,
               first(evidence order by row_key) as example_evidence
        from intermediate.int_row_checks
        where run_id = ? and check_name is not null
        group by check_name, table_name order by n_rows desc, check_name
        """,
        [run_id],
    ).df()
    held = pd.DataFrame(
        [{**h, "failed_checks": "; ".join(h["failed_checks"] or [])} for h in held_batches(work)],
        columns=["batch_id", "batch_seq", "run_id", "failed_checks", "held_at"],
    )
    return rejected, held


def _explain_pages(
    work: duckdb.DuckDBPyConnection, run_id: str, out_dir: Path, cap: int = EXPLAIN_CAP
) -> tuple[list[WarehousePage], int]:
    """An explain page (out_dir/explain/<article_id>.html) for each article this run
    extracted, at most `cap` of them; returns the pages and how many articles there were."""
    ((total, ids),) = work.execute(
        """
        select count(*), (list(article_id order by article_id))[1:?]
        from raw.extracted where run_id = ?
        """,
        [cap, run_id],
    ).fetchall()  # fetched to the end: the connection serves the next query
    pages = write_warehouse_pages(work, ids or [], out_dir / "explain", company_names())
    return pages, int(total)


def _explain_section(pages: list[WarehousePage], total: int) -> str:
    if not pages:
        return "<p class='empty'>no articles extracted in this run</p>"
    capped = (
        f"<p class='note'>capped: {len(pages)} of {total} articles have a page "
        f"(<code>make explain ARTICLE=&lt;article_id&gt;</code> renders any other)</p>"
        if total > len(pages)
        else ""
    )
    pages = sorted(pages, key=lambda p: (p.article.published_date or date.max, p.article.title))
    rows = "".join(
        f"<tr><td><a href='explain/{html.escape(p.path.name)}'>{html.escape(p.article.title)}"
        f"</a></td><td>{_cell(p.article.published_date)}</td>"
        + "".join(
            f"<td>{p.counts[key]}</td>" for key in ("figures", "mentions", "events", "entities")
        )
        + "</tr>"
        for p in pages
    )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("article", "published", "figures", "company mentions", "events", "entities")
    )
    return f"{capped}<table class='data explain'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _rules_fired(work: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """rule_id, kind, rows and articles of every rule that made a raw row of an article
    this run extracted; by kind (RULE_TABLES' order), then the most rows first."""
    branches = " union all ".join(
        f"select {i} as kind_no, '{kind}' as kind, rule_id, article_id from raw.{table} "
        "where article_id in (select article_id from night)"
        for i, (table, kind) in enumerate(RULE_TABLES.items())
    )  # table names and kinds are ours, not input: safe in the SQL
    return work.execute(
        f"""
        with night as (select article_id from raw.extracted where run_id = ?),
        fired as ({branches})
        select rule_id, kind, count(*) as rows, count(distinct article_id) as articles
        from fired group by kind_no, kind, rule_id order by kind_no, rows desc, rule_id
        """,
        [run_id],
    ).df()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _rules_section(fired: pd.DataFrame, n_articles: int) -> str:
    """The summary line (how many rules of each kind fired) and the table."""
    per_kind = fired.groupby("kind")["rule_id"].nunique()
    summary = ", ".join(
        _plural(int(per_kind.get(kind, 0)), f"{kind} rule")
        for kind in ("metric", "event", "entity")
    )
    return (
        f"<p class='summary'>{summary} fired on the {_plural(n_articles, 'article')} "
        f"extracted in this run.</p>{_table(fired, 'no rules fired in this run')}"
    )


def write_report(
    published_db: Path | Callable[[], duckdb.DuckDBPyConnection],
    work_db: Path,
    out_dir: Path,
    run_id: str,
    today: date | None = None,
) -> Path:
    """Write `index.html` and its charts into `out_dir`; returns the HTML path.
    `published_db`: the published file, or what opens another publish target read-only
    (the DuckLake: finnews.lake.connect_lake)."""
    failpoint("report.running")
    today = today or date.today()
    out_dir.mkdir(parents=True, exist_ok=True)
    opened = (
        published_db()
        if callable(published_db)
        else duckdb.connect(str(published_db), read_only=True)
    )
    with opened as pub:
        charts = [_mentions_chart(pub, out_dir), _share_price_chart(pub, out_dir)]
        calendar = pub.execute(
            """
            select earnings_date, company_name, ticker, alternative_date, n_articles,
                   earnings_date >= ? as upcoming
            from reporting.rpt_earnings_calendar order by earnings_date, company_name
            """,
            [today],
        ).df()
        latest = pub.execute(
            """
            select company_name, metric_type, value, unit, qualifier, as_of_date, surface
            from reporting.rpt_latest_metrics order by company_name, metric_type
            """
        ).df()
    with duckdb.connect(str(work_db), read_only=True) as work:
        quarantine = work.execute(
            "select file_name, reason, detail, run_id from raw.quarantine order by quarantined_at desc"
        ).df()
        rejected, held = _rejected_and_held(work, run_id)
        explained, n_extracted = _explain_pages(work, run_id, out_dir)
        fired = _rules_fired(work, run_id)
    charts.append(_quarantine_chart(quarantine, out_dir))
    images = "".join(f"<img src='{name}' alt='{name}'>" for name in charts if name)
    upcoming = calendar[calendar["upcoming"]].drop(columns="upcoming")
    page = f"""<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>finnews run {html.escape(run_id)}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}} img{{max-width:100%;margin:1em 0}}
table.data{{border-collapse:collapse;font-size:.9em}} table.data td,table.data th{{padding:.2em .6em;border-bottom:1px solid #ddd}}
.empty{{color:#777}} .note{{background:#fff3cd;padding:.3em .6em}}
</style></head><body>
<h1>finnews nightly run <code>{html.escape(run_id)}</code></h1>
<h2>Charts</h2>{images}
<h2>Upcoming earnings (from {today.isoformat()})</h2>{_table(upcoming, "no upcoming earnings dates")}
<h2>Earnings calendar (all announced dates)</h2>{_table(calendar.drop(columns="upcoming"), "no earnings dates")}
<h2>Latest metrics per company</h2>{_table(latest, "no metrics")}
<h2>Rejected rows of this run, by check</h2>{_table(rejected, "no rejected rows")}
<h2>Held batches (make release BATCH=… / make discard BATCH=…)</h2>{_table(held, "no held batches")}
<h2>Quarantine</h2>{_table(quarantine, "no quarantined files")}
<h2>Articles of this run, explained</h2>
<p>Each page shows an article's body with every figure, company, entity and event
highlighted in place (hover for type, value, subject company and rule), as extracted into
the raw tables.</p>
{_explain_section(explained, n_extracted)}
<section id="rules-fired"><h2>Rules fired</h2>
<p>The extraction rules (<code>src/finnews/rules/</code>: metric rules type figures, event
rules make events; entity rules and the company gazetteer find names) that made a row of
this run's articles: rows made, and in how many articles.</p>
{_rules_section(fired, n_extracted)}
</section>
</body></html>
"""
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
