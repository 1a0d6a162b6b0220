"""Labels of vocabulary codes on the public pages: a thin view of the one registry, amparo/vocab.py.

Public rows store codes only; pages translate them at render time, downloads keep codes (the data dictionary explains
them) and the ACLED-style export uses English labels (``Labels("en")``).
"""

from __future__ import annotations

from django.utils.translation import get_language

from amparo import vocab


class Labels:
    """``labels.of("tactic", "masked_agents")`` in the active language, or in ``language``."""

    def __init__(self, language: str | None = None) -> None:
        self.language = (language or get_language() or "en")[:2]

    def of(self, vocabulary: str, code: str) -> str:
        return vocab.label(vocabulary, code, self.language)

    def many(self, vocabulary: str, found: list[str]) -> list[str]:
        return [self.of(vocabulary, c) for c in found]

    def choices(self, vocabulary: str) -> list[tuple[str, str]]:
        return vocab.choices(vocabulary, lang=self.language)
