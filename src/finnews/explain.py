"""See it: one article as a static HTML page with every extracted span highlighted in place.

In the manner of spaCy's displaCy: figures (coloured by metric type), company mentions,
people, products, places and organisation candidates are marked where they stand in the
body, events underline their sentence with a marker at its start, and each span's `title`
tooltip gives its type, normalised value, subject company and the rule that produced it.
A table below lists every span, so the page can be read without hovering. One file, inline
CSS, no scripts, no network.

    python -m finnews.explain FILE [--out build/explain]
    python -m finnews.explain --article-id ID [--warehouse-dir W] [--out build/explain]

A file goes through the ingest's own decode and clean steps, so the page shows the body the
warehouse stores and its offsets; an article id is read from work.duckdb's raw tables.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from finnews.config import Settings, project_root
from finnews.decode import Decoded, decode_bytes
from finnews.extract.companies import alias_table, load_gazetteer
from finnews.extract.run import extract_articles

# The ingest's preparation of a batch is the one place that turns a decoded file into the
# stored row (body, title, article id, date): reused, not copied, so the two cannot drift.
from finnews.ingest import _prepare as prepare_articles

# Drawing order where spans share extents: an event (a whole sentence) outside, then
# company mentions and entities, figures innermost (often inside a named thing's sentence).
_LAYER = {
    "event": 0,
    "company": 1,
    "organisation_candidate": 1,
    "person": 2,
    "product": 2,
    "place": 2,
    "figure": 3,
}
# displaCy's colours where it has the same kind (ORG, PERSON, PRODUCT, GPE).
_KIND_COLOURS = {
    "company": "#7aecec",
    "person": "#aa9cfc",
    "product": "#bfeeb7",
    "place": "#feca74",
    "organisation_candidate": "#e4e7d2",
}
_DATE_COLOUR = "#bfe1d9"  # displaCy's DATE
_KIND_NAMES = {
    "figure": "figure",
    "company": "company mention",
    "person": "person",
    "product": "product",
    "place": "place",
    "organisation_candidate": "organisation candidate (not in the gazetteer)",
    "event": "event (its sentence underlined)",
}
# Event sentences can be long; the table shows their start.
_TABLE_TEXT = 160


@dataclass(frozen=True)
class Span:
    """One highlighted stretch of the body: body[start:end]."""

    kind: str  # figure | company | person | product | place | organisation_candidate | event
    label: str  # metric type, company id, entity type or event type
    start: int
    end: int
    value: str | None = None  # normalised value with unit/currency, or the entity's name
    subject: str | None = None  # the company it is about
    rule_id: str | None = None
    details: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Article:
    article_id: str
    title: str
    body: str
    source: str
    published_date: date | None = None
    note: str | None = None  # e.g. what the ingest would quarantine it for


# --- span rows -> Span ---------------------------------------------------------------


def _number(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    if number.is_integer() and abs(number) < 1e18:
        return f"{int(number):,}"
    return f"{number:,.4f}".rstrip("0").rstrip(".")


def _text(value: object) -> str | None:
    """A cell as text; None for missing values (null, NaN)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _company(company_id: object, names: Mapping[str, str]) -> str | None:
    if company_id is None:
        return None
    name = names.get(str(company_id))
    return f"{name} ({company_id})" if name and name != company_id else str(company_id)


def _rule(row: Mapping[str, object]) -> str | None:
    # rule_id is newer than some warehouses (and than this module): absent means unknown.
    return _text(row.get("rule_id"))


def _details(row: Mapping[str, object], keys: Iterable[str]) -> tuple[tuple[str, str], ...]:
    pairs = ((key, _text(row.get(key))) for key in keys)
    return tuple((key, text) for key, text in pairs if text is not None and text != "")


def figure_value(row: Mapping[str, object]) -> str | None:
    """The normalised value: a date, or a number (a range as low–high) with its unit and,
    when it differs from the unit, the currency."""
    if row.get("kind") == "date" or row.get("unit") == "date":
        day, alt = _text(row.get("value_date")), _text(row.get("alt_date"))
        if day is None:
            return None
        return f"{day} or {alt}" if alt else day
    value, low = row.get("value"), row.get("value_low")
    if _text(value) is None:
        return _text(row.get("unit"))
    number = _number(value) if _text(low) is None else f"{_number(low)}–{_number(value)}"
    unit, currency = _text(row.get("unit")), _text(row.get("currency"))
    shown = f"{number} {unit}" if unit else number
    return f"{shown} ({currency})" if currency and currency != unit else shown


