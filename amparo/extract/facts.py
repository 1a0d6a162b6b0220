"""Number of people taken, force, media and official claims."""

from __future__ import annotations

import re

from amparo.extract.cues import DETENTION, NUMBER_PATTERN, number_value
from amparo.extract.model import Proposal
from amparo.extract.text import Sentences

__all__ = ["FORCE", "FORCE_NEGATED", "MEDIA", "find_claims", "find_flag", "find_people_taken"]

_PEOPLE = (
    r"people|persons|men|women|workers|individuals|immigrants|migrants|residents|parents|fathers|mothers|teenagers|"
    r"teens|students|day\s+laborers|laborers|employees|children|minors|adults|neighbou?rs|family\s+members|relatives|"
    r"man|woman|person|worker|father|mother|teen|teenager|student|"
    r"personas|hombres|mujeres|trabajadores|jornaleros|inmigrantes|migrantes|padres|madres|j[óo]venes|estudiantes|"
    r"empleados|menores|ni[ñn]os|vecinos|familiares|hombre|mujer|persona|trabajador|jornalero|padre|madre|joven|"
    r"menschen|personen|m[äa]nner|frauen|arbeiter|arbeitern|migranten|einwanderer|v[äa]ter|m[üu]tter|jugendliche|"
    r"sch[üu]ler|besch[äa]ftigte|mitarbeiter|angestellte|erntehelfer|tagel[öo]hner|kinder|mann|frau|vater|mutter"
)
_QUALIFIER = (
    r"at\s+least|more\s+than|over|about|some|nearly|almost|al\s+menos|m[áa]s\s+de|unos|unas|alrededor\s+de|"
    r"mindestens|mehr\s+als|rund|etwa|[üu]ber"
)
_ARTICLE = r"a|an|un|una|ein|eine|einen"
_COUNT = re.compile(
    rf"\b(?:(?P<q>{_QUALIFIER})\s+)?(?P<n>{NUMBER_PATTERN}|{_ARTICLE})\s+(?:[^\W\d_]+\s+){{0,2}}?(?P<noun>{_PEOPLE})\b",
    re.IGNORECASE,
)
_AFTER_VERB = re.compile(
    rf"\b(?:detained|arrested|apprehended|took|detuvieron\s+a|arrestaron\s+a|se\s+llevaron\s+a|capturaron\s+a|"
    rf"nahmen|verhafteten)\s+(?:(?P<q>{_QUALIFIER})\s+)?(?P<n>\d{{1,4}}|{NUMBER_PATTERN})\b"
    rf"(?!\s*(?:days?|d[ií]as|tagen?|hours?|horas|stunden|years?|a[ñn]os|jahre|%|a\.m|p\.m|de\s+\w+\s+de))",
    re.IGNORECASE,
)
_NONE_TAKEN = re.compile(
    r"\b(?:no\s+one\s+was\s+(?:detained|arrested|taken)|nobody\s+was\s+(?:detained|arrested|taken)|"
    r"no\s+arrests\s+were\s+made|made\s+no\s+arrests|nadie\s+fue\s+(?:detenid[oa]|arrestad[oa])|"
    r"no\s+(?:hubo|se\s+reportaron)\s+(?:detenciones|arrestos|detenidos)|no\s+detuvieron\s+a\s+nadie|"
    r"niemand\s+wurde\s+(?:festgenommen|verhaftet)|keine\s+(?:festnahmen|verhaftungen)|"
    r"nahmen\s+niemanden\s+fest)\b",
    re.IGNORECASE,
)
_JOIN = re.compile(r"^\s*(?:,|,?\s*and|y|e|und|sowie)\s*$", re.IGNORECASE)
_NEAR = 120


