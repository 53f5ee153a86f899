"""People (with role), products, places and unknown organisation candidates, per sentence.

Everything is a regex over the sentence text run by `find_spans` (polars, vectorized):

- person: a role word followed by two or three capitalized names ("CEO Eddie Wu",
  "Nvidia-Chef Jensen Huang", "Finanzchef Toby Xu"); the role is kept. Without a role, a
  known first name and a surname ("mit Lionel Messi").
- product: a capitalized name after a product noun ("App Qwen", "KI-Modell Qwen3-Max",
  "Elektroauto SU7"), or a model-like name mixing letters and digits ("GPT-5", "iPhone 17").
- place: a gazetteer of places German stock news names (cities, countries, regions).
- organisation_candidate: a capitalized name after an organisation cue ("Startup Manus",
  "Entwickler Zhipu", "Tochter Cainiao") that is no gazetteer company: surfaced for curation
  (`rpt_unknown_organisations`), never dropped silently.
"""

from __future__ import annotations

import re

import polars as pl

from finnews.lexicon import alternation
from finnews.spans import find_spans
from finnews.universe import load_rules as load_universe_rules

_NAME = r"[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?"
ROLES = [
    "CEO", "CFO", "CTO", "Chef", "Konzernchef", "Vorstandschef", "Firmenchef", "Finanzchef",
    "Technikchef", "Gründer", "Mitgründer", "Präsident", "Präsidentin", "Vorstand",
    "Vorstandsvorsitzende", "Vorstandsvorsitzender", "Aufsichtsratschef", "Analyst",
    "Analystin", "Fondsmanager", "Fondsmanagerin", "Chefin", "Gründerin", "Konzernchefin",
    "Vorstandschefin", "Firmenchefin", "Finanzchefin", "Aufsichtsratschefin", "Firmengründer",
    "Firmengründerin", "Unternehmensgründer", "Co-Chef", "Co-Chefin",
]  # fmt: skip
# "Dominik von Achten", "Ursula von der Leyen": a particle before the surname.
_PARTICLE = r"(?:von der|van der|von|van|de|zu|da|di)\s+"
PERSON = (
    rf"\b(?P<role>{alternation(ROLES)})\s+"
    rf"(?P<name>{_NAME}(?:\s+{_PARTICLE}{_NAME}|(?:\s+{_NAME}){{1,2}}))"
)
# "stellt Qualcomm-Chef Cristiano Amon Erlöse ... in Aussicht": a third capitalized word
# with a German noun's ending starts the object, it is no part of the name.
_NOUN_AFTER_NAME = r"^([A-ZÄÖÜ]\S*\s[A-ZÄÖÜ]\S*)\s[A-ZÄÖÜ][a-zäöüß]+(?:e|en|ung|ungen|heit|keit|schaft|nisse|ion|ionen)$"
# People named without a role ("eine Kampagne mit Lionel Messi", "Elon Musk kündigte an"):
# a first name stock news meets, then a capitalized surname. Names that are companies
# ("Hugo Boss") are dropped against the gazetteer.
FIRST_NAMES = [
    "Alex", "Alexander", "Andrea", "Andreas", "Andy", "Angela", "Anna", "Armin", "Arvind",
    "Belén", "Ben", "Bernard", "Bettina", "Bill", "Björn", "Bjørn", "Brian", "Carsten",
    "Charles", "Christian", "Christine", "Christoph", "Christophe", "Claudia", "Cristiano",
    "Daniel", "David", "Dieter", "Donald", "Eddie", "Elliott", "Elon", "Emmanuel", "Frank", "Friedrich",
    "Gavin", "George", "Gerhard", "Greg", "Guillaume", "Hans", "Harald", "Helmut", "Herbert", "Hugo",
    "Hock", "Ina", "Isabel", "Jack", "James", "Janet", "Jeff", "Jensen", "Jerome", "Joachim",
    "Joe", "Johann", "Johannes", "John", "Jonas", "Jörg", "Josef", "Julia", "Jürgen", "Karl",
    "Karin", "Katharina", "Klaus", "Lars", "Larry", "Leonhard", "Lionel", "Lisa", "Lukas",
    "Marc", "Marco", "Mark", "Markus", "Martin", "Martina", "Mary", "Matthias", "Michael",
    "Michel", "Nicola", "Nikolaus", "Ola", "Olaf", "Oliver", "Patrick", "Paul", "Peter",
    "Philipp", "Pony", "Ralf", "Richard", "Robert", "Robin", "Roland", "Rolf", "Sam",
    "Sabine", "Sarah", "Satya", "Sebastian", "Stefan", "Stephan", "Steve", "Sundar", "Susanne",
    "Thomas", "Tim", "Tobias", "Toby", "Ursula", "Volker", "Warren", "Werner", "Wolfgang",
]  # fmt: skip
PERSON_BY_NAME = rf"\b(?P<person>(?:{alternation(FIRST_NAMES)})\s+{_NAME})\b"

