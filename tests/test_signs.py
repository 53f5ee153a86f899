"""Signs of changes: direction words before the figure, after it, and separable verbs."""

from __future__ import annotations

import datetime

import polars as pl
import pytest

from tests.helpers import extract_texts

# (sentence, the percentage's surface, its signed value); sentences written for this test.
CASES = [
    ("Die Aktie gab am Montag an der Nasdaq um 2,4 Prozent auf 215 Dollar nach.", "2,4 Prozent", -2.4),
    ("Die Siemens-Aktie gab zeitweise 2 Prozent nach und notiert bei 176 Euro.", "2 Prozent", -2.0),
    ("Die Aktie brach in Hongkong um 12 Prozent auf 97,50 HK-Dollar ein.", "12 Prozent", -12.0),
    ("Seit Jahresbeginn hat sie damit fast 37 Prozent an Wert verloren.", "fast 37 Prozent", -37.0),
    ("Der Konzern setzte 453.700 Fahrzeuge ab, 9 Prozent weniger als im Vorjahr.", "9 Prozent", -9.0),
    ("Seit Jahresbeginn liegt die Aktie damit gut 4 Prozent im Minus.", "gut 4 Prozent", -4.0),
    ("Auf Wochensicht summiert sich das Minus auf 8 Prozent.", "8 Prozent", -8.0),
    ("BYD hat die Preise um bis zu 34 Prozent gesenkt.", "bis zu 34 Prozent", -34.0),
    # A level after "auf" and the previous level after a clause break keep their sign.
    ("Die Rendite fiel auf 4,1 Prozent, nach 10,9 Prozent ein Jahr zuvor.", "4,1 Prozent", 4.1),
    ("Die Rendite fiel auf 4,1 Prozent, nach 10,9 Prozent ein Jahr zuvor.", "10,9 Prozent", 10.9),
    ("AMD setzte 9 Milliarden Dollar um, 36 Prozent mehr als im Vorjahr.", "36 Prozent", 36.0),
    ("Die Aktie legte im Xetra-Handel um 6,2 Prozent auf 26,14 Euro zu.", "6,2 Prozent", 6.2),
    # "gab ... bekannt" is no fall.
    ("Volkswagen gab bekannt, dass der Absatz um 3 Prozent stieg.", "3 Prozent", 3.0),
    ("Baidu stieg um 15 Prozent, während JD.com ein Minus von 7 Prozent verbuchte.", "7 Prozent", -7.0),
    # "entfielen" holds "fiel" but is no fall.
    ("Auf China entfielen 42 Prozent der Systemverkäufe.", "42 Prozent", 42.0),
    # A loss is a negative profit; a profit after an earlier loss is not.
    ("Unter dem Strich stand ein Verlust von 3,1 Milliarden Dollar.", "3,1 Milliarden Dollar", -3.1e9),
    ("Im Quartal rutschte der Autobauer mit 624 Millionen Yuan in die roten Zahlen.", "624 Millionen Yuan", -624e6),
    ("Nach einem Verlust im Vorjahr verdiente der Konzern 1,2 Milliarden Euro.", "1,2 Milliarden Euro", 1.2e9),
    ("Für die Aktien der Bawag ging es um 1,61 Prozent hinab.", "1,61 Prozent", -1.61),
    # A long clause puts the verb far before the figure; a tolerance is no direction.
    ("Die Aktie verlor auf der Handelsplattform Tradegate gegenüber dem Xetra-Schluss nachbörslich um über fünf Prozent.", "über fünf Prozent", -5.0),
    ("Für das Quartal rechnet das Unternehmen mit einem Umsatz von 11 Milliarden Dollar, plus/minus 2 Prozent.", "2 Prozent", 2.0),
    # The loss named before a colon: the clause after it sizes it.
    ("Der operative Verlust der Sparte wurde kräftig gedrückt: von 1,2 Milliarden Euro vor einem Jahr auf jetzt 800 Millionen Euro.", "800 Millionen Euro", -8e8),
    # ... unless the figure names its own: a profit the year before, after a loss.
    ("Der Konzern hat 12 Mio. Euro Verlust verbucht (Vorjahr: 40 Mio. Euro Gewinn).", "40 Mio. Euro", 4e7),
    ("Der Konzern hat 12 Mio. Euro Verlust verbucht (Vorjahr: 40 Mio. Euro Gewinn).", "12 Mio. Euro", -1.2e7),
    # A clause whose verb is left out moves like the figure before it.
    ("Mercedes-Benz gab 2,1 Prozent nach, Volkswagen 1,8 Prozent.", "1,8 Prozent", -1.8),
    ("Die Allianz legte 1,1 Prozent zu, die Munich Re 0,9 Prozent.", "0,9 Prozent", 0.9),
    ("Seit Jahresbeginn summiert sich der Verlust auf rund 23 Prozent.", "rund 23 Prozent", -23.0),
    ("Die Aktie notierte 0,7 Prozent leichter bei 81 Euro.", "0,7 Prozent", -0.7),
    # A fronted figure before its verb; a fall "in die Tiefe"; a place list without a verb.
    ("8,3 Prozent verlor der Leitindex im Jahr.", "8,3 Prozent", -8.3),
    ("Gut 14 Prozent an Wert verlor indes die Aktie des Baukonzerns.", "Gut 14 Prozent", -14.0),
    ("Die Papiere rauschten um mehr als 9 Prozent in die Tiefe.", "mehr als 9 Prozent", -9.0),
    ("Zwischenzeitlich waren die Anteilsscheine um knapp 11 Prozent abgesackt.", "knapp 11 Prozent", -11.0),
    ("In Wien lag das Minus bei 4 Prozent, in Prag und Warschau jeweils sogar bei rund 6,5 Prozent.", "rund 6,5 Prozent", -6.5),
    ("In Wien stieg der Index um 4 Prozent, in Prag sogar um 6,5 Prozent.", "6,5 Prozent", 6.5),
    # The first direction after the figure decides.
    ("Seit Jahresbeginn hat sie gut 6 Prozent zugelegt und damit schwächer abgeschnitten als der Nasdaq 100.", "gut 6 Prozent", 6.0),
    # Plain "fallen", a verb-final clause, a trailing "Minus", "unter dem", an inflected
    # comparative and "Senkung" set a fall; "plus/minus" is a tolerance.
    ("Die Papiere der Beispiel AG fallen um 9 Prozent auf 41 Euro.", "9 Prozent", -9.0),
    ("Der Index stieg, während die Aktie seit Jahresbeginn 14 % einbüßte.", "14 %", -14.0),
    ("Nach dem Bericht standen 21 Prozent Minus auf der Kurstafel.", "21 Prozent", -21.0),
    ("Das Ziel der Analysten liegt damit 8 Prozent unter dem Schlusskurs.", "8 Prozent", -8.0),
    ("Das Modell sagt eine um 0,3 Prozent niedrigere Inflation voraus.", "0,3 Prozent", -0.3),
    ("Die Senkung der Prognose um 4 Prozent kam früh.", "4 Prozent", -4.0),
    ("Der Konzern plant 2 Milliarden Euro Umsatz, plus/minus 5 Prozent.", "5 Prozent", 5.0),
    # "des auf 900 Euro reduzierten Einsatzes" is an attribute, no fall of the percentage.
    ("Anleger erhalten 2 Prozent des auf 900 Euro reduzierten Einsatzes.", "2 Prozent", 2.0),
    # An amount, count or index move is signed where "um" or a comparative makes it a change;
    # a level stays positive, also one "unter dem Konsens".
    ("Das Ergebnis dürfte um rund 70 Millionen Euro schwächer ausfallen.", "rund 70 Millionen Euro", -70e6),
    ("Der Dax schloss bei 15.210 Punkten, 312 Punkte weniger als am Freitag.", "312 Punkte", -312.0),
    ("Der Dax schloss bei 15.210 Punkten, 312 Punkte weniger als am Freitag.", "15.210 Punkten", 15210.0),
    ("Die Kosten sollen um 40 Millionen Euro gesenkt werden.", "40 Millionen Euro", -40e6),
    ("Der Umsatz lag mit 12,5 Milliarden Euro unter dem Konsens.", "12,5 Milliarden Euro", 12.5e9),
    ("Der Händler wies ein negatives Eigenkapital von 12 Millionen Euro aus.", "12 Millionen Euro", -12e6),
    # Swiss spelling (ss for ß), a verb-final "nachgab", and a comparative that belongs to a
    # later verb, not to the figure.
    ("Die Aktien der Beispiel AG büssten 4 Prozent ein.", "4 Prozent", -4.0),
    ("Der Index Nasdaq 100 schloss, nachdem er um 0,2 Prozent auf 6900 Punkte nachgab.", "0,2 Prozent", -0.2),
    ("Fast eine Million Menschen im Land wollten weniger arbeiten.", "Fast eine Million Menschen", 1e6),
    ("Gegen Mittag verlieren die Papiere der Beispiel AG 0,9 Prozent auf 63,90 Franken.", "0,9 Prozent", -0.9),
    ("Auch die Aktien der Beispiel AG büßen 4,5 Prozent ein.", "4,5 Prozent", -4.5),
    ("Im Jahresvergleich waren Reisen um 1,6 Prozent billiger, während Mieten um 2 Prozent stiegen.", "1,6 Prozent", -1.6),
    ("Sie kosteten, während die Preise für Telefone um 8,3 Prozent sanken, etwas mehr.", "8,3 Prozent", -8.3),
    # "sacken ... ab" with its particle after the price; "ging zurück um"; "auf Talfahrt";
    # a change noun with "von" signs points too; "verbesserten sich" after "Auftaktverlusten".
    ("Die Aktien der Beispiel AG sacken um 15 Prozent auf 26 Euro ab.", "15 Prozent", -15.0),
    ("Der operative Gewinn ging zurück um rund 7 Prozent.", "rund 7 Prozent", -7.0),
    ("Zeitweise gingen sie mit 18 Prozent auf Talfahrt.", "18 Prozent", -18.0),
    ("Der Index lag bei 3.084 Punkten, ein Minus von 12,34 Punkten.", "12,34 Punkten", -12.34),
    ("Die Papiere verbesserten sich nach leichten Auftaktverlusten um 0,66 Prozent.", "0,66 Prozent", 0.66),
]  # fmt: skip


@pytest.fixture(scope="module")
def figures() -> pl.DataFrame:
    sentences = list(dict.fromkeys(sentence for sentence, _, _ in CASES))
    index = {str(i): s for i, s in enumerate(sentences)}
    found = extract_texts(index, datetime.date(2025, 10, 1)).figures
    return found.with_columns(pl.col("article_id").replace_strict(index).alias("sentence"))


@pytest.mark.parametrize(("sentence", "surface", "value"), CASES)
def test_sign(figures: pl.DataFrame, sentence: str, surface: str, value: float) -> None:
    row = figures.filter((pl.col("sentence") == sentence) & (pl.col("surface") == surface))
    assert row["value"].to_list() == [value]
