"""Number of people taken, force, media and official claims."""

from __future__ import annotations

import itertools
import re

from amparo.extract.cues import NUMBER_PATTERN, TAKEN, number_value
from amparo.extract.model import Candidate, Proposal
from amparo.extract.text import Sentences, lowered

__all__ = [
    "FORCE",
    "FORCE_NEGATED",
    "FORCE_NEUTRAL",
    "MEDIA",
    "MEDIA_NEUTRAL",
    "find_claims",
    "find_flag",
    "find_people_taken",
]

_SINGULAR = (
    r"man|woman|person|worker|father|mother|husband|wife|son|daughter|brother|sister|teen|teenager|student|patient|"
    r"vendor|volunteer|protester|passenger|customer|neighbou?r|immigrant|migrant|asylum\s+seeker|recipient|resident|"
    r"tenant|fisherman|(?:day\s+)?labou?rer|farmworker|cousin|uncle|aunt|nephew|niece|dad|mom|grandfather|grandmother|"
    r"grandma|grandpa|boyfriend|girlfriend|partner|fianc[ée]e?|guy|lady|kid|boy|girl|driver|roommate|co-?worker|friend|"
    r"nurse|cook|gardener|landscaper|roofer|packer|grandson|granddaughter|coach|dishwasher|waiter|waitress|cashier|"
    r"mechanic|painter|cleaner|janitor|housekeeper|nanny|caregiver|electrician|plumber|welder|carpenter|foreman|"
    r"butcher|baker|employee|caretaker|brother-in-law|sister-in-law|father-in-law|mother-in-law|son-in-law|stepson|"
    r"stepdaughter|stepfather|stepmother|grandchild|godfather|owner|manager|supervisor|pastor|priest|deacon|"
    r"sacerdote|p[áa]rroco|di[áa]cono|pfarrer|"
    r"due[ñn][oa]|patr[óo]n|encargad[oa]|gerente|inhaber(?:in)?|besitzer(?:in)?|"
    r"schwager|schw[äa]gerin|schwieger(?:vater|mutter|sohn|tochter)|familienvater|familienmutter|enkel(?:in)?|"
    r"compadre|comadre|cu[ñn]ad[oa]|suegr[oa]|yerno|nuera|padrastro|madrastra|hijastr[oa]|nieto|nieta|padrino|madrina|"
    r"meser[oa]|lavaplatos|cociner[oa]|mec[áa]nico|pintor|alba[ñn]il|jardiner[oa]|carpinter[oa]|soldador|ni[ñn]era|"
    r"cuidador[a]?|chofer|ch[óo]fer|conductor[a]?|obrer[oa]|emplead[oa]|"
    r"primo|prima|t[íi]o|t[íi]a|sobrin[oa]|abuel[oa]|pap[áa]|mam[áa]|ap[áa]|am[áa]|novi[oa]|compa[ñn]er[oa]|compa|amig[oa]|chavo|"
    r"cuz|homie|bro|"
    r"costurera|cajer[oa]|"
    r"hombre|mujer|persona|trabajador[a]?|jornalero|padre|madre|esposo|esposa|hijo|hija|hermano|hermana|joven|"
    r"estudiante|paciente|vendedora?|voluntari[oa]|manifestante|pasajer[oa]|cliente|vecin[oa]|inmigrante|migrante|"
    r"se[ñn]ora?|muchach[oa]|"
    r"mann|frau|person|arbeiterin|arbeiter|vater|mutter|ehemann|sohn|tochter|bruder|schwester|jugendliche[rn]?|"
    r"student(?:in)?|patient(?:in)?|nachbar(?:in)?|migrant(?:in)?|asylbewerber(?:in)?|br[äa]utigam|kunden?|kundin|"
    r"\w*verk[äa]ufer(?:in)?|cousine|onkel|tante|neffe|nichte|opa|oma|freund(?:in)?|mitbewohner(?:in)?|"
    r"beifahrer(?:in)?|fahrer(?:in)?|koch|k[öo]chin|nachbarn|\d+-j[äa]hrige[rn]?|\d+-year-old|sp[üu]ler(?:in)?|"
    r"kellner(?:in)?|mechaniker(?:in)?|maler(?:in)?|g[äa]rtner(?:in)?|pfleger(?:in)?|elektriker(?:in)?|kolleg(?:e|en|in)|"
    r"mitarbeiter(?:in)?|angestellte[rn]?|reinigungskraft"
)
_PLURAL = (
    r"people|persons|men|women|workers|individuals|immigrants|migrants|residents|parents|fathers|mothers|teenagers|"
    r"teens|students|(?:day\s+)?labou?rers|employees|children|minors|adults|neighbou?rs|family\s+members|relatives|"
    r"protesters|demonstrators|passengers|customers|shoppers|vendors|volunteers|fishermen|farmworkers|patients|"
    r"asylum\s+seekers|congregants|parishioners|guests|tenants|others|adults|(?:community\s+)?members|marchers|guys|"
    r"ppl|brothers|cousins|shoppers|sons|uncles|daughters|sisters|aunts|nephews|nieces|grandchildren|grandsons|"
    r"granddaughters|hijos|hijas|sobrinos|nietos|t[íi]os|t[öo]chter|schwestern|enkel|neffen|dishwashers|waiters|cooks|cashiers|mechanics|painters|cleaners|"
    r"roofers|landscapers|electricians|carpenters|nurses|caregivers|crew\s+members|"
    r"personas|hombres|mujeres|trabajadores|jornaleros|inmigrantes|migrantes|padres|madres|j[óo]venes|estudiantes|"
    r"empleados|menores|ni[ñn]os|vecinos|familiares|manifestantes|pasajeros|clientes|vendedores|voluntarios|"
    r"pacientes|feligreses|hu[ée]spedes|se[ñn]ores|se[ñn]oras|muchachos|inquilinos|adultos|miembros|costureras|"
    r"trabajadoras|hermanos|primos|vecinas|compa[ñn]eros|alba[ñn]iles|meseros|cocineros|mec[áa]nicos|pintores|"
    r"obreros|jardineros|carpinteros|empleadas|"
    r"menschen|personen|m[äa]nner|frauen|s[öo]hne|\w*arbeiter|\w*arbeitern|migranten|erwachsenen?|br[üu]der|besch[äa]ftigten|einwanderer|v[äa]ter|m[üu]tter|jugendliche|"
    r"sch[üu]ler|besch[äa]ftigte|mitarbeiter|angestellte|erntehelfer|tagel[öo]hner|kinder|demonstranten|"
    r"fahrg[äa]ste|kunden|\w*verk[äa]ufer|patienten|g[äa]ste|camper|gemeindemitglieder|nachbarn|asylbewerber|bewohner|"
    r"pfleger(?:innen)?|kellner(?:innen)?|k[öo]che|sp[üu]ler|mechaniker|kollegen|demonstrierende|festgenommenen?|"
    r"verhafteten|inhaftierten|detainees|arrestees|detenidos|arrestados|kids|"
    r"kolleginnen|arbeiterinnen|nachbarinnen|kundinnen|bewohnerinnen|mitarbeiterinnen|migrantinnen|sch[üu]lerinnen|"
    r"angestellten"
)
_QUALIFIER = (
    r"at\s+least|more\s+than|over|about|some|nearly|almost|al\s+menos|m[áa]s\s+de|unos|unas|alrededor\s+de|"
    r"mindestens|mehr\s+als|rund|etwa|[üu]ber"
)
_DETERMINER = (
    r"a|an|the|my|his|her|their|our|one|another|un|una|al|el|la|a\s+la|mi|su|nuestr[oa]|uno|otro|otra|ein|eine|einen|einem|den|der|"
    r"mein|meine|meinen|sein|seine|seinen|ihr|ihre|ihren|unser|unsere|unseren|dessen|deren|this|este|esta|diese[nmr]?"
)
_AGE_WORDS = r"jahre|years?|a[ñn]os|\w*-year-old|\w*j[äa]hrigen?"
_ADJECTIVES = rf"(?:(?!(?:{NUMBER_PATTERN}|{_DETERMINER})\s)[\w'\u2019-]+\s+){{0,3}}?"
# After a count, "16 und 17 Jahre alten Brüder" is an age, not a count.
_COUNT_ADJECTIVES = rf"(?:(?!(?:{NUMBER_PATTERN}|{_DETERMINER}|{_AGE_WORDS})\s)[\w'\u2019-]+\s+){{0,3}}?"
_COUNT = re.compile(
    rf"\b(?:(?P<q>{_QUALIFIER})\s+)?(?P<n>{NUMBER_PATTERN})\s+(?:(?:of\s+(?:the|his|her|their|our)|de\s+(?:los|las|sus|mis|nuestros)|der|von\s+den|ihrer|seiner)\s+)?{_COUNT_ADJECTIVES}"
    rf"(?P<noun>{_PLURAL})\b",
    re.IGNORECASE,
)
# "the owner's nephew": a possessive names someone else.
_SINGLE = re.compile(
    rf"\b(?P<n>{_DETERMINER})\s+{_ADJECTIVES}(?P<noun>{_SINGULAR})\b(?!['\u2019]s\b)", re.IGNORECASE
)
_AFTER_VERB = re.compile(
    rf"\b(?:detained|arrested|apprehended|took|detuvieron\s+a|arrestaron\s+a|se\s+llevaron\s+a|capturaron\s+a|"
    rf"nahmen|verhafteten)\s+(?:(?P<q>{_QUALIFIER})\s+)?(?P<n>\d{{1,4}}|{NUMBER_PATTERN})\b"
    rf"(?!\s*(?:days?|d[ií]as|tagen?|hours?|horas|stunden|years?|a[ñn]os|jahre|%|a\.m|p\.m|de\s+\w+\s+de))",
    re.IGNORECASE,
)
_NONE_TAKEN = re.compile(
    r"\b(?:(?:no\s+one|nobody)\s+(?:was|were|got)\s+(?:detained|arrested|taken)|"
    r"no\s+arrests\s+were\s+made|made\s+no\s+arrests|"
    r"(?:did\s*n['\u2019]?t|did\s+not|didnt)\s+(?:take|arrest|detain|grab)\s+(?:anybody|anyone|nobody|no\s+one)|nadie\s+fue\s+(?:detenid[oa]|arrestad[oa])|"
    r"no\s+(?:hubo|se\s+reportaron)\s+(?:detenciones|arrestos|detenidos)|"
    r"no\s+(?:detuvieron|han\s+detenido|se\s+llevaron|arrestaron|agarraron|levantaron|llevaron)\s+a\s+nadie|"
    r"niemand\s+wurde\s+(?:festgenommen|verhaftet|mitgenommen)|festgenommen\s+wurde\s+niemand|"
    r"keine\s+(?:festnahmen|verhaftungen)|nahmen\s+niemanden\s+fest)\b",
    re.IGNORECASE,
)
# "arrested him", "took her", "lo arrestaron", "se la llevaron", "nahmen ihn fest": one person.
_PRONOUN = re.compile(
    r"\b(?:(?:detained|arrested|took|grabbed|cuffed|handcuffed|snatched|seized|apprehended|picked\s+up)\s+(?P<en>him|her)|"
    r"(?P<es>lo|la)\s+(?:arrestaron|detuvieron|agarraron|esposaron|subieron|llevaron)|se\s+(?P<es2>lo|la)\s+llevaron|"
    r"nahmen\s+(?P<de>ihn)\s+(?:\w+\s+){0,4}?fest|setzten\s+(?P<de2>ihn)\s+in|"
    r"(?:llevaron|detuvieron|arrestaron|agarraron|esposaron|subieron|entregaron)\s+a\s+(?P<es4>[ée]l|ella)\b|"
    # "put him in a car", "led her away"; "ya no regresó", "he ... did not come out": one person, said without a noun.
    r"(?:put|led|walked|escorted|dragged|pulled|forced|shoved|pushed)\s+(?P<en2>him|her)\s+(?:in|into|out|away|off|to)|"
    r"[üu]bergaben?\s+(?P<de4>ihn)\b|"
    # "Otro más fue detenido", "one more was taken", "ein weiterer wurde festgenommen": one more person.
    r"(?P<es5>\botr[oa]\s+m[áa]s)\b(?!\s+(?:de|que))|(?P<en4>\bone\s+more)\b(?=\s+(?:was|had|man|woman|person|got))|"
    r"(?P<de5>\bein(?:e|en)?\s+weitere[rn]?)\b(?=\s+(?:wurde|ist|sei|festgenommen|mann|frau|person))|"
    r"(?P<es3>(?:ya\s+)?no\s+(?:sali[óo]|regres[óo]|volvi[óo]))|"
    r"(?:\b(?:he|she)\b[^.!?;]{0,60}?)(?P<en3>(?:did\s+not|didn['\u2019]t|never)\s+(?:come\s+(?:out|back|home)|return))|"
    r"(?P<de3>kam\s+(?:er\s+|sie\s+)?nicht\s+(?:mehr\s+)?(?:heraus|zur[üu]ck|nach\s+hause)|"
    r"kehrte\s+(?:er\s+|sie\s+)?nicht\s+(?:mehr\s+)?(?:nach\s+hause\s+)?zur[üu]ck))\b",
    re.IGNORECASE,
)
_SOMEONE = re.compile(r"\b(?:someone|somebody|alguien|jemand|jemanden)\b", re.IGNORECASE)
# "so thats 3 ppl total", "but that was wrong ... its 5": the count the sentence settles on.
_SETTLED = re.compile(
    rf"\b(?:(?:that['\u2019]?s|thats|so|en\s+total|in\s+total|insgesamt)\s+(?:only\s+|solo\s+|nur\s+)?(?P<a>{NUMBER_PATTERN})\b|"
    rf"\b(?:son|fueron|eran|sind|waren)\s+(?P<h>{NUMBER_PATTERN})\s+(?:los|las|die)\s+(?:que|die)\b|"
    rf"(?P<c>{NUMBER_PATTERN})\s+(?:was|were|is)\s+(?:correct|right|accurate)\b|"
    # "fueron cuatro, no tres", "three, not two", "vier, nicht drei": a count corrected on the spot.
    rf"\b(?P<i>{NUMBER_PATTERN}),?\s+(?:not|no|nicht)\s+(?:{NUMBER_PATTERN})\b|"
    # "no eran doce, eran quince", "not twelve but fifteen", "nicht zwölf, sondern fünfzehn": the second figure.
    rf"\b(?:no|not|nicht)\s+(?:(?:eran|fueron|son|were|was|are|waren|sind|es\s+waren)\s+)?(?:{NUMBER_PATTERN})\s*,?\s*"
    rf"(?:sino\s+|but\s+|sondern\s+)?(?:(?:eran|fueron|son|were|waren|sind|es\s+waren)\s+)?(?P<k>{NUMBER_PATTERN})\b|"
    # "CORRECCIÓN: son 3", "Correction: it's 3", "Korrektur: es sind drei", "UPDATE: 4 taken".
    rf"\b(?:correcci[óo]n|correction|corrected|korrektur|update|actualizaci[óo]n|corregimos|corrigieron|"
    rf"we\s+correct(?:ed)?|wir\s+korrigieren)\s*:\s*(?:(?:son|fueron|eran|it['\u2019]?s|"
    rf"its|it\s+was|were|are|sind|waren|es\s+sind|es\s+waren)\s+)?(?:solo\s+|only\s+|nur\s+)?(?P<j>{NUMBER_PATTERN})\b|"
    # "raised to nine the number of workers it arrested", "elevó a nueve la cifra": a figure revised.
    rf"\b(?:raised|lowered|revised|increased|reduced|elev[óo]|baj[óo]|redujo|corrigi[óo])\s+(?:\w+\s+)?(?:to|a)\s+"
    rf"(?P<m>{NUMBER_PATTERN})\s+(?:the|la|el)\s+(?:number|count|tally|figure|cifra|n[úu]mero|total)\b|"
    # "Ein Hilfsnetzwerk kommt dagegen auf fünfzehn Festgenommene": a count someone arrived at.
    rf"\b(?:kommt|kommen|kam|kamen)\s+(?:\w+\s+){{0,2}}?auf\s+(?P<n2>{NUMBER_PATTERN})\s+"
    rf"(?=festgenommene|verhaftete|personen|menschen|(?:{_PLURAL})\b)|"
    # "confirms 3 taken", "confirmed that four were detained": a count confirmed.
    rf"\bconfirm(?:s|ed)?\s+(?:that\s+)?(?P<l>{NUMBER_PATTERN})\s+(?:(?:were|had\s+been|people\s+were)\s+)?"
    rf"(?:taken|detained|arrested)\b|"
    rf"(?P<d>{NUMBER_PATTERN})\s+(?:total|in\s+total|altogether|en\s+total|insgesamt|in\s+summe)\b|"
    # "the union counted 15", "los familiares contaron quince": a count someone made.
    # "witnesses, however, counted six", "Helfer zählten dagegen sieben", "los organizadores cuentan once".
    rf"\b(?:counted|count|counts|tallied|contaron|cont[óo]|cuentan|contabilizaron|z[äa]hlten|z[äa]hlte|z[äa]hlen|z[äa]hlt)\s+"
    rf"(?:(?:however|instead|though|only|dagegen|hingegen|jedoch|aber|allerdings|nur|sogar|selbst|en\s+cambio|solo|"
    rf"s[óo]lo|hasta)\s+)?"
    rf"(?:at\s+least\s+|al\s+menos\s+|mindestens\s+|no\s+menos\s+de\s+)?(?P<g>{NUMBER_PATTERN})\b|"
    rf"\b(?:total(?:\s+of)?|en\s+total\s+(?:son|fueron)|a\s+los(?=\s+\D)|todos\s+l[oa]s)\s+(?P<e>{NUMBER_PATTERN})\b(?!\s+(?:days?|d[ií]as|a[ñn]os|years?|weeks?|semanas|meses|months|horas|hours|de\s+la|of\s+the\s+(?:agents|officers)))|"
    # "DHS corrected that figure to 27", "korrigierten die Zahl am Dienstag auf sieben" (a figure revised).
    # "later said the number was 14", "la cifra real es de seis", "die Zahl liege bei sieben".
    rf"(?:figure|number|count|total|tally|cifra|n[úu]mero|zahl)\s+(?:(?!(?:of|de|der)\s)[\w.]+\s+){{0,3}}?"
    rf"(?:to|a|auf|was|is|es\s+de|era\s+de|fue\s+de|liegt\s+bei|liege\s+bei|lag\s+bei|sei|war)\s+"
    rf"(?P<f>{NUMBER_PATTERN})\b(?!\s*(?:days?|d[ií]as|a[ñn]os|years?|%|percent|por\s+ciento|prozent))|"
    rf"(?:but|pero|aber|sin\s+embargo|however|dagegen|jedoch|actually|in\s+fact|en\s+realidad|realmente|tats[äa]chlich|"
    rf"in\s+wahrheit|eigentlich)\b[^.!?]{{0,150}}?\b(?:it['\u2019]?s|its|it\s+was|son|eran|fueron|"
    rf"sind|waren|es\s+sind|es\s+waren|were|confirm\w*|"
    rf"best[äa]tigt\w*)\s+"
    rf"(?:only\s+|solo\s+|nur\s+)?(?P<b>{NUMBER_PATTERN})\b)",
    re.IGNORECASE,
)
# "neun Festnahmen", "12 arrests": a count of arrests is a count of people taken.
_EVENT_COUNT = re.compile(
    rf"\b(?P<n>{NUMBER_PATTERN})\s+(?:arrests|detentions|detenciones|arrestos|detenidos|festnahmen|verhaftungen)\b",
    re.IGNORECASE,
)
# "a woman with a toddler and an older man": the "with" phrase goes with the first person; two people are joined.
_JOIN = re.compile(
    r"^\s*(?:(?:with|mit|con)\s+[^,.;!?]{1,40}?\s+(?=and|und|y\b))?(?:,|,?\s*and|y|y\s+a|,\s*a|e|und|sowie|\+|&)\s*"
    r"(?:(?:his|her|their|our|my|sus|mis|ihre|seine|deren|dessen)\s+)?$|"
    # "a una madre hondureña y a su hija", "a un joven de 17 años y a su tío", "a un señor que vendía elotes y a su
    # esposa", "a man from Honduras and his brother": a modifier of the first person, then a second object.
    r"^\s*(?:[\w\u00c0-\u024f-]+|(?:el|la)\s+[\w\u00c0-\u024f-]+|(?:de|del|of|from|aus|von)\s+[^,.;:!?]{1,25}?|"
    r"(?:que|who|der|die)\s+[^,.;:!?]{1,40}?)"
    r"\s*,?\s*(?:y\s+a|e\s+a|and\s+(?=(?:his|her|their)\s)|und\s+(?=(?:sein|seine|seinen|ihr|ihre|ihren|dessen|deren)\s))\s*$|"
    r"^\s*(?:who|que|der|die)\s+[^,.;:!?]{1,50}?\s*,?\s*(?:and|y\s+a|und)\s*$",
    re.IGNORECASE,
)
_COUNT, _SINGLE, _AFTER_VERB, _NONE_TAKEN, _JOIN, _PRONOUN, _SOMEONE, _SETTLED, _EVENT_COUNT = map(
    lowered, (_COUNT, _SINGLE, _AFTER_VERB, _NONE_TAKEN, _JOIN, _PRONOUN, _SOMEONE, _SETTLED, _EVENT_COUNT)
)
_EVENT_NOUN_WORDS = (
    "arrest arrests detention raid raids detención detencion detenciones arresto arrestos redada festnahme festnahmen "
    "razzia "
    "verhaftung verhaftungen"
)
_EVENT_NOUNS = frozenset(_EVENT_NOUN_WORDS.split())
_PASSIVE = re.compile(
    r"\b(?:was|were|fue|fueron|got)\s+(?:\w+\s+){0,2}(?:detained|arrested|apprehended|taken|took|handed|held|turned\s+over|"
    r"detenid[oa]s?|arrestad[oa]s?|capturad[oa]s?|aprehendid[oa]s?|llevad[oa]s?|entregad[oa]s?|in\s+\w+\s+custody)\b|"
    r"\b(?:wurden?|wird|ist|sind|war|waren)\b[^!?]{0,200}?\b(?:festgenommen|verhaftet|abgef[üu]hrt|mitgenommen|genommen|"
    r"festgehalten)\b"
)
# Cues that move a sentence's count up or down when several sentences give one.
_CORRECTED = re.compile(
    r"\b(?:corrected|revised|updated|later\s+said|actually|in\s+fact|confirmed|confirms?|update|edit|correct|"
    r"correcci[óo]n|correction|korrektur|"
    r"calls?\s+back|called\s+back|vuelve\s+a\s+llamar|contaron\s+bien|ruft\s+(?:erneut|wieder)\s+an|"
    r"correg\w+|corrigi\w+|actualiz\w+|confirm[óo]|confirmamos|en\s+realidad|korrigiert\w*|tats[äa]chlich|"
    r"best[äa]tigt\w*)\b"
)
_CONFIRMED_ONLY = re.compile(r"confirm\w*|best[äa]tigt\w*")
# A figure corrected in so many words ("not eight but six", "no eran doce, eran quince"), or a correction label
# ("CORRECCIÓN: son 3", "Correction: it's 5"), which also tells who was let go without dismissing the count.
_CORRECTED_FIGURE = lowered(
    re.compile(
        rf"\b(?:no|not|nicht)\s+(?:(?:eran|fueron|son|were|was|are|waren|sind|es\s+waren)\s+)?(?:{NUMBER_PATTERN})\s*,?\s*"
        rf"(?:sino|but|sondern|eran|fueron|were|waren|es\s+waren)\b",
        re.IGNORECASE,
    )
)
_ONLY_COUNT = lowered(
    re.compile(
        rf"\b(?:only|just|solo|s[óo]lo|nur)\s+(?:{NUMBER_PATTERN})\s+(?:[\w-]+\s+)?(?:(?:were|was|got|had\s+been|fueron|"
        rf"wurden)\s+)?(?:taken|detained|arrested|held|detenid\w+|llevad\w+|festgenommen)\b|"
        rf"\b(?:llevaron|detuvieron|agarraron|arrestaron)\s+a\s+(?:{NUMBER_PATTERN})\s+(?:nom[áa]s|nada\s+m[áa]s|solamente)\b",
        re.IGNORECASE,
    )
)
_CORRECTION_LABEL = lowered(
    re.compile(r"\b(?:correcci[óo]n|correction|korrektur|update|actualizaci[óo]n)\s*:", re.IGNORECASE)
)
_INITIAL = re.compile(
    r"\b(?:at\s+first|initially|first\s+(?:reported|heard|said|described)|first\s+(?:alert|report|post|count|figure)s?|"
    # One's own earlier alert: "En nuestra alerta de ayer dijimos", "in our earlier post", "yesterday's alert".
    r"(?:en\s+nuestr[ao]|in\s+our|yesterday['\u2019]s|our\s+earlier|in\s+unserer)\s+(?:\w+\s+)?(?:alerta|alert|post|report|"
    r"update|aviso|mensaje|publicaci[óo]n|meldung|warnung)|"
    r"al\s+principio|en\s+un\s+principio|"
    r"inicialmente|primero\s+se\s+dijo|zun[äa]chst|erste\s+berichte|anfangs)\b"
)
_DISMISSED = re.compile(
    r"\b(?:not\s+true|false|rumou?rs?|no\s+es\s+(?:cierto|verdad)|falso|ger[üu]cht\w*|nicht\s+wahr|"
    r"(?:questioned|checked|interviewed)\s+and\s+(?:released|allowed)|released\s+at\s+the\s+scene|let\s+go|"
    r"released\s+without\s+charges|briefly\s+(?:handcuffed|detained|held)|"
    r"(?:interrogad|revisad|liberad)[oa]s\s+y\s+(?:liberad|dejad)[oa]s|befragt\s+und\s+(?:wieder\s+)?freigelassen|"
    r"weeks\s+(?:ago|after|before)|last\s+year|el\s+a[ñn]o\s+pasado|vergangenen\s+jahr\w*|"
    # Other times ("last month two people were taken outside the courthouse in Louisville"): another incident.
    r"last\s+(?:month|summer|spring|fall|winter)|el\s+mes\s+pasado|(?:letzten|vergangenen)\s+monat)\b"
)
# "HOUSTON — ", "SANTA ANA, Calif. — ", "LOS ANGELES (dpa) — ": a dateline before the first sentence's subject.
_DATELINE = re.compile("[^\\n!?]{2,45}?(?:\\s[\u2014\u2013-]{1,2}|\\)\\s?\\.?[\u2014\u2013-]{1,2})\\s+")
_CORRECTED, _INITIAL, _DISMISSED = map(lowered, (_CORRECTED, _INITIAL, _DISMISSED))
_SUBSET = lowered(
    re.compile(
        r"\b(?:including|among\s+them|among\s+those|entre\s+ell[oa]s|entre\s+los\s+que|darunter|unter\s+ihnen)\b",
        re.IGNORECASE,
    )
)
_NEAR = 120
# Bounds that keep hostile input linear: real reports have short sentences and few of them mention arrests.
_MAX_SENTENCES = 50
_MAX_SENTENCE_CHARS = 2_000

