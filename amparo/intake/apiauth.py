"""Partner API tokens: ``Authorization: Bearer amp_...``. Only a SHA-256 digest of a token is stored."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from amparo.intake.models import ApiToken


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def lookup(token: str) -> ApiToken | None:
    if not token.startswith("amp_") or len(token) > 100:
        return None
    row = ApiToken.objects.select_related("network").filter(digest=digest(token), revoked_at=None).first()
    if row is not None:
        now = timezone.now()
        if row.last_used_at is None or row.last_used_at < now - timedelta(minutes=5):
            row.last_used_at = now
            row.save(update_fields=["last_used_at"])
    return row


def token_from_request(request: HttpRequest) -> ApiToken | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return lookup(value.strip())
