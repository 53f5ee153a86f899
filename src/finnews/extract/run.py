"""Extraction over a frame of articles: the one entry point the pipeline calls."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import polars as pl

from finnews.asciify import asciify_pattern
from finnews.extract.companies import extract_mentions
from finnews.extract.dates import extract_dates
from finnews.extract.entities import AUTHORITIES, extract_entities
from finnews.extract.event_rules import fired_rules
from finnews.extract.events import RULES, detect_events
from finnews.extract.figures import (
    COMMODITY_WORDS,
    INDEX_NAMES,
    extract_figures,
    listed_values,
    previous_values,
    prior_values,
    reversed_values,
)
from finnews.extract.ratings import broker_mentions, flag_analysts, read_ratings, vocabulary
from finnews.extract.sentences import split_sentences
from finnews.extract.tone import with_tone
from finnews.lexicon import alternation
from finnews.slug import slug_expr
from finnews.spans import drop_overlapping

CONTEXT_COLUMNS = ["article_id", "sentence_idx", "sent_start", "text", "shadow", "published_date"]


@dataclass(frozen=True)
class Extraction:
    sentences: pl.DataFrame
    figures: pl.DataFrame
    mentions: pl.DataFrame
    events: pl.DataFrame
    entities: pl.DataFrame
    # (article_id, sentence_idx, rule_id) for every event rule that fired, winner or not.
    rule_hits: pl.DataFrame

    def counts(self) -> dict[str, int]:
        return {
            "sentences": self.sentences.height,
            "figures": self.figures.height,
            "mentions": self.mentions.height,
            "events": self.events.height,
            "entities": self.entities.height,
        }


def _to_body_offsets(spans: pl.LazyFrame) -> pl.LazyFrame:
    # Spans were found in sentence text; shift them to offsets into the article body.
    return spans.with_columns(
        pl.col("char_start") + pl.col("sent_start"), pl.col("char_end") + pl.col("sent_start")
    )


def _span_id(prefix: str) -> pl.Expr:
    return pl.concat_str(
        pl.col("article_id"), pl.lit(f":{prefix}:"), pl.col("char_start").cast(pl.String)
    )


def _main_company(mentions: pl.LazyFrame) -> pl.LazyFrame:
    """The most mentioned company of each article, brokers acting as analysts aside; ties go
    to the one named first.

    `mentions` are the article's actors, organisations found outside the seed
    (`company.discovered`) included: those stand for a small-cap's article ("Capital Stage
    AG beschließt Kapitalerhöhung") only when named twice, first in the opening lines."""
    discovered = pl.col("rule_id") == "company.discovered"
    # An analyst's note: a broker acts as analyst somewhere in the article. (A newspaper
    # cited as the source is flagged too, but makes no analyst's note.)
    broker = pl.col("analyst") & ~pl.col("company_id").is_in(list(vocabulary().media))
    return (
        mentions.with_columns(broker.any().over("article_id").alias("_note"))
        .filter(~pl.col("analyst"))
        .group_by("article_id", "company_id")
        .agg(
            pl.len().alias("n"),
            # "der Deutschen Post (DHL)" names the company twice in one sentence: a company
            # named in one sentence only must be named early to be the article's.
            pl.col("sentence_idx").n_unique().alias("_sentences"),
            pl.col("char_start").min().alias("first"),
            discovered.all().alias("_found"),
            pl.col("_note").first(),
        )
        # (The company id last: equal counts and places never leave the order to a hash.)
        .sort(
            ["article_id", "n", "_found", "first", "company_id"],
            descending=[False, True, False, False, False],
        )
        # In an analyst's note the only company of the seed it names besides its brokers is
        # the rated one, wherever it is named: "... hob sein Kursziel von 95 auf 104 Euro
        # an" before the company's one mention. (A newspaper's company named once late is
        # often an aside.)
        # (Not where an organisation outside the seed is named more often: "des
        # Apple-Zulieferers AMS" is about AMS.)
        .with_columns(
            (
                pl.col("_note")
                & ((~pl.col("_found")).sum().over("article_id") == 1)
                & (
                    pl.col("n")
                    >= pl.col("n").filter(pl.col("_found")).max().over("article_id").fill_null(0)
                )
            ).alias("_only")
        )
        # A company named once, late in a long text, is no article's main company.
        .filter(
            pl.when(pl.col("_found"))
            .then((pl.col("n") >= 2) & (pl.col("first") < 300) | (pl.col("_sentences") >= 3))
            .otherwise((pl.col("_sentences") >= 2) | (pl.col("first") < 300) | pl.col("_only"))
        )
        .group_by("article_id", maintain_order=True)
        .agg(pl.col("company_id").first().alias("main_company_id"))
    )


def line_starts(art: pl.LazyFrame) -> pl.LazyFrame:
    """article_id and the offset where each line of its body starts (`paragraph` numbers the
    lines): roundups and day overviews give each company a paragraph of its own."""
    lengths = pl.col("body").str.split("\n").list.eval(pl.element().str.len_chars() + 1)
    return (
        art.select("article_id", lengths.alias("_len"))
        .with_columns(
            pl.col("_len").list.eval(pl.element().cum_sum() - pl.element()).alias("line_start"),
            pl.col("_len").list.eval(pl.int_range(pl.len())).alias("paragraph"),
        )
        .drop("_len")
        .explode("line_start", "paragraph")
        .with_columns(pl.col("line_start").cast(pl.Int64), pl.col("paragraph").cast(pl.Int32))
        .sort("article_id", "line_start")
    )