# The start of a reported clause: its subject is the person named right after ("said a dishwasher ... was taken").
_REPORTED_CLAUSE = lowered(
    re.compile(
        r"\b(?:said|says|told\s+\w+|confirm(?:s|ed)|report(?:s|ed)|that|dijo\s+que|dice\s+que|cont[óo]\s+que|"
        r"sagte,?|berichtete,?|dass|ist|wurde|wurden|sind|war|waren)\s*$",
        re.IGNORECASE,
    )
)
# A lead-in before a subject that is only a time or place ("On Monday, July 20,", "El martes,"), not a clause.
_VERBISH = re.compile(r"\b(?:said|says|was|were|is|are|had|has|dijo|fue|sagte|wurde|ist)\b")
# After a count: how agents are described ("drei Männer in Westen", "two men in plain clothes", "con chalecos").
_AGENT_AFTER = lowered(
    re.compile(
        r"\s+(?:in\s+(?:westen|uniform\w*|zivil|plain\s+clothes|vests|tactical)|mit\s+(?:westen|der\s+aufschrift)|"
        r"con\s+chalecos|vestidos\s+de\s+civil|de\s+civil|wearing)\b",
        re.IGNORECASE,
    )
)
# "A father waiting with his two young daughters ... was arrested": people with the one taken, not taken.
# "delante de sus tres hijos", "in front of her two kids": onlookers. "una van con 4 muchachos": a vehicle's people.
_WITH_BEFORE = lowered(
    re.compile(
        r"\b(?:with|con|mit|delante\s+de|frente\s+a|in\s+front\s+of|vor\s+den\s+augen)\s+"
        r"(?:(?:his|her|their|sus?|seinen|seiner|ihren|ihrer)\s+)?$|"
        # "während seine beiden Kinder auf den Bus warteten", "while her two sons watched": there, not taken.
        r"\b(?:w[äa]hrend|while|as|mientras)\s+(?:(?:his|her|their|sus?|seine|ihre)\s+)$",
        re.IGNORECASE,
    )
)
_VEHICLE_WITH = lowered(
    re.compile(
        r"\b(?:vans?|cars?|trucks?|suvs?|pickups?|camionetas?|carros?|trocas?|autos?|bus|buses|wagen|fahrzeug\w*|"
        r"transporter)\s+(?:with|con|mit)\s+\S*\s*$",
        re.IGNORECASE,
    )
)


