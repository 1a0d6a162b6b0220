"""The result types of extraction: a :class:`Proposal` per field, gathered in an :class:`Extraction`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = ["FIELDS", "LANGUAGES", "Candidate", "Extraction", "Proposal"]

LANGUAGES = ("en", "es", "de")

# Every field extract() may propose, in the order they are reported.
FIELDS = (
    "date",
    "city",
    "state",
    "place_name",
    "location_type",
    "agencies",
    "people_taken",
    "force",
    "media_mentioned",
    "official_claims",
)


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed value, with the text it came from so a person can check it.

    ``span`` is ``(start, end)`` into the analysed text and ``text == analysed_text[start:end]``. List-valued fields
    (agencies, official_claims) also carry one proposal per item in ``parts``; ``span`` is then the first item's span.
    """

    value: Any
    span: tuple[int, int]
    text: str
    confidence: float
    reason: str
    parts: tuple[Proposal, ...] = ()

    def to_json(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, date) else self.value
        out: dict[str, Any] = {
            "value": list(value) if isinstance(value, tuple) else value,
            "span": [self.span[0], self.span[1]],
            "text": self.text,
            "confidence": round(self.confidence, 3),
            "reason": self.reason,
        }
        if self.parts:
            out["parts"] = [part.to_json() for part in self.parts]
        return out


@dataclass(frozen=True, slots=True)
class Extraction(Mapping[str, Proposal]):
    """Field name -> :class:`Proposal`. A fact the text does not state has no key."""

    proposals: dict[str, Proposal] = field(default_factory=dict)
    language: str = "en"  # the language the text was analysed as (given, or detected)
    language_detected: bool = False  # True when it was detected rather than given

    def __getitem__(self, key: str) -> Proposal:
        return self.proposals[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.proposals)

    def __len__(self) -> int:
        return len(self.proposals)

    def values_only(self) -> dict[str, Any]:
        """Field -> bare value (dates as ``date``), for comparisons and tests."""
        return {name: proposal.value for name, proposal in self.proposals.items()}

    def to_json(self) -> dict[str, dict[str, Any]]:
        """Field -> {"value", "span", "text", "confidence", "reason"} (and "parts" for list fields)."""
        return {name: self.proposals[name].to_json() for name in FIELDS if name in self.proposals}


# One reading a rule weighed for a field: (the rule's own score, the proposal it would make, the rule's cues as
# numbers). The rules keep the best; the learned scorer (``learned.py``) weighs them all again.
Candidate = tuple[float, Proposal, tuple[float, ...]]