PRODUCT_NOUNS = [
    "App", "Chatbot", "KI-Modell", "Sprachmodell", "Modell", "Chip", "KI-Chip", "Smartphone",
    "Elektroauto", "Plattform", "Software", "Dienst", "Konsole", "Medikament", "Wirkstoff",
    "Abnehmspritze", "Assistent", "KI-Assistent", "Brille", "Marke", "Auslandsmarke",
    "Eigenmarke", "Chipgeneration", "Generation", "Prozessor", "Unkrautvernichter",
    "Pflanzenschutzmittel", "Mittel", "Präparat", "Impfstoff", "Spiel", "Serie", "SUV",
    "Limousine", "Modellreihe", "Flugzeug", "Jet", "Gerät", "Testsystem", "Geländewagen",
    "Sportwagen", "Kleinwagen", "Kompaktwagen", "Pick-up", "Transporter",
]  # fmt: skip
# Compounds ending in a product noun: "Haarpflegemarke Schwarzkopf", "Prozessorgeneration
# Panther Lake" ("Fondsplattform Allfunds" names a company: no -plattform).
_PRODUCT_COMPOUND = r"\b[A-ZÄÖÜ][a-zäöüß]+(?:marke|generation|prozessor|prozessoren)"
# Plural and dative forms: "den Medikamenten Nubeqa und Kerendia".
_PRODUCT_NOUN = rf"\b(?:{alternation(PRODUCT_NOUNS)})(?:e|en|n|s)?"
_MODEL_NAME = r"[A-Za-z][A-Za-z]*[0-9][\w.-]*|[A-Z][a-z]+[A-Z][\w-]*"
# English second words of product names ("Apollo Go", "Stranger Things", "Vision Pro"); a
# German noun after the name is no part of it ("die App Temu Kunden ...").
PRODUCT_TAILS = [
    "Go", "Things", "Store", "Pro", "Max", "Ultra", "Plus", "Mini", "Air", "One", "Maps",
    "Pay", "Music", "Prime", "Studio", "Code", "Vision", "Play", "Search", "Drive", "Office",
    "Teams", "Chat", "Assistant", "Watch", "Cloud", "Mode", "Lens", "Vault", "Home", "Lake",
]  # fmt: skip
# A one-digit version is part of the name ("KI-Modell Gemini 3"); a year or amount is not.
# A lowercase model name carries a digit ("der Geländewagen i6", "das Modell iX3").
# ... and a name opened by a Romance or English article is one name ("La Prairie").
_PRODUCT_NAME = (
    rf"(?:(?:La|Le|Les|Los|Las|El|The)\s[A-Z][\w.-]*|[A-Z][\w.-]*|[a-z][A-Za-z]?[0-9][\w.-]*)"
    rf"(?:\s(?:{_MODEL_NAME}|[0-9](?:\.[0-9])?\b|(?:{alternation(PRODUCT_TAILS)})\b))?"
)
# Short model names in capitals after "neue"/"elektrische" ("der elektrische CLA"), and
# brand-like names before "-Entwickler"/"-Macher" ("der ChatGPT-Entwickler").
_CAPS_MODEL = r"(?:[A-Z]{2,5}|[a-z][A-Z]{1,4}[0-9]*)(?:\s?[0-9]+)?"
# Names of two words whose first is a product noun of its own ("im App Store").
KNOWN_PRODUCT_PHRASES = ["App Store", "Play Store", "Google Play", "Apple Pay", "Google Maps"]
KNOWN_PRODUCTS = [
    "iPhone", "iPad", "ChatGPT", "Copilot", "Windows", "Azure", "Instagram", "WhatsApp",
    "YouTube", "TikTok", "Douyin", "WeChat", "Weixin", "Taobao", "Temu", "Alexa", "Autopilot",
]  # fmt: skip
_NOT_MODELS = {
    "KI", "AI", "EU", "US", "USA", "CEO", "CFO", "IT", "AG", "SE", "ETF", "DAX", "RSI", "EBIT",
    "GMV", "IPO", "UK", "TV", "PC", "CO", "ESG", "SUV",
}  # fmt: skip
PRODUCT = (
    rf"\b(?P<phrase>{alternation(KNOWN_PRODUCT_PHRASES)})\b"
    rf"|(?:{_PRODUCT_NOUN}|{_PRODUCT_COMPOUND})\s+(?P<product>{_PRODUCT_NAME})"
    rf"|\b(?P<model>(?:iPhone|Pixel|Galaxy|Model|GPT|Gemini|Claude|Llama|Qwen|DeepSeek"
    rf"|PlayStation|Playstation|Xbox)"
    rf"[- ]?[0-9][\w.-]*)"
    # "des neuen SUV YU7": the product noun names its product, it is no model itself.
    rf"|\b(?:neue[nmrs]?|elektrische[nmrs]?)\s+{_PRODUCT_NOUN}\s+(?P<new_product>{_PRODUCT_NAME})"
    rf"|\b(?:neue[nmrs]?|elektrische[nmrs]?|vollelektrische[nmrs]?)\s+(?P<caps>{_CAPS_MODEL})\b"
    # 'enthüllte Alibaba seinen neuen "AI Mode"': a quoted name after "neue" (the closing
    # quote is left out of the match so that the name ends it).
    rf"|\b(?:neue[nmrs]?|eigene[nmrs]?)\s+[\"„“](?P<quoted>[A-Z][\w.-]*(?:\s[A-Z][\w.-]*){{0,2}})"
    rf"|\b(?P<maker>[A-Z][a-z]*[A-Z0-9][A-Za-z0-9]*)-(?:Entwickler|Erfinder|Macher|Betreiber)\b"
    # "die A320-Familie", "die 737-Reihe"; and products known by name alone ("das iPhone").
    rf"|\b(?P<family>[A-Z]{{0,3}}[0-9]{{2,4}}[A-Za-z]*)-(?:Familie|Reihe|Serie|Baureihe)\b"
    rf"|\b(?P<known>{alternation(KNOWN_PRODUCTS)})\b"
)
# The second of two products: "den Medikamenten Nubeqa und Kerendia".
PRODUCT_PAIR = (
    rf"{_PRODUCT_NOUN}\s+{_PRODUCT_NAME}\s+(?:und|oder|sowie)\s+(?P<second>{_PRODUCT_NAME})"
)