# "a mother of three children", "una madre de tres hijos", "ein Vater von drei Kindern": the count describes a person.
_DESCRIBES_PERSON = lowered(
    re.compile(
        r"\b(?:mother|father|mom|dad|parent|grandmother|grandfather|madre|padre|mam[áa]|pap[áa]|abuel[oa]|mutter|vater|"
        r"gro[ßs]mutter|gro[ßs]vater)\s+(?:of|de|von)\s+$",
        re.IGNORECASE,
    )
)


def _companions(text: str, start: int, end: int) -> bool:
    return (
        _WITH_BEFORE.search(text, start, end) is not None
        and _VEHICLE_WITH.search(text, start, end) is None
        and _ALONG_WITH.search(text, start, end) is None
    )


_OBJECT_PRONOUN = lowered(re.compile(r"\ba\s+(?:[ée]l|ella)\b(?=\s*(?:,\s*a\s|y\s+a\s))", re.IGNORECASE))
_OTHERS = lowered(
    re.compile(
        rf"\b(?:otr[oa]s|other|weitere)\s+(?P<n>{NUMBER_PATTERN})\b(?!\s+(?:veces|times|d[ií]as|days|mal|a[ñn]os|years))",
        re.IGNORECASE,
    )
)
_SELF_CORRECTION = lowered(
    re.compile(
        r",\s*(?:bueno|digo|o\s+sea|mejor\s+dicho|perd[óo]n|no\s+wait|wait\s+no|i\s+mean|ich\s+meine|"
        r"besser\s+gesagt)\s*,",
        re.IGNORECASE,
    )
)
_NUMBER_AFTER = lowered(
    re.compile(rf"\s*(?:a\s+|only\s+|nur\s+|solo\s+)?(?P<n>{NUMBER_PATTERN})\b", re.IGNORECASE)
)
_DE_AUXILIARY = re.compile(r"\b(?:hat|haben|hatte|hatten)\b")
_DE_PARTICIPLE = re.compile(
    r"\b(?:festgenommen|verhaftet|[üu]bergeben|abgef[üu]hrt|mitgenommen|abgeholt|aufgegriffen|festgehalten)\b"
)
_Item = tuple[int, int, int, int, bool]  # start, end, value, distance to a verb, qualified


def find_people_taken(
    text: str,
    sentences: Sentences,
    claims: frozenset[int] = frozenset(),
    original: str | None = None,
    seen: list[Candidate] | None = None,
) -> Proposal | None:
    """How many people were taken: counts next to person nouns in a sentence about detention.

    ``text`` is the same_length_lower() text (``original``, when given, the text as written, where people named by
    name are found); ``claims`` the starts of sentences attributed to officials. When
    several sentences give a count, a correction beats a first report, a first-hand count beats an official one,
    and a count called a rumour, or of people released on the spot, loses. ``seen``, when given, receives every
    count weighed, with its score and cues, for the learned scorer (``learned.py``).
    """
    best: tuple[float, int, Proposal] | None = None
    for sent_start, sent_end, apposition in _event_sentences(text, sentences)[:_MAX_SENTENCES]:
        sent_end = min(sent_end, sent_start + _MAX_SENTENCE_CHARS)
        counted = _sentence_count(text, sent_start, sent_end, apposition, original)
        if counted is None:
            continue
        chosen, nouns = counted
        start, end = chosen[0][0], chosen[-1][1]
        total = sum(item[2] for item in chosen)
        # "a teenage neighbor ... was also taken", "se llevaron también a una señora": people added to a count
        # an earlier sentence gave, not a competing count.
        added = (
            best is not None and nouns and sent_start not in claims and _additive(text, sent_start, sent_end)
        )
        qualified = chosen[0][4]
        reason = "count of people near a detention verb" + (" (a lower bound)" if qualified else "")
        if len(chosen) > 1:
            reason += f"; {len(chosen)} groups added"
        score = 1.0
        if sent_start in claims:
            score -= 0.3
            reason += "; as officials gave it"
        corrected = (
            _CORRECTED.search(text, sent_start, sent_end)
            or _CORRECTED_FIGURE.search(text, sent_start, sent_end)
            or _ONLY_COUNT.search(text, sent_start, sent_end)
        )
        if corrected and not (sent_start in claims and _CONFIRMED_ONLY.fullmatch(corrected[0])):
            # An official confirming a figure gives the official figure; revising it is a correction.
            score += 0.4
            reason += "; a corrected or confirmed count"
        if _FIRST_HAND.search(text, sent_start, sent_end):
            score += 0.2
            reason += "; counted by people on the scene"
        if _INITIAL.search(text, sent_start, sent_end):
            score -= 0.5
        if _DISMISSED.search(text, sent_start, sent_end) and not (
            # "CORRECCIÓN: son 3, al cuarto lo soltaron", "only two men were taken; the third was let go": the
            # people let go are the others, not this count.
            _CORRECTION_LABEL.search(text, sent_start, sent_end)
            or _ONLY_COUNT.search(text, sent_start, sent_end)
        ):
            score -= 0.6
        proposal = Proposal(total, (start, end), text[start:end], 0.7 if qualified else 0.8, reason)
        if added and best is not None:
            earlier = best[2]
            total += best[1]
            proposal = Proposal(
                total,
                earlier.span,
                earlier.text,
                0.7,
                f"{earlier.value} plus {total - best[1]} taken as well, in a later sentence",
                (*(earlier.parts or (earlier,)), proposal),
            )
            score = max(score, best[0])
        if seen is not None:
            cues = (
                float(sent_start in claims),
                float(corrected is not None),
                float(_FIRST_HAND.search(text, sent_start, sent_end) is not None),
                float(_INITIAL.search(text, sent_start, sent_end) is not None),
                float(_DISMISSED.search(text, sent_start, sent_end) is not None),
                float(bool(added)),
                float(qualified),
            )
            seen.append((score, proposal, cues))
        if best is None or (score, total) > (best[0], best[1]):
            best = (score, total, proposal)
    none = next((m for m in _NONE_TAKEN.finditer(text) if not _scoped_none(text, sentences, m.start())), None)
    if seen is not None and none is not None:
        seen.append((1.05, Proposal(0, none.span(), none[0], 0.8, "text says no one was taken"), (0.0,) * 7))
    if none is not None and (best is None or best[0] < 1.05):
        return Proposal(0, none.span(), none[0], 0.8, "text says no one was taken")
    return best[2] if best is not None else None


_ADDITIVE = lowered(
    re.compile(
        rf"\b(?:also|too|as\s+well|tambi[ée]n|adem[áa]s|auch|ebenfalls|zus[äa]tzlich|(?:{NUMBER_PATTERN})\s+more|"
        rf"otr[oa]\s+m[áa]s|one\s+more|noch\s+(?:einen?|eine)|ein(?:e|en)?\s+weitere[rn]?|"
        rf"otr[oa]s\s+(?:{NUMBER_PATTERN})|weitere\s+(?:{NUMBER_PATTERN}))\b",
        re.IGNORECASE,
    )
)


_ADDITIVE_START = lowered(
    re.compile(
        r"\s*(?:otr[oa]\s+m[áa]s|one\s+more|ein(?:e|en)?\s+weitere[rn]?|noch\s+(?:ein|eine|einen))\b",
        re.IGNORECASE,
    )
)


def _additive(text: str, sent_start: int, sent_end: int) -> bool:
    """True when a detention verb of the sentence has "also" / "también" / "auch" right next to it."""
    if _ADDITIVE_START.match(text, sent_start):
        return True  # "Ein weiterer wurde später am Bahnhof festgenommen": the verb comes last
    for m in TAKEN.finditer(text, sent_start, sent_end):
        if m[0] in _EVENT_NOUNS:
            continue  # "which also included arrests in Lexington": other arrests, not more people here
        if _ADDITIVE.search(text, max(sent_start, m.start() - 25), min(sent_end, m.end() + 25)):
            return True
    return False


