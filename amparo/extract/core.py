"""``extract()``: every extractor run over one text, results gathered in an :class:`Extraction`."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime

from amparo.extract import learned
from amparo.extract.cues import DETENTION
from amparo.extract.dates import find_date
from amparo.extract.facts import (
    FORCE,
    FORCE_NEGATED,
    FORCE_NEUTRAL,
    MEDIA,
    MEDIA_NEUTRAL,
    find_claims,
    find_flag,
    find_people_taken,
)
from amparo.extract.geo import find_place
from amparo.extract.lexicon import (
    ACTION,
    AGENCY_ACRONYMS,
    AGENCY_ASSISTED,
    AGENCY_DENIED,
    AGENCY_DENIED_BEFORE,
    AGENCY_LABEL_AFTER,
    AGENCY_LABEL_BEFORE,
    AGENCY_NAMES,
    AGENCY_PASSING_AFTER,
    AGENCY_PASSING_BEFORE,
    AGENCY_POLICY,
    AGENCY_SILENT,
    AGENCY_SUPPORT,
    LOCATION,
    LOCATION_ADDRESS_BEFORE,
    LOCATION_ASIDE,
    LOCATION_AT_BEFORE,
    LOCATION_AT_WORK,
    LOCATION_DESCRIBES_AFTER,
    LOCATION_DESCRIBES_BEFORE,
    LOCATION_ELSEWHERE_AFTER,
    LOCATION_ELSEWHERE_BEFORE,
    LOCATION_HANDOVER,
    LOCATION_HELD_NOW,
    LOCATION_LANDMARK_BEFORE,
    LOCATION_OF_AFTER,
    LOCATION_WEIGHT,
    LOCATION_WORKERS,
    LOCATION_WORKPLACE_AFTER,
    OTHER_TIME,
    PARKING,
    PROTECTED,
)
from amparo.extract.model import LANGUAGES, Candidate, Extraction, Proposal
from amparo.extract.places import find_place_name
from amparo.extract.text import Sentences, clean, detect_language, lower_case_post, same_length_lower

__all__ = ["LANGUAGES", "MAX_CHARS", "extract"]

# Only the start of a very long text is analysed; offsets stay offsets into the whole text.
MAX_CHARS = 100_000


def extract(text: str, *, published: date | None = None, lang: str | None = None) -> Extraction:
    """Propose incident facts found in ``text``.

    ``published`` is the publication or receipt date that relative dates ("yesterday", "el martes") are resolved
    against; without it only absolute dates that name a year are proposed. ``lang`` is "en", "es" or "de"; when None
    it is detected. A fact the text does not state is left out; every proposal carries the span it came from.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if isinstance(published, datetime):
        published = published.date()  # a datetime compares with dates only after this
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    work = clean(text[:MAX_CHARS])
    low = same_length_lower(work)  # the case-insensitive patterns run on this; offsets are the same
    detected = lang is None
    language = lang or detect_language(low) or "en"
    sentences = Sentences.of(work)
    event_starts = {sentences.bounds(m.start())[0] for m in DETENTION.finditer(low)}

    # Every reading the rules weigh for the learned fields; the learned scorer (learned.py) picks among them.
    # (Only for the fields that have weights: the others keep the rules' choice and pay nothing.)
    seen: dict[str, list[Candidate] | None] = {
        name: [] if learned.wanted(name) else None for name in learned.FIELDS
    }
    location = _location_type(low, sentences, event_starts, seen["location_type"])
    claims = find_claims(work, low, sentences)
    # Sentences whose counts are the government's figures; an agent's remark at the scene gives no figure.
    claim_starts = (
        frozenset(sentences.bounds(p.span[0])[0] for p in claims.parts if not _AT_SCENE.match(p.reason))
        if claims
        else frozenset()
    )
    other_times = _other_times(low, sentences)
    context = learned.Context(low, language, sentences, frozenset(event_starts), claim_starts, other_times)
    location = learned.choose("location_type", seen["location_type"], location, context)
    place = find_place(
        work,
        sentences,
        event_starts,
        location.span[0] if location else None,
        seen["city"],
        lambda cities, rule: learned.choose("city", cities, rule, context),
    )
    found: dict[str, Proposal | None] = {
        "date": find_date(low, published, language, sentences),
        **place,
        "place_name": find_place_name(
            work, event_starts, location.span if location else None, sentences.bounds
        ),
        "location_type": location,
        "agencies": _agencies(work, low, location.value if location else None, sentences),
        "people_taken": learned.choose(
            "people_taken",
            seen["people_taken"],
            find_people_taken(low, sentences, claim_starts, work, seen["people_taken"]),
            context,
        ),
        "force": learned.choose(
            "force",
            seen["force"],
            find_flag(
                low, FORCE, FORCE_NEGATED, "force or weapons", FORCE_NEUTRAL, other_times, seen["force"]
            ),
            context,
        ),
        "media_mentioned": find_flag(low, MEDIA, None, "video or photos", MEDIA_NEUTRAL),
        "official_claims": claims,
    }
    if learned.TRACE is not None:
        traced = {name: list(seen[name] or ()) for name in learned.FIELDS}
        learned.TRACE.append((context, traced, {name: found.get(name) for name in learned.FIELDS}))
    proposals = {name: _original(text, p) for name, p in found.items() if p is not None}
    return Extraction(proposals, language=language, language_detected=detected)


