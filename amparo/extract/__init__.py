"""Offline fact extraction from incident reports in English, Spanish and German: plain Python, no Django.

``extract(text, published=..., lang=...)`` proposes the incident date, city and state, place name, location type,
agencies, number of people taken, whether force or media are mentioned, and official claims. Every proposal carries
the text span it came from. Suggest, never decide: a person confirms. See docs/extract.md.
"""

from amparo.extract.core import LANGUAGES, MAX_CHARS, extract
from amparo.extract.model import FIELDS, Extraction, Proposal
from amparo.extract.text import detect_language

__all__ = ["FIELDS", "LANGUAGES", "MAX_CHARS", "Extraction", "Proposal", "detect_language", "extract"]
