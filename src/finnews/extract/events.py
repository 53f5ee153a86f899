"""Events per sentence from a typed trigger taxonomy, with date, companies and amount."""

from __future__ import annotations

import polars as pl

from finnews.asciify import asciify_pattern
from finnews.extract.entities import PLACES
from finnews.lexicon import alternation

# Trigger patterns on the lower-cased sentence. A sentence may carry several event types.
# Each type lists word families, not single phrasings: noun stems that also head compounds
# ("Übernahmeangebot", "Milliardenübernahme"), the verb's inflected and separable forms
# ("stellt ... vor", "vorgestellt"), and, where a word is ambiguous, the object it needs
# ("verkauft ... Sparte" is a deal, "verkaufte 2 Millionen Autos" is not).
_EARNINGS = (
    # Announced or reported: "legt die Zahlen ... vor".
    r"quartalszahlen|geschäftszahlen|jahreszahlen|halbjahreszahlen|zahlen zum|zahlen für"
    r"|neunmonatszahlen|sechsmonatszahlen|vorlage der [\w-]*zahlen"
    r"|ergebnisse für|ergebnisse zum|quartalsbericht|zwischenbericht|quartalsbilanz"
    r"|quartalsergebnis|jahresergebnis|jahresbilanz|halbjahresbilanz|zahlenwerk"
    r"|bilanzpressekonferenz|nächsten zahlen|jahresbericht|geschäftsbericht"
    r"|bericht für das (?:gesamtjahr|geschäftsjahr|quartal|abgelaufene)|zahlen (?:vorgelegt|vorgestellt|veröffentlicht)"
    r"|(?:zahlen|bilanz|ergebnisse|quartalsbericht)\b.{0,60}\b(?:vorlegen|vorzulegen|vorlegt"
    r"|präsentieren|vorstellen|veröffentlichen|bekanntgeben|bekannt geben)\b"
    r"|(?:zahlen|ergebnisse|bilanz) (?:geliefert|vorgelegt|präsentiert|bekanntgegeben)"
    r"|(?:liefert|lieferte) .{0,30}\bzahlen\b|quartalsausweis|quartalsmitteilung|zwischenmitteilung"
    # Opening the books: "öffnet ihre Bücher", "gewährt Einblick in das vierte Quartal",
    # "berichtet am Donnerstag über das abgelaufene Geschäftsjahr".
    r"|öffne\w* .{0,40}\bbücher\b|einblick in .{0,40}(?:quartal|geschäftsjahr|bücher|zahlen)"
    r"|berichte\w* .{0,40}\büber (?:das|die|den) .{0,30}(?:quartal|geschäftsjahr|halbjahr)"
    r"|(?:legt|legte|legen|legten|präsentiert|präsentierte|meldet|meldete|veröffentlicht"
    r"|veröffentlichte) .{0,50}(?:zahlen|bilanz)\b.{0,40}\bvor\b|legte .{0,40}zahlen vor"
    # A period's result stated: "hat im dritten Quartal einen Umsatz von ... erzielt",
    # "nach neun Monaten ... EBITDA", "im abgelaufenen Geschäftsjahr ... verdient".
    r"|(?:im|für das|in seinem|in ihrem) (?:(?:erste|zweite|dritte|vierte|abgelaufene|jüngste)n? )?"
    r"\w*quartal .{0,80}(?:umsatz|gewinn|ergebnis|(?:^|[^v])erträge|ebitda|erzielt|erwirtschaftet"
    r"|verdient|gewachsen|aufträge|auftragseingang|setzte|gesteigert|steigerte)"
    r"|(?:umsatz|gewinn|ergebnis|(?:^|[^v])erträge|ebitda)\w*\s+(?:\w+\s+){0,5}im\s+(?:\w+\s+)?"
    r"\w*quartal\b"
    r"|(?:nach|in) (?:den ersten )?(?:drei|sechs|neun) monaten .{0,80}(?:umsatz|gewinn|ergebnis"
    r"|ebitda|erzielt|erwirtschaftet)"
    r"|(?:im|in seinem|in ihrem) (?:abgelaufenen|vergangenen) (?:geschäftsjahr|halbjahr)"
    r" .{0,80}(?:umsatz|gewinn|ergebnis|erzielt|erwirtschaftet|verdient)"
)
_MERGER = (
    r"fusion|fusioniert|übernahme|übernimmt|übernehmen|übernahm\b|zusammenschluss|akquisition"
    r"|zukauf|zukäufe|schluck|geschluckt|schnapp\w* sich|einverleib|in den besitz|trennt sich von|käufer (?:ist|war|für)\b|als käufer"
    r"|veräußer|abspaltung|abgespalten"
    r"|spaltet .{0,40}\bab\b|ausgliederung|kaufangebot|\bgebot\b|mehrheit an\b|transaktion"
    r"|je aktie in bar|in bar je aktie|barangebot|übernahmeprämie"
    # A bid for a company: "bietet 2,4 Milliarden Dollar für den Chipentwickler".
    r"|biete\w* (?:\w+ )?[\d,.]+ (?:milliarden|mrd|millionen|mio)\w*\.? (?:\w+ )?(?:euro|dollar|\$|€)?"
    r" ?für (?:den|die|das)\b"
    r"|\bdeal\b.{0,60}(?:unter dach und fach|abgeschlossen|besiegelt|perfekt)"
    r"|\bkauf (?:der|des|eines|einer|von) (?:[\w-]+ )?[\w-]*(?:werft|firma|konzern|gruppe|sparte"
    r"|tochter|geschäft|hersteller|anbieter|unternehmen|bank|marke|kette|plattform|spezialist)"
    r"|schließ\w* sich .{0,40}zusammen"
    r"|verkauf (?:des|der|seines|ihres) [\w-]*(?:geschäft|sparte|tochter)"
    r"|(?:kauf|übernahme|erwerb) (?:von|der|des) .{0,60}\bdurch (?:den|die|das)\b"
    r"|(?:kauft|kaufte|kaufen|gekauft|erwirbt|erwarb|erworben|erwerben) (?:\w+ ){0,4}[\w-]*"
    r"(?:konkurrenten|rivalen|hersteller|anbieter|spezialisten|startup|start-up|firma|sparte"
    r"|geschäft|tochter|einheit)\b"
    r"|(?:verkauft|verkaufte|verkaufen|abgestoßen|stößt|abstoßen) (?:\w+ ){0,4}[\w-]*"
    r"(?:sparte|geschäft|tochter|einheit|geschäftsbereich)\b"
)
_PARTNERSHIP = (
    r"partnerschaft|kooperation|kooperier|zusammenarbeit|zusammenarbeiten"
    r"|arbeite[nt] .{0,60}\bzusammen\b|allianz mit|bündnis|gemeinsam mit\b"
    # "spannt mit X zusammen", "tut sich mit Y zusammen", "verbündet sich", "schmieden eine
    # strategische Allianz" (the company is "die Allianz", "Allianz für 2 Milliarden").
    r"|\b(?:spannt|spannen|spannte|tut|tun|tat|taten|schließt|schließen|schloss)\b .{0,80}\bzusammen\b"
    r"|verbünde|verbündet|(?:eine|einer|strategische[n]?|neue[n]?) allianz(?:[\s.,;:!?]|$)"
    r"|allianz geschmiedet"
    r"|[\w-]+allianz\b|als [\w-]*partner\b|[\w-]*partner (?:gewonnen|an bord)"
    r"|gemeinsam (?:\w+ ){0,5}(?:entwickeln|bauen|bringen|betreiben|anbieten|produzieren"
    r"|herstellen|vermarkten|testen)\b"
    r"|beide(?:n)? (?:konzerne|unternehmen|firmen|partner) .{0,60}(?:vereinbart|verständigt"
    r"|unterzeichnet|geeinigt)|(?:vereinbart|verständigt|geeinigt) .{0,40}\bbeide(?:n)? "
    r"(?:konzerne|unternehmen|firmen)"
    r"|(?:unterzeichne|unterschrieb|unterschreib)\w* (?:.{0,40}\bmit\b.{0,60}(?:vertrag|vereinbarung"
    r"|abkommen)|.{0,40}(?:vertrag|vereinbarung|abkommen)\w* (?:mit|zwischen)\b)"
    r"|gemeinsame[nms]? (?:projekt|werk|fabrik|unternehmen|entwicklung|plattform)"
    r"|vereinbarung (?:mit|zwischen)|mit .{0,60}\bvereinbart|abkommen (?:mit|zwischen)"
    r"|joint venture|gemeinschaftsunternehmen|liefervertrag|liefervereinbarung|rahmenvertrag"
    r"|lizenzabkommen|lizenzvertrag|(?:vertrag|verträge) mit\b|(?:als|neue[rn]?) partner\b"
    r"|\bpartner (?:ist|sind|war|waren|wird)\b"
    # An agreement signed with someone, whatever it is about: "mit dem Stahlkonzern
    # Thyssenkrupp eine Vereinbarung über ... unterzeichnet" ("hat mehrere Verträge
    # unterzeichnet" names no partner: orders from customers).
    r"|\bmit\b.{0,80}(?:vereinbarung|abkommen|vertrag|verträge|absichtserklärung"
    r"|kooperationsvertrag)\w* .{0,80}\b(?:unterzeichnet|unterschrieben|geschlossen|abgeschlossen"
    r"|unterzeichnen|getroffen|besiegelt)\b"
    r"|(?:vereinbarung|abkommen|vertrag|verträge|absichtserklärung|kooperationsvertrag)\w*"
    r" (?:mit|zwischen)\b.{0,80}\b(?:unterzeichnet|unterschrieben|geschlossen|abgeschlossen"
    r"|unterzeichnen|getroffen|besiegelt)\b"
)
# What a company launches, as a noun that may head a compound ("Sprachmodell", "KI-App").
_PRODUCT_NOUN = (
    r"[\w-]*(?:app|modell|chatbot|assistent|smartphone|handy|tablet|laptop|konsole|brille"
    r"|chip|prozessor|fahrzeug|auto|suv|limousine|medikament|software|dienst|plattform|nachfolger"
    r"|version|generation|gerät)(?:e|s|en|n|er|es)?(?:[\s.,;:!?\"]|$)"
)
# A game by its kind ("Open-World-Rollenspiel", "Videospiel"), not any compound of Spiel
# ("bei den Olympischen Winterspielen").
_GAME = (
    r"\b(?:[\w-]*(?:rollen|video|computer|handy|mobil|online|strategie|action|mehrspieler)-?)?"
    r"(?:spiel|game)(?:e|s|en)?\b"
)
_LAUNCH = (
    r"stellte .{0,80}\bvor\b|stellt .{0,80}\bvor\b|vorgestellt|auf den markt|enthüllt"
    r"|präsentiert\w* .{0,60}(?:neue|modell|produkt|app|tool|smartphone|chip|fahrzeug|version"
    r"|generation|plattform|dienst|gerät|brille|software)"
    r"|neue[nmrs]? (?:[\w-]+ )?(?:modell|produkt|smartphone|fahrzeug|chip|generation|version"
    r"|app|dienst|plattform|ki-modell|sprachmodell|gerät|elektroauto|suv|medikament)"
    r"(?:e|s|en|n|er|es)?(?:[\s.,;:!?\"]|$)"
    r"|markteinführung|marktstart|verkaufsstart|auslieferungsstart|\blaunch|lanciert|debüt"
    r"|bringt .{0,60}\bheraus\b|herausgebracht|ist ab .{0,40}erhältlich"
    r"|(?:soll|sollen|wird|werden) .{0,60}\berscheinen\b|erscheint (?:im|am|ab|noch)\b"
    r"|kommt .{0,60}in den handel|in den handel (?:kommen|bringen|gebracht)"
    r"|(?:bringt|bringen|brachte) .{0,60}\bin den handel"
    r"|in die (?:läden|regale|geschäfte)|premiere|freigeschaltet|schalte\w* .{0,60}\bfrei\b"
    r"|ab sofort (?:erhältlich|verfügbar|im handel|bestellbar|zu haben)|verkauf\w* ab sofort"
    # ("mehr als 70.000 Vorbestellungen eingegangen" measures demand, launches nothing.)
    r"|(?:kann|können) .{0,60}\b(?:bestellen|vorbestellen|herunterladen|downloaden)\b|bestellbar"
    r"|vorbestellungen (?:starten|beginnen|laufen|sind möglich)|vorbestellungen .{0,20}entgegen"
    # (An announcement alone, "kündigte an, die Fahrzeuge ... anzubieten", needs a product.)
    r"|(?:startet|startete|gestartet|veröffentlicht\w*|präsentiert\w*)"
    rf" .{{0,60}}{_PRODUCT_NOUN}"
    rf"|{_PRODUCT_NOUN} (?:veröffentlicht|vorgestellt|präsentiert|gestartet"
    r"|freigeschaltet|enthüllt|eingeführt)\b"
    r"|(?:rollt|rollte|rollen) .{0,60}\baus\b|ausgerollt|zeigt\w* .{0,40}\berstmals\b"
    # "sollen die ersten Kunden ihre Fahrzeuge erhalten" (not "Zu den ersten Kunden zählen").
    r"|\bersten (?:kunden|käufer)\b.{0,60}\b(?:erhalten|bekommen|beliefert)\b"
    r"|\ban (?:die )?ersten (?:kunden|käufer)\b|\berste auslieferungen\b"
)
# A sentence that names a product (an entity of type product) and says it is out or coming:
# "Samsung kündigte das Galaxy S26 für Februar an", "Nvidia hat ... Rubin angekündigt".
_LAUNCH_VERBS = (
    r"\b(?:kündigt\w*|angekündigt|veröffentlicht\w*|startet|startete|gestartet"
    r"|präsentiert\w*|enthüllt\w*|eingeführt|führt\w* .{0,40}\bein"
    r"|erhältlich|verfügbar|vorgestellt|stellt .{0,60}\bvor|vom band)\b"
)
# What money is put into when it is an investment, not a yearly budget ("Forschung").
_FACILITIES = (
    r"(?:(?:aus|auf)bau\b|rechenzentr|infrastruktur|fabrik|werk|anlage|netz|standort|produktion)"
)
_INVESTMENT = (
    r"investiert|investieren|investierte|investition|investitionsoffensive|investitionsprogramm"
    # "steckt 20 Milliarden in den Ausbau", not a yearly research budget.
    r"|(?:steckt|stecken|steckte) .{0,40}(?:milliarden|millionen) .{0,40}\bin (?:den |die |das )?(?:\w+ )?"
    rf"{_FACILITIES}|(?:milliarden|millionen) [^.]{{0,30}}\bin (?:den |die |das )?(?:\w+ )?"
    rf"{_FACILITIES}"
    r"[^.]{0,60}\bstecken\b|\bcapex\b"
)
# Buying into a company, not holding a stake ("hält eine Beteiligung") or buying back.
_STAKE = (
    r"anteile im wert|\bkaufte anteile|anteil aufgestockt|minderheitsbeteiligung|aktienpaket"
    r"|beteiligung (?:an .{0,40})?(?:ausgebaut|aufgestockt|erhöht|erworben)"
    r"|(?:erhöht|erhöhte|stockt|stockte) .{0,40}(?:anteil|beteiligung)"
    r"|\b(?:erwirbt|erwarb|erwerben|kauft|kaufte|sichert sich|sicherte sich) .{0,50}(?:beteiligung"
    r"|anteile|aktien)\b"
    # "beteiligt sich mit 200 Millionen an", "hat sich bei Intel eingekauft", "baut seinen
    # Anteil aus", "zeichnet ... neue Aktien", "3 Prozent der Siemens-Aktien gekauft", "wird
    # größter Einzelaktionär".
    r"|beteilig\w* sich (?:mit|an)\b|eingekauft|kauft\w* sich .{0,40}\bein\b"
    r"|(?:baut|baute|bauen) .{0,30}(?:anteil|beteiligung|position) .{0,30}\baus\b"
    r"|zeichne\w* .{0,60}\baktien\b|\bprozent (?:an|der|des|am)\b.{0,60}\b(?:gekauft|erworben"
    r"|gesichert|übernommen)\b|sicher\w* sich .{0,30}\bprozent (?:an|der|des|am)\b"
    r"|\bwird .{0,60}\b(?:größter |neuer |zweitgrößter )?(?:einzel|groß|anker)?aktionär\b"
    r"|aktien (?:\w+ ){0,2}(?:erwerben|erworben)|aktien im wert von [^.]{0,40}(?:gekauft|erworben)"
    # "stockt bei T-Mobile US auf" ("stockt sein Geschäft in den USA auf" is no stake).
    r"|\bstock\w* (?:\w+ ){0,2}(?:bei|beim|an der|am)\b.{0,40}\bauf\b|einstieg (?:bei|der|des)\b"
    r"|steigt .{0,50}\b(?:bei|beim) [\w.-]+(?: \w+)? ein\b|eingestiegen"
    r"|(?:hat|hatte) sich .{0,80}\bbeteiligt|beteiligte sich"
)
_MARKETING = (
    r"kampagne|werbeoffensive|marketingoffensive|werbefeldzug|rabattaktion|rabattschlacht"
    r"|sponsoring|werbespot"
    r"|werbebudget|werbeaktion|werbekampagne|werbetrommel|fernsehwerbung|tv-werbung"
    r"|schalte\w* .{0,40}\bwerbung|markenbotschafter|\bsponsor|\bwirbt (?:\w+ ){0,3}(?:mit|um)\b"
    r"|lockt .{0,60}(?:rabatt|gutschein|preis|prämie|bonus)|rühr\w* .{0,40}\btrommel"
)
_LEGAL = (
    r"klage|verklagt|kläger|gericht|richter|rechtsstreit|steuerstreit|patentstreit|streit mit"
    r"|verfahren gegen|prozess gegen|schadenersatz|schadensersatz|verurteilt|angeklagt"
    r"|staatsanwalt|vergleich mit den|auf einen vergleich|patentverletzung"
    r"|berufung (?:eingelegt|einlegen|ein)|revision (?:eingelegt|einlegen)|einspruch"
    r"|anzeige gegen|strafanzeige|wegen .{0,60}\bangezeigt|außergerichtlich"
    # Compensation claimed ("fordern ... Entschädigung"), not a break fee owed ("müsste eine
    # Entschädigung zahlen").
    r"|(?:fordern|fordert|verlangen|verlangt|klagen|klagt|auf) .{0,40}entschädigung"
    r"|entschädigung (?:fordern|verlangen|einklagen)"
)
_REGULATORY = (
    r"regulierungsbehörde|aufsichtsbehörde|wettbewerbsbehörde|kartellamt|kartellbehörde"
    r"|kartellverfahren|wettbewerbshüter|regulierer|sanktion|exportbeschränkung|exportverbot"
    r"|exportkontrolle|bußgeld|geldstrafe|strafe (?:von|in höhe)|bafin|finanzaufsicht"
    r"|bankenaufsicht|ermittlungen gegen|ermittelt gegen|untersuchung gegen"
    r"|(?:zentralbank|ezb|aufsicht|behörde|kommission)(?: [a-z]+)? (?:prüft|untersucht|genehmigt"
    r"|billigt|untersagt|verbietet|ordnet|ordnete|verhängt|verhängte|ermittelt|leitet)"
    r"|(?:verlangt|fordert|forderte|verlangte) (?:\w+ ){0,3}[\w-]*(?:behörde|aufsicht|kommission)"
    r"|(?:behörde|aufsicht|kommission)\b.{0,80}\b(?:zugelassen|genehmigt|freigegeben)\b"
    r"|(?:behörden?|aufsicht|kommission) (?:müssen|muss) .{0,60}\bzustimmen"
    r"|schwarze liste|entity list|sanktionsliste|geldbuße|kartellwächter|wettbewerbswächter"
    r"|datenschützer|datenschutzbehörde"
    # A product approved for a market, whoever approved it: "ist nun auch in den USA für
    # klinische Tests zugelassen".
    r"|\bfür [^.]{0,40}\bzugelassen\b|marktzulassung|\bzulassung (?:für|erhalten|erteilt)"
)
# A regulator (or a government) acting on a company: both must be in the sentence.
_REGULATOR = (
    r"\w*aufsicht\b|behörde|kommission\b|regierung|ministerium|peking|washington|brüssel"
    r"|\bregulier"
)
_REGULATOR_ACTS = (
    r"\b(?:untersagt\w*|verbietet|verbot|genehmigt\w*|billigt\w*|erlaubt\w*|gestattet"
    r"|bestraft\w*|ins visier|ermittelt|prüft|verfahren .{0,40}(?:eröffnet|eingeleitet)"
    r"|leitet .{0,60}\bein\b|verhängt\w*|verklagt)"
)
_CONFERENCE = (
    r"konferenz|\bevent\b|messe\b|hauptversammlung|kongress|kapitalmarkttag|analystentag"
    r"|investorentag|capital markets day|investor day|keynote|aktionärstreffen"
    r"|aktionärsversammlung|\bsummit\b|gipfeltreffen"
    # Fairs and developer conferences by name: "auf der IAA", "bei der Computex".
    r"|(?:auf|bei|zur|während) (?:der|dem|des) (?:\w+ )?(?:iaa|ces|computex|gtc|wwdc|build"
    r"|dreamforce|sapphire|gamescom|mwc|ifa|ila|re:invent|google i/o|i/o|web summit"
    r"|auto shanghai|auto china|farnborough|paris air show|bauma|hannover messe)\b"
)
_EXPANSION = (
    r"rechenzentren .{0,60}(errichten|eröffnen|bauen|ausbauen)|kapazitäten .{0,40}ausbauen"
    r"|eröffne\w* .{0,40}(?:werk|standort|filiale|fabrik|büro|zentrum|niederlassung|laden|store)"
    r"|neues werk|neue fabrik|expansionspläne|\bexpansion\b|expandier|markteintritt"
    r"|(?:zentren|werke?|standorte?|produktion|filialnetz) .{0,50}(?:auszubauen|ausbauen"
    r"|erweitern|zu erweitern)|ans netz (?:gehen|bringen|genommen)|in betrieb (?:nehmen|genommen)"
    r"|(?:baut|errichtet|plant) .{0,60}(?:fabrik|werk\b|standort|zentrum\b)|niederlassung|gigafactory"
    r"|kapazitätsausbau|ausbau (?:der|des|seiner|ihrer) (?:kapazität|produktion|präsenz|werk)"
    r"|weite[nt] .{0,40}(?:geschäft|präsenz|produktion|angebot|kapazität|netz)\w* .{0,30}\baus\b"
    r"|neue(?:n)? märkte|\bin betrieb\b"
    r"|entsteh\w* .{0,40}\b(?:werk|fabrik|standort|rechenzentrum|zentrum|hub)\b"
    r"|\b(?:werk|fabrik|standort|rechenzentrum) .{0,30}\bentsteh"
    r"|(?:geschäfte|filialen|läden|stores|shops|standorte|niederlassungen) .{0,40}(?:öffnen|eröffnen)"
    # Entering a market, in the idioms that say so: "fasst in Japan Fuß", "will den
    # US-Markt erobern", "siedelt sich in Texas an", "geht in Spanien an den Start".
    r"|fuß (?:fassen|gefasst)|fasst\w* .{0,50}\bfuß\b|\w*markt\w* (?:zu )?erober|erobert .{0,30}markt"
    r"|ansiedl|siedel\w* .{0,50}\ban\b|in den [\w-]*markt (?:ein|einsteigen|eintreten|einzusteigen)"
    r"|(?:in|nach) [\w -]{2,30} an den start"
    r"|\bnach (?:deutschland|europa|großbritannien|frankreich|japan|indien|brasilien|mexiko"
    r"|den usa|amerika|nordamerika|südostasien|asien|afrika|spanien|italien) .{0,60}"
    r"(?:bringen|bringt|expandier|rollen|ausrollen|ausweiten)"
)
# Growing a business in a named country or city: "baut ihr Geschäft in Indien weiter aus",
# "die Fahrzeuge ab 2027 auch in Europa anbieten". The shape is matched with any word for
# the place, and the place checked by a second, plain alternation (the gazetteer inside the
# shape's bounded gaps blows up the regex automaton: 4 s instead of 0.03 s per pass).
_PLACE_SHAPES: dict[str, str] = {
    "expansion": (
        r"(?:baut|bauen|baute) .{0,40}(?:geschäft|präsenz|angebot|studio|standort|büro|werk"
        r"|niederlassung|fabrik) in (?:den |die )?[\w-]+"
        r" .{0,30}\baus\b"
        r"|\bauch in (?:den |die )?[\w-]+ (?:\w+ ){0,2}(?:anbieten|anzubieten|verkaufen"
        r"|zu verkaufen|starten|aktiv|vertreten|präsent)\b"
    ),
}
# More triggers of a type, each matched in a pass of its own: joined to the type's
# alternation, their bounded gaps overflow the regex engine's lazy DFA (expansion: 4.6 s
# instead of 0.05 s over 280,000 sentences).
_MORE_TRIGGERS: dict[str, list[str]] = {
    # "hat sein Rollenspiel Where Winds Meet auch außerhalb Chinas veröffentlicht".
    "product_launch": [
        rf"(?:{_PRODUCT_NOUN}|{_GAME}).{{0,60}}\b(?:veröffentlicht|vorgestellt|präsentiert"
        r"|eingeführt)\b"
    ],
    "expansion": [
        # "startet in drei weiteren Ländern", "öffnet seinen ersten Showroom", "verdoppelt
        # die Munitionsproduktion", "betritt den deutschen Markt", "dehnt ... auf
        # Lateinamerika aus", "errichtet einen neuen Campus".
        r"weitere[nm]? (?:\w+ )?(?:ländern|länder|märkten|märkte|städten|städte|regionen)\b"
        r"|\böffne\w* .{0,40}(?:showroom|store|filiale|laden|werk|büro|niederlassung|standort)",
        r"(?:verdoppel|verdreifach|vervielfach|erweiter|hochfahr|hochgefahren|aufstock|ausweit)\w*"
        r" .{0,40}(?:produktion|kapazität|fertigung|herstellung)"
        r"|(?:produktion|kapazität|fertigung)\w* .{0,40}(?:verdoppel|verdreifach|erweiter|ausweit"
        r"|hochfahr|hochgefahren|aufstock)",
        r"\bbetr(?:itt|eten|at|aten)\b .{0,40}\bmarkt\b|\bdehnt .{0,60}\baus\b|ausgedehnt"
        r"|(?:baut|errichtet|plant) .{0,60}(?:campus|\bhub\b|logistikzentrum|forschungszentrum)",
        # A site opened ("hat in Brevik die erste Anlage zur Abscheidung ... eröffnet",
        # "eröffnet seine ersten Verkaufsräume in Dubai"), more to be built, a business
        # grown by buying ("stockt sein Geschäft in den USA auf").
        r"\b(?:anlage|werk|fabrik|standort|filiale|showroom|verkaufsräume|verkaufsraum"
        r"|niederlassung|rechenzentrum|zentrum|hub)\w*\b[^.]{0,100}\b(?:eröffnet|eingeweiht"
        r"|in betrieb genommen)\b|\beröffne\w* .{0,40}(?:verkaufsr|showroom|\banlagen?\b)",
        r"\bweitere [\w-]*(?:anlagen|werke|fabriken|standorte|filialen)\b.{0,80}\b(?:bauen|errichten"
        r"|eröffnen)\b|\bstock\w* .{0,30}(?:geschäft|präsenz|kapazität)\w* .{0,30}\bauf\b",
    ],
}
# Types read from word families that must all occur in the sentence: money put into
# something lasting ("pumpt 10 Milliarden Dollar in neue Rechenzentren", "stellt eine
# Milliarde Euro für den Glasfaserausbau bereit"), a regulator acting ("Die Marktaufsicht
# nimmt Nvidia ins Visier").
_MONEY = r"\b(?:milliarden?|mrd|millionen|mio|billionen?)\b"
_SPEND = (
    r"\b(?:pumpt|pumpen|pumpte|buttert|buttern|steckt|stecken|steckte|fließen|fließt|flossen"
    r"|in die hand|bereit|bereitstellen|bereitgestellt|ausgeben|anlegen|budget|finanziert"
    r"|finanzieren|aufwenden|aufgewendet|mobilisiert|mobilisieren)\b"
    # "gibt 5 Milliarden für ... aus" (not "die Sparte aus Agentforce").
    r"|\b(?:gibt|geben|gab|gaben)\b.{0,100}\baus\b"
)
_SPENT_ON = (
    rf"{_FACILITIES}|\bbau\b|glasfaser|erneuerbare|rechenzentr|\bcloud|\bki\b|ki-|chipfabrik"
    r"|batteriefabrik|werke?\b|\bnetze?\b"
)
_ALL_OF: dict[str, list[tuple[str, ...]]] = {
    "investment": [(_SPEND, _MONEY, _SPENT_ON)],
    "regulatory_action": [(_REGULATOR_ACTS, _REGULATOR)],
}
_IN_PLACE = rf"\bin (?:den |die )?(?:{alternation([p.lower() for p in PLACES])})\b"

