"""Figures in sentences: amounts, percentages, counts, RSI readings, typed by metric."""

from __future__ import annotations

import polars as pl

from finnews.asciify import asciify_pattern
from finnews.extract.periods import period_columns
from finnews.lexicon import FRACTIONS, ONE_WORDS, SUBUNITS, alternation
from finnews.numbers import FIGURE, RSI, german_number, normalize_figures
from finnews.rules import load_rules
from finnews.rules.conditions import to_expr
from finnews.spans import find_spans, shadow_before

# Metric taxonomy: the rules of src/finnews/rules/metrics.yaml, tried by priority; the first
# that holds types the figure (documented in docs/metrics.md). The views they read are
# columns prepared in `extract_figures`.
RULES = load_rules()
INDEX_NAMES = list(RULES.vocabularies["index_names"])
COMMODITY_WORDS = list(RULES.vocabularies["commodity_words"])
METRIC_VIEWS = {
    "kind": "kind", "ctx": "ctx", "topic": "topic_ctx", "clause": "_clause", "before": "_cb",
    "after": "_ca", "antecedent": "_antecedent", "noun": "_noun", "surface": "surface",
    "scale": "scale_factor",
}  # fmt: skip
DEFAULT_METRIC_RULE = "other.default"


def metric_rule_id() -> pl.Expr:
    """The id of the first metric rule that holds, else `other.default`."""
    first, *rest = RULES.metrics
    expr = pl.when(to_expr(first.when, METRIC_VIEWS)).then(pl.lit(first.id))
    for rule in rest:
        expr = expr.when(to_expr(rule.when, METRIC_VIEWS)).then(pl.lit(rule.id))
    return expr.otherwise(pl.lit(DEFAULT_METRIC_RULE))


def metric_of(rule_id: pl.Expr) -> pl.Expr:
    """A metric rule's type: its id up to the first dot."""
    return rule_id.str.split_exact(".", 1).struct.field("field_0")


METRIC_TYPES = RULES.metric_types
# The measure a forecast figure is of, from the rule that typed it (guidance rules name it).
METRIC_MEASURES = {r.id: r.measure for r in RULES.metrics if r.measure}


def metric_measure(rule_id: pl.Expr) -> pl.Expr:
    return rule_id.replace_strict(METRIC_MEASURES, default=None, return_dtype=pl.String)


# Nouns that name what a figure measures (a clause holding one is the figure's topic), and
# the qualifiers between a preposition and its figure: shared with the metric rules.
_TOPIC_WORDS = RULES.metric_fragments["topic_words"]
_QUALIFIED = RULES.metric_fragments["qualified"]
# Direction words before a change: the last one in front of the figure sets its sign.
_FALL = r"sackt|sacken|rutscht\b|rutschen|rutschten|talfahrt|zurückgegangen|zurückging|\bg(?:ing|ingen|eht|ehen) zurück\b|minus|verlust|verlor|verliert|verlieren|verloren|büßen|büßt\b|\bfiel|\bfällt|\bfallen|\bgefallen|sank|sinkt|gesunken|rutschte|büßte|einbußen|rückgang|abschlag|einbruch|eingebrochen|tiefer|verbillig|schrumpf|gesenkt|senkt|senkte|senkung|verringer|kürzt"
_RISE = r"plus|verbesser|gewann|gewinnt|zugelegt|legte|stieg|steigt|gestiegen|kletter|wuchs|wächst|höher|verteuert|anstieg|zuwachs|aufschlag|steiger"


# Every RSI match holds one of these in the sentence's shadow (tests/test_numbers.py proves
# it on the pattern): only the sentences that hold one are searched.
RSI_ANCHORS = ["RSI", "Relative"]


def _rsi_spans(sentences: pl.LazyFrame, keep: list[str]) -> pl.LazyFrame:
    # The evidence of an RSI reading is the number itself, the last token of the match.
    candidates = sentences.filter(pl.col("shadow").str.contains_any(RSI_ANCHORS))
    return find_spans(candidates, "text", RSI, keep).with_columns(
        (pl.col("char_end") - pl.col("number").str.len_chars().cast(pl.Int64)).alias("char_start"),
        pl.col("number").alias("surface"),
        pl.lit("index_points").alias("kind"),
        pl.lit("index_points").alias("unit"),
        german_number(pl.col("number")).alias("value"),
        pl.lit(None, pl.Float64).alias("scale_factor"),
        pl.lit(None, pl.String).alias("currency"),
        pl.lit(None, pl.String).alias("count_noun"),
    )


