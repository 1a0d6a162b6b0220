"""What a witness allowed: the one place that decides whether a piece of evidence may leave by a given door.

Every door evidence leaves by asks :func:`may_leave` and obeys its answer:

    may_leave(item, "legal")    evidence bundles (web, ``amparo evidence bundle``) and case-file exports,
                                including the one a legal partner makes
    may_leave(item, "public")   the public layer: redacted copies only (amparo/redaction asks it before proposing,
                                approving and publishing, and again at every public rebuild)
    may_leave(item, "partner")  the partner API's file rows (only files the partner itself sent)
    may_leave(item, "internal") members of the network: downloads, viewing copies

An item records the uses its source allowed (``EvidenceItem.consent_uses``, a subset of internal, legal, public) and
``consent``, the widest of them, for lists and filters. Internal use is the floor: every stored item may be seen by
the network that holds it. Legal and public use need a recorded consent:

- a witness's own choice on the report form or the follow-up page (``source=upload``);
- what a staff member recorded: the evidence form or ``amparo evidence add --consent``, and later
  :func:`record_consent` (the evidence page's consent form), which is audited as ``evidence.consent_recorded``.

Files that come with no consent a person gave to this network (partner API, bulk imports) are stored with none
recorded: internal use only, until a staff member records the consent the source gave. A partner's own statement of
consent is kept on the intake row, not trusted as the source's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

INTERNAL, LEGAL, PUBLIC, PARTNER = "internal", "legal", "public", "partner"
USES = (INTERNAL, LEGAL, PUBLIC)  # what a source can allow, in this order
DOORS = (INTERNAL, LEGAL, PUBLIC, PARTNER)
UNRECORDED_SOURCES = frozenset(
    {"api", "import"}
)  # nobody asked the source for this network's use of the file

# the vault's single level (EvidenceItem.consent) <-> the uses it stands for
LEVEL_USES: dict[str, tuple[str, ...]] = {
    "none": (),
    "internal": (INTERNAL,),
    "legal_use": (INTERNAL, LEGAL),
    "public": (INTERNAL, PUBLIC),
}

REASONS = {
    "no_consent_recorded": _("No consent was recorded for this file: it stays with the network."),
    "internal_only": _("The witness allowed only internal use by the network."),
    "no_legal_consent": _("The witness did not allow this file to be given to lawyers."),
    "no_public_consent": _("The witness did not allow this file to be published."),
    "not_sent_by_partner": _("This file did not come from this partner organisation."),
    "deleted": _(
        "This original was deleted on an authorised request; the log keeps its record and the deletion."
    ),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # "" when allowed, else a key of REASONS

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def explanation(self) -> str:
        """In the page's language."""
        return str(REASONS.get(self.reason, ""))

    @property
    def explanation_en(self) -> str:
        """In English, for bundles: lawyers and courts read the same words whatever the exporter's language."""
        with translation.override("en"):
            return str(REASONS.get(self.reason, ""))


ALLOWED = Decision(True, "")


def normalise(uses: Iterable[str]) -> list[str]:
    """The known uses in ``uses``, in order; internal comes with any other (a file the network may give to lawyers
    or publish, it may also look at)."""
    chosen = set(uses)
    if chosen & {LEGAL, PUBLIC}:
        chosen.add(INTERNAL)
    return [u for u in USES if u in chosen]


def level_of(uses: Iterable[str]) -> str:
    """The widest use as the vault's single level: public > legal_use > internal > none."""
    chosen = set(uses)
    for use, level in ((PUBLIC, "public"), (LEGAL, "legal_use"), (INTERNAL, "internal")):
        if use in chosen:
            return level
    return "none"


def at_ingest(uses: Iterable[str] | None, level: str, source: str) -> list[str]:
    """The uses an item is stored with: what its source allowed, none from a source nobody asked."""
    if source in UNRECORDED_SOURCES:
        return []
    return normalise(uses if uses is not None else LEVEL_USES.get(level, ()))


def uses_of(item: Any) -> list[str]:
    return normalise(item.consent_uses or [])


def may_leave(item: Any, use: str) -> Decision:
    """May ``item`` leave by the door for ``use`` (internal, legal, public, partner)? With the reason when not."""
    if use not in DOORS:
        raise ValueError(f"unknown use {use!r}")
    if getattr(item, "deleted_at", None) is not None:  # no door at all: the bytes are gone
        return Decision(False, "deleted")
    if use == INTERNAL:
        return ALLOWED
    if use == PARTNER:  # a partner gets back only what it sent itself: it holds those bytes already
        return ALLOWED if item.source == "api" else Decision(False, "not_sent_by_partner")
    granted = uses_of(item)
    if use in granted:
        return ALLOWED
    if not granted:
        return Decision(False, "no_consent_recorded")
    if granted == [INTERNAL]:
        return Decision(False, "internal_only")
    return Decision(False, "no_legal_consent" if use == LEGAL else "no_public_consent")


def split(items: Iterable[Any], use: str) -> tuple[list[Any], list[tuple[Any, Decision]]]:
    """The items that may leave by ``use``'s door, and the others with the decision that kept each back."""
    allowed: list[Any] = []
    withheld: list[tuple[Any, Decision]] = []
    for item in items:
        decision = may_leave(item, use)
        if decision.allowed:
            allowed.append(item)
        else:
            withheld.append((item, decision))
    return allowed, withheld


BASES = (
    ("form", _("The witness chose it on a form we keep")),
    ("writing", _("The source gave it in writing")),
    ("call", _("The source said it on a call")),
    ("in_person", _("The source said it in person")),
    ("partner", _("The partner organisation passed on the source's written consent")),
)


@transaction.atomic
def record_consent(item: Any, uses: Iterable[str], actor: Any, *, basis: str) -> list[str]:
    """A staff member records the consent the source gave (widening or narrowing it). Audited with the uses before
    and after and how the source gave it; returns the uses now stored."""
    from amparo.audit.actions import record
    from amparo.evidence.models import EvidenceItem

    if basis not in dict(BASES):
        raise ValueError(f"unknown basis {basis!r}")
    unknown = set(uses) - set(USES)
    if unknown:
        raise ValueError(f"unknown uses {sorted(unknown)}")
    locked = EvidenceItem.objects.select_for_update().get(pk=item.pk)
    before = uses_of(locked)
    after = normalise([*uses, INTERNAL])
    locked.consent_uses = after
    locked.consent = level_of(after)
    locked.save(update_fields=["consent_uses", "consent"])
    item.consent_uses, item.consent = locked.consent_uses, locked.consent
    record(
        actor, locked.network, "evidence.consent_recorded", locked, before=before, after=after, basis=basis
    )
    return after
