"""Roles a member of a network can hold, and what each may do.

One table answers "may this role do X": views ask ``membership.can("incidents.verify")`` (through amparo.access), never
compare role names themselves.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    VERIFIER = "verifier", _("Verifier")
    OPERATOR = "operator", _("Hotline operator")
    CASEWORKER = "caseworker", _("Caseworker")
    LEGAL_PARTNER = "legal_partner", _("Legal partner")
    READONLY = "readonly", _("Read-only")


C, V, O, K, L, R = (  # noqa: E741  (one letter per role keeps the table below readable)
    Role.COORDINATOR,
    Role.VERIFIER,
    Role.OPERATOR,
    Role.CASEWORKER,
    Role.LEGAL_PARTNER,
    Role.READONLY,
)

CAPABILITIES: dict[str, frozenset[str]] = {
    # network administration
    "members.manage": frozenset({C}),
    "audit.view": frozenset({C}),
    # intake and triage
    "reports.view": frozenset({C, V, O, K, R}),
    "reports.create": frozenset({C, O}),
    "reports.triage": frozenset({C, O}),
    "reports.contact": frozenset({C, O}),
    "api.manage": frozenset({C}),
    # incidents and verification
    "incidents.view": frozenset({C, V, O, K, R}),
    "incidents.edit": frozenset({C}),
    "incidents.verify": frozenset({C, V}),
    "dispatch.manage": frozenset({C, O}),
    "dispatch.respond": frozenset({C, V}),
    "vocabularies.edit": frozenset({C}),
    # evidence
    "evidence.view": frozenset({C, V, K, R}),
    "evidence.add": frozenset({C, V, O, K}),
    "evidence.download": frozenset({C, V, K}),
    "evidence.bundle": frozenset({C, K}),
    "evidence.delete": frozenset({C}),  # authorised deletion of an original (docs/evidence.md)
    "redaction.propose": frozenset({C, V}),  # ask for regions to hide, edit them, send them for review
    "redaction.approve": frozenset({C}),  # a second coordinator approves a redacted copy (docs/redaction.md)
    # people, custody and legal follow-up
    "people.view": frozenset({C, K}),
    "people.edit": frozenset({C, K}),
    "people.delete": frozenset({C}),
    "people.referred": frozenset({L}),
    "facilities.view": frozenset({C, V, O, K, L, R}),
    "facilities.edit": frozenset({C}),
    "legal.view": frozenset({C, K, L}),
    "legal.edit": frozenset({C, K, L}),
    "providers.edit": frozenset({C, K}),
    "tasks.view": frozenset({C, K, L}),
    # public layer
    "public.publish": frozenset({C}),
}

# Roles that see personal data must sign in with a second factor.
TWO_FACTOR_ROLES = frozenset({C, V, O, K, L})


def role_can(role: str, capability: str) -> bool:
    try:
        return role in CAPABILITIES[capability]
    except KeyError:
        raise KeyError(f"unknown capability {capability!r}; add it to amparo/accounts/roles.py") from None
