"""Fingerprints computed in a sandboxed child process, like ``amparo.media.probe``: hostile media that got past
the probe (it decodes one frame) still cannot take more than ``MAX_MEMORY`` bytes and ``TIMEOUT_S`` seconds, nor
write files or dump core, and a crash of the decoder costs only the child."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

MAX_MEMORY = 2 << 30
TIMEOUT_S = 300.0
MAX_VIDEO_SECONDS = 600.0


class FingerprintFailed(RuntimeError):
    pass


def fingerprint(path: str | os.PathLike[str], kind: str) -> list[tuple[float | None, bytes, int]]:
    """``[(second, bits, quality)]``: one row for an image (second None); for a video, per sample (two a second)
    the whole picture and then its regions (see ``amparo.media.video``)."""
    root = str(Path(__file__).resolve().parents[2])
    code = f"import sys; sys.path.insert(0, {root!r}); from amparo.evidence.sandbox import _child; _child()"
    args = {"path": os.fspath(path), "kind": kind, "max_memory": MAX_MEMORY, "cpu_s": int(TIMEOUT_S)}
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and code; the path travels as JSON on stdin
            [sys.executable, "-I", "-c", code],
            input=json.dumps(args).encode(),
            capture_output=True,
            timeout=TIMEOUT_S,
            check=False,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_NUM_THREADS": "1", "LC_ALL": "C"},
        )
    except subprocess.TimeoutExpired as exc:
        raise FingerprintFailed("fingerprinting took too long") from exc
    if done.returncode != 0:
        raise FingerprintFailed(f"fingerprinting stopped (exit status {done.returncode})")
    try:
        rows = json.loads(done.stdout)
        return [(row[0], bytes.fromhex(row[1]), int(row[2])) for row in rows]
    except (ValueError, TypeError, IndexError) as exc:
        raise FingerprintFailed("fingerprinting gave no readable answer") from exc


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


def _child() -> None:
    import resource

    args: dict[str, Any] = json.loads(sys.stdin.buffer.read())
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (args["cpu_s"], args["cpu_s"] + 1))
    resource.setrlimit(resource.RLIMIT_AS, (args["max_memory"], args["max_memory"]))
    rows = _compute(args["path"], args["kind"])
    sys.stdout.write(json.dumps([[second, bits.hex(), quality] for second, bits, quality in rows]))
    sys.stdout.flush()
