"""URLs of one Red Norte record for each of this part's object URLs (used by tests/test_urls.py)."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.urls import reverse

from amparo.evidence import vault
from amparo.evidence.models import EvidenceItem
from amparo.incidents.models import Report
from amparo.incidents.tests.factories import make_report
from amparo.testing import Personas


def north_report(p: Personas) -> Report:
    return Report.objects.filter(network=p.north).first() or make_report(p.north)


def north_picture(p: Personas) -> EvidenceItem:
    from PIL import Image

    item = EvidenceItem.objects.filter(network=p.north, kind="image").first()
    if item is not None:
        return item
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 40, 200)).save(out, format="PNG")
    out.seek(0)
    return vault.ingest(out, network=p.north, filename="picture.png")


OBJECT_URLS: dict[str, Callable[[Personas], str]] = {
    "corroboration:report": lambda p: reverse("corroboration:report", args=[north_report(p).code]),
    "corroboration:report_apply": lambda p: reverse(
        "corroboration:report_apply", args=[north_report(p).code]
    ),
    "corroboration:evidence_matches": lambda p: reverse(
        "corroboration:evidence_matches", args=[north_picture(p).code]
    ),
    "corroboration:evidence_frame": lambda p: reverse(
        "corroboration:evidence_frame", args=[north_picture(p).code, 0]
    ),
}
