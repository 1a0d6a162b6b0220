"""Raster map tiles read from a local PMTiles file (AMPARO_MAP_TILES=/path/to/area.pmtiles).

A network that cannot or will not call a tile server on the internet (every tile request says where its staff are
looking) can cut a PMTiles extract of its area once (``pmtiles extract`` of a raster basemap) and point Amparo at the
file. Amparo then answers ``/map/tiles/<z>/<x>/<y>`` from it, to signed-in members only, and the staff map uses that
path as its template. Only raster tiles (PNG, JPEG, WebP, AVIF) are served: vector tiles need a renderer in the
browser that Amparo does not ship, and ``amparo check`` says so (amparo.W030).
"""

from __future__ import annotations

import gzip
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from pmtiles.reader import MmapSource, Reader
from pmtiles.tile import Compression, TileType

RASTER_TYPES = {
    TileType.PNG: "image/png",
    TileType.JPEG: "image/jpeg",
    TileType.WEBP: "image/webp",
    TileType.AVIF: "image/avif",
}


class TilesUnusable(ValueError):
    """The file is missing, is not PMTiles, or holds tiles a browser cannot show as images."""


@dataclass
class _Open:
    key: tuple[str, int, int]
    reader: Reader
    content_type: str
    compression: Compression
    max_zoom: int
    handle: object


_lock = threading.Lock()
_open: _Open | None = None


def is_local(value: str) -> bool:
    """A value naming a file on this machine (not a URL template)."""
    return value.endswith(".pmtiles") and not value.startswith(("http://", "https://", "/map/"))


def _load(path: str) -> _Open:
    global _open
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise TilesUnusable(f"cannot read {path}: {exc.strerror}") from exc
    key = (path, stat.st_mtime_ns, stat.st_size)
    with _lock:
        if _open is not None and _open.key == key:
            return _open
        handle = Path(path).open("rb")  # noqa: SIM115 - kept open for the memory map while the file is current
        try:
            reader = Reader(MmapSource(handle))
            header = reader.header()
        except Exception as exc:  # a short or foreign file fails inside the parser in many ways
            handle.close()
            raise TilesUnusable(f"{path} is not a PMTiles v3 file") from exc
        content_type = RASTER_TYPES.get(header["tile_type"])
        if content_type is None:
            handle.close()
            raise TilesUnusable(
                f"{path} holds {header['tile_type'].name} tiles; only raster tiles can be served"
            )
        _open = _Open(key, reader, content_type, header["tile_compression"], int(header["max_zoom"]), handle)
        return _open


def check(path: str) -> str:
    """The reason the file cannot be used, or "" when it can."""
    try:
        _load(path)
    except TilesUnusable as exc:
        return str(exc)
    return ""


def max_zoom(path: str) -> int | None:
    try:
        return _load(path).max_zoom
    except TilesUnusable:
        return None


def tile(path: str, z: int, x: int, y: int) -> tuple[bytes, str] | None:
    """The tile's image bytes and content type, or None when the file has no such tile."""
    opened = _load(path)
    if not 0 <= z <= opened.max_zoom or not (0 <= x < 2**z and 0 <= y < 2**z):
        return None
    data = opened.reader.get(z, x, y)
    if data is None:
        return None
    if opened.compression == Compression.GZIP:
        data = gzip.decompress(data)
    return bytes(data), opened.content_type