# A clause ends at ", " (not the decimal comma), ";", ": ", a dash between spaces or a
# parenthesis: "fiel auf 4,1 Prozent, nach 10,9 Prozent ein Jahr zuvor" has two clauses.
_CLAUSE_BREAK = r"(?:,\s|;|:\s|\s-\s|[()])"


def clause_before(chars: int = 80) -> pl.Expr:
    """The lower-cased shadow of the figure's clause up to the figure (at most `chars`)."""
    before = shadow_before(chars).str.to_lowercase()
    return before.str.extract(rf"(?s)^(?:.*{_CLAUSE_BREAK})?(.*)$", 1)


def clause_after() -> pl.Expr:
    """The lower-cased shadow of the figure's clause after the figure (at most 60 chars)."""
    after = pl.col("shadow").str.slice(pl.col("char_end"), 60).str.to_lowercase()
    return after.str.extract(rf"(?s)^(.*?)(?:{_CLAUSE_BREAK}|$)", 1)


# Directions written after the figure: perfect participles and trailing particles of
# separable verbs ("fast 37 Prozent an Wert verloren", "9 Prozent weniger", "gut 4 Prozent
# im Minus", "um 12 Prozent ein" after "brach"). Only the first 45 characters count ("um 10,4 Prozent auf 1,96 Milliarden Euro gesunken").
# Verb-final clauses put the finite verb there too ("während der Index 13 % einbüßte"), and a
# comparative may be inflected ("0,18 Prozent niedrigere Wirtschaftsleistung").
_FALL_AFTER = r"\b(?:nach unten|abwärts|hinab|hinunter|bergab|in die tiefe|abgesackt|verlor|verlieren|büßte|büßten|auf talfahrt|in den keller|verloren|eingebüßt|einbüßte|einbüßten|eingebrochen|einbrach|einbrachen|einbräche|nachgab|nachgaben|nachgegeben|sank|sanken|sinken|sinkt|fiel|fielen|fällt|verbilligt\w*|billiger|abgab|abgaben|abgegeben|abgestürzt|abstürzte|abrutschte|abgerutscht|gesunken|gefallen|gesenkt|gekürzt|reduziert|reduzieren|verringert|verringern|zurückgegangen|zurückging|zurückgingen|geschrumpft|weniger|niedriger\w*|geringer\w*|im minus|ins minus|minus|unter (?:de[mnr]|vorjahr\w*|erwartung\w*)|tiefer|leichter|schwächer\w*)\b"
_RISE_AFTER = r"\b(?:nach oben|aufwärts|hinauf|bergauf|gewonnen|zugelegt|gestiegen|geklettert|erhöht|angehoben|gewachsen|mehr|höher|im plus|ins plus|fester|freundlicher)\b"
# "gab um 2,4 Prozent nach", "gibt ... ab", "brach ... ein": the verb before, its particle
# closing the clause.
_SEPARABLE_FALL = (
    r"\b(?:gab|gaben|gibt|geben|brach|brachen|bricht|ging|gingen|geht|gehen|sacken|sackt|sackte|"
    r"sackten|rutschen|rutscht|rutschte|rutschten|stürzen|stürzt|stürzte|stürzten)\b"
)
_SEPARABLE_PARTICLE = r"\b(?:nach|ab|ein|zurück)\s*(?:[.!?]|\bund\b|\boder\b|$)"
# A change noun before "auf" sizes the change ("summiert sich das Minus auf 8 Prozent");
# after a verb, "auf" introduces the new level ("sank um 1 Prozent auf 5 Prozent").
_CHANGE_NOUN = (
    r"^(?:minus|plus|verlust|rückgang|einbruch|einbußen|abschlag|aufschlag|zuwachs|anstieg)"
)


def _without_non_directions(clause: pl.Expr) -> pl.Expr:
    """`clause` without the words that name no direction of the figure."""
    # "plus/minus 2 %", "+/- 2 %" is a tolerance, no direction.
    clause = clause.str.replace_all(r"plus\s*/\s*minus|\+\s*/\s*[-−–]", " ")
    # "verbesserten sich nach leichten Auftaktverlusten um 0,66 Prozent": where the move
    # started, not its direction.
    return clause.str.replace_all(
        r"\bnach (?:\w+ )?\w*(?:verlusten|gewinnen|abschlagen|aufschlagen)\b", " "
    )


