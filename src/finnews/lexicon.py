"""German number grammar and unit vocabulary, as data shared by regexes and value maps."""

from __future__ import annotations

# Number words that stand for a figure ("vier Billionen Dollar", "zehn Prozent").
NUMBER_WORDS: dict[str, float] = {
    "ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3,
    "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50,
    "hundert": 100, "tausend": 1000,
    # Only with a scale: "eine halbe Million Euro" (ONE_WORDS: never a count alone).
    "halbe": 0.5, "halben": 0.5, "eine halbe": 0.5, "einer halben": 0.5, "einen halben": 0.5,
    "einem halben": 0.5,
}  # fmt: skip

# Number words that alone are an article or "half" ("Ein Aufschlag", "die halbe Belegschaft"):
# a figure only with a scale or a percent unit.
ONE_WORDS: list[str] = [
    "ein", "eine", "einen", "einem", "einer", "halbe", "halben", "eine halbe", "einer halben",
    "einen halben", "einem halben",
]  # fmt: skip

# Scale words: German "Billion" is 10^12 (the US "trillion").
SCALES: dict[str, float] = {
    "tausend": 1e3, "tsd.": 1e3,
    # Agency and Swiss copy abbreviate without the dot ("30 Mrd Euro") or as "Mill.".
    "million": 1e6, "millionen": 1e6, "mio.": 1e6, "mio": 1e6, "mill.": 1e6,
    "milliarde": 1e9, "milliarden": 1e9, "mrd.": 1e9, "mrd": 1e9,
    "billion": 1e12, "billionen": 1e12, "bio.": 1e12,
}  # fmt: skip

CURRENCIES: dict[str, str] = {
    "euro": "EUR", "eur": "EUR", "€": "EUR",
    "us-dollar": "USD", "dollar": "USD", "usd": "USD", "$": "USD",
    "hongkong-dollar": "HKD", "hk-dollar": "HKD", "hkd": "HKD",
    "yuan": "CNY", "renminbi": "CNY", "cny": "CNY", "rmb": "CNY",
    "taiwan-dollar": "TWD", "won": "KRW", "krw": "KRW", "yen": "JPY", "jpy": "JPY",
    "schweizer franken": "CHF", "franken": "CHF", "chf": "CHF", "britische pfund": "GBP",
    "pfund sterling": "GBP", "pfund": "GBP", "gbp": "GBP",
    # Sub-units (SUBUNITS gives the factor): "68 Cent je Aktie" is 0.68 euros.
    "cent": "EUR", "eurocent": "EUR", "us-cent": "USD", "rappen": "CHF", "pence": "GBP",
}  # fmt: skip

SUBUNITS: dict[str, float] = {
    "cent": 0.01, "eurocent": 0.01, "us-cent": 0.01, "rappen": 0.01, "pence": 0.01,
}  # fmt: skip

PERCENT_UNITS: dict[str, str] = {
    "prozent": "percent", "%": "percent",
    "prozentpunkte": "percentage_points", "prozentpunkten": "percentage_points",
    # "ein 0,45-prozentiger Zuschlag".
    "prozentige": "percent", "prozentigen": "percent", "prozentiger": "percent",
    "prozentiges": "percent", "prozentigem": "percent",
    # An index's level or move: "schloss bei 25.061 Punkten", "gewann 120 Zähler".
    "punkte": "index_points", "punkten": "index_points", "zähler": "index_points",
    "zählern": "index_points",
    # Fractions in words are percentages (FRACTIONS gives the factor): "um ein Drittel".
    "drittel": "percent", "viertel": "percent", "fünftel": "percent", "zehntel": "percent",
}  # fmt: skip

# "ein Fünftel" is 20 percent, "zwei Drittel" 66.7 (rounded to one decimal, as written).
FRACTIONS: dict[str, float] = {
    "drittel": 100 / 3, "viertel": 25.0, "fünftel": 20.0, "zehntel": 10.0,
}  # fmt: skip

