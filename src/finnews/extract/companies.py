"""Company mentions from the company universe (dbt seed `companies.csv`, built by
`finnews.universe`): names, aliases, inflections, names set in capitals, ISINs and WKNs.

How an alias matches is decided when the seed is built and written into it
(docs/companies.md): every alias in any case ("LUFTHANSA", "adidas"), except the seed's
`case_sensitive` ones, which match as written or in capitals ("Apple", "APPLE", never
"apple"); an alias in `guards` is dropped in the contexts its guard names
(data/company_universe.yaml: "in Salzgitter" is the city, "Schützenpanzer Puma" the vehicle).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import polars as pl
import yaml
from stdnum import isin as stdnum_isin

from finnews.asciify import asciify, asciify_pattern
from finnews.lexicon import alternation
from finnews.spans import find_spans, shadow_before

RULES_YAML = Path(__file__).resolve().parents[1] / "data" / "company_universe.yaml"


def load_gazetteer(path: Path) -> pl.DataFrame:
    """The seed table, one row per company; `aliases` is a `|`-separated list."""
    frame = pl.read_csv(path, infer_schema=False)
    missing = {"company_id", "name", "aliases"} - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: company seed lacks columns {sorted(missing)}")
    return frame


def _listed(column: str) -> pl.Expr:
    return pl.col(column).fill_null("").str.split("|")


def alias_table(gazetteer: pl.DataFrame) -> pl.DataFrame:
    """One row per text form a company is found by: alias, company_id, exact (match only as
    written), guard (a context rule's name, or null), kind (name, isin, wkn) and key (what
    a matched text joins on). The official name is included. A seed without the universe's
    columns (an older or a test seed) matches every alias as written, as the old gazetteer
    did."""
    frame = gazetteer
    for column in ("case_sensitive", "guards"):
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(column))
    universe = "case_sensitive" in gazetteer.columns
    # "Puma@not_vehicle": the guard of an alias of that company.
    guarded = (
        frame.select("company_id", _listed("guards").alias("_g"))
        .explode("_g")
        .filter(pl.col("_g") != "")
        .select(
            "company_id",
            pl.col("_g").str.replace(r"@\w+$", "").alias("alias"),
            pl.col("_g").str.extract(r"@(\w+)$").alias("guard"),
        )
    )
    aliases = (
        frame.select(
            "company_id",
            pl.concat_list(pl.col("name"), _listed("aliases")).alias("alias"),
            _listed("case_sensitive").alias("_exact"),
        )
        .explode("alias")
        .with_columns(pl.col("alias").str.strip_chars())
        .filter(pl.col("alias") != "")
        # An old seed has no case rules: every alias as written, as it always was.
        .with_columns(
            (pl.col("_exact").list.contains(pl.col("alias")) | (not universe)).alias("exact")
        )
        .drop("_exact")
        .join(guarded, on=["company_id", "alias"], how="left", maintain_order="left")
        # A name the build dropped (a package company called "Box") is not looked for.
        .join(_dropped(frame), on=["company_id", "alias"], how="anti")
    )
    # An adjective in the name declines: "der Deutschen Börse", "bei der Deutschen Bank".
    declined = aliases.filter(pl.col("alias").str.contains(r"^\w+sche ")).with_columns(
        pl.col("alias").str.replace(r"^(\w+sche) ", "${1}n ")
    )
    # German compounds hyphenate a name of several words: "DZ-Bank", "Bank-Austria-Chef".
    hyphenated = aliases.filter(
        pl.col("alias").str.contains(r"^[\w.&]+(?: [\w.&]+)+$")
    ).with_columns(pl.col("alias").str.replace_all(" ", "-", literal=True))
    aliases = pl.concat([aliases, hyphenated])
    # A case-sensitive alias still matches in capitals ("APPLE" in a headline).
    capitals = aliases.filter(
        pl.col("exact") & (pl.col("alias").str.to_uppercase() != pl.col("alias"))
    ).with_columns(pl.col("alias").str.to_uppercase())
    names = pl.concat([aliases, declined, capitals]).with_columns(
        pl.lit("name").alias("kind"), _key(pl.col("alias"), pl.col("exact")).alias("key")
    )
    table = pl.concat([names, _codes(frame)], how="diagonal_relaxed")
    # One row per text form: the first company that claims it (the seed's order).
    return table.unique(["key"], keep="first", maintain_order=True)


def _dropped(gazetteer: pl.DataFrame) -> pl.DataFrame:
    """(company_id, alias) of the seed's `dropped_aliases` ("Box:common_word")."""
    if "dropped_aliases" not in gazetteer.columns:
        return pl.DataFrame(schema={"company_id": pl.String, "alias": pl.String})
    return (
        gazetteer.select("company_id", _listed("dropped_aliases").alias("alias"))
        .explode("alias")
        .filter(pl.col("alias") != "")
        .with_columns(pl.col("alias").str.replace(r":\w+$", ""))
    )


