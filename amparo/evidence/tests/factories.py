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


def _url(name: str) -> Callable[[Personas], str]:
    return lambda p: reverse(name, args=[north_item(p).code])


OBJECT_URLS: dict[str, Callable[[Personas], str]] = {
    name: _url(name)
    for name in ("evidence:detail", "evidence:download", "evidence:receipt_file", "evidence:bundle")
}
