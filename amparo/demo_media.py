"""Demo photos and videos that look like what witnesses send: a street scene drawn with Pillow (buildings, a road,
unmarked SUVs, people as shapes, a shop sign), with EXIF time and a GPS position at the scene's place; and short videos
of the same scene with a vehicle driving through and people walking (PyAV). Every picture is invented.
"""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

SKY = [(158, 196, 226), (196, 214, 230), (233, 200, 160)]  # day, overcast, early morning
WALLS = [(190, 160, 120), (150, 140, 130), (210, 200, 180), (120, 90, 70), (170, 180, 190)]
CLOTHES = [(40, 60, 120), (180, 40, 40), (60, 110, 60), (230, 200, 60), (90, 90, 90), (240, 240, 240)]
SUV = [(40, 42, 46), (70, 72, 76), (20, 20, 24), (200, 200, 205)]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def _background(rng: random.Random, size: tuple[int, int], sign: str) -> Image.Image:
    w, h = size
    img = Image.new("RGB", size, rng.choice(SKY))
    d = ImageDraw.Draw(img)
    horizon = int(h * 0.55)
    x = 0
    while x < w:  # a row of buildings with windows
        bw = rng.randrange(w // 6, w // 3)
        top = rng.randrange(int(h * 0.12), int(h * 0.35))
        wall = rng.choice(WALLS)
        d.rectangle([x, top, x + bw, horizon], fill=wall, outline=(60, 60, 60))
        for wy in range(top + 10, horizon - 20, 22):
            for wx in range(x + 8, x + bw - 14, 20):
                d.rectangle(
                    [wx, wy, wx + 10, wy + 12], fill=(90, 110, 130) if rng.random() < 0.8 else (230, 220, 150)
                )
        x += bw
    # the shop or place sign over the first building
    font = _font(max(12, h // 18))
    box = d.textbbox((0, 0), sign, font=font)
    sx, sy = int(w * 0.06), int(h * 0.2)
    d.rectangle(
        [sx - 6, sy - 4, sx + box[2] + 6, sy + box[3] + 6],
        fill=(250, 250, 245),
        outline=(200, 90, 20),
        width=3,
    )
    d.text((sx, sy), sign, fill=(200, 70, 10), font=font)
    # sidewalk, road, lane markings
    d.rectangle([0, horizon, w, horizon + h // 14], fill=(185, 185, 180))
    d.rectangle([0, horizon + h // 14, w, h], fill=(70, 72, 75))
    lane = horizon + h // 14 + (h - horizon) // 2
    for lx in range(0, w, 60):
        d.rectangle([lx, lane, lx + 30, lane + 4], fill=(235, 220, 120))
    return img


def _suv(d: ImageDraw.ImageDraw, x: int, y: int, scale: float, colour: tuple[int, int, int]) -> None:
    """A boxy vehicle seen from the side, no plate: its bottom-left corner at (x, y)."""
    L, H = int(150 * scale), int(60 * scale)
    d.rectangle([x, y - H, x + L, y - int(12 * scale)], fill=colour, outline=(15, 15, 15))
    d.rectangle([x + int(20 * scale), y - H - int(25 * scale), x + int(120 * scale), y - H], fill=colour)
    for wx in (25, 75):
        d.rectangle(
            [x + int(wx * scale), y - H - int(20 * scale), x + int((wx + 40) * scale), y - H - 2],
            fill=(35, 45, 60),
        )
    for cx in (30, 120):
        r = int(14 * scale)
        d.ellipse([x + int(cx * scale) - r, y - 2 * r, x + int(cx * scale) + r, y], fill=(10, 10, 10))


def _person(
    d: ImageDraw.ImageDraw, x: int, y: int, scale: float, colour: tuple[int, int, int], vest: bool
) -> None:
    """A standing figure, feet at (x, y); agents wear a dark vest with a light band."""
    body_h, head = int(46 * scale), int(9 * scale)
    d.rectangle([x - int(4 * scale), y - int(20 * scale), x + int(4 * scale), y], fill=(40, 40, 50))  # legs
    d.rectangle([x - int(9 * scale), y - body_h, x + int(9 * scale), y - int(20 * scale)], fill=colour)
    if vest:
        d.rectangle(
            [x - int(9 * scale), y - int(38 * scale), x + int(9 * scale), y - int(33 * scale)],
            fill=(220, 220, 200),
        )
    d.ellipse([x - head, y - body_h - 2 * head, x + head, y - body_h], fill=(150, 110, 80))


def _scene(
    rng: random.Random, size: tuple[int, int], sign: str
) -> tuple[Image.Image, list[tuple[int, int, bool]], list[tuple[int, tuple[int, int, int]]]]:
    """The background, the people on the sidewalk (x, feet y, agent?) and the parked vehicles (x, colour)."""
    img = _background(rng, size, sign)
    w, h = size
    road = int(h * 0.55) + h // 14
    people = [
        (rng.randrange(20, w - 20), road - rng.randrange(0, 6), rng.random() < 0.5)
        for _ in range(rng.randrange(4, 9))
    ]
    cars = [(int(w * 0.05) + i * int(w * 0.32), rng.choice(SUV)) for i in range(rng.randrange(1, 4))]
    return img, people, cars


def _cars(img: Image.Image, cars: list[tuple[int, tuple[int, int, int]]]) -> None:
    d = ImageDraw.Draw(img)
    for x, colour in cars:  # parked at the near kerb, in front of the people
        _suv(d, x, int(img.height * 0.95), img.width / 640, colour)


def _stamp(img: Image.Image, when: datetime) -> None:
    d = ImageDraw.Draw(img)
    d.text((8, img.height - 22), when.strftime("%Y-%m-%d %H:%M"), fill=(255, 255, 255), font=_font(14))


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 2)
    return Fraction(degrees), Fraction(minutes), Fraction(round(seconds * 100), 100)


def photo(
    *,
    seed: int,
    lat: float,
    lon: float,
    when: datetime,
    utc_offset: str,
    sign: str,
    size: tuple[int, int] = (640, 480),
) -> bytes:
    """A JPEG of a street scene taken at (lat, lon) at local time ``when`` (camera clock, ``utc_offset`` zone)."""
    rng = random.Random(seed)
    img, people, cars = _scene(rng, size, sign)
    d = ImageDraw.Draw(img)
    for x, y, vest in people:
        _person(d, x, y, size[0] / 640, (25, 30, 35) if vest else rng.choice(CLOTHES), vest)
    _cars(img, cars)
    _stamp(img, when)
    exif = Image.Exif()
    exif[0x010F] = "Demo"  # Make
    exif[0x0110] = "Phone camera"  # Model
    stamp = when.strftime("%Y:%m:%d %H:%M:%S")
    exif[0x0132] = stamp  # DateTime
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = stamp  # DateTimeOriginal
    exif_ifd[0x9011] = utc_offset  # OffsetTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = ("N" if lat >= 0 else "S"), _dms(lat)
    gps[3], gps[4] = ("E" if lon >= 0 else "W"), _dms(lon)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def video(path: Path, *, seed: int, when: datetime, sign: str, seconds: float = 3.0, fps: int = 10) -> bytes:
    """An MP4 of the scene: a vehicle drives through while people walk; ``when`` is the UTC creation time."""
    rng = random.Random(seed)
    size = (320, 240)
    background, people, cars = _scene(rng, size, sign)
    codec = "libx264" if "libx264" in av.codecs_available else "mpeg4"
    road = int(size[1] * 0.55) + size[1] // 14
    colour = rng.choice(SUV)
    with av.open(str(path), "w") as container:
        container.metadata["creation_time"] = when.strftime("%Y-%m-%dT%H:%M:%S.000000Z")
        stream = container.add_stream(codec, rate=fps)
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        frames = int(seconds * fps)
        for i in range(frames):
            frame = background.copy()
            d = ImageDraw.Draw(frame)
            for n, (x, y, vest) in enumerate(people):
                step = (i * (2 if n % 2 else -2)) % size[0]
                _person(
                    d, (x + step) % size[0], y, 0.5, (25, 30, 35) if vest else CLOTHES[n % len(CLOTHES)], vest
                )
            _cars(frame, cars[:1])
            _suv(d, -80 + i * (size[0] + 80) // frames, road + 40, 0.5, colour)
            _stamp(frame, when + timedelta(seconds=i / fps))
            for packet in stream.encode(av.VideoFrame.from_ndarray(np.asarray(frame), format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path.read_bytes()