def _rows(frame: pl.DataFrame | None) -> list[dict[str, object]]:
    return [] if frame is None else list(frame.iter_rows(named=True))


def figure_spans(figures: pl.DataFrame | None, names: Mapping[str, str] = {}) -> list[Span]:
    keys = ("kind", "qualifier", "count_noun", "period", "range_type", "year_inferred", "figure_id")
    return [
        Span("figure", str(r["metric_type"]), int(r["char_start"]), int(r["char_end"]),
             figure_value(r), _company(r.get("company_id"), names), _rule(r), _details(r, keys))
        for r in _rows(figures)
    ]  # fmt: skip


def mention_spans(mentions: pl.DataFrame | None, names: Mapping[str, str] = {}) -> list[Span]:
    return [
        Span("company", str(r["company_id"]), int(r["char_start"]), int(r["char_end"]),
             None, _company(r["company_id"], names), _rule(r),
             _details(r, ("alias", "mention_id")))
        for r in _rows(mentions)
    ]  # fmt: skip


def entity_spans(entities: pl.DataFrame | None, names: Mapping[str, str] = {}) -> list[Span]:
    return [
        Span(str(r["entity_type"]), str(r["entity_type"]), int(r["char_start"]),
             int(r["char_end"]), _text(r.get("name")), _company(r.get("company_id"), names),
             _rule(r), _details(r, ("role", "entity_id")))
        for r in _rows(entities)
    ]  # fmt: skip


def event_spans(events: pl.DataFrame | None, names: Mapping[str, str] = {}) -> list[Span]:
    spans = []
    for r in _rows(events):
        counterpart = _company(r.get("counterpart_company_id"), names)
        details = _details(r, ("status", "event_date", "alt_date"))
        details += (("counterpart", counterpart),) if counterpart else ()
        details += _details(r, ("figure_id", "event_id"))
        spans.append(
            Span("event", str(r["event_type"]), int(r["char_start"]), int(r["char_end"]),
                 _text(r.get("event_date")), _company(r.get("company_id"), names), _rule(r),
                 details)
        )  # fmt: skip
    return spans


def spans_of(
    *,
    figures: pl.DataFrame | None = None,
    mentions: pl.DataFrame | None = None,
    events: pl.DataFrame | None = None,
    entities: pl.DataFrame | None = None,
    companies: Mapping[str, str] = {},
) -> list[Span]:
    """Every span of one article's extraction frames (the Extraction's or the raw tables',
    which share their columns), in reading order."""
    spans = [
        *event_spans(events, companies),
        *mention_spans(mentions, companies),
        *entity_spans(entities, companies),
        *figure_spans(figures, companies),
    ]
    return sorted(spans, key=lambda s: (s.start, -s.end, _LAYER.get(s.kind, 9), s.label))


# --- rendering -----------------------------------------------------------------------


def _css_name(label: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "-", label.lower()) or "-"


def _hue(label: str) -> int:
    # Stable across runs and pages: the same metric type is always the same colour.
    return zlib.crc32(label.encode()) % 360


def _colour_rules(spans: Sequence[Span]) -> str:
    rules = [f".k-{kind}{{background:{colour}}}" for kind, colour in _KIND_COLOURS.items()]
    # Figures carry a border in their own hue: no metric type passes for an entity kind.
    for label in sorted({s.label for s in spans if s.kind == "figure"}):
        hue = _hue(label)
        background = _DATE_COLOUR if label == "date" else f"hsl({hue},75%,84%)"
        rules.append(
            f".k-figure.t-{_css_name(label)}{{background:{background};"
            f"border:1px solid hsl({hue},45%,50%)}}"
        )
    for label in sorted({s.label for s in spans if s.kind == "event"}):
        colour = f"hsl({_hue(label)},60%,38%)"
        rules.append(
            f".k-event.t-{_css_name(label)}{{border-bottom-color:{colour}}}"
            f".k-event.t-{_css_name(label)}::before{{background:{colour}}}"
        )
    return "\n".join(rules)


def tooltip(number: int, span: Span) -> str:
    """What hovering shows: the span's number (its table row), type, value, subject, rule."""
    lines = [f"#{number} {span.kind}: {span.label}"]
    if span.value is not None:
        lines.append(f"value: {span.value}")
    lines.append(f"subject: {span.subject or '–'}")
    lines += [f"{key}: {text}" for key, text in span.details]
    lines.append(f"rule: {span.rule_id or '–'}")
    return "\n".join(lines)