PLACES = [
    "China", "Peking", "Shanghai", "Shenzhen", "Hangzhou", "Hongkong", "Taiwan", "Japan",
    "Südkorea", "Indien", "Singapur", "Asien", "USA", "Vereinigte Staaten", "Amerika",
    "Kalifornien", "Texas", "New York", "Washington", "Silicon Valley", "Kanada", "Mexiko",
    "Brasilien", "Europa", "EU", "Deutschland", "Frankreich", "Großbritannien", "London",
    "Paris", "Brüssel", "Schweiz", "Zürich", "Österreich", "Wien", "Italien", "Spanien",
    "Niederlande", "Amsterdam", "München", "Frankfurt", "Berlin", "Hamburg", "Stuttgart",
    "Wolfsburg", "Walldorf", "Düsseldorf", "Köln", "Bremen", "Dresden", "Leipzig",
    "Ingolstadt", "Russland", "Ukraine", "Israel", "Saudi-Arabien", "Dubai", "Afrika",
    "Australien", "Vietnam", "Thailand", "Indonesien", "Malaysia", "Polen", "Ungarn",
    # Head offices and plants German stock news names.
    "Bonn", "Leverkusen", "Ludwigshafen", "Darmstadt", "Mannheim", "Hannover", "Essen",
    "Dortmund", "Bochum", "Nürnberg", "Augsburg", "Regensburg", "Karlsruhe", "Heilbronn",
    "Jena", "Magdeburg", "Erlangen", "Sindelfingen", "Rüsselsheim", "Zwickau", "Emden",
    "Grünheide", "Herzogenaurach", "Neckarsulm", "Salzgitter", "Osnabrück", "Kassel",
    "Szeged", "Debrecen", "Budapest", "Prag", "Warschau", "Mailand", "Rom", "Madrid",
    "Lissabon", "Stockholm", "Kopenhagen", "Oslo", "Helsinki", "Dublin", "Luxemburg",
    "Tokio", "Seoul", "Taipeh", "Mumbai", "Bangalore", "Sydney", "Toronto", "Austin",
    "Seattle", "Boston", "Chicago", "San Francisco", "Los Angeles", "Kentucky", "Ohio",
    "Arizona", "Nevada", "Michigan", "Türkei", "Ägypten", "Südafrika", "Nigeria",
    "Argentinien", "Chile", "Kolumbien", "Norwegen", "Schweden", "Dänemark", "Finnland",
    "Belgien", "Portugal", "Griechenland", "Tschechien", "Rumänien", "Katar", "Golfregion",
    "Nordsee", "Ostsee", "Toulouse", "Hamburg-Finkenwerder", "Guangzhou", "Veldhoven",
    "Neuss", "Duisburg", "Bielefeld", "Münster", "Wiesbaden", "Mainz", "Kiel", "Rostock",
    "Freiburg", "Ulm", "Unterlüß", "Eschborn", "Gütersloh", "Houston", "Dallas", "Atlanta",
    "Miami", "Phoenix", "Denver", "Detroit", "Las Vegas", "San Diego", "San Jose",
    "Philadelphia", "Missouri", "Florida", "Georgia", "Tennessee", "Virginia",
    "Pennsylvania", "Illinois", "Indiana", "Wisconsin", "Minnesota", "Oregon", "Utah",
    "Colorado", "Louisiana", "Alabama", "North Carolina", "South Carolina", "New Jersey",
    "Massachusetts", "Nordamerika", "Südamerika", "Lateinamerika", "Südostasien", "Nahost",
    "Naher Osten", "Osteuropa", "Westeuropa", "Skandinavien",
    # Business cities abroad: head offices, plants and fairs.
    "Göteborg", "Malmö", "Rotterdam", "Eindhoven", "Venlo", "Antwerpen", "Basel", "Genf",
    "Turin", "Barcelona", "Manchester", "Edinburgh", "Shenyang", "Hsinchu", "Tainan",
    "Chengdu", "Wuhan", "Tianjin", "Chongqing", "Nanjing", "Suzhou", "Hefei", "Changchun",
    "Osaka", "Nagoya", "Yokohama", "Busan", "Hanoi", "Bangkok", "Jakarta", "Kuala Lumpur",
    "Manila", "Neu-Delhi", "Chennai", "Hyderabad", "Pune", "Abu Dhabi", "Doha", "Riad",
    "Tel Aviv", "Istanbul", "Kairo", "Johannesburg", "São Paulo", "Rio de Janeiro",
    "Buenos Aires", "Mexiko-Stadt", "Monterrey", "Vancouver", "Montreal", "Cupertino",
    "Redmond", "Santa Clara", "Palo Alto", "Mountain View", "Menlo Park", "New Mexico",
    # The other US states and large US cities; regions of Asia.
    "Alaska", "Arkansas", "Connecticut", "Delaware", "Hawaii", "Idaho", "Iowa", "Kansas",
    "Maryland", "Mississippi", "Montana", "Nebraska", "New Hampshire", "North Dakota",
    "Oklahoma", "Rhode Island", "South Dakota", "Vermont", "West Virginia", "Wyoming",
    "Cleveland", "Pittsburgh", "Baltimore", "Nashville", "Charlotte", "Indianapolis",
    "Minneapolis", "Salt Lake City", "St. Louis", "Orlando", "Tampa", "Sacramento",
    "Cincinnati", "Zentralasien", "Mittelasien", "Ostasien", "Mittlerer Osten",
    # European capitals not listed above.
    "Belgrad", "Bukarest", "Sofia", "Zagreb", "Ljubljana", "Bratislava", "Vilnius", "Riga",
    "Tallinn", "Athen", "Kiew", "Moskau", "Ankara", "Reykjavik",
]  # fmt: skip
PLACE = rf"\b(?P<place>{alternation(PLACES)})s?\b(?P<dash>-)?"