# "Troopers ... made no arrests", "police said they made no arrests": that agency took nobody; others may have.
_SCOPED_SUBJECT = lowered(
    re.compile(
        r"\b(?:they|police|officers|troopers|deputies|patrol|sheriff\w*|department|its|their|agents\s+from|"
        r"polic[ií]a|agentes|alguacil|polizei|beamte\w*|sie)\b[^.!?]{0,60}$",
        re.IGNORECASE,
    )
)


def _scoped_none(text: str, sentences: Sentences, at: int) -> bool:
    if not text.startswith("made no arrests", at) and not text.startswith("no arrests were made by", at):
        return False
    return _SCOPED_SUBJECT.search(text, sentences.bounds(at)[0], at) is not None


# "took an entire family ...: a mother, her husband and their daughter": the list after the colon is who was taken.
_FAMILY_LIST = lowered(re.compile(r"\bfamil\w*\b[^.!?]{0,80}?(?::|\s[\u2014\u2013-]\s)", re.IGNORECASE))
# "took the whole family: mom, dad and their three kids", "toda la familia: la mamá, el papá y sus dos hijos", "die
# ganze Familie mit: Vater, Mutter und zwei Kinder": a family taken whole, its members listed, often without articles.
_KIN_BARE = (
    r"mom|mum|dad|mother|father|mama|papa|mam[áa]|pap[áa]|madre|padre|wife|husband|esposa|esposo|grandma|grandpa|"
    r"grandmother|grandfather|abuela|abuelo|vater|mutter|oma|opa|son|daughter|hijo|hija|sohn|tochter|baby|beb[ée]"
)
_KIN_GROUP = (
    rf"(?:(?:the|la|el|los|las|der|die|das|his|her|their|sus?|seine?n?|ihre?n?)\s+)?"
    rf"(?:(?:{NUMBER_PATTERN})\s+(?:[\w-]+\s+)?(?:kids|children|sons|daughters|hijos|hijas|ni[ñn]os|kinder|s[öo]hne|t[öo]chter)|"
    rf"(?:{_KIN_BARE}))"
)
_WHOLE_FAMILY = lowered(
    re.compile(
        rf"\b(?:(?:the|an?)\s+(?:whole|entire)\s+family|toda\s+la\s+familia|la\s+familia\s+(?:entera|completa)|"
        rf"(?:die|eine)\s+ganze\s+familie)\b[^.!?:]{{0,60}}?(?::|,|\s[\u2014\u2013-]\s)\s*"
        rf"(?P<list>{_KIN_GROUP}(?:(?:\s*,\s*|\s+(?:and|y|e|und)\s+|\s+){_KIN_GROUP}){{1,7}})\b",
        re.IGNORECASE,
    )
)
_KIN_ITEM = lowered(
    re.compile(
        rf"(?:(?P<n>{NUMBER_PATTERN})\s+(?:[\w-]+\s+)?)?\b(?:{_KIN_BARE}|kids|children|sons|daughters|hijos|hijas|ni[ñn]os|kinder|s[öo]hne|t[öo]chter)\b",
        re.IGNORECASE,
    )
)
# Two people in one noun: "a couple", "ein Ehepaar", "una pareja"; "four of them", "cuatro de ellos".
_DUAL = lowered(
    re.compile(
        r"\b(?:(?:a|the)\s+(?:married\s+|elderly\s+|young\s+)?couple(?!\s+of|['\u2019]s)|(?:ein|das|dieses|ein\s+\w+es)\s+(?:ehe)?paar|"
        r"(?:una|la)\s+pareja|(?:un|el)\s+matrimonio)\b",
        re.IGNORECASE,
    )
)
# "a husband and wife", "un padre e hijo", "Vater und Sohn": two people, the second without an article.
_AGE_NOUN = re.compile(r"\d+-(?:j[äa]hrige[rn]?|year-old)")
_NOUN_AFTER = lowered(re.compile(rf"\s+(?:{_SINGULAR})\b", re.IGNORECASE))
# A name as the object of a detention verb ("detuvieron el martes a Juan", "arrested Maria Lopez", "a don Ramiro"),
# or joined by "and / y a / und" to a person counted (only counted when joined).
_NAME = r"(?P<name>[A-ZÁÉÍÓÚÑ][a-záéíóúñäöüß]+(?:\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñäöüß]+){0,2})\b(?![\w'\u2019-])"
_NAMED_OBJECT = re.compile(
    r"(?i:\b(?:(?:detuvieron|arrestaron|llevaron|agarraron|esposaron|subieron|detuvo|arrest[óo]|llev[óo]|agarr[óo])"
    r"\s+(?:(?:el|este|esta)\s+\w+\s+|ayer\s+|hoy\s+|tambi[ée]n\s+)?al?|don|do[ñn]a|arrested|detained|took|grabbed|"
    r"handcuffed))\s+(?:(?i:don|do[ñn]a)\s+)?" + _NAME
)
_NAMED_JOINED = re.compile(r"(?i:\b(?:and|y\s+a|,\s*a|und|y|e))\s+" + _NAME)
_NOT_NAME_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar "
    "märz mai juni juli oktober dezember enero febrero marzo abril mayo junio julio agosto septiembre octubre "
    "noviembre diciembre lunes martes miércoles jueves viernes sábado domingo méxico mexico guatemala honduras "
    "salvador venezuela colombia cuba haití haiti nicaragua ecuador perú peru brasil brazil china india estados "
    "unidos border patrol homeland security immigration customs police sheriff federal department migra dios god "
    "highway interstate route street avenue road calle avenida the la el los las ein eine der die das agents agentes "
    "officers beamte polizei policía ice control aduanas inmigración seguridad nacional home depot"
)
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


def _is_person_name(name: str) -> bool:
    from amparo.extract.places import is_city

    words = name.lower().split()
    if any(w in _NOT_NAMES for w in words) or is_city(name):
        return False
    low = name.lower()
    return not (_SINGULAR_FULL.fullmatch(low) or _PLURAL_FULL.fullmatch(low) or low.endswith(("ans", "ese")))


_SINGULAR_FULL = re.compile(rf"(?:{_SINGULAR})")
_PLURAL_FULL = re.compile(rf"(?:{_PLURAL})")
# Found from the conjunction out (the noun list is long): the noun before it, then the noun after it.
_PAIR_AND = re.compile(r"\s(?:and|y|e|und)\s+")
_PAIR_HEAD = lowered(re.compile(rf"\b(?:(?:{_DETERMINER})\s+)?(?:{_SINGULAR})$", re.IGNORECASE))
_PAIR_TAIL = lowered(re.compile(rf"(?:{_SINGULAR})\b(?!\s+(?:of|de|des|der)\s)", re.IGNORECASE))


def _pairs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for conj in _PAIR_AND.finditer(text, start, end):
        tail = _PAIR_TAIL.match(text, conj.end(), end)
        if tail is None:
            continue
        head = _PAIR_HEAD.search(text, max(start, conj.start() - 45), conj.start())
        if head is not None:
            out.append((head.start(), tail.end()))
    return out


# "Relatives later said five had been taken", "Witnesses said it was six", "Zeugen sprechen von acht",
# "bestätigten Angehörige fünf": a count given by people on the scene (the rules prefer it to an official one).
_FIRST_HAND_SOURCE = (
    r"witness(?:es)?|relatives|neighbou?rs|famil(?:y|ies)|organi[sz]ers|advocates|volunteers?|observers|co-?workers|"
    r"(?:the\s+)?union|sindicato|gewerkschaft\w*|union\s+(?:stewards|representatives|reps)|"
    r"testigos?|familiares|vecin[oa]s|organizador[ae]s|activistas|voluntari[oa]s?|observador[ae]s|compa[ñn]eros|"
    r"zeugen|augenzeugen|angeh[öo]rige\w*|nachbarn|helfer\w*|beobachter\w*|aktivist\w*|organisator\w*|kollegen|"
    r"(?:people|those)\s+who\s+(?:were\s+there|saw\s+it)|(?:los|las)\s+que\s+estaban\s+(?:ah[íi]|all[íi])|"
    r"die\s+dabei\s+waren"
)
_FIRST_HAND_VERB = (
    r"said|say|says|told|reported|confirmed|confirms|reports|put\s+the\s+(?:number|figure|count)\s+at|"
    r"dijeron|dicen|dice|aseguran|aseguraron|asegura|afirman|afirmaron|afirma|confirmaron|confirma|confirman|cifr[óo]\s+en|"
    r"sagt|berichtet|best[äa]tigt|bezifferte\w*|"
    r"reportaron|hablan\s+de|hablaron\s+de|sagten|sagen|sprechen\s+von|sprachen\s+von|berichten\s+von|"
    r"berichteten\s+von|best[äa]tigten|best[äa]tigen"
)
_FIRST_HAND = lowered(
    re.compile(
        rf"\b(?:(?:{_FIRST_HAND_SOURCE})\b(?:[^.;!?]{{0,60}}?|\s+(?:who|que|quienes|die|der)\b[^.;!?]{{0,100}}?)\b(?:{_FIRST_HAND_VERB})|"
        rf"(?:best[äa]tigten|sprachen\s+von|sprechen\s+von|berichteten\s+von)\s+(?:\w+\s+){{0,2}}?(?:{_FIRST_HAND_SOURCE})|"
        # "Nach Angaben von Helfern vor Ort waren es sechs", "según los vecinos fueron siete".
        rf"(?:nach\s+angaben\s+von|laut|seg[úu]n|according\s+to)\s+(?:\w+\s+){{0,2}}?(?:{_FIRST_HAND_SOURCE}))\b"
        rf"(?:[^.;!?\d]{{0,50}}?)\b(?P<n>{NUMBER_PATTERN})\b"
        rf"(?=\s*(?:[,.;:!?]|$|(?:and|but|y|pero|und|aber)\s(?!(?:\S+\s+){{0,2}}?(?:years?|a[ñn]os|jahre\w*|days?|d[ií]as|tage\w*|hours?|horas|"
        rf"stunden|months?|meses|monate\w*|weeks?|semanas|wochen)\b)|(?:had|have)\s+been\s+(?:taken|detained|arrested)|were\s+(?:taken|detained|arrested)|"
        rf"fueron\s+(?:detenid|arrestad|llevad)|wurden\s+festgenommen|seien\s+festgenommen|people|personas|personen|"
        rf"festgenommene\w*|detenid[oa]s|detainees|(?:{_PLURAL})\b))",
        re.IGNORECASE,
    )
)
_OF_THEM = lowered(
    re.compile(rf"\b(?P<n>{NUMBER_PATTERN})\s+(?:of\s+them|de\s+ell[oa]s|von\s+ihnen)\b", re.IGNORECASE)
)