def _open_tag(number: int, span: Span, first: bool) -> str:
    """A span's element; a piece after the first (an overlap forced a split) keeps its
    class and tooltip but no id and no label."""
    classes = f"sp k-{span.kind} t-{_css_name(span.label)}" + ("" if first else " cont")
    attrs = [
        f'class="{classes}"',
        f'data-span="{number}"',
        f'data-kind="{html.escape(span.kind)}"',
        f'title="{html.escape(tooltip(number, span))}"',
    ]
    if first:
        attrs[:0] = [f'id="s{number}"']
        attrs.append(f'data-label="{html.escape(span.label)}"')
    return f"<span {' '.join(attrs)}>"


def render_body(body: str, spans: Sequence[Span]) -> str:
    """The body as escaped HTML with every span wrapped in place.

    Cut at every span boundary; spans open longest first, so nested spans nest as elements.
    When spans cross (neither holds the other), the inner one is closed where the outer ends
    and reopened as a continuation piece: the HTML stays well formed, every character keeps
    all its spans. Spans outside the body or empty are left to the table.
    """
    numbered = [(n, s) for n, s in enumerate(spans, start=1) if 0 <= s.start < s.end <= len(body)]
    order = sorted(numbered, key=lambda ns: (ns[1].start, -ns[1].end, _LAYER.get(ns[1].kind, 9)))
    cuts = sorted({0, len(body)} | {s.start for _, s in numbered} | {s.end for _, s in numbered})
    out: list[str] = []
    stack: list[tuple[int, Span]] = []
    pos = following = 0
    for cut in cuts:
        out.append(html.escape(body[pos:cut]))
        pos = cut
        if any(s.end == cut for _, s in stack):
            reopen: list[tuple[int, Span]] = []
            while any(s.end == cut for _, s in stack):
                top = stack.pop()
                out.append("</span>")
                if top[1].end != cut:
                    reopen.append(top)
            for n, s in reversed(reopen):
                out.append(_open_tag(n, s, first=False))
                stack.append((n, s))
        while following < len(order) and order[following][1].start == cut:
            n, s = order[following]
            out.append(_open_tag(n, s, first=True))
            stack.append((n, s))
            following += 1
    return "".join(out)


def _legend(spans: Sequence[Span]) -> str:
    present = {s.kind for s in spans}
    items = [
        f'<span class="sp k-{kind} swatch">{html.escape(name)}</span>'
        for kind, name in _KIND_NAMES.items()
        if kind in present and kind not in ("figure", "event")
    ]
    items += [
        f'<span class="sp k-figure t-{_css_name(label)} swatch">figure: {html.escape(label)}</span>'
        for label in sorted({s.label for s in spans if s.kind == "figure"})
    ]
    items += [
        f'<span class="k-event t-{_css_name(label)} swatch ev-swatch">event: '
        f"{html.escape(label)}</span>"
        for label in sorted({s.label for s in spans if s.kind == "event"})
    ]
    return " ".join(items) or "<span class='empty'>nothing extracted</span>"


def _cell(text: str | None) -> str:
    return "–" if text is None or text == "" else html.escape(text)


