"""Offline fact extraction from incident reports in English, Spanish and German: plain Python, no Django.

``extract(text, published=..., lang=...)`` proposes the incident date, city and state, place name, location type,
agencies, number of people taken, whether force or media are mentioned, and official claims. Every proposal carries
the text span it came from. Suggest, never decide: a person confirms. See docs/extract.md.

The patterns are compiled on first use of ``extract`` (not when ``amparo.extract.command`` is imported by the CLI).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from amparo.extract.model import FIELDS, LANGUAGES, Extraction, Proposal

if TYPE_CHECKING:
    from amparo.extract.core import MAX_CHARS, extract
    from amparo.extract.text import detect_language

__all__ = ["FIELDS", "LANGUAGES", "MAX_CHARS", "Extraction", "Proposal", "detect_language", "extract"]

_LAZY = {
    "extract": "amparo.extract.core",
    "MAX_CHARS": "amparo.extract.core",
    "detect_language": "amparo.extract.text",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
