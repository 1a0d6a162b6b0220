"""Rate limits for public pages without storing addresses.

The key for a request is HMAC(today's random salt, client address). The salt lives in the DailySalt table and is
deleted after two days (``purge_salts``), after which yesterday's keys cannot be tied back to any address. The
address itself is never written to the database or a log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from amparo.accounts import throttle
from amparo.intake.models import DailySalt


def _today_salt() -> bytes:
    day = timezone.now().date()
    row = DailySalt.objects.filter(day=day).first()
    if row is None:
        try:
            with transaction.atomic():
                row = DailySalt.objects.create(day=day, salt=secrets.token_hex(32))
        except IntegrityError:
            row = DailySalt.objects.get(day=day)
    return bytes.fromhex(row.salt)


def client_key(request: HttpRequest, scope: str) -> str:
    """A salted digest standing for the client today; never the address."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hmac.new(_today_salt(), f"{scope}\x1f{address}".encode(), hashlib.sha256).hexdigest()


def allow(request: HttpRequest, scope: str, per_hour: int, *, count: bool = True) -> bool:
    """True if the client may do one more ``scope`` action this hour (and count it)."""
    key = client_key(request, scope)
    window = timedelta(hours=1)
    if throttle.over_limit(f"intake.{scope}", key, per_hour, window):
        return False
    if count:
        throttle.hit(f"intake.{scope}", key, window)
    return True


def purge_salts() -> int:
    cutoff = timezone.now().date() - timedelta(days=1)
    deleted, _ = DailySalt.objects.filter(day__lt=cutoff).delete()
    return deleted