# "Neben TUI gerät auch Sartorius unter Druck": a company named beside, like or against the
# subject is not the subject.
_BESIDES = r"(?i)\b(?:neben|wie|gegenüber|als|trotz|ohne|gegen|statt|anstatt|außer)\s+(?:der|die|das|dem|den|des)?\s*$"


def _paragraph_subjects(
    mentions: pl.LazyFrame, ctx: pl.LazyFrame, lines: pl.LazyFrame
) -> pl.LazyFrame:
    """Companies named as their sentence's subject (at most three words before them:
    "Die Swisscom hat ...", "ALSO: Der IT-Dienstleister ...") with their paragraph, in
    articles of three lines or more, blank ones counted (a text in one line has no
    paragraphs to tell apart)."""
    lead = pl.col("text").str.slice(0, pl.col("char_start") - pl.col("sent_start"))
    paragraphed = (
        lines.group_by("article_id").agg(pl.len().alias("_lines")).filter(pl.col("_lines") >= 3)
    ).select("article_id")
    return (
        mentions.select("article_id", "sentence_idx", "char_start", "company_id")
        .join(paragraphed, on="article_id")
        .join(
            ctx.select("article_id", "sentence_idx", "sent_start", "text"),
            on=["article_id", "sentence_idx"],
        )
        .filter(lead.str.contains(_SUBJECT_POSITION) & ~lead.str.contains(_BESIDES))
        .select("article_id", "char_start", "company_id")
        .pipe(with_paragraph, lines)
    )


def with_paragraph(spans: pl.LazyFrame, lines: pl.LazyFrame) -> pl.LazyFrame:
    """`spans` (article_id, char_start) with the `paragraph` each starts in."""
    return (
        spans.with_columns(pl.col("char_start").cast(pl.Int64).alias("_at"))
        .sort("article_id", "_at")
        .join_asof(
            lines, left_on="_at", right_on="line_start", by="article_id", check_sortedness=False
        )
        .drop("_at", "line_start")
    )


_GROUP_SUBJECT = asciify_pattern(
    r"\b(?:[a-z]+-)?(?:konzerne|unternehmen|firmen|rivalen|wettbewerber|konkurrenten)\b"
    r"(?: haben| investierten| steckten| gaben| wollen)|\bdie branche\b"
    # Directors' dealings in sum: "Deutschlands Vorstände und Aufsichtsräte haben für fast
    # 500 Millionen Euro Aktien gekauft", "haben die Top-Manager ...", "die Insider kauften".
    r"|\b(?:[a-z]+-)?(?:vorstände|manager|insider|aufsichtsräte)\b(?: und \w+)?"
    r" (?:haben|hatten|kauften|verkauften|erwarben)\b"
    r"|\b(?:haben|hatten) (?:die |deutschlands )?(?:[a-z]+-)?(?:vorstände|manager|insider)\b"
)
_COMPANIES_COUNTED = (
    r"(?:konzerne|konzernen|unternehmen|firmen|banken|geldhäuser|geldhäusern|institute|"
    r"instituten|hersteller|herstellern|autobauer|autobauern|konkurrenten|wettbewerber|"
    r"wettbewerbern|mitglieder|mitgliedern|werte|werten"
    # "50 Titel umfassenden MDax", "43 erwarteten Erhöhungen", "zwei Veränderungen im MDax",
    # "die vier Ankeraktionäre", "drei Dax-Unternehmen" (the noun read up to the hyphen):
    # what an index, a season or a deal counts, no single company's figure.
    # (Read as a suffix: "änderungen" holds "Veränderungen", "dax" "MDax", "aktionäre"
    # "Ankeraktionäre".)
    r"|titel|titeln|änderungen|einschätzungen|erhöhungen|senkungen|aktionäre|neulinge|"
    r"aufsteiger|absteiger|dax)$"
)
# "Der Dax schloss 0,4 Prozent tiefer bei 25.061 Punkten": an index's figures (and a
# commodity's) are no company's.
_INDEX_SUBJECT = asciify_pattern(
    rf"\b(?:{alternation(INDEX_NAMES)}|index|nebenwerteindex|dow\b|stoxx|csi 300|msci"
    # and a commodity's: "fiel der Preis für ein Barrel der Nordseesorte Brent".
    rf"|{alternation(COMMODITY_WORDS)})\b"
)
# A market's size is no company's figure, whoever estimates it: "Den Markt für
# KI-Rechenzentren beziffert AMD auf eine Billion Dollar".
_MARKET_SIZE = asciify_pattern(r"\b(?:den|der|dem|des) markt(?:es)? für\b|\bmarktvolumen")