def _sentence_count(
    text: str, sent_start: int, sent_end: int, apposition: bool = False, original: str | None = None
) -> tuple[list[_Item], bool] | None:
    """The group of people closest to a detention verb in one sentence (and whether it names people), or None.

    ``apposition``: the sentence lists a family taken in the sentence before ("The family — a mother, a father
    and their two sons"); its start stands for the verb.
    """
    hits = list(TAKEN.finditer(text, sent_start, sent_end))
    verbs = [m.span() for m in hits]
    if apposition:
        verbs.append((sent_start, sent_start))
    if hits or apposition:
        verbs += [(m.end(), m.end()) for m in _FAMILY_LIST.finditer(text, sent_start, sent_end)]
    # "A woman who recorded the arrest": a single person needs a verb, not the noun, next to it.
    true_verbs = [m.span() for m in hits if m[0] not in _EVENT_NOUNS] + verbs[len(hits) :]
    dateline = _DATELINE.match(text, sent_start, min(sent_end, sent_start + 60))
    subject_start = dateline.end() if dateline and sent_start == 0 else sent_start
    found: list[_Item] = []
    far: list[_Item] = []
    for m in _COUNT.finditer(text, sent_start, sent_end):
        value, distance = number_value(m["n"]), _distance(m.start(), m.end(), verbs)
        if (
            value is not None
            and not _is_agent(text, m.end(), hits)
            and not _AGENT_AFTER.match(text, m.end())
            and not _companions(text, max(sent_start, m.start() - 40), m.start())
            and not _DESCRIBES_PERSON.search(text, max(sent_start, m.start() - 30), m.start())
        ):
            item = (m.start(), m.end(), value, distance, m["q"] is not None)
            (found if distance <= _NEAR else far).append(item)
    for p_start, p_end in _pairs(text, sent_start, sent_end):
        distance = _distance(p_start, p_end, true_verbs)
        if not any(s < p_end and p_start < e for s, e, *_ in found):
            (found if distance <= 40 else far).append((p_start, p_end, 2, distance, False))
    # People named by name: "a Juan y a María", "arrested Maria Lopez and her son", "a don Ramiro".
    if original is not None:
        for pattern in (_NAMED_OBJECT, _NAMED_JOINED):
            for m in pattern.finditer(original, sent_start, sent_end):
                start, end = m.span("name")
                if not _is_person_name(m["name"]) or any(s < end and start < e for s, e, *_ in found + far):
                    continue
                distance = _distance(start, end, true_verbs) if pattern is _NAMED_OBJECT else 1 << 20
                (found if distance <= 40 else far).append((start, end, 1, distance, False))
    for m in _SINGLE.finditer(text, sent_start, sent_end):
        distance = _distance(m.start(), m.end(), true_verbs)
        # "A mother who came to family court ... was detained": the sentence's subject, a passive verb later.
        lead = text[subject_start : m.start()]
        at_start = (
            len(lead) <= 3
            or (len(lead) <= 60 and lead.rstrip().endswith(",") and not _VERBISH.search(lead))
            or _REPORTED_CLAUSE.search(lead) is not None  # "A second witness said a cook ... was also taken"
        )
        # German puts the auxiliary before the subject: "In Florida ist ein Vater ... festgenommen worden".
        subject = (
            at_start and distance <= 200 and _PASSIVE.search(text, max(sent_start, m.start() - 8), sent_end)
        ) or (
            # German perfect, the participle last: "hat das Sheriffbüro ... einen Mann ... an ICE übergeben".
            m["n"] in ("einen", "eine", "ein")
            and _DE_AUXILIARY.search(text, sent_start, m.start()) is not None
            and _DE_PARTICIPLE.search(text, m.end(), min(sent_end, m.end() + 200)) is not None
        )
        if any(s <= m.start() < e for s, e, *_ in found + far):
            continue
        end = m.end()
        if _AGE_NOUN.fullmatch(m["noun"]) and (noun := _NOUN_AFTER.match(text, end, sent_end)):
            end = noun.end()  # "ein 34-jähriger Mann": the age, then the noun, is one person
        if distance <= 40 or subject:
            found.append((m.start(), end, 1, distance, False))
        else:
            far.append((m.start(), end, 1, distance, False))
    for m in _DUAL.finditer(text, sent_start, sent_end):
        distance = _distance(m.start(), m.end(), true_verbs)
        if not any(s < m.end() and m.start() < e for s, e, *_ in found):
            (found if distance <= 40 else far).append((m.start(), m.end(), 2, distance, False))
    for m in _OF_THEM.finditer(text, sent_start, sent_end):
        value = number_value(m["n"])
        if value and _distance(m.start(), m.end(), verbs) <= 40 and not any(f[0] < m.start() for f in found):
            found.append((m.start(), m.end(), value, _distance(m.start(), m.end(), verbs), False))
    # "a él, a su esposa y a sus dos hijos", "a mi compa y a otros dos": an object pronoun or "others" in a list.
    objects: list[int] = []
    for pattern, fixed in ((_OBJECT_PRONOUN, 1), (_OTHERS, 0)):
        for m in pattern.finditer(text, sent_start, sent_end):
            value = fixed or number_value(m["n"])
            if not value or any(s < m.end() and m.start() < e for s, e, *_ in found + far):
                continue
            distance = _distance(m.start(), m.end(), true_verbs)
            (found if distance <= 40 else far).append((m.start(), m.end(), value, distance, False))
            if pattern is _OBJECT_PRONOUN:
                objects.append(m.start())
    # "a mother, a father and their two sons": a person joined to one counted is counted too, however far the verb.
    for _ in range(6):
        joined = [
            c
            for c in far
            if any(
                (f[1] <= c[0] and _JOIN.match(text[f[1] : c[0]]))
                or (c[1] <= f[0] and _JOIN.match(text[c[1] : f[0]]))
                for f in found
            )
        ]
        if not joined:
            break
        found.extend((c[0], c[1], c[2], min(f[3] for f in found), c[4]) for c in joined)
        far = [c for c in far if c not in joined]
    pronouns: set[int] = set()
    for pattern in (_PRONOUN, _SOMEONE):
        for m in pattern.finditer(text, sent_start, sent_end):
            distance = 0 if pattern is _PRONOUN else _distance(m.start(), m.end(), true_verbs)
            if any(0 <= o - m.end() <= 3 for o in objects):
                continue  # "se lo llevaron, a él y a otro": the clitic and "a él" are one person
            if distance <= 40 and not any(s < m.end() and m.start() < e for s, e, *_ in found):
                found.append((m.start(), m.end(), 1, distance + 30, False))
                if pattern is _SOMEONE or not (m["es5"] or m["en4"] or m["de5"]):
                    pronouns.add(m.start())
    # "..., junto con su primo": taken together with the people counted, however far the verb.
    if found:
        along_far = [c for c in far if _ALONG_WITH.search(text, max(sent_start, c[0] - 30), c[0])]
        found.extend((c[0], c[1], c[2], min(f[3] for f in found) + 1, c[4]) for c in along_far)
    for m in _EVENT_COUNT.finditer(text, sent_start, sent_end):
        value = number_value(m["n"])
        if value is not None and not any(s <= m.start() < e for s, e, *_ in found):
            found.append((m.start(), m.end(), value, 5, False))
    for m in _SETTLED.finditer(text, sent_start, sent_end):
        name = next(
            k for k in ("a", "c", "d", "e", "f", "g", "h", "i", "b", "k", "j", "l", "m", "n2") if m[k]
        )
        if name == "g" and not _BARE_COUNT_END.match(text, m.end("g")):
            continue  # "witnesses counted 3 vans": not people
        value = number_value(m[name])
        if value is not None and 0 < value < 1000:
            return [(m.start(name), m.end(name), value, 0, False)], False  # a total: nothing to add to it
    for m in _FIRST_HAND.finditer(text, sent_start, sent_end):
        value = number_value(m["n"])
        if value is not None and 0 < value < 1000:
            return [(m.start("n"), m.end("n"), value, 0, False)], False
    for m in _WHOLE_FAMILY.finditer(text, sent_start, sent_end):
        members = 0
        for kin in _KIN_ITEM.finditer(text, m.start("list"), m.end("list")):
            members += (number_value(kin["n"]) or 0) if kin["n"] else 1
        if 2 <= members < 30:
            return [(m.start("list"), m.end("list"), members, 0, False)], True
    for m in _AFTER_VERB.finditer(text, sent_start, sent_end):
        value = number_value(m["n"])
        if value is not None and not any(s <= m.start("n") < e for s, e, *_ in found):
            start = m.start("q") if m["q"] else m.start("n")
            found.append((start, m.end("n"), value, 0, m["q"] is not None))
    # "se llevaron a tres, bueno, a dos": a count corrected inside the sentence; what follows the correction wins.
    fix = _SELF_CORRECTION.search(text, sent_start, sent_end)
    if fix is not None and any(item[1] <= fix.start() for item in found):
        after = _NUMBER_AFTER.match(text, fix.end())
        value = number_value(after["n"]) if after is not None else None
        if after is not None and value:
            found = [(after.start("n"), after.end("n"), value, 0, False)]
    subset = _SUBSET.search(text, sent_start, sent_end)
    if subset is not None and any(item[0] < subset.start() for item in found):
        found = [
            item for item in found if item[0] < subset.start()
        ]  # "siete personas, entre ellas dos madres"
    if not found:
        return None
    found.sort()
    groups: list[list[_Item]] = []
    for item in found:
        if groups and groups[-1][-1][0] in pronouns and item[0] in pronouns:
            continue  # "lo arrestaron y lo llevaron": two pronouns, one person
        if groups and _JOIN.match(text[groups[-1][-1][1] : item[0]]):
            groups[-1].append(item)
        else:
            groups.append([item])
    # "Der Beifahrer, ein Cousin des Toten": joined by commas only, it is one person named twice, not a list.
    split: list[list[_Item]] = []
    for group in groups:
        joins = [text[a[1] : b[0]] for a, b in itertools.pairwise(group)]
        if joins and all(join.strip() == "," for join in joins):
            split.extend([item] for item in group)
        else:
            split.append(group)
    groups = split
    chosen = min(groups, key=lambda g: (min(item[3] for item in g), g[0][0]))
    # "lo detuvieron en un campo ..., junto con su primo", "detained along with his two brothers": taken together.
    along = [
        group[0]
        for group in groups
        if group is not chosen
        and group[0][0] > chosen[-1][1]
        and _ALONG_WITH.search(text, max(sent_start, group[0][0] - 30), group[0][0])
    ]
    if along:
        chosen = chosen + along[:3]
    return chosen, any(item[0] not in pronouns for item in chosen)


_ALONG_WITH = lowered(
    re.compile(
        r"\b(?:junto\s+(?:con|a)|along\s+with|together\s+with|zusammen\s+mit|samt|gemeinsam\s+mit)\s+"
        r"(?:(?:his|her|their|sus?|seine\w*|ihre\w*|dessen|deren)\s+)?$",
        re.IGNORECASE,
    )
)
_ACTIVE_EN = frozenset(
    [
        "arrested",
        "detained",
        "took",
        "grabbed",
        "handcuffed",
        "handcuffs",
        "cuffed",
        "snatched",
        "seized",
        "apprehended",
    ]
)
_AUXILIARY = re.compile(
    r"\b(?:were|was|been|are|is|fueron|fue|son|wurden|wurde|sind|ist|(?:got|get)\s+(?:taken|took|arrested|detained|"
    r"picked|grabbed|snatched))\b"
)


# After a verb used as a participle ("16 workers detained; ...", "three men arrested on Tuesday"): punctuation or a
# preposition, not an object.
_PARTICIPLE_AFTER = re.compile(
    r"\s*(?:[;,.:!?)\u2014\u2013-]|$)|\s+(?:on|at|in|by|after|during|from|near|outside|inside|and|or|but|since|"
    r"early|late|yesterday|today|overnight|last|this|when|while|as|so|for|were|was|is|are|had|have|there|here)\b"
)


_SUBJECT_BETWEEN = re.compile(r"\b(?:they|he|she|we|agents|officers|ice|police|deputies)\b")


def _is_agent(text: str, end: int, hits: list[re.Match[str]]) -> bool:
    """True for "two men in plain clothes approached ... and put her in handcuffs": the count is who arrested.

    Only English word order is judged: a count before an active English detention verb with no auxiliary between.
    """
    if any(m.start() < end for m in hits):
        return False
    following = next((m for m in hits if m.start() >= end), None)
    if following is None or following[0].split()[0] not in _ACTIVE_EN:
        return False
    # "16 workers detained; early reports said 25": a participle after the count (no object follows), not agents.
    if _PARTICIPLE_AFTER.match(text, following.end()):
        return False
    # "2 other guys they took": the count is the object of a relative clause with its own subject.
    if _SUBJECT_BETWEEN.search(text, end, following.start()):
        return False
    return _AUXILIARY.search(text, end, following.start()) is None


def _distance(start: int, end: int, verbs: list[tuple[int, int]]) -> int:
    """Characters between a phrase and the nearest detention verb (0 when they overlap)."""
    best = 1 << 30
    for vs, ve in verbs:
        if vs >= end:
            best = min(best, vs - end)
        elif ve <= start:
            best = min(best, start - ve)
        else:
            return 0
    return best


# After a bare count that disputes another ("aseguran que fueron diecisiete, entre ellos ..."): the count ends there.
_BARE_COUNT_END = lowered(
    re.compile(
        rf"\s*(?:[,.;:!?]|$|entre|among|including|darunter|in\s+total|en\s+total|insgesamt|people|personas|personen|"
        rf"festgenommene\w*|detenid[oa]s|detainees|arrest(?:ed|s)|(?:{_PLURAL})\b)",
        re.IGNORECASE,
    )
)
# The words every disputed or corrected figure sentence has; _SETTLED (slow) runs only on their sentences.
_DISPUTE_HINT = re.compile(
    r"\b(?:figure|number|count|counted|total|tally|tallied|en\s+total|cifra|n[úu]mero|zahl|but|pero|aber|embargo|however|dagegen|"
    r"jedoch|contaron|cont[óo]|cuentan|z[äa]hlten|z[äa]hlte|z[äa]hlen|actually|fact|realidad|realmente|tats[äa]chlich|"
    rf"wahrheit|eigentlich|correcci[óo]n|correction|korrektur|corregimos|corrigieron|kommt|kommen)\b|,\s+(?:not|no|nicht)\s+(?:{NUMBER_PATTERN})\b|"
    rf"\b(?:no|not|nicht)\s+(?:eran|fueron|son|were|waren|sind)\s+(?:{NUMBER_PATTERN})\b"
)
_FAMILY_START = lowered(re.compile(r"\s*(?:the|this|la|esta|die|diese)\s+famil", re.IGNORECASE))


