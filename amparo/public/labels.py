"""Labels of vocabulary codes in the reader's language: the built-in Term rows (es/en/de), English codes.py as fallback.

Public rows store codes only; pages translate them at render time, downloads keep codes (the data dictionary explains
them) and the ACLED-style export uses English labels.
"""

from __future__ import annotations

from django.db.utils import DatabaseError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amparo.incidents import codes

ENGLISH: dict[str, dict[str, str]] = {
    "location_type": {code: label for code, label, *_f in codes.LOCATION_TYPES},
    "incident_type": dict(codes.INCIDENT_TYPES),
    "tactic": dict(codes.TACTICS),
    "agency": dict(codes.AGENCIES),
    "use_of_force": {str(c): str(label) for c, label in codes.UseOfForce.choices},
    "warrant": {str(c): str(label) for c, label in codes.Warrant.choices},
    "entry": {str(c): str(label) for c, label in codes.Entry.choices},
    "source_type": {str(c): str(label) for c, label in codes.SourceType.choices},
}
LEVELS = {
    "corroborated": _("Corroborated"),
    "confirmed": _("Confirmed"),
    "confirmed_after_fact": _("Confirmed after the fact"),
}


class Labels:
    """``labels.of("tactic", "masked_agents")`` in the active language."""

    def __init__(self, language: str | None = None) -> None:
        self.language = (language or get_language() or "en")[:2]
        self.table: dict[tuple[str, str], str] = {}
        if self.language == "en":
            return
        try:
            from amparo.incidents.models import Term

            for vocabulary, code, en, es, de in Term.objects.filter(network=None).values_list(
                "vocabulary", "code", "label_en", "label_es", "label_de"
            ):
                label = {"es": es, "de": de}.get(self.language) or en
                self.table[(vocabulary, code)] = label
        except DatabaseError:  # the Term table is not there yet (a database being migrated): English labels
            self.table = {}

    def of(self, vocabulary: str, code: str) -> str:
        if not code:
            return ""
        if vocabulary == "level":
            return str(LEVELS.get(code, code))
        found = self.table.get((vocabulary, code)) or ENGLISH.get(vocabulary, {}).get(code)
        return found or code.replace("_", " ")

    def many(self, vocabulary: str, found: list[str]) -> list[str]:
        return [self.of(vocabulary, c) for c in found]

    def choices(self, vocabulary: str) -> list[tuple[str, str]]:
        return [(code, self.of(vocabulary, code)) for code in ENGLISH.get(vocabulary, {})]
