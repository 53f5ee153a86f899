"""The analyst's reporting marts (issue 19): rpt_analyst_ratings, rpt_dividends and
rpt_guidance, on real DuckDB files built by the real pipeline and dbt. Articles written for
these tests.

Two warehouses: one from article text alone (the nightly flow twice: extraction, dbt, audit,
publish), and one whose ratings and figures are written by hand into the raw tables after
the real ingest and extraction (the dbt layer's unit: its rules on rows chosen to exercise
them, whatever the extractor reads today). Both are built incrementally over two nights and
must equal a full rebuild."""

from __future__ import annotations

import datetime
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from finnews import pipeline
from finnews.config import Settings
from finnews.dbt_build import dbt_build
from finnews.publish import mart_checksums
from finnews.runs import new_run_id
from finnews.warehouse import connect
from flows.nightly import nightly
from tests.helpers import ROOT, query

pytestmark = pytest.mark.e2e

MARTS = ("reporting.rpt_analyst_ratings", "reporting.rpt_dividends", "reporting.rpt_guidance")


def _write(drop: Path, articles: dict[str, str]) -> None:
    drop.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (drop / name).write_text(text + "\n", encoding="utf-8")


def _dicts(db: Path, sql: str, params: list | None = None) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _article_ids(db: Path) -> dict[str, str]:
    """File name (without .txt) -> article id."""
    rows = query(db, "select source_path, article_id from raw.articles")
    return {Path(path).stem: article_id for path, article_id in rows}


def _full_rebuild_equals(work: Path, tmp_path: Path) -> None:
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy2(work, rebuilt)
    dbt_build(ROOT / "dbt_project", rebuilt, tmp_path / "dbt", "2GB", full_refresh=True)
    with (
        duckdb.connect(str(work), read_only=True) as inc,
        duckdb.connect(str(rebuilt), read_only=True) as full,
    ):
        incremental = mart_checksums(inc, content_only=True)
        expected = mart_checksums(full, content_only=True)
    reports = [t for t in expected if t.startswith("reporting.")]
    assert set(MARTS) <= set(reports)
    assert {t: incremental[t] for t in reports} == {t: expected[t] for t in reports}


# --- From article text: the nightly flow, twice ----------------------------------------

TEXT_NIGHT_1 = {
    "2026-02-10_siemens_jefferies_hochstufung.txt": (
        "Jefferies stuft Siemens hoch – Kursziel steigt auf 260 Euro\n"
        'Das Analysehaus Jefferies hat Siemens von "Hold" auf "Buy" hochgestuft und das '
        "Kursziel von 200 auf 260 Euro angehoben. Analyst Max Muster sieht den Konzern bei der "
        "Digitalisierung der Industrie gut aufgestellt. Die Siemens-Aktie notierte am "
        "Vormittag bei 230 Euro."
    ),
    "2026-02-12_siemens_ubs_verkaufen.txt": (
        "UBS bleibt skeptisch für Siemens\n"
        'Die UBS hat die Einstufung für Siemens auf "Sell" mit einem Kursziel von 180 Euro '
        "belassen. Die Bewertung der Aktie sei nach dem starken Lauf ambitioniert, schrieb der "
        "Analyst in einer Studie."
    ),
    "2026-03-05_allianz_dividende.txt": (
        "Allianz erhöht die Dividende\n"
        "Die Allianz will ihren Aktionären für das abgelaufene Geschäftsjahr eine Dividende "
        "von 15,40 Euro je Aktie zahlen. Das entspricht einer Dividendenrendite von 4,3 "
        "Prozent. Die Hauptversammlung soll am 7. Mai über den Vorschlag abstimmen."
    ),
    "2026-02-20_adidas_prognose.txt": (
        "Adidas gibt sich zuversichtlich\n"
        "Adidas erwartet für das laufende Jahr ein währungsbereinigtes Umsatzwachstum von 8 "
        "bis 10 Prozent. Vorstandschef Bjørn Gulden verwies auf die starke Nachfrage nach "
        "Laufschuhen."
    ),
}
TEXT_NIGHT_2 = {
    "2026-04-28_adidas_prognose_erhoeht.txt": (
        "Adidas hebt die Prognose an\n"
        "Adidas hebt nach einem starken ersten Quartal die Umsatzprognose an. Der "
        "Sportartikelhersteller rechnet nun mit einem währungsbereinigten Umsatzplus von 10 "
        "bis 12 Prozent."
    ),
    "2026-04-30_siemens_deutsche_bank.txt": (
        "Deutsche Bank hebt Ziel für Siemens auf 240 Euro\n"
        "Die Deutsche Bank hat das Kursziel für Siemens von 210 auf 240 Euro angehoben und die "
        'Einstufung auf "Buy" belassen. Die Siemens-Aktie schloss am Mittwoch bei 220,50 Euro.'
    ),
    "2026-05-04_siemens_jefferies_bestaetigt.txt": (
        "Jefferies bleibt bei Siemens optimistisch\n"
        'Jefferies hat die Einstufung für Siemens nach Zahlen auf "Buy" belassen. Die '
        "Auftragslage im Automatisierungsgeschäft habe sich stabilisiert, schrieb Analyst Max "
        "Muster."
    ),
    "2026-03-02_basf_dividende.txt": (
        "BASF erhöht die Ausschüttung\n"
        "BASF will die Dividende für das Geschäftsjahr 2025 von 2,20 auf 2,25 Euro je Aktie "
        "anheben. Die Aktie legte im frühen Handel um 1,5 Prozent zu."
    ),
}


