"""Real media made in the test: a short H.264 video with PyAV and a JPEG photo with Pillow."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image


def make_video(path: Path, seconds: int = 1, size: tuple[int, int] = (160, 120), noise: bool = False) -> Path:
    """An H.264 MP4; with ``noise`` the frames are random pixels, so the file is large (hard to compress)."""
    rng = np.random.default_rng(7)
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, 10)
        for i in range(seconds * 10):
            pixels = np.full((size[1], size[0], 3), (i * 20) % 255, dtype=np.uint8)
            pixels[:, : (i * 7) % size[0]] = (200, 30, 30)
            if noise:
                pixels = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def video_bytes(tmp: Path) -> bytes:
    return make_video(tmp / "clip.mp4").read_bytes()


def photo_bytes(colour: tuple[int, int, int] = (20, 120, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buf, format="JPEG")
    return buf.getvalue()


def save_photo(path: Path) -> Path:
    path.write_bytes(photo_bytes())
    return path
