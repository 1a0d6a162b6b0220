from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One change, or one view of personal data. Append-only: the database refuses updates and deletes.

    ``object_code`` is a public code (UUID or case code), never a name; ``detail`` holds field names and codes, never
    personal values.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    network = models.ForeignKey("accounts.Network", null=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=40, blank=True, default="")
    object_code = models.CharField(max_length=64, blank=True, default="", db_index=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["network", "-at"], name="audit_network_at")]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # forwards Django's own save() arguments

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("audit events are append-only")