def signed_change() -> pl.Expr:
    """A percentage (or percentage points) that falls is negative: "ein Minus von gut 7
    Prozent", "verlor knapp 4 Prozent", "gab um 2,4 Prozent nach", "9 Prozent weniger".

    Reads the figure's clause from the `_cb`/`_ca` columns (`clause_before()`,
    `clause_after()`). A direction word in the 30 characters after the figure decides first
    (participles, "weniger", "im Minus"), then the last direction word before it, then a
    separable verb whose particle ends the clause. A level after "auf" following
    a verb, and every amount, keep their sign."""
    before = _without_non_directions(pl.col("_cb"))
    after = pl.col("_ca")
    near_after = after.str.slice(0, 45)
    first_after = near_after.str.extract(
        f"({asciify_pattern(_FALL_AFTER)}|{asciify_pattern(_RISE_AFTER)})", 1
    )
    direction_words = asciify_pattern(rf"(?s).*({_FALL}|{_RISE})")
    # A long clause puts its verb further back: "Die Aktie verlor auf der Handelsplattform
    # Tradegate gegenüber dem Xetra-Schluss nachbörslich um über fünf Prozent".
    direction = pl.coalesce(
        before.str.extract(direction_words, 1),
        _without_non_directions(clause_before(140)).str.extract(direction_words, 1),
    )
    falling_before = direction.str.contains(f"^(?:{asciify_pattern(_FALL)})")
    noun = direction.str.contains(asciify_pattern(_CHANGE_NOUN)).fill_null(False)
    # ("sank auf 16,5 von 17,4 Prozent": the value before, a level too.)
    level = before.str.contains(r"\bauf\s*$|\bauf\s+[\d.,]+\s+von\s*$") & ~noun
    separable = before.str.contains(_SEPARABLE_FALL) & after.str.contains(
        asciify_pattern(_SEPARABLE_PARTICLE)
    )
    falls = (
        # The first direction word after the figure decides: "gut 6 Prozent zugelegt und damit
        # schwächer abgeschnitten als der Nasdaq" rose.
        pl.when(first_after.is_not_null())
        .then(first_after.str.contains(f"^(?:{asciify_pattern(_FALL_AFTER)})$"))
        .when(level)
        .then(False)
        .when(direction.is_not_null())
        .then(falling_before)
        .otherwise(separable)
    )
    change = pl.col("kind").is_in(["percent", "percentage_points"])
    # An amount, count or index move is a change only where the text says so: "um" before it
    # ("Die Zahl sank um 16.000 auf 199.000", "dürfte um 480 Millionen Euro schwächer
    # ausfallen") or a comparative after it ("574 Punkte weniger"); otherwise it is a level.
    by = before.str.contains(asciify_pattern(rf"\bum{_QUALIFIED}\s*$"))
    # ... and so does a change noun with "von": "ein Minus von 12,34 Punkten".
    by = by | before.str.contains(asciify_pattern(rf"{_CHANGE_NOUN[1:]}\s+von{_QUALIFIED}\s*$"))
    # The comparative follows the figure itself, at most one word between: "574 Punkte
    # weniger", not "eine Million Menschen in Österreich wollten weniger arbeiten".
    less = near_after.str.contains(asciify_pattern(_LESS_AFTER))
    # A sign written before the number decides, for every kind: "Brenntag (-8,22 Prozent
    # auf 71,44 EUR)", "Wirecard -71,3%", "(+ 1,71 Prozent)", "ein Eigenkapital von -36 Mio",
    # and so does "negativ": "ein negatives Eigenkapital in Höhe von 36,4 Millionen".
    minus = before.str.contains(_WRITTEN_MINUS) | before.str.contains(_NEGATIVE_BEFORE)
    plus = before.str.contains(_WRITTEN_PLUS)
    return (
        pl.when(minus)
        .then(-pl.col("value").abs())
        .when(plus)
        .then(pl.col("value").abs())
        .when((change | by | less) & falls)
        .then(-pl.col("value"))
        .otherwise(pl.col("value"))
    )


# ("unter dem Konsens" after an amount says where a level stands, not that it moved.)
_LESS_AFTER = r"^\s*(?:[\w-]+\s+)?(?:weniger|niedriger\w*|geringer\w*|schwächer\w*|tiefer)\b"
_NEGATIVE_BEFORE = r"\bnegative[nmrs]?(?:\s+\S+){1,5}\s*$"


_WRITTEN_MINUS = r"(?:^|[\s(\[/:])[-−–]\s?$"
_WRITTEN_PLUS = r"(?:^|[\s(\[/:])\+\s?$"


# The last word about earnings before a profit figure, or a loss named right after it:
# "ein Verlust von 3,1 Milliarden Dollar", "rutschte mit 624 Millionen Yuan in die roten
# Zahlen" are negative profits; "Nach einem Verlust im Vorjahr verdiente ..." is not.
_EARNINGS_WORD = (
    r"(?s).*(gewinn|überschuss|ergebnis|verdient|verlust|fehlbetrag|defizit|rote[n]? zahlen|minus)"
)
_LOSS = r"verlust|fehlbetrag|defizit|rote|minus"
_EARNINGS_AFTER = (
    r"^\s*(verlust|fehlbetrag|defizit|minus|in (?:die|den) roten zahlen|gewinn|überschuss)"
)