def _event_sentences(text: str, sentences: Sentences) -> list[tuple[int, int, bool]]:
    """Sentences with a detention word, and a sentence right after one that begins "The family" (an apposition).

    Also a sentence that corrects or disputes a figure without an arrest word ("DHS corrected that figure to 27";
    "Sin embargo, ... aseguran que fueron diecisiete").
    """
    out: list[tuple[int, int, bool]] = []
    hinted: list[tuple[int, int]] = []
    for hint in itertools.islice(_DISPUTE_HINT.finditer(text), 40):
        bounds = sentences.bounds(hint.start())
        if not hinted or hinted[-1] != bounds:
            hinted.append(bounds)
    for start, end in hinted:
        if end - start > _MAX_SENTENCE_CHARS:
            continue
        for m in _SETTLED.finditer(text, start, end):
            bare = m["g"] or m["b"]
            if (
                m["f"]
                or m["d"]
                or m["i"]
                or m["k"]
                or m["j"]
                or m["m"]
                or m["n2"]
                or (bare and _BARE_COUNT_END.match(text, m.end("g" if m["g"] else "b")))
            ):
                out.append((start, end, False))
                break
    for m in itertools.islice(_FIRST_HAND.finditer(text), 10):
        out.append((*sentences.bounds(m.start()), False))
    for m in TAKEN.finditer(text):
        start, end = sentences.bounds(m.start())
        if not out or out[-1][:2] != (start, end):
            out.append((start, end, False))
            after = sentences.bounds(end) if end < len(text) else (end, end)
            if (
                after[0] >= end
                and after[1] > after[0]
                and _FAMILY_START.match(text, after[0])
                and not TAKEN.search(text, *after)
            ):
                out.append((*after, True))
            if len(out) > _MAX_SENTENCES:
                break
    return sorted(set(out))


FORCE = re.compile(
    r"\b(?:(?<!task\s)(?<!air\s)force[ds]?|forcibly|forcefully|tackl\w+|shov\w+|push(?:ed|ing)|slamm\w+|pinned|"
    r"punch\w+|kick(?:ed|ing)|beat(?:en|ing)|chok\w+|pepper[- ]spray\w*|tear\s+gas|pepper\s+balls?|rubber\s+bullets?|"
    r"tasers?|tased|stun\s+guns?|batons?|guns?|firearms?|rifles?|pistols?|weapons?|gunpoint|"
    r"broke\s+(?:[\w'\u2019-]+\s+){0,3}(?:window|door)|smash\w*|shots|fired\s+(?:at|shots|rounds)|injur\w+|"
    r"bleeding|bloodied|pinn(?:ed|ing)|sangr(?:aba|ando|[óo]|e|aron)|"
    r"la\s+fuerza|fuerza|violencia|violentamente|empuj\w+|golpe\w*|tiraron\s+al\s+suelo|derribaron|armas?|"
    r"pistolas?|rifles?|gas\s+pimienta|gas\s+lacrim[óo]geno|balas\s+de\s+goma|rompieron|quebraron|herid[oa]s?|"
    r"gewalt\w*|waffen?|pistolen?|gewehre?n?|pfefferspray|tr[äa]nengas|schlagst[öo]ck\w*|zu\s+boden|stie[ßs]en|"
    r"geschubst|schubsten|schlugen|geschlagen|zerschlugen|eingeschlagen|verletzt\w*|gummigeschoss\w*|"
    r"to\s+the\s+ground|knock(?:ed|ing)\s+(?:\w+\s+){0,3}(?:down|to)|thr(?:ew|own)\s+(?:[\w-]+\s+){0,3}(?:on|onto|to|into|against)|"
    # Force told by what it did to a door or a lock: "tearing the screen door off its hinges", "das Schloss war
    # herausgebrochen", "mit einem Rammbock", "forzaron la puerta".
    r"off\s+(?:its|the|their)\s+hinges|(?:aus|in)\s+den\s+angeln|(?:heraus|auf)gebrochen|ramm(?:e|bock)\w*|"
    r"(?:tore|tearing|torn|ripped|ripping)\s+(?:[\w-]+\s+){0,3}?(?:off|down|open)|forz(?:aron|ó|o)\s+(?:la\s+)?(?:puerta|cerradura)|"
    r"derribaron\s+(?:la\s+)?puerta|"
    r"twist(?:ed|ing)\s+(?:it|them)\s+behind|grabb(?:ed|ing)\s+(?:his|her|their)\s+(?:arm|wrist|neck|hair|shirt)s?|"
    r"flash[- ]?bangs?|battering\s+ram|rammed|jal(?:aron|[óo]|ando)|arrastr\w+|lastim(?:aron|[óo]|ado)|"
    r"se\s+cay[óo]|al\s+(?:piso|suelo)|rodilla\s+en\s+la\s+espalda|roci(?:ando|aron|[óo])|"
    r"blendgranaten?|eingetreten|traten|dragg(?:ed|ing)|aventa\w+|avent[óo]|tir(?:aron|[óo])\s+(?:contra|al|a\s+la)|sch[üu]sse|zu\s+boden\s+dr[üu]ckten|bruis\w*|moret\w+|blaue\s+flecken|"
    # Verb families: pushing, twisting, pressing against, putting on the ground, drawing a weapon, roughing up.
    r"push(?:es)?|twist(?:ed|ing)\s+(?:\w+\s+){0,2}?(?:arm|wrist|hand)s?|"
    r"(?:press|pin|shov|push|slamm|throw|threw|forc)\w*\s+(?:\w+\s+){0,3}?against|"
    r"(?:put|held|forced|ordered|laid|threw|pushed|pinned)\s+(?:\w+\s+){0,3}?(?:on|onto|to)\s+the\s+(?:ground|floor|pavement|concrete)|"
    r"rough(?:ed)?\s+(?:\w+\s+){0,2}?up|wrench(?:ed|ing)|took\s+(?:him|her|them)\s+down|kne(?:el(?:ed|ing)?|lt)\s+on|"
    r"thr(?:ew|own)\s+(?:\w+\s+){0,3}?down|a\s+jalones|(?:weg)?gesto[ßs]en|gegen\s+(?:\w+\s+){0,2}?dr[üu]ck\w*|"
    r"dr[üu]ckt\w*\s+(?:\w+\s+){0,3}?gegen|"
    r"(?:drew|drawn|brandish\w*|aimed|raised)\s+(?:\w+\s+){0,2}?(?:guns?|handguns?|weapons?|pistols?|rifles?|firearms?|tasers?)|"
    r"handguns?|shotguns?|long\s+guns?|"
    r"forceje\w+|somet(?:ieron|i[óo])|torci(?:eron|[óo])\s+(?:\w+\s+){0,2}?brazo|"
    r"weggeschubst|(?:an|weg|nieder|ge)?gedr[üu]ckt|niedergerungen|arm\s+(?:auf\s+den\s+r[üu]cken\s+)?verdreht|"
    # Blows, grabs and restraint holds with the person hit as object, in three languages.
    r"(?:hit|struck|slapped|elbowed|kneed|yanked|wrestled|manhandled|body-?slammed|headbutted)\s+(?:him|her|them|his|"
    r"one\s+of|the\s+(?:man|woman|father|mother|boy|girl|teen\w*|driver|worker))|"
    r"grabb(?:ed|ing)\s+(?:him|her|them)\s+by\s+the|headlock|brutally|brutalmente|brutal\s+(?:arrest|detenci[óo]n|festnahme)|"
    r"violently|"
    r"pu[ñn]etazos?|patadas?|patear\w*|cachetad\w+|bofetad\w+|golpiza|madrazos?|(?:le|les)\s+peg(?:aron|[óo])|"
    r"jalone\w+|estrell(?:aron|[óo])\s+contra|ahorc\w+|estrangul\w+|electrochoque\w*|"
    r"(?:ge)?rissen\s+(?:\w+\s+){0,3}?(?:aus|zu|von|vom)|zerrten|gezerrt|schlug|faustschl[äa]g\w*|ohrfeige\w*|"
    r"fu[ßs]tritt\w*|getreten|w[üu]rgegriff\w*|w[üu]rgten|gew[üu]rgt|[üu]berw[äa]ltigt\w*|elektroschock\w*)\b",
    re.IGNORECASE,
)
FORCE_NEGATED = re.compile(
    r"\b(?:no\s+(?:force|weapons?|violence)\s+was\s+used|without\s+(?:any\s+)?(?:force|violence)|"
    # Negation scopes over the general words (force, violence, roughing up, incident), in three languages.
    r"(?:with\s+)?no\s+(?:force|violence)\b|(?:never|not|n['\u2019]t)\s+(?:\w+\s+){0,2}?(?:use[ds]?|using)\s+(?:any\s+)?(?:force|violence)|"
    r"(?:did\s*n['\u2019]?t|did\s+not|didnt|never|don['\u2019]?t|dont)\s+rough\s+(?:\w+\s+){0,2}?up|"
    r"(?:nobody|no\s+one|no-one|nadie)\s+(?:got|was|were)\s+roughed\s+up|"
    r"no\s+(?:hubo|hab[ií]a|hay)\s+(?:violencia|fuerza|forcejeo)|sin\s+(?:incidentes|forcejeo|violencia)|"
    r"no\s+(?:ejercieron|emplearon|utilizaron|usaron)\s+(?:la\s+|ninguna\s+)?(?:fuerza|violencia)|"
    r"ohne\s+(?:jede\s+|jegliche\s+)?(?:gewalt\w*|zwischenf[äa]lle?)|"
    r"gewalt\s+(?:\w+\s+){0,6}?nicht\s+(?:angewe?ndet|angewandt|eingesetzt|ausge[üu]bt)|gewalt\s+wendet\w*\s+(?:\w+\s+){0,6}?nicht\s+an|"
    # "Gewalt gab es nach Angaben von Zeugen keine", "Gewalt habe es keine gegeben", "keinerlei Gewalt".
    r"gewalt\s+(?:gab|gebe|habe|hat|h[äa]tte)\s+es\s+(?:[\w-]+\s+){0,5}?keine|keinerlei\s+gewalt|"
    r"no\s+(?:pushing|shoving|hitting|roughness)\b|"
    r"no\s+(?:fueron|fue|eran|era)\s+violent[oa]s?|(?:was|were)\s+not\s+(?:violent|rough)|"
    r"no\s+(?:pushing|shoving|hitting|violence|force)\s+or\s+anything|"
    r"nicht\s+gewaltt[äa]tig|"
    r"(?:arrest\w*|detain\w*|custody|taken|transferred|handed|turned)\s+(?:\w+\s+){0,4}?without\s+incident|"
    r"no\s+weapons\s+were\s+drawn|did\s+not\s+use\s+force|sin\s+(?:violencia|uso\s+de\s+(?:la\s+)?fuerza|armas)|"
    r"no\s+usaron\s+(?:la\s+)?fuerza|gewalt\s+wurde\s+keine\s+angewendet|keine\s+gewalt\s+angewendet|ohne\s+gewalt(?:anwendung)?|keine\s+gewalt|keine\s+waffen|"
    r"gewalt\s+gab\s+es\s+keine|gewalt\s+(?:sei|wurde|habe)\s+(?:\w+\s+)?nicht\s+angewe?ndet\s+(?:worden)?|"
    # "The arrest was peaceful", "la detención fue pacífica", "die Festnahme verlief friedlich": the taking told calm.
    r"(?:arrests?|detentions?|operation|detenci[óo]n|detenciones|arresto|operativo|festnahmen?|einsatz)\s+(?:\w+\s+){0,3}?"
    r"(?:was|were|fue|fueron|verlief|verliefen|went)\s+(?:\w+\s+)?(?:peaceful|calm|pac[íi]fic[oa]s?|tranquil[oa]s?|friedlich|ruhig)|"
    r"(?:taken|detained|arrested|left|went)\s+(?:\w+\s+){0,2}?peacefully|(?:detenid[oa]|arrestad[oa])\s+pac[íi]ficamente)\b",
    re.IGNORECASE,
)
MEDIA = re.compile(
    r"\b(?:videos?|footage|filmed|filming|recorded|recording|photos?|photographs?|pictures?|live-?streams?\w*|"
    r"livestream\w*|facebook\s+live|instagram\s+live|tiktok|v[íi]deos?|grab(?:[óo]|aron|aci[óo]n|aciones|ando)|"
    r"film(?:[óo]|aron|ando)|fotos?|fotograf\w+|im[áa]genes|transmisi[óo]n\s+en\s+vivo|en\s+vivo|"
    r"gefilmt|filmte\w*|aufnahmen?|aufgenommen|bilder|handyvideo\w*|cameras?|c[áa]maras?|\w*kamera\w*|captured|"
    r"pics?|pix|vids?|clips?|grab[ée]|grabar|filmar|live\s+[üu]bertr\w+|doorbell|"
    r"mit\s+(?:dem|ihrem|seinem|einem)\s+(?:handy|smartphone|telefon)\s+(?:\w+\s+){0,2}?(?:fest|auf))\b",
    re.IGNORECASE,
)


