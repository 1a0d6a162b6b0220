"""City and state from the offline gazetteer, preferring "City, ST" and states named in the text."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from amparo.extract.gazetteer import ALIASES, COMMON_WORDS, City, Gazetteer, city_key, gazetteer
from amparo.extract.model import Candidate, Proposal
from amparo.extract.text import Sentences, fold

__all__ = ["find_place"]

_CAP = "A-ZÁÉÍÓÚÑÄÖÜ"
# A run of capitalised words ("San Luis Obispo", "St. Paul", "Winston-Salem", "HOUSTON").
_RUN = re.compile(rf"[{_CAP}][\w'\u2019.-]*(?:[ \t]+(?:de[ \t]+|del[ \t]+)?[{_CAP}][\w'\u2019.-]*)*")
_TOKEN = re.compile(r"\S+")
_STATE_AFTER = re.compile(
    rf",[ \t]*((?:[{_CAP}][A-Za-z.]*)(?:[ \t]+(?:del[ \t]+)?[{_CAP}][A-Za-z.]*){{0,2}})"
)
_LOCATIVE_EXTRA = (
    r"|(?:\b(?:in|en)\s+(?:east|west|north|south|northern|southern|eastern|western|downtown|el\s+(?:norte|sur|este|oeste)\s+de)\s+)$"
    r"|(?:\bal\s+(?:norte|sur|este|oeste)\s+de\s+)$"
)
# After a city name: a dash ends a dateline ("HOUSTON — ", "SANTA ANA, Calif. — ", "LOS ANGELES (dpa) — ").
# German agencies write "New York (dpa) - ", Spanish ones "LOS ÁNGELES, 5 mar (EFE).- ".
_DATELINE_AFTER = re.compile("[^\n]{0,30}?(?:\\s[\u2014\u2013-]{1,2}|[).]\\s?\\.?[\u2014\u2013-]{1,2})\\s")
# After a city name that is also a word: "Durham City Council", "Salinas police".
_CITY_WORD_AFTER = re.compile(r"[ \t]+(?:City[ \t]+Council|city[ \t]+council|police|Police|PD\b)")
_LOCATIVE = re.compile(
    r"(?:\b(?:in|en|at|near|outside|bei|nahe|cerca\s+de|a\s+las\s+afueras\s+de)\s+)$"
    r"|(?:\b(?:edge|outskirts|suburbs?|afueras|orilla|rand|stadtrand|vorort)\s+(?:of|de|von)\s+)$"
    # "in suburban Cicero", "en un autolavado de Santa Ana", "in einem Vorort von Chicago, in Cicero".
    r"|(?:\bin\s+suburban\s+)$|(?:\b(?:en|de)\s+(?:un|una)\s+[a-záéíóúñ]+\s+de\s+)$"
    # "im texanischen El Paso", "in der Kleinstadt Waukegan", "in the city of Salem", "en la ciudad (tejana) de".
    r"|(?:\b(?:im|in\s+der|in\s+dem|nahe\s+der)\s+(?:[a-zäöüß]+(?:ischen|er|en)\s+)?(?:(?:klein|grenz|vor|groß)?stadt\s+)?)$"
    r"|(?:\bin\s+the\s+(?:city|town|village)\s+of\s+)$|(?:\ben\s+(?:la|el)\s+(?:ciudad|pueblo|localidad|municipio)\s+(?:\w+\s+)?de\s+)$"
    + _LOCATIVE_EXTRA,
    re.I,
)
# An all-lower-case post ("they got my tio at the carwash on 24th st in ogden"): a city after "in" / "en".
# Before a city that is only a reference point: "Aurora, un suburbio al este de Denver", "a town north of Fresno",
# "nördlich von Chicago". Another city named with the taking is the place.
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:north|south|east|west|northeast|northwest|southeast|southwest)\s+of|"
    r"\bal\s+(?:norte|sur|este|oeste|noreste|noroeste|sureste|suroeste)\s+de|"
    r"\b(?:n[öo]rdlich|s[üu]dlich|[öo]stlich|westlich|nordwestlich|nord[öo]stlich|s[üu]dwestlich|s[üu]d[öo]stlich)\s+von|"
    r"\bmiles\s+(?:from|outside\s+(?:of\s+)?)|\bmillas\s+de|"
    r"\bkilometers\s+from|\bkil[óo]metros\s+de|\bkilometer\s+von|"
    # The metropolitan area: "im Großraum Los Angeles", "greater Los Angeles", "el área metropolitana de Houston".
    r"\b(?:im|des|dem)\s+gro[ßs]raums?|\bgreater|\b(?:[áa]rea|zona)\s+metropolitana\s+de|\bmetro(?:politan)?\s+area\s+of)\s+$",
    re.I,
)
# Before a city where people were moved afterwards ("los llevaron a la oficina del centro de Los Ángeles", "were
# taken to a processing center in Aurora"), a person's home town ("a mother of two from New Britain", "un hombre
# originario de"), or a caller's ("Llamada a la línea, desde Norcross"): not where people were taken.
_ELSEWHERE_BEFORE = re.compile(
    r"(?:\b(?:taken|moved|transferred|brought|driven|flown|bused|llevaron|llevad[oa]s?|trasladad[oa]s?|trasladaron|"
    r"gebracht|verlegt|[üu]berstellt)\s+(?:\w+\s+)?(?:to|into|a|al|nach|ins|in\s+(?:ein|eine|einen|das|die))\s+"
    r"(?:[\w'\u2019.-]+\s+){0,5}?(?:in|en|de|del|nach|von)\s+$)"
    r"|(?:\b(?:mother|father|man|woman|resident|member|worker|native|neighbou?r|vecin[oa]|residente|originari[oa]|"
    r"oriund[oa]|mann|frau|vater|mutter)\b[^,.;:!?]{0,30}?\b(?:from|de|aus)\s+$)"
    r"|(?:\b(?:llam\w*|call(?:s|ed|er|ing)?|anruf\w*|anrufer\w*)\b[^.!?\n]{0,30}?\b(?:desde|from|aus)\s+$)",
    re.I,
)
# After a named place and "de": its town ("la Parroquia San Miguel Arcángel de Garland"): the incident's city.
_PLACE_OF_BEFORE = re.compile(
    r"\b(?:parroquia|iglesia|capilla|escuela|cl[íi]nica|hospital|tienda|supermercado|restaurante|lavander[íi]a|"
    r"taller|mercado|panader[íi]a|funeraria)\s+(?:[\w'\u2019.-]+\s+){1,4}?de\s+$",
    re.I,
)
# A state named by its adjective: "im texanischen El Paso", "la ciudad californiana de Salinas".
_STATE_ADJECTIVE = re.compile(
    r"\b(?:(?P<TX>texanisch|tejan[oa])|(?P<CA>kalifornisch|californian[oa])|(?P<FL>floridianisch|florida[ñn]?[oa])|"
    r"(?P<AZ>arizonisch|arizonense))\w*",
    re.I,
)
_LOWER_PLACE = re.compile(
    r"\b(?:in|en|from|near|outside)\s+(?=([a-z][a-z'.-]+(?:[ \t]+[a-z][a-z'.-]+){0,2}))"
)
_CAPITALISED_WORD = re.compile(r"(?<![\w'])[A-ZÁÉÍÓÚÑÄÖÜ]")
_STATE_QUALIFIED = re.compile(r"(?:\bupstate\s+|\bstate\s+of\s+|\bestado\s+de\s+|\bbundesstaat\s+)$", re.I)
_MAX_WORDS = 4
_MAX_RUN = 30  # a longer run of capitalised words is not a place name; only its start is looked at
# A capitalised word right after a city name that shows it is part of another name ("Maricopa County",
# "Roosevelt Elementary School", "Houston Street").
_NOT_CITY_WORDS = (
    "county elementary school high middle academy church cathedral hospital clinic street st avenue ave road rd "
    "boulevard blvd park mall station airport courthouse jail plaza center centre motel hotel inn university "
    "college community medical parish drive highway freeway way"
)
_NOT_CITY_AFTER = frozenset(_NOT_CITY_WORDS.split())
_NOT_CITY_BEFORE = re.compile(
    r"(?:\bcondado\s+de|\bcounty\s+of|\biglesia|\bparroquia|\bescuela|\bcolegio|\bhospital|\bcl[íi]nica|\bcapilla|"
    r"\bcatedral|\bcalle|\bavenida|\bchurch\s+of|\bkrankenhaus|\bkirche|\bklinik|\buniversidad\s+de\s+\w+\s+en|"
    r"\buniversity\s+of\s+\w+,?|\b(?:la|el)\s+\w+\s+y|\b(?:of|at)\s+\w+\s+and)\s+$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    key: str
    state: str | None = None  # explicit "City, ST"
    state_span: tuple[int, int] | None = None


@functools.cache
def _first_words() -> frozenset[str]:
    g = gazetteer()
    return frozenset(key.split(" ")[0] for key in (*g.cities, *g.states))


def _trim(text: str, start: int, end: int) -> int:
    """End offset without a trailing sentence period, comma or possessive."""
    while end > start and text[end - 1] in ".,;:'\u2019\"":
        if text[end - 2 : end] in {"St", "Ste"} or text[max(start, end - 3) : end] in {"St.", "Ste."}:
            break
        end -= 1
    if text[end - 2 : end] in {"'s", "\u2019s"}:
        end -= 2
    return end


def _explicit_state(g: Gazetteer, text: str, end: int) -> tuple[str, tuple[int, int]] | None:
    """The state right after "City, ": a name ("Texas"), a code ("TX") or an abbreviation ("Calif.", "N.Y.")."""
    m = _STATE_AFTER.match(text, end)
    if not m:
        return None
    words = list(_TOKEN.finditer(m[1]))
    base = m.start(1)
    for n in range(len(words), 0, -1):
        s, e = base + words[0].start(), base + words[n - 1].end()
        bare = text[s:e].rstrip(".")
        if city_key(bare) in g.states:
            return g.states[city_key(bare)], (s, s + len(bare))
        code = g.lookup_state(bare)
        if code and len(bare) == 2 and bare.isupper():
            return code, (s, s + 2)  # "TX", without a sentence's full stop
        if code:
            return code, (s, e)  # an abbreviation keeps its period: "Calif."
    return None


def _scan(g: Gazetteer, text: str) -> tuple[list[_Mention], list[tuple[int, int, str]]]:
    first = _first_words()
    cities: list[_Mention] = []
    states: list[tuple[int, int, str]] = []
    for run in _RUN.finditer(text):
        words = itertools.islice(_TOKEN.finditer(text, run.start(), run.end()), _MAX_RUN)
        tokens = [t.span() for t in words]
        i = 0
        while i < len(tokens):
            head = city_key(text[tokens[i][0] : tokens[i][1]]).split(" ")[0] if tokens[i] else ""
            if (
                head not in first
                and head not in {"saint", "st"}
                and text[tokens[i][0] : tokens[i][0] + 2] != "LA"
            ):
                i += 1
                continue
            for n in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
                start = tokens[i][0]
                end = _trim(text, start, tokens[i + n - 1][1])
                key = "l a" if text[start:end] == "LA" and len(tokens) == 1 else city_key(text[start:end])
                state_code = g.states.get(key)
                is_city = key in g.cities
                if not (state_code or is_city):
                    continue
                if is_city and not state_code and _part_of_other_name(text, tokens, i, n, end):
                    i += n - 1
                    break
                if state_code:
                    states.append((start, end, state_code))
                    qualified = _STATE_QUALIFIED.search(text, max(0, start - 20), start) is not None
                    city_too = key in {"new york", "nueva york"} or (
                        key == "washington" and _explicit_state(g, text, end)
                    )
                    if qualified or not city_too:
                        i += n - 1
                        break
                if is_city:
                    explicit = _explicit_state(g, text, end)
                    if explicit:
                        states.append((*explicit[1], explicit[0]))
                        cities.append(_Mention(start, end, key, explicit[0], explicit[1]))
                    else:
                        cities.append(_Mention(start, end, key))
                i += n - 1
                break
            i += 1
    return cities, states


def _part_of_other_name(text: str, tokens: list[tuple[int, int]], i: int, n: int, end: int) -> bool:
    """True for "Maricopa County", "Roosevelt Elementary", "condado de Maricopa"."""
    if end == tokens[i + n - 1][1] and i + n < len(tokens):
        after_start, after_end = tokens[i + n]
        if city_key(text[after_start:after_end]) in _NOT_CITY_AFTER:
            return True
    start = tokens[i][0]
    return _NOT_CITY_BEFORE.search(text, max(0, start - 20), start) is not None


def _lower_case_cities(g: Gazetteer, text: str) -> list[_Mention]:
    """Cities written in lower case after "in" / "en" in a text that has almost no capitals (a social post).

    Only names that are not also words, and only where the writer does not capitalise names at all.
    """
    words = len(text.split())
    if words < 20 or len(_CAPITALISED_WORD.findall(text)) > words * 0.06:
        return []
    found: list[_Mention] = []
    for m in itertools.islice(_LOWER_PLACE.finditer(text), 200):
        tokens = m[1].split()
        for n in range(len(tokens), 0, -1):
            name = " ".join(tokens[:n]).rstrip(".,'")
            key = city_key(name)
            if key in g.cities and key not in COMMON_WORDS and not (n == 1 and len(key) <= 3):
                start = m.start(1)
                found.append(_Mention(start, start + len(name), key))
                break
    return found


def _dominant(options: tuple[City, ...]) -> bool:
    if len({c.state for c in options}) == 1:
        return True
    return options[0].population >= 5 * options[1].population


def find_place(
    text: str,
    sentences: Sentences,
    event_sentence: set[int],
    place_at: int | None = None,
    seen: list[Candidate] | None = None,
    choose: Callable[[list[Candidate], Proposal | None], Proposal | None] | None = None,
) -> dict[str, Proposal]:
    """``city`` and ``state`` proposals (either may be missing). ``place_at``: where the location type was found.

    The incident city is usually the dateline's or the one in the first sentence about the arrest; places named
    late in the text are more often places in passing (where someone was moved, a neighbouring town). ``seen``,
    when given, receives every city mention weighed; ``choose`` (with ``seen``) then picks the city among them, given
    the rules' choice, and the state follows the city chosen.
    """
    g = gazetteer()
    mentions, state_mentions = _scan(g, text)
    adjectives = [
        (m.start(), m.end(), m.lastgroup) for m in itertools.islice(_STATE_ADJECTIVE.finditer(text), 20)
    ]
    state_mentions = sorted(state_mentions + [(s, e, code) for s, e, code in adjectives if code])
    # A post with almost no capitals names its cities in lower case ("en la pacific blvd en huntington park"), even
    # when one capitalised name is also there.
    lower = [
        low
        for low in _lower_case_cities(g, text)
        if not any(m.start < low.end and low.start < m.end for m in mentions)
    ]
    if lower:
        mentions = sorted(mentions + lower, key=lambda m: m.start)
    named_states = {code for _, _, code in state_mentions}
    # States of the unambiguous cities named: "HOUSTON — ... in Pasadena" is Pasadena, Texas.
    context_states = {g.cities[m.key][0].state for m in mentions if _dominant(g.cities[m.key])}
    length = max(len(text), 1)
    first_sentences_end = sentences.bounds(sentences.bounds(0)[1])[1]
    best: tuple[float, int, City, _Mention, str] | None = None
    weighed: list[tuple[float, int, City, _Mention, str]] = []  # in step with what ``seen`` receives
    first_other: int | None = None
    has_dateline = any(_DATELINE_AFTER.match(text, m.end) and not text[: m.start].strip() for m in mentions)
    for m in mentions:
        options = g.cities[m.key]
        word = text[m.start : m.end]
        dateline = _DATELINE_AFTER.match(text, m.end) is not None and not text[: m.start].strip()
        locative = (
            _LOCATIVE.search(text, max(0, m.start - 30), m.start) is not None
            or _PLACE_OF_BEFORE.search(text, max(0, m.start - 60), m.start) is not None
        )
        if m.state:
            chosen = [c for c in options if c.state == m.state]
            if not chosen:
                continue
            city, conf, reason = chosen[0], 0.95, "city followed by its state"
        elif in_named := [c for c in options if c.state in named_states]:
            city, conf, reason = in_named[0], 0.85, "city in a state named in the text"
        elif m.key in ALIASES:
            city, conf, reason = options[0], 0.8, "short name of a city"
        else:
            common = m.key in COMMON_WORDS or (word.isupper() and len(word) <= 4)
            if common and not (locative or _CITY_WORD_AFTER.match(text, m.end)):
                continue
            if sentences.is_start(m.start, text) and len(m.key.split()) == 1 and fold(word) in COMMON_WORDS:
                continue
            in_context = [c for c in options if c.state in context_states]
            if common:
                city, conf, reason = options[0], 0.55, "city name that is also a word, used as a place"
            elif len(options) > 1 and in_context and not _dominant(options):
                city, conf, reason = in_context[0], 0.7, "city in the state of another city named"
            else:
                city = options[0]
                conf = 0.75 if _dominant(options) else 0.5
                reason = "city name in the gazetteer" + (
                    "" if conf > 0.5 else f" ({len(options)} places share it)"
                )
        score = conf - 0.15 * m.start / length
        if dateline:
            score += 0.2
        else:
            if sentences.bounds(m.start)[0] in event_sentence:
                score += 0.15
                if locative and has_dateline and m.start < first_sentences_end:
                    # "BAKERSFIELD — ... detained four farmworkers ... on the edge of Delano": the dateline is
                    # where the reporter files from; the place told with the taking is where it happened.
                    score += 0.15
            if first_other is None:
                first_other = m.start
                score += 0.1 if m.start < first_sentences_end else 0.05
        if locative:
            score += 0.05
        if _REFERENCE_BEFORE.search(text, max(0, m.start - 30), m.start):
            score -= 0.3
        if _ELSEWHERE_BEFORE.search(text, max(0, m.start - 80), m.start):
            score -= 0.3
        if place_at is not None and sentences.bounds(m.start) == sentences.bounds(place_at):
            score += 0.1  # "entered the Good Neighbor Settlement House in Brownsville"
            if locative and has_dateline and 0 <= m.start - place_at <= 80:
                score += (
                    0.15  # "MIAMI - ... im ICE-Büro in Miramar": the city of the place beats the dateline
                )
        entry = (score, m.start, city, m, reason)
        if seen is not None:
            cues = (
                float(dateline),
                float(locative),
                float(m.state is not None),
                float(_REFERENCE_BEFORE.search(text, max(0, m.start - 30), m.start) is not None),
                conf,
                float(len(options) > 1),
            )
            seen.append((score, Proposal(city.name, (m.start, m.end), word, min(score, 0.95), reason), cues))
            weighed.append(entry)
        if best is None or score > best[0]:
            best = entry
    if choose is not None and seen:
        rule = next((p for (_, p, _), w in zip(seen, weighed, strict=True) if w is best), None)
        picked = choose(seen, rule)
        best = next((w for (_, p, _), w in zip(seen, weighed, strict=True) if p is picked), None)
    out: dict[str, Proposal] = {}
    if best is not None:
        score, _, city, m, reason = best
        conf = min(score, 0.95)
        out["city"] = Proposal(city.name, (m.start, m.end), text[m.start : m.end], conf, reason)
        if m.state and m.state_span:
            s, e = m.state_span
            out["state"] = Proposal(m.state, (s, e), text[s:e], 0.95, "state right after the city")
            return out
    city_state = best[2].state if best is not None else None
    sure = best is not None and (
        _dominant(g.cities[best[3].key]) or best[4].startswith(("city in the", "short"))
    )
    if best is not None and sure and city_state not in named_states:
        city = best[2]
        s, e = best[3].start, best[3].end
        out["state"] = Proposal(city.state, (s, e), text[s:e], 0.6, f"inferred from the city {city.name}")
        return out
    for s, e, code in state_mentions:
        if city_state is None or code == city_state:
            out["state"] = Proposal(code, (s, e), text[s:e], 0.85, "state named in the text")
            return out
    if state_mentions:
        s, e, code = state_mentions[0]
        out["state"] = Proposal(code, (s, e), text[s:e], 0.6, "state named in the text (not the city's)")
    elif best is not None and _dominant(g.cities[best[3].key]):
        city = best[2]
        s, e = best[3].start, best[3].end
        out["state"] = Proposal(city.state, (s, e), text[s:e], 0.6, f"inferred from the city {city.name}")
    return out
