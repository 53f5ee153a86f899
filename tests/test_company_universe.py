"""The company universe build (finnews.universe, `make companies`): reproducible, curated ids
kept, companies deduplicated across indices, legal forms dropped, common words and ambiguous
short names handled as data, ISINs valid and WKNs derived from them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from stdnum import isin as stdnum_isin

from finnews import universe
from finnews.universe import (
    alias_candidates,
    build,
    clean_name,
    dedupe,
    id_base,
    load_curated,
    load_rules,
    strip_legal_forms,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "dbt_project" / "seeds" / "companies.csv"


@pytest.fixture(scope="module")
def rules() -> universe.Rules:
    return load_rules()


@pytest.fixture(scope="module")
def seed() -> pl.DataFrame:
    return pl.read_csv(SEED, infer_schema=False)


def _row(seed: pl.DataFrame, company_id: str) -> dict[str, str | None]:
    rows = seed.filter(pl.col("company_id") == company_id).to_dicts()
    assert len(rows) == 1, company_id
    return rows[0]


def _listed(value: str | None) -> list[str]:
    return value.split("|") if value else []


# ---------------------------------------------------------------------------------------
# The build as a whole


def test_the_committed_seed_is_what_the_build_gives_and_the_build_repeats(tmp_path: Path) -> None:
    # The seed is generated: an input edited without `make companies` fails here.
    assert universe.main(["--check"]) == 0, "run `make companies`"
    # Again in another process with another hash seed (no set order leaks into the file).
    again = tmp_path / "companies.csv"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-m", "finnews.universe", "--out", str(again)], check=True, env=env
    )
    assert again.read_bytes() == SEED.read_bytes()


def test_the_check_mode_reports_a_stale_seed(tmp_path: Path) -> None:
    stale = tmp_path / "companies.csv"
    stale.write_text(SEED.read_text(encoding="utf-8").replace("lufthansa", "lh"), encoding="utf-8")
    assert universe.main(["--check", "--out", str(stale)]) == 1


def test_curated_ids_and_their_aliases_stay(seed: pl.DataFrame) -> None:
    curated = load_curated()
    merged = curated.join(seed, on="company_id", how="left", suffix="_seed")
    assert merged["name_seed"].null_count() == 0, "a curated company_id went missing"
    assert (merged["name"] == merged["name_seed"]).all()
    for written, built in merged.select("aliases", "aliases_seed").iter_rows():
        # The curated aliases come first and in their order; the package may add more.
        assert _listed(built)[: len(_listed(written))] == _listed(written)
    assert seed.filter(pl.col("source") == "curated").height == curated.height


def test_the_universe_has_the_index_constituents(seed: pl.DataFrame) -> None:
    assert seed.height > 1_800
    assert seed["company_id"].is_unique().all()
    assert seed["company_id"].str.contains(r"^[a-z0-9_]+$").all()
    indices = set(seed["indices"].drop_nulls().str.split("|").explode().to_list())
    for index in ["DAX", "MDAX", "SDAX", "TecDAX", "EURO STOXX 50", "S&P 500", "NASDAQ 100"]:
        assert index in indices
    for index in ["FTSE 100", "CAC_40", "Switzerland 20", "NIKKEI 225"]:
        assert index in indices
    # The examples of companies the 80-row gazetteer missed.
    for company_id in ["lufthansa", "fielmann", "sudzucker", "hensoldt", "renk", "covestro",
                       "brenntag", "ubs", "jpmorgan_chase", "eckert_and_ziegler", "hella"]:  # fmt: skip
        assert seed.filter(pl.col("company_id") == company_id).height == 1, company_id


def test_companies_are_deduplicated_across_indices(seed: pl.DataFrame) -> None:
    # SAP is in the DAX, the TecDAX and the EURO STOXX 50: one row with all three.
    sap = _row(seed, "sap")
    assert {"DAX", "TecDAX", "EURO STOXX 50"} <= set(_listed(sap["indices"]))
    assert seed.filter(pl.col("name").str.contains("SAP")).height == 1
    # No ISIN belongs to two companies.
    isins = seed.select(pl.col("isins").str.split("|")).explode("isins").drop_nulls()
    assert isins["isins"].is_unique().all()


def test_dedupe_merges_by_isin_and_by_name_unless_isins_contradict(rules: universe.Rules) -> None:
    rows = pl.DataFrame(
        {
            "index": ["DAX", "EURO STOXX 50", "MDAX", "SDAX", "DOW JONES", "DAX"],
            "package_name": ["Foo AG", "Foo Group", "Bar", "Bar AG", "Baz & Co.", "Baz Group"],
            "ticker": ["FOO", None, "BAR", None, "BAZ", "BZ"],
            "country_name": ["Germany", "Germany", "Germany", None, "United States", "Germany"],
            "sector": ["Chemicals", None, None, "Retail", None, None],
            "isins": [
                ["DE0007164600"],
                ["DE0007164600"],
                [],
                ["DE0005190003"],
                ["US58933Y1055"],
                ["DE0006599905"],
            ],  # fmt: skip
            "symbols": [["FOO.DE"], ["FOO.F"], [], [], [], []],
        }
    )
    out = dedupe(rows, rules)
    assert out.height == 4
    foo = out.filter(pl.col("package_names").list.contains("Foo AG")).row(0, named=True)
    assert foo["indices"] == ["DAX", "EURO STOXX 50"] and foo["symbols"] == ["FOO.DE", "FOO.F"]
    # Same name, one row without ISINs: one company.
    assert out.filter(pl.col("package_names").list.contains("Bar")).height == 1
    # Same name key "baz", different ISINs: two companies (Merck KGaA and Merck & Co.).
    assert out.filter(pl.col("package_name").str.starts_with("Baz")).height == 2


def test_a_small_build_end_to_end(rules: universe.Rules) -> None:
    package = dedupe(
        pl.DataFrame(
            {
                "index": ["MDAX", "SDAX", "S&P 500", "S&P 500"],
                "package_name": [
                    "Lufthansa Group",
                    "Block Holding AG",
                    "Block, Inc.",
                    "Apple Inc.",
                ],
                "ticker": ["LHA.DE", None, "XYZ", "AAPL"],
                "country_name": ["Germany", "Germany", "Atlanta, Georgia", "United States"],
                "sector": ["Airlines", None, None, None],
                "isins": [["DE0008232125"], [], ["US8522341036"], ["US0378331005"]],
                "symbols": [[], [], [], []],
            }
        ),
        rules,
    )
    curated = load_curated().filter(pl.col("company_id") == "apple")
    seed = build(package, curated, rules, word_classes={"Block": {"noun"}})
    by_id = {r["company_id"]: r for r in seed.to_dicts()}
    # Two of one short name in two countries: two companies; the first (by name) gets the
    # slug of the short name, the other the slug of its whole name.
    assert list(by_id) == ["apple", "block", "block_inc", "lufthansa"]
    assert by_id["apple"]["source"] == "curated" and by_id["apple"]["indices"] == "S&P 500"
    assert by_id["lufthansa"]["wkns"] == "823212" and by_id["lufthansa"]["country"] == "DE"
    # No ISIN: the package's country, else the index's home country.
    assert by_id["block"]["country"] == "DE" and by_id["block_inc"]["country"] == "US"
    # "Block" is a noun: dropped for both, their full names stay.
    for company_id in ("block", "block_inc"):
        assert "Block:common_word" in by_id[company_id]["dropped_aliases"]
        assert "Block" not in _listed(by_id[company_id]["aliases"])
    # The short name first, then the longer forms (the rules file adds "Deutsche Lufthansa").
    lufthansa = _listed(by_id["lufthansa"]["aliases"])
    assert lufthansa[0] == "Lufthansa"
    assert {"Lufthansa Group", "Deutsche Lufthansa"} <= set(lufthansa)


# ---------------------------------------------------------------------------------------
# Names and aliases


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Deutsche Lufthansa AG", "Deutsche Lufthansa"),
        ("Block, Inc.", "Block"),
        ("Swiss Reinsurance Company Ltd", "Swiss Reinsurance"),
        ("Henkel AG & Co. KGaA", "Henkel"),
        ("Merck KGaA", "Merck"),
        ("Sage Group", "Sage"),
        ("National Grid plc", "National Grid"),
        ("ABN AMRO Bank N.V.", "ABN AMRO Bank"),
        ("Puma (brand)", "Puma"),
        ("Tokyo Electron", "Tokyo Electron"),
    ],
)
def test_legal_forms_are_dropped(rules: universe.Rules, name: str, short: str) -> None:
    assert strip_legal_forms(name, rules) == short


def test_aliases_generated_from_a_name(rules: universe.Rules) -> None:
    generated = dict(alias_candidates("Deutsche Lufthansa AG", rules))
    assert generated["Deutsche Lufthansa"] == "short"
    assert generated["Lufthansa"] == "reduced"
    assert "Infineon" in dict(alias_candidates("Infineon Technologies AG", rules))
    assert "Eckert und Ziegler" in dict(alias_candidates("Eckert & Ziegler", rules))
    # A name set in capitals also gives the name as a word.
    assert "Stabilus" in dict(alias_candidates("STABILUS", rules))
    assert clean_name("IndustrivärdenC") == "Industrivärden"
    assert clean_name("Merck KGaA") == "Merck KGaA"


def test_new_ids_are_slugs_of_the_short_name(rules: universe.Rules, seed: pl.DataFrame) -> None:
    assert id_base("The Trade Desk", rules) == "trade_desk"
    assert id_base("Südzucker AG", rules) == "sudzucker"
    assert _row(seed, "lufthansa")["name"] == "Lufthansa Group"
    # A pinned id of the rules file.
    assert _row(seed, "merck_and_co")["name"] == "Merck & Co."


def test_the_curated_row_wins_over_the_package_row(seed: pl.DataFrame) -> None:
    siemens = _row(seed, "siemens")
    assert siemens["source"] == "curated" and siemens["name"] == "Siemens"
    # The package's ISINs and indices enrich it; its sector is the team's.
    assert siemens["isin"] == "DE0007236101" and "DAX" in _listed(siemens["indices"])
    assert siemens["sector"] == "Industrials"
    # Matched by name in the same country, the ISIN filled in from the package.
    assert _row(seed, "merck_kgaa")["isin"] == "DE0006599905"
    assert _row(seed, "continental")["isin"] == "DE0005439004"
    # Same name, another ISIN: Porsche SE is not the curated Porsche AG.
    assert _row(seed, "porsche_se")["source"] == "pytickersymbols"


# ---------------------------------------------------------------------------------------
# Common words, ambiguity, case rules, guards


def _dropped(seed: pl.DataFrame) -> dict[str, str]:
    pairs = seed.select(pl.col("dropped_aliases").str.split("|")).explode("dropped_aliases")
    return dict(r.rsplit(":", 1) for r in pairs["dropped_aliases"].drop_nulls())


def _owner(seed: pl.DataFrame) -> dict[str, str]:
    """Alias (case-folded) -> the company it finds; a name the build dropped (a package
    company called "Box" keeps it as its only alias, unmatched) finds none."""
    pairs = seed.select("company_id", pl.col("aliases").str.split("|"), "dropped_aliases")
    return {
        a.casefold(): c
        for c, names, dropped in pairs.iter_rows()
        for a in names
        if f"{a}:" not in (dropped or "")
    }


@pytest.mark.parametrize(
    "word", ["Block", "Next", "Target", "Ball", "Match", "Fox", "Post", "Sage", "Box", "Pool"]
)
def test_common_words_are_no_alias(seed: pl.DataFrame, word: str) -> None:
    assert word.casefold() not in _owner(seed)
    assert _dropped(seed)[word] == "common_word"


@pytest.mark.parametrize(
    ("alias", "company_id"),
    [("Linde", "linde"), ("Shell", "shell"), ("Visa", "visa"), ("Orange", "orange"),
     ("Amazon", "amazon"), ("Experian", "experian"), ("Aurubis", "aurubis")],
)  # fmt: skip
def test_kept_brand_words(seed: pl.DataFrame, alias: str, company_id: str) -> None:
    assert _owner(seed)[alias.casefold()] == company_id


def test_ambiguous_short_names(seed: pl.DataFrame) -> None:
    owner = _owner(seed)
    # Assigned by the rules file: in German text "Merck" is Merck KGaA, "Porsche" the car maker.
    assert owner["merck"] == "merck_kgaa"
    assert owner["msd"] == owner["merck & co"] == "merck_and_co"
    assert owner["porsche"] == "porsche" and owner["porsche se"] == "porsche_se"
    # Claimed by two package companies and assigned by none: dropped for both.
    assert "mitsubishi" not in owner and "yamaha" not in owner
    dropped = _dropped(seed)
    assert dropped["Mitsubishi"] == "ambiguous"
    # A name and a reduced alias never go to two companies in any spelling.
    pairs = seed.select("company_id", pl.col("aliases").str.split("|")).explode("aliases")
    per_key = pairs.group_by(pl.col("aliases").str.to_lowercase()).agg(
        pl.col("company_id").n_unique()
    )
    assert (per_key["company_id"] == 1).all()


def test_case_rules_and_guards_are_in_the_seed(seed: pl.DataFrame) -> None:
    assert "Apple" in _listed(_row(seed, "apple")["case_sensitive"])
    assert "Continental" in _listed(_row(seed, "continental")["case_sensitive"])
    assert "SAP" in _listed(_row(seed, "sap")["case_sensitive"])
    # Mixed-case names match in any case: not listed.
    assert _row(seed, "lufthansa")["case_sensitive"] is None
    assert "Puma@not_vehicle" in _listed(_row(seed, "puma")["guards"])
    assert "Salzgitter@not_place" in _listed(_row(seed, "salzgitter")["guards"])
    assert "Henkel@not_person" in _listed(_row(seed, "henkel")["guards"])


def test_isins_are_valid_and_wkns_come_from_german_isins(seed: pl.DataFrame) -> None:
    codes = seed.select("company_id", pl.col("isins").str.split("|"), "wkns").explode("isins")
    assert all(stdnum_isin.is_valid(c) for c in codes["isins"].drop_nulls())
    for isins, wkns in seed.select("isins", "wkns").iter_rows():
        german = [i[5:11] for i in _listed(isins) if i.startswith("DE000")]
        assert _listed(wkns) == german
    assert _row(seed, "lufthansa")["wkns"] == "823212"
    assert "DE0008232125" in _listed(_row(seed, "lufthansa")["isins"])


def test_names_with_an_apostrophe_are_found_without_it_and_typographic() -> None:
    aliases = dict(alias_candidates("Moody's Corporation", load_rules()))
    assert {"Moody's", "Moodys", "Moody’s"} <= set(aliases)
    assert set(dict(alias_candidates("Apple Inc.", load_rules()))) == {"Apple", "Apple Inc."}
