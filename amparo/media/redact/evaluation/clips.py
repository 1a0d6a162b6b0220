"""Test videos with real faces moving: the faces of :mod:`scenes` drifting, growing, turning across a busy scene.

Each face follows a straight path that bounces off the edges, changes size slowly (someone walking towards the
camera) and, for some, turns the other way half-way. The labels are exact per frame, because the clip is
drawn from them. Encoded with PyAV (H.264), so what is scored has been through a real codec.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from PIL import Image

from amparo.media.redact.evaluation import scenes

Rect = tuple[float, float, float, float]


@dataclass
class _Mover:
    patch: np.ndarray
    face: Rect  # inside the patch
    x: float
    y: float
    vx: float
    vy: float
    height0: float
    height1: float
    flip_at: float | None


def _movers(
    rng: np.random.Generator, count: int, split: str, width: int, height: int, lfw: bool
) -> list[_Mover]:
    movers = []
    for _ in range(count):
        rgb, _alpha, face = scenes._patch(rng, split, lfw)
        h0 = float(rng.uniform(18, 110)) * height / 720
        h1 = float(np.clip(h0 * rng.uniform(0.6, 1.6), 14 * height / 720, 140 * height / 720))
        speed = float(rng.uniform(0.02, 0.15)) * width  # pixels a second
        angle = float(rng.uniform(0, 2 * np.pi))
        movers.append(
            _Mover(
                rgb,
                face,
                float(rng.uniform(0, width * 0.8)),
                float(rng.uniform(0, height * 0.8)),
                speed * np.cos(angle),
                speed * np.sin(angle),
                h0,
                h1,
                float(rng.uniform(0.3, 0.7)) if rng.random() < 0.4 else None,
            )
        )
    return movers


def write_clip(
    path: Path,
    *,
    seconds: float = 4.0,
    width: int = 1280,
    height: int = 720,
    fps: int = 30,
    faces: int = 5,
    seed: int = 7,
    split: str = "dev",
    crf: int = 23,
    grain: int = 0,
    lfw: bool = True,
) -> list[list[tuple[int, Rect]]]:
    """Write the clip to ``path``; returns, per frame, ``(face number, face box)`` of every face in it.

    ``lfw=False`` uses only the photographs' heads (with hair and neck), not the tight LFW crops. ``grain`` adds sensor-like noise of that amplitude (phone footage is noisy, which is what makes it cost
    megabits a second to store and real work to decode; a clean synthetic clip decodes unrealistically fast).
    """
    noise_rng = np.random.default_rng(seed + 1)
    rng = np.random.default_rng(seed)
    names = scenes.BACKGROUNDS
    backdrop = np.asarray(
        Image.fromarray(scenes._photo(names[seed % len(names)])).resize(
            (width * 2, height), Image.Resampling.BICUBIC
        )
    )
    movers = _movers(rng, faces, split, width, height, lfw)
    frames = round(seconds * fps)
    labels: list[list[tuple[int, Rect]]] = []
    cache: dict[tuple[int, int, bool], Image.Image] = {}
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "veryfast", "crf": str(crf)}
        for index in range(frames):
            t = index / fps
            shift = int(t * width / 20) % width
            canvas = Image.fromarray(np.ascontiguousarray(backdrop[:, shift : shift + width]))
            here: list[tuple[int, Rect]] = []
            for number, m in enumerate(movers):
                face_h = m.height0 + (m.height1 - m.height0) * t / max(seconds, 1e-6)
                scale = face_h / m.face[3]
                size = (max(2, round(m.patch.shape[1] * scale)), max(2, round(m.patch.shape[0] * scale)))
                flipped = m.flip_at is not None and t >= m.flip_at * seconds
                key = (number, size[1], flipped)
                if key not in cache:
                    picture = Image.fromarray(m.patch).resize(size, Image.Resampling.LANCZOS)
                    cache[key] = picture.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if flipped else picture
                picture = cache[key]
                span_x, span_y = max(1.0, width - picture.width), max(1.0, height - picture.height)
                x = _bounce(m.x + m.vx * t, span_x)
                y = _bounce(m.y + m.vy * t, span_y)
                canvas.paste(picture, (round(x), round(y)))
                fx = m.face[0] * scale
                if flipped:
                    fx = picture.width - fx - m.face[2] * scale
                here.append(
                    (
                        number,
                        (round(x) + fx, round(y) + m.face[1] * scale, m.face[2] * scale, m.face[3] * scale),
                    )
                )
            labels.append(here)
            if grain:
                grainy = np.asarray(canvas, dtype=np.int16) + noise_rng.integers(
                    -grain, grain + 1, size=(height, width, 1), dtype=np.int16
                )
                canvas = Image.fromarray(np.clip(grainy, 0, 255).astype(np.uint8))
            frame = av.VideoFrame.from_image(canvas)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return labels


def _bounce(value: float, span: float) -> float:
    period = value % (2 * span)
    return period if period <= span else 2 * span - period


def _sign(rng: np.random.Generator, height: int) -> tuple[Image.Image, Rect]:
    """A plate with writing on it, as :func:`scenes.text_scenes` draws them: a house number, a name or a
    plate-like "ABC 1234"; and the writing's box inside it."""
    from PIL import ImageDraw, ImageFont

    kind = int(rng.integers(0, 3))
    if kind == 0:
        words = str(int(rng.integers(1, 9999)))
    elif kind == 1:
        words = str(rng.choice(scenes.WORDS))
    else:
        letters = "".join(chr(int(c)) for c in rng.integers(65, 91, size=3))
        words = f"{letters} {int(rng.integers(100, 9999))}"
    size = max(8, round(int(rng.choice([16, 20, 24, 32, 44, 60])) * height / 720))
    font = ImageFont.load_default(size)
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    x0, y0, x1, y1 = probe.textbbox((0, 0), words, font=font)
    pad = max(4, size // 4)
    w, h = int(x1 - x0) + 2 * pad, int(y1 - y0) + 2 * pad
    back = tuple(int(v) for v in rng.integers(0, 256, size=3))
    ink = (0, 0, 0) if sum(back) > 380 else (255, 255, 255)
    plate = Image.new("RGB", (w, h), back)
    ImageDraw.Draw(plate).text((pad - int(x0), pad - int(y0)), words, font=font, fill=ink)
    return plate, (2.0, 2.0, w - 4.0, h - 4.0)


def write_text_clip(
    path: Path,
    *,
    seconds: float = 6.0,
    width: int = 1280,
    height: int = 720,
    fps: int = 30,
    signs: int = 3,
    seed: int = 500,
    crf: int = 23,
) -> list[list[tuple[int, Rect]]]:
    """A clip of ``signs`` plates with writing (house numbers, names, licence-plate-like text) drifting sideways,
    each in its own band, across a panning busy scene, bouncing off the edges; returns, per frame, ``(sign number, writing's box)``."""
    rng = np.random.default_rng(seed)
    names = scenes.BACKGROUNDS
    backdrop = np.asarray(
        Image.fromarray(scenes._photo(names[seed % len(names)])).resize(
            (width * 2, height), Image.Resampling.BICUBIC
        )
    )
    plates = []
    band = height / signs  # one band each, so no sign covers another
    for number in range(signs):
        plate, inner = _sign(rng, height)
        speed = float(rng.uniform(-0.08, 0.08)) * width
        top = number * band + float(rng.uniform(0, max(1.0, band - plate.height)))
        start = (float(rng.uniform(0, width * 0.8)), top)
        plates.append((plate, inner, start, (speed, float(rng.uniform(-3, 3)))))
    labels: list[list[tuple[int, Rect]]] = []
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "veryfast", "crf": str(crf)}
        for index in range(round(seconds * fps)):
            t = index / fps
            shift = int(t * width / 20) % width
            canvas = Image.fromarray(np.ascontiguousarray(backdrop[:, shift : shift + width]))
            here: list[tuple[int, Rect]] = []
            for number, (plate, inner, (x0, y0), (vx, vy)) in enumerate(plates):
                x = round(_bounce(x0 + vx * t, max(1.0, width - plate.width)))
                y = round(_bounce(y0 + vy * t, max(1.0, height - plate.height)))
                canvas.paste(plate, (x, y))
                here.append((number, (x + inner[0], y + inner[1], inner[2], inner[3])))
            labels.append(here)
            for packet in stream.encode(av.VideoFrame.from_image(canvas)):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return labels
