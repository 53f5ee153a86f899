"""A deterministic generator of synthetic German stock-news articles, for benchmarks.

Same seed and index, same article: `python -m finnews.synth --n 10000 --out DIR` writes
files (sharded 1,000 per folder), `--format jsonl|parquet` writes bulk files the ingest also
reads. The sentences are templates written for this generator, filled with companies from the
gazetteer, German-formatted figures, dates, events, ad lines and the closing teaser.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from finnews.config import project_root

MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"]  # fmt: skip
PLACES = ["Dresden", "Leipzig", "Wolfsburg", "Shenzhen", "Austin", "Szeged", "Lyon", "Mailand",
          "Warschau", "Bangalore", "Monterrey", "Rotterdam"]  # fmt: skip
FIELDS = ["Künstliche Intelligenz", "Batteriezellen", "Cloud-Dienste", "autonomes Fahren",
          "Halbleiter", "Robotik", "Zahlungsverkehr", "Wasserstoff"]  # fmt: skip
PRODUCTS = ["Modell X{n}", "Serie {n}", "Plattform {n}", "App {n}", "Chip N{n}"]
QUALIFIERS = ["rund", "knapp", "gut", "über", "etwa", "mehr als", "fast"]
FILLER = [
    "Analysten bewerten die Entwicklung überwiegend positiv.",
    "Marktbeobachter verweisen auf das schwierige Umfeld in der Branche.",
    "Die Stimmung unter den Anlegern bleibt gemischt.",
    "Der Vorstand zeigte sich mit dem Verlauf des Geschäftsjahres zufrieden.",
    "Gleichzeitig steigt der Druck durch neue Wettbewerber aus Asien.",
    "Viele Investoren warten nun auf klare Signale aus dem Management.",
    "Die Konkurrenz reagiert bislang zurückhaltend auf die Pläne.",
    "Kritiker bemängeln die hohen Kosten der Strategie.",
]
HEADINGS = ["Blick auf die Zahlen", "Neue Strategie", "Die Börse reagiert", "Ausblick",
            "Wachstum trotz Gegenwind", "Das sagen Analysten"]  # fmt: skip


def _de(value: float, decimals: int) -> str:
    """German number format: 1.752,50"""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


@dataclass(frozen=True)
class SynthArticle:
    index: int
    published: date
    company: str
    text: str

    @property
    def file_name(self) -> str:
        return f"{self.published.isoformat()}_synth_{self.index:08d}.txt"


class Generator:
    def __init__(self, seed: int = 7, companies: list[str] | None = None) -> None:
        self.seed = seed
        if companies is None:
            table = pl.read_csv(
                project_root() / "dbt_project/seeds/companies.csv", infer_schema=False
            )
            companies = [a.split("|")[0] for a in table["aliases"].to_list()]
        self.companies = companies

    def article(self, index: int) -> SynthArticle:
        rng = random.Random(self.seed * 1_000_003 + index)
        co, other = rng.sample(self.companies, 2)
        published = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 730))
        price = rng.uniform(5, 900)
        sentences: list[str] = []
        makers = [self._revenue, self._price, self._change, self._earnings, self._deal,
                  self._partner, self._launch, self._invest, self._rsi, self._users]  # fmt: skip
        paragraphs: list[str] = []
        for p in range(rng.randint(8, 11)):
            sentences = []
            for _ in range(rng.randint(3, 6)):
                if rng.random() < 0.55:
                    sentences.append(rng.choice(makers)(rng, co, other, published, price))
                else:
                    sentences.append(rng.choice(FILLER))
            if p in (2, 4):
                paragraphs.append(rng.choice(HEADINGS))
            paragraphs.append(" ".join(sentences))
            if p == 2:
                paragraphs.append(
                    f"Sollten Anleger sofort verkaufen? Oder lohnt sich doch der Einstieg bei {co}?"
                )
        teaser_day = f"{published.day}. {MONTHS[published.month - 1]}"
        teaser = (
            f"{co}-Aktie: Kaufen oder verkaufen?! Neue {co}-Analyse vom {teaser_day} liefert die Antwort:\n\n"
            f"Was bedeuten die neuen Zahlen für {co}? Jetzt einsteigen oder abwarten? "
            f"Die kostenlose Auswertung vom {teaser_day} zeigt es.\n\n"
            f"{co}: Kaufen oder verkaufen? Jetzt die Analyse lesen..."
        )
        title = f"{co}-Aktie: {rng.choice(HEADINGS)}"
        text = "\n\n".join([title, *paragraphs, "Anzeige", teaser]) + "\n"
        return SynthArticle(index, published, co, text)

    # One sentence maker per event or figure type, each with its own wording.
    @staticmethod
    def _revenue(rng: random.Random, co: str, other: str, day: date, price: float) -> str:
        cur = rng.choice(["Euro", "US-Dollar", "Yuan"])
        return (f"Der Umsatz von {co} stieg im {rng.randint(1, 4)}. Quartal um {_de(rng.uniform(1, 40), 1)} "
                f"Prozent auf {_de(rng.uniform(1, 300), 1)} Milliarden {cur}.")  # fmt: skip

    @staticmethod
    def _price(rng: random.Random, co: str, other: str, day: date, price: float) -> str:
        return f"Die Aktie von {co} notiert aktuell bei {_de(price, 2)} Euro."

    @staticmethod
    def _change(rng: random.Random, co: str, other: str, day: date, price: float) -> str:
        return (f"Seit Jahresbeginn liegt das Papier {rng.choice(QUALIFIERS)} {_de(rng.uniform(1, 90), 0)} "
                f"Prozent im {rng.choice(['Plus', 'Minus'])}.")  # fmt: skip

    @staticmethod
    def _earnings(rng: random.Random, co: str, other: str, day: date, price: float) -> str:
        when = day + timedelta(days=rng.randint(5, 90))
        year = f" {when.year}" if rng.random() < 0.5 else ""
        return f"Am {when.day}. {MONTHS[when.month - 1]}{year} legt {co} die Quartalszahlen vor."

    @staticmethod
    def _deal(rng: random.Random, co: str, other: str, day: date, price: float) -> str:
        return (f"{co} übernimmt den Konkurrenten {other} für {rng.choice(QUALIFIERS)} "
                f"{_de(rng.uniform(0.5, 30), 1)} Milliarden Euro.")  # fmt: skip

    @staticmethod
    def _partner(rng: random.Random, co: str, other: str, day: date, price: float) -> str:
        return f"{co} und {other} vereinbaren eine Partnerschaft im Bereich {rng.choice(FIELDS)}."

    @staticmethod
    def _launch(rng: random.Random, co: str, other: str, day: date, price: float) -> str:
        product = rng.choice(PRODUCTS).format(n=rng.randint(2, 9))
        return f"Mit der {product} bringt {co} ein neues Produkt auf den Markt."

    @staticmethod
    def _invest(rng: random.Random, co: str, other: str, day: date, price: float) -> str:
        return (f"Der Konzern investiert {_de(rng.randint(50, 2000), 0)} Millionen Euro in ein "
                f"neues Werk in {rng.choice(PLACES)}.")  # fmt: skip

    @staticmethod
    def _rsi(rng: random.Random, co: str, other: str, day: date, price: float) -> str:
        return f"Mit einem RSI von {_de(rng.uniform(15, 85), 1)} gilt die Aktie als technisch auffällig."

    @staticmethod
    def _users(rng: random.Random, co: str, other: str, day: date, price: float) -> str:
        return (
            f"Die Plattform zählt inzwischen {_de(rng.uniform(1, 900), 1)} Millionen aktive Nutzer."
        )

    def articles(self, n: int, start: int = 0) -> Iterator[SynthArticle]:
        for index in range(start, start + n):
            yield self.article(index)


def write_corpus(out: Path, n: int, start: int = 0, fmt: str = "files", seed: int = 7,
                 per_bulk_file: int = 100_000) -> int:  # fmt: skip
    """Write n articles; returns the bytes of article text written."""
    gen = Generator(seed)
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    if fmt == "files":
        for art in gen.articles(n, start):
            shard = out / f"{art.index // 1000:05d}"
            shard.mkdir(exist_ok=True)
            (shard / art.file_name).write_text(art.text, encoding="utf-8")
            total += len(art.text.encode())
        return total
    rows: list[dict[str, str]] = []
    part = 0

    def flush() -> None:
        nonlocal part, rows
        if not rows:
            return
        name = out / f"synth_{start:08d}_{part:04d}.{fmt}"
        if fmt == "jsonl":
            with name.open("w", encoding="utf-8") as handle:
                for row in rows:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            pl.DataFrame(rows).write_parquet(name)
        part += 1
        rows = []

    for art in gen.articles(n, start):
        rows.append({"id": art.file_name, "published": art.published.isoformat(), "text": art.text})
        total += len(art.text.encode())
        if len(rows) >= per_bulk_file:
            flush()
    flush()
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=["files", "jsonl", "parquet"], default="files")
    args = parser.parse_args(argv)
    size = write_corpus(args.out, args.n, args.start, args.format, args.seed)
    print(f"wrote {args.n} articles ({size / 1e6:.1f} MB) to {args.out} as {args.format}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