def _codes(gazetteer: pl.DataFrame) -> pl.DataFrame:
    """ISINs and WKNs of the seed as alias rows of kind isin / wkn (exact, unguarded)."""
    parts = [
        gazetteer.select("company_id", _listed(column).alias("alias"))
        .explode("alias")
        .filter(pl.col("alias") != "")
        .with_columns(pl.lit(kind).alias("kind"))
        for column, kind in (("isins", "isin"), ("wkns", "wkn"))
        if column in gazetteer.columns
    ]
    schema = {"company_id": pl.String, "alias": pl.String, "kind": pl.String}
    codes = pl.concat(parts) if parts else pl.DataFrame(schema=schema)
    return codes.with_columns(
        pl.lit(True).alias("exact"),
        pl.lit(None, pl.String).alias("guard"),
        (pl.lit("#") + pl.col("kind") + ":" + pl.col("alias")).alias("key"),
    )


def _key(alias: pl.Expr, exact: pl.Expr) -> pl.Expr:
    # What a matched text joins on: itself for an exact alias, its lower case otherwise.
    return (
        pl.when(exact).then(pl.lit("=") + alias).otherwise(pl.lit("~") + alias.str.to_lowercase())
    )


def mention_pattern(aliases: pl.DataFrame) -> str:
    """The same matching as one regex (for the plain-Python baseline, bench/baseline.py):
    every text form, longest first; the case-insensitive ones in a case-insensitive group."""
    names = aliases.filter(pl.col("kind") == "name") if "kind" in aliases.columns else aliases
    exact = set(names.filter(pl.col("exact"))["alias"].to_list())
    forms = sorted(set(names["alias"].to_list()), key=lambda a: (-len(a), a))
    parts = [re.escape(a) if a in exact else f"(?i:{re.escape(a)})" for a in forms]
    # Genitive "Alibabas"; "Alibaba-Aktie" matches "Alibaba" because "-" is a word boundary.
    return rf"\b(?P<alias>{'|'.join(parts)})s?\b"


def name_spans(sentences: pl.LazyFrame, aliases: pl.DataFrame, keep: list[str]) -> pl.LazyFrame:
    """Every name form of `aliases` in the sentences, leftmost and longest first, with
    `find_spans`' columns (keep, char_start, char_end, surface, alias: the form as written).

    Aho-Corasick (polars `find_many` / `extract_many`) on the ASCII shadow, ASCII case
    folded, then a word-boundary check: ~2,700 literal forms as one regex alternation cost
    the mention step 8x (docs/companies.md). Whether the case fits is decided by the join
    on `key` (an exact alias joins on the text as written)."""
    names = aliases.filter(pl.col("kind") == "name")
    forms = sorted(
        set(names.select(asciify(pl.col("alias")).str.to_lowercase())["alias"].to_list()),
        key=lambda a: (-len(a), a),
    )
    shadow = pl.col("shadow")
    start, length = pl.col("_start").cast(pl.Int64), pl.col("_match").str.len_bytes().cast(pl.Int64)
    before = shadow.str.slice(pl.max_horizontal(start - 1, 0), pl.min_horizontal(start, 1))
    after = shadow.str.slice(start + length, 2)
    last_is_word = pl.col("_match").str.contains(r"\w$")
    # "Lufthansas": a genitive s is part of the mention, not of the alias.
    genitive = last_is_word & after.str.contains(r"^s(?:\W|$)")
    extra = [c for c in ("text", "shadow") if c not in keep]
    return (
        sentences.select(
            *keep,
            *extra,
            shadow.str.find_many(forms, ascii_case_insensitive=True, leftmost=True).alias("_start"),
            shadow.str.extract_many(forms, ascii_case_insensitive=True, leftmost=True).alias(
                "_match"
            ),
        )
        .explode("_start", "_match")
        .drop_nulls("_start")
        .filter(
            ~before.str.contains(r"\w") & (~last_is_word | ~after.str.contains(r"^\w") | genitive)
        )
        .with_columns(
            start.alias("char_start"),
            (start + length + genitive.cast(pl.Int64)).alias("char_end"),
            pl.col("text").str.slice(start, length).alias("alias"),
        )
        .with_columns(
            pl.col("text")
            .str.slice(pl.col("char_start"), pl.col("char_end") - pl.col("char_start"))
            .alias("surface")
        )
        .drop("_start", "_match", *extra)
    )


