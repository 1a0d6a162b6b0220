"""Remove what must never be published from text a coordinator wrote for publication (pure functions).

A second line of defence, not a licence to paste private notes: coordinators write the public note, the officials'
claims and the evidence response for the public, and this removes what slips through anyway: A-numbers and other long
digit runs (phone numbers, case numbers), e-mail addresses, vehicle-plate-like tokens and street addresses. Names cannot
be recognised reliably and are not removed; that is why private fields never reach the public layer at all.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MARK = "[…]"

_STREETWORDS = (
    r"street|st|avenue|ave|av|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|terrace|ter|"
    r"parkway|pkwy|highway|hwy|circle|cir|trail|trl|square|sq|alley|loop|row|plaza|pike|path|run|crossing|xing"
)
# "privada" and "cerrada" are also ordinary adjectives ("estuvo cerrada 2 horas"): street words only capitalised.
_SPANISH_STREET = (
    r"(?i:calle|avenida|avda\.?|av\.|camino|carretera|paseo|callej[oó]n|boulevard|bulevar|calzada)"
    r"|Privada|Cerrada"
)
# Right after "carretera" a number is the road's ("la carretera 45"), not a house's: a house number after a highway
# word needs the road's name in between ("Carretera Vieja 506").
_SPANISH_STREET_NUMBER_AFTER = (
    r"(?i:calle|avenida|avda\.?|av\.|camino|paseo|callej[oó]n|bulevar|calzada)|Privada|Cerrada"
)
_GERMAN_STREET = r"stra(?:ss|ß)e|str|weg|allee|platz|gasse|ring|damm|chaussee|ufer|steig|pfad"
# English words that end like a German street ("during 2025", "a hearing 12 days later") are not streets.
_NOT_GERMAN_STREET = (
    r"(?!(?:during|bring|string|spring|hearing|offering|entering|gathering|ring|bearing|sharing|referring|"
    r"monitoring|morning|evening)\b)"
)
_UNIT = r"(?:\s*,?\s*(?:apt|apartment|apto|unit|suite|ste|depto|departamento|wohnung|#)\.?\s*[\w-]{1,6})?"
# Words that never stand between a house number and its street word: times, counts, prepositions ("at 7 am on Main St",
# "6 people on Main Street", "3 miles down Elm Road", "15 vendedores en la plaza" keep their numbers).
_STOP = (
    r"(?:am|pm|a\.m\.|p\.m\.|on|at|in|near|by|the|of|and|or|to|from|with|for|down|up|along|past|"
    r"people|persons|agents|officers|men|women|children|kids|cars|vans|trucks|suvs|vehicles|minutes|hours|days|"
    r"weeks|blocks|miles|feet|yards|meters|metres|kilometers|times|o'clock|en|la|el|los|las|de|del|y|con|"
    r"personas|agentes|vendedores|minutos|horas|cuadras|im|am|der|die|das|und|mit|vor|beamte|personen|minuten)"
)
# A street's own name, after a Spanish street word: words up to one that cannot be part of a name (a verb, a
# preposition, a count), so "calle morelos 45" loses its number and "Calle del Sol había 2 vehículos" keeps the 2.
_SPANISH_STOP = (
    r"(?:y|e|o|u|en|con|a|al|por|para|desde|hasta|cerca|frente|junto|entre|hacia|sin|sobre|tras|durante|como|que|"
    r"donde|cuando|se|lo|le|les|su|sus|un|una|unos|unas|hay|hab[ií]a|hab[ií]an|estaba|estaban|est[aá]|est[aá]n|es|"
    r"son|era|eran|fue|fueron|estuvo|estuvieron|lleg[oó]|llegaron|vieron|esperaban|esperaron|detuvieron|hubo|desde)"
)
_SPANISH_NAME = r"(?:(?!" + _SPANISH_STOP + r"\b)(?!\d)[\w'.-]+)"  # a number is never part of the name

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)),
    ("a_number", re.compile(r"(?:\bA[#-]?\s?|\b)\d{2,3}[\s.-]?\d{3}[\s.-]?\d{3}\b", re.IGNORECASE)),
    ("phone", re.compile(r"(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b")),
    ("long_number", re.compile(r"\b(?!\d{4}-\d{2}-\d{2}\b)\d(?:[\s.-]?\d){6,}\b")),
    ("po_box", re.compile(r"\b(?:p\.?\s?o\.?\s?box|apartado postal)\s*\d+\b", re.IGNORECASE)),
    (
        # A Spanish street after its house number: "1234 Calle Secretísima", "el 1200 de Calle Ocho". Before the
        # English pattern, which would otherwise take only the number and leave the street.
        "spanish_address_number_first",
        re.compile(
            r"\b\d{1,6}[A-Za-z]?\s+(?:(?i:de)\s+(?:(?i:la|las|los|el)\s+)?)?(?:" + _SPANISH_STREET + r")"
            r"(?:\s+" + _SPANISH_NAME + r"){0,4}\b" + _UNIT
        ),
    ),
    (
        "street_address",
        re.compile(
            r"\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+|north\s+|south\s+|east\s+|west\s+)?"
            r"(?:(?!" + _STOP + r"\b)[\w'.-]+\s+){0,4}?(?:" + _STREETWORDS + r")\b\.?" + _UNIT,
            re.IGNORECASE,
        ),
    ),
    (
        "spanish_address",
        re.compile(
            r"\b(?:(?:" + _SPANISH_STREET_NUMBER_AFTER + r")\s+(?:" + _SPANISH_NAME + r"\s+){0,4}?"
            r"|(?i:carretera)\s+(?:" + _SPANISH_NAME + r"\s+){1,4}?)"
            r"(?:#\s?|(?i:n[oº°])\.?\s?)?\d{1,6}\b" + _UNIT
        ),
    ),
    (
        "german_address",
        re.compile(
            r"\b" + _NOT_GERMAN_STREET + r"[\w-]*(?:" + _GERMAN_STREET + r")\.?\s+\d{1,5}(?:\s?[a-z]\b)?",
            re.IGNORECASE,
        ),
    ),
    (
        # A German street after its number ("vor 14 Hauptstraße"): the street is one word ending in a street word.
        "german_address_number_first",
        re.compile(
            r"\b\d{1,5}[a-z]?\s+" + _NOT_GERMAN_STREET + r"[\w-]*(?:" + _GERMAN_STREET + r")(?:\b|\.)",
            re.IGNORECASE,
        ),
    ),
    (
        "apartment",
        re.compile(r"\b(?:apt|apartment|apto|unit|suite|depto)\.?\s*#?\s*\d+[a-z]?\b", re.IGNORECASE),
    ),
]

# Vehicle plates: 5-8 letters and digits with at least two of each, one optional space or dash inside.
# Document and form names that look like plates but are meant: I-200, I-247A, EOIR-28, G-28, N-400.
_FORM = re.compile(
    r"^(?:EOIR-\d{2,3}|COVID-19|I-\d{3}[A-Z])$"
)  # I-247A; G-28 and I-200 never look like plates
_TOKEN = re.compile(r"(?<![\w-])[A-Z0-9]+(?:-[A-Z0-9]+)?(?![\w-])")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# Capitalised words that precede a year in ordinary text ("ICE 2025", "OCT 2025"); a plate such as "ABC 2019" is removed.
WORDS = frozenset(
    [
        "ICE",
        "DHS",
        "CBP",
        "ERO",
        "HSI",
        "FBI",
        "DEA",
        "ATF",
        "USMS",
        "DOJ",
        "EOIR",
        "USBP",
        "OFO",
        "FPS",
        "USCIS",
        "ORR",
        "ACLU",
        "JAN",
        "FEB",
        "MAR",
        "APR",
        "MAY",
        "JUN",
        "JUL",
        "AUG",
        "SEP",
        "SEPT",
        "OCT",
        "NOV",
        "DEC",
        "FY",
    ]
)


def _is_plate(token: str) -> bool:
    compact = token.replace(" ", "").replace("-", "")
    if not 5 <= len(compact) <= 8 or _FORM.match(token):
        return False
    letters = sum(c.isalpha() for c in compact)
    digits = sum(c.isdigit() for c in compact)
    return letters >= 2 and digits >= 2


def _plates(text: str) -> str:
    """Replace plate-like tokens of capitals and digits, alone ("7ABC123") or as a spaced pair ("ZX 4821")."""
    tokens = list(_TOKEN.finditer(text))
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        here = tokens[i]
        if i + 1 < len(tokens):
            there = tokens[i + 1]
            gap = text[here.end() : there.start()]
            pair = f"{here.group(0)} {there.group(0)}"
            year_after_word = here.group(0) in WORDS and _YEAR.match(there.group(0))
            if gap == " " and not year_after_word and _is_plate(pair):
                spans.append((here.start(), there.end()))
                i += 2
                continue
        if _is_plate(here.group(0)):
            spans.append((here.start(), here.end()))
        i += 1
    for start, end in reversed(spans):
        text = text[:start] + MARK + text[end:]
    return text


_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
    r"setiembre|octubre|noviembre|diciembre|januar|februar|m[äa]rz|juni|juli|oktober|dezember"
)
_WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|"
    r"domingo|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|yesterday|ayer|gestern|tonight|esta noche"
)
# Days of the month and weekdays, for the text of homes (which are never published by day). Month and year stay.
DAY_PATTERNS: list[re.Pattern[str]] = [
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b"),
    re.compile(r"\b(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?\b", re.IGNORECASE),
    re.compile(r"\b\d{1,2}(?:st|nd|rd|th|\.)?\s+(?:de\s+|of\s+)?(?:" + _MONTHS + r")\b", re.IGNORECASE),
    re.compile(r"\b(?:" + _WEEKDAYS + r")\b", re.IGNORECASE),
]


def scrub(text: str, *, days: bool = False) -> str:
    """The text with every match of PATTERNS and every plate-like token replaced by ``[…]``; with ``days``, also
    dates and weekdays (for homes, whose day is never published)."""
    if not text:
        return ""
    out = text
    if days:
        for pattern in DAY_PATTERNS:
            out = pattern.sub(MARK, out)
    for _name, pattern in PATTERNS:
        out = pattern.sub(MARK, out)
    out = _plates(out)
    out = re.sub(r"(?:\[…\]\s*){2,}", MARK + " ", out)
    return out.strip()


def findings(text: str) -> list[str]:
    """Names of the patterns found in ``text`` (for the coordinator's preview and the tests)."""
    found = [name for name, pattern in PATTERNS if pattern.search(text)]
    if _plates(text) != text:
        found.append("plate")
    return found


_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+")


def coarsen_url(url: str) -> str:
    """Only the scheme and host of a source's address ("https://news.example/"), or "" when it is not a plain http(s)
    address on a named host. A path, query or fragment can carry a slug with an address or a name
    ("/plantadaperez-1234-calle-secretisima", review INFO item), so none is published; the host still lets a reader
    find the outlet. A host that itself looks like private detail (digits the scrubber takes) is dropped too."""
    try:
        parts = urlsplit((url or "").strip())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not host:
        return ""
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return ""
    if not _HOST.fullmatch(host) or host.replace(".", "").isdigit() or scrub(host) != host:
        return ""
    return f"{parts.scheme.lower()}://{host}/"