# Phrases that cancel a force or media word without saying the opposite ("nobody was beaten", "unclear whether
# force was used", "golpearon puertas" = knocked on doors, "no video", "keine Fotos").
FORCE_NEUTRAL = re.compile(
    # A question is not a report ("¿Vio si usaron fuerza?", "did they use force?").
    r"¿[^?¿.!]{0,80}\?|\b(?:did|do|were|was)\s+(?:they|he|she|you|anyone|anybody)\b[^.?!]{0,60}\?|"
    r"\b(?:niemand\s+wurde\s+geschlagen|"
    # A denied blow or injury is an observation, not a statement about force ("no los golpearon", "nobody hurt").
    r"(?:no|nadie|never|nobody|no\s+one|niemand|nicht|ni)\s+(?:\w+\s+){0,2}?(?:golpe\w+|peg\w+|lastim\w+|hit|beat|"
    r"hurt|injured|schlugen|geschlagen|verletzt\w*|herid[oa]s?)|"
    r"ob\s+gewalt\s+angewendet\s+wurde|golpe\w*\s+(?:la\s+|las\s+)?puertas?|"
    # Nobody hurt, said the other way round or as a report: "Verletzt wurde niemand", "no injuries were reported".
    r"(?:verletzt|geschlagen)\s+wurde\s+(?:dabei\s+)?niemand|keine\s+verletzten|no\s+hubo\s+herid[oa]s|sin\s+herid[oa]s|"
    r"no\s+(?:injuries|one\s+was\s+(?:hurt|injured))|without\s+injur\w+|nobody\s+was\s+(?:hurt|injured)|"
    r"(?:nobody|no\s+one)\s+(?:got|was)\s+(?:beat|beaten|hurt)|unclear\s+whether\s+force|"
    r"no\s+(?:lo|la|los|las)\s+lastimaron|violencia\s+dom[ée]stica|domestic\s+violence|h[äa]usliche\s+gewalt|"
    r"nadie\s+fue\s+golpead[oa]|(?:did\s+not|didn['\u2019]t|did\s+not\s+see|never)\s+see\s+(?:any\s+)?(?:force|violence)|"
    r"(?:no\s+one|nobody)\s+saw\s+(?:any\s+)?(?:force|violence)|no\s+vi(?:o|eron|mos)\s+(?:ninguna\s+)?violencia|"
    r"keine\s+gewalt\s+gesehen|ob\s+(?:\w+\s+){0,4}gewalt\s+angewendet\s+wurde|"
    # "Ob die Beamten Gewalt anwendeten, blieb unklar", "whether the agents used force": unclear, not a report.
    r"ob\s+(?:\w+\s+){0,4}gewalt\s+(?:\w+\s+)?(?:anwendeten|anwandten|einsetzten)|"
    r"whether\s+(?:\w+\s+){0,3}?(?:used|use)\s+(?:any\s+)?force|nadie\s+(?:sali[óo]|result[óo])\s+(?:lastimad|herid)[oa])\b",
    re.IGNORECASE,
)
MEDIA_NEUTRAL = re.compile(
    r"\b(?:no\s+(?:video|photos?|footage|pictures)|"
    # Negation scope: "Nobody filmed", "nadien grabó", "Nadie tomó fotos", "niemand filmte".
    r"(?:nobody|no\s+one|nadie|nadien|niemand|never|nunca)\s+(?:\w+\s+){0,2}?(?:filmed|recorded|record|film|"
    r"grab[óo]|grabaron|film[óo]|filmaron|tom[óo]\s+fotos|tomaron\s+fotos|took\s+(?:video|photos|pictures|pics)|"
    r"gefilmt|filmte|fotografierte|aufgenommen)|no\s+(?:grab[óo]|film[óo])|did\s+not\s+take\s+(?:video|photos|pictures)|"
    r"didn['\u2019]?t\s+(?:record|film)|nicht\s+gefilmt|keine\s+(?:fotos|videos|aufnahmen)|"
    # "Eine Aufnahme gibt es nicht"; an appeal for pictures ("si usted ... tiene fotos", "if you have video"); a photo
    # the agents showed.
    r"(?:aufnahme|video|foto|bild)\w*(?:\s+(?:oder|und|noch)\s+(?:aufnahme|video|foto|bild)\w*)?\s+(?:gibt|gebe|g[äa]be)\s+es\s+"
    r"(?:[\w-]+\s+){0,5}?(?:nicht|keine)|"
    r"no\s+hay\s+(?:videos?|fotos|grabaci[óo]n(?:es)?)(?:\s+(?:ni|o|y)\s+(?:videos?|fotos|grabaci[óo]n(?:es)?))?|"
    # "No pudo grabar", "couldn't film it", "konnte nicht filmen": no recording.
    r"(?:no\s+(?:pudo|pudieron|pude|alcanz[óo]\s+a)|couldn['\u2019]?t|could\s+not|was\s+unable\s+to|konnte\w*\s+(?:es\s+)?nicht)\s+"
    r"(?:\w+\s+)?(?:grabar|filmar|record|film|filmen|aufnehmen)|"
    r"(?:if|si|wer|falls|wenn)\s+(?:you|usted|ustedes|alguien|anyone|someone|jemand|sie)\b[^.!?]{0,60}?"
    r"(?:have|has|tiene|tienen|hat|haben)\s+(?:any\s+)?(?:videos?|photos?|pictures|pics|footage|fotos|v[íi]deos?|"
    r"aufnahmen|bilder|fotos)(?:\s+(?:or|and|o|y|oder|und)\s+(?:videos?|photos?|pictures|footage|fotos|v[íi]deos?|"
    r"aufnahmen|bilder))?|"
    r"(?:showed|show|mostraron|ense[ñn]aron|zeigten)\s+(?:\w+\s+){0,5}?(?:photos?|fotos?|pictures?|bild\w*)|"
    r"with\s+(?:the\s+)?\w+['\u2019]s\s+photo)\b",
    re.IGNORECASE,
)
FORCE, FORCE_NEGATED, MEDIA, FORCE_NEUTRAL, MEDIA_NEUTRAL = map(
    lowered, (FORCE, FORCE_NEGATED, MEDIA, FORCE_NEUTRAL, MEDIA_NEUTRAL)
)


def find_flag(
    text: str,
    positive: re.Pattern[str],
    negated: re.Pattern[str] | None,
    what: str,
    neutral: re.Pattern[str] | None = None,
    skip: tuple[tuple[int, int], ...] = (),
    seen: list[Candidate] | None = None,
) -> Proposal | None:
    """True when ``positive`` matches outside a negation, False when only a negation matches, else None.

    A match inside a ``neutral`` phrase or a ``skip`` span (a sentence about another time) counts for neither.
    ``text`` is the same_length_lower() text.
    """
    negations = list(itertools.islice((m.span() for m in negated.finditer(text)), 50)) if negated else []
    cancelled = list(itertools.islice((m.span() for m in neutral.finditer(text)), 50)) if neutral else []
    cancelled += skip[:50]
    if seen is not None:
        # Every mention, for the learned scorer: (1 for the rule's reading, cues: cancelled, in another time's span).
        for m in itertools.islice(positive.finditer(text), 30):
            off = any(s <= m.start() < e for s, e in negations + cancelled)
            other = any(s <= m.start() < e for s, e in skip)
            proposal = Proposal(True, m.span(), m[0], 0.8, f"{what} mentioned")
            seen.append((0.0 if off else 1.0, proposal, (float(off), float(other))))
        for s, e in negations[:10]:
            seen.append((0.5, Proposal(False, (s, e), text[s:e], 0.7, f"text says no {what}"), (0.0, 0.0)))
    for m in positive.finditer(text):
        if not any(s <= m.start() < e for s, e in negations + cancelled):
            return Proposal(True, m.span(), m[0], 0.8, f"{what} mentioned")
    if negations:
        s, e = negations[0]
        return Proposal(False, (s, e), text[s:e], 0.7, f"text says no {what}")
    return None