def _named_before(
    spans: pl.LazyFrame, id_col: str, mentions: pl.LazyFrame, pairs: bool = False
) -> pl.LazyFrame:
    """`id_col` and the company_id named last before each span in its sentence (spans
    without one are absent). With `pairs`, a pair acts under its first name: in "Broadcom
    und OpenAI wollen ..." that is Broadcom."""
    last = pl.col("company_id").last()
    if pairs:
        starts, ends = pl.col("char_start"), pl.col("char_end")
        paired = (
            pl.col("after_und").last()
            & (pl.len() > 1)
            & (ends.slice(-2, 1).first() + 5 == starts.last())
        )
        last = pl.when(paired).then(pl.col("company_id").slice(-2, 1).first()).otherwise(last)
    return (
        spans.select(id_col, "article_id", "sentence_idx", pl.col("char_start").alias("_at"))
        .join(
            mentions.select(
                "article_id", "sentence_idx", "char_start", "char_end", "company_id",
                *(["after_und"] if pairs else []),
            ),
            on=["article_id", "sentence_idx"],
        )
        .filter(pl.col("char_start") < pl.col("_at"))
        .sort("char_start")
        .group_by(id_col)
        .agg(last)
    )  # fmt: skip


def _share_named_after(figures: pl.LazyFrame, mentions: pl.LazyFrame) -> pl.LazyFrame:
    """figure_id and the company named first after a share's move or price, within 80
    characters in its sentence: "62 Prozent legte die Aktie des Faserherstellers Lenzing
    zu", "mit einem Minus von 1,7 Prozent vor allem die Lufthansa"."""
    share = pl.col("metric_type").is_in(["price_change", "share_price"])
    return (
        figures.filter(share)
        .select("figure_id", "article_id", "sentence_idx", pl.col("char_end").alias("_end"))
        .join(
            mentions.select("article_id", "sentence_idx", "char_start", "company_id"),
            on=["article_id", "sentence_idx"],
        )
        .filter(pl.col("char_start").is_between(pl.col("_end"), pl.col("_end") + 80))
        .sort("char_start")
        .group_by("figure_id")
        .agg(pl.col("company_id").first().alias("named_after"))
    )


# At most three words before a sentence's subject: "Die spanische Fondsplattform Allfunds".
_SUBJECT_POSITION = (
    r"^(?:[\w-]+\s+){0,3}$"
    # The subject after a fronted phrase and the verb: "Nach einem guten ersten Halbjahr hat
    # der Verbund ...", "Im Quartal steigerte der Versorger RWE ...".
    r"|^[^,;:]{0,80}\s(?:hat|hatte|haben|ist|war|will|wollte|soll|sollte|kann|konnte|muss|"
    r"musste|wird|wurde|steigerte|erhöhte|meldete|verbuchte|erzielte|senkte|machte|"
    r"schrieb|verdiente|setzte)\s+(?:der|die|das)?\s*(?:[A-ZÄÖÜ][\w-]+\s+)?$"
)


def _up_to_figure(column: str) -> pl.Expr:
    """The sentence in `column` (text or shadow) up to the figure (offsets into the body)."""
    return pl.col(column).str.slice(0, pl.col("char_start") - pl.col("sent_start"))


def _organisation_before(figures: pl.LazyFrame, organisations: pl.LazyFrame) -> pl.LazyFrame:
    """figure_id of each figure (no deal price) whose sentence opens with one of its
    article's `organisations` (article_id, name), as a word, with `other_org` True."""
    before = _up_to_figure("text")
    at = before.str.find(pl.col("name"), literal=True)
    after = before.str.slice(at + pl.col("name").str.len_chars(), 1)
    opening = before.str.slice(0, at).str.contains(_SUBJECT_POSITION)
    word = ~after.str.contains(r"^[a-zäöüß]").fill_null(False)
    return (
        figures.filter(~pl.col("metric_type").is_in(["deal_value", "offer_price"]))
        .select("figure_id", "article_id", "text", "char_start", "sent_start")
        .join(organisations, on="article_id")
        .filter(at.is_not_null() & opening & word)
        .group_by("figure_id")
        .agg(
            pl.lit(True).alias("other_org"),
            # "Evri stellt ... zu" acts; "Auf der Handelsplattform Lang & Schwarz kostete
            # das Papier" names a venue, no subject.
            (~before.str.slice(0, at).str.contains(_PLACE_PREPOSITION)).any().alias("org_acts"),
        )
    )


_TRADE = (
    r"(?i:[a-zäöüß-]*(?:konzern|unternehmen|versicherer|hersteller|gruppe|firma|"
    r"händler|anbieter|versorger|spezialist|zulieferer|riese|gigant|autobauer|chipentwickler))"
)
# "Am Vortag war der Kurs des Leiterplattenherstellers um 14 Prozent abgerutscht": the trade
# in the genitive before the figure speaks of the company the sentence before named too.
_TRADE_ANAPHOR = (
    rf"^(?:Der|Die|Das) {_TRADE}\b|\bdes (?:[a-zäöüß]+en\s+)?{_TRADE}(?:s|en|n)\b"
    # "Ebenfalls gefragt waren die Papiere der Addiko Bank. Sie legten um 2,72 Prozent zu":
    # a sentence opened by a pronoun speaks of the company the one before named.
    r"|^(?:Sie|Er|Ihre?|Seine?|Diese[rs]?)\s"
)
_PLACE_PREPOSITION = (
    r"(?i)^(?:auf|an|am|bei|beim|über|von|vom|in|im|mit|für|laut|nach|zu|zur|zum)\b"
)