def signed_profit() -> pl.Expr:
    """A profit amount stated as a loss is negative; every other amount keeps its sign."""
    # Where the clause names no earnings word, the sentence before it does: "Der operative
    # Verlust wurde gedrückt: von 1,24 Milliarden Dollar auf 863 Millionen".
    last = pl.coalesce(
        pl.col("_cb").str.extract(asciify_pattern(_EARNINGS_WORD), 1),
        shadow_before(120).str.to_lowercase().str.extract(asciify_pattern(_EARNINGS_WORD), 1),
    )
    # The word right after the figure decides first: "31 Mio. Euro Verlust verbucht
    # (Vorjahresquartal: 56,4 Mio. Euro Gewinn)" is a loss, then a profit.
    after = pl.col("_ca").str.extract(asciify_pattern(_EARNINGS_AFTER), 1)
    loss = (
        pl.when(after.is_not_null())
        .then(~after.str.contains(r"^(?:gewinn|uberschuss)"))
        .otherwise(last.str.contains(asciify_pattern(_LOSS)))
        .fill_null(False)
    )
    is_loss = (pl.col("kind") == "amount") & (pl.col("metric_type") == "profit") & loss
    return pl.when(is_loss).then(-pl.col("value").abs()).otherwise(pl.col("value"))


# "Mercedes-Benz gab 2,1 Prozent nach, Volkswagen 1,8 Prozent": a clause of a name and a
# figure, its verb left out, moves the way the figure before it in the sentence did.
# ("in Mailand und Madrid jeweils sogar bei rund 12,5 Prozent": a place list, no verb.)
_ELIDED = (
    r"^\s*(?:und\s+)?[\w.&-]+(?:\s+[\w.&-]+){0,2}\s*$"
    r"|^\s*(?:und\s+)?in\s+[A-Za-z]+(?:\s+(?:und|sowie)\s+[A-Za-z]+)?(?:\s+(?:jeweils|sogar|bei|rund|um|etwa|gut|knapp|fast|mit)){0,4}\s*$"
)


def elided_sign() -> pl.Expr:
    """The sign of a percentage whose clause has no verb, from the sentence's figure before."""
    pct = pl.col("kind").is_in(["percent", "percentage_points"])
    # Figures arrive in text order within each sentence (find_spans keeps match order), so
    # the row before is the figure before when it is in the same sentence: no window sort.
    same = (pl.col("article_id").shift(1) == pl.col("article_id")) & (
        pl.col("sentence_idx").shift(1) == pl.col("sentence_idx")
    )
    before = pl.col("value").shift(1)
    before_pct = (same & pct.shift(1)).fill_null(False)
    words = pl.col("_cb").str.contains(_ELIDED) & pl.col("_ca").str.contains(r"^\s*[.!?]?\s*$")
    direction = pl.col("_cb").str.contains(asciify_pattern(f"{_FALL}|{_RISE}"))
    fell = pct & before_pct & words & ~direction & (before < 0)
    return pl.when(fell).then(-pl.col("value").abs()).otherwise(pl.col("value"))


# Magnitudes stated without a number: kept as figures of kind "qualitative", value null.
QUALITATIVE = (
    r"\b(?:ein|zwei|drei|vier|fünf|sechs)stellige[nmrs]?\s+"
    r"(?:Wachstum|Plus|Minus|Zuwachs|Anstieg|Rückgang|Prozentbereich|Millionenbetrag|"
    r"Milliardenbetrag|Betrag|Summe|Umsatz|Gewinn|Verlust|Kursplus|Kursminus)"
    r"|\b(?:Milliardenbetrag|Millionenbetrag|Milliardensumme|Millionensumme|Milliardenhöhe|"
    r"Millionenhöhe)"
    r"|\b(?:mehrere|einige|etliche)[n]?\s+(?:[Hh]undert\s+|[Tt]ausend\s+)?"
    r"(?:Millionen|Milliarden|Tausend|Hundert)(?:\s+[A-ZÄÖÜ][\w-]*)?"
)