# Regulators and central banks stock news names without a cue word ("Die EU-Kommission hat
# ... verhängt"): organisations outside the company gazetteer, surfaced like the others.
AUTHORITIES = [
    "EU-Kommission", "Europäische Kommission", "Bundeskartellamt", "Bundesnetzagentur",
    "BaFin", "Bafin", "Europäische Zentralbank", "EZB", "Bundesbank", "Federal Reserve",
    "US-Notenbank", "Fed", "SEC", "FTC", "CMA", "Bank of England", "Bank of Japan",
]  # fmt: skip
# Organisations outside the gazetteer that stock news names without a cue: banks of a
# listed group, public banks, research bodies.
NAMED_ORGS = [
    "Postbank", "KfW", "DZ Bank", "LBBW", "Helaba", "Sparkassen", "Fraunhofer",
    "Max-Planck-Gesellschaft", "Treuhand", "Bundesagentur für Arbeit", "Ifo-Institut",
    "ZEW", "IWF", "Weltbank", "OECD", "Opec",
]  # fmt: skip
# Ministries by their compound ("Justizministerium", "US-Energieministerium").
_MINISTRY = r"(?:[A-Z]{2,3}-)?[A-ZÄÖÜ][a-zäöüß]*ministerium"
AUTHORITY = rf"\b(?P<authority>{alternation([*AUTHORITIES, *NAMED_ORGS])}|{_MINISTRY})\b"
# "der Bremer Lürssen-Gruppe": the group's name before its cue.
GROUP_NAME = r"\b(?P<group>[A-ZÄÖÜ][a-zäöüß]+)-(?:Gruppe|Holding)\b"

