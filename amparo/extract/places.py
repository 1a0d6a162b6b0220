"""Named places: "Home Depot", "St. Mary's Church", "Clínica La Esperanza", "St.-Marien-Kirche"."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable

from amparo.extract.lexicon import LOCATION_HANDOVER
from amparo.extract.model import Proposal
from amparo.extract.text import lower_case_post, same_length_lower

__all__ = ["find_place_name", "is_city"]

_CAP = "A-ZÁÉÍÓÚÑÄÖÜ"
_NAME_WORD = rf"(?:St\.|Sta\.|[{_CAP}]\.(?=\s+[{_CAP}])|[{_CAP}][\w'\u2019&-]*)"  # "Daniel K. Inouye"
_CHAINS = re.compile(
    r"\b(?:Home\s+Depot|Lowe['\u2019]s|Walmart|Costco|Target\s+(?:store|parking\s+lot)|McDonald['\u2019]s|7-Eleven|Walgreens|"
    r"CVS|Dollar\s+General|Greyhound(?:\s+(?:station|terminal))?(?!\s+bus)|Food\s+4\s+Less|Cardenas\s+Market|El\s+Super(?!\s+8)|"
    r"Vallarta\s+Supermarkets?|Fiesta\s+Mart|Motel\s+6|Super\s+8|Menards|Kroger|Publix|H-E-B|Meijer|Dollar\s+Tree|"
    r"Family\s+Dollar|Holiday\s+Inn(?:\s+Express)?|Red\s+Roof\s+Inn|Best\s+Western|Circle\s+K|QuikTrip|Market\s+Basket|"
    r"Food\s+City|Days\s+Inn|Stop\s+&\s+Shop|Save\s+Mart|WinCo)(?!\w)",
    re.IGNORECASE,
)
_EN_KINDS = (
    r"Church|Cathedral|Chapel|Parish|Mosque|Synagogue|Temple|Hospital|Clinic|Medical\s+Cent(?:er|re)|Health\s+Cent(?:er|re)|"
    r"Elementary(?:\s+School)?|Middle\s+School|High\s+School|Academy|School|College|University|Park|Market|Plaza|Mall|"
    r"Motel|Hotel|Inn|Courthouse|Immigration\s+Court|Station|Airport|Farms?|Dairy|Restaurant|Taqueria|Car\s+Wash|"
    r"Supermarket|Apartments|Shelter|Food\s+Bank|Community\s+Cent(?:er|re)|Recreation\s+Cent(?:er|re)|Funeral\s+Home|"
    r"Mart|Rescue\s+Mission|Mission|Settlement\s+House|Port\s+of\s+Entry|Daycare|Day\s+Care|Child\s+Care\s+Cent(?:er|re)|"
    # Jails and detention centres (a hand-over's place), cemeteries, courts, bridges, transit hubs, businesses.
    r"Jail|Detention\s+(?:Cent(?:er|re)|Facility)|Processing\s+Cent(?:er|re)|Correctional\s+(?:Facility|Cent(?:er|re))|"
    r"Transportation\s+Cent(?:er|re)|Transit\s+Cent(?:er|re)|Cemetery|Memorial\s+(?:Gardens|Park)|"
    r"(?:Trial|District|Superior|Municipal|Justice|Family|Juvenile|Magistrate)\s+Court|International\s+Bridge|"
    r"Auto\s+Spa|Car\s+Spa|Laundromat|Bakery|Nursery|Packing\s+Plant|Processing\s+Plant|Warehouse|Factory"
)
# Name words may be joined by "of" / "de" / "del" / "la": "Our Lady of Guadalupe Church".
# The kind word ends the name: "the United Farm Workers" is an organisation, not a farm.
_EN = re.compile(
    rf"\b((?:{_NAME_WORD}\s+(?:(?:of|de|del|la|to\s+the)\s+)?){{1,4}}(?:{_EN_KINDS}))\b(?!\s+[{_CAP}][a-z])"
)
_EN_LOWER = re.compile(
    rf"\b((?:{_NAME_WORD}\s+){{1,3}}{_NAME_WORD})\s+(?:mall|store|market|supermarket|church|motel|hotel|"
    rf"restaurant|clinic|shelter|car\s+wash|plant|farm|warehouse|apartments|apartment\s+complex)\b"
)
_ES_KINDS = (
    r"Iglesia|Parroquia|Catedral|Capilla|Cl[íi]nica|Hospital|Escuela(?:\s+Primaria|\s+Secundaria)?|Colegio|Mercado|"
    r"Restaurante|Taquer[íi]a|Tienda|Supermercado|Parque|Centro\s+Comunitario|Albergue|Refugio|Hotel|Motel|Panader[íi]a|"
    r"Lavander[íi]a|Funeraria|Despensa|Kirche|Klinik|Krankenhaus(?:es)?|Restaurant|Supermarkt"
)
_ES = re.compile(
    rf"\b((?:{_ES_KINDS})\s+(?:(?:de|del|la|el|los|las)\s+)*(?:San\s+|Santa\s+|St\.\s+)?[{_CAP}][\w'\u2019-]*"
    rf"(?:\s+(?:de\s+|del\s+|la\s+)?[{_CAP}][\w'\u2019-]*){{0,3}})"
)
# A Spanish kind word in lower case after an article, then a capitalised name: "en la lavandería La Burbuja" (but
# "la parroquia de Castroville" is described by its town, not named).
_ES_LOWER = re.compile(
    rf"\b(?:la|el|una|un|del|al)\s+((?:iglesia|parroquia|capilla|cl[íi]nica|hospital|escuela|colegio|mercado|"
    rf"restaurante|taquer[íi]a|tienda|supermercado|parque|albergue|refugio|hotel|motel|panader[íi]a|lavander[íi]a|"
    rf"funeraria|carnicer[íi]a|tortiller[íi]a|ferreter[íi]a|florer[íi]a)\s+"
    rf"(?:San\s+|Santa\s+|St\.\s+)?[{_CAP}][\w'\u2019-]*(?:\s+(?:de\s+|del\s+|la\s+)?[{_CAP}][\w'\u2019-]*){{0,3}})"
)
_DE_COMPOUND = re.compile(
    rf"\b((?:St\.-)?[{_CAP}][\w]*-(?:[{_CAP}][\w]*-)*(?:Kirche|Klinik|Krankenhaus|Schule|Grundschule|Markt|Moschee)"
    rf"|(?:Marien|Josefs|Johannes|Pauls|Peters|Michaels|Antonius|Franziskus)(?:kirche|krankenhaus|klinik|schule))\b"
)
_LEADING = re.compile(
    r"^(?:The|A|An|At|In|On|Outside|Near|From|El|La|Los|Las|Der|Die|Das|Vor|Bei|Am|Im|Stadtteil|Viertel)\s+"
)
_NEIGHBOURHOOD = re.compile(
    r"(?:\b(?:Stadtteil|Viertel|barrio|vecindario|neighbou?rhood(?:\s+of)?|colonia)\s+)$", re.I
)
# Generic capitalised starts that are not part of a name ("Federal agents ... Church" is not caught because the
# name must end right at the kind word).
_GENERIC = frozenset({"Agents", "Police", "Officers", "ICE", "DHS", "CBP", "Border", "Patrol"})


# Words that name a kind of place, not a place: "her High School" is no name.
_KIND_WORD_LIST = (
    "high middle elementary school community medical center centre health recreation food bank funeral home "
    "university college academy station park market plaza mall"
)
_KIND_WORDS = frozenset(_KIND_WORD_LIST.split())


# Church names used without a kind word: "at Sacred Heart", "Our Lady of Lourdes", "Holy Family".
_SAINTS = re.compile(
    rf"\b(?:at|in|from|outside|of)\s+((?:Sacred\s+Heart|Our\s+Lady\s+of\s+[{_CAP}]\w+|Holy\s+(?:Family|Cross|Trinity|Spirit|Name|Rosary)))"
    rf"\b(?!\s+[{_CAP}])"
)
# "Parroquia Santísima Trinidad de Hazleton": the city after "de" is not part of the name.
_TRAILING_PLACE = re.compile(
    rf"\s+(?:de|del|in|en)\s+([{_CAP}][\w'\u2019-]*(?:\s+[{_CAP}][\w'\u2019-]*){{0,2}})$"
)


@functools.lru_cache(maxsize=4096)
def is_city(name: str) -> bool:
    """True when ``name`` is a city or state in the gazetteer."""
    from amparo.extract.gazetteer import city_key, gazetteer

    g = gazetteer()
    key = city_key(name)
    return key in g.cities or key in g.states


# Just before a name: where someone was moved or went afterwards ("was taken to St. Joseph's Hospital", "lo
# llevaron al Hospital General", "ins Krankenhaus Mercy gebracht"), or whom a speaker works for ("organizers from
# Casa Latina Community Center"): a place in passing, not where people were taken.
_PASSING_BEFORE = re.compile(
    r"(?:\b(?:taken|moved|transferred|brought|rushed|driven|sent|flown|bused|released|returned|went|go|goes|"
    r"llevad[oa]s?|llevaron|trasladad[oa]s?|trasladaron|enviad[oa]s?|gebracht|verlegt|[üu]berstellt)\s+"
    r"(?:\w+\s+){0,2}?(?:to|into|a|al|a\s+la|ins|in\s+das|in\s+die|zum|zur|nach)\s+(?:the\s+|la\s+|el\s+)?|"
    r"\b(?:organi[sz]ers?|staff|director|lawyers?|attorneys?|advocates?|volunteers?|members?|pastor|spokes\w+|"
    r"organizador[ae]s|voluntari[oa]s|abogad[oa]s?|director[a]?|mitarbeiter\w*|helfer\w*|anw[äa]lt\w*)\s+"
    r"(?:from|of|with|at|de|del|de\s+la|von|vom|der|des|bei)\s+(?:the\s+)?)$",
    re.I,
)
_MAX_NAMES = 40
# A post written in lower case names places in lower case: "at the sunburst inn on katella", "at wonderland
# station", "en el supermercado la michoacana de la irving blvd". Only in such posts, and never a describing word
# ("the bus station", "a hand car wash").
_LOWER_NOT_NAME = (
    r"the|a|an|bus|train|gas|police|grocery|local|same|big|small|little|old|new|cheap|hand|corner|fire|subway|metro|"
    r"nearby|downtown|my|our|his|her|their|this|that|ice|city|county|federal|immigration|shelter|lake|beach|church|"
    r"main|only|other|next|\d[\w-]*"
)
_LOWER_EN = re.compile(
    rf"\b(?:at|outside|near|in\s+front\s+of|behind|from)\s+(?:the\s+)?((?:(?!(?:{_LOWER_NOT_NAME})\b)[a-z][\w'\u2019&-]*\s+)"
    r"{1,2}(?:inn|motel|hotel|station|market|mall|plaza|supermarket|car\s*wash|taqueria|restaurant|diner|laundromat|"
    r"bakery|apartments|trailer\s+park))\b"
)
_LOWER_ES = re.compile(
    r"\b(?:supermercado|tienda|taquer[íi]a|restaurante|lavander[íi]a|panader[íi]a|carnicer[íi]a|mercado|motel|hotel)\s+"
    r"((?:la|el|los|las)\s+[a-záéíóúñ]+(?:\s+(?!(?:de|en|del|y|con|a)\b)[a-záéíóúñ]+)?)\b"
)


# A jail or detention centre is where people were taken only when a hand-over is told there ("handed over ... from
# the Whitfield County Jail"); otherwise it is where they were held afterwards ("all three are at the Stewart
# Detention Center").
_CUSTODIAL = re.compile(r"(?:Jail|Detention\s+\w+|Processing\s+Cent(?:er|re)|Correctional\s+\w+)$")


def find_place_name(
    text: str,
    event_starts: frozenset[int] | set[int] = frozenset(),
    place_at: tuple[int, int] | None = None,
    sentence_of: Callable[[int], tuple[int, int]] | None = None,
) -> Proposal | None:
    """The named place where people were taken, or None.

    Among the names found, one at or next to the location keyword (``place_at``) and one in a sentence about the
    taking (whose start is in ``event_starts``; ``sentence_of(offset)`` gives a sentence's bounds) is preferred; a
    name where someone was moved afterwards or whom a speaker works for counts for less; otherwise the first.
    """
    candidates = _names(text)
    if not candidates:
        return None
    low = same_length_lower(text) if sentence_of is not None else ""
    best: tuple[float, int, int, str] | None = None
    for start, end, reason in candidates[:_MAX_NAMES]:
        score = 0.0
        if _PASSING_BEFORE.search(text, max(0, start - 40), start):
            score -= 2.0
        if sentence_of is not None and _CUSTODIAL.search(text, start, end):
            sent_start, sent_end = sentence_of(start)
            if not LOCATION_HANDOVER.search(low, sentence_of(max(0, sent_start - 1))[0], sent_end):
                continue
        if sentence_of is not None:
            bounds = sentence_of(start)
            if bounds[0] in event_starts:
                score += 1.0
            if place_at is not None and bounds == sentence_of(place_at[0]):
                score += 0.5
        if place_at is not None and start - 60 <= place_at[0] <= end + 10:
            score += 1.5  # the keyword of the location type is in the name or right next to it
        if best is None or (score, -start) > (best[0], -best[1]):
            best = (score, start, end, reason)
    if best is None or best[0] <= -2.0:
        return None  # only places where people were moved afterwards, or whom a speaker works for
    _, start, end, reason = best
    return Proposal(text[start:end], (start, end), text[start:end], 0.7, reason)


def _names(text: str) -> list[tuple[int, int, str]]:
    """Every named place in the text (start, end, reason), in the order of the text."""
    found: list[tuple[int, int, str]] = []
    low = same_length_lower(text)
    for pattern, reason in (
        (_CHAINS, "a chain store name"),
        (_EN, "capitalised name before a kind of place"),
        (_EN_LOWER, "capitalised name before a kind of place"),
        (_ES, "kind of place before a capitalised name"),
        (_ES_LOWER, "kind of place before a capitalised name"),
        (_DE_COMPOUND, "compound place name"),
        (_SAINTS, "name of a church"),
    ):
        for m in pattern.finditer(low if pattern is _CHAINS else text):
            start, end = m.span(1) if m.re.groups else m.span()
            lead = _LEADING.match(text, start, end)
            while lead:
                start = lead.end()
                lead = _LEADING.match(text, start, end)
            words = text[start:end].split()
            if _NEIGHBOURHOOD.search(text, max(0, start - 25), start):
                continue  # "im Stadtteil Cypress Park", "the neighborhood of Echo Park": an area, not a place
            if pattern in (_EN, _EN_LOWER) and (
                len(words) < 2 or words[0] in _GENERIC or all(w.lower() in _KIND_WORDS for w in words)
            ):
                continue
            if pattern is _EN and is_city(text[start:end]):
                continue  # "Langley Park", "College Park": a town, not a park
            trailing = _TRAILING_PLACE.search(text, start, end) if pattern in (_ES, _ES_LOWER) else None
            kept = text[start : trailing.start()].split() if trailing is not None else []
            if trailing is not None and len(kept) >= 2 and kept[-1][:1].isupper() and is_city(trailing[1]):
                end = trailing.start()  # but "Iglesia de San José" keeps its saint
            if not any(s < end and start < e for s, e, _ in found):
                found.append((start, end, reason))
            if len(found) >= _MAX_NAMES:
                break
    if lower_case_post(text):
        for pattern in (_LOWER_EN, _LOWER_ES):
            for m in itertools.islice(pattern.finditer(low), 10):
                if not any(s < m.end(1) and m.start(1) < e for s, e, _ in found):
                    found.append(
                        (m.start(1), m.end(1), "name before a kind of place, in a post in lower case")
                    )
    found.sort()
    return found