def _subject_company(
    figures: pl.LazyFrame,
    mentions: pl.LazyFrame,
    main: pl.LazyFrame,
    organisations: pl.LazyFrame,
    paragraphs: tuple[pl.LazyFrame, pl.LazyFrame],
) -> pl.LazyFrame:
    """The company a figure is about: last one named before it in its sentence, else the
    first its paragraph names as a sentence's subject before it, else the article's main
    company. `paragraphs`: the line starts and `_paragraph_subjects`."""
    # The holder, not the held company, is what a stake figure is about; a pair's figure
    # is its first company's.
    holders = mentions.filter(~pl.col("held") & ~pl.col("analyst"))
    discovered = pl.col("rule_id") == "company.discovered"
    # A company of the seed named before the figure decides over a discovered organisation
    # ("Die DHL Group übernimmt den Paketdienst Evri für 550 Millionen Euro" is DHL's); the
    # organisation is the subject where no seed company is named before it.
    before = (
        _named_before(figures, "figure_id", holders.filter(~discovered), pairs=True)
        .rename({"company_id": "named_before"})
        .join(
            _named_before(figures, "figure_id", holders.filter(discovered)).rename(
                {"company_id": "org_before"}
            ),
            on="figure_id",
            how="full",
            coalesce=True,
        )
    )
    # "Evri stellt jährlich rund 800 Millionen Sendungen zu": a figure in a sentence whose
    # subject is an organisation outside the gazetteer, with no gazetteer company before
    # it, is that organisation's.
    other_org = _organisation_before(figures, organisations)
    # "Die US-Konzerne haben 364 Milliarden Dollar ...": a group, not the article's company.
    about_a_group = pl.col("ctx").fill_null("").str.contains(_GROUP_SUBJECT)
    # "die drei Banken Crédit Agricole, HSBC und JPMorgan", "18 der 40 Dax-Konzerne": a count
    # of companies (or of index members) is no single company's figure.
    counts_companies = (pl.col("kind") == "count") & pl.col("count_noun").fill_null(
        ""
    ).str.to_lowercase().str.contains(_COMPANIES_COUNTED)
    about_a_market = pl.col("ctx").fill_null("").str.contains(_MARKET_SIZE)
    # "verdonnerte MAN, Daimler und DAF zu einer Strafe von insgesamt 2,93 Mrd. Euro": a total
    # over several companies named in the sentence is none of theirs.
    several = (
        holders.filter(~discovered)
        .group_by("article_id", "sentence_idx")
        .agg(pl.col("company_id").n_unique().alias("_n_named"))
    )
    total_of_several = pl.col("_n_named").fill_null(0).ge(2) & _up_to_figure(
        "shadow"
    ).str.to_lowercase().str.contains(
        r"\b(?:insgesamt|zusammen|zusammengerechnet|gemeinsam)\s+(?:\w+\s+){0,2}$"
    )
    # An index's figure ("Der Dax schloss 0,4 Prozent tiefer"), not the article's company.
    # ("Die Aktie zählte ... zu den größten Gewinnern im Dax", "... schwächer als der Nasdaq
    # 100" are the share's: the index must come first, without the share.)
    # (Read on the ASCII shadow, which the pattern is written for: "Ölpreis" -> "Olpreis".)
    lead = _up_to_figure("shadow").str.to_lowercase()
    about_an_index = lead.str.contains(_INDEX_SUBJECT) & ~lead.str.contains(
        r"\b(?:aktie|aktien|papier|papiere|titel|kurs)\b"
    )
    lines, paragraph_names = paragraphs
    # The first company its paragraph names before the figure: a roundup's item ("ALSO: Der
    # IT-Dienstleister steigerte ..."), a day overview's section.
    opened_by = (
        figures.select("figure_id", "article_id", "char_start")
        .pipe(with_paragraph, lines)
        .join(paragraph_names.rename({"char_start": "_named_at"}), on=["article_id", "paragraph"])
        .filter(pl.col("_named_at") < pl.col("char_start"))
        .sort("_named_at")
        .group_by("figure_id")
        .agg(pl.col("company_id").first().alias("paragraph_company_id"))
    )
    # "Helvetia stieg um 0,5 Prozent. Der Versicherer hat den Halbjahresgewinn um 9,8 Prozent
    # gesteigert": a sentence opened by its company's trade speaks of the company the sentence
    # before named first.
    previous = (
        holders.filter(~discovered)
        .sort("char_start")
        .group_by("article_id", "sentence_idx")
        .agg(pl.col("company_id").first().alias("previous_company_id"))
        .with_columns(pl.col("sentence_idx") + 1)
    )
    anaphor = _up_to_figure("text").str.contains(_TRADE_ANAPHOR)
    after = _share_named_after(figures, holders.filter(~discovered))
    return (
        figures.join(before, on="figure_id", how="left")
        .join(after, on="figure_id", how="left")
        .join(previous, on=["article_id", "sentence_idx"], how="left")
        .join(other_org, on="figure_id", how="left")
        .with_columns(pl.col("other_org", "org_acts").fill_null(False))
        .join(main, on="article_id", how="left")
        .join(opened_by, on="figure_id", how="left")
        .join(several, on=["article_id", "sentence_idx"], how="left")
        .with_columns(
            # A sentence opened by a discovered organisation that acts is its figure's.
            pl.when(
                pl.col("named_before").is_null()
                & pl.col("org_acts")
                & pl.col("org_before").is_not_null()
            )
            .then(pl.col("org_before"))
            .when(
                pl.col("named_before").is_null()
                & (about_a_group | about_an_index | pl.col("other_org"))
                | about_a_market
                | counts_companies
                | total_of_several
                # Retail sales, a purchasing managers' index, an index level, the oil price:
                # the economy's or the market's figures, no company's.
                | (pl.col("metric_type") == "macro_indicator")
            )
            .then(pl.lit(None, pl.String))
            .otherwise(
                pl.coalesce(
                    "named_before",
                    pl.when(anaphor).then("previous_company_id"),
                    "named_after",
                    "paragraph_company_id",
                    "main_company_id",
                )
            )
            .alias("company_id")
        )
        .drop(
            "named_before",
            "named_after",
            "org_before",
            "other_org",
            "org_acts",
            "main_company_id",
            "_n_named",
            "paragraph_company_id",
            "previous_company_id",
        )
    )


