"""Verification levels, derived from the append-only log (plain functions: data in, data out).

The level of an incident is the level the latest event moved it to; with no event it is ``reported``. A level that
says something happened (corroborated, confirmed, confirmed after the fact) can only be reached by a method that can
support it: two independent reports corroborate but cannot confirm; a responder on scene confirms.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from amparo.incidents.codes import DispatchOutcome, Level, Method


class EventLike(Protocol):
    to_level: str


METHODS_FOR_LEVEL: dict[str, frozenset[str]] = {
    Level.CORROBORATED: frozenset(
        {
            Method.INDEPENDENT_REPORTS,
            Method.MEDIA_GEOLOCATED,
            Method.MEDIA_CHRONOLOCATED,
            Method.PARTNER,
            Method.NEWS,
            Method.REVIEW,
        }
    ),
    Level.CONFIRMED: frozenset(
        {
            Method.ON_SCENE,
            Method.OFFICIAL,
            Method.RECORD,
            Method.MEDIA_GEOLOCATED,
            Method.MEDIA_CHRONOLOCATED,
            Method.REVIEW,
        }
    ),
    Level.CONFIRMED_AFTER_FACT: frozenset(
        {Method.ON_SCENE, Method.FAMILY, Method.RECORD, Method.PARTNER, Method.REVIEW}
    ),
}

# What a verifier's dispatch outcome says about the incident (None: the outcome alone changes nothing).
OUTCOME_LEVEL: dict[str, str | None] = {
    DispatchOutcome.CONFIRMED: Level.CONFIRMED,
    DispatchOutcome.OTHER_AGENCY: Level.OTHER_AGENCY,
    DispatchOutcome.NOTHING_FOUND: Level.FALSE_ALARM,
    DispatchOutcome.ENDED: None,
    DispatchOutcome.UNABLE: Level.UNVERIFIABLE,
    DispatchOutcome.UNSAFE: Level.UNVERIFIABLE,
}


def derive_level(events: Iterable[EventLike]) -> str:
    """The current level from events in log order (oldest first)."""
    level: str = Level.REPORTED
    for event in events:
        level = event.to_level
    return level


def method_supports(method: str, to_level: str) -> bool:
    """Whether ``method`` can justify moving an incident to ``to_level``."""
    needed = METHODS_FOR_LEVEL.get(to_level)
    return needed is None or method in needed


def is_publishable(level: str) -> bool:
    return level in (Level.CORROBORATED, Level.CONFIRMED, Level.CONFIRMED_AFTER_FACT)
