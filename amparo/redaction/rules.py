"""Who may do what with a redaction, and when a redacted copy may be public: one place, tested as a matrix.

Every rule answers with a :class:`Decision` (allowed, and a reason people can read when not), so the page can say
why a button is missing and the actions refuse with the same words.

- proposing regions needs a picture or a video the sandboxed probe could read, whose witness allowed publication
  (``consent.may_leave(item, "public")``): without that consent nothing is ever published, so nothing is redacted;
- editing tracks and sending them for review needs ``redaction.propose`` (coordinators and verifiers);
- approving needs ``redaction.approve`` (coordinators) and a person who neither edited the tracks nor sent them for
  review (four eyes); rejecting needs ``redaction.approve`` only (it publishes nothing);
- a copy is public only when it was approved, the witness's publication consent still stands (a withdrawal or a
  deletion removes it at the next rebuild), and its incident is on the public layer, which is where the embargo and
  the small-cell rules are applied (``amparo.public.anonymise``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from amparo.evidence import consent
from amparo.redaction.models import Redaction, State

VISUAL = ("image", "video")

REASONS = {
    "not_visual": _("Only pictures and videos can be redacted."),
    "is_copy": _("This is a redacted copy already: open a new redaction of its original instead."),
    "unreadable": _("The file could not be read safely, so it cannot be redacted."),
    "no_role": _("Your role cannot do this."),
    "wrong_state": _("This redaction is not at that step."),
    "same_person": _(
        "You edited these regions or sent them for review: a second coordinator must approve them."
    ),
    "busy": _("A redaction of this file is already open."),
    "not_published": _("The incident is not on the public pages yet (embargo or not marked public)."),
    "no_copy": _("The redacted copy is not made yet."),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    consent_reason: str = ""  # a key of consent.REASONS, when consent decided

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def explanation(self) -> str:
        if self.consent_reason:
            return str(consent.REASONS.get(self.consent_reason, ""))
        return str(REASONS.get(self.reason, ""))


OK = Decision(True)


def _consent(item: Any) -> Decision:
    decision = consent.may_leave(item, consent.PUBLIC)
    return OK if decision else Decision(False, "consent", decision.reason)


def may_propose(item: Any, membership: Any) -> Decision:
    """May this member ask for proposed regions on ``item``?"""
    if not membership.can("redaction.propose"):
        return Decision(False, "no_role")
    if item.kind not in VISUAL:
        return Decision(False, "not_visual")
    if item.probe_error:
        return Decision(False, "unreadable")
    if item.source == "redaction":  # a copy is redacted already; redact the original again instead
        return Decision(False, "is_copy")
    decision = _consent(item)
    if not decision:
        return decision
    open_states = (State.PROPOSING, State.PROPOSED, State.IN_REVIEW)
    if Redaction.objects.filter(original=item, state__in=open_states).exists():
        return Decision(False, "busy")
    return OK


def may_edit(redaction: Redaction, membership: Any) -> Decision:
    """Change the tracks or the style, or send them for review."""
    if not membership.can("redaction.propose"):
        return Decision(False, "no_role")
    if redaction.state not in (State.PROPOSED, State.IN_REVIEW):
        return Decision(False, "wrong_state")
    return _consent(redaction.original)


def may_submit(redaction: Redaction, membership: Any) -> Decision:
    decision = may_edit(redaction, membership)
    if decision and redaction.state != State.PROPOSED:
        return Decision(False, "wrong_state")
    return decision


def may_approve(redaction: Redaction, membership: Any) -> Decision:
    """Four eyes: a coordinator who did not edit the tracks or send them for review."""
    if not membership.can("redaction.approve"):
        return Decision(False, "no_role")
    if redaction.state != State.IN_REVIEW:
        return Decision(False, "wrong_state")
    if membership.user_id in set(redaction.editors):
        return Decision(False, "same_person")
    return _consent(redaction.original)


def may_reject(redaction: Redaction, membership: Any) -> Decision:
    if not membership.can("redaction.approve"):
        return Decision(False, "no_role")
    if redaction.state not in (State.PROPOSED, State.IN_REVIEW, State.FAILED):
        return Decision(False, "wrong_state")
    return OK


def publishable(redaction: Redaction) -> Decision:
    """May the copy be shown on a public page, as far as the redaction goes? (The embargo and the small-cell rules
    are the public layer's: the copy appears only next to an incident that the public layer published.)"""
    if redaction.state != State.APPROVED or redaction.decided_by_id is None:
        return Decision(False, "wrong_state")
    if redaction.decided_by_id in set(
        redaction.editors
    ):  # never, by may_approve; checked again on the way out
        return Decision(False, "same_person")
    if redaction.copy_item_id is None:
        return Decision(False, "no_copy")
    return _consent(redaction.original)