def _other_times(low: str, sentences: Sentences) -> tuple[tuple[int, int], ...]:
    """Sentences about other times ("in recent weeks police used tear gas"): their force words are not the incident's.

    A run-on post with no sentence breaks is left alone: one such phrase says nothing about the rest of it.
    """
    spans: list[tuple[int, int]] = []
    for m in itertools.islice(OTHER_TIME.finditer(low), 20):
        start, end = sentences.bounds(m.start())
        if end - start <= 400 and (not spans or spans[-1] != (start, end)):
            spans.append((start, end))
    return tuple(spans)


def _original(text: str, proposal: Proposal) -> Proposal:
    """The proposal with ``text`` taken from the caller's string (cleaning replaced control characters)."""
    s, e = proposal.span
    if text[s:e] == proposal.text and not proposal.parts:
        return proposal
    parts = tuple(_original(text, part) for part in proposal.parts)
    return Proposal(proposal.value, proposal.span, text[s:e], proposal.confidence, proposal.reason, parts)


def _location_type(
    text: str, sentences: Sentences, event_starts: set[int], seen: list[Candidate] | None = None
) -> Proposal | None:
    """The kind of place of the taking: the best-placed location keyword.

    A keyword counts for more in a sentence with a detention verb or where agents act, right after "at" /
    "outside" / "en" / "vor", and early in the text; for less as a landmark next to another place ("la parada
    frente a la panadería"), in an appeal or a plan ("if your church wants a training"), or as the jail a detainee
    was moved to when no hand-over is told. A store where the people taken worked is a worksite.
    """
    best: tuple[float, int, str, int, int] | None = None
    previous_end = -100
    best_boosted = False
    length = max(1, len(text))
    for m in LOCATION.finditer(text):
        code = m.lastgroup
        if code is None:
            continue
        start = m.start()
        if (
            code != "vehicle_stop" and LOCATION_DESCRIBES_BEFORE.search(text, max(0, start - 40), start)
        ) or LOCATION_DESCRIBES_AFTER.match(text[m.end() : m.end() + 20]):
            continue  # "he works at a bakery"; but "they got pulled over" is the stop
        after = text[m.end() : m.end() + 60]
        if m[0] in PARKING and LOCATION_OF_AFTER.match(after):
            continue
        sent_start, sent_end = sentences.bounds(start)
        window = max(sent_start, start - 150), min(sent_end, m.end() + 150)
        if code == "commercial_retail" and (
            LOCATION_WORKPLACE_AFTER.match(after)
            or LOCATION_WORKERS.search(text, max(sent_start, start - 120), min(sent_end, m.end() + 120))
        ):
            code = "worksite"
        score = LOCATION_WEIGHT[code]
        if code == "vehicle_stop" and m[0].startswith("driver"):
            score = 0.85  # "pulled him from the driver's seat": a car, not a stop; a school drop-off beats it
        detention = sent_start in event_starts and DETENTION.search(text, *window)
        if detention:
            score += 0.5
        elif ACTION.search(text, *window):
            score += 0.45
        elif sent_start in event_starts:
            score += 0.3
        elif LOCATION_ASIDE.search(text, sent_start, sent_end):
            score -= 0.3
        if OTHER_TIME.search(text, sent_start, sent_end) and sent_end - sent_start <= 400:
            # "In den vergangenen Monaten gab es Festnahmen im Umfeld von Kirchen": earlier operations elsewhere.
            score = min(score, LOCATION_WEIGHT[code]) - 0.3
        boosted = score > LOCATION_WEIGHT[code]
        if LOCATION_AT_BEFORE.search(text, max(0, start - 40), start):
            score += 0.15
        # "la parada frente a la panadería": a landmark; "the library on 6th ave": the address of a place.
        if (
            start - previous_end <= 40
            and code not in PROTECTED
            and code != "residence"
            and (
                LOCATION_LANDMARK_BEFORE.search(text, max(0, start - 40), start)
                or (code == "street_public" and LOCATION_ADDRESS_BEFORE.match(text, previous_end, start))
            )
        ):
            score -= 0.4
        if code == "jail_transfer":
            # "The man was being held in a county jail": where he was moved, unless the text tells a hand-over.
            near = sentences.bounds(max(0, sent_start - 1))[0], min(length, sent_end + 200)
            score += 0.6 if LOCATION_HANDOVER.search(text, *near) else -0.3
        if (
            LOCATION_ELSEWHERE_BEFORE.search(text, max(0, start - 60), start)
            or (
                # "an ICE übergeben und in ein Abschiebegefängnis ... gebracht": the jail after the hand-over
                code == "jail_transfer"
                and LOCATION_ELSEWHERE_AFTER.match(text, m.end())
                and LOCATION_HANDOVER.search(text, sent_start, start)
            )
            or (
                code == "jail_transfer" and LOCATION_HELD_NOW.search(text, max(sent_start, start - 60), start)
            )
        ):
            score -= 0.6  # where people were moved afterwards, where someone ran, where agents gathered
        score -= 0.15 * start / length
        previous_end = m.end()
        if seen is not None:
            reason = f"keyword for {code}"
            seen.append((score, Proposal(code, m.span(), m[0], max(0.3, min(0.9, score - 0.4)), reason), ()))
        if best is None or score > best[0]:
            best = (score, m.start(), code, m.start(), m.end())
            best_boosted = boosted
    if best is None or (not event_starts and not best_boosted):
        # No sentence tells of anyone taken and no agent acts where the keyword is: a know-your-rights fair, a
        # policy piece. A place named there is not an incident's place.
        return None
    score, _, code, s, e = best
    if code == "commercial_retail" and LOCATION_AT_WORK.search(text):
        code = "worksite"  # "seien während der Arbeit abgeführt worden": the store or car wash was their work
    return Proposal(code, (s, e), text[s:e], max(0.3, min(0.9, score - 0.4)), f"keyword for {code}")


