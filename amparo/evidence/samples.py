"""Sample media made on the spot: JPEGs with EXIF and GPS (Pillow), short MP4 videos (PyAV). For tests and demo data."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image


def jpeg_with_gps(
    seed: int = 1,
    size: tuple[int, int] = (320, 240),
    lat: tuple[int, int, float] = (41, 52, 30.12),
    lon: tuple[int, int, float] = (87, 37, 5.0),
) -> bytes:
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, size=(12, 16, 3), dtype=np.uint8)
    img = Image.fromarray(small).resize(size, Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[0x010F] = "TestMake"  # Make
    exif[0x0110] = "TestPhone 1"  # Model
    exif[0x0132] = "2026:11:20 07:15:00"  # DateTime
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = "2026:11:20 07:15:00"  # DateTimeOriginal
    exif_ifd[0x9011] = "-06:00"  # OffsetTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (Fraction(lat[0]), Fraction(lat[1]), Fraction(round(lat[2] * 100), 100))
    gps[3] = "W"
    gps[4] = (Fraction(lon[0]), Fraction(lon[1]), Fraction(round(lon[2] * 100), 100))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def short_video(path: Path, *, seconds: float = 2.0, seed: int = 3, fps: int = 10) -> bytes:
    """A real MP4 of moving noise; returns its bytes."""
    rng = np.random.default_rng(seed)
    codec = "libx264" if "libx264" in av.codecs_available else "mpeg4"
    with av.open(str(path), "w") as container:
        container.metadata["creation_time"] = "2026-11-20T13:15:00.000000Z"
        stream = container.add_stream(codec, rate=fps)
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        base = rng.integers(0, 256, size=(120, 320, 3), dtype=np.uint8)
        for i in range(int(seconds * fps)):
            frame = np.ascontiguousarray(base[:, i * 4 : i * 4 + 160])
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path.read_bytes()
