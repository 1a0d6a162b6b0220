"""Real media made in the test (see amparo/evidence/samples.py)."""

from amparo.evidence.samples import jpeg_with_gps, short_video

__all__ = ["jpeg_with_gps", "short_video"]