def _qualitative_spans(sentences: pl.LazyFrame, keep: list[str]) -> pl.LazyFrame:
    return find_spans(sentences, "text", QUALITATIVE, keep, shadow_col="shadow").with_columns(
        pl.lit("qualitative").alias("kind"),
        pl.lit("qualitative").alias("unit"),
        pl.lit(None, pl.Float64).alias("value"),
        pl.lit(None, pl.Float64).alias("scale_factor"),
        pl.lit(None, pl.String).alias("currency"),
        pl.lit(None, pl.String).alias("qualifier"),
        pl.lit(None, pl.String).alias("count_noun"),
    )


_LOW = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# The lower end written right before a figure: "zwischen 10 und 12 Milliarden Euro",
# "5 bis 7 Prozent", "3-4 Prozent"; "18 oder 20 Prozent" is an alternative, not a range.
_RANGE = rf"(?:zwischen\s+({_LOW})\s+und|({_LOW})\s*(?:bis|-))\s*$"
_ALTERNATIVE = rf"({_LOW})\s+oder\s*$"


def range_columns() -> list[pl.Expr]:
    """`value_low` (with the figure's scale and sign) and `range_type` (range/alternative)."""
    before = shadow_before(40)
    ranged = pl.coalesce(before.str.extract(_RANGE, 1), before.str.extract(_RANGE, 2))
    alternative = before.str.extract(_ALTERNATIVE, 1)
    low = german_number(pl.coalesce(ranged, alternative), pl.col("scale_factor"))
    numeric = pl.col("kind").is_in(["amount", "percent", "percentage_points", "count"])
    sign = pl.when(pl.col("value") < 0).then(-1.0).otherwise(1.0)
    return [
        pl.when(numeric).then(low * sign).alias("value_low"),
        pl.when(numeric & ranged.is_not_null())
        .then(pl.lit("range"))
        .when(numeric & alternative.is_not_null())
        .then(pl.lit("alternative"))
        .alias("range_type"),
    ]


_ANAPHORA = r"^(?:(?:Das|Dies|Dieses) (?:entspricht|bedeutet|ist ein|sind|war ein|waren)|Das (?:Wachstum|Plus|Minus)|Der (?:Zuwachs|Anstieg|Rückgang)|Das Volumen|(?:Bisher|Zuvor|Ursprünglich|Im Vorjahr|Ein Jahr zuvor) (?:hatte|hatten|war|waren|lag|lagen|hat|haben))\b"
# "Seit dem Bekanntwerden der Pläne summiert sich das Minus auf knapp 10 Prozent": a move
# carried on from the sentence before, wherever it stands in the sentence.
# "Statt 3,50 Euro lautet es nun 3,00 Euro": a value replaced, the measure (a target) was
# named in the sentence before.
_CARRIED = (
    r"\bsummiert sich (?:das|der) (?:Minus|Plus|Verlust|Zuwachs|Anstieg)\b"
    r"|^Statt\b|\bstatt (?:bei )?[\d.,]+ (?:Euro|Dollar|US-Dollar|Franken)\b"
)
_HEAD_NOUN = rf"([a-z][a-z-]+)\s+(?:in hohe\s+)?von{_QUALIFIED}\s*$"
_ANTECEDENT = r"([a-z-]+)\s*,\s+(?:deren|dessen)\b[^,;:]*$"


# "bis Ende 2026 sollen Kunden ...", "im Jahr 2026 eigene Aktien": a year before a verb or
# after a word for a point in time, not a count of the noun that follows.
_YEAR_BEFORE = r"\b(?:ende|anfang|mitte|bis|seit|ab|jahr|jahres|im|zum|auch|noch|erst|schon|bereits|fruhjahr|sommer|herbst|winter|halbjahr|quartal)\s+$"
_YEAR_VERB = r"^\S+\s+(?:soll|sollen|will|wollen|wird|werden|ist|sind|hat|haben|kann|konnen|durfte|durften|muss|mussen)\b"
# "mehrere hundert Millionen Euro": a magnitude without a number (kept by QUALITATIVE).
_SOME_BEFORE = r"\b(?:mehrere|mehreren|einige|einigen|etliche|etlichen|viele|vielen)\s+$"