def extract_mentions(
    sentences: pl.LazyFrame, aliases: pl.DataFrame, keep: list[str]
) -> pl.LazyFrame:
    """Company mentions per sentence, with the company they resolve to and the rule that
    found them: names and aliases (`company.gazetteer`), then ISINs and WKNs
    (`company.isin`, `company.wkn`; see `code_mentions`)."""
    spans = name_spans(sentences, aliases, keep)
    table = (
        aliases.lazy()
        .filter(pl.col("kind") == "name")
        .select(
            pl.col("alias").str.to_lowercase().alias("_lower"),
            pl.col("alias").alias("_alias"),
            "exact",
            "company_id",
            "guard",
        )
    )
    # The forms the text's spelling may be, then the one whose case fits: an exact alias
    # only as written ("APPLE" is a form of its own, "apple" none).
    names = (
        spans.with_columns(pl.col("alias").str.to_lowercase().alias("_lower"))
        .join(table, on="_lower", how="inner", maintain_order="left")
        .filter(~pl.col("exact") | (pl.col("alias") == pl.col("_alias")))
        .unique([*keep, "char_start"], keep="first", maintain_order=True)
        .with_columns(pl.col("_alias").alias("alias"))
        .drop("_alias", "_lower", "exact")
    )
    names = (
        names.filter(~_guarded())
        .drop("guard")
        .with_columns(pl.lit("company.gazetteer").alias("rule_id"))
    )
    codes = code_mentions(sentences, aliases, keep)
    return pl.concat([names, codes], how="diagonal_relaxed").with_columns(_context())


# An ISIN (two letters, nine letters or digits, a check digit) anywhere; a WKN (six letters
# or digits) only after its cue "WKN", "WKN:" or "Wertpapierkennnummer": alone, six
# characters are any number or word.
CODE_PATTERN = (
    r"\b(?:(?:WKN|Wertpapierkennnummer)\s*:?\s*(?P<wkn>[A-Z0-9]{6})"
    r"|(?P<isin>[A-Z]{2}[A-Z0-9]{9}[0-9]))\b"
)


_CODE_SHAPE = r"WKN|Wertpapierkennnummer|\b[A-Z]{2}[A-Z0-9]{9}[0-9]\b"


def code_mentions(sentences: pl.LazyFrame, aliases: pl.DataFrame, keep: list[str]) -> pl.LazyFrame:
    """Mentions by an ISIN or a WKN of the seed; the alias and the span are the code. An
    ISIN whose check digit fails (python-stdnum) names no company, even one that differs
    from a listed ISIN in its check digit only."""
    codes = aliases.filter(pl.col("kind").is_in(["isin", "wkn"])).select(
        "kind", pl.col("alias").alias("code"), "company_id"
    )
    # Only the few sentences with a code's shape or cue reach the span finder.
    spans = find_spans(
        sentences.filter(pl.col("shadow").str.contains(_CODE_SHAPE)),
        "text",
        CODE_PATTERN,
        keep,
        shadow_col="shadow",
    ).with_columns(
        pl.when(pl.col("isin").is_not_null())
        .then(pl.lit("isin"))
        .otherwise(pl.lit("wkn"))
        .alias("kind"),
        pl.coalesce("isin", "wkn").alias("code"),
    )
    found = spans.join(codes.lazy(), on=["kind", "code"], how="inner").collect()
    # A few distinct codes at most: validated one by one with the library that knows ISINs.
    valid = {
        code: stdnum_isin.is_valid(code)
        for code in found.filter(pl.col("kind") == "isin")["code"].unique().to_list()
    }
    return (
        found.lazy()
        .filter((pl.col("kind") == "wkn") | pl.col("code").replace_strict(valid, default=False))
        # The mention is the code itself, not its cue: "WKN: 823212" -> "823212".
        .with_columns(
            (pl.col("char_end") - pl.col("code").str.len_chars().cast(pl.Int64)).alias("char_start")
        )
        .select(
            *keep,
            "char_start",
            "char_end",
            pl.col("code").alias("surface"),
            pl.col("code").alias("alias"),
            "company_id",
            pl.concat_str(pl.lit("company."), pl.col("kind")).alias("rule_id"),
        )
    )


