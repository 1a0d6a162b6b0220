"""Real clips made for these tests with PyAV: a drifting texture with moving shapes, and edited copies of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

import av
import numpy as np
from av.video.stream import VideoStream
from PIL import Image

Frame = np.ndarray


def _texture(width: int, height: int, seed: int) -> Frame:
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, size=(7, 12, 3), dtype=np.uint8)
    return np.asarray(Image.fromarray(small).resize((width * 2, height), Image.Resampling.BICUBIC))


def frames(seconds: float, width: int, height: int, fps: int, seed: int) -> list[Frame]:
    tex = _texture(width, height, seed)
    shapes = np.random.default_rng(seed + 1).integers(0, 256, size=(5, 5))
    out = []
    for n in range(int(seconds * fps)):
        t = n / fps
        shift = int(t * width / 10) % width
        frame = tex[:, shift : shift + width].copy()
        for i, (x0, y0, r, g, b) in enumerate(shapes):
            cx = int((x0 / 255 * width + t * (30 + 13 * i)) % width)
            cy = int((y0 / 255 * height + t * (20 + 9 * i)) % height)
            size = max(6, height // (5 + i))
            frame[max(0, cy - size) : cy + size, max(0, cx - size) : cx + size] = (r, g, b)
        out.append(frame)
    return out


def encode(
    path: Path, pictures: list[Frame], *, fps: int = 12, codec: str = "mpeg4", bit_rate: int = 800_000
) -> Path:
    with av.open(str(path), "w") as container:
        stream = cast(VideoStream, container.add_stream(codec, rate=fps))
        stream.height, stream.width = pictures[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        stream.bit_rate = bit_rate
        for picture in pictures:
            for packet in stream.encode(
                av.VideoFrame.from_ndarray(np.ascontiguousarray(picture), format="rgb24")
            ):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def clip(
    path: Path,
    *,
    seed: int = 1,
    seconds: float = 6.0,
    width: int = 320,
    height: int = 240,
    edit: Callable[[Frame], Frame] | None = None,
    **kw: object,
) -> Path:
    pictures = frames(seconds, width, height, 12, seed)
    if edit is not None:
        pictures = [edit(p) for p in pictures]
    return encode(path, pictures, **kw)  # type: ignore[arg-type]  # encode's keyword options


def resized(scale: float) -> Callable[[Frame], Frame]:
    def edit(frame: Frame) -> Frame:
        h, w = frame.shape[:2]
        size = (int(w * scale) & ~1, int(h * scale) & ~1)
        return np.asarray(Image.fromarray(frame).resize(size, Image.Resampling.BILINEAR))

    return edit


def greyscale(frame: Frame) -> Frame:
    return np.asarray(Image.fromarray(frame).convert("L").convert("RGB"))


def mirrored(frame: Frame) -> Frame:
    return frame[:, ::-1]


def letterboxed(frame: Frame) -> Frame:
    h, w = frame.shape[:2]
    bar = h // 5 & ~1
    out = np.zeros((h + 2 * bar, w, 3), dtype=np.uint8)
    out[bar : bar + h] = frame
    return out


def still(path: Path, *, seed: int = 1) -> Path:
    Image.fromarray(frames(1.0, 320, 240, 1, seed)[0]).save(path, quality=90)
    return path
