"""URLs of one redaction of Red Norte for each of this part's object URLs (used by tests/test_urls.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from amparo.evidence.tests.factories import north_photo
from amparo.redaction.models import Redaction, State
from amparo.testing import Personas


def north_redaction(p: Personas) -> Redaction:
    """A proposed redaction of a picture of Red Norte (made directly: no detector needed to check access)."""
    found = Redaction.objects.filter(network=p.north).first()
    if found is not None:
        return found
    item = north_photo(p)
    return Redaction.objects.create(
        network=p.north,
        original=item,
        state=State.PROPOSED,
        media={"width": 320, "height": 240, "frames": 1, "fps": 0},
        tracks=[
            {"id": "f1", "label": "face", "source": "detector", "boxes": [[0, 10.0, 10.0, 40.0, 40.0, 0.9]]}
        ],
        proposed_by=p.user("alice"),
    )


def _url(name: str) -> Callable[[Personas], str]:
    return lambda p: reverse(name, args=[north_redaction(p).code])


OBJECT_URLS: dict[str, Callable[[Personas], str]] = {
    **{
        name: _url(name)
        for name in ("redaction:review", "redaction:save", "redaction:submit", "redaction:decide")
    },
    "redaction:request": lambda p: reverse("redaction:request", args=[north_photo(p).code]),
}
