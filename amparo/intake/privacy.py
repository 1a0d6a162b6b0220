"""Rate limits for public pages without storing addresses.

The key for a request is HMAC(today's random salt, client address). The salt lives in the DailySalt table and is
deleted after two days (``purge_salts``), after which yesterday's keys cannot be tied back to any address. The
address itself is never written to the database or a log.

Behind a reverse proxy the socket peer is the proxy, so the client address is taken from ``X-Forwarded-For`` but
only when the peer is one of ``AMPARO_TRUSTED_PROXIES``: walking the header from the right, the first hop that is not
a trusted proxy is the client (hops further left were written by the client and prove nothing).

Counters live in the database shared by every server process and are checked and counted in one locked step
(``take``), so parallel requests cannot pass more than the limit.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from amparo.accounts.models import Throttle
from amparo.intake.models import DailySalt

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
HOUR = timedelta(hours=1)


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


@lru_cache(maxsize=8)
def invalid_networks(spec: tuple[str, ...]) -> list[str]:
    """The entries of an address list setting that are not addresses or CIDR ranges (AMPARO_TRUSTED_PROXIES,
    AMPARO_WEBHOOK_ALLOW: system checks amparo.E011, amparo.E012)."""
    bad = []
    for item in spec:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            bad.append(item)
    return bad


def networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    """The valid entries; a bad one is refused at start by the system check, and never trusted meanwhile."""
    bad = set(invalid_networks(spec))
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec if item not in bad)


def trusted_proxies() -> tuple[Network, ...]:
    return networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:5123"
        value = value.split(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's address: the socket peer, or the first untrusted hop of X-Forwarded-For behind a trusted proxy."""
    peer = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = trusted_proxies()
    parsed = _address(peer)
    if not proxies or parsed is None or not any(parsed in net for net in proxies):
        return peer
    hops = [hop for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage from the client side of the chain: the last good hop stands
        parsed = address
        if not any(address in net for net in proxies):
            break
    return str(parsed)


def limit_unit(address: str) -> str:
    """What one client is for a rate limit: an IPv4 address, or the /64 prefix of an IPv6 one.

    One IPv6 host or home line gets a whole /64 (18 quintillion addresses) and may pick a new one per request, so
    counting per address would give it as many budgets as it likes; the /64 is the smallest unit a provider hands
    out. An IPv4-mapped IPv6 address counts as its IPv4 address."""
    parsed = _address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return address


def client_key(request: HttpRequest, scope: str) -> str:
    """A salted digest standing for the client today (an IPv6 client by its /64); never the address."""
    address = limit_unit(client_address(request))
    return hmac.new(_today_salt(), f"{scope}\x1f{address}".encode(), hashlib.sha256).hexdigest()


def keyed(scope: str, value: str) -> str:
    """A salted digest of any other value (a form token, a report body) for a counter key."""
    return hmac.new(_today_salt(), f"{scope}\x1f{value}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def take(scope: str, key: str, limit: int, window: timedelta = HOUR, *, cost: int = 1) -> bool:
    """Count ``cost`` events if the window's count stays within ``limit``; False (nothing counted) otherwise.

    The row is locked for the check and the count, so parallel requests in any server process queue here.
    """
    now = timezone.now()
    row, _created = Throttle.objects.select_for_update().get_or_create(
        scope=f"intake.{scope}"[:40], key=key, defaults={"window_start": now, "count": 0}
    )
    if row.window_start < now - window:
        row.window_start, row.count = now, 0
    if row.count + cost > limit:
        return False
    row.count += cost
    row.save(update_fields=["window_start", "count"])
    return True


def give_back(request: HttpRequest, scope: str) -> None:
    """Return one event counted by :func:`allow` (a follow-up attempt that found its report is no miss)."""
    key = client_key(request, scope)
    with transaction.atomic():
        row = Throttle.objects.select_for_update().filter(scope=f"intake.{scope}"[:40], key=key).first()
        if row is not None and row.count > 0:
            row.count -= 1
            row.save(update_fields=["count"])


def charge(scope: str, key: str, cost: int, window: timedelta = HOUR) -> None:
    """Count ``cost`` events whatever the limit (refused and junk requests use up the budget of their sender)."""
    take(scope, key, 1 << 30, window, cost=cost)


def allow(request: HttpRequest, scope: str, per_hour: int, *, count: bool = True, cost: int = 1) -> bool:
    """True if the client may do one more ``scope`` action this hour (and count it, atomically)."""
    key = client_key(request, scope)
    if not count:
        row = Throttle.objects.filter(scope=f"intake.{scope}"[:40], key=key).first()
        return row is None or row.window_start < timezone.now() - HOUR or row.count < per_hour
    return take(scope, key, per_hour, cost=cost)


def purge_salts() -> int:
    cutoff = timezone.now().date() - timedelta(days=1)
    deleted, _ = DailySalt.objects.filter(day__lt=cutoff).delete()
    return deleted