def find_people_taken(text: str, sentences: Sentences) -> Proposal | None:
    """How many people were taken: a count next to a person noun in a sentence about detention."""
    first_none = _NONE_TAKEN.search(text)
    for sent_start, sent_end in _event_sentences(text, sentences):
        verbs = [m.span() for m in DETENTION.finditer(text, sent_start, sent_end)]
        groups: list[list[re.Match[str]]] = []
        for m in _COUNT.finditer(text, sent_start, sent_end):
            is_article = m["n"].lower() in {"a", "an", "un", "una", "ein", "eine", "einen"}
            value = 1 if is_article else number_value(m["n"])
            if value is None or not _near(m, verbs, 40 if is_article else _NEAR):
                continue
            if groups and _JOIN.match(text[groups[-1][-1].end() : m.start()]):
                groups[-1].append(m)
            else:
                groups.append([m])
        for m in _AFTER_VERB.finditer(text, sent_start, sent_end):
            if not any(g[0].start() <= m.start("n") < g[-1].end() for g in groups):
                groups.append([m])
        if not groups:
            continue
        groups.sort(key=lambda g: g[0].start())
        chosen = groups[0]
        total = 0
        for m in chosen:
            token = m["n"].lower()
            total += (
                1
                if token in {"a", "an", "un", "una", "ein", "eine", "einen"}
                else (number_value(m["n"]) or 0)
            )
        start = chosen[0].start("q") if chosen[0]["q"] else chosen[0].start("n")
        end = chosen[-1].end()
        if first_none is not None and first_none.start() < start:
            break
        qualified = chosen[0]["q"] is not None
        reason = "count of people near a detention verb" + (" (a lower bound)" if qualified else "")
        if len(chosen) > 1:
            reason += f"; {len(chosen)} groups added"
        return Proposal(total, (start, end), text[start:end], 0.7 if qualified else 0.8, reason)
    if first_none is not None:
        return Proposal(0, first_none.span(), first_none[0], 0.8, "text says no one was taken")
    return None


def _event_sentences(text: str, sentences: Sentences) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in DETENTION.finditer(text):
        bounds = sentences.bounds(m.start())
        if not out or out[-1] != bounds:
            out.append(bounds)
    return out


def _near(m: re.Match[str], verbs: list[tuple[int, int]], limit: int) -> bool:
    return any(
        (0 <= vs - m.end() <= limit) or (0 <= m.start() - ve <= limit) or (vs >= m.start() and ve <= m.end())
        for vs, ve in verbs
    )


FORCE = re.compile(
    r"\b(?:(?<!task\s)(?<!air\s)force[ds]?|forcibly|forcefully|tackl\w+|shov\w+|push(?:ed|ing)|slamm\w+|pinned|"
    r"punch\w+|kick(?:ed|ing)|beat(?:en|ing)|chok\w+|pepper[- ]spray\w*|tear\s+gas|pepper\s+balls?|rubber\s+bullets?|"
    r"tasers?|tased|stun\s+guns?|batons?|guns?|firearms?|rifles?|pistols?|weapons?|gunpoint|broke\s+(?:the|a|his|her)"
    r"\s+(?:car\s+)?(?:window|door)|smash\w*|shots|fired\s+(?:at|shots|rounds)|injur\w+|bleeding|bloodied|"
    r"la\s+fuerza|fuerza|violencia|violentamente|empuj\w+|golpe\w*|tiraron\s+al\s+suelo|derribaron|armas?|"
    r"pistolas?|rifles?|gas\s+pimienta|gas\s+lacrim[óo]geno|balas\s+de\s+goma|rompieron|quebraron|herid[oa]s?|"
    r"gewalt\w*|waffen?|pistolen?|gewehre?n?|pfefferspray|tr[äa]nengas|schlagst[öo]ck\w*|zu\s+boden|stie[ßs]en|"
    r"geschubst|schubsten|schlugen|geschlagen|zerschlugen|eingeschlagen|verletzt\w*|gummigeschoss\w*)\b",
    re.IGNORECASE,
)
FORCE_NEGATED = re.compile(
    r"\b(?:no\s+(?:force|weapons?|violence)\s+was\s+used|without\s+(?:force|violence|incident)|"
    r"no\s+weapons\s+were\s+drawn|did\s+not\s+use\s+force|sin\s+(?:violencia|uso\s+de\s+(?:la\s+)?fuerza|armas)|"
    r"no\s+usaron\s+(?:la\s+)?fuerza|ohne\s+gewalt(?:anwendung)?|keine\s+gewalt|keine\s+waffen)\b",
    re.IGNORECASE,
)
MEDIA = re.compile(
    r"\b(?:videos?|footage|filmed|filming|recorded|recording|photos?|photographs?|pictures?|live-?streams?\w*|"
    r"livestream\w*|facebook\s+live|instagram\s+live|tiktok|v[íi]deos?|grab(?:[óo]|aron|aci[óo]n|aciones|ando)|"
    r"film(?:[óo]|aron|ando)|fotos?|fotograf\w+|im[áa]genes|transmisi[óo]n\s+en\s+vivo|en\s+vivo|"
    r"gefilmt|filmte\w*|aufnahmen?|aufgenommen|bilder|handyvideo\w*)\b",
    re.IGNORECASE,
)


