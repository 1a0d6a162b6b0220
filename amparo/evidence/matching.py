"""Same-footage suggestions: which stored items look like a given file (PDQ for images, vPDQ-style frames for video).

Suggestions only, with their evidence (distances, matched frames); a person decides. Stored fingerprints come
from the ``Fingerprint`` rows filled after each ingest; the query file is probed in the sandbox first.
"""

from __future__ import annotations

import os
from collections import defaultdict
from typing import Any

import numpy as np

from amparo.evidence.models import EvidenceItem, Fingerprint
from amparo.media.pdq import MATCH_DISTANCE, to_array
from amparo.media.probe import probe


def query_codes(path: str | os.PathLike[str]) -> tuple[str, np.ndarray, int]:
    """``(kind, codes, frames)``: an image's 8 orientation hashes, or a video's frame hashes and their mirrors
    (``frames`` = how many distinct moments the query has)."""
    result = probe(path)
    if not result.ok or result.kind not in ("image", "video"):
        raise ValueError(f"cannot fingerprint this file: {result.error or result.kind}")
    if result.kind == "image":
        from PIL import Image, ImageOps

        from amparo.media.pdq import image_hashes

        with Image.open(path) as img:
            hashes = image_hashes(ImageOps.exif_transpose(img) or img)
        return "image", to_array([bits for bits, _q in hashes]), 1
    from amparo.media.video import fingerprint_video

    fp = fingerprint_video(path, max_seconds=600.0)
    return "video", to_array([bits for _t, bits, _q in fp.frames] + fp.mirrored), len(fp.frames)


def match_file(
    path: str | os.PathLike[str], network: Any, *, radius: int = MATCH_DISTANCE
) -> list[dict[str, Any]]:
    """Items of ``network`` whose fingerprints come within ``radius`` bits of the file's, best first."""
    from amparo.media.index import BinaryIndex

    kind, codes, frames = query_codes(path)
    rows = list(Fingerprint.objects.filter(item__network=network).values_list("pk", "item_id", "bits"))
    if not rows or not len(codes):
        return []
    index = BinaryIndex()
    index.add([pk for pk, _item, _bits in rows], to_array([bytes(bits) for _pk, _item, bits in rows]))
    owner = {pk: item for pk, item, _bits in rows}
    best: dict[int, int] = {}
    moments: dict[int, set[int]] = defaultdict(set)
    for position, hits in enumerate(index.search(codes, radius)):
        moment = position % frames if kind == "video" else 0  # a mirrored frame counts for its original
        for fingerprint_id, distance in hits:
            item_id = owner[fingerprint_id]
            best[item_id] = min(distance, best.get(item_id, distance))
            moments[item_id].add(moment)
    items = {i.pk: i for i in EvidenceItem.objects.filter(pk__in=best).only("code", "kind")}
    found = [
        {
            "id": str(items[item_id].code),
            "kind": items[item_id].kind,
            "distance": distance,
            "query_matched_pct": round(100.0 * len(moments[item_id]) / max(frames, 1), 1),
        }
        for item_id, distance in best.items()
    ]
    return sorted(found, key=lambda f: (-f["query_matched_pct"], f["distance"]))