@pytest.fixture(scope="module")
def text_nights(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("analyst-text")
    drop, warehouse = base / "drop", base / "wh"
    _write(drop, TEXT_NIGHT_1)
    first = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    _write(drop, TEXT_NIGHT_2)
    second = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    return {"warehouse": warehouse, "first": first, "second": second}


def test_text_nights_publish_the_marts_audited(text_nights: dict) -> None:
    for summary in (text_nights["first"], text_nights["second"]):
        assert summary["status"] == "completed"
        assert summary["counts"]["checks_failed"] == 0, summary.get("failed_checks")
        assert set(MARTS) <= set(summary["published_tables"])
    published = text_nights["warehouse"] / "published.duckdb"
    (rejected,) = query(published, "select count(*) from marts.fct_rejected_rows")[0]
    assert rejected == 0


def test_ratings_from_text_latest_per_broker_and_consensus(text_nights: dict) -> None:
    published = text_nights["warehouse"] / "published.duckdb"
    ids = _article_ids(text_nights["warehouse"] / "work.duckdb")
    rows = _dicts(
        published,
        """
        select broker, broker_company_id, rating, rating_word, rated_on, price_target,
               previous_target, target_currency, target_on, last_action, n_notes,
               rating_article_id, target_article_id
        from reporting.rpt_analyst_ratings where company_id = 'siemens' order by broker
        """,
    )
    d = datetime.date
    assert [{k: r[k] for k in list(r)[:11]} for r in rows] == [
        {"broker": "Deutsche Bank", "broker_company_id": "deutsche_bank", "rating": "buy",
         "rating_word": "buy", "rated_on": d(2026, 4, 30), "price_target": 240.0,
         "previous_target": 210.0, "target_currency": "EUR", "target_on": d(2026, 4, 30),
         "last_action": "target_change", "n_notes": 1},
        # The May note confirms the rating and states no target: the February one stands.
        {"broker": "Jefferies", "broker_company_id": "jefferies", "rating": "buy",
         "rating_word": "buy", "rated_on": d(2026, 5, 4), "price_target": 260.0,
         "previous_target": 200.0, "target_currency": "EUR", "target_on": d(2026, 2, 10),
         "last_action": "confirm", "n_notes": 2},
        {"broker": "UBS", "broker_company_id": "ubs", "rating": "sell", "rating_word": "sell",
         "rated_on": d(2026, 2, 12), "price_target": 180.0, "previous_target": None,
         "target_currency": "EUR", "target_on": d(2026, 2, 12), "last_action": "confirm",
         "n_notes": 1},
    ]  # fmt: skip
    jefferies = rows[1]
    assert jefferies["rating_article_id"] == ids["2026-05-04_siemens_jefferies_bestaetigt"]
    assert jefferies["target_article_id"] == ids["2026-02-10_siemens_jefferies_hochstufung"]

    consensus = _dicts(
        published,
        """
        select distinct n_brokers, n_buy, n_hold, n_sell, consensus_currency, n_targets,
               median_target, latest_price, latest_price_on, upside_pct, evidence_article_ids
        from reporting.rpt_analyst_ratings where company_id = 'siemens'
        """,
    )
    assert consensus == [
        {"n_brokers": 3, "n_buy": 2, "n_hold": 0, "n_sell": 1, "consensus_currency": "EUR",
         "n_targets": 3, "median_target": 240.0, "latest_price": 220.5,
         "latest_price_on": datetime.date(2026, 4, 30),
         # 240 / 220,50 - 1
         "upside_pct": 8.84,
         "evidence_article_ids": sorted(
             ids[n] for n in ("2026-02-10_siemens_jefferies_hochstufung",
                              "2026-02-12_siemens_ubs_verkaufen",
                              "2026-04-30_siemens_deutsche_bank",
                              "2026-05-04_siemens_jefferies_bestaetigt"))},
    ]  # fmt: skip


def test_dividends_from_text_per_fiscal_year(text_nights: dict) -> None:
    published = text_nights["warehouse"] / "published.duckdb"
    ids = _article_ids(text_nights["warehouse"] / "work.duckdb")
    rows = _dicts(
        published,
        """
        select company_id, fiscal_year, fiscal_year_stated, dividend_per_share, currency,
               dividend_surface, dividend_yield_pct, yield_surface, dividend_article_id,
               yield_article_id
        from reporting.rpt_dividends order by company_id
        """,
    )
    allianz = ids["2026-03-05_allianz_dividende"]
    assert rows == [
        # Proposed in March for the year before (no year stated).
        {"company_id": "allianz", "fiscal_year": 2025, "fiscal_year_stated": False,
         "dividend_per_share": 15.4, "currency": "EUR", "dividend_surface": "15,40 Euro",
         "dividend_yield_pct": 4.3, "yield_surface": "4,3 Prozent",
         "dividend_article_id": allianz, "yield_article_id": allianz},
        # "von 2,20 auf 2,25 Euro": the new dividend, for the year the sentence states.
        {"company_id": "basf", "fiscal_year": 2025, "fiscal_year_stated": True,
         "dividend_per_share": 2.25, "currency": "EUR", "dividend_surface": "2,25 Euro",
         "dividend_yield_pct": None, "yield_surface": None,
         "dividend_article_id": ids["2026-03-02_basf_dividende"], "yield_article_id": None},
    ]  # fmt: skip


def test_guidance_from_text_raised_twice_shows_the_previous(text_nights: dict) -> None:
    published = text_nights["warehouse"] / "published.duckdb"
    ids = _article_ids(text_nights["warehouse"] / "work.duckdb")
    rows = _dicts(
        published,
        """
        select company_id, measure, guidance_low, guidance_high, is_range, unit, as_of_date,
               article_id, previous_low, previous_high, previous_as_of_date,
               previous_article_id, change, n_statements
        from reporting.rpt_guidance order by company_id, measure
        """,
    )
    assert rows == [
        {"company_id": "adidas", "measure": "revenue_growth", "guidance_low": 10.0,
         "guidance_high": 12.0, "is_range": True, "unit": "percent",
         "as_of_date": datetime.date(2026, 4, 28),
         "article_id": ids["2026-04-28_adidas_prognose_erhoeht"],
         "previous_low": 8.0, "previous_high": 10.0,
         "previous_as_of_date": datetime.date(2026, 2, 20),
         "previous_article_id": ids["2026-02-20_adidas_prognose"],
         "change": "raised", "n_statements": 2},
    ]  # fmt: skip


def test_text_nights_equal_a_full_rebuild(text_nights: dict, tmp_path: Path) -> None:
    _full_rebuild_equals(text_nights["warehouse"] / "work.duckdb", tmp_path)


# --- Hand-written raw rows: the dbt rules --------------------------------------------


@dataclass(frozen=True)
class Fig:
    """A figure written into raw.figures: `surface` found in the article's sentence that
    holds `sentence` (default: the surface itself)."""

    article: str
    surface: str
    metric_type: str
    value: float
    unit: str
    company_id: str
    value_low: float | None = None
    measure: str | None = None
    period_year: int | None = None
    sentence: str | None = None


@dataclass(frozen=True)
class Rating:
    """An analyst_rating event written into raw.events, on the sentence holding `sentence`."""

    article: str
    sentence: str
    company_id: str
    broker: str | None
    rating: str | None
    rating_word: str | None
    price_target: float | None
    target_currency: str | None
    action: str = "confirm"
    broker_company_id: str | None = None
    previous_target: float | None = None


HAND_NIGHT_1 = {
    "2026-02-18_sap_dividende.txt": (
        "SAP schlägt Dividende vor\n"
        "SAP will eine Dividende von 2,35 Euro je Aktie zahlen. Das entspricht einer "
        "Dividendenrendite von 1,1 Prozent."
    ),
    "2026-03-10_basf_dividende.txt": (
        "BASF erhöht die Dividende\n"
        "BASF will die Dividende von 2,20 auf 2,25 Euro je Aktie anheben. "
        "Die Ausschüttung soll damit um 2 Prozent steigen."
    ),
    "2026-03-12_sap_rueckblick.txt": (
        "SAP im Rückblick\n"
        "Für das Geschäftsjahr 2024 hatte SAP eine Dividende von 2,20 Euro je Aktie gezahlt."
    ),
    "2026-02-02_apple_analysten.txt": (
        "Analysten uneins über Apple\n"
        "Goldman Sachs hat das Kursziel für Apple auf 250 Dollar angehoben und die Einstufung "
        'auf "Buy" belassen. Morgan Stanley bestätigte das Votum "Overweight" mit einem Ziel '
        "von 270 Dollar. Die Deutsche Bank sieht den fairen Wert bei 230 Euro und rät zum "
        '"Halten". Analysten empfehlen die Aktie mehrheitlich zum Kauf. Die Apple-Aktie kostete '
        "in Frankfurt zuletzt 197,80 Euro."
    ),
}
# No guidance the first night: the mart is empty, and must not stay so (its watermark).
HAND_NIGHT_2 = {
    "2026-01-20_sap_prognose.txt": (
        "SAP gibt den Ausblick\n"
        "SAP erwartet für das laufende Jahr einen Umsatz zwischen 36 und 37 Milliarden Euro."
    ),
    "2026-04-22_sap_prognose_bestaetigt.txt": (
        "SAP bleibt dabei\n"
        "SAP bestätigt die Prognose eines Umsatzes zwischen 36 und 37 Milliarden Euro."
    ),
    "2026-05-20_sap_hauptversammlung.txt": (
        "SAP-Hauptversammlung\n"
        "Die Hauptversammlung von SAP beschloss eine Dividende von 2,40 Euro je Aktie."
    ),
    "2026-06-30_siemens_dividende.txt": (
        "Siemens zahlt aus\nSiemens zahlt eine Dividende von 5,35 Euro je Aktie."
    ),
    "2026-07-01_allianz_dividende.txt": (
        "Allianz plant voraus\nDie Allianz peilt eine Dividende von 16 Euro je Aktie an."
    ),
    "2026-07-23_sap_prognose_gesenkt.txt": (
        "SAP senkt die Prognose\n"
        "SAP senkt die Prognose und erwartet nur noch einen Umsatz zwischen 35 und 36 "
        "Milliarden Euro. Die operative Marge soll dagegen von 5 auf 7 Prozent steigen."
    ),
    "2026-05-05_apple_kurs.txt": (
        "Apple in New York\nDie Apple-Aktie schloss in New York bei 210 Dollar."
    ),
}

HAND_ROWS_1 = [
    Fig("2026-02-18_sap_dividende", "2,35 Euro", "dividend", 2.35, "EUR", "sap"),
    Fig("2026-02-18_sap_dividende", "1,1 Prozent", "dividend_yield", 1.1, "percent", "sap"),
    # The extractor reads both numbers of a change as dividends; the first is the old one.
    Fig("2026-03-10_basf_dividende", "2,20", "dividend", 2.2, "EUR", "basf"),
    Fig("2026-03-10_basf_dividende", "2,25 Euro", "dividend", 2.25, "EUR", "basf"),
    # A dividend's growth in percent is no dividend per share.
    Fig("2026-03-10_basf_dividende", "2 Prozent", "dividend", 2.0, "percent", "basf"),
    Fig("2026-03-12_sap_rueckblick", "2,20 Euro", "dividend", 2.2, "EUR", "sap",
        period_year=2024),
    Fig("2026-02-02_apple_analysten", "197,80 Euro", "share_price", 197.8, "EUR", "apple"),
    Rating("2026-02-02_apple_analysten", "Goldman Sachs", "apple", "Goldman Sachs", "buy",
           "buy", 250.0, "USD", action="target_change", broker_company_id="goldman_sachs"),
    Rating("2026-02-02_apple_analysten", "Morgan Stanley", "apple", "Morgan Stanley", "buy",
           "overweight", 270.0, "USD"),
    Rating("2026-02-02_apple_analysten", "Deutsche Bank", "apple", "Deutsche Bank", "hold",
           "halten", 230.0, "EUR", broker_company_id="deutsche_bank"),
    # No broker named: in fct_events, not in the mart.
    Rating("2026-02-02_apple_analysten", "Analysten empfehlen", "apple", None, "buy",
           "kaufempfehlung", None, None),
]  # fmt: skip
HAND_ROWS_2 = [
    Fig("2026-01-20_sap_prognose", "36 und 37 Milliarden Euro", "guidance", 37e9, "EUR", "sap",
        value_low=36e9, measure="revenue"),
    Fig("2026-04-22_sap_prognose_bestaetigt", "36 und 37 Milliarden Euro", "guidance", 37e9,
        "EUR", "sap", value_low=36e9, measure="revenue"),
    Fig("2026-05-20_sap_hauptversammlung", "2,40 Euro", "dividend", 2.4, "EUR", "sap"),
    Fig("2026-06-30_siemens_dividende", "5,35 Euro", "dividend", 5.35, "EUR", "siemens"),
    Fig("2026-07-01_allianz_dividende", "16 Euro", "dividend", 16.0, "EUR", "allianz"),
    Fig("2026-07-23_sap_prognose_gesenkt", "35 und 36 Milliarden Euro", "guidance", 36e9,
        "EUR", "sap", value_low=35e9, measure="revenue"),
    Fig("2026-07-23_sap_prognose_gesenkt", "5", "guidance", 5.0, "percent", "sap",
        measure="margin", sentence="Marge"),
    Fig("2026-07-23_sap_prognose_gesenkt", "7 Prozent", "guidance", 7.0, "percent", "sap",
        measure="margin"),
    # Only a share price, in the targets' currency: the upside follows without a rating.
    Fig("2026-05-05_apple_kurs", "210 Dollar", "share_price", 210.0, "USD", "apple"),
]  # fmt: skip


def _replace_extraction(settings: Settings, run_id: str, rows: list[Fig | Rating]) -> None:
    """The run's figures (dates aside) and events are replaced by `rows`."""
    with connect(settings.work_db) as con:
        ids = {Path(p).stem: a for p, a in con.execute(
            "select source_path, article_id from raw.articles where run_id = ?", [run_id]
        ).fetchall()}  # fmt: skip
        con.execute("delete from raw.figures where run_id = ? and kind <> 'date'", [run_id])
        con.execute("delete from raw.events where run_id = ?", [run_id])
        for n, row in enumerate(rows):
            article_id = ids[row.article]
            needle = row.sentence if isinstance(row, Rating) else (row.sentence or row.surface)
            sentence_idx, start, end, text = next(
                s for s in con.execute(
                    "select sentence_idx, char_start, char_end, text from raw.sentences "
                    "where article_id = ? order by sentence_idx", [article_id],
                ).fetchall()
                if needle in s[3]
            )  # fmt: skip
            if isinstance(row, Rating):
                con.execute(
                    """
                    insert into raw.events (event_id, article_id, sentence_idx, char_start,
                        char_end, event_type, company_id, evidence, run_id, rule_id, broker,
                        broker_company_id, rating_action, rating_word, rating, price_target,
                        previous_target, target_currency)
                    values (?, ?, ?, ?, ?, 'analyst_rating', ?, ?, ?, 'test.hand', ?, ?, ?, ?,
                        ?, ?, ?, ?)
                    """,
                    [f"{article_id}:e{n}", article_id, sentence_idx, start, end, row.company_id,
                     text, run_id, row.broker, row.broker_company_id, row.action,
                     row.rating_word, row.rating, row.price_target, row.previous_target,
                     row.target_currency],
                )  # fmt: skip
                continue
            at = start + text.index(row.surface)
            kind = "percent" if row.unit == "percent" else "amount"
            con.execute(
                """
                insert into raw.figures (figure_id, article_id, sentence_idx, char_start,
                    char_end, surface, kind, metric_type, metric_measure, rule_id, value,
                    value_low, range_type, unit, currency, company_id, period_year,
                    period_is_fiscal, evidence, run_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'test.hand', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [f"{article_id}:f{at}", article_id, sentence_idx, at, at + len(row.surface),
                 row.surface, kind, row.metric_type, row.measure, row.value, row.value_low,
                 "range" if row.value_low is not None else None, row.unit,
                 None if kind == "percent" else row.unit, row.company_id, row.period_year,
                 row.period_year is not None, text, run_id],
            )  # fmt: skip


def _hand_night(settings: Settings, articles: dict[str, str], rows: list[Fig | Rating]) -> None:
    """One night by the pipeline's own stages (no Prefect, no audit or publication), with
    the extraction's rows replaced before dbt builds."""
    _write(settings.input_dir, articles)
    run_id = new_run_id()
    pipeline.begin(settings, run_id)
    pipeline.ingest(settings, run_id)
    pipeline.extract(settings, run_id)
    _replace_extraction(settings, run_id, rows)
    result = pipeline.build(settings, run_id)
    assert result.failures == []


@pytest.fixture(scope="module")
def hand_built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("analyst-hand")
    settings = Settings.resolve(base / "drop", base / "wh")
    _hand_night(settings, HAND_NIGHT_1, HAND_ROWS_1)
    after_first = base / "after-first.duckdb"
    shutil.copy2(settings.work_db, after_first)
    _hand_night(settings, HAND_NIGHT_2, HAND_ROWS_2)
    return {"work": settings.work_db, "after_first": after_first}


def test_hand_rows_pass_the_row_checks(hand_built: dict) -> None:
    (rejected,) = query(hand_built["work"], "select count(*) from marts.fct_rejected_rows")[0]
    assert rejected == 0
    (n,) = query(
        hand_built["work"], "select count(*) from marts.fct_events where rule_id = 'test.hand'"
    )[0]
    assert n == 4


def test_ratings_consensus_is_in_the_majority_currency_and_upside_needs_its_price(
    hand_built: dict,
) -> None:
    sql = """
        select broker, rating, rating_word, price_target, target_currency, n_brokers, n_buy,
               n_hold, n_sell, consensus_currency, n_targets, median_target, latest_price,
               upside_pct
        from reporting.rpt_analyst_ratings where company_id = 'apple' order by broker
    """
    first = _dicts(hand_built["after_first"], sql)
    # Three brokers (the sentence without one is not a broker's rating); two target in USD.
    assert [(r["broker"], r["rating"], r["rating_word"], r["price_target"],
             r["target_currency"]) for r in first] == [
        ("Deutsche Bank", "hold", "halten", 230.0, "EUR"),
        ("Goldman Sachs", "buy", "buy", 250.0, "USD"),
        ("Morgan Stanley", "buy", "overweight", 270.0, "USD"),
    ]  # fmt: skip
    company = {
        k: v
        for k, v in first[0].items()
        if k not in ("broker", "rating", "rating_word", "price_target", "target_currency")
    }
    # Only a price in euros is known: no upside across currencies.
    assert company == {
        "n_brokers": 3, "n_buy": 2, "n_hold": 1, "n_sell": 0, "consensus_currency": "USD",
        "n_targets": 2, "median_target": 260.0, "latest_price": None, "upside_pct": None,
    }  # fmt: skip
    assert all({k: r[k] for k in company} == company for r in first)
    # The next night quotes the share in dollars, no new rating: the upside is there.
    second = _dicts(hand_built["work"], sql)
    assert {(r["latest_price"], r["upside_pct"]) for r in second} == {(210.0, 23.81)}


def test_dividends_fiscal_year_rule_and_latest_statement(hand_built: dict) -> None:
    ids = _article_ids(hand_built["work"])
    rows = _dicts(
        hand_built["work"],
        """
        select company_id, fiscal_year, fiscal_year_stated, dividend_per_share, currency,
               dividend_article_id, dividend_yield_pct, yield_article_id, n_dividend_figures,
               n_articles
        from reporting.rpt_dividends order by company_id, fiscal_year
        """,
    )
    assert rows == [
        # Published 1 July: for the year of publication.
        {"company_id": "allianz", "fiscal_year": 2026, "fiscal_year_stated": False,
         "dividend_per_share": 16.0, "currency": "EUR",
         "dividend_article_id": ids["2026-07-01_allianz_dividende"],
         "dividend_yield_pct": None, "yield_article_id": None, "n_dividend_figures": 1,
         "n_articles": 1},
        # "von 2,20 auf 2,25 Euro": the old value is no statement; the percent is no dividend.
        {"company_id": "basf", "fiscal_year": 2025, "fiscal_year_stated": False,
         "dividend_per_share": 2.25, "currency": "EUR",
         "dividend_article_id": ids["2026-03-10_basf_dividende"],
         "dividend_yield_pct": None, "yield_article_id": None, "n_dividend_figures": 1,
         "n_articles": 1},
        # The year stated wins over the publication date.
        {"company_id": "sap", "fiscal_year": 2024, "fiscal_year_stated": True,
         "dividend_per_share": 2.2, "currency": "EUR",
         "dividend_article_id": ids["2026-03-12_sap_rueckblick"],
         "dividend_yield_pct": None, "yield_article_id": None, "n_dividend_figures": 1,
         "n_articles": 1},
        # February's proposal, May's resolution: the latest wins; the yield was stated once.
        {"company_id": "sap", "fiscal_year": 2025, "fiscal_year_stated": False,
         "dividend_per_share": 2.4, "currency": "EUR",
         "dividend_article_id": ids["2026-05-20_sap_hauptversammlung"],
         "dividend_yield_pct": 1.1, "yield_article_id": ids["2026-02-18_sap_dividende"],
         "n_dividend_figures": 2, "n_articles": 2},
        # Published 30 June: for the year before.
        {"company_id": "siemens", "fiscal_year": 2025, "fiscal_year_stated": False,
         "dividend_per_share": 5.35, "currency": "EUR",
         "dividend_article_id": ids["2026-06-30_siemens_dividende"],
         "dividend_yield_pct": None, "yield_article_id": None, "n_dividend_figures": 1,
         "n_articles": 1},
    ]  # fmt: skip


def test_guidance_previous_is_the_last_different_one(hand_built: dict) -> None:
    assert query(hand_built["after_first"], "select count(*) from reporting.rpt_guidance") == [(0,)]
    ids = _article_ids(hand_built["work"])
    rows = _dicts(
        hand_built["work"],
        """
        select measure, guidance_low, guidance_high, unit, as_of_date, article_id,
               previous_low, previous_high, previous_as_of_date, previous_article_id, change,
               n_statements
        from reporting.rpt_guidance where company_id = 'sap' order by measure
        """,
    )
    cut = ids["2026-07-23_sap_prognose_gesenkt"]
    d = datetime.date
    assert rows == [
        # "von 5 auf 7 Prozent" in one sentence: 7 is the guidance, 5 the one before.
        {"measure": "margin", "guidance_low": 7.0, "guidance_high": 7.0, "unit": "percent",
         "as_of_date": d(2026, 7, 23), "article_id": cut, "previous_low": 5.0,
         "previous_high": 5.0, "previous_as_of_date": d(2026, 7, 23),
         "previous_article_id": cut, "change": "raised", "n_statements": 2},
        # January's range, repeated in April, cut in July: the previous is April's statement.
        {"measure": "revenue", "guidance_low": 35e9, "guidance_high": 36e9, "unit": "EUR",
         "as_of_date": d(2026, 7, 23), "article_id": cut, "previous_low": 36e9,
         "previous_high": 37e9, "previous_as_of_date": d(2026, 4, 22),
         "previous_article_id": ids["2026-04-22_sap_prognose_bestaetigt"],
         "change": "lowered", "n_statements": 3},
    ]  # fmt: skip


def test_hand_nights_equal_a_full_rebuild(hand_built: dict, tmp_path: Path) -> None:
    _full_rebuild_equals(hand_built["work"], tmp_path)
