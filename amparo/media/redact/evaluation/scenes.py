"""The frozen face test set: real photographs that scikit-image ships, and scenes composed from their faces.

Real faces, labelled by hand (``LABELS``; boxes from forehead to chin, ear to ear, as face benchmarks draw them):

- ``astronaut``: Eileen Collins, NASA portrait (public domain).
- ``camera``: the "cameraman" photograph, a man in near profile behind a camera (scikit-image: no known copyright).
- ``lfw``: scikit-image's ``lfw_subset``, 100 grey 25x25 face crops from Labeled Faces in the Wild; the whole crop
  is the face. These are tight crops without hair or chin, harder than faces in a photograph.

Generated scenes put those faces, small (12-120 px high), mirrored, rotated up to 30 degrees, partly hidden by a
bar, several at once, on busy backgrounds (gravel, grass, brick, a cat, a coffee cup, a rocket, coins).
Everything follows from the seed, so the set is the same on every run; :func:`fingerprint` hashes pixels and
labels, and bench/redact_eval.py refuses to score a set whose hash changed without saying so.

The split is fixed: scenes with LFW faces 0-59 and the astronaut's head are for choosing thresholds (``dev``);
scenes with LFW faces 60-99 and the cameraman's head are ``held_out``, scored once to report.

scikit-image is a development dependency: only the evaluation imports it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

Rect = tuple[float, float, float, float]  # x, y, w, h

# Hand labels on the 512x512 originals, and the head crop (with hair and neck) that scenes paste.
LABELS: dict[str, dict[str, Rect]] = {
    "astronaut": {"face": (177.0, 70.0, 100.0, 110.0), "head": (120.0, 0.0, 200.0, 230.0)},
    "camera": {"face": (192.0, 115.0, 65.0, 85.0), "head": (150.0, 60.0, 130.0, 170.0)},
}
BACKGROUNDS = ("gravel", "grass", "brick", "chelsea", "coffee", "rocket", "hubble_deep_field", "coins")
SCENE_SIZE = (960, 720)
DEV_LFW = range(0, 60)
HELD_LFW = range(60, 100)


@dataclass
class Sample:
    """One picture and its face boxes (``x, y, w, h``)."""

    name: str
    rgb: np.ndarray
    faces: list[Rect]


@lru_cache(maxsize=1)
def _lfw() -> np.ndarray:
    from skimage import data

    return (data.lfw_subset()[:100] * 255).round().astype(np.uint8)


@lru_cache(maxsize=16)
def _photo(name: str) -> np.ndarray:
    from skimage import data

    picture = getattr(data, name)()
    if picture.ndim == 2:
        picture = np.repeat(picture[:, :, None], 3, axis=2)
    return np.ascontiguousarray(picture[:, :, :3])


@lru_cache(maxsize=16)
def _background(name: str, size: tuple[int, int]) -> np.ndarray:
    return np.asarray(Image.fromarray(_photo(name)).resize(size, Image.Resampling.BICUBIC))


def photos() -> list[Sample]:
    """The real photographs as they are."""
    return [Sample(name, _photo(name), [LABELS[name]["face"]]) for name in LABELS]


def _rotated_box(box: Rect, size: tuple[int, int], angle: float, out_size: tuple[int, int]) -> Rect:
    """Where ``box`` of a ``size`` patch lands after PIL's ``rotate(angle, expand=True)`` to ``out_size``."""
    w, h = size
    cx, cy = w / 2, h / 2
    ox, oy = out_size[0] / 2, out_size[1] / 2
    rad = np.deg2rad(angle)
    cos, sin = np.cos(rad), np.sin(rad)
    x, y, bw, bh = box
    xs, ys = [], []
    for px, py in ((x, y), (x + bw, y), (x, y + bh), (x + bw, y + bh)):
        dx, dy = px - cx, py - cy
        xs.append(ox + dx * cos + dy * sin)  # PIL turns anticlockwise for positive angles (y grows downwards)
        ys.append(oy - dx * sin + dy * cos)
    # The corners' bounding box overstates a rotated face; shrink it to the same area as the face box.
    bx0, bx1, by0, by1 = min(xs), max(xs), min(ys), max(ys)
    scale = np.sqrt(bw * bh / max((bx1 - bx0) * (by1 - by0), 1e-6))
    mx, my = (bx0 + bx1) / 2, (by0 + by1) / 2
    nw, nh = (bx1 - bx0) * scale, (by1 - by0) * scale
    return (mx - nw / 2, my - nh / 2, nw, nh)