def find_flag(
    text: str, positive: re.Pattern[str], negated: re.Pattern[str] | None, what: str
) -> Proposal | None:
    """True when ``positive`` matches outside a negation, False when only a negation matches, else None."""
    negations = [m.span() for m in negated.finditer(text)] if negated is not None else []
    for m in positive.finditer(text):
        if not any(s <= m.start() < e for s, e in negations):
            return Proposal(True, m.span(), m[0], 0.8, f"{what} mentioned")
    if negations:
        s, e = negations[0]
        return Proposal(False, (s, e), text[s:e], 0.7, f"text says no {what}")
    return None


_SOURCE = (
    r"DHS|ICE|CBP|the\s+Department\s+of\s+Homeland\s+Security|Homeland\s+Security|the\s+agency|the\s+department|"
    r"(?:federal\s+|immigration\s+|ICE\s+|DHS\s+|agency\s+)?officials|authorities|the\s+White\s+House|"
    r"(?:an?|the)\s+(?:DHS\s+|ICE\s+|CBP\s+|agency\s+|department\s+)?(?:spokes(?:wo)?man|spokesperson|official)"
)
_ES_SOURCE = (
    r"(?:el\s+|la\s+)?(?:DHS|ICE|CBP)|las\s+autoridades|autoridades|(?:los\s+)?funcionarios|la\s+agencia|"
    r"el\s+Departamento\s+de\s+Seguridad\s+Nacional|(?:el|un|una|la)\s+(?:portavoz|vocer[oa]|funcionari[oa])"
)
_DE_SOURCE = (
    r"(?:das\s+)?(?:DHS|ICE|CBP)|die\s+Beh[öo]rden?|(?:ein|eine|der|die)\s+Sprecher(?:in)?|"
    r"das\s+(?:Heimatschutz)?ministerium|Beamte|Beh[öo]rdenvertreter"
)
_EN_VERB = r"said|says|stated|claimed|told|confirmed|denied|alleged|described|wrote|added|maintained|insisted"
_ES_VERB = (
    r"dijo|dijeron|afirm[óo]|afirmaron|asegur[óo]|aseguraron|declar[óo]|declararon|inform[óo]|informaron|"
    r"se[ñn]al[óo]|se[ñn]alaron|confirm[óo]|confirmaron|neg[óo]|negaron|sostuvo|indic[óo]|indicaron|aleg[óo]"
)
_DE_VERB = (
    r"sagte|sagten|erkl[äa]rte|erkl[äa]rten|teilte|teilten|behauptete|behaupteten|best[äa]tigte|betonte|wies"
)
CLAIM = re.compile(
    rf"\b(?:(?:{_SOURCE})\s+(?:{_EN_VERB})|(?:{_EN_VERB})\s+(?:{_SOURCE})|according\s+to\s+(?:{_SOURCE}|a\s+statement)|"
    rf"in\s+a\s+statement|(?:{_ES_SOURCE})\s+(?:{_ES_VERB})|(?:{_ES_VERB})\s+(?:{_ES_SOURCE})|"
    rf"seg[úu]n\s+(?:{_ES_SOURCE})|en\s+un\s+comunicado|(?:{_DE_SOURCE})\s+(?:{_DE_VERB})|(?:{_DE_VERB})\s+"
    rf"(?:{_DE_SOURCE})|laut\s+(?:{_DE_SOURCE}|dem\s+\w+|der\s+\w+|einer?\s+\w+|DHS|ICE|CBP)|"
    rf"nach\s+Angaben\s+(?:des|der|von)|in\s+einer\s+(?:Erkl[äa]rung|Mitteilung))\b",
    re.IGNORECASE,
)


def find_claims(text: str, sentences: Sentences) -> Proposal | None:
    """Sentences that report what DHS, ICE or other officials said."""
    parts: list[Proposal] = []
    seen: set[int] = set()
    for m in CLAIM.finditer(text):
        start, end = sentences.bounds(m.start())
        if start in seen:
            continue
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