EVENT_TRIGGERS: dict[str, str] = {
    "earnings_release": _EARNINGS,
    "merger_acquisition": _MERGER,
    "partnership": _PARTNERSHIP,
    "product_launch": _LAUNCH,
    "investment": _INVESTMENT,
    "stake_purchase": _STAKE,
    "marketing_campaign": _MARKETING,
    "legal_action": _LEGAL,
    "regulatory_action": _REGULATORY,
    "conference": _CONFERENCE,
    "expansion": _EXPANSION,
}
EVENT_TYPES = list(EVENT_TRIGGERS)

# Frames: the same verbs, read with the companies they bind. In `_frame`, the lower-cased
# sentence, every gazetteer company is replaced by "@" ("siemens kauft altair" -> "@ kauft
# altair" when only Siemens is known; "mercedes und byd bauen gemeinsam" -> "@ und @ bauen
# gemeinsam"). A company as the object of a buying verb makes a deal; two companies doing
# something together make a partnership; a company as the one sued makes a legal action.
_ART = r"(?:(?:den|die|das|dem|der|des) )?(?:[\w-]+ ){0,2}"
_BUY = r"\b(?:kauft|kaufte|kaufen|gekauft|erwirbt|erwarb|erwerben|erworben|übernimmt|übernahm)"
EVENT_FRAMES: dict[str, str] = {
    "merger_acquisition": (
        rf"{_BUY} {_ART}@|@ (?:\w+ ){{0,3}}(?:gekauft|erworben|übernommen|geschluckt)\b"
        rf"|{_BUY} .{{0,60}}\bfür (?:\w+ )?[\d,.]+ (?:milliarden|mrd|millionen|mio)\b"
        r"|(?:fusion|zusammenschluss) (?:von|zwischen|mit) @|@ (?:und|mit) @ (?:\w+ ){0,2}fusion"
    ),
    "partnership": (
        r"@ (?:und|sowie) @ .{0,80}(?:gemeinsam|zusammen\b|kooperier|vereinbar|verbünde)"
        r"|mit @ .{0,60}(?:zusammenarbeit|kooperier|vereinbart|zusammen (?:entwickeln|bauen)"
        r"|gemeinsam (?:entwickeln|bauen|betreiben))"
    ),
    "legal_action": r"(?:verklagt|verklagte|klagt gegen|klage gegen|prozess gegen) @",
}
# Every frame holds one of these words: the prefilter's stand-in for the frames.
_FRAME_WORDS = (
    rf"{_BUY}|gekauft|erworben|übernommen|geschluckt|fusion|zusammenschluss|gemeinsam"
    r"|zusammen|kooperier|vereinbar|verbünde|klagt|klage|prozess gegen"
)
# A buying verb whose object is shares is a stake purchase (or a buyback), not a deal.
_SHARES_BOUGHT = rf"{_BUY} (?:\w+ ){{0,4}}(?:aktien|anteile|beteiligung)\b"