ORG_CUES = [
    "Startup", "Start-up", "Entwickler", "Tochter", "Tochterfirma", "Konzern", "Hersteller",
    "Anbieter", "Spezialist", "Zulieferer", "Rivale", "Konkurrent", "Wettbewerber",
    "Plattformbetreiber", "Fintech", "Biotech-Firma", "Firma", "Unternehmen", "Chipentwickler",
    "Autobauer", "Softwarehaus", "Investor", "Finanzinvestor", "Fonds", "Bank", "Großbank",
    "Investmentbank", "Versicherer", "Rückversicherer", "Händler", "Onlinehändler",
    "Modehändler", "Lieferdienst", "Reederei", "Fluggesellschaft", "Airline", "Werft", "Sparte",
    "unter dem Namen",
]  # fmt: skip
# An organisation name: capitalized, and not a plain German word of the sentence ("Konzern
# Umsatz ..." is no name): it must carry a capital or digit inside, or stand before a verb,
# comma or bracket, or the end of the sentence. Hyphenated and two-word names count
# ("T-Mobile US", "About You"). A cue may be the tail of a compound ("US-Tochter").
_ORG_WORD = r"[A-Z][A-Za-z0-9.&]*(?:-[A-Z][A-Za-z0-9.&]*)*"
# A compound ending in one of these is a cue too ("US-Chipkonzern", "Onlinebank").
_CUE_TAILS = "behörde|aufsicht|konzern|hersteller|händler|bank|entwickler|bauer|unternehmen|gesellschaft|tochter|werft|dienst|betreiber|vermittler|anbieter|spezialist|plattform|ausrüster|rivale|konkurrent"
ORG = (
    rf"(?:\b[A-Z]{{2,4}}-)?(?:\b(?:{alternation(ORG_CUES)})|[a-zäöüß](?:{_CUE_TAILS}))(?:s|en|n)?\s+"
    # "Pratt & Whitney": two names joined by "&" are one.
    rf"(?P<org>{_ORG_WORD}(?:\s&\s{_ORG_WORD}|\s(?:[A-Z]{{2,4}}|[A-Z][a-z]+))?)"
    r"(?P<after>[,;:)(]|\s[a-z]|[.!?]?$)"
)
# "die Brauhaus Kesselbach AG", "der Zwahlen & Mayr SA": one to three capitalized words
# before a legal form (those of data/company_universe.yaml that are no plain word: "AG",
# "GmbH", "plc", "N.V.", not "Group" or "Holding") name a company. The name is the words
# before it: the text names the company without its legal form elsewhere.
LEGAL_FORMS = [
    form
    for form in load_universe_rules().legal_forms
    if not re.fullmatch(r"[A-Z][a-z]+", form) and not form.startswith("&")
]
# A word of the name starts with a capital, or digits and a capital ("4T SA").
_LEGAL_WORD = r"(?:\d*[A-ZÄÖÜ])[\wäöüß.&]*(?:-[A-ZÄÖÜ][\wäöüß.&]*)*"
# After the form comes a lower-case word, a bracket or punctuation: "AB Inbev" is a name.
LEGAL_NAME = (
    rf"(?P<legal>{_LEGAL_WORD}(?:\s(?:&\s)?{_LEGAL_WORD}){{0,2}})"
    rf"\s(?:{alternation(LEGAL_FORMS)})(?:[,;:)(]|\s[a-zäöüß(„\"]|[.!?]?$)"
)
# "der Konzern Investitionen von ...": one word with an abstract noun's suffix is no name.
_ABSTRACT = r"^[A-ZÄÖÜ][a-zäöüß]+(?:ung|ungen|ion|ionen|heit|heiten|keit|keiten|schaft|schaften|ität|itäten)$"
_ENDS_IN_CUE = rf"(?:^|-)(?:{alternation(ORG_CUES)})(?:s|n|en|ern|e)?$"
# "die beiden Unternehmen Mobilfunknetze entwickeln": a long word in a plural or abstract
# ending is a German compound noun, no name.
_COMPOUND_NOUN = r"^[A-ZÄÖÜ][a-zäöüß]{9,}(?:e|en|er)$"
# "der Konzern KI-Agenten ...": an abbreviation and a German noun make a compound noun.
_ABBREVIATED_NOUN = r"^(?:KI|AI|IT|E|US|EU)-[A-ZÄÖÜ][a-zäöüß]+$"
# Capitalized sentence words that are no organisation names.
_NOT_ORGS = {
    "Die", "Der", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Einen", "Im", "In", "Mit",
    "Auch", "Und", "Nach", "Vor", "Bei", "Von", "Zum", "Zur", "Aus", "Laut", "Seit", "Ende",
    "Anfang", "Sein", "Ihr", "Ihre", "Sie", "Er", "Es",
}  # fmt: skip
# Sentence words and cues that open the words before a legal form ("Die", "Tochter",
# "Beteiligungsgesellschaft").
_LEGAL_LEAD = (
    rf"^(?:(?:{alternation([*_NOT_ORGS, *ORG_CUES])}|[A-ZÄÖÜ][a-zäöüß]*(?:{_CUE_TAILS}))"
    r"(?:s|es|en|n)?\s+)+"
)