def _not_a_figure() -> pl.Expr:
    """FIGURE matches that only look like figures: a year read as a count, the "hundert" of
    "mehrere hundert Millionen", an RSI reading's "38 Punkten" (read by `_rsi_spans`)."""
    before = shadow_before(25).str.to_lowercase()
    number = pl.col("number").str.to_lowercase()
    year = (
        (pl.col("kind") == "count")
        & number.str.contains(r"^(?:19|20)\d\d$")
        & pl.col("scale_factor").is_null()
        & (
            before.str.contains(_YEAR_BEFORE)
            | pl.col("shadow")
            .str.slice(pl.col("char_start"))
            .str.to_lowercase()
            .str.contains(_YEAR_VERB)
        )
    )
    some = number.is_in(["hundert", "tausend"]) & before.str.contains(_SOME_BEFORE)
    # "für ein Barrel": an article, not the number one (unless scaled: "eine Milliarde", or
    # a percentage: "um gut ein Prozent", "mit einem Prozent im Minus").
    article = (
        number.is_in(ONE_WORDS)
        & pl.col("scale_factor").is_null()
        & ~pl.col("kind").is_in(["percent", "percentage_points"])
    )
    rsi = (pl.col("kind") == "index_points") & pl.col("shadow").str.contains(
        r"\bRSI\b|Relative[- ]St"
    )
    # "unter 25 000 Punkte": space-grouped thousands without decimals are not read as one
    # number (too often two numbers side by side), and "000 Punkte" is no figure of zero.
    leading_zero = number.str.contains(r"^0\d")
    # A fraction in words is a figure as a change ("um fast ein Fünftel", "ein Viertel an
    # Wert verloren"); "zwei Drittel der Befragten" is how a text says "most", no measurement.
    fraction = pl.col("surface").str.to_lowercase().str.contains(rf"(?:{alternation(FRACTIONS)})$")
    after = pl.col("shadow").str.slice(pl.col("char_end"), 45).str.to_lowercase()
    change = before.str.contains(asciify_pattern(rf"\bum{_QUALIFIED}\s*$")) | after.str.contains(
        asciify_pattern(rf"^\s*an wert|{_FALL_AFTER}|{_RISE_AFTER}")
    )
    # "1&1 Drillisch": a digit inside a name.
    in_name = before.str.contains(r"&\s*$")
    return year | some | rsi | article | leading_zero | in_name | fraction & ~change


# A bare "rund 300 Millionen" or "36,4 Millionen" (a scale, no unit, nothing counted) in an
# article that gives its amounts in one currency is money in that currency: economy pages
# name the currency once and drop it after (real DER STANDARD text does throughout).
BARE_SCALE_MIN = 1_000_000


def _article_currency(figures: pl.LazyFrame) -> pl.LazyFrame:
    """Bare scaled counts as amounts in their article's most used currency (none where the
    article names no amount with a currency)."""
    currency = (
        pl.col("currency").filter(pl.col("kind") == "amount").mode().first().over("article_id")
    )
    # A capitalised word right after it is what is counted ("2 Millionen KI-Beschleuniger"),
    # even where the count-noun list does not know it.
    noun_after = pl.col("text").str.slice(pl.col("char_end"), 3).str.contains(r"^\s*\p{Lu}")
    # ... and so is a number the clause before calls one ("Die Zahl der Kunden stieg auf").
    counted_before = (
        pl.col("shadow").str.slice(0, pl.col("char_start")).str.contains(r"(?i)\b(?:an)?zahl der")
    )
    bare = (
        (pl.col("kind") == "count")
        & pl.col("count_noun").is_null()
        & (pl.col("scale_factor") >= BARE_SCALE_MIN)
        & ~noun_after
        & ~counted_before
    )
    to_money = bare & currency.is_not_null()
    return figures.with_columns(
        pl.when(to_money).then(pl.lit("amount")).otherwise("kind").alias("kind"),
        pl.when(to_money).then(currency).otherwise("currency").alias("currency"),
        pl.when(to_money).then(currency).otherwise("unit").alias("unit"),
    )