# Sold-back shares are a buyback, a stake held is no purchase ("hält Anteile im Wert von").
_NOT_A_STAKE = r"rückkauf|zurückgekauft|zurückkaufen|zurückzukaufen|\bzurück\b"
# "hält Anteile im Wert von ...": a stake held, unless the sentence buys it from the holder
# ("übernimmt ein Aktienpaket, das bisher die Familie Pinault hielt").
_HELD = r"\b(?:hält|hielt)\b"
# "Seit der Übernahme von Monsanto hat Bayer ... gezahlt": a deal done long ago.
_DEAL_RECALLED = r"\b(?:seit|nach) der (?:übernahme|fusion)\b"
# "Im Mai übernimmt Milan Nedeljković den Vorstandsvorsitz": a post taken over, no deal.
_POST_TAKEN = (
    r"\b(?:übernimmt|übernahm|übernehmen|übernommen)\b.{0,60}(?:vorsitz|\bamt\b|posten|leitung"
    r"|führung|\bruder\b|verantwortung|\baufgaben?\b|\bspitze\b|\bmandat\b)"
)
# "Organisch, also ohne Zukäufe und Währungseffekte, ...": growth with deals left out.
_WITHOUT_DEALS = r"\b(?:ohne|bereinigt um) (?:\w+ )?(?:zukäufe|übernahmen|akquisitionen)"
# "übernimmt ... ein Aktienpaket von 29 Prozent": taking over a stake, not a company.
_STAKE_TAKEN = (
    r"\b(?:übernimmt|übernahm|übernehmen|kauft|kaufte|erwirbt|erwarb)\b.{0,60}"
    r"\b(?:aktienpaket|anteile?|beteiligung|minderheitsbeteiligung)\b"
)
# "eine Übernahme sei derzeit nicht geplant": a trigger with a negation right after it in its
# own clause ("werfen dem Konzern vor, Nutzern keine Wahl zu lassen" is another clause), or
# "keine Übernahme" before it, is no event.
_NEGATION_AFTER = r"[^.,;:]{0,40}\b(?:nicht|nie|keine?)\b"
_NEGATION_BEFORE = r"\b(?:keine?|kein[e]?n)\s+(?:\w+\s+){0,1}"
# "BMW dementierte Berichte über eine Fusion", "Henkel schließt Zukäufe aus", "Von einer
# Abspaltung hält der Vorstand nichts": denied or ruled out, no event.
# A deal only reported or rumoured ("Medienberichten zufolge ...", "Spekulationen, wonach
# ...") is no event either, until the companies confirm it.
_DENIED = (
    r"dementier|\bschließ\w* .{0,60}\baus\b|ausgeschlossen|\bnichts von\b|\bhält .{0,40}\bnichts\b"
    r"|\b(?:medienberichten|berichten|insidern|kreisen|insiderkreisen) zufolge\b|\bgerüchte"
    r"|\bspekulationen\b|\bangeblich\b|\bunbestätigt"
)
# "Microsoft hatte die Übernahme ... bereits 2023 abgeschlossen", "Die Kooperation hatte
# Tesla schon vor zehn Jahren begonnen": done before, in the pluperfect, recalled.
_DONE_BEFORE = (
    r"\bhatten? .{0,80}\b(?:abgeschlossen|begonnen|vereinbart|übernommen|gekauft|erworben"
    r"|unterzeichnet|eröffnet|gestartet|gebracht|vorgestellt|präsentiert|eingeführt|bestellt"
    r"|gesetzt|verhängt|untersagt|verboten|eingeleitet|genehmigt|gezahlt|bezahlt|investiert)\b"
)
# "Seit 2019 steht Huawei auf einer Sanktionsliste": a state in force for years, not news.
_SINCE_YEARS = r"\bseit (?:dem jahr )?(?:19|20)\d\d\b"
# "bei der Übernahme im Jahr 2010": a past event recalled, not news.
_PAST = r"[^.]{0,25}\b(?:im jahr (?:19|20)\d\d|vor (?:\w+ )?jahren)"
# Sentences about a group ("Chinas Tech-Riesen investieren in KI") without a company named
# in them: the event belongs to no single company, not to the article's main one.
_GROUP = r"(?:konzerne|riesen|giganten|firmen|rivalen|banken)\b"

