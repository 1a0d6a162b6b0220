"""Fixed-window counters keyed by a salted digest, shared by all server processes through the database."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from amparo.accounts.models import Throttle


def throttle_key(*parts: str) -> str:
    """A keyed digest: the raw value (username, address) is never stored."""
    msg = "\x1f".join(parts).encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), msg, hashlib.sha256).hexdigest()


def over_limit(scope: str, key: str, limit: int, window: timedelta) -> bool:
    row = Throttle.objects.filter(scope=scope, key=key).first()
    if row is None or row.window_start < timezone.now() - window:
        return False
    return row.count >= limit


def hit(scope: str, key: str, window: timedelta) -> int:
    """Count one event; returns the count in the current window."""
    now = timezone.now()
    with transaction.atomic():
        row, created = Throttle.objects.select_for_update().get_or_create(
            scope=scope, key=key, defaults={"window_start": now, "count": 1}
        )
        if created:
            return 1
        if row.window_start < now - window:
            row.window_start, row.count = now, 1
            row.save(update_fields=["window_start", "count"])
            return 1
        Throttle.objects.filter(pk=row.pk).update(count=F("count") + 1)
        return row.count + 1


def clear(scope: str, key: str) -> None:
    Throttle.objects.filter(scope=scope, key=key).delete()


def signin_window() -> timedelta:
    return timedelta(minutes=settings.SIGNIN_WINDOW_MINUTES)