_SOURCE = (
    r"DHS|ICE|CBP|FBI|USCIS|the\s+FBI|(?:the\s+agency['\u2019]s\s+)?(?:regional\s+|sector\s+)?(?:commander|chief)|the\s+Department\s+of\s+Homeland\s+Security|Homeland\s+Security(?:\s+Investigations)?|"
    r"the\s+agency|the\s+department|the\s+Department\s+of\s+\w+(?:\s+\w+)?|the\s+city|"
    # Spelled out ("U.S. Immigration and Customs Enforcement confirmed"), a statement ("ICE's public statement claims").
    r"(?:U\.S\.\s+)?Immigration\s+and\s+Customs\s+Enforcement|(?:U\.S\.\s+)?Customs\s+and\s+Border\s+Protection|"
    r"(?:ICE|DHS|CBP|the\s+agency)['\u2019]s\s+(?:\w+\s+)?statement|"
    r"(?:federal\s+|immigration\s+|ICE\s+|DHS\s+|agency\s+|state\s+|police\s+|county\s+|city\s+)?officials|authorities|"
    r"the\s+White\s+House|(?:the\s+)?(?:governor|mayor)['\u2019]s\s+office|"
    r"(?:an?|the)\s+(?:(?:[A-Z][\w-]*\s+){0,3}?(?:DHS\s+|ICE\s+|CBP\s+|HSI\s+|ERO\s+|FBI\s+|DEA\s+|DPS\s+|FPS\s+|USCIS\s+|"
    r"Border\s+Patrol\s+|Marshals\s+Service\s+|agency\s+|department\s+|police\s+|sheriff['\u2019]s\s+|county\s+|city\s+|"
    r"patrol\s+|state\s+|Department\s+of\s+Homeland\s+Security\s+))?"
    r"(?:spokes(?:wo)?man|spokesperson|official|statement)"
    r"(?:\s+for\s+(?:the\s+)?(?:DHS|ICE|CBP|HSI|ERO|FPS|agency|department|police|sheriff['\u2019]s\s+office|"
    r"Marshals\s+Service|Border\s+Patrol|Federal\s+Protective\s+Service|Homeland\s+Security|"
    r"(?:[A-Z][\w.-]*\s+){1,4}(?:Police(?:\s+Department)?|Sheriff['\u2019]s\s+Office|Department|Patrol)))?|"
    r"Border\s+Patrol(?:\s+(?:officials|agents))?|the\s+National\s+Guard|(?:[A-Z][\w-]*\s+){0,2}police(?:\s+department)?|[A-Z]{1,4}PD|"
    r"(?:[A-Z][\w-]*\s+){1,2}PD|"
    r"(?:the\s+)?(?:[A-Z][\w-]*\s+){0,2}(?:sheriff['\u2019]s\s+(?:office|department)|sheriff)|troopers|"
    r"(?:the\s+)?(?:[A-Z][\w-]*\s+){0,2}(?:highway|state)\s+patrol|the\s+patrol|(?:the\s+)?(?:state\s+)?judicial\s+branch"
)
_ES_SOURCE = (
    r"(?:el\s+|la\s+)?(?:DHS|ICE|CBP|USCIS|DPS)|las\s+autoridades|autoridades|(?:los\s+)?funcionarios|la\s+agencia|"
    r"el\s+Departamento\s+de\s+Seguridad\s+Nacional|(?:el|un|una|la)\s+(?:portavoz|vocer[oa]|funcionari[oa])|"
    r"la\s+Patrulla\s+Fronteriza|la\s+polic[ií]a|la\s+alcald[ií]a|la\s+oficina\s+del\s+(?:alcalde|sheriff|gobernador)|"
    r"el\s+sheriff|la\s+oficina|la\s+autoridad(?:\s+de\s+\w+)?|la\s+guardia\s+nacional|"
    r"el\s+alguacil|el\s+jefe\s+de\s+(?:la\s+)?polic[ií]a|el\s+departamento\s+de\s+polic[ií]a|el\s+gobierno\s+federal|"
    r"(?:uno\s+de\s+los|el|un)\s+(?:agentes?|oficial(?:es)?|polic[ií]as?)"
)
_DE_SOURCE = (
    r"(?:das\s+)?(?:DHS|ICE|CBP|USCIS)|die\s+Beh[öo]rden?|(?:ein|eine|der|die)\s+(?:\w+-)?(?:Sprecher|Vertreter)(?:in)?|"
    r"das\s+(?:Heimatschutz)?ministerium|das\s+Ministerium|Beamte|Beh[öo]rdenvertreter|"
    r"die\s+(?:\w+\s+)?(?:Highway\s+Patrol|State\s+Police|Border\s+Patrol|Grenzpolizei|Grenzschutz\w*|Bundespolizei|"
    r"Einwanderungsbeh[öo]rde|Autobahnpolizei)|das\s+(?:Sheriff\w*|B[üu]ro\s+des\s+Sheriffs)|"
    r"die\s+(?:\w+\s+)?(?:\w*[Pp]olizei|Landespolizei|Stadtverwaltung|Landesregierung|Grenzschutzbeh[öo]rde)|"
    r"der\s+(?:\w+\s+)?(?:Sheriff|B[üu]rgermeister)|die\s+Nationalgarde|die\s+Stadt"
)
_EN_VERB = (
    r"put\s+the\s+(?:number|figure|count|toll)|said|says|stated|claimed|told|confirmed|denied|alleged|described|wrote|added|maintained|insisted|posted|"
    r"corrected|reported|announced|acknowledged|noted|explained|asserted|stressed|emphasi[sz]ed|tweeted|estimated|"
    r"disputed|lowered|revised|raised\s+(?:\w+\s+)?(?:to|the\s+(?:number|figure|count))|claims"
)
_ES_VERB = (
    r"dijo|dijeron|afirm[óo]|afirmaron|asegur[óo]|aseguraron|declar[óo]|declararon|inform[óo]|informaron|"
    r"se[ñn]al[óo]|se[ñn]alaron|confirm[óo]|confirmaron|neg[óo]|negaron|sostuvo|indic[óo]|indicaron|aleg[óo]|"
    r"actualiz[óo]|report[óo]|explic[óo]|precis[óo]|coment[óo]|detall[óo]|a[ñn]adi[óo]|agreg[óo]|desminti[óo]|"
    r"reconoci[óo]|aclar[óo]|cifr[óo]|manifest[óo]|sostuvieron|comunic[óo]|insisti[óo]|publicaron|public[óo]|"
    r"escribi[óo]|tuite[óo]|dice|dicen|afirma|afirman|asegura|aseguran|sostiene|sostienen|indica|indican|se[ñn]ala|"
    r"se[ñn]alan|informa|informan|niega|niegan|confirma|confirman|explica|explican|hablan\s+de|habla\s+de"
)
_DE_VERB = (
    r"sagte|sagten|erkl[äa]rte|erkl[äa]rten|teilte|teilten|behauptete|behaupteten|best[äa]tigte|betonte|wies|"
    r"nannte|sprach|sprachen\s+(?:\w+\s+)?von|gesprochen|mitgeteilt|erkl[äa]rt|korrigierte|korrigierten|"
    r"gab(?:en)?\s+(?:\w+\s+){0,2}?an|bestritt|bestritten|dementierte|r[äa]umte|bezifferte|bezifferten|meldete|"
    r"meldeten|verwies|best[äa]tigten|betonten|schrieb|schrieben|ver[öo]ffentlichte|twitterte|postete"
)
# Words between a source and its verb: "Matthews police said", "ICE bestätigte später", "La oficina del sheriff,
# que firmó este año un acuerdo, dijo" (no sentence punctuation in between).
# "La portavoz de ICE, Ana Ruiz, dijo", "Eine ICE-Sprecherin, Maria Lopez, sagte": a name in apposition.
_BETWEEN = (
    r"(?:(?:[^\s!?,]+\s+){0,7}?(?:[^\s!?,]+(?=,))?,\s+(?:que|quien|der|die|das)\s[^.!?]{0,140}?,\s+|"
    r"(?:[^\s!?,]+\s+){0,4}?[^\s!?,]+,\s+(?:[^\s!?,]+\s+){0,3}?[^\s!?,]+,\s+|(?:[^\s!?,]+\s+){0,8}?)"
)
_OFFICIAL_AFTER = (
    r"(?:der\s+|des\s+)?(?:Polizei|Beh[öo]rde\w*|\w*ministeriums?|ICE|DHS|CBP|Grenzschutz\w*|Einwanderungsbeh[öo]rde|"
    r"Sheriff\w*|Regierung|Landespolizei|Stadt\w*)"
)
CLAIM = re.compile(
    rf"\b(?:(?:{_SOURCE})(?:\s+(?:later|also|then|earlier|previously|first|initially|now|still|again)\s+|"
    rf"\s+(?:\w+\s+){{1,4}}?and\s+|\s+on\s+(?:\w+day|the\s+\w+)\s+|"
    rf"\s+(?:has|have|had)\s+|,\s+(?:which|who|that)\s(?:[^.!?]|\b(?:St|Ave|Rd|Blvd|Dr)\.){{0,120}}?,\s+|,\s+[^.!?,]{{1,80}},\s+|"
    # "ICE spokeswoman Jane Doe said", "Border Patrol Chief Michael Banks wrote": a title and a name.
    rf"\s+(?:spokes(?:wo)?man|spokesperson|press\s+secretary|official|director|chief|commander|secretary|"
    rf"(?:field\s+office\s+|acting\s+|deputy\s+|assistant\s+)?director)\s+(?:[\w.'\u2019-]+\s+){{1,3}}?|\s+)(?:{_EN_VERB})|"
    # "Police Chief Tom Ruiz told reporters", "Sheriff Dan Cole said": a police or sheriff's title and a name.
    rf"(?:police\s+chief|chief\s+of\s+police|sheriff|undersheriff|police\s+commissioner)\s+(?:[\w.'\u2019-]+\s+){{1,3}}?(?:{_EN_VERB})|"
    rf"(?<!that\s)(?<!which\s)(?<!vests\s)(?:{_EN_VERB})\s+(?:{_SOURCE})|according\s+to\s+(?:[\w'\u2019]+\s+){{0,4}}?(?:and\s+)?(?:{_SOURCE}|a\s+statement)|"
    # An officer at the scene speaking about the taking ("the trooper told her he had to call it in").
    rf"(?:the|a|an|one)\s+(?:state\s+)?(?:trooper|deputy|officer|agent)\s+(?:told|said)|"
    # "Officers told her lawyer by phone that ...": the agency's word to the family's side.
    rf"(?:officers|agents|deputies)\s+told\s+(?:her|his|their|the\s+family['\u2019]s)\s+(?:lawyer|attorney|family|wife|husband)|"
    rf"in\s+a\s+statement|(?:{_ES_SOURCE})\s*{_BETWEEN}(?:{_ES_VERB})|(?:{_ES_VERB})\s+(?:{_ES_SOURCE})|"
    rf"(?:seg[úu]n|de\s+acuerdo\s+con|conforme\s+a)\s+(?:{_ES_SOURCE})|en\s+un\s+comunicado|\bper\s+(?:{_SOURCE})|"
    rf"(?:an?|the)\s+(?:DHS|ICE|CBP|agency|department|police|sheriff['\u2019]s)\s+(?:statement|news\s+release|"
    rf"press\s+release|post)\s+(?:called|characterized|described|labell?ed)|(?:{_DE_SOURCE})\s*{_BETWEEN}(?:{_DE_VERB})|(?:{_DE_VERB})\s+"
    rf"(?:{_DE_SOURCE})|laut\s+(?:{_DE_SOURCE}|dem\s+\w+|der\s+\w+|einer?\s+\w+|DHS|ICE|CBP)|"
    rf"nach\s+(?:Angaben|Darstellung|Auskunft|Aussage)\s+(?:des|der|von)\s+{_OFFICIAL_AFTER}|nach\s+eigenen\s+Angaben|"
    rf"nach\s+(?:offiziellen|amtlichen|beh[öo]rdlichen)\s+Angaben|seg[úu]n\s+(?:cifras|datos)\s+oficiales|"
    rf"according\s+to\s+official\s+(?:figures|counts?|numbers)|"
    rf"in\s+einer\s+(?:Erkl[äa]rung|Mitteilung)|"
    # "sagt die Stadt, die Polizei ... war nicht beteiligt" (not "eine Nachbarin sagt ICE": who she says it was).
    rf"(?:sagt|sagen|erkl[äa]rt)\s+(?:die|der|das)\s+(?:Stadt\w*|\w*[Pp]olizei\w*|Beh[öo]rde\w*|\w*ministerium|Sheriff\w*)|"
    rf"hie[ßs]\s+es\s+(?:vo[mn]|aus\s+de[mr]|bei\s+de[rm]|im)\s+(?:\w+\s+)?(?:gouverneur\w*|\w*ministerium\w*|\w*polizei\w*|"
    rf"\w*beh[öo]rde\w*|wei[ßs]en\s+haus|\w*regierung\w*|stadtverwaltung|rathaus))\b",
    re.IGNORECASE,
)
# "The hospital said in a statement": a statement by someone who is not the government side.
_NOT_OFFICIAL = re.compile(
    r"\b(?:hospitals?|schools?|districts?|company|companies|university|universities|colleges?|unions?|family|"
    r"church|archdiocese|shelter|"
    r"escuela|empresa|sindicato|familia|universidad|colegio|iglesia|arquidi[óo]cesis|hotel|distrito|universitario|"
    r"klinik|krankenhaus|schul\w*|firma|unternehmen|gewerkschaft|familie)\b"
)
_STATEMENT_ONLY = frozenset(
    {
        "in a statement",
        "en un comunicado",
        "in einer erklärung",
        "in einer mitteilung",
        "nach eigenen angaben",
    }
)


# Every claim has one of these words; CLAIM (slow: many sources) runs only on the sentences that have one.
_CLAIM_HINT = re.compile(
    rf"\b(?:{_EN_VERB}|{_ES_VERB}|{_DE_VERB}|according|statement|seg[úu]n|comunicado|laut|angaben|erkl[äa]rung|"
    rf"mitteilung|acuerdo|conforme|darstellung|auskunft|aussage|per|sagt|sagen|erkl[äa]rt)\b",
    re.IGNORECASE,
)
CLAIM, _NOT_OFFICIAL, _CLAIM_HINT = lowered(CLAIM), lowered(_NOT_OFFICIAL), lowered(_CLAIM_HINT)


_MAX_CLAIM_SENTENCES = 200
_PRINTED_AFTER = lowered(
    re.compile(
        r",?\s+(?:on\s+(?:the|their|his|her)\s+(?:front|back|jackets?|vests?|chest|sleeves?)|in\s+\w+\s+letters|"
        r"en\s+(?:la|el|las|los|sus?)\s+(?:espaldas?|pechos?|frente|chalecos?|chamarras?)|en\s+letras|al\s+frente|"
        r"auf\s+(?:dem|der|den)\s+(?:r[üu]cken|brust|westen|jacken)|in\s+gro[ßs]en\s+buchstaben)\b",
        re.IGNORECASE,
    )
)


def find_claims(text: str, low: str, sentences: Sentences) -> Proposal | None:
    """Sentences of ``text`` that report what DHS, ICE or other officials said (found in ``low``, its lower case)."""
    parts: list[Proposal] = []
    seen: set[int] = set()
    hinted: list[tuple[int, int]] = []
    for hint in _CLAIM_HINT.finditer(low):
        bounds = sentences.bounds(hint.start())
        if not hinted or hinted[-1] != bounds:
            hinted.append(bounds)
    matches = (m for s, e in hinted[:_MAX_CLAIM_SENTENCES] for m in CLAIM.finditer(low, s, e))
    for m in matches:
        start, end = sentences.bounds(m.start())
        if start in seen:
            continue
        if " ".join(m[0].split()) in _STATEMENT_ONLY and _NOT_OFFICIAL.search(low, start, m.start()):
            continue
        if _PRINTED_AFTER.match(low, m.end()):
            continue  # "one said ICE on the front", "it said BORDER PATROL on the jackets": a label, not a statement
        seen.add(start)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        sentence = text[start:end]
        parts.append(Proposal(sentence, (start, end), sentence, 0.75, f"attributed: {m[0]!r}"))
    if not parts:
        return None
    first = parts[0]
    values = [p.value for p in parts]
    return Proposal(
        values, first.span, first.text, first.confidence, "statements attributed to officials", tuple(parts)
    )