# Figures that are themselves evidence of an event, whatever verb the sentence uses ("Für
# 3,4 Milliarden Euro geht SpringWorks an die Darmstädter"): a deal's price, a stake bought,
# an investment programme, a campaign's budget.
FIGURE_EVENTS: dict[str, str] = {
    "deal_value": "merger_acquisition",
    "offer_price": "merger_acquisition",
    "stake_purchase": "stake_purchase",
    "investment": "investment",
    "marketing_spend": "marketing_campaign",
}
# "hatten zuletzt die Zahlen gezeigt: Im dritten Quartal war der Umsatz ... gesunken": results
# recalled from an earlier report (pluperfect), no release of this article.
_RESULTS_RECALLED = (
    r"\bhatten? zuletzt\b|\bzuletzt .{0,30}\bgezeigt\b"
    r"|\bwar(?:en)? .{0,80}\b(?:gesunken|gestiegen|gewachsen|geschrumpft|zurückgegangen|geklettert)\b"
)
# The same figures in sentences that say something else: a target or forecast, results
# recalled, a yearly research budget, a stake sold back (a stake held: `_held_only`).
_NOT_EVIDENCE: dict[str, list[str]] = {
    "earnings_release": [
        r"prognose|erwart|rechnet|\bziel|ausblick|dürfte|\bsoll|\bwill\b|\bwollen\b|peilt"
        r"|anvisiert|\bplant|\bbis (?:ende )?20\d\d|in aussicht|zuversichtlich|traut sich",
        _RESULTS_RECALLED,
    ],
    "investment": [r"forschung"],
    "stake_purchase": [_NOT_A_STAKE],
}
# A period's results stated as a fact are a reported earnings release: a revenue or profit
# figure in a sentence that names a reporting period, or right after one ("Xiaomi hat im
# dritten Quartal kräftig zugelegt. Die Erlöse kletterten um 22 Prozent ...").
_RESULTS = ["revenue", "revenue_growth", "profit", "profit_growth", "segment_growth", "margin"]
_REPORTING_PERIOD = (
    r"quartal|\bq[1-4]\b|geschäftsjahr|fiskaljahr|gesamtjahr|halbjahr"
    r"|(?:drei|sechs|neun) monaten|(?:zwischen|von) (?:januar|april|juli|oktober)"
    r" (?:und|bis) (?:märz|juni|september|dezember)"
)


