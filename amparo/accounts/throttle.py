"""Counters keyed by a salted digest, shared by all server processes through the database.

Two kinds:

- fixed windows (``take``, ``hit``, ``over_limit``): at most N events per window, for intake and the API;
- growing delays (``reserve``/``release``), for sign-in: the first ``limit`` attempts pass, then each further attempt
  waits twice as long as the one before (``FIRST_DELAY``, doubling, at most the window). A quiet window forgives.

Attempts are counted *before* they are evaluated, in one transaction with the rows locked, so parallel requests
cannot evaluate more than the limit (``take`` and ``reserve`` are check-and-count in one step).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from amparo.accounts.models import Throttle

FIRST_DELAY = timedelta(minutes=1)


def throttle_key(*parts: str) -> str:
    """A keyed digest: the raw value (username, address) is never stored."""
    msg = "\x1f".join(parts).encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), msg, hashlib.sha256).hexdigest()


def _locked_row(scope: str, key: str, now: datetime) -> Throttle:
    row, _created = Throttle.objects.select_for_update().get_or_create(
        scope=scope, key=key, defaults={"window_start": now, "count": 0}
    )
    return row


def over_limit(scope: str, key: str, limit: int, window: timedelta) -> bool:
    row = Throttle.objects.filter(scope=scope, key=key).first()
    if row is None or row.window_start < timezone.now() - window:
        return False
    return row.count >= limit


def hit(scope: str, key: str, window: timedelta) -> int:
    """Count one event; returns the count in the current window."""
    now = timezone.now()
    with transaction.atomic():
        row = _locked_row(scope, key, now)
        if row.window_start < now - window:
            row.window_start, row.count = now, 1
            row.save(update_fields=["window_start", "count"])
            return 1
        Throttle.objects.filter(pk=row.pk).update(count=F("count") + 1)
        return row.count + 1


@transaction.atomic
def take(scope: str, key: str, limit: int, window: timedelta) -> bool:
    """Count one event if fewer than ``limit`` happened in the window; False (and nothing counted) otherwise."""
    now = timezone.now()
    row = _locked_row(scope, key, now)
    if row.window_start < now - window:
        row.window_start, row.count = now, 0
    if row.count >= limit:
        return False
    row.count += 1
    row.save(update_fields=["window_start", "count"])
    return True


def delay_after(count: int, limit: int, window: timedelta) -> timedelta | None:
    """How long the attempt number ``count`` locks its key: nothing below the limit, then doubling."""
    if count < limit:
        return None
    return min(FIRST_DELAY * 2 ** min(count - limit, 20), window)


@transaction.atomic
def reserve(keys: Sequence[tuple[str, str, int]], window: timedelta) -> timedelta | None:
    """Count one attempt on every ``(scope, key, limit)``, or none of them if one is locked.

    Returns None when the attempt may go ahead, else how long the caller must wait. A key reaching its limit is
    locked for ``delay_after``; a key left alone for a whole window after its last attempt or lock starts afresh.
    """
    now = timezone.now()
    rows = [(_locked_row(scope, key, now), limit) for scope, key, limit in sorted(keys)]
    waits = [
        row.locked_until - now for row, _ in rows if row.locked_until is not None and row.locked_until > now
    ]
    if waits:
        return max(waits)
    for row, limit in rows:
        last = max(row.window_start, row.locked_until or row.window_start)
        if last < now - window:
            row.count = 0
        row.count += 1
        row.window_start = now
        delay = delay_after(row.count, limit, window)
        row.locked_until = now + delay if delay is not None else None
        row.save(update_fields=["count", "window_start", "locked_until"])
    return None


@transaction.atomic
def release(keys: Sequence[tuple[str, str, int]]) -> None:
    """Give back one reserved attempt on each key (it succeeded), lifting a lock it may have set."""
    for scope, key, limit in sorted(keys):
        row = Throttle.objects.select_for_update().filter(scope=scope, key=key).first()
        if row is None or row.count == 0:
            continue
        row.count -= 1
        if row.count < limit:
            row.locked_until = None
        row.save(update_fields=["count", "locked_until"])


def clear(scope: str, key: str) -> None:
    Throttle.objects.filter(scope=scope, key=key).delete()


def signin_window() -> timedelta:
    return timedelta(minutes=settings.SIGNIN_WINDOW_MINUTES)
