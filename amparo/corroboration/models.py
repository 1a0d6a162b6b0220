"""What the footage search stores beside the evidence app's ``Fingerprint`` rows.

``ZoomedCrops``: a stored video's zoomed crops (:func:`amparo.media.video._zoomed`, 27 a sample: the picture zoomed
in to 81.5-88.5 % and moved 2 % each way), one row per item. The evidence app stores each sample's whole picture and
regions; without these a copy cropped 80-90 % off centre out of a stored video was found only from the original's
side (its query had them), never from the crop's. The footage index (:mod:`amparo.corroboration.footage`) keeps
them in an index of their own, met only by a query's whole pictures (and their mirrors), as in
:func:`amparo.media.match_videos`.
"""

from __future__ import annotations

import numpy as np
from django.db import models

from amparo.evidence.models import EvidenceItem

Rows = list[tuple[float, bytes, int]]


class ZoomedCrops(models.Model):
    """An evidence video's zoomed crops, packed: ``seconds`` (float64, little-endian), ``bits`` (32 bytes each)
    and ``quality`` (one byte each, the sample's PDQ quality), in the same order. A row with no crops says they were
    computed and there are none (a video too small, or one whose every crop stays the same over time)."""

    item = models.OneToOneField(EvidenceItem, on_delete=models.CASCADE, related_name="zoomed_crops")
    count = models.PositiveIntegerField(default=0)
    seconds = models.BinaryField()
    bits = models.BinaryField()
    quality = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.count} zoomed crops of {self.item_id}"

    @staticmethod
    def packed(rows: Rows) -> dict[str, object]:
        """The field values for ``rows`` ``[(second, bits, quality)]``."""
        if any(len(bits) != 32 for _t, bits, _q in rows):
            raise ValueError("a zoomed crop is a 32-byte PDQ hash")
        return {
            "count": len(rows),
            "seconds": np.array([t for t, _b, _q in rows], dtype="<f8").tobytes(),
            "bits": b"".join(bits for _t, bits, _q in rows),
            "quality": bytes(max(0, min(255, int(q))) for _t, _b, q in rows),
        }

    def rows(self) -> Rows:
        seconds = np.frombuffer(bytes(self.seconds), dtype="<f8").tolist()
        bits, quality = bytes(self.bits), bytes(self.quality)
        return [(float(t), bits[32 * k : 32 * k + 32], quality[k]) for k, t in enumerate(seconds)]

    def codes(self) -> np.ndarray:
        """The crops' hashes as an ``(n, 32)`` uint8 array."""
        return np.frombuffer(bytes(self.bits), dtype=np.uint8).reshape(-1, 32)