# "Xiaomi lieferte ... 108.796 Elektroautos aus, darunter viele des neuen SUV YU7": a
# quarter's deliveries or sales name a new model without launching it.
_DELIVERED = r"\b(?:lieferte|lieferten|verkaufte|verkauften)\b.{0,120}\b(?:aus|darunter)\b"


# "Dann legt Alibaba die Zahlen ... vor": the date stood in the sentence before.
_BACK_REFERENCE = r"^(dann|dort|an diesem tag|an dem tag|zu diesem termin)\b"


def _held_only(text: pl.Expr) -> pl.Expr:
    return text.str.contains(asciify_pattern(_HELD)) & ~text.str.contains(asciify_pattern(_BUY))


def _fires(name: str, pattern: str) -> pl.Expr:
    """The lower-cased sentence (`_lower`) holds the trigger of event type `name`, or its
    masked form (`_frame`) one of the type's frames, and neither is negated, denied nor a
    past event recalled; a buyback is no stake purchase, buying shares no deal."""
    fires = pl.lit(False)
    # (column read, pattern, what else the sentence must hold)
    readings: list[tuple[str, str | None, pl.Expr | bool]] = [
        ("_lower", pattern, True),
        ("_frame", EVENT_FRAMES.get(name), True),
        (
            "_lower",
            _PLACE_SHAPES.get(name),
            pl.col("_lower").str.contains(asciify_pattern(_IN_PLACE)),
        ),
    ]
    readings += [("_lower", more, True) for more in _MORE_TRIGGERS.get(name, [])]
    for first, *rest in _ALL_OF.get(name, []):
        also = [pl.col("_lower").str.contains(asciify_pattern(p)) for p in rest]
        readings.append(("_lower", first, pl.all_horizontal(also)))
    if name == "product_launch":
        readings.append(("_lower", _LAUNCH_VERBS, pl.col("_product")))
    for column, found, required in readings:
        if found is None:
            continue
        text = pl.col(column)
        trigger = f"(?:{found})"
        # One pass per way of voiding: joined into one alternation, the trigger's three copies
        # overflow the regex engine's lazy DFA (expansion: 14 s per pass instead of 0.1 s).
        voids = [
            f"{trigger}{_NEGATION_AFTER}",
            f"{_NEGATION_BEFORE}{trigger}",
            f"{trigger}{_PAST}",
            # "kommt trotz der US-Exportbeschränkungen gut voran": background, no event.
            rf"\btrotz (?:der |des |dem |den |aller )?[\w-]*{trigger}",
        ]
        if name == "stake_purchase":
            voids.append(_NOT_A_STAKE)
        if name == "merger_acquisition" and column == "_frame":
            voids.append(_SHARES_BOUGHT)
        if name == "product_launch":
            # "Marketingkampagne für KI-App Qwen gestartet": the campaign starts, not the app.
            # "will mit seiner Plattform Keeta in Brasilien an den Start gehen": a product
            # taken to a new country expands the business, it is no launch.
            voids.extend([_DELIVERED, r"kampagne", r"\b(?:in|nach) [\w -]{2,30} an den start"])
        if name == "merger_acquisition":
            voids.extend([_STAKE_TAKEN, _DEAL_RECALLED, _POST_TAKEN, _WITHOUT_DEALS])
        if name == "earnings_release":
            voids.append(_RESULTS_RECALLED)
        voids.extend([_DENIED, _SINCE_YEARS])
        if name != "earnings_release":
            voids.append(_DONE_BEFORE)
        voided = pl.any_horizontal(text.str.contains(asciify_pattern(v)) for v in voids)
        if name == "stake_purchase":
            voided = voided | _held_only(text)
        fires = fires | (text.str.contains(asciify_pattern(found)) & required & ~voided)
    return fires


