"""A redaction: the regions to hide in one picture or video, as proposed, as edited by people, and as approved.

``Redaction`` is the desk's working record for one original (``EvidenceItem``). The original is never changed: on
approval a redacted copy is rendered from decoded pixels and stored as a NEW evidence item (``copy``, source
``redaction``), and the original gets a ``redacted`` custody event in the log that names the copy's SHA-256.

States: ``proposing`` (the detector runs in the media sandbox) -> ``proposed`` (or ``failed``, with a message the
page shows) -> ``in_review`` (someone edited and sent it for approval) -> ``approved`` or ``rejected``. Four eyes:
the approver can be no one who edited the tracks or sent them for review (``editors``); both are recorded.

``PublicClip`` is a public-layer row (like ``amparo.public.models``): written only when the public layer is rebuilt
(:func:`amparo.redaction.publish.rebuild_clips`), read by the public incident page. It carries the copy's hash, the
public receipt and nothing that points back to a person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    PROPOSING = "proposing", _("Looking for faces")
    FAILED = "failed", _("The proposal failed")
    PROPOSED = "proposed", _("Proposed, waiting for a person")
    IN_REVIEW = "in_review", _("Waiting for a second coordinator")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Style(models.TextChoices):
    BLUR = "blur", _("Blur")
    BOX = "box", _("Solid box")


class Redaction(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.PROTECT, related_name="+")
    original = models.ForeignKey("evidence.EvidenceItem", on_delete=models.PROTECT, related_name="redactions")
    state = models.CharField(max_length=12, choices=State.choices, default=State.PROPOSING)
    error = models.CharField(max_length=40, blank=True, default="")  # a code of actions.ERRORS
    style = models.CharField(max_length=4, choices=Style.choices, default=Style.BLUR)
    # {"tracks": [{"id", "label", "boxes": [[frame, x, y, w, h, score], ...]}], ...} (amparo.media.redact Proposal)
    proposed = models.JSONField(default=dict, blank=True)
    tracks = models.JSONField(default=list, blank=True)  # the tracks as people left them (same shape)
    media = models.JSONField(default=dict, blank=True)  # width, height, frames, fps of the original
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    editors = models.JSONField(
        default=list, blank=True
    )  # user ids of everyone who edited or sent it for review
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True, default="")
    copy_item = models.OneToOneField(
        "evidence.EvidenceItem", null=True, blank=True, on_delete=models.PROTECT, related_name="redacted_from"
    )
    render_error = models.CharField(max_length=40, blank=True, default="")
    custody_log_index = models.BigIntegerField(null=True, blank=True)  # the "redacted" custody event's entry

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["network", "state"], name="redaction_network_state")]

    def __str__(self) -> str:
        return f"redaction {self.code}"

    @property
    def capped(self) -> bool:
        """The detector kept only the strongest of what it found: more boxes of writing in a look than
        ``amparo.media.redact.text.MAX_BOXES``, or more tracks than a page holds (``actions.MAX_TRACKS``)."""
        found = self.proposed if isinstance(self.proposed, dict) else {}
        return bool(found.get("text_capped") or found.get("tracks_dropped"))

    @property
    def region_count(self) -> int:
        return sum(len(t.get("boxes", [])) for t in self.tracks if isinstance(t, dict))


class PublicClip(models.Model):
    """A public-layer row: an approved redacted copy shown on a published incident's page."""

    public_id = models.CharField(max_length=16, db_index=True)  # PublicIncident.public_id
    redaction = models.OneToOneField(Redaction, on_delete=models.CASCADE, related_name="public_clip")
    sha256 = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=10)  # image or video
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)
    size = models.BigIntegerField()
    log_index = models.BigIntegerField()  # the "redacted" custody entry (names this copy's hash)
    original_log_index = models.BigIntegerField()  # the original's "evidence.item" entry (its commitment)
    original_leaf_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["public_id", "log_index"]

    def __str__(self) -> str:
        return f"public clip {self.sha256[:12]}"