_AT_SCENE = re.compile(
    r"attributed: '(?:the|a|an|one|uno\s+de\s+los|el|un)\s+(?:state\s+)?(?:trooper|deputy|officer|agent|agentes?|"
    r"oficial(?:es)?|polic[ií]as?)\b"
)
_SUPERSEDED = {
    "NATIONAL_GUARD_STATE": ("NATIONAL_GUARD_FEDERALIZED",),
    "ICE_UNSPECIFIED": ("ICE_ERO", "ICE_HSI"),
    "UNKNOWN_FEDERAL": (
        "ICE_ERO",
        "ICE_HSI",
        "ICE_UNSPECIFIED",
        "CBP_USBP",
        "CBP_OFO",
        "FBI",
        "DEA",
        "ATF",
        "USMS",
    ),
}
_287G = re.compile(r"\b287\s*\(\s*g\s*\)")
# A Guard "unter Bundeskommando", "under federal orders", "bajo mando federal": the federalized Guard.
_FEDERAL_COMMAND = re.compile(
    r"\b(?:unter\s+bundes(?:kommando|befehl)|under\s+federal\s+(?:command|control|orders)|federali[sz]ed|"
    r"bajo\s+(?:el\s+)?(?:mando|control|[óo]rdenes)\s+federal(?:es)?|federalizad[oa]s?|f[öo]deralisiert\w*)\b"
)
_GUARD = re.compile(r"\b(?:guard|guardia|nationalgarde)\b")


