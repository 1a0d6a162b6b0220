"""Writing audit events. Every action that changes data, and every view of personal data, calls ``record``."""

from __future__ import annotations

from typing import Any

from django.db import models

from amparo.audit.models import AuditEvent


def record(
    actor: Any,
    network: Any,
    action: str,
    obj: models.Model | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one audit event. ``actor`` is a User or None (the system, an anonymous witness)."""
    object_type = ""
    object_code = ""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_code = str(getattr(obj, "case_code", None) or getattr(obj, "code", None) or obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        network=network,
        action=action,
        object_type=object_type,
        object_code=object_code,
        detail=detail,
    )
