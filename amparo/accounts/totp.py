"""Time-based one-time codes (RFC 6238) with replay protection."""

from __future__ import annotations

import time

import pyotp

ISSUER = "Amparo"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def matching_step(secret: str, code: str, last_step: int = 0, now: float | None = None) -> int | None:
    """The time step the code belongs to (current, previous or next), if valid and newer than ``last_step``."""
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    for offset in (0, -1, 1):
        at = moment + offset * totp.interval
        step = int(at // totp.interval)
        if step > last_step and totp.at(at) == code:
            return step
    return None
