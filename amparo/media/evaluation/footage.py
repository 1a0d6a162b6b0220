"""A frozen evaluation set of footage as it circulates after an incident, generated deterministically.

Nothing here is downloaded and no large video is committed: every clip is rendered from a fixed seed by
:func:`generate` into a cache folder, and the list of clips and pairs (the *manifest*, ``footage.jsonl`` beside
this file) is frozen in the repository. :func:`build_manifest` rebuilds it from the seeds, so a test can prove
the frozen file is still what the generator makes.

Each *scene* is one place of its own (sky, buildings, trees, street, 1/f texture, its own palette), filmed by a
hand-held camera (pan, zoom, shake) with people-like figures and cars moving through it. A scene's *source* is a
long phone recording (36 s); the edited clips are cut from it with one edit each, in the shapes that circulate:

- ``recut``: 9-12 s re-cut from the middle of the longer video (a small share of it);
- ``partial``: two clips from the same phone overlapping only in part (about 5 s shared);
- ``logo``: a logo covering a quarter of the frame; ``caption``: a caption bar over the bottom quarter;
- ``pip``: the clip shown picture-in-picture (half size) over a studio picture;
- ``greyscale``, ``sepia``, ``filter`` (warm, contrasty, vignetted);
- ``letterbox`` (bars above and below) and ``pillarbox`` (bars at the sides, e.g. a portrait phone clip on TV);
- ``crop`` (zoomed in 10-20 %, or cut to 4:3), ``fps`` (15 or 24 fps), ``speed`` (0.9x and 1.1x);
- ``lowbitrate`` (re-encoded at about 120-180 kbit/s);
- ``screen``: the clip filmed off another phone's screen: smaller, perspective-warped, with a bezel, on a desk,
  with moiré, noise, a different frame rate and a shaking hand.

Hard negatives are clips of the *same place at another time* (same world and palette, another camera path, another
light, other people), which must not match the scene's source or its edits. Every pair of clips of different
footage is a negative, so false pairs are counted over all of them.

Four splits with their own scenes and parameters (drawn from their own seeds): ``tuning`` (used while building
the matcher), ``heldout`` (scored once at the end of the first round, seen since: it is used for development now),
``heldout2`` (scored once at the end of the second round; its false pairs were studied in the third, so it is seen
and used for development too) and ``heldout3`` (made at the start of the third round, frozen with a hash in
``tests/test_footage_eval.py`` before anything was scored on it, scored once in the third round, then seen: the
rule changed after the seen ``heldout`` split was scored with it) and ``heldout4`` (two scenes, one portrait, made
and frozen the same way after that change, scored once at the end of the third round). Run ``python -m amparo.media.evaluation.footage --check`` to compare the manifest.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

MANIFEST = Path(__file__).with_name("footage.jsonl")
SPLITS = {"tuning": 1000, "heldout": 2000, "heldout2": 3000, "heldout3": 4000, "heldout4": 5000}  # base seeds
SCENES_PER_SPLIT = 4
SCENES = {"heldout4": 2}  # fewer scenes (one landscape, one portrait): made late in the third round
SOURCE_SECONDS = 36.0
WORLD = (1920, 1080)
VERSION = 1

EDIT_KINDS = (
    "recut",
    "partial",
    "logo",
    "caption",
    "pip",
    "greyscale",
    "sepia",
    "filter",
    "letterbox",
    "pillarbox",
    "crop",
    "fps",
    "speed",
    "lowbitrate",
    "screen",
)


# ---- the world: a place that stays the same, and a camera moving through it ---------------------------------


def _fractal(rng: np.random.Generator, width: int, height: int, octaves: int = 6) -> np.ndarray:
    """1/f noise in [0, 1]: the texture of natural surfaces (foliage, plaster, asphalt)."""
    out = np.zeros((height, width), dtype=np.float32)
    amp, total = 1.0, 0.0
    for octave in range(octaves):
        cells = 2 ** (octave + 2)
        grid = rng.random((cells * height // width + 2, cells + 2)).astype(np.float32)
        layer = np.asarray(
            Image.fromarray((grid * 255).astype(np.uint8)).resize((width, height), Image.Resampling.BICUBIC),
            dtype=np.float32,
        )
        out += amp * layer / 255
        total += amp
        amp *= 0.55
    return out / total


def _palette(rng: np.random.Generator) -> dict[str, np.ndarray]:
    def colour(lo: int, hi: int) -> np.ndarray:
        return rng.integers(lo, hi, size=3).astype(np.float32)

    return {
        "sky_top": colour(40, 200),
        "sky_low": colour(120, 255),
        "ground": colour(50, 140),
        "facade": colour(60, 230),
        "tree": np.array(
            [rng.integers(20, 90), rng.integers(80, 170), rng.integers(20, 80)], dtype=np.float32
        ),
    }


@lru_cache(maxsize=4)
def world(seed: int) -> Image.Image:
    """A 1920x1080 picture of a place: sky, buildings with windows, trees, a street; its own palette."""
    rng = np.random.default_rng(seed)
    width, height = WORLD
    pal = _palette(rng)
    horizon = int(height * rng.uniform(0.42, 0.6))
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    sky = pal["sky_top"] * (1 - y) + pal["sky_low"] * y
    img = np.broadcast_to(sky, (height, width, 3)).copy()
    clouds = _fractal(rng, width, height)[:, :, None]
    img += (clouds - 0.5) * 90
    street = pal["ground"] * (0.7 + 0.6 * _fractal(rng, width, height - horizon)[:, :, None])
    img[horizon:] = street
    canvas = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(canvas)
    x = int(rng.integers(-100, 50))
    while x < width:
        w = int(rng.integers(120, 340))
        top = int(horizon - rng.integers(120, int(horizon * 0.95)))
        facade = np.clip(pal["facade"] + rng.normal(0, 35, 3), 0, 255).astype(int)
        draw.rectangle((x, top, x + w, horizon + 6), fill=tuple(facade))
        window = np.clip(facade * rng.uniform(0.3, 1.5), 0, 255).astype(int)
        ww, wh = int(rng.integers(10, 26)), int(rng.integers(14, 34))
        gx, gy = ww + int(rng.integers(8, 24)), wh + int(rng.integers(10, 26))
        for wy in range(top + 12, horizon - wh, gy):
            for wx in range(x + 10, x + w - ww, gx):
                if rng.random() < 0.85:
                    lit = window if rng.random() < 0.7 else np.clip(window + 60, 0, 255)
                    draw.rectangle((wx, wy, wx + ww, wy + wh), fill=tuple(int(c) for c in lit))
        x += w + int(rng.integers(-20, 60))
    for _ in range(int(rng.integers(4, 10))):  # trees in front of the buildings
        cx, base = int(rng.integers(0, width)), horizon + int(rng.integers(0, 60))
        r = int(rng.integers(50, 130))
        draw.rectangle((cx - 8, base - r, cx + 8, base + 20), fill=(70, 50, 30))
        for _leaf in range(14):
            lx, ly = cx + int(rng.normal(0, r * 0.5)), base - r + int(rng.normal(0, r * 0.4))
            lr = int(rng.integers(r // 4, r // 2))
            shade = np.clip(pal["tree"] * rng.uniform(0.6, 1.3), 0, 255).astype(int)
            draw.ellipse((lx - lr, ly - lr, lx + lr, ly + lr), fill=tuple(shade))
    for lane in range(3):  # street markings
        ly = horizon + int((height - horizon) * (0.35 + 0.25 * lane))
        for lx in range(int(rng.integers(0, 80)), width, 160):
            draw.rectangle((lx, ly, lx + 70, ly + 6), fill=(220, 220, 200))
    texture = (_fractal(rng, width, height, octaves=5)[:, :, None] - 0.5) * 40
    out = np.asarray(canvas, dtype=np.float32) + texture
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


@dataclass(frozen=True)
class Shot:
    """A camera moving through a world, with its own people and cars and light (a tint and a gain)."""

    world_seed: int
    seed: int
    width: int
    height: int
    tint: tuple[float, float, float] = (1.0, 1.0, 1.0)

    def params(self) -> dict[str, Any]:
        rng = np.random.default_rng(self.seed)
        return {
            "x0": rng.uniform(0.3, 0.7),
            "y0": rng.uniform(0.35, 0.6),
            "vx": rng.uniform(-0.012, 0.012),
            "vy": rng.uniform(-0.004, 0.004),
            "zoom0": rng.uniform(0.35, 0.55),
            "vzoom": rng.uniform(-0.004, 0.004),
            "shake": rng.uniform(0.002, 0.006),
            "phases": rng.uniform(0, 2 * math.pi, size=6),
            "people": [
                (
                    rng.uniform(0, 1),
                    rng.uniform(-0.03, 0.03),
                    rng.uniform(0.5, 0.95),
                    rng.integers(20, 230, 3),
                )
                for _ in range(int(rng.integers(5, 10)))
            ],
            "cars": [
                (rng.uniform(0, 1), rng.uniform(-0.05, 0.05), rng.integers(30, 230, 3))
                for _ in range(int(rng.integers(2, 5)))
            ],
        }


@lru_cache(maxsize=16)
def _shot_params(shot: Shot) -> dict[str, Any]:
    return shot.params()


@lru_cache(maxsize=16)
def _tinted_world(shot: Shot) -> Image.Image:
    base = np.asarray(world(shot.world_seed), dtype=np.float32) * np.array(shot.tint, dtype=np.float32)
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))


@lru_cache(maxsize=8)
def _sensor_noise(width: int, height: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 3.0, size=(6, height, width, 1)).astype(np.int16)


def render(shot: Shot, t: float) -> np.ndarray:
    """The RGB frame of ``shot`` at ``t`` seconds, ``(height, width, 3)`` uint8."""
    p = _shot_params(shot)
    ww, wh = WORLD
    ph = p["phases"]
    shake_x = p["shake"] * (math.sin(2.1 * t + ph[0]) + 0.5 * math.sin(5.3 * t + ph[1]))
    shake_y = p["shake"] * (math.sin(1.7 * t + ph[2]) + 0.5 * math.sin(4.1 * t + ph[3]))
    zoom = min(0.9, max(0.2, p["zoom0"] + p["vzoom"] * t + 0.01 * math.sin(0.9 * t + ph[4])))
    aspect = shot.width / shot.height
    view_w = ww * zoom
    view_h = view_w / aspect
    if view_h > wh * 0.95:
        view_h = wh * 0.95
        view_w = view_h * aspect
    cx = (p["x0"] + p["vx"] * t + shake_x) * ww
    cy = (p["y0"] + p["vy"] * t + shake_y) * wh
    cx = min(max(cx, view_w / 2), ww - view_w / 2)
    cy = min(max(cy, view_h / 2), wh - view_h / 2)
    box = (cx - view_w / 2, cy - view_h / 2, cx + view_w / 2, cy + view_h / 2)
    frame = _tinted_world(shot).transform(
        (shot.width, shot.height), Image.Transform.EXTENT, box, Image.Resampling.BILINEAR
    )
    draw = ImageDraw.Draw(frame)
    scale = shot.width / view_w

    def to_view(x: float, y: float) -> tuple[float, float]:
        return (x - box[0]) * scale, (y - box[1]) * scale

    for x0, v, depth, colour in p["people"]:  # figures: a body and a head, bobbing as they walk
        x = ((x0 + v * t) % 1.2 - 0.1) * ww
        y = wh * (0.55 + 0.4 * depth)
        size = 60 + 140 * depth
        bob = 4 * math.sin(9 * t + x0 * 40)
        vx, vy = to_view(x, y + bob)
        s = size * scale
        draw.ellipse((vx - s * 0.22, vy - s, vx + s * 0.22, vy), fill=tuple(int(c) for c in colour))
        draw.ellipse((vx - s * 0.12, vy - s * 1.25, vx + s * 0.12, vy - s * 0.98), fill=(190, 150, 120))
    for x0, v, colour in p["cars"]:
        x = ((x0 + v * t) % 1.4 - 0.2) * ww
        y = wh * 0.9
        vx, vy = to_view(x, y)
        s = 220 * scale
        draw.rectangle((vx - s, vy - s * 0.45, vx + s, vy), fill=tuple(int(c) for c in colour))
        draw.rectangle((vx - s * 0.6, vy - s * 0.75, vx + s * 0.5, vy - s * 0.45), fill=(60, 70, 90))
    out = (
        np.asarray(frame, dtype=np.int16) + _sensor_noise(shot.width, shot.height, shot.seed)[int(t * 30) % 6]
    )
    return np.clip(out, 0, 255).astype(np.uint8)


# ---- edits ---------------------------------------------------------------------------------------------------

Edit = Callable[[np.ndarray, float], np.ndarray]
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def _resize(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    return np.asarray(Image.fromarray(frame).resize((width, height), Image.Resampling.BILINEAR))


def _even(n: float) -> int:
    return max(16, round(n) & ~1)


def edit_for(recipe: dict[str, Any], size: tuple[int, int]) -> tuple[Edit | None, tuple[int, int]]:
    """The frame edit of a recipe and the output size, for source frames of ``size`` (width, height)."""
    kind = recipe["kind"]
    width, height = size
    rng = np.random.default_rng(recipe["seed"])
    if kind == "greyscale":
        return (lambda f, _t: np.repeat((f @ LUMA).astype(np.uint8)[:, :, None], 3, axis=2)), size
    if kind == "sepia":
        matrix = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]], np.float32)
        return (lambda f, _t: np.clip(f @ matrix.T, 0, 255).astype(np.uint8)), size
    if kind == "filter":
        gain = np.array([1.12, 1.0, 0.82], dtype=np.float32) * rng.uniform(0.95, 1.05)
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        r = ((xx / width - 0.5) ** 2 + (yy / height - 0.5) ** 2) ** 0.5
        vignette = (1 - 0.7 * r**2)[:, :, None]
        contrast = rng.uniform(1.2, 1.4)

        def warm(f: np.ndarray, _t: float) -> np.ndarray:
            g: np.ndarray = f.astype(np.float32)
            grey = (g @ LUMA)[:, :, None]
            g = grey + 1.3 * (g - grey)  # more saturation
            g = (g - 128) * contrast + 128 + 10
            return np.clip(g * gain * vignette, 0, 255).astype(np.uint8)

        return warm, size
    if kind == "letterbox":
        # Into a square (or, for a portrait clip, a landscape) frame with black bars above and below.
        out_w = width
        out_h = _even(max(width, height * 1.33))  # a square for landscape clips, taller for portrait ones
        inner_h = _even(height * out_w / width)
        top = (out_h - inner_h) // 2

        def box(f: np.ndarray, _t: float) -> np.ndarray:
            out = np.zeros((out_h, out_w, 3), dtype=np.uint8)
            out[top : top + inner_h] = _resize(f, out_w, inner_h)
            return out

        return box, (out_w, out_h)
    if kind == "pillarbox":
        out_h = height
        out_w = _even(max(height * 16 / 9, width * 1.33))
        inner_w = _even(width * out_h / height)
        left = (out_w - inner_w) // 2

        def pillar(f: np.ndarray, _t: float) -> np.ndarray:
            out = np.zeros((out_h, out_w, 3), dtype=np.uint8)
            out[:, left : left + inner_w] = _resize(f, inner_w, out_h)
            return out

        return pillar, (out_w, out_h)
    if kind == "crop":
        if recipe["crop"] == "zoom":
            share = recipe["share"]
            cw, ch = width * share, height * share
            x0 = (width - cw) / 2 + rng.uniform(-0.03, 0.03) * width
            y0 = (height - ch) / 2 + rng.uniform(-0.03, 0.03) * height
        else:  # cut to 4:3 (landscape) or 1:1 (portrait), centred
            cw, ch = (height * 4 / 3, height) if width > height else (width, width)
            x0, y0 = (width - cw) / 2, (height - ch) / 2
        crop_box = (int(x0), int(y0), int(x0 + cw), int(y0 + ch))
        out = (_even(cw), _even(ch))
        return (lambda f, _t: np.asarray(Image.fromarray(f).crop(crop_box).resize(out))), out
    if kind == "logo":
        # A station logo over a quarter of the frame (half the width, half the height) in one corner.
        corner = recipe["corner"]
        lw, lh = width // 2, height // 2
        x0 = 0 if "l" in corner else width - lw
        y0 = 0 if "t" in corner else height - lh
        logo = _logo(lw, lh, recipe["seed"])
        alpha = recipe["alpha"]

        def stamp(f: np.ndarray, _t: float) -> np.ndarray:
            out = f.astype(np.float32)
            region = out[y0 : y0 + lh, x0 : x0 + lw]
            out[y0 : y0 + lh, x0 : x0 + lw] = region * (1 - alpha) + logo * alpha
            return out.astype(np.uint8)

        return stamp, size
    if kind == "caption":
        bar_h = height // 4
        captions = [_caption(width, bar_h, recipe["seed"] + k) for k in range(8)]

        def caption(f: np.ndarray, t: float) -> np.ndarray:
            out = f.copy()
            out[height - bar_h :] = captions[int(t / 3) % len(captions)]
            return out

        return caption, size
    if kind == "pip":
        return _pip(recipe, size)
    if kind == "screen":
        return _screen(recipe, size)
    return None, size  # recut, partial, fps, speed, lowbitrate: the frames as they are


def _logo(width: int, height: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (width, height), tuple(int(c) for c in rng.integers(0, 255, 3)))
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        r = int(rng.integers(width // 10, width // 3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(int(c) for c in rng.integers(0, 255, 3)))
    draw.rectangle((width // 8, height // 3, width * 7 // 8, height * 2 // 3), fill=(250, 250, 250))
    return np.asarray(img, dtype=np.float32)


def _caption(width: int, height: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (width, height), (20, 24, 40))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, width, height // 6), fill=(200, 20, 30))
    x = 12
    while x < width - 30:  # word-like blocks: a caption that changes every few seconds
        w = int(rng.integers(10, 50))
        draw.rectangle((x, height // 3, x + w, height // 3 + height // 5), fill=(235, 235, 235))
        x += w + 8
    return np.asarray(img)


def _pip(recipe: dict[str, Any], size: tuple[int, int]) -> tuple[Edit, tuple[int, int]]:
    """The clip at about half size inside a box with a thin frame, over a studio picture with a presenter."""
    width, height = size
    out_w, out_h = (640, 360)
    studio = Shot(recipe["seed"] + 7, recipe["seed"] + 8, out_w, out_h)
    scale = recipe["scale"]
    inner_h = _even(out_h * scale)
    inner_w = _even(inner_h * width / height)
    if inner_w > out_w * 0.7:
        inner_w = _even(out_w * 0.7)
        inner_h = _even(inner_w * height / width)
    x0 = int(out_w * recipe["x"] - inner_w / 2)
    y0 = int(out_h * recipe["y"] - inner_h / 2)
    x0, y0 = min(max(x0, 8), out_w - inner_w - 8), min(max(y0, 8), out_h - inner_h - 8)
    still = render(studio, 0.0)

    def pip(f: np.ndarray, t: float) -> np.ndarray:
        out = still.copy()
        # the presenter beside the box moves a little
        px = int(out_w * 0.85 + 6 * math.sin(1.3 * t)) if x0 < out_w / 2 else int(out_w * 0.15)
        out[int(out_h * 0.45) : out_h, max(0, px - 40) : px + 40] = (40, 40, 60)
        out[y0 - 3 : y0 + inner_h + 3, x0 - 3 : x0 + inner_w + 3] = 240
        out[y0 : y0 + inner_h, x0 : x0 + inner_w] = _resize(f, inner_w, inner_h)
        return out

    return pip, (out_w, out_h)


def _perspective_coeffs(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> list[float]:
    """PIL PERSPECTIVE coefficients mapping output points ``dst`` to input points ``src``."""
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    rhs = np.array([c for pt in src for c in pt], dtype=np.float64)
    return list(np.linalg.solve(np.array(rows, dtype=np.float64), rhs))


def _screen(recipe: dict[str, Any], size: tuple[int, int]) -> tuple[Edit, tuple[int, int]]:
    """The clip playing on a phone held in front of another phone's camera."""
    width, height = size
    out_w, out_h = (640, 360) if width > height else (360, 640)
    rng = np.random.default_rng(recipe["seed"])
    desk = _fractal(rng, out_w, out_h, octaves=4)
    desk_rgb = (np.array([90, 75, 60], np.float32) * (0.6 + 0.8 * desk[:, :, None])).astype(np.uint8)
    desk_img = Image.fromarray(desk_rgb).filter(ImageFilter.GaussianBlur(2))
    scale = recipe["scale"]
    sw = out_w * scale
    sh = sw * height / width
    if sh > out_h * 0.8:
        sh = out_h * 0.8
        sw = sh * width / height
    cx, cy = out_w / 2 + rng.uniform(-0.05, 0.05) * out_w, out_h / 2 + rng.uniform(-0.05, 0.05) * out_h
    skew = recipe["skew"]
    quad = [
        (cx - sw / 2 + skew * sw, cy - sh / 2),
        (cx + sw / 2 - skew * sw * 0.3, cy - sh / 2 + skew * sh),
        (cx + sw / 2, cy + sh / 2 - skew * sh * 0.5),
        (cx - sw / 2, cy + sh / 2),
    ]
    src = [(0.0, 0.0), (float(width), 0.0), (float(width), float(height)), (0.0, float(height))]
    coeffs = _perspective_coeffs(src, quad)
    mask = Image.new("L", (width, height), 255).transform(
        (out_w, out_h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR
    )
    bezel = Image.new("L", (out_w, out_h), 0)
    bd = ImageDraw.Draw(bezel)
    pad = 0.06 * sw
    bd.polygon(
        [(x + (-pad if i in (0, 3) else pad), y + (-pad if i < 2 else pad)) for i, (x, y) in enumerate(quad)],
        fill=255,
    )
    yy, xx = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    moire = (6 * np.sin(xx * 0.9 + yy * 0.35) * np.sin(yy * 0.8)).astype(np.float32)[:, :, None]
    glare = (18 * np.exp(-(((xx - cx - sw * 0.2) / sw) ** 2 + ((yy - cy + sh * 0.2) / sh) ** 2) * 3))[
        :, :, None
    ]
    noise = (
        np.random.default_rng(recipe["seed"] + 1).normal(0, 4, size=(4, out_h, out_w, 1)).astype(np.float32)
    )
    gamma = recipe["gamma"]

    def filmed(f: np.ndarray, t: float) -> np.ndarray:
        screen = Image.fromarray(
            np.clip(255 * (f.astype(np.float32) / 255) ** gamma * 0.9 + 12, 0, 255).astype(np.uint8)
        ).transform((out_w, out_h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
        out = desk_img.copy()
        out.paste((15, 15, 18), mask=bezel)
        out.paste(screen, mask=mask)
        dx, dy = 2.5 * math.sin(3.1 * t), 2.0 * math.sin(2.3 * t + 1)  # a hand is never still
        out = out.transform(out.size, Image.Transform.AFFINE, (1, 0, dx, 0, 1, dy), Image.Resampling.BILINEAR)
        g = np.asarray(out, dtype=np.float32) + moire + glare + noise[int(t * 30) % 4]
        return np.clip(g, 0, 255).astype(np.uint8)

    return filmed, (out_w, out_h)


# ---- the manifest --------------------------------------------------------------------------------------------


def _scene(split: str, index: int) -> dict[str, Any]:
    base = SPLITS[split] + 100 * index
    rng = np.random.default_rng(base)
    portrait = index % 2 == 1  # half the scenes are portrait phone video
    width, height = (360, 640) if portrait else (640, 360)
    return {
        "name": f"{split}-s{index}",
        "world": base,
        "camera": base + 1,
        "width": width,
        "height": height,
        "rng": rng,
    }


def build_manifest() -> list[dict[str, Any]]:
    """Every clip and every listed pair, in a fixed order, from the seeds alone."""
    rows: list[dict[str, Any]] = []
    for split in SPLITS:
        for index in range(SCENES.get(split, SCENES_PER_SPLIT)):
            rows.extend(_scene_rows(split, index))
    return rows


def _scene_rows(split: str, index: int) -> Iterator[dict[str, Any]]:
    sc = _scene(split, index)
    rng = sc["rng"]
    name = sc["name"]
    source_id = f"{name}-source"
    footage = f"{name}-a"

    def clip(cid: str, **recipe: Any) -> dict[str, Any]:
        recipe.setdefault("fps", 30)
        recipe.setdefault("bit_rate", 900_000)
        recipe.setdefault("speed", 1.0)
        recipe.setdefault("seed", int(rng.integers(0, 2**31)))
        return {"type": "clip", "split": split, "id": cid, "scene": name, **recipe}

    yield clip(
        source_id,
        kind="source",
        footage=footage,
        world=sc["world"],
        camera=sc["camera"],
        width=sc["width"],
        height=sc["height"],
        start=0.0,
        seconds=SOURCE_SECONDS,
    )

    def cut(seconds: float) -> float:
        return round(float(rng.uniform(2.0, SOURCE_SECONDS - seconds - 2.0)), 2)

    def edited(kind: str, seconds: float = 12.0, **extra: Any) -> dict[str, Any]:
        start = cut(seconds * extra.get("speed", 1.0))
        return clip(
            f"{name}-{kind}",
            kind=kind,
            footage=footage,
            world=sc["world"],
            camera=sc["camera"],
            width=sc["width"],
            height=sc["height"],
            start=start,
            seconds=seconds,
            **extra,
        )

    pairs: list[tuple[str, str, str]] = []
    for kind in EDIT_KINDS:
        if kind == "partial":
            first_len, second_len = round(float(rng.uniform(12, 16)), 2), round(float(rng.uniform(12, 16)), 2)
            a0 = round(float(rng.uniform(1, 6)), 2)
            overlap = round(float(rng.uniform(4.5, 6.0)), 2)
            b0 = round(a0 + first_len - overlap, 2)
            a = clip(
                f"{name}-partial-a",
                kind="partial",
                footage=footage,
                world=sc["world"],
                camera=sc["camera"],
                width=sc["width"],
                height=sc["height"],
                start=a0,
                seconds=first_len,
            )
            b = clip(
                f"{name}-partial-b",
                kind="partial",
                footage=footage,
                world=sc["world"],
                camera=sc["camera"],
                width=sc["width"],
                height=sc["height"],
                start=b0,
                seconds=second_len,
            )
            yield a
            yield b
            pairs.append(("partial", a["id"], b["id"]))
            continue
        extra: dict[str, Any] = {}
        seconds = 12.0
        if kind == "recut":
            seconds = round(float(rng.uniform(9, 12)), 2)
        elif kind == "logo":
            extra = {
                "corner": ["tl", "tr", "bl", "br"][int(rng.integers(0, 4))],
                "alpha": round(float(rng.uniform(0.75, 1.0)), 2),
            }
        elif kind == "pip":
            extra = {
                "scale": round(float(rng.uniform(0.5, 0.62)), 2),
                "x": round(float(rng.uniform(0.3, 0.45)), 2),
                "y": round(float(rng.uniform(0.4, 0.6)), 2),
            }
        elif kind == "crop":
            extra = {
                "crop": "zoom" if rng.random() < 0.5 else "aspect",
                "share": round(float(rng.uniform(0.8, 0.9)), 2),
            }
        elif kind == "fps":
            extra = {"fps": [15, 24][int(rng.integers(0, 2))]}
        elif kind == "speed":
            extra = {"speed": [0.9, 1.1][index % 2]}
        elif kind == "lowbitrate":
            extra = {"bit_rate": int(rng.integers(120, 181)) * 1000}
        elif kind == "screen":
            extra = {
                "scale": round(float(rng.uniform(0.55, 0.7)), 2),
                "skew": round(float(rng.uniform(0.03, 0.08)), 3),
                "gamma": round(float(rng.uniform(0.8, 1.2)), 2),
                "fps": [24, 25, 30][int(rng.integers(0, 3))],
            }
        row = edited(kind, seconds, **extra)
        yield row
        pairs.append((kind, row["id"], source_id))
    # The same place at another time: another camera, another light, other people.
    for k in range(2):
        tint = tuple(round(float(v), 2) for v in rng.uniform(0.75, 1.15, size=3))
        neg = clip(
            f"{name}-sameplace-{k}",
            kind="sameplace",
            footage=f"{name}-b{k}",
            world=sc["world"],
            camera=sc["camera"] + 10 + k,
            width=sc["width"],
            height=sc["height"],
            start=0.0,
            seconds=12.0,
            tint=tint,
        )
        yield neg
        pairs.append(("sameplace", neg["id"], source_id))
    for kind, query, target in pairs:
        yield {
            "type": "pair",
            "split": split,
            "kind": kind,
            "a": query,
            "b": target,
            "match": kind != "sameplace",
        }


def load_manifest(path: Path = MANIFEST) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_manifest(path: Path = MANIFEST) -> None:
    path.write_text(
        "".join(json.dumps(row, sort_keys=True) + "\n" for row in build_manifest()), encoding="utf-8"
    )


# ---- generation ----------------------------------------------------------------------------------------------


def source_time(recipe: dict[str, Any], t: float) -> float:
    """The second of the source a clip's second ``t`` shows."""
    return float(recipe["start"]) + float(recipe["speed"]) * t


def frames(recipe: dict[str, Any], *, scale: float = 1.0) -> Iterator[np.ndarray]:
    """The frames of a clip: the source shot rendered at each clip instant, then the clip's edit."""
    width, height = _even(recipe["width"] * scale), _even(recipe["height"] * scale)
    tint = tuple(recipe.get("tint", (1.0, 1.0, 1.0)))
    shot = Shot(recipe["world"], recipe["camera"], width, height, tint)  # type: ignore[arg-type]
    edit, _size = edit_for(recipe, (width, height))
    fps = recipe["fps"]
    for index in range(int(recipe["seconds"] * fps)):
        t = index / fps
        frame = render(shot, source_time(recipe, t))
        yield edit(frame, t) if edit is not None else frame


def write_clip(recipe: dict[str, Any], path: Path, *, scale: float = 1.0) -> Path:
    """Encode a clip with H.264 (or MPEG-4 when this PyAV has no x264) at the recipe's frame rate and bit rate."""
    import av
    from av.video.stream import VideoStream

    from amparo.media.tests.factory import video_codec

    codec = video_codec()
    tmp = path.with_suffix(".part.mp4")
    with av.open(str(tmp), "w") as container:
        stream = cast(VideoStream, container.add_stream(codec, rate=recipe["fps"]))
        first = True
        for frame in frames(recipe, scale=scale):
            if first:
                stream.height, stream.width = frame.shape[:2]
                stream.pix_fmt = "yuv420p"
                stream.bit_rate = int(recipe["bit_rate"] * scale * scale)
                if codec == "libx264":
                    stream.options = {"preset": "veryfast"}
                first = False
            for packet in stream.encode(
                av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format="rgb24")
            ):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    tmp.replace(path)
    return path


def generate(
    folder: Path,
    *,
    split: str | None = None,
    scale: float = 1.0,
    only: set[str] | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Write every clip of the manifest (or of one split, or the ``only`` ids) into ``folder`` once; returns
    ``{clip id: path}``. Clips already there (same version, scale and recipe) are reused."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for row in load_manifest():
        if row["type"] != "clip" or (split and row["split"] != split) or (only and row["id"] not in only):
            continue
        digest = _stable_digest(row, scale)
        path = folder / f"{row['id']}-{digest}.mp4"
        if not path.exists():
            if log:
                log(f"generating {row['id']}")
            write_clip(row, path, scale=scale)
        out[row["id"]] = path
    return out


def _stable_digest(row: dict[str, Any], scale: float) -> str:
    import hashlib

    text = json.dumps({"row": row, "scale": scale, "version": VERSION}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def pairs(split: str | None = None) -> list[dict[str, Any]]:
    return [r for r in load_manifest() if r["type"] == "pair" and (split is None or r["split"] == split)]


def clips(split: str | None = None) -> list[dict[str, Any]]:
    return [r for r in load_manifest() if r["type"] == "clip" and (split is None or r["split"] == split)]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--write", action="store_true", help="rewrite the frozen manifest (only when the set changes)"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the frozen manifest differs from the seeds"
    )
    parser.add_argument("--generate", type=Path, help="render every clip into this folder")
    args = parser.parse_args()
    if args.write:
        write_manifest()
    if args.check:
        same = load_manifest() == json.loads(json.dumps(build_manifest()))
        print("manifest matches the seeds" if same else "manifest differs from the seeds")
        if not same:
            return 1
    if args.generate:
        generate(args.generate, log=print)
    return 0


if __name__ == "__main__":
    sys.exit(main())


# ---- scoring -------------------------------------------------------------------------------------------------


@dataclass
class Score:
    """Recall per kind of edit over the listed pairs, and false pairs over every pair of different footage."""

    found: dict[str, int]
    listed: dict[str, int]
    false_pairs: list[tuple[str, str]]
    negatives: int
    missed: list[str]

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / max(1, sum(self.listed.values()))

    def lines(self) -> list[str]:
        out = [f"  {kind:<11} {self.found.get(kind, 0):>2}/{n:<2}" for kind, n in sorted(self.listed.items())]
        out.append(
            f"  recall {self.recall:.3f} ({sum(self.found.values())}/{sum(self.listed.values())}), false pairs "
            f"{len(self.false_pairs)} of {self.negatives} pairs of different footage"
        )
        return out


def score(split: str, same: Callable[[str, str], bool], *, only: set[str] | None = None) -> Score:
    """Score a matcher: ``same(query_id, target_id)`` says whether the query shows footage of the target.

    Listed positive pairs are asked once, edited copy as the query and the source as the target (what happens
    when a copy arrives after its original); ``sameplace`` pairs and every other pair of clips of different
    footage are asked both ways, and either answer "same" is a false pair.
    """
    rows = [r for r in clips(split) if only is None or r["id"] in only]
    ids = {r["id"] for r in rows}
    footage_of = {r["id"]: r["footage"] for r in rows}
    found: dict[str, int] = {}
    listed: dict[str, int] = {}
    missed: list[str] = []
    for pair in pairs(split):
        if not pair["match"] or pair["a"] not in ids or pair["b"] not in ids:
            continue
        listed[pair["kind"]] = listed.get(pair["kind"], 0) + 1
        if same(pair["a"], pair["b"]):
            found[pair["kind"]] = found.get(pair["kind"], 0) + 1
        else:
            missed.append(pair["a"])
    false_pairs: list[tuple[str, str]] = []
    negatives = 0
    ordered = sorted(ids)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if footage_of[a] == footage_of[b]:
                continue
            negatives += 1
            if same(a, b) or same(b, a):
                false_pairs.append((a, b))
    return Score(found, listed, false_pairs, negatives, missed)