def _context() -> list[pl.Expr]:
    # "eine Beteiligung an OpenAI im Wert von ...": OpenAI is what is held, not who holds it.
    held = shadow_before(30).str.to_lowercase().str.contains(_HELD)
    # "Broadcom und OpenAI wollen ...": whether " und " stands right before the mention
    # (the subject rule then looks for the company that ends there).
    after_und = shadow_before(5) == " und "
    # "Dafür arbeitet der Konzern eng mit Nvidia zusammen": Nvidia is the partner, not the
    # one who acts (events then take the next company named, or the article's).
    lead = shadow_before(40).str.to_lowercase()
    after_mit = lead.str.contains(_AFTER_MIT)
    # "die Übernahme des Konkurrenten About You": the company bought, not the buyer.
    taken = lead.str.contains(_TAKEN)
    # "die Deutsche-Bank-Tochter DWS", "die Rocket-Internet-Beteiligung": the parent names
    # the child, which is the one that acts.
    parent = shadow_after(30).str.to_lowercase().str.contains(_PARENT_OF)
    # "Neben TUI gerät auch Sartorius unter Druck": the one beside is not the one who acts.
    beside = lead.str.contains(r"\bneben (?:dem |der |den )?$")
    no_actor = after_mit | taken | parent | beside
    return [held.alias("held"), after_und.alias("after_und"), no_actor.alias("no_actor")]


def shadow_after(chars: int) -> pl.Expr:
    """Up to `chars` characters of the `shadow` column right after `char_end`."""
    return pl.col("shadow").str.slice(pl.col("char_end"), chars)


@cache
def guards() -> dict[str, dict[str, str]]:
    """The context guards of data/company_universe.yaml, as patterns for the shadow text."""
    from finnews.extract.entities import FIRST_NAMES

    raw = yaml.safe_load(RULES_YAML.read_text(encoding="utf-8"))["guards"]
    first_names = alternation(FIRST_NAMES)
    return {
        name: {
            side: asciify_pattern(pattern.replace("{first_names}", first_names))
            for side, pattern in spec.items()
        }
        for name, spec in raw.items()
    }


def _guarded() -> pl.Expr:
    """Whether a mention's guard forbids it here (false for unguarded aliases)."""
    before, after = shadow_before(40), shadow_after(30)
    hit = pl.lit(False)
    for name, spec in guards().items():
        this = pl.lit(False)
        if "forbid_before" in spec:
            this = this | before.str.contains(spec["forbid_before"])
        if "forbid_after" in spec:
            this = this | after.str.contains(spec["forbid_after"])
        hit = hit | ((pl.col("guard") == name) & this)
    return hit.fill_null(False)


_HELD = r"(?:beteiligung|anteile?|anteilen|stake) (?:an|bei) (?:der |dem |den )?$"
_AFTER_MIT = r"\bmit (?:dem |der |den )?(?:[\w-]+ ){0,2}$"
_PARENT_OF = r"^-(?:[a-z]+-)?[a-z]*(?:tochter|beteiligung|ableger|sparte)\b"
_TAKEN = (
    r"\b(?:ubernahme|zukauf|kauf|erwerb|akquisition)s? (?:des |der |von |eines |einer )"
    r"(?:[\w-]+ ){0,2}$"
)
