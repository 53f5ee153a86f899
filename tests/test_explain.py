"""`make explain`: an article as an HTML page with every extracted span highlighted in place."""

from __future__ import annotations

import datetime
import html
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import polars as pl
import pytest

from finnews.explain import (
    Article,
    Span,
    article_from_file,
    company_names,
    main,
    render_body,
    render_page,
    spans_of,
)
from finnews.extract.persist import extract_pending
from finnews.ingest import ingest_folder
from finnews.report import _explain_pages
from finnews.warehouse import connect, ensure_raw_schema
from tests.helpers import ROOT, chromium_dom, copy_seeds, extract_texts

# Written by the team for this test (Allianz is in the gazetteer; the rest is made up).
BODY = (
    "Die Allianz steigerte den Umsatz im dritten Quartal um 12 Prozent auf 3,4 Milliarden Euro. "
    "Finanzchefin Erika Mustermann sprach in München von einem Quartal <ohne Sorgen> & Risiken. "
    "Die Allianz übernimmt den Versicherer Beispiel Assekuranz für 1,2 Milliarden Euro."
)
SEED = ROOT / "seeds" / "2025-11-14_allianz_rueckkauf.txt"


class _SpanText(HTMLParser):
    """Per data-span number, the text inside its element(s) (pieces joined) and its title;
    checks the spans' tags are balanced on the way."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str | None] = []
        self.text: dict[int, str] = {}
        self.title: dict[int, str] = {}
        self.kind: dict[int, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "span":
            return
        a = dict(attrs)
        self.open.append(a.get("data-span"))
        if a.get("data-span") and a.get("id"):
            number = int(a["data-span"])
            self.title[number], self.kind[number] = a["title"] or "", a["data-kind"] or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for number in {int(n) for n in self.open if n}:
            self.text[number] = self.text.get(number, "") + data


def _parsed(fragment: str) -> _SpanText:
    parser = _SpanText()
    parser.feed(fragment)
    parser.close()
    assert parser.open == [], "unbalanced span tags"
    return parser


def _doc(page: str) -> str:
    """The highlighted body: the content of <div class="doc" …>…</div>."""
    start = page.index('<div class="doc" id="body">') + len('<div class="doc" id="body">')
    return page[start : page.index("</div>", start)]


@pytest.fixture(scope="module")
def example() -> tuple[list[Span], str]:
    extraction = extract_texts({"a1": BODY}, datetime.date(2025, 11, 14))
    # Rule ids set here, whatever the rules call themselves; the mentions go without one,
    # as frames of warehouses older than the rule_id column do.
    figures = extraction.figures.with_columns(
        pl.concat_str(pl.lit("metric."), "metric_type").alias("rule_id")
    )
    spans = spans_of(
        figures=figures,
        mentions=extraction.mentions.drop("rule_id", strict=False),
        events=extraction.events,
        entities=extraction.entities,
        companies=company_names(),
    )
    article = Article("a1", "Beispiel", BODY, "test", datetime.date(2025, 11, 14))
    return spans, render_page(article, spans)


def test_every_span_is_wrapped_in_place(example: tuple[list[Span], str]) -> None:
    spans, page = example
    kinds = {s.kind for s in spans}
    assert {"figure", "company", "event", "person", "place", "organisation_candidate"} <= kinds
    parsed = _parsed(_doc(page))
    for number, span in enumerate(spans, start=1):
        assert parsed.text[number] == BODY[span.start : span.end], span
        assert f'<tr id="row{number}">' in page  # and listed in the table
    # The events span their sentences, with the figures inside them as nested elements.
    revenue = next(n for n, s in enumerate(spans, 1) if s.label == "revenue")
    assert parsed.text[revenue] == "3,4 Milliarden Euro"
    # Nothing added or lost: the text of the highlighted body is the body.
    assert html.unescape(_strip_tags(_doc(page))) == BODY


def _strip_tags(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment)


def test_tooltips_carry_type_value_subject_and_rule(example: tuple[list[Span], str]) -> None:
    spans, page = example
    parsed = _parsed(_doc(page))
    titles = {s.label: parsed.title[n] for n, s in enumerate(spans, 1) if s.kind == "figure"}
    assert "figure: revenue" in titles["revenue"]
    assert "value: 3,400,000,000 EUR" in titles["revenue"]
    assert "subject: Allianz (allianz)" in titles["revenue"]
    assert "rule: metric.revenue" in titles["revenue"]
    assert "value: 12 percent" in titles["revenue_growth"]
    # Frames without rule_id (the mentions here) still render, with the rule unknown.
    company = next(n for n, s in enumerate(spans, 1) if s.kind == "company")
    assert "rule: –" in parsed.title[company]
    person = next(n for n, s in enumerate(spans, 1) if s.kind == "person")
    assert "value: Erika Mustermann" in parsed.title[person]
    assert "role: Finanzchefin" in parsed.title[person]


def test_text_and_attributes_are_escaped(example: tuple[list[Span], str]) -> None:
    _, page = example
    assert "&lt;ohne Sorgen&gt; &amp; Risiken" in page
    assert "<ohne" not in page
    tricky = Span("figure", 'x"><script>', 0, 3, value="<b>", details=(("note", "a & b"),))
    fragment = render_body("<i>", [tricky])
    assert "<script>" not in fragment and "<b>" not in fragment and "<i>" not in fragment
    assert _parsed(fragment).text[1] == "<i>"


def test_crossing_and_nested_spans_stay_well_formed() -> None:
    body = "abcdefghijkl"
    spans = [
        Span("event", "e", 0, 12),
        Span("company", "c", 2, 7),
        Span("figure", "f", 5, 10),  # crosses the company: split into pieces
        Span("place", "p", 5, 7),
        Span("figure", "g", 11, 11),  # empty: table only
        Span("figure", "h", 10, 99),  # outside the body: table only
    ]
    parsed = _parsed(render_body(body, spans))
    assert parsed.text == {1: body, 2: "cdefg", 3: "fghij", 4: "fg"}
    page = render_page(Article("x", "t", body, "s"), spans)
    assert '<tr id="row6">' in page


def test_file_body_is_what_the_ingest_stores(tmp_path: Path) -> None:
    """The page's body and article id are the warehouse's: same ingest, same offsets."""
    drop = tmp_path / "drop"
    copy_seeds(ROOT / "seeds", drop, n=2)
    with connect(tmp_path / "work.duckdb") as con:
        ensure_raw_schema(con)
        ingest_folder(con, drop, "r1")
        stored = dict(con.execute("select article_id, body from raw.articles").fetchall())
    for path in sorted(drop.glob("*.txt")):
        article = article_from_file(path)
        assert stored[article.article_id] == article.body


def test_cli_page_renders_in_chromium(tmp_path: Path) -> None:
    out = tmp_path / "explain"
    proc = subprocess.run(
        [sys.executable, "-m", "finnews.explain", str(SEED), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    page = Path(proc.stdout.strip())
    assert page == out / f"{SEED.stem}.html" and page.is_file()
    dom = chromium_dom(page, budget_ms=1000)
    parsed = _parsed(_doc(dom))
    body = article_from_file(SEED).body
    assert len(parsed.kind) >= 10
    assert {"figure", "company", "event", "person"} <= set(parsed.kind.values())
    # Each highlighted span, as the browser built it, holds the text its table row names.
    for row, (number, text) in enumerate(sorted(parsed.text.items()), start=1):
        assert number == row and text and text in body
    revenue = next(n for n, t in parsed.title.items() if "figure: revenue" in t)
    assert parsed.text[revenue] == "44,2 Milliarden Euro"
    assert "value: 44,200,000,000 EUR" in parsed.title[revenue]
    assert "Allianz (allianz)" in parsed.title[revenue]


@pytest.fixture(scope="module")
def extracted_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ingest and extraction of three seeds (no dbt, no Prefect): the raw tables a run's
    report reads its explain pages from."""
    base = tmp_path_factory.mktemp("explain-wh")
    drop, warehouse = base / "drop", base / "wh"
    copy_seeds(ROOT / "seeds", drop, n=3)
    with connect(warehouse / "work.duckdb") as con:
        ensure_raw_schema(con)
        ingest_folder(con, drop, "r1")
    extract_pending(
        warehouse / "work.duckdb",
        ROOT / "dbt_project" / "seeds" / "companies.csv",
        "r1",
        base / "parts",
        workers=1,
    )
    return warehouse