ENTITY_TYPES = ["person", "product", "place", "organisation_candidate"]
# The named groups of PRODUCT, each a rule of its own (`rule_id` product.<group>).
_PRODUCT_GROUPS = ["phrase", "product", "new_product", "model", "caps", "quoted", "maker",
                   "family", "known"]  # fmt: skip


def _spans(sentences: pl.LazyFrame, pattern: str, keep: list[str]) -> pl.LazyFrame:
    return find_spans(sentences, "text", pattern, keep, shadow_col="shadow")


def _typed(entity_type: str, name: pl.Expr) -> list[pl.Expr]:
    """name, entity_type and an empty role: every entity found without a role word."""
    return [
        name.alias("name"),
        pl.lit(entity_type).alias("entity_type"),
        pl.lit(None, pl.String).alias("role"),
    ]


def extract_entities(
    sentences: pl.LazyFrame, aliases: pl.DataFrame, keep: list[str]
) -> pl.LazyFrame:
    """One row per entity: entity_type, name, role (people), offsets relative to `text`."""
    known = aliases["alias"].to_list()
    columns = [*keep, "char_start", "char_end", "entity_type", "name", "role", "rule_id"]
    people = _spans(sentences, PERSON, keep).with_columns(
        pl.lit("person").alias("entity_type"), pl.lit("person.role").alias("rule_id")
    )
    # The name alone is the evidence: shift the span past the role.
    people = people.with_columns(
        (pl.col("char_end") - pl.col("name").str.len_chars().cast(pl.Int64)).alias("char_start"),
        pl.col("name").str.replace(_NOUN_AFTER_NAME, "${1}"),
    ).with_columns(
        (pl.col("char_start") + pl.col("name").str.len_chars().cast(pl.Int64)).alias("char_end")
    )
    # Without a role: the same person named with one is found by both patterns; the
    # role-less copy goes (see the dedup at the end).
    people_by_name = (
        _spans(sentences, PERSON_BY_NAME, keep)
        .with_columns(
            *_typed("person", pl.col("person")), pl.lit("person.first_name").alias("rule_id")
        )
        .filter(~pl.col("name").is_in(known))
    )
    name_len = pl.col("name").str.len_chars().cast(pl.Int64)
    products = (
        _spans(sentences, PRODUCT, keep)
        # "Kerendia." at the end of a sentence: the dot is no part of the name.
        .with_columns(
            pl.coalesce(
                "phrase",
                "product",
                "new_product",
                "model",
                "caps",
                "quoted",
                "maker",
                "family",
                "known",
            )
            .str.strip_chars_end(".")
            .alias("name")
        )
        .filter(~pl.col("name").is_in(list(_NOT_MODELS)))
        .with_columns(
            pl.coalesce(
                pl.when(pl.col(group).is_not_null()).then(pl.lit(f"product.{group}"))
                for group in _PRODUCT_GROUPS
            ).alias("rule_id")
        )
        # The name ends the match, except in "ChatGPT-Entwickler", where it starts it.
        .with_columns(
            pl.when(pl.col("maker").is_null() & pl.col("family").is_null())
            .then(
                pl.col("char_end")
                - pl.coalesce(
                    "phrase", "product", "new_product", "model", "caps", "quoted", "known"
                ).str.len_chars()
            )
            .otherwise(pl.col("char_start"))
            .alias("char_start")
        )
        .with_columns((pl.col("char_start") + name_len).alias("char_end"))
    )
    second = (
        _spans(sentences, PRODUCT_PAIR, keep)
        .with_columns(
            pl.col("second").str.strip_chars_end(".").alias("name"),
            pl.lit("product.pair").alias("rule_id"),
        )
        .with_columns((pl.col("char_end") - pl.col("second").str.len_chars()).alias("char_start"))
        .with_columns((pl.col("char_start") + name_len).alias("char_end"))
    )
    products = (
        pl.concat(
            [
                p.select(*keep, "char_start", "char_end", "name", "rule_id")
                for p in (products, second)
            ]
        )
        .with_columns(_typed("product", pl.col("name")))
        .filter(~pl.col("name").is_in(known))
    )
    # "EU-Kommission", "US-Zölle", "China-Geschäft": a compound, no mention of the place.
    places = (
        _spans(sentences, PLACE, keep)
        .filter(pl.col("dash").is_null())
        .with_columns(
            *_typed("place", pl.col("place")),
            pl.lit("place.gazetteer").alias("rule_id"),
            # "Europas": the genitive s is matched but is not part of the name.
            (pl.col("char_start") + pl.col("place").str.len_chars().cast(pl.Int64)).alias(
                "char_end"
            ),
        )
    )
    orgs = (
        _spans(sentences, ORG, keep)
        .with_columns(
            *_typed("organisation_candidate", pl.col("org").str.strip_chars_end(".")),
            pl.lit("organisation_candidate.cue").alias("rule_id"),
        )
        # The name stands right before the `after` group that closes the match.
        .with_columns(
            (
                pl.col("char_end")
                - pl.col("after").str.len_chars().cast(pl.Int64)
                - pl.col("org").str.len_chars().cast(pl.Int64)
            ).alias("char_start")
        )
        .with_columns((pl.col("char_start") + name_len).alias("char_end"))
        .filter(~pl.col("name").is_in(known) & ~pl.col("name").is_in(list(_NOT_ORGS)))
        .filter(~pl.col("name").str.strip_chars_end("s").is_in(known))
        # "Die Deutsche Bank AG": the legal form after a cue-like name is no name.
        .filter(~pl.col("name").is_in(LEGAL_FORMS))
        # "iPhone-Konzern App-Entwicklern untersagt": a cue noun itself is no name.
        .filter(
            ~pl.col("name").str.contains(_ENDS_IN_CUE)
            & ~pl.col("name").str.contains(_ABSTRACT)
            & ~pl.col("name").str.contains(_ABBREVIATED_NOUN)
            & ~pl.col("name").str.contains(_COMPOUND_NOUN)
        )
    )
    legal = (
        _spans(sentences, LEGAL_NAME, keep)
        .with_columns(
            *_typed("organisation_candidate", pl.col("legal").str.replace(_LEGAL_LEAD, "")),
            pl.lit("organisation_candidate.legal_form").alias("rule_id"),
        )
        # The name ends where the words before the legal form end.
        .with_columns(
            (
                pl.col("char_start") + pl.col("legal").str.len_chars().cast(pl.Int64) - name_len
            ).alias("char_start")
        )
        .with_columns((pl.col("char_start") + name_len).alias("char_end"))
        .filter((pl.col("name") != "") & ~pl.col("name").is_in(known))
        # "Deutsche Beteiligung AG" is the seed's "Deutsche Beteiligungs": no other company.
        .filter(~(pl.col("name") + "s").is_in(known) & ~pl.col("name").str.contains(_ABSTRACT))
    )
    authorities = _spans(sentences, AUTHORITY, keep).with_columns(
        *_typed("organisation_candidate", pl.col("authority")),
        pl.lit("organisation_candidate.authority").alias("rule_id"),
    )
    groups = (
        _spans(sentences, GROUP_NAME, keep)
        .with_columns(
            *_typed("organisation_candidate", pl.col("group")),
            pl.lit("organisation_candidate.group_name").alias("rule_id"),
        )
        .with_columns((pl.col("char_start") + name_len).alias("char_end"))
        .filter(~pl.col("name").is_in(known))
    )
    frames = (people, people_by_name, products, places, orgs, legal, authorities, groups)
    return (
        pl.concat([frame.select(columns) for frame in frames], how="vertical")
        # One row per entity and place: a person named with a role keeps it.
        .sort("role", nulls_last=True)
        .unique(["article_id", "sentence_idx", "char_start", "entity_type"], keep="first")
    )
