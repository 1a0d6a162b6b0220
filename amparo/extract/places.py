"""Named places: "Home Depot", "St. Mary's Church", "Clínica La Esperanza", "St.-Marien-Kirche"."""

from __future__ import annotations

import re

from amparo.extract.model import Proposal
from amparo.extract.text import same_length_lower

__all__ = ["find_place_name"]

_CAP = "A-ZÁÉÍÓÚÑÄÖÜ"
_NAME_WORD = rf"(?:St\.|Sta\.|[{_CAP}]\.(?=\s+[{_CAP}])|[{_CAP}][\w'\u2019&-]*)"  # "Daniel K. Inouye"
_CHAINS = re.compile(
    r"\b(?:Home\s+Depot|Lowe['\u2019]s|Walmart|Costco|Target\s+(?:store|parking\s+lot)|McDonald['\u2019]s|7-Eleven|Walgreens|"
    r"CVS|Dollar\s+General|Greyhound(?:\s+(?:station|terminal))?|Food\s+4\s+Less|Cardenas\s+Market|El\s+Super|"
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
    r"Mart|Rescue\s+Mission|Mission|Settlement\s+House|Port\s+of\s+Entry|Daycare|Day\s+Care|Child\s+Care\s+Cent(?:er|re)"
)
# Name words may be joined by "of" / "de" / "del" / "la": "Our Lady of Guadalupe Church".
# The kind word ends the name: "the United Farm Workers" is an organisation, not a farm.
_EN = re.compile(
    rf"\b((?:{_NAME_WORD}\s+(?:(?:of|de|del|la)\s+)?){{1,4}}(?:{_EN_KINDS}))\b(?!\s+[{_CAP}][a-z])"
)
_EN_LOWER = re.compile(
    rf"\b((?:{_NAME_WORD}\s+){{1,3}}{_NAME_WORD})\s+(?:mall|store|market|supermarket|church|motel|hotel|"
    rf"restaurant|clinic|shelter|car\s+wash|plant|farm|warehouse|apartments|apartment\s+complex)\b"
)
_ES_KINDS = (
    r"Iglesia|Parroquia|Catedral|Capilla|Cl[íi]nica|Hospital|Escuela(?:\s+Primaria|\s+Secundaria)?|Colegio|Mercado|"
    r"Restaurante|Taquer[íi]a|Tienda|Supermercado|Parque|Centro\s+Comunitario|Albergue|Refugio|Hotel|Motel|Panader[íi]a|"
    r"Lavander[íi]a|Funeraria|Despensa|Kirche|Klinik|Krankenhaus|Restaurant|Supermarkt"
)
_ES = re.compile(
    rf"\b((?:{_ES_KINDS})\s+(?:(?:de|del|la|el|los|las)\s+)*(?:San\s+|Santa\s+|St\.\s+)?[{_CAP}][\w'\u2019-]*"
    rf"(?:\s+(?:de\s+|del\s+|la\s+)?[{_CAP}][\w'\u2019-]*){{0,3}})"
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


def _is_city(name: str) -> bool:
    from amparo.extract.gazetteer import city_key, gazetteer

    g = gazetteer()
    key = city_key(name)
    return key in g.cities or key in g.states


def find_place_name(text: str) -> Proposal | None:
    """The first named place in the text, or None."""
    best: tuple[int, int, str] | None = None
    low = same_length_lower(text)
    for pattern, reason in (
        (_CHAINS, "a chain store name"),
        (_EN, "capitalised name before a kind of place"),
        (_EN_LOWER, "capitalised name before a kind of place"),
        (_ES, "kind of place before a capitalised name"),
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
            if pattern is _EN and _is_city(text[start:end]):
                continue  # "Langley Park", "College Park": a town, not a park
            trailing = _TRAILING_PLACE.search(text, start, end) if pattern is _ES else None
            kept = text[start : trailing.start()].split() if trailing is not None else []
            if trailing is not None and len(kept) >= 2 and kept[-1][:1].isupper() and _is_city(trailing[1]):
                end = trailing.start()  # but "Iglesia de San José" keeps its saint
            if best is None or start < best[0]:
                best = (start, end, reason)
            break
    if best is None:
        return None
    start, end, reason = best
    return Proposal(text[start:end], (start, end), text[start:end], 0.7, reason)
