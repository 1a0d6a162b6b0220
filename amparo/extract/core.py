"""``extract()``: every extractor run over one text, results gathered in an :class:`Extraction`."""

from __future__ import annotations

import re
from datetime import date, datetime

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
    AGENCY_DENIED,
    AGENCY_LABEL_BEFORE,
    AGENCY_NAMES,
    AGENCY_PASSING_AFTER,
    AGENCY_PASSING_BEFORE,
    AGENCY_POLICY,
    LOCATION,
    LOCATION_AT_BEFORE,
    LOCATION_DESCRIBES_AFTER,
    LOCATION_DESCRIBES_BEFORE,
    LOCATION_OF_AFTER,
    LOCATION_WEIGHT,
    LOCATION_WORKPLACE_AFTER,
    PARKING,
)
from amparo.extract.model import LANGUAGES, Extraction, Proposal
from amparo.extract.places import find_place_name
from amparo.extract.text import Sentences, clean, detect_language, same_length_lower

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

    location = _location_type(low, sentences, event_starts)
    claims = find_claims(work, low, sentences)
    claim_starts = frozenset(sentences.bounds(p.span[0])[0] for p in claims.parts) if claims else frozenset()
    found: dict[str, Proposal | None] = {
        "date": find_date(low, published, language, sentences),
        **find_place(work, sentences, event_starts, location.span[0] if location else None),
        "place_name": find_place_name(work),
        "location_type": location,
        "agencies": _agencies(work, low, location.value if location else None, sentences),
        "people_taken": find_people_taken(low, sentences, claim_starts),
        "force": find_flag(low, FORCE, FORCE_NEGATED, "force or weapons", FORCE_NEUTRAL),
        "media_mentioned": find_flag(low, MEDIA, None, "video or photos", MEDIA_NEUTRAL),
        "official_claims": claims,
    }
    proposals = {name: _original(text, p) for name, p in found.items() if p is not None}
    return Extraction(proposals, language=language, language_detected=detected)


def _original(text: str, proposal: Proposal) -> Proposal:
    """The proposal with ``text`` taken from the caller's string (cleaning replaced control characters)."""
    s, e = proposal.span
    if text[s:e] == proposal.text and not proposal.parts:
        return proposal
    parts = tuple(_original(text, part) for part in proposal.parts)
    return Proposal(proposal.value, proposal.span, text[s:e], proposal.confidence, proposal.reason, parts)


def _location_type(text: str, sentences: Sentences, event_starts: set[int]) -> Proposal | None:
    best: tuple[float, int, str, int, int] | None = None
    for m in LOCATION.finditer(text):
        code = m.lastgroup
        if code is None:
            continue
        start = m.start()
        if LOCATION_DESCRIBES_BEFORE.search(
            text, max(0, start - 40), start
        ) or LOCATION_DESCRIBES_AFTER.match(text[m.end() : m.end() + 20]):
            continue
        after = text[m.end() : m.end() + 60]
        if m[0] in PARKING and LOCATION_OF_AFTER.match(after):
            continue
        if code == "commercial_retail" and LOCATION_WORKPLACE_AFTER.match(after):
            code = "worksite"
        score = LOCATION_WEIGHT[code]
        sent_start, sent_end = sentences.bounds(start)
        window = max(sent_start, start - 150), min(sent_end, m.end() + 150)
        if sent_start in event_starts and DETENTION.search(text, *window):
            score += 0.5
        elif ACTION.search(text, *window):
            score += 0.45
        elif sent_start in event_starts:
            score += 0.3
        if LOCATION_AT_BEFORE.search(text, max(0, start - 40), start):
            score += 0.15
        if best is None or score > best[0]:
            best = (score, m.start(), code, m.start(), m.end())
    if best is None:
        return None
    score, _, code, s, e = best
    return Proposal(code, (s, e), text[s:e], min(0.9, score - 0.4), f"keyword for {code}")


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


def _agencies(text: str, low: str, location_type: str | None, sentences: Sentences) -> Proposal | None:
    hits = sorted(
        (m.start(), m.end(), m.lastgroup)
        for pattern, haystack in ((AGENCY_ACRONYMS, text), (AGENCY_NAMES, low))
        for m in pattern.finditer(haystack)
        if m.lastgroup is not None
    )
    first: dict[str, tuple[int, int]] = {}
    for i, (s, e, code) in enumerate(hits[:_MAX_AGENCY_HITS]):
        if code not in first and _takes_part(low, hits, i, sentences):
            first[code] = (s, e)
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


def _takes_part(low: str, hits: list[tuple[int, int, str]], i: int, sentences: Sentences) -> bool:
    """False for a mention that denies or is only in passing.

    "Police said their officers were not involved", "ICE did not respond", "vests marked POLICE ICE" (a label,
    not the police), "an inquiry by the state police", a sentence about a law with no arrest in it.
    """
    start, end, code = hits[i]
    sent_start, sent_end = sentences.bounds(start)
    if AGENCY_LABEL_BEFORE.search(low, max(sent_start, start - 25), start) and code == "LOCAL_POLICE":
        return False
    if AGENCY_PASSING_BEFORE.search(low, max(sent_start, start - 30), start) or AGENCY_PASSING_AFTER.match(
        low, end
    ):
        return False
    # A denial after the mention and before the next agency mention of the same sentence.
    stop = sent_end
    for s, _, other in hits[i + 1 :]:
        if s >= sent_end:
            break
        if other != code and s > end:
            stop = s
            break
    if AGENCY_DENIED.search(low, end, stop):
        return False
    long_sentence = sent_end - sent_start > 300  # a run-on social post: one "law" says nothing about the rest
    return long_sentence or not (
        AGENCY_POLICY.search(low, sent_start, sent_end) and not DETENTION.search(low, sent_start, sent_end)
    )