def _agencies(text: str, low: str, location_type: str | None, sentences: Sentences) -> Proposal | None:
    patterns = [(AGENCY_ACRONYMS, text), (AGENCY_NAMES, low)]
    if lower_case_post(text):
        patterns.append((_LOWER_ACRONYMS, low))  # "ice had the whole block shut down", "kenosha pd"
    else:
        patterns.append(
            (_LOWER_ICE_WITH, low)
        )  # "2 ice trucks", "ice agents": in lower case, still the agency
    hits = sorted(
        (m.start(), m.end(), m.lastgroup)
        for pattern, haystack in patterns
        for m in pattern.finditer(haystack)
        if m.lastgroup is not None
    )
    first: dict[str, tuple[int, int]] = {}
    denied: set[str] = set()
    strong: set[str] = set()  # named in a sentence that tells of people taken
    for i, (s, e, code) in enumerate(hits[:_MAX_AGENCY_HITS]):
        verdict = _takes_part(low, hits, i, sentences)
        if verdict is None:
            denied.add(code)
            continue
        if not verdict:
            continue
        sent_start, sent_end = sentences.bounds(s)
        if DETENTION.search(low, max(sent_start, s - 150), min(sent_end, e + 150)):
            strong.add(code)
        if code not in first:
            first[code] = (s, e)
    # "ppl saying its ICE but i cant tell ... HPD posted that ICE was not there": an agency the text denies is
    # dropped unless a sentence about the taking names it without the denial.
    for code in denied - strong:
        first.pop(code, None)
    if "IMMIGRATION_GENERIC" in first:
        # "la migra", "immigration agents": the immigration agency the text names, else ICE.
        # "La migra y la Patrulla Fronteriza": two agencies side by side; "la migra ..., la border pues": one.
        span = first.pop("IMMIGRATION_GENERIC")
        named = any(code.startswith(("ICE_", "CBP_")) for code in first)
        if not named or _coordinated(low, hits[:_MAX_AGENCY_HITS]):
            first["ICE_UNSPECIFIED"] = span
    if "NATIONAL_GUARD_STATE" in first and any(
        _GUARD.search(low, max(0, m.start() - 120), m.start()) for m in _FEDERAL_COMMAND.finditer(low)
    ):
        first["NATIONAL_GUARD_FEDERALIZED"] = first.pop("NATIONAL_GUARD_STATE")
    if "CBP_BARE" in first:
        # "CBP" alone: Field Operations at airports and ports of entry, otherwise Border Patrol.
        span = first.pop("CBP_BARE")
        code = "CBP_OFO" if location_type == "airport_port" else "CBP_USBP"
        if "CBP_OFO" not in first and "CBP_USBP" not in first:
            first[code] = span
    if _287G.search(text):
        for plain in ("SHERIFF", "STATE_POLICE"):
            if plain in first:
                first[f"{plain}_287G"] = first.pop(plain)
    for code, by in _SUPERSEDED.items():
        if code in first and any(other in first for other in by):
            del first[code]
    if not first:
        return None
    ordered = sorted(first.items(), key=lambda item: item[1])
    if not ordered:
        return None
    parts = tuple(
        Proposal(code, span, text[span[0] : span[1]], 0.85, "agency name") for code, span in ordered
    )
    codes = [p.value for p in parts]
    return Proposal(codes, parts[0].span, parts[0].text, 0.85, "agencies named in the text", parts)