def _patch(
    rng: np.random.Generator, split: str, lfw: bool = True
) -> tuple[np.ndarray, np.ndarray | None, Rect]:
    """A face to paste: RGB pixels, an alpha mask (None: opaque) and the face box inside it."""
    if rng.random() < 0.6 and lfw:
        pool = DEV_LFW if split == "dev" else HELD_LFW
        face = _lfw()[int(rng.choice(list(pool)))]
        rgb = np.repeat(face[:, :, None], 3, axis=2)
        return rgb, None, (0.0, 0.0, 25.0, 25.0)
    name = "astronaut" if split == "dev" else "camera"
    hx, hy, hw, hh = LABELS[name]["head"]
    fx, fy, fw, fh = LABELS[name]["face"]
    head = _photo(name)[int(hy) : int(hy + hh), int(hx) : int(hx + hw)]
    return head, None, (fx - hx, fy - hy, fw, fh)


def _compose(
    rng: np.random.Generator, background: np.ndarray, count: int, split: str
) -> tuple[np.ndarray, list[Rect]]:
    canvas = background.copy()
    width, height = canvas.shape[1], canvas.shape[0]
    faces: list[Rect] = []
    taken: list[Rect] = []
    for _ in range(count * 4):
        if len(faces) >= count:
            break
        rgb, _alpha, box = _patch(rng, split)
        face_h = float(
            rng.choice([12, 16, 20, 28, 40, 56, 80, 120], p=[0.08, 0.14, 0.14, 0.16, 0.16, 0.14, 0.1, 0.08])
        )
        scale = face_h / box[3]
        picture = Image.fromarray(rgb).resize(
            (max(2, round(rgb.shape[1] * scale)), max(2, round(rgb.shape[0] * scale))),
            Image.Resampling.LANCZOS,
        )
        fbox: Rect = (box[0] * scale, box[1] * scale, box[2] * scale, box[3] * scale)
        if rng.random() < 0.5:  # turned the other way
            picture = picture.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            fbox = (picture.width - fbox[0] - fbox[2], fbox[1], fbox[2], fbox[3])
        mask = Image.new("L", picture.size, 255)
        if rng.random() < 0.4:
            angle = float(rng.uniform(-30, 30))
            before = picture.size
            picture = picture.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
            mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
            fbox = _rotated_box(fbox, before, angle, picture.size)
        if picture.width >= width or picture.height >= height:
            continue
        x = int(rng.integers(0, width - picture.width))
        y = int(rng.integers(0, height - picture.height))
        placed: Rect = (x + fbox[0], y + fbox[1], fbox[2], fbox[3])
        if any(_overlap(placed, other) > 0.05 for other in taken):
            continue
        canvas_img = Image.fromarray(canvas)
        canvas_img.paste(picture, (x, y), mask.filter(ImageFilter.GaussianBlur(0.6)))
        canvas = np.asarray(canvas_img).copy()
        if rng.random() < 0.25:  # partly hidden: a bar (a sign, an arm) over up to a third of the face
            px, py, pw, ph = placed
            colour = rng.integers(0, 256, size=3)
            if rng.random() < 0.5:
                cut = int(ph * rng.uniform(0.15, 0.33))
                canvas[int(py) : int(py) + cut, int(px) : int(px + pw) + 1] = colour
            else:
                cut = int(pw * rng.uniform(0.15, 0.33))
                canvas[int(py) : int(py + ph) + 1, int(px + pw) - cut : int(px + pw) + 1] = colour
        faces.append(placed)
        taken.append(placed)
    return canvas, faces


def _overlap(a: Rect, b: Rect) -> float:
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    return ix * iy / max(min(a[2] * a[3], b[2] * b[3]), 1e-6)