# Nouns that make a bare number a count ("20.000 robotischen Lieferfahrzeugen").
COUNT_NOUNS: list[str] = [
    "Nutzern",
    "Nutzer",
    "Kunden",
    "Downloads",
    "Fahrzeugen",
    "Fahrzeuge",
    "Rechenzentren",
    "Regionen",
    "Verfügbarkeitszonen",
    "Mitarbeitern",
    "Mitarbeiter",
    "Beschäftigten",
    "Beschäftigte",
    "Menschen",
    "Stellen",
    "Aktien",
    "Filialen",
    "Standorten",
    "Standorte",
    "Einheiten",
    "Abonnenten",
    "Geschäfte",
    "Märkte",
    "Länder",
    "Ländern",
    # Products, assets and cases a stock-news article counts.
    "Autos",
    "Modelle",
    "Modellen",
    "Smartphones",
    "Geräte",
    "Geräten",
    "Flugzeuge",
    "Flugzeugen",
    "Jets",
    "Maschinen",
    "Passagiere",
    "Fluggäste",
    "Klagen",
    "Klägern",
    "Patente",
    "Werke",
    "Werken",
    "Wohnungen",
    "Haushalte",
    "Mitglieder",
    "Aktionäre",
    "Bestellungen",
    "Pakete",
    "Sendungen",
    "Chips",
    # People an economy page counts: staff, groups of employees, respondents, suspects.
    "Personen",
    "Arbeitnehmer",
    "Arbeitnehmern",
    "Dienstnehmer",
    "Dienstnehmern",
    "Angestellte",
    "Angestellten",
    "Arbeitsplätze",
    "Jobs",
    "Piloten",
    "Flugbegleiter",
    "Flugbegleitern",
    "Analysten",
    "Experten",
    "Befragte",
    "Befragten",
    "Teilnehmer",
    # Capacities: "6 Gigawatt" (the noun is the unit).
    "Gigawatt",
    "Megawatt",
    "Tonnen",
    "Barrel",
    # Other units of measure an economy page counts in: distances, weights, volumes, areas,
    # data ("20 Kilometer", "300 Kilo pro Kopf", "zwei Litern Hubraum", "3,62 Gigabyte").
    "Kilometer",
    "Kilometern",
    "Kilo",
    "Kilogramm",
    "Liter",
    "Litern",
    "Quadratmeter",
    "Quadratmetern",
    "Hektar",
    "Gigabyte",
    "Terabyte",
    "Kilowattstunden",
    "Terawattstunden",
]

QUALIFIERS: list[str] = [
    "umgerechnet rund",
    "mehr als",
    "weniger als",
    "bis zu",
    "rund",
    "etwa",
    "circa",
    "ca.",
    "über",
    "knapp",
    "gut",
    "fast",
    "nahezu",
    "mindestens",
    "höchstens",
    "annähernd",
]

MONTHS: dict[str, int] = {
    "januar": 1, "jan.": 1, "februar": 2, "feb.": 2, "märz": 3, "april": 4, "apr.": 4,
    "mai": 5, "juni": 6, "juli": 7, "august": 8, "aug.": 8, "september": 9, "sept.": 9,
    "oktober": 10, "okt.": 10, "november": 11, "nov.": 11, "dezember": 12, "dez.": 12,
}  # fmt: skip


def alternation(words: list[str] | dict[str, object]) -> str:
    """A regex alternation of literal words, longest first so that prefixes never win."""
    import re

    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Units of time: a number before one is a duration or an age, no count ("seit drei Jahren").
TIME_NOUNS: list[str] = [
    "Jahr", "Jahre", "Jahren", "Jahres", "Monat", "Monate", "Monaten", "Monats", "Woche",
    "Wochen", "Tag", "Tage", "Tagen", "Tages", "Stunde", "Stunden", "Minute", "Minuten",
    "Sekunde", "Sekunden", "Jahrzehnt", "Jahrzehnte", "Jahrzehnten", "Quartal", "Quartale",
    "Quartalen", "Mal", "Male", "Uhr", "Grad", "Jahrhundert", "Jahrhunderte", "Jahrhunderts",
    "Geschäftsjahr", "Geschäftsjahre", "Halbjahr", "Halbjahre",
]  # fmt: skip
