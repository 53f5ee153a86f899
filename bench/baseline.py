"""The straightforward way, for comparison: one article at a time, Python `re` and loops.

Same patterns and the same outputs as the polars extractor (sentences, figures with parsed
values, dates, company mentions, event triggers), no vectorization.
"""

from __future__ import annotations

import re
from pathlib import Path

from finnews.extract.companies import alias_table, load_gazetteer, mention_pattern
from finnews.extract.dates import ISO_DATE, NUMERIC_DATE, TEXT_DATE
from finnews.extract.sentences import SENTENCE
from finnews.lexicon import CURRENCIES, NUMBER_WORDS, SCALES
from finnews.numbers import FIGURE, RSI
from finnews.rules import load_rules


def _value(number: str, scale: str | None) -> float | None:
    factor = SCALES.get((scale or "").lower(), 1.0)
    if number[0].isdigit():
        return float(number.replace(".", "").replace(",", ".")) * factor
    word = NUMBER_WORDS.get(number.lower())
    return None if word is None else word * factor


class BaselineExtractor:
    def __init__(self, companies_csv: Path) -> None:
        self.sentence = re.compile(SENTENCE)
        self.figure = re.compile(FIGURE)
        self.rsi = re.compile(RSI)
        self.dates = [re.compile(p) for p in (TEXT_DATE, NUMERIC_DATE, ISO_DATE)]
        aliases = alias_table(load_gazetteer(companies_csv))
        self.alias_to_company = dict(zip(aliases["alias"], aliases["company_id"], strict=True))
        self.mention = re.compile(mention_pattern(aliases))
        # Each event type's sentence patterns from the rule files, as one alternation.
        rules = load_rules()
        self.events = {
            name: re.compile(
                "|".join(
                    f"(?:{r.pattern})"
                    for r in rules.events
                    if r.event_type == name and r.pattern and r.read == "sentence"
                )
            )
            for name in rules.event_types
        }

    def extract(self, body: str) -> dict[str, int]:
        counts = {"sentences": 0, "figures": 0, "mentions": 0, "events": 0, "dates": 0}
        for sentence in self.sentence.finditer(body):
            text = sentence.group(0)
            counts["sentences"] += 1
            for match in self.figure.finditer(text):
                unit, noun, scale = match["unit"], match["count_noun"], match["scale"]
                if unit or noun or (scale and match["number"][0].isdigit()):
                    value = _value(match["number"], scale)
                    currency = CURRENCIES.get((unit or "").lower())
                    if value is not None:
                        counts["figures"] += 1
                        _ = (match.start() + sentence.start(), currency)
            counts["figures"] += sum(1 for _ in self.rsi.finditer(text))
            for pattern in self.dates:
                counts["dates"] += sum(1 for _ in pattern.finditer(text))
            for match in self.mention.finditer(text):
                if self.alias_to_company.get(match["alias"]):
                    counts["mentions"] += 1
            lower = text.lower()
            counts["events"] += sum(1 for p in self.events.values() if p.search(lower))
        return counts
