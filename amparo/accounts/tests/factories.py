"""URLs of one record of Red Norte for each of this part's object URLs (used by tests/test_urls.py)."""

from collections.abc import Callable

from django.urls import reverse

from amparo.testing import Personas

OBJECT_URLS: dict[str, Callable[[Personas], str]] = {
    "accounts:member": lambda p: reverse("accounts:member", args=[p["vera"].code]),
    "accounts:member_link": lambda p: reverse("accounts:member_link", args=[p["vera"].code]),
}
