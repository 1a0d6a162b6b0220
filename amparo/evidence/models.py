"""Evidence items, their custody history and the transparency log's database side.

- ``EvidenceItem``: one submission of a file. The bytes live in the store (``store.py``), addressed by SHA-256
  and kept once however often they are submitted; each submission gets its own private nonce, commitment,
  log entry and receipt code.
- ``CustodyEvent``: received, viewed, downloaded, exported, transferred, deleted. Append-only in the database.
- ``LogEntry``: every leaf of the log, with a gapless index assigned in the same transaction as the row it
  records (``LogCounter`` is the single-row counter that serialises the assignment). Append-only.
- ``Checkpoint``: every signed checkpoint ever published. Append-only.
- ``Fingerprint``: perceptual hashes for the corroboration work (PDQ of images, of video frames at 1/s).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Consent(models.TextChoices):
    NONE = "none", _("No consent recorded")
    INTERNAL = "internal", _("Internal use by the network")
    LEGAL_USE = "legal_use", _("May be given to lawyers and courts")
    PUBLIC = "public", _("May be published")


class Source(models.TextChoices):
    UPLOAD = "upload", _("Web upload")
    OPERATOR = "operator", _("Hotline operator")
    API = "api", _("Partner API")
    IMPORT = "import", _("Bulk import")
    CLI = "cli", _("Command line")
    DEMO = "demo", _("Demo data")
    REDACTION = "redaction", _("Redacted copy made by the network")


class Action(models.TextChoices):
    RECEIVED = "received", _("Received")
    VIEWED = "viewed", _("Viewed")
    DOWNLOADED = "downloaded", _("Downloaded")
    EXPORTED = "exported", _("Exported in a bundle")
    TRANSFERRED = "transferred", _("Transferred")
    DELETED = "deleted", _("Deleted")
    REDACTED = "redacted", _("Redacted copy made")  # amparo/redaction: the leaf names the copy's SHA-256


class AppendOnlyModel(models.Model):
    """Rows are written once; the database refuses updates and deletes too (AppendOnly in the migration)."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ValueError(f"{self._meta.label} rows are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # forwards Django's own save() arguments

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{self._meta.label} rows are append-only")


class EvidenceItem(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.PROTECT, related_name="evidence")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    kind = models.CharField(max_length=20, default="unknown")  # image, video, audio, unknown (sniffed)
    mime_sniffed = models.CharField(max_length=100, default="application/octet-stream")
    extension = models.CharField(
        max_length=12, blank=True, default=""
    )  # of the client's name; never the name
    metadata = models.JSONField(
        default=dict
    )  # canonical form: floats as strings, see vault.canonical_metadata
    metadata_digest = models.CharField(max_length=64)
    nonce = models.CharField(max_length=64)  # private: only evidence bundles carry it
    commitment = models.CharField(max_length=64, unique=True)
    probe_error = models.CharField(max_length=40, blank=True, default="")
    consent = models.CharField(max_length=20, choices=Consent.choices, default=Consent.INTERNAL)  # widest use
    # the uses the source allowed: internal, legal, public (amparo.evidence.consent decides every exit from it)
    consent_uses = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.UPLOAD)
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receipt_code = models.CharField(max_length=16, unique=True)
    log_index = models.BigIntegerField(unique=True)
    report = models.ForeignKey(
        "incidents.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    # An authorised deletion (the witness withdrew consent, a court ordered it): the bytes and every copy are gone;
    # the row, its commitment and the "deleted" custody event stay, so the log keeps no gap and bundles explain it.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deletion_reason = models.CharField(max_length=30, blank=True, default="")

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["network", "-received_at"], name="evidence_network_received"),
            models.Index(fields=["network", "kind"], name="evidence_network_kind"),
        ]

    def __str__(self) -> str:
        return f"evidence {self.code}"

    @property
    def short_sha(self) -> str:
        return self.sha256[:12]

    @property
    def stored_name(self) -> str:
        """The name the original gets in downloads and bundles: its hash and extension, nothing personal."""
        return self.sha256 + (f".{self.extension}" if self.extension else "")


class CustodyEvent(AppendOnlyModel):
    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="custody")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, default="")  # as logged: username or "system"
    at = models.DateTimeField(default=timezone.now)
    detail = models.JSONField(default=dict, blank=True)
    log_index = models.BigIntegerField(unique=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} of {self.item.code}"


class LogEntry(AppendOnlyModel):
    index = models.BigIntegerField(primary_key=True)
    leaf = models.BinaryField()
    leaf_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["index"]

    def __str__(self) -> str:
        return f"log entry {self.index}"


class LogCounter(models.Model):
    """Single rows locked with SELECT ... FOR UPDATE: "log" holds the next index, "sequencer" serialises
    integration into the tiles."""

    name = models.CharField(max_length=20, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Checkpoint(AppendOnlyModel):
    size = models.BigIntegerField(unique=True)
    root = models.CharField(max_length=64)
    note = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["size"]

    def __str__(self) -> str:
        return f"checkpoint at size {self.size}"


class Fingerprint(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        VIDEO_FRAME = "video_frame", _("Video frame")

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="fingerprints")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    second = models.FloatField(null=True, blank=True)  # position of a video frame
    bits = models.BinaryField(max_length=32)  # PDQ, most significant bit first
    quality = models.SmallIntegerField(default=0)

    class Meta:
        ordering = ["item", "second", "id"]
        indexes = [models.Index(fields=["kind"], name="fingerprint_kind")]

    def __str__(self) -> str:
        return f"{self.kind} fingerprint of {self.item_id}"