def test_cli_explains_an_article_of_the_warehouse(
    extracted_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with duckdb.connect(str(extracted_warehouse / "work.duckdb"), read_only=True) as con:
        article_id, body = con.execute(
            "select article_id, body from raw.articles order by article_id limit 1"
        ).fetchone()
    argv = ["--article-id", article_id, "--warehouse-dir", str(extracted_warehouse)]
    assert main([*argv, "--out", str(tmp_path)]) == 0
    page = Path(capsys.readouterr().out.strip())
    assert page == tmp_path / f"{article_id}.html"
    parsed = _parsed(_doc(page.read_text(encoding="utf-8")))
    assert parsed.text and all(text in body for text in parsed.text.values())
    assert main(["--article-id", "nope", "--warehouse-dir", str(extracted_warehouse)]) == 1


def test_report_pages_are_capped(extracted_warehouse: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(extracted_warehouse / "work.duckdb"), read_only=True) as con:
        pages, total = _explain_pages(con, "r1", tmp_path, cap=2)
        none, zero = _explain_pages(con, "another-run", tmp_path / "other")
    assert total == 3 and len(pages) == 2
    assert all(p.path.parent == tmp_path / "explain" and p.path.is_file() for p in pages)
    assert all(p.counts["figures"] > 0 for p in pages)
    assert none == [] and zero == 0