_MAX_AGENCY_HITS = 500
# Acronyms written in lower case, read only in a post with almost no capitals (elsewhere "ice" is ice).
_LOWER_ACRONYMS = re.compile(
    r"\b(?:(?P<ICE_HSI>hsi)|(?P<ICE_ERO>ero)|(?P<ICE_UNSPECIFIED>ice)(?!\s+(?:cream|cold|storm|skat\w*|cubes?|rink|age|box|chest))|"
    r"(?P<CBP_BARE>cbp)|(?P<STATE_POLICE>dps)|(?P<LOCAL_POLICE>[a-z]{2,}\s+pd|[a-z]{1,4}pd))\b"
)
_LOWER_ICE_WITH = re.compile(
    r"(?<![A-Za-z])(?P<ICE_UNSPECIFIED>ice)(?=\s+(?:agents?|officers?|trucks?|vans?|cars?|suvs?|vehicles?|raids?|"
    r"custody|detention|detainers?|agentes|camionetas|beamte\w*))"
)


_COORDINATION = re.compile(
    r"\s*(?:,\s*)?(?:y|and|und|e|as\s+well\s+as|sowie)\s+(?:(?:la|el|los|las|the|die|der|den)\s+)?$"
)


def _coordinated(low: str, hits: list[tuple[int, int, str]]) -> bool:
    """True when a general word for immigration agents is joined by "and" / "y" / "und" to a named agency."""
    for (_, e1, c1), (s2, _, c2) in itertools.pairwise(hits):
        if (
            "IMMIGRATION_GENERIC" in (c1, c2)
            and c1 != c2
            and _COORDINATION.match(low, e1, s2)
            and s2 - e1 < 20
        ):
            return True
    return False


_QUESTION = re.compile(r"¿[^?]*$")


def _takes_part(low: str, hits: list[tuple[int, int, str]], i: int, sentences: Sentences) -> bool | None:
    """False for a mention only in passing, None for one the text denies, True otherwise.

    "Police said their officers were not involved", "ICE did not respond", "vests marked POLICE ICE" (a label,
    not the police), "an inquiry by the state police", a sentence about a law with no arrest in it.
    """
    start, end, code = hits[i]
    sent_start, sent_end = sentences.bounds(start)
    if _QUESTION.search(low, sent_start, start) or low[sent_start:sent_end].rstrip().endswith("?"):
        return False  # "¿Vino la policía local?", "Were police there?": asked, not said
    if code == "LOCAL_POLICE" and (
        AGENCY_LABEL_BEFORE.search(low, max(sent_start, start - 40), start)
        or AGENCY_LABEL_AFTER.match(low, end)
    ):
        return False
    if AGENCY_PASSING_BEFORE.search(low, max(sent_start, start - 30), start) or AGENCY_PASSING_AFTER.match(
        low, end
    ):
        return False
    if AGENCY_DENIED_BEFORE.search(low, max(sent_start, start - 25), start):
        return None
    if OTHER_TIME.search(low, sent_start, sent_end):
        return False  # "In den vergangenen Wochen ... setzte die Polizei Tränengas ein": another event
    # A denial after the mention and before the next agency mention of the same sentence.
    stop = sent_end
    for s, _, other in hits[i + 1 :]:
        if s >= sent_end:
            break
        if other != code and s > end:
            stop = s
            break
    stop = min(stop, end + 150)  # a run-on post: a denial far after the mention is about someone else
    if AGENCY_SILENT.search(low, end, stop):
        return False
    denial = AGENCY_DENIED.search(low, end, stop)
    if denial is not None:
        helped = AGENCY_ASSISTED.search(low, denial.end(), sent_end) or AGENCY_SUPPORT.search(
            low, start, sent_end
        )
        return True if helped else None
    if sent_end - sent_start > 300:  # a run-on social post: only the words around the mention say what it is
        sent_start, sent_end = max(sent_start, start - 100), min(sent_end, end + 100)
    return not (
        AGENCY_POLICY.search(low, sent_start, sent_end) and not DETENTION.search(low, sent_start, sent_end)
    )
