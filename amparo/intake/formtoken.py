"""Form tokens: a signed, single-use ticket issued with the public report page.

A witness's browser gets one with every report or follow-up page. It serves two ends:

- it binds the resumable (tus) uploads started from that page to that page's form: only a form carrying the same token
  (or sent from the same browser) can attach them, never a partner token or another visitor who learnt an upload id;
- a report carrying a fresh, unused token that is older than ``conf.form_min_seconds()`` counts against the much
  larger per-address budget ``conf.form_reports_per_hour()``, so the witnesses of one raid behind one address (a
  church's wifi, a carrier's NAT) all get through. The token is spent on use, atomically in the shared database, so
  one page cannot carry a flood; junk (honeypot, repeated body, reused or instant token) costs ``conf.JUNK_COST``.

The token holds a random nonce and its issue time in milliseconds, signed with the secret key; nothing about the
visitor. (Tokens issued before the change hold whole seconds under ``t``; their age is taken from the end of that
second, so truncation can never make an instant token look older than it is.)
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.http import HttpRequest

from amparo.intake import conf, privacy

SALT = "amparo.intake.form"


@dataclass(frozen=True)
class FormToken:
    nonce: str
    age_seconds: float

    @property
    def binding(self) -> str:
        """What an upload started with this token records: a keyed digest of the nonce."""
        return "f" + signing.Signer(salt=SALT + ".binding").signature(self.nonce)[:40]

    @property
    def fresh(self) -> bool:
        return conf.form_min_seconds() <= self.age_seconds <= conf.form_lifetime().total_seconds()


def issue() -> str:
    return signing.dumps(
        {"n": secrets.token_hex(16), "m": time.time_ns() // 1_000_000}, salt=SALT, compress=False
    )


def read(raw: str | None) -> FormToken | None:
    """The token, if its signature holds (whatever its age); None when absent, forged or damaged."""
    if not raw or len(raw) > 200:
        return None
    try:
        value = signing.loads(raw, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("n"), str):
        return None
    if isinstance(value.get("m"), int):
        issued = value["m"] / 1000
    elif isinstance(value.get("t"), int):
        issued = value["t"] + 1  # whole seconds: the latest moment it can have been issued
    else:
        return None
    return FormToken(value["n"], time.time() - issued)


def spend(token: FormToken) -> bool:
    """Use the token for one report: True the first time only, in every server process."""
    return privacy.take("form.spent", privacy.keyed("form", token.nonce), 1, conf.form_lifetime() * 2)


def browser_binding(request: HttpRequest) -> str:
    """Without a form token, uploads are bound to the browser's CSRF cookie (what the form post also carries)."""
    from django.conf import settings

    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if not cookie.isascii() or not cookie.isalnum() or len(cookie) < 16:
        return ""
    return "c" + signing.Signer(salt=SALT + ".browser").signature(cookie)[:40]
