"""Strict base64: only the canonical encoding of a value is accepted, so no two texts mean the same bytes."""

from __future__ import annotations

import base64
import binascii


def b64decode_strict(value: str) -> bytes:
    """Decode standard padded base64, rejecting any other spelling (spaces, missing padding, or non-zero
    padding bits such as ``D1=`` for ``D0=``). Raises ``ValueError``."""
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError("not valid base64") from exc
    if base64.b64encode(raw).decode("ascii") != value:
        raise ValueError("not canonical base64")
    return raw
