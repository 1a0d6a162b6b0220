"""URLs of one evidence item of Red Norte for each of this part's object URLs (used by tests/test_urls.py)."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.urls import reverse

from amparo.evidence import vault
from amparo.evidence.models import EvidenceItem
from amparo.testing import Personas


def north_item(p: Personas) -> EvidenceItem:
    item = EvidenceItem.objects.filter(network=p.north).first()
    return item or vault.ingest(io.BytesIO(b"factory evidence"), network=p.north, filename="note.txt")


def north_photo(p: Personas) -> EvidenceItem:
    """A picture, so that its thumbnail exists for its own network: a stranger's 404 is then the access check's."""
    from amparo.evidence.samples import jpeg_with_gps

    item = EvidenceItem.objects.filter(network=p.north, kind="image").first()
    return item or vault.ingest(io.BytesIO(jpeg_with_gps(seed=77)), network=p.north, filename="photo.jpg")


def _url(name: str, make: Callable[[Personas], EvidenceItem] = north_item) -> Callable[[Personas], str]:
    return lambda p: reverse(name, args=[make(p).code])


OBJECT_URLS: dict[str, Callable[[Personas], str]] = {
    **{
        name: _url(name)
        for name in (
            "evidence:detail",
            "evidence:download",
            "evidence:receipt_file",
            "evidence:bundle",
            "evidence:consent",
            "evidence:delete",
        )
    },
    "evidence:thumbnail": _url("evidence:thumbnail", north_photo),
    "evidence:view": _url("evidence:view", north_photo),
}
