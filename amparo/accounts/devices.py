"""Which counters a sign-in attempt draws on, so that guessing is slowed without locking the member out (M7).

- From a browser that signed in to this account before (it holds a signed device cookie naming the account):
  only that device's own counter for the account. An attacker elsewhere cannot touch it.
- From any other client: the counter of this account from this client (the client is the salted daily digest of
  ``amparo.intake.privacy.client_key``, never the address), plus two shared ones with higher limits: this client on
  every account (spraying user names), and this account from every untrusted client (guessing from many addresses).

Past its limit each counter delays further attempts, doubling (amparo/accounts/throttle.py). The device cookie holds a
random id and keyed digests of the user names, signed; no name and no address.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from amparo.accounts import throttle
from amparo.intake.privacy import client_key

DEVICE_COOKIE = "amparo_device"
DEVICE_SALT = "amparo.accounts.device"
DEVICE_DAYS = 180
DEVICE_ACCOUNTS = 8  # accounts remembered per browser (a shared office computer)
CLIENT_FACTOR = 4  # one client may fail this many times the per-account limit, over all accounts
ACCOUNT_FACTOR = 4  # one account may fail this many times the limit, over all untrusted clients

Keys = list[tuple[str, str, int]]


def _account(username: str) -> str:
    return username.casefold()


def _device(request: HttpRequest) -> tuple[str, list[str]] | None:
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_DAYS * 86400)
        device, accounts = str(value["d"]), [str(a) for a in value["a"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return device, accounts


def _account_mark(account: str) -> str:
    return throttle.throttle_key("device-account", account)[:24]


def signin_keys(request: HttpRequest, username: str) -> tuple[Keys, Keys]:
    """(own, shared) counters for an attempt on ``username``: own ones are cleared by a success, shared ones only
    give the attempt back."""
    account = _account(username)
    limit = settings.SIGNIN_MAX_FAILURES
    device = _device(request)
    if device is not None and _account_mark(account) in device[1]:
        return [("signin.device", throttle.throttle_key("device", account, device[0]), limit)], []
    client = client_key(request, "signin")
    own = [("signin.pair", throttle.throttle_key("pair", account, client), limit)]
    shared = [
        ("signin.client", client, limit * CLIENT_FACTOR),
        ("signin.account", throttle.throttle_key("account", account), limit * ACCOUNT_FACTOR),
    ]
    return own, shared


def remember(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """Mark this browser as one the account signed in from (after a correct password)."""
    device, accounts = _device(request) or (secrets.token_urlsafe(16), [])
    mark = _account_mark(_account(username))
    kept = [a for a in accounts if a != mark][-(DEVICE_ACCOUNTS - 1) :]
    accounts = [*kept, mark]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps({"d": device, "a": accounts}, salt=DEVICE_SALT),
        max_age=DEVICE_DAYS * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
