"""Looking up vocabulary terms: which codes a network may use today, and their labels in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from amparo import vocab
from amparo.incidents.models import Term


def active_terms(network_id: int | None, vocabulary: str, on: date | None = None) -> list[Term]:
    """Built-in and the network's own terms of ``vocabulary`` valid on ``on`` (today by default)."""
    day = on or timezone.now().date()
    return list(
        Term.objects.filter(vocabulary=vocabulary)
        .filter(Q(network=None) | Q(network_id=network_id))
        .filter(Q(valid_from=None) | Q(valid_from__lte=day))
        .filter(Q(valid_to=None) | Q(valid_to__gte=day))
        .order_by("network_id", "id")
    )


def choices(network_id: int | None, vocabulary: str, *, blank: str | None = None) -> list[tuple[str, str]]:
    """Form choices: the active codes with their labels in the current language."""
    language = get_language() or "en"
    out = [(t.code, t.label(language)) for t in active_terms(network_id, vocabulary)]
    return ([("", blank)] if blank is not None else []) + out


@dataclass
class Labels:
    """Every label a page may need, fetched in one query, then looked up in memory (lists stay O(1) in queries)."""

    language: str
    by_key: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def for_network(cls, network_id: int | None) -> Labels:
        language = (get_language() or "en")[:2]
        labels = cls(language=language)
        for term in Term.objects.filter(Q(network=None) | Q(network_id=network_id)).order_by("network_id"):
            labels.by_key[(term.vocabulary, term.code)] = term.label(language)
        return labels

    def __call__(self, vocabulary: str, code: str) -> str:
        """The network's own label, else the one registry's (amparo/vocab.py): never the bare code."""
        return self.by_key.get((vocabulary, code)) or vocab.label(vocabulary, code, self.language)

    def many(self, vocabulary: str, codes: list[str]) -> list[str]:
        return [self(vocabulary, c) for c in codes]