def _figure_events(figures: pl.LazyFrame) -> pl.LazyFrame:
    """(sentence, event type) pairs a figure evidences, with its first such figure and that
    figure's subject company (the caller drops those `_NOT_EVIDENCE` voids)."""
    metric = pl.col("metric_type")
    results = metric.is_in(_RESULTS)
    return (
        figures.with_columns(
            pl.when(results)
            .then(pl.lit("earnings_release"))
            .otherwise(metric.replace_strict(FIGURE_EVENTS, default=None))
            .alias("event_type")
        )
        .filter(pl.col("event_type").is_not_null())
        .sort("char_start")
        .group_by("article_id", "sentence_idx", "event_type")
        .agg(
            pl.col("figure_id").first().alias("evidenced_by"),
            pl.col("company_id").first().alias("figure_company_id"),
        )
    )


def detect_events(
    sentences: pl.LazyFrame,
    dates: pl.LazyFrame,
    mentions: pl.LazyFrame,
    figures: pl.LazyFrame,
    main_company: pl.LazyFrame,
    company_pattern: str,
    entities: pl.LazyFrame,
) -> pl.LazyFrame:
    """One row per (sentence, event type) whose trigger or frame occurs in the sentence.

    `company_pattern` is the gazetteer's mention regex, used to mask companies in frames;
    `entities` (article_id, sentence_idx, entity_type) says which sentences name a product.
    """
    key = ["article_id", "sentence_idx"]
    # One pass per type finds the few sentences with any trigger (one alternation of all
    # types overflows the regex engine's lazy DFA and runs ~40x slower); only those are
    # typed, and only those are masked (a second pass of the company regex) for frames.
    lower = pl.col("_lower")
    any_trigger = (
        pl.any_horizontal(
            lower.str.contains(asciify_pattern(p))
            for p in [
                *EVENT_TRIGGERS.values(),
                *_PLACE_SHAPES.values(),
                *(p for more in _MORE_TRIGGERS.values() for p in more),
                _FRAME_WORDS,
            ]
        )
        | pl.any_horizontal(
            pl.all_horizontal(lower.str.contains(asciify_pattern(p)) for p in patterns)
            for all_of in _ALL_OF.values()
            for patterns in all_of
        )
        | (pl.col("_product") & lower.str.contains(asciify_pattern(_LAUNCH_VERBS)))
    )
    products = (
        entities.filter(pl.col("entity_type") == "product")
        .select(*key, pl.lit(True).alias("_product"))
        .unique()
    )
    masked = pl.col("shadow").str.replace_all(asciify_pattern(company_pattern), "@")
    lowered = sentences.with_columns(pl.col("shadow").str.to_lowercase().alias("_lower"))
    lowered = lowered.join(products, on=key, how="left").with_columns(
        pl.col("_product").fill_null(False)
    )
    columns = [*key, "char_start", "char_end", "text", "_lower", "published_date"]
    triggered = (
        lowered.filter(any_trigger)
        .with_columns(masked.str.to_lowercase().alias("_frame"))
        .with_columns(_fires(name, pattern).alias(name) for name, pattern in EVENT_TRIGGERS.items())
        .unpivot(
            index=columns,
            on=EVENT_TYPES,
            variable_name="event_type",
            value_name="hit",
        )
        .filter(pl.col("hit"))
        .drop("hit")
    )
    evidenced = _figure_events(figures)
    not_evidence = pl.lit(False)
    for name, patterns in _NOT_EVIDENCE.items():
        for pattern in patterns:
            not_evidence = not_evidence | (
                (pl.col("event_type") == name)
                & pl.col("_lower").str.contains(asciify_pattern(pattern))
            )
    not_evidence = (
        not_evidence
        | ((pl.col("event_type") == "stake_purchase") & _held_only(pl.col("_lower")))
        # Figures of a deal denied, rumoured or done before evidence no event either.
        | pl.col("_lower").str.contains(asciify_pattern(_DENIED))
        | (pl.col("event_type") != "earnings_release")
        & pl.col("_lower").str.contains(asciify_pattern(_DONE_BEFORE))
    )
    period_named = lowered.select(
        *key, pl.col("_lower").str.contains(asciify_pattern(_REPORTING_PERIOD)).alias("_period")
    )
    period_before = period_named.select(
        "article_id", pl.col("sentence_idx") + 1, pl.col("_period").alias("_period_before")
    )
    no_period = (pl.col("event_type") == "earnings_release") & ~(
        pl.col("_period") | pl.col("_period_before").fill_null(False)
    )
    by_figure_only = (
        lowered.select(columns)
        .join(evidenced.select(*key, "event_type"), on=key)
        .join(period_named, on=key)
        .join(period_before, on=key, how="left")
        .filter(~not_evidence & ~no_period)
        .join(triggered, on=[*key, "event_type"], how="anti")
    )
    flagged = pl.concat([triggered, by_figure_only.select(triggered.collect_schema().names())])
    first_date = (
        dates.sort("char_start")
        .group_by(key)
        .agg(pl.col("value_date").first().alias("date_here"), pl.col("alt_date").first())
    )
    previous_date = first_date.select(
        "article_id",
        (pl.col("sentence_idx") + 1).alias("sentence_idx"),
        pl.col("date_here").alias("date_before"),
    )
    companies = (
        mentions.sort("char_start")
        .group_by(key)
        .agg(
            pl.col("company_id").unique(maintain_order=True).alias("companies"),
            pl.col("company_id").filter(~pl.col("after_mit")).first().alias("actor"),
        )
    )
    first_amount = (
        figures.filter(pl.col("kind") == "amount")
        .sort("char_start")
        .group_by(key)
        .agg(pl.col("figure_id").first())
    )
    back_ref = pl.col("_lower").str.contains(_BACK_REFERENCE)
    return (
        flagged.join(first_date, on=key, how="left")
        .join(previous_date, on=key, how="left")
        .join(companies, on=key, how="left")
        .join(first_amount, on=key, how="left")
        .join(evidenced, on=[*key, "event_type"], how="left")
        .join(main_company, on="article_id", how="left")
        .with_columns(
            pl.when(pl.col("date_here").is_null() & back_ref)
            .then(pl.col("date_before"))
            .otherwise(pl.col("date_here"))
            .alias("event_date"),
            pl.when(pl.col("companies").is_null() & pl.col("_lower").str.contains(_GROUP))
            .then(pl.lit(None, pl.String))
            .otherwise(
                # The actor is named first ("Siemens bietet den Altair-Aktionären 113
                # Dollar je Aktie": the offer price is Altair's, the deal Siemens's).
                # A company named after "mit" is the partner: the actor is the next one
                # named, else the article's ("der Konzern arbeitet mit Nvidia zusammen").
                pl.coalesce("actor", "figure_company_id", "main_company_id")
            )
            .alias("company_id"),
        )
        .with_columns(
            pl.when(pl.col("companies").list.get(0, null_on_oob=True) != pl.col("company_id"))
            .then(pl.col("companies").list.get(0, null_on_oob=True))
            .otherwise(pl.col("companies").list.get(1, null_on_oob=True))
            .alias("counterpart_company_id"),
        )
        .with_columns(
            pl.when(pl.col("event_type") != "earnings_release")
            .then(None)
            .when(pl.col("event_date").is_null())
            .then(pl.lit("announced"))
            .when(pl.col("event_date") >= pl.col("published_date"))
            .then(pl.lit("scheduled"))
            .otherwise(pl.lit("reported"))
            .alias("status"),
            pl.concat_str(
                pl.col("article_id"),
                pl.lit(":e:"),
                pl.col("char_start").cast(pl.String),
                pl.lit(":"),
                pl.col("event_type"),
            ).alias("event_id"),
        )  # fmt: skip
        .select(
            "event_id",
            "article_id",
            "sentence_idx",
            "char_start",
            "char_end",
            "event_type",
            "event_date",
            "alt_date",
            "status",
            "company_id",
            "counterpart_company_id",
            pl.coalesce("evidenced_by", "figure_id").alias("figure_id"),
            pl.col("text").alias("evidence"),
        )  # fmt: skip
    )
