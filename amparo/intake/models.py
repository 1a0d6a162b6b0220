"""Intake's own rows: each network's public report address, resumable uploads, partner API tokens, the day's
rate-limit salt and the files each report received.

Reports themselves are ``amparo.incidents.models.Report``; evidence bytes live only in the evidence vault.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IntakePage(models.Model):
    """A network's public report address: /report/<slug>/."""

    network = models.OneToOneField("accounts.Network", on_delete=models.CASCADE, related_name="intake_page")
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    enabled = models.BooleanField(_("accept public reports"), default=True)
    listed = models.BooleanField(_("listed on /report/"), default=True)

    def __str__(self) -> str:
        return self.slug


class UploadSession(models.Model):
    """One tus upload. The bytes sit in DATA_DIR/uploads/<id>, or with a shared store in the objects listed in
    ``parts`` (intake/uploadstore.py), until attached to a report; then they go to the vault.

    ``expires_at`` is fixed at creation (created_at + INTAKE_UPLOAD_HOURS): writing does not move it, so nobody can
    hold a reservation open with empty PATCHes. Space is counted by ``offset`` (bytes received), never ``length``."""

    upload_id = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    length = models.BigIntegerField()
    offset = models.BigIntegerField(default=0)
    # metadata as sent by the client (filename, filetype); kept only until the file reaches the vault
    filename = models.CharField(max_length=255, blank=True, default="")
    filetype = models.CharField(max_length=100, blank=True, default="")
    # who may attach it: anyone holding the id (public form), or only this partner token's network
    network = models.ForeignKey(
        "accounts.Network", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    api_token = models.ForeignKey(
        "intake.ApiToken", null=True, blank=True, on_delete=models.CASCADE, related_name="uploads"
    )
    # an anonymous upload's form or browser (formtoken.py): only a form post with the same binding may attach it
    binding = models.CharField(max_length=48, blank=True, default="", db_index=True)
    attached_at = models.DateTimeField(null=True, blank=True)
    # with a shared store: the objects that hold the bytes received, [offset, size, name] in order of offset
    parts = models.JSONField(default=list, blank=True)

    @staticmethod
    def new_id() -> str:
        return secrets.token_hex(16)

    @property
    def complete(self) -> bool:
        return self.offset == self.length


class ApiToken(models.Model):
    """A partner organisation's key to the API of one network. Only a digest is stored; the token is shown once."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("partner organisation"), max_length=120)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class DailySalt(models.Model):
    """A random salt per day for rate-limit keys; deleted after two days, so old keys cannot be tied to addresses."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)


class IntakeFile(models.Model):
    """A file a report received, as the vault acknowledged it (the receipt a witness can fetch later)."""

    report = models.ForeignKey("incidents.Report", on_delete=models.CASCADE, related_name="intake_files")
    added_at = models.DateTimeField(default=timezone.now)
    evidence_code = models.CharField(max_length=64)
    receipt_code = models.CharField(max_length=128)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    consent = models.CharField(max_length=40, default="internal")
    via = models.CharField(max_length=20, default="form")  # form, tus, followup, api, import, operator

    class Meta:
        ordering = ["added_at", "id"]


class ReportExtra(models.Model):
    """What a report carries that the Report model has no field for (yet): uses of the media the witness consented
    to, media links from monitoring imports, the warrant as described in words."""

    report = models.OneToOneField("incidents.Report", on_delete=models.CASCADE, related_name="intake_extra")
    consent_uses = models.JSONField(default=list, blank=True)  # ["internal", "legal", "public"]
    media_links = models.JSONField(default=list, blank=True)
    warrant_text = models.CharField(max_length=500, blank=True, default="")
    followups = models.PositiveIntegerField(default=0)