def extract_figures(sentences: pl.LazyFrame, keep: list[str], views: bool = False) -> pl.LazyFrame:
    """Typed figures; offsets are relative to the sentence text (`text`). With `views`, the
    columns the metric rules read (METRIC_VIEWS) are kept (for the reference engine)."""
    # "Das entspricht einem Plus von rund 6 Prozent": the measure was named in the sentence
    # before. Sentences arrive in article order, so shift(1) is the previous sentence.
    sentences = sentences.with_columns(
        pl.when(
            (pl.col("sentence_idx") > 0)
            & (
                pl.col("shadow").str.contains(_ANAPHORA)
                | pl.col("shadow").str.contains(_CARRIED)
                # "Die Porsche AG wird damit mit 75 Milliarden Euro bewertet": the price
                # that values it was named in the sentence before. Two plain searches: one
                # pattern with ".{0,60}" between is several times slower on every sentence.
                | pl.col("shadow").str.contains(r"\bdamit\b")
                & pl.col("shadow").str.contains(r"\bbewertet\b")
            )
        )
        .then(pl.col("shadow").shift(1).str.to_lowercase() + " ")
        .alias("_before")
    )
    keep = [*keep, "_before"]
    amounts = _article_currency(
        normalize_figures(find_spans(sentences, "text", FIGURE, keep, shadow_col="shadow")).filter(
            ~_not_a_figure()
        )
    )
    cols = [*keep, "char_start", "char_end", "surface", "kind", "value", "unit", "currency",
            "scale_factor", "qualifier", "count_noun"]  # fmt: skip
    both = pl.concat(
        [
            amounts.select(*cols, "prior"),
            _rsi_spans(sentences, keep).select(cols),
            _qualitative_spans(sentences, keep).select(cols),
        ],
        how="diagonal",
    )
    clause = pl.concat_str(
        pl.col("_cb"),
        pl.col("shadow")
        .str.slice(pl.col("char_start"), pl.col("char_end") - pl.col("char_start"))
        .str.to_lowercase(),
        pl.col("_ca"),
    )
    sentence = pl.concat_str(pl.col("_before").fill_null(""), pl.col("shadow").str.to_lowercase())
    has_topic = pl.col("_clause").str.contains(asciify_pattern(_TOPIC_WORDS))
    # "Eine einmalige Steuerbelastung von 15,9 Milliarden Dollar drückte den Gewinn": the
    # measure noun right before "von" names the figure, whatever else its clause names.
    head = pl.col("_cb").str.extract(_HEAD_NOUN, 1)
    head_is_topic = head.str.contains(asciify_pattern(_TOPIC_WORDS)).fill_null(False)
    return (
        # The clause around each figure is cut once and read by the sign and metric rules.
        both.with_columns(clause_before().alias("_cb"), clause_after().alias("_ca"))
        .with_columns(clause.alias("_clause"))
        .with_columns(
            sentence.alias("ctx"),
            pl.when(head_is_topic)
            .then(head)
            .when(has_topic)
            .then(pl.col("_clause"))
            .otherwise(sentence)
            .alias("topic_ctx"),
            # "die Elektroniksparte, deren Umsatz um 4 Prozent zurückging": the clause is
            # about the noun it refers back to.
            shadow_before(120).str.to_lowercase().str.extract(_ANTECEDENT, 1).alias("_antecedent"),
            signed_change().alias("value"),
        )
        .with_columns(elided_sign().alias("value"))
        .with_columns(pl.col("count_noun").fill_null("").str.to_lowercase().alias("_noun"))
        .with_columns(metric_rule_id().alias("metric_rule_id"))
        .with_columns(
            metric_of(pl.col("metric_rule_id")).alias("metric_type"),
            metric_measure(pl.col("metric_rule_id")).alias("metric_measure"),
        )
        .with_columns(signed_profit().alias("value"))
        .with_columns(*period_columns(), *range_columns())
        .drop(
            []
            if views
            else ["topic_ctx", "_antecedent", "_before", "_cb", "_ca", "_clause", "_noun"]
        )
    )


# "hob das Kursziel von 40 auf 48 Euro", "senkte die Prognose von 5 auf 4 Prozent": the
# number after "von" is a figure too (the previous value), with the unit, scale, sign and
# metric type of the one after "auf".
_PREVIOUS_VALUE = (
    r"\bvon\s+(?:rund |knapp |gut |etwa |zuvor |bisher )?(\d[\d.]*(?:,\d+)?)"
    r"(\s+(?:\w+\s+)?auf\s+(?:rund |knapp |gut |etwa )?)$"
)


# "ein Realwachstum von 1,6 beziehungsweise 1,5 Prozent", "um 0,5 statt 0,4 Prozent", "einen
# fairen Wert von 80 nach zuvor 73 Euro": the number before "bzw."/"statt"/"nach zuvor" is a
# figure of the unit written after the second one.
_LISTED_VALUE = (
    r"(?:^|[^\d.,])(\d[\d.]*(?:,\d+)?)"
    r"(\s+(?:beziehungsweise|bzw\.|statt|anstatt|nach (?:zuvor|bisher|vorher))\s+"
    r"(?:rund |knapp |gut |etwa )?)$"
)


# "Die Marge sank auf 16,5 von 17,4 Prozent": the new level before "von", the unit after the
# old one.
_REVERSED_VALUE = r"\bauf\s+(?:rund |knapp |gut |etwa |noch )?(\d[\d.]*(?:,\d+)?)(\s+von\s+)$"
# "kletterte auf 55 Cent von 50 im Vorjahreszeitraum": the old level after "von", its unit
# left out (a number with a unit or scale of its own is a figure already).
_EARLIER_AFTER = (
    r"^(\s+von\s+(?:rund |knapp |gut |etwa )?)(\d[\d.]*(?:,\d+)?)"
    r"(?:\s+(?:im|in|vor|ein|eine[mn]?|des|der|zuvor)\b|\s*[.;)]|,\s)"
)


