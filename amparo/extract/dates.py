"""The incident date: absolute dates in three languages and relative ones resolved against the publication date."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from amparo.extract.cues import DETENTION, NUMBER_PATTERN, number_value
from amparo.extract.model import Proposal
from amparo.extract.text import Sentences, fold, lowered

__all__ = ["find_date"]

_MONTHS = {
    # English (also abbreviations), Spanish, German; keys are accent-folded and lower-case.
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "januar": 1, "janner": 1, "februar": 2, "marz": 3, "maerz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12, "dez": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6,
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonnabend": 5,
    "sonntag": 6,
}  # fmt: skip

_EN_MON = r"january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|may|jun|jul|aug|sept|sep|oct|nov|dec"
_ES_MON = (
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
)
_DE_MON = (
    r"januar|jänner|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember|dez"
)
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# (pattern, order of day and month when both are numbers)
_ABSOLUTE = [
    re.compile(rf"\b(?P<mon>{_EN_MON})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR}\b)?", re.I),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_EN_MON})\b\.?(?:,?\s+{_YEAR}\b)?", re.I
    ),
    re.compile(rf"\b(?P<day>\d{{1,2}})[º°]?\s+de\s+(?P<mon>{_ES_MON})\b(?:\s+(?:de|del)\s+{_YEAR}\b)?", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})\.\s*(?P<mon>{_DE_MON})\b(?:\s+{_YEAR}\b)?", re.I),
    re.compile(rf"\b{_YEAR}-(?P<mon>\d\d)-(?P<day>\d\d)\b"),
    re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d\d|\d\d)\b"),
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<year>(?:19|20)\d\d)?(?![\d])"),
]
_DOTTED = _ABSOLUTE[-1]
_SLASHED = _ABSOLUTE[-2]
# "Sat 6/13", "Thu 5/28", "Tuesday 3/3": a weekday and a month/day with no year (a log's or post's header).
_WEEKDAY_SLASHED = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\.?,?\s+"
    r"(?P<a>\d{1,2})/(?P<b>\d{1,2})\b(?!/)",
    re.I,
)
_ABSOLUTE.append(_WEEKDAY_SLASHED)

_NUM = NUMBER_PATTERN
# (pattern, days before publication, confidence, reason)
_FIXED = [
    (
        re.compile(
            r"\b(?:the\s+day\s+before\s+yesterday|anteayer|antier|antes\s+de\s+ayer|vorgestern)\b", re.I
        ),
        2,
    ),
    (
        re.compile(
            r"\b(?:yesterday|last\s+(?:night|nite|nigth)|lastnight|ayer|anoche|gestern)\b|"
            # "Overnight, agents ...", "... and overnight": last night; not "held her overnight" (a duration) or
            # "the overnight volunteer" (a shift).
            r"(?:\A|(?<=[.,;:!?]\s)|(?<=\band\s))overnight\b(?!\s+(?:volunteer|shift|crew|staff|operator|line|stay))",
            re.I,
        ),
        1,
    ),
    (
        re.compile(
            r"\b(?:today|this\s+(?:morning|afternoon|evening)|tonight|earlier\s+today|hoy|"
            r"esta\s+(?:mañana|manana|tarde|noche|madrugada)|heute|right\s+now|rn|just\s+(?:now|watched|saw|took)|"
            r"ahorita(?:\s+mismo)?|ahora\s+mismo|acaban\s+de|(?:bin|ist|sind)\s+gerade)\b",
            re.I,
        ),
        0,
    ),
]
_DAYS_AGO = re.compile(
    rf"\b(?:(?P<en>{_NUM})\s+days?\s+ago|hace\s+(?P<es>{_NUM})\s+d[ií]as|vor\s+(?P<de>{_NUM})\s+tagen)\b",
    re.I,
)
_WEEKDAY = re.compile(
    r"\b(?:(?P<before>last|this\s+past|past|next|coming|this|el|este|pasado|del|pr[óo]ximo|am|diesen|diesem|"
    r"letzten|letztem|vergangenen|vergangenem|n[äa]chsten|kommenden)\s+)?"
    r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|mi[ée]rcoles|jueves|viernes|"
    r"s[áa]bado|domingo|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag)"
    r"(?:morgen|abend|nachmittag|vormittag|fr[üu]h|nacht|mittag)?(?P<after>\s+pasado)?\b",
    re.I,
)
_ABSOLUTE = [lowered(p) for p in _ABSOLUTE]
_WEEKDAY_SLASHED = _ABSOLUTE[-1]
_FIXED = [(lowered(p), days) for p, days in _FIXED]
_DAYS_AGO = lowered(_DAYS_AGO)
_WEEKDAY = lowered(_WEEKDAY)
_FUTURE = {"next", "coming", "proximo", "próximo", "nächsten", "nachsten", "kommenden"}
_STRICT_PAST = {"last", "this past", "past", "pasado", "letzten", "letztem", "vergangenen", "vergangenem"}


# Verbs of speaking next to a date: the date is when someone spoke.
_SPEECH = lowered(
    re.compile(
        r"\b(?:said|says|told|announced|confirmed|corrected|lowered|raised|revised|updated|dijo|dijeron|inform[óo]|"
        r"afirm[óo]|confirm[óo]|corrigi[óo]|korrigierte|"
        r"sagte|sagten|erkl[äa]rte|teilte|mitteilte|mitteilten|berichtete|best[äa]tigte)\b",
        re.IGNORECASE,
    )
)
# A handover to immigration just before a date: that date is the handover's.
_HANDOVER_BEFORE = lowered(
    re.compile(
        r"\b(?:(?:entregad[oa]s?|entreg[óo]|entregaron)\s+a\s+(?:ice|inmigraci[óo]n|la\s+migra)|"
        r"(?:handed|turned)\s+(?:\w+\s+){0,2}?over\s+to\s+(?:ice|immigration)|(?:handed|transferred|released)\s+to\s+"
        r"(?:ice|immigration)|an\s+(?:ice|die\s+einwanderungsbeh[öo]rde)\s+[üu]bergeben|"
        r"[üu]bergab\w*\s+(?:\w+\s+){0,3}?an\s+(?:ice|die\s+einwanderungsbeh\w*))\b[^.!?]{0,25}$",
        re.IGNORECASE,
    )
)
# An operation over several days is dated by its first day ("a two-day operation that began Wednesday").
_BEGAN_BEFORE = lowered(
    re.compile(
        r"\b(?:began|begun|started|starting|comenz[óo]|empez[óo]|inici[óo]|begann|startete)\s+(?:on\s+|el\s+|am\s+)?$",
        re.IGNORECASE,
    )
)
_ENDED_BEFORE = lowered(
    re.compile(
        r"\b(?:ended|concluded|wrapped\s+up|termin[óo]|conclu[yi][óo]|endete|dauerte\s+bis)\s+(?:on\s+|el\s+|am\s+)?$",
        re.IGNORECASE,
    )
)
# "viewed 200,000 times by Monday", "hasta el lunes", "bis Montag": a deadline or an aftermath, not the day.
_BY_BEFORE = lowered(re.compile(r"\b(?:by|until|till|hasta(?:\s+el)?|bis(?:\s+zum)?)\s+$", re.IGNORECASE))
# A sentence about what is planned: its weekday is an upcoming event's.
_PLANNED = lowered(
    re.compile(
        r"\b(?:will|plans?|planned|planning|scheduled|wollen|werden|planen|kündigten|kuendigten|planean|"
        r"van\s+a|vamos\s+a|habr[áa]|convoca\w*)\b",
        re.IGNORECASE,
    )
)
_LOG_STAMP = re.compile(
    r"\s*[^\n.]{0,50}?\b(?:hotline|log|transcript|l[íi]nea|registro|llamada|protokoll|notruf|anruf)\b[^\n]{0,30}?"
    r"(?P<time>\b\d{1,2}[:.]\d{2}(?:\s*(?:a\.\s?m\.|p\.\s?m\.|am|pm|uhr|de\s+la\s+(?:mañana|manana|tarde|noche)))?)"
)
# A text with more date expressions than this is not a news report; later ones are ignored (keeps it linear).
_MAX_CANDIDATES = 200


@dataclass(frozen=True, slots=True)
class _Candidate:
    value: date
    start: int
    end: int
    confidence: float
    reason: str


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int, published: date | None) -> date | None:
    if published is None:
        return None
    value = _safe_date(published.year, month, day)
    if value is not None and value > published + timedelta(days=7):
        value = _safe_date(published.year - 1, month, day)
    return value


def _absolute(text: str, published: date | None, lang: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    taken: list[tuple[int, int]] = []
    for pattern in _ABSOLUTE:
        for m in pattern.finditer(text):
            if len(found) >= _MAX_CANDIDATES:
                return found
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            groups = m.groupdict()
            if pattern is _SLASHED or pattern is _WEEKDAY_SLASHED:
                a, b = int(groups["a"]), int(groups["b"])
                month, day = (a, b) if (lang == "en" and a <= 12) or b > 12 else (b, a)
            else:
                day = int(groups["day"])
                mon = groups["mon"]
                month = int(mon) if mon.isdigit() else _MONTHS[fold(mon)]
            if pattern is _DOTTED and groups["year"] is None and lang != "de":
                continue
            year_text = groups.get("year")
            if year_text:
                year = int(year_text) + (2000 if len(year_text) == 2 else 0)
                value = _safe_date(year, month, day)
                confidence, reason = 0.95, "absolute date"
            else:
                value = _infer_year(month, day, published)
                confidence, reason = 0.85, "date without a year; year taken from the publication date"
            if value is None:
                continue
            taken.append(m.span())
            found.append(_Candidate(value, m.start(), m.end(), confidence, reason))
    return found


def _relative(text: str, published: date) -> list[_Candidate]:
    return list(itertools.islice(_relative_all(text, published), _MAX_CANDIDATES))


def _relative_all(text: str, published: date) -> Iterator[_Candidate]:
    for pattern, days in _FIXED:
        for m in pattern.finditer(text):
            yield (
                _Candidate(
                    published - timedelta(days=days),
                    *m.span(),
                    0.85,
                    f"relative to publication date: -{days} day(s)",
                )
            )
    for m in _DAYS_AGO.finditer(text):
        n = number_value(m["en"] or m["es"] or m["de"])
        if n is not None and n < 400:
            yield _Candidate(published - timedelta(days=n), *m.span(), 0.8, f"{n} days before publication")
    for m in _WEEKDAY.finditer(text):
        before = " ".join((m["before"] or "").lower().split())
        word = m["wd"]
        if before in _FUTURE:
            continue
        if fold(word) == "domingo" and not before and not m["after"]:
            continue  # "Domingo" alone is as often a name.
        strict = before in _STRICT_PAST or bool(m["after"])
        target = _WEEKDAYS[fold(word)]
        back = (published.weekday() - target) % 7
        if strict and back == 0:
            back = 7
        start = (
            m.start()
            if before in _STRICT_PAST or before in {"this", "este", "diesen", "diesem"}
            else m.start("wd")
        )
        reason = (
            f"weekday resolved to the {'previous' if strict else 'most recent'} {word} before publication"
        )
        yield _Candidate(published - timedelta(days=back), start, m.end(), 0.75, reason)


def find_date(text: str, published: date | None, lang: str, sentences: Sentences) -> Proposal | None:
    """The most likely incident date, or None. ``text`` is the same_length_lower() text."""
    absolute = _absolute(text, published, lang)
    candidates = list(absolute)
    if published is not None:
        for cand in _relative(text, published):
            # "Tuesday, March 3" / "el martes 3 de marzo": the absolute date right after wins.
            if any(0 <= a.start - cand.end <= 3 or (a.start <= cand.start < a.end) for a in absolute):
                continue
            candidates.append(cand)
        limit = published + timedelta(days=1)
        candidates = [c for c in candidates if c.value <= limit]
    if not candidates and published is not None:
        # "Hotline log, 11:50. Caller ...", "Línea de emergencia, 6:45 de la mañana": a log entry with only a
        # clock time is about the day it was logged (docs/extract.md, labelling rules).
        stamp = _LOG_STAMP.match(text)
        if stamp is not None:
            s, e = stamp.span("time")
            return Proposal(
                published, (s, e), text[s:e], 0.5, "clock time of a log entry: the day it was logged"
            )
    if not candidates:
        return None

    event_sentence: dict[int, bool] = {}

    def is_event(start: int, end: int) -> bool:
        if start not in event_sentence:
            event_sentence[start] = DETENTION.search(text, start, end) is not None
        return event_sentence[start]

    def score(cand: _Candidate) -> float:
        s = cand.confidence
        start, end = sentences.bounds(cand.start)
        if is_event(start, end):
            s += 0.3
        elif end < len(text) and is_event(*sentences.bounds(end)):
            s += 0.1  # "On Wednesday, April 29, hundreds marched ... As the rally ended, troopers arrested three"
        if published is not None and cand.value < published - timedelta(days=60):
            s -= 0.4
        speech = _SPEECH.search(text, max(start, cand.start - 40), min(end, cand.end + 30))
        if speech is not None and "," in text[min(speech.end(), cand.end) : max(speech.start(), cand.start)]:
            speech = (
                None  # "Wie ihre Anwältin am Donnerstag mitteilte, hatte sie am Mittwoch ...": another clause
            )
        if _HANDOVER_BEFORE.search(text, max(start, cand.start - 60), cand.start):
            s += 0.35  # "entregado a ICE el 5 de marzo": the rules date a jail handover by the handover
        before = text[max(start, cand.start - 20) : cand.start]
        if _BEGAN_BEFORE.search(before):
            s += 0.15
        elif _ENDED_BEFORE.search(before):
            s -= 0.15
        elif _BY_BEFORE.search(before):
            s -= 0.3
        if cand.reason.startswith("weekday") and _PLANNED.search(text, start, end):
            s -= 0.35  # "Unterstützer wollen am Samstag demonstrieren": a plan, not the incident
        if speech is not None:
            verb = DETENTION.search(text, max(start, cand.start - 80), min(end, cand.end + 30))
            gap = abs(speech.start() - cand.start)
            if verb is None or abs(verb.start() - cand.start) > gap:
                s -= 0.25  # "her lawyer said Thursday": the day of a statement
        if cand.start < 40 and cand.value == published and cand.confidence >= 0.85 and len(candidates) > 1:
            s -= 0.2  # "Solidarity statement, May 1, 2026." / "Nota de la línea, 28 de enero.": a stamp
        return s

    best = max(candidates, key=lambda c: (score(c), -c.start))
    return Proposal(
        best.value, (best.start, best.end), text[best.start : best.end], best.confidence, best.reason
    )