def _table(body: str, spans: Sequence[Span]) -> str:
    rows = []
    for n, s in enumerate(spans, start=1):
        text = body[s.start : s.end] if 0 <= s.start < s.end <= len(body) else None
        if text is not None and len(text) > _TABLE_TEXT:
            text = text[:_TABLE_TEXT] + "…"
        details = "; ".join(f"{k}: {v}" for k, v in s.details)
        rows.append(
            f'<tr id="row{n}"><td><a href="#s{n}">{n}</a></td><td>{_cell(s.kind)}</td>'
            f"<td>{_cell(s.label)}</td><td class='surface'>{_cell(text)}</td>"
            f"<td>{s.start}–{s.end}</td><td>{_cell(s.value)}</td><td>{_cell(s.subject)}</td>"
            f"<td>{_cell(s.rule_id)}</td><td class='details'>{_cell(details)}</td></tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("#", "kind", "type", "text", "offsets", "value", "subject", "rule", "details")
    )
    return (
        f"<table class='spans'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
.meta{color:#555;font-size:.9em} .meta code{font-size:.95em}
.note{background:#fff3cd;padding:.4em .8em;border-left:4px solid #e0a800}
.legend{margin:1em 0;line-height:2.4}
.doc{white-space:pre-wrap;line-height:2.5;font-size:1.05em;border:1px solid #ddd;padding:1em 1.2em;border-radius:6px}
.sp{padding:.15em .25em;border-radius:.35em;box-decoration-break:clone;-webkit-box-decoration-break:clone}
.sp[data-label]::after{content:attr(data-label);font-size:.62em;font-weight:700;text-transform:uppercase;margin-left:.35em;vertical-align:middle;color:#333}
.k-organisation_candidate{outline:1px dashed #999}
.k-event{background:none;border-bottom:3px solid #555;padding:0 0 .2em 0;border-radius:0}
.k-event[data-label]::after{content:none}
.k-event[data-label]::before{content:attr(data-label);color:#fff;font-size:.62em;font-weight:700;padding:.1em .4em;margin-right:.35em;border-radius:.3em;vertical-align:middle;background:#555}
.k-event.cont::before{content:none}
.swatch{display:inline-block;font-size:.85em;margin:.1em}
.ev-swatch{border-bottom:3px solid;padding:0 .2em}
table.spans{border-collapse:collapse;font-size:.85em;margin-top:1em}
table.spans td,table.spans th{padding:.2em .5em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
td.surface{max-width:28em} td.details{color:#555;max-width:24em;overflow-wrap:anywhere}
.empty{color:#777}
"""


def render_page(article: Article, spans: Sequence[Span]) -> str:
    """One self-contained HTML page: header, legend, the highlighted body, the span table."""
    counts = {kind: sum(s.kind == kind for s in spans) for kind in _KIND_NAMES}
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "no spans"
    published = article.published_date.isoformat() if article.published_date else "–"
    note = f"<p class='note'>{html.escape(article.note)}</p>" if article.note else ""
    return f"""<!doctype html>
<html lang="de"><head><meta charset="utf-8">
<title>explain: {html.escape(article.title)}</title>
<style>{_CSS}{_colour_rules(spans)}</style></head><body>
<h1>{html.escape(article.title)}</h1>
<p class="meta">article <code>{html.escape(article.article_id)}</code> · source
<code>{html.escape(article.source)}</code> · published {published} · {html.escape(summary)}</p>
{note}
<div class="legend">{_legend(spans)}</div>
<div class="doc" id="body">{render_body(article.body, spans)}</div>
<h2>Every span ({len(spans)})</h2>
<p class="meta">offsets index the stored body: body[start:end] is the text; hover a highlight
for the same details.</p>
{_table(article.body, spans)}
</body></html>
"""


# --- where articles and spans come from ----------------------------------------------


def company_names(companies_csv: Path | None = None) -> dict[str, str]:
    """company_id -> name from the gazetteer; empty when the seed is not there."""
    path = companies_csv or project_root() / "dbt_project" / "seeds" / "companies.csv"
    if not path.is_file():
        return {}
    frame = load_gazetteer(path)
    return dict(zip(frame["company_id"], frame["name"], strict=True))


def article_from_file(path: Path) -> Article:
    """Decode and clean `path` exactly as the ingest does (decode_bytes, then the ingest's
    own batch preparation: boilerplate out, dateline split, hard wraps rejoined), so the
    body, its offsets and the article id are the ones the warehouse stores."""
    data = path.read_bytes()
    decoded = decode_bytes(data)
    if not isinstance(decoded, Decoded):
        raise ValueError(f"{path}: not an article ({decoded.reason}: {decoded.detail})")
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    doc = {"path": str(path), "file_name": path.name, "raw_text": decoded.text,
           "encoding": decoded.encoding, "decode_errors": decoded.decode_errors,
           "modified_at": modified, "size_bytes": len(data)}  # fmt: skip
    row = prepare_articles([doc]).row(0, named=True)
    if not row["body"]:
        raise ValueError(f"{path}: nothing left after removing ads and teasers (no_prose)")
    note = "the ingest would quarantine this file: its text stops mid-sentence (truncated)"
    return Article(
        article_id=row["article_id"],
        title=row["title"] or path.name,
        body=row["body"],
        source=str(path),
        published_date=row["published_date"],
        note=note if row["cut_off"] else None,
    )


def explain_file(path: Path, out_dir: Path, companies_csv: Path | None = None) -> Path:
    """Extract `path` as the nightly run would and write out_dir/<stem>.html."""
    csv = companies_csv or project_root() / "dbt_project" / "seeds" / "companies.csv"
    article = article_from_file(path)
    frame = pl.DataFrame(
        {"article_id": [article.article_id], "body": [article.body],
         "published_date": [article.published_date]},
        schema={"article_id": pl.String, "body": pl.String, "published_date": pl.Date},
    )  # fmt: skip
    extraction = extract_articles(frame, alias_table(load_gazetteer(csv)))
    spans = spans_of(
        figures=extraction.figures,
        mentions=extraction.mentions,
        events=extraction.events,
        entities=extraction.entities,
        companies=company_names(csv),
    )
    return _write(out_dir / f"{path.stem}.html", render_page(article, spans))


def _write(path: Path, page: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


# The raw tables each kind of span lives in (see warehouse.RAW_DDL).
_RAW_TABLES = {
    "figures": "raw.figures",
    "mentions": "raw.company_mentions",
    "events": "raw.events",
    "entities": "raw.entities",
}


def _select_for(
    con: duckdb.DuckDBPyConnection, sql: str, article_ids: Sequence[str]
) -> pl.DataFrame:
    """`sql` (reading the view `_explain_ids`) over the given article ids; the ids reach
    DuckDB as Arrow data, never inside the SQL."""
    con.register(
        "_explain_ids",
        pl.DataFrame(
            {"article_id": list(article_ids)}, schema={"article_id": pl.String}
        ).to_arrow(),
    )
    try:
        return con.sql(sql).pl()
    finally:
        con.unregister("_explain_ids")


def _by_article(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    return {
        str(key[0]): part for key, part in frame.partition_by("article_id", as_dict=True).items()
    }


@dataclass(frozen=True)
class WarehousePage:
    article: Article
    path: Path
    counts: dict[str, int]


def write_warehouse_pages(
    con: duckdb.DuckDBPyConnection,
    article_ids: Sequence[str],
    out_dir: Path,
    companies: Mapping[str, str] | None = None,
) -> list[WarehousePage]:
    """One page per article id (out_dir/<article_id>.html) from work.duckdb's raw tables:
    one query per table for all of them, then per-article rendering in memory."""
    names = company_names() if companies is None else companies
    articles = _select_for(
        con,
        "select article_id, title, body, source_path, published_date from raw.articles "
        "semi join _explain_ids using (article_id) order by article_id",
        article_ids,
    )
    frames = {
        key: _by_article(
            _select_for(
                con, f"select * from {table} semi join _explain_ids using (article_id)", article_ids
            )
        )
        for key, table in _RAW_TABLES.items()
    }
    pages = []
    for row in articles.iter_rows(named=True):
        aid = row["article_id"]
        article = Article(
            aid, row["title"] or aid, row["body"], row["source_path"], row["published_date"]
        )
        parts = {key: by_id.get(aid) for key, by_id in frames.items()}
        spans = spans_of(**parts, companies=names)
        counts = {key: 0 if part is None else part.height for key, part in parts.items()}
        path = _write(out_dir / f"{aid}.html", render_page(article, spans))
        pages.append(WarehousePage(article, path, counts))
    return pages


def explain_warehouse_article(warehouse_dir: Path, article_id: str, out_dir: Path) -> Path:
    settings = Settings.resolve(warehouse_dir=warehouse_dir)
    if not settings.work_db.is_file():
        raise ValueError(f"no warehouse at {settings.warehouse_dir} (work.duckdb missing)")
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        pages = write_warehouse_pages(
            con, [article_id], out_dir, company_names(settings.companies_csv)
        )
    if not pages:
        raise ValueError(f"article {article_id} is not in {settings.work_db} (raw.articles)")
    return pages[0].path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Render an article as an HTML page with every extracted span highlighted."
    )
    parser.add_argument("file", nargs="?", type=Path, help="an article file (.txt, .md, .html)")
    parser.add_argument("--article-id", help="explain this article of the warehouse instead")
    parser.add_argument(
        "--warehouse-dir", type=Path, help="with --article-id (default: warehouse/)"
    )
    parser.add_argument("--out", type=Path, default=None, help="default: build/explain")
    args = parser.parse_args(argv)
    if (args.file is None) == (args.article_id is None):
        parser.error("give either FILE or --article-id")
    out = args.out or project_root() / "build" / "explain"
    try:
        if args.file is not None:
            path = explain_file(args.file, out)
        else:
            path = explain_warehouse_article(args.warehouse_dir, args.article_id, out)
    except (OSError, ValueError, duckdb.Error) as exc:
        print(f"explain: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