def scenes(split: str, count: int = 24) -> Iterator[Sample]:
    """``count`` generated scenes of the ``dev`` or ``held_out`` part, each with 2 to 14 faces."""
    if split not in ("dev", "held_out"):
        raise ValueError("split is dev or held_out")
    for number in range(count):
        rng = np.random.default_rng((1 if split == "dev" else 2) * 1000 + number)
        background = _background(BACKGROUNDS[number % len(BACKGROUNDS)], SCENE_SIZE)
        crowd = int(rng.choice([2, 4, 8, 14]))
        rgb, faces = _compose(rng, background, crowd, split)
        yield Sample(f"{split}-{number:02d}", rgb, faces)


def fingerprint(samples: list[Sample]) -> str:
    """A hash of every sample's pixels and labels: the set is frozen while this stays the same."""
    digest = hashlib.sha256()
    for sample in samples:
        digest.update(sample.name.encode())
        digest.update(hashlib.sha256(sample.rgb.tobytes()).digest())
        digest.update(json.dumps([[round(v, 2) for v in f] for f in sample.faces]).encode())
    return digest.hexdigest()


FROZEN_PATH = Path(__file__).with_name("frozen.json")


WORDS = (
    "MARIA",
    "LOPEZ",
    "J. GARCIA",
    "OFFICER",
    "ICE",
    "POLICE",
    "SECURITY",
    "VOLUNTEER",
    "CALLE",
    "AVE",
    "ROSA",
)


def text_scenes(split: str, count: int = 16) -> Iterator[Sample]:
    """``count`` scenes with 1 to 3 pieces of writing each: house numbers, name tags, plate-like signs.

    Drawn with Pillow's own scalable font (Aileron, in every Pillow since 10.1) on the busy backgrounds; the
    labelled box is the ink's bounding box. ``faces`` holds the text boxes here.
    """
    from PIL import ImageDraw, ImageFont

    if split not in ("dev", "held_out"):
        raise ValueError("split is dev or held_out")
    for number in range(count):
        rng = np.random.default_rng((3 if split == "dev" else 4) * 1000 + number)
        canvas = Image.fromarray(_background(BACKGROUNDS[number % len(BACKGROUNDS)], SCENE_SIZE).copy())
        draw = ImageDraw.Draw(canvas)
        boxes: list[Rect] = []
        for _ in range(int(rng.integers(1, 4)) * 3):
            if len(boxes) >= 3:
                break
            kind = int(rng.integers(0, 3))
            if kind == 0:
                words = str(int(rng.integers(1, 9999)))
            elif kind == 1:
                words = str(rng.choice(WORDS))
            else:
                letters = "".join(chr(int(c)) for c in rng.integers(65, 91, size=3))
                words = f"{letters} {int(rng.integers(100, 9999))}"
            size = int(rng.choice([14, 18, 24, 32, 44, 60]))
            font = ImageFont.load_default(size)
            x0, y0, x1, y1 = draw.textbbox((0, 0), words, font=font)
            pad = max(4, size // 4)
            w, h = int(x1 - x0) + 2 * pad, int(y1 - y0) + 2 * pad
            if w >= SCENE_SIZE[0] - 20 or h >= SCENE_SIZE[1] - 20:
                continue
            x = int(rng.integers(10, SCENE_SIZE[0] - w - 10))
            y = int(rng.integers(10, SCENE_SIZE[1] - h - 10))
            plate: Rect = (x, y, w, h)
            if any(_overlap(plate, other) > 0 for other in boxes):
                continue
            back = tuple(int(v) for v in rng.integers(0, 256, size=3))
            ink = (0, 0, 0) if sum(back) > 380 else (255, 255, 255)
            draw.rectangle([x, y, x + w, y + h], fill=back)
            draw.text((x + pad - int(x0), y + pad - int(y0)), words, font=font, fill=ink)
            boxes.append(plate)
        labels = [(b[0] + 2, b[1] + 2, b[2] - 4, b[3] - 4) for b in boxes]
        yield Sample(f"text-{split}-{number:02d}", np.asarray(canvas), labels)
