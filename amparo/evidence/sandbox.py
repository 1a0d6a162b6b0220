"""Fingerprints computed in a sandboxed child process, like ``amparo.media.probe``: hostile media that got past
the probe (it decodes one frame) still cannot take more than ``MAX_MEMORY`` bytes and ``TIMEOUT_S`` seconds, nor
write files or dump core, and a crash of the decoder costs only the child.

The child is the media sandbox's (``amparo.media.sandbox``, task ``evidence_fingerprint``): in a process that keeps
a warm sandbox (an RQ worker, a web server) a child forked from it with the decoders already imported, elsewhere a
fresh ``python -I`` interpreter; the same limits either way."""

from __future__ import annotations

import os
from typing import Any

from amparo.media import sandbox

MAX_MEMORY = 2 << 30
TIMEOUT_S = 300.0
MAX_VIDEO_SECONDS = 600.0


class FingerprintFailed(RuntimeError):
    pass


def fingerprint(path: str | os.PathLike[str], kind: str) -> list[tuple[float | None, bytes, int]]:
    """``[(second, bits, quality)]``: one row for an image (second None); for a video, per sample (two a second)
    the whole picture and then its regions (see ``amparo.media.video``)."""
    outcome = sandbox.run(
        "evidence_fingerprint",
        {"path": os.fspath(path), "kind": kind},
        timeout_s=TIMEOUT_S,
        max_memory=MAX_MEMORY,
    )
    if outcome.code == "timeout":
        raise FingerprintFailed("fingerprinting took too long")
    if not outcome.ok or outcome.value is None:
        raise FingerprintFailed(f"fingerprinting stopped ({outcome.code})")
    try:
        return [(row[0], bytes.fromhex(row[1]), int(row[2])) for row in outcome.value["rows"]]
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        raise FingerprintFailed("fingerprinting gave no readable answer") from exc


def _task(args: dict[str, Any]) -> dict[str, Any]:
    """The sandbox task (run in the limited child): the rows of :func:`_compute`, as JSON."""
    rows = _compute(args["path"], args["kind"])
    return {"rows": [[second, bits.hex(), quality] for second, bits, quality in rows]}


def _compute(path: str, kind: str) -> list[tuple[float | None, bytes, int]]:
    if kind == "image":
        from PIL import Image, ImageOps

        from amparo.media.pdq import image_hash

        with Image.open(path) as img:
            bits, quality = image_hash(ImageOps.exif_transpose(img) or img)
        return [(None, bits, quality)]
    from amparo.media.video import fingerprint_video

    fp = fingerprint_video(path, max_seconds=MAX_VIDEO_SECONDS, threads=False)
    # Per sample the whole picture first, then its regions: readers take a second's first row as the whole.
    regions: dict[float, list[tuple[float | None, bytes, int]]] = {}
    for second, bits, quality in fp.extra:
        regions.setdefault(second, []).append((second, bits, quality))
    rows: list[tuple[float | None, bytes, int]] = []
    for second, bits, quality in fp.frames:
        rows.append((second, bits, quality))
        rows.extend(regions.get(second, []))
    return rows
