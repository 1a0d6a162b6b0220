"""URLs of Red Norte's intake records, for the project-wide sweeps in tests/test_urls.py."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from amparo.intake import actions
from amparo.testing import Personas


def _token_url(p: Personas) -> str:
    row, _token = actions.do_create_token(p.north, "Partner", None)
    return reverse("intake:revoke_token", args=[row.code])


OBJECT_URLS: dict[str, Callable[[Personas], str]] = {"intake:revoke_token": _token_url}