# "Insgesamt wird Ceconomy damit mit rund 2,2 Milliarden Euro bewertet": the company named
# with a deal's valuation is the one bought; "Das Geschäft wird mit rund zwei Milliarden
# US-Dollar bewertet" (no company named, so the article's main one) is the deal's too.
_VALUED = r"\bbewertet\b|\bbewertung\b"


def _valuations_to_bidder(
    figures: pl.DataFrame, events: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A deal value stated as a valuation of the company bought is the bidder's, and so is
    the deal it evidences, when the article's other deal sentences name one bidder."""
    valued = figures.filter(
        (pl.col("metric_type") == "deal_value")
        & pl.col("company_id").is_not_null()
        & pl.col("evidence").str.to_lowercase().str.contains(_VALUED)
    ).select("figure_id", "article_id", "sentence_idx", pl.col("company_id").alias("target"))
    deals = events.filter(pl.col("event_type") == "merger_acquisition")
    bidders = (
        deals.join(valued.select("article_id", "target").unique(), on="article_id")
        .filter(pl.col("company_id").is_not_null() & (pl.col("company_id") != pl.col("target")))
        .group_by("article_id", "target")
        .agg(pl.col("company_id").unique().alias("bidders"))
        .filter(pl.col("bidders").list.len() == 1)
        .select("article_id", "target", pl.col("bidders").list.first().alias("bidder"))
    )
    moved = valued.join(bidders, on=["article_id", "target"])
    figures = (
        figures.join(moved.select("figure_id", "bidder"), on="figure_id", how="left")
        .with_columns(pl.coalesce("bidder", "company_id").alias("company_id"))
        .drop("bidder")
    )
    # Both columns are computed from the row as it was: the target becomes the counterpart.
    moved_here = (pl.col("event_type") == "merger_acquisition") & pl.col("bidder").is_not_null()
    events = (
        events.join(
            moved.select("article_id", "sentence_idx", "target", "bidder"),
            left_on=["article_id", "sentence_idx", "company_id"],
            right_on=["article_id", "sentence_idx", "target"],
            how="left",
        )
        .with_columns(
            pl.when(moved_here).then("bidder").otherwise("company_id").alias("company_id"),
            pl.when(moved_here)
            .then("company_id")
            .otherwise("counterpart_company_id")
            .alias("counterpart_company_id"),
        )
        .select(events.columns)
    )
    return figures, events


def _entity_companies(entities: pl.LazyFrame, mentions: pl.LazyFrame) -> pl.LazyFrame:
    """People and products belong to the company named last before them in their sentence
    ("Alibaba-CEO Eddie Wu", "Alibabas App Qwen"); places and candidates to none."""
    entities = entities.with_columns(
        pl.concat_str(
            pl.col("article_id"),
            pl.lit(":e"),
            pl.col("entity_type").str.slice(0, 2),
            pl.lit(":"),
            pl.col("char_start").cast(pl.String),
        ).alias("entity_id")
    )
    owner = _named_before(
        entities.filter(pl.col("entity_type").is_in(["person", "product"])), "entity_id", mentions
    )
    # "Hannover Rück": a place inside a company's name is no mention of the place; a
    # candidate that is a company's name ("Großbank Unicredit", matched case-insensitively
    # as "UniCredit") is that company, not an unknown organisation.
    places = entities.filter(pl.col("entity_type") == "place")
    candidates = entities.filter(pl.col("entity_type") == "organisation_candidate")
    entities = pl.concat(
        [
            entities.filter(~pl.col("entity_type").is_in(["place", "organisation_candidate"])),
            drop_overlapping(places, mentions, inside=True),
            drop_overlapping(candidates, mentions),
        ]
    )
    return entities.join(owner, on="entity_id", how="left").select(
        "entity_id", "article_id", "sentence_idx", "char_start", "char_end", "entity_type",
        "name", "role", "company_id", "rule_id", pl.col("text").alias("evidence"),
    )  # fmt: skip


def sentence_context(art: pl.LazyFrame, sentences: pl.DataFrame) -> pl.LazyFrame:
    """The sentences as every span finder reads them (CONTEXT_COLUMNS)."""
    return (
        sentences.lazy()
        .rename({"char_start": "sent_start"})
        .join(art.select("article_id", "published_date"), on="article_id", how="left")
        .select(CONTEXT_COLUMNS)
    )


@contextmanager
def _stage(timings: dict[str, float] | None, name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    if timings is not None:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - start


def extract_articles(
    articles: pl.DataFrame, aliases: pl.DataFrame, timings: dict[str, float] | None = None
) -> Extraction:
    """Sentences, figures, dates, company mentions and events of `articles`.

    `articles` needs article_id, body and published_date (may be null). Every span's
    char_start/char_end index into `body`: body[char_start:char_end] == surface.
    `timings`, if given, receives the wall seconds of each step (for the benchmarks).
    """
    art = articles.lazy().select("article_id", "body", "published_date")
    with _stage(timings, "sentences"):
        sentences = with_tone(split_sentences(art)).collect(engine="in-memory")
        # Every span finder reads the same context: computed once, not once per reader.
        ctx = sentence_context(art, sentences).collect(engine="in-memory").lazy()
    with _stage(timings, "mentions"):
        # Brokers acting as analysts are flagged: never a figure's subject nor an actor.
        mentions = broker_mentions(ctx, flag_analysts(_mentions(ctx, aliases), ctx))
    with _stage(timings, "entities"):
        # Collected before it is split by type: each split would otherwise rerun every
        # entity pattern (the filters are pushed into the plan, so no subplan is shared).
        found = _to_body_offsets(extract_entities(ctx, aliases, CONTEXT_COLUMNS))
        entities = _entity_companies(
            found.collect(engine="in-memory").lazy(), mentions.lazy()
        ).collect(engine="in-memory")
    # Organisations outside the seed are not lost: each becomes a company of its own
    # (`company.discovered`, id from its name) for subjects, actors and coverage.
    mentions = _with_discovered(mentions, entities, ctx)
    seed_actors = mentions.lazy().filter(
        ~pl.col("analyst") & (pl.col("rule_id") != "company.discovered")
    )
    main = _main_company(mentions.lazy())
    with _stage(timings, "figures"):
        lines = line_starts(art).collect(engine="in-memory").lazy()
        paragraph_names = _paragraph_subjects(seed_actors, ctx, lines)
        figures, dates = _figures(ctx, mentions, entities, main, (lines, paragraph_names))
    event_sentences = (
        sentences.lazy()
        .join(art.select("article_id", "published_date"), on="article_id")
        .with_columns(pl.col("char_start").alias("sent_start"))
    )
    with _stage(timings, "event_rules"):
        hits = fired_rules(event_sentences, mentions.lazy(), entities.lazy(), figures.lazy(), RULES)
    with _stage(timings, "events"):
        events = detect_events(
            event_sentences, dates.lazy(), mentions.lazy(), figures.lazy(), main, hits,
        ).collect(engine="in-memory")  # fmt: skip
        figures, events = _valuations_to_bidder(figures, events)
        events = read_ratings(events, figures, mentions)
    return Extraction(
        sentences=sentences.drop("shadow"),
        figures=figures,
        mentions=mentions.drop("held", "after_und", "no_actor", "analyst"),
        events=events,
        entities=entities,
        rule_hits=hits,
    )


# Organisation candidates that are no company: authorities (AUTHORITIES), ministries,
# central banks, supranational bodies, indices, and words that are no names.
_NOT_A_COMPANY = (
    r"(?i)ministerium|kommission|notenbank|zentralbank|regierung|behörde|\bamt\b|gericht|"
    r"verband|gewerkschaft|kammer|\b(?:iwf|oecd|opec|who|uno?|nato|fed|ezb|epa)\b|^hang seng|"
    r"^(?:international|austria|europa|deutschland|china)$"
)


def _with_discovered(
    mentions: pl.DataFrame, entities: pl.DataFrame, ctx: pl.LazyFrame
) -> pl.DataFrame:
    """`mentions` and a mention for each organisation candidate outside the seed that is
    no authority, wherever its article names it again ("Evri stellt ... zu" after "den
    Paketdienst Evri"; the first time in each sentence): company_id is the slug of its
    name, rule_id `company.discovered`."""
    # "Der Chef des Sportartikelkonzerns Elliott Hill": a name its article gives a person
    # is no organisation.
    people = entities.filter(pl.col("entity_type") == "person").select("article_id", "name")
    names = (
        entities.filter(
            (pl.col("entity_type") == "organisation_candidate")
            & ~pl.col("name").is_in(AUTHORITIES)
            & ~pl.col("name").str.contains(_NOT_A_COMPANY)
            & (pl.col("name").str.len_chars() >= 2)
        )
        .select("article_id", "name")
        .unique()
        .join(people, on=["article_id", "name"], how="anti")
    )
    at = pl.col("text").str.find(pl.col("name"), literal=True)
    end = at + pl.col("name").str.len_chars()
    # As a word: no letter right before or after ("Evris" is the genitive, allowed).
    before = pl.col("text").str.slice(at - 1, 1)
    after = pl.col("text").str.slice(end, 1)
    word = (at == 0) | ~before.str.contains(r"\w") & ~after.str.contains(r"^[a-rt-zäöüß]")
    found = (
        ctx.select("article_id", "sentence_idx", "sent_start", "text")
        .join(names.lazy(), on="article_id")
        .filter(at.is_not_null())
        .filter(word.fill_null(True))
        .with_columns(
            (pl.col("sent_start") + at).cast(pl.Int64).alias("char_start"),
            (pl.col("sent_start") + end).cast(pl.Int64).alias("char_end"),
        )
        .with_columns(
            pl.concat_str("article_id", pl.lit(":"), pl.col("char_start").cast(pl.String)).alias(
                "entity_id"
            )
        )
        .collect(engine="in-memory")
    )
    # "Alpine Bau" and "Alpine" found at one place are one organisation: the longer name.
    key = ["article_id", "sentence_idx"]
    shorter = (
        found.select(*key, "entity_id", "name", "char_start", "char_end")
        .join(
            found.select(*key, pl.col("char_start").alias("_s"), pl.col("char_end").alias("_e")),
            on=key,
        )
        .filter(
            (pl.col("_s") <= pl.col("char_start"))
            & (pl.col("char_end") <= pl.col("_e"))
            & ((pl.col("_e") - pl.col("_s")) > (pl.col("char_end") - pl.col("char_start")))
        )
        .select("entity_id", "name")
        .unique()
    )
    found = found.join(shorter, on=["entity_id", "name"], how="anti", maintain_order="left")
    discovered = (
        drop_overlapping(found, mentions)
        .with_columns(
            _span_id("m").alias("mention_id"),
            pl.col("name").alias("alias"),
            slug_expr(pl.col("name")).alias("company_id"),
            pl.lit("company.discovered").alias("rule_id"),
            pl.lit(False).alias("held"),
            pl.lit(False).alias("after_und"),
            pl.lit(False).alias("no_actor"),
            pl.lit(False).alias("analyst"),
        )
        .filter(pl.col("company_id") != "")
        .with_columns(pl.col("name").alias("surface"))
        .select(mentions.columns)
    )
    return pl.concat([mentions, discovered]).sort("article_id", "char_start")


def _mentions(ctx: pl.LazyFrame, aliases: pl.DataFrame) -> pl.DataFrame:
    return (
        _to_body_offsets(extract_mentions(ctx, aliases, CONTEXT_COLUMNS))
        .with_columns(_span_id("m").alias("mention_id"))
        .select(
            "mention_id",
            "article_id",
            "sentence_idx",
            "char_start",
            "char_end",
            "surface",
            "alias",
            "company_id",
            # The universe's names and aliases, or its ISINs and WKNs (dbt seed).
            "rule_id",
            "held",
            "after_und",
            "no_actor",
        )  # fmt: skip
        .collect(engine="in-memory")
    )


# A growth of something that belongs to no company ("Die Nachfrage stieg um 0,8 Prozent" in
# an economy report, where no company is named before it) is the economy's: the metric
# rules type growth (segment_growth.growth_verb: no segment word) before the subject is
# known, so this is read after it.
NO_COMPANY_GROWTH_RULE = "macro_indicator.no_company_growth"


def _retyped(where: pl.Expr, metric_type: str, rule_id: str) -> list[pl.Expr]:
    """metric_type and metric_rule_id set to these where `where` holds, kept elsewhere."""
    return [
        pl.when(where).then(pl.lit(metric_type)).otherwise("metric_type").alias("metric_type"),
        pl.when(where).then(pl.lit(rule_id)).otherwise("metric_rule_id").alias("metric_rule_id"),
    ]


def _economy_growth() -> list[pl.Expr]:
    economy = (pl.col("metric_rule_id") == "segment_growth.growth_verb") & pl.col(
        "company_id"
    ).is_null()
    return _retyped(economy, "macro_indicator", NO_COMPANY_GROWTH_RULE)


# "Helvetia stieg um 0,5 Prozent", "Zurich Insurance sanken 0,7 Prozent": a company's name
# with no article, right before a move verb, is its share in a market report (a thing that
# grows takes an article: "Die Nachfrage stieg um 0,8 Prozent"). Read after the subject, on
# the figures the metric rules left as growth of something unnamed.
COMPANY_MOVE_RULE = "price_change.company_moved"
_NAME_THEN_MOVE = (
    r"^(?:[A-Z][\w&.+-]*\s+){1,3}(?:stieg|stiegen|sank|sanken|fiel|fielen|verlor|verloren|"
    r"gewann|gewannen|legte|legten|kletterte|kletterten|zog|zogen|bu(?:ss|ß)te|bu(?:ss|ß)ten|"
    r"ruckte|ruckten|verbilligte|verbilligten|verteuerte|verteuerten)\b(?:\s+[\w-]+){0,3}?"
    r"(?:\s+um)?\s*$"
)
_NO_NAME = r"^(?:Die|Der|Das|Den|Dem|Des|Ein|Eine|Einer|Im|In|Bei|Nach|Auch|Mit|Von|Zum|Zur|Am|Seit|Laut)\b"


def _company_moves() -> list[pl.Expr]:
    lead = _up_to_figure("shadow")
    moved = (
        (pl.col("metric_rule_id") == "segment_growth.growth_verb")
        & pl.col("company_id").is_not_null()
        & lead.str.contains(_NAME_THEN_MOVE)
        & ~lead.str.contains(_NO_NAME)
    ).fill_null(False)
    return _retyped(moved, "price_change", COMPANY_MOVE_RULE)


# "8,31 Billionen Won (6,74 Milliarden Euro)": a converted amount in brackets right after
# the amount it converts.
_CONVERSION_GAP = r"^\s*\(\s*(?:(?:rund|etwa|knapp|gut|ca\.|umgerechnet|umgerechnet rund)\s+)?$"


def _conversions_as_converted(figures: pl.LazyFrame) -> pl.LazyFrame:
    """A converted amount states the same measure as the amount before it: its metric,
    measure, rule and subject. (One sort and plain shifts: a window per sentence over the
    figure frame cost more than the figure rules.)"""
    figures = figures.sort("article_id", "char_start")
    prev = {c: pl.col(c).shift(1) for c in
            ("article_id", "sentence_idx", "kind", "currency", "char_end", "metric_type",
             "metric_measure", "metric_rule_id", "company_id")}  # fmt: skip
    gap = pl.col("text").str.slice(
        prev["char_end"] - pl.col("sent_start"),
        (pl.col("char_start") - prev["char_end"]).clip(lower_bound=0),  # overlapping spans
    )
    converted = (
        (pl.col("kind") == "amount")
        & (prev["kind"] == "amount")
        & (prev["article_id"] == pl.col("article_id"))
        & (prev["sentence_idx"] == pl.col("sentence_idx"))
        & (prev["currency"] != pl.col("currency"))
        & gap.str.contains(_CONVERSION_GAP).fill_null(False)
    )
    return figures.with_columns(
        pl.when(converted).then(prev[c]).otherwise(c).alias(c)
        for c in ("metric_type", "metric_measure", "metric_rule_id", "company_id")
    )


def _figures(
    ctx: pl.LazyFrame,
    mentions: pl.DataFrame,
    entities: pl.DataFrame,
    main: pl.LazyFrame,
    paragraphs: tuple[pl.LazyFrame, pl.LazyFrame],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The figures (amounts and dates, with subject company) and the dates alone."""
    # Regulators hand out fines to others: their sentence's figure is not theirs.
    organisations = (
        entities.lazy()
        .filter(
            (pl.col("entity_type") == "organisation_candidate") & ~pl.col("name").is_in(AUTHORITIES)
        )
        .select("article_id", "name")
        .unique()
    )
    # Collected once: the previous, listed and prior values below read it, and a lazy frame
    # read four times is computed four times (the figure rules are most of extraction).
    amounts = _to_body_offsets(extract_figures(ctx, CONTEXT_COLUMNS)).collect(engine="in-memory")
    # A previous or prior-year value that is already a figure of its own ("von 3 Prozent auf
    # 5 Prozent") is that figure: one row per figure_id, the figure as found first.
    amounts = (
        pl.concat(
            [
                amounts.lazy(),
                previous_values(amounts.lazy()),
                listed_values(amounts.lazy()),
                reversed_values(amounts.lazy()),
                prior_values(amounts.lazy()),
            ]
        )
        .with_columns(_span_id("f").alias("figure_id"))
        .unique("figure_id", keep="first", maintain_order=True)
    )
    # Dates are read by the figures and by the events: found once.
    dates = (
        _to_body_offsets(extract_dates(ctx, CONTEXT_COLUMNS))
        .with_columns(
            _span_id("d").alias("figure_id"),
            pl.lit("date").alias("kind"),
            pl.lit("date").alias("unit"),
            pl.lit("date").alias("metric_type"),
        )
        .collect(engine="in-memory")
    )
    # Collected once: the subject attribution reads the figures seven times (each lookup of
    # a company before, after, in the paragraph ...), and each read would otherwise derive
    # the previous, listed, reversed and prior values again.
    found = pl.concat([amounts, dates.lazy()], how="diagonal_relaxed").collect(engine="in-memory")
    figures = (
        _subject_company(
            found.lazy(),
            mentions.lazy(),
            main,
            organisations,
            paragraphs,
        )
        .with_columns(_economy_growth())
        .with_columns(_company_moves())
        .pipe(_conversions_as_converted)
        .select(
            "figure_id",
            "article_id",
            "sentence_idx",
            "char_start",
            "char_end",
            "surface",
            "kind",
            "metric_type",
            "metric_measure",
            pl.col("metric_rule_id").fill_null("date.calendar").alias("rule_id"),
            "value",
            "unit",
            "currency",
            pl.col("scale_factor").alias("scale"),
            "qualifier",
            "count_noun",
            "value_date",
            "alt_date",
            "year_inferred",
            "company_id",
            "period",
            "period_quarter",
            "period_year",
            "period_is_fiscal",
            "value_low",
            "range_type",
            # The sentence travels with the figure: the marts need no join with the
            # sentences (tens of millions of rows at a million articles).
            pl.col("text").alias("evidence"),
        )  # fmt: skip
        .sort("article_id", "char_start")
        .collect(engine="in-memory")
    )
    return figures, dates