def _derived(
    figures: pl.LazyFrame, number: pl.Expr, start: pl.Expr, *, ranged: bool = True
) -> pl.LazyFrame:
    """Rows for numbers found beside a figure (`number`, at body offset `start`), each with
    the figure's unit, scale, sign and metric type; null where there is none."""
    sign = pl.when(pl.col("value") < 0).then(-1.0).otherwise(1.0)
    # "55 Cent von 50": the number beside a sub-unit figure is in that sub-unit too.
    subunit = (
        pl.col("surface")
        .str.to_lowercase()
        .str.extract(r"(\S+)\s*$", 1)
        .replace_strict(SUBUNITS, default=1.0, return_dtype=pl.Float64)
    )
    derived = (
        figures.with_columns(number.alias("_number"), start.cast(pl.Int64).alias("_start"))
        .filter(pl.col("_number").is_not_null())
        .with_columns(
            pl.col("_start").alias("char_start"),
            (pl.col("_start") + pl.col("_number").str.len_chars()).cast(pl.Int64).alias("char_end"),
            pl.col("_number").alias("surface"),
            (german_number(pl.col("_number"), pl.col("scale_factor")) * sign * subunit)
            .round(6)
            .alias("value"),
            pl.lit(None, pl.String).alias("qualifier"),
        )
    )
    if not ranged:
        derived = derived.with_columns(
            pl.lit(None, pl.Float64).alias("value_low"), pl.lit(None, pl.String).alias("range_type")
        )
    return derived.drop("_number", "_start")


def _sentence_before() -> pl.Expr:
    """The figure's sentence up to the figure (`text` and `sent_start` needed)."""
    return pl.col("text").str.slice(0, pl.col("char_start") - pl.col("sent_start"))


def _plain(figures: pl.LazyFrame) -> pl.LazyFrame:
    """The figures a number beside them can take the unit of: amounts and percentages, no
    range."""
    return figures.filter(
        pl.col("kind").is_in(["amount", "percent", "percentage_points"])
        & pl.col("range_type").is_null()
    )


def _values_before(figures: pl.LazyFrame, pattern: str) -> pl.LazyFrame:
    """A figure row for each number `pattern` finds right before a figure (group 1: the
    number, group 2: what stands between it and the figure)."""
    number = _sentence_before().str.extract(pattern, 1)
    gap = _sentence_before().str.extract(pattern, 2)
    start = pl.col("char_start") - gap.str.len_chars() - number.str.len_chars()
    return _derived(_plain(figures), number, start)


def reversed_values(figures: pl.LazyFrame) -> pl.LazyFrame:
    """A figure row for each level written around "von" without its own unit: "auf 16,5
    von 17,4 Prozent" (the number before) and "auf 55 Cent von 50 im Vorjahr" (after)."""
    after = pl.col("text").str.slice(pl.col("char_end") - pl.col("sent_start"))
    earlier = _derived(
        _plain(figures).filter(
            _sentence_before().str.contains(r"\bauf\s+(?:rund |knapp |gut |etwa |noch )?$")
        ),
        after.str.extract(_EARLIER_AFTER, 2),
        pl.col("char_end") + after.str.extract(_EARLIER_AFTER, 1).str.len_chars(),
    )
    return pl.concat([_values_before(figures, _REVERSED_VALUE), earlier])


def previous_values(figures: pl.LazyFrame) -> pl.LazyFrame:
    """A figure row for each number written before "auf" in "von 40 auf 48 Euro" (offsets
    into the body; `figures` needs text and sent_start)."""
    return _values_before(figures, _PREVIOUS_VALUE)


def listed_values(figures: pl.LazyFrame) -> pl.LazyFrame:
    """A figure row for each number listed before a figure with "bzw." or "statt" ("1,6
    beziehungsweise 1,5 Prozent"); offsets into the body."""
    return _values_before(figures, _LISTED_VALUE)


def prior_values(figures: pl.LazyFrame) -> pl.LazyFrame:
    """A figure row for each prior-year value in brackets ("445,2 (Vj: 398,5) Mio. Euro"):
    the unit, scale, sign and metric type of the figure it stands in (offsets into the body)."""
    paren = pl.col("surface").str.find("(", literal=True)
    at = paren + pl.col("surface").str.slice(paren).str.find(pl.col("prior"), literal=True)
    return _derived(
        figures.filter(pl.col("prior").is_not_null()),
        pl.col("prior"),
        pl.col("char_start") + at,
        ranged=False,
    )
