"""Derived copies of evidence items: thumbnails and viewing copies that staff pages show instead of the original.

Looking at a derived copy is not custody of the original: it never touches the vault's bytes on the way to the
browser, carries none of the original's metadata (``amparo.media.derive`` re-encodes decoded pixels), and is
audited (``evidence.copy_viewed``) rather than logged. The original stays the only evidence; downloading it remains
a custody event.

Copies are a cache in ``DERIVED_DIR`` (``DATA_DIR/derived``), addressed by the original's SHA-256, so identical
bytes share one set of copies and the folder can be deleted at any time: copies are made again when next needed.
When originals live in an S3-compatible store, every copy (and failure marker) is also put there under
``derived/``, so a pool of servers makes each copy once: another server fetches it into its own cache instead of
decoding the original again.

- ``thumb``: a JPEG of at most 320 px, for an image or a video (the frame one second in). Made on first request.
- ``view``: a JPEG of at most 1280 px for an image (made on first request); a small H.264 MP4 for a video, made by
  a background task right after ingest (``make_video_preview``), or on first request if it is missing.

A file the sandbox cannot decode leaves a ``.failed`` marker, so a hostile file is decoded once, not on every page
view; ``amparo evidence derive --retry`` clears the markers and tries again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

from amparo.evidence import store

logger = logging.getLogger("amparo.evidence")

VARIANTS = ("thumb", "view")
VISUAL_KINDS = ("image", "video")


def _suffix(kind: str, variant: str) -> str:
    return "view.mp4" if (kind, variant) == ("video", "view") else f"{variant}.jpg"


def content_type(kind: str, variant: str) -> str:
    return "video/mp4" if (kind, variant) == ("video", "view") else "image/jpeg"


def root() -> Path:
    return Path(settings.DERIVED_DIR)


def path_for(sha256: str, kind: str, variant: str) -> Path:
    """Where a copy lives: ``DERIVED_DIR/ab/<sha256>.<variant>.<ext>`` (names come from the hash only)."""
    sha = store.check_sha(sha256)
    if variant not in VARIANTS:
        raise ValueError(f"unknown derived copy {variant!r}")
    return root() / sha[:2] / f"{sha}.{_suffix(kind, variant)}"


def _failed_marker(path: Path) -> Path:
    return path.with_name(path.name + ".failed")


def can_derive(item: Any) -> bool:
    """Whether this item can have copies: a picture or a video that the sandboxed probe could read."""
    return item.kind in VISUAL_KINDS and not item.probe_error and getattr(item, "deleted_at", None) is None


def _shared_name(path: Path) -> str:
    return "derived/" + path.relative_to(root()).as_posix()


def _fetch_shared(path: Path) -> bool:
    """Copy ``path`` from the shared store into this server's cache, if another server made it."""
    shared = store.shared_storage()
    if shared is None:
        return False
    name = _shared_name(path)
    try:
        with shared.open(name, "rb") as fh:
            data = fh.read()
    except Exception:
        if not shared.exists(name):
            return False
        raise
    _write(path, data)
    return True


def _publish(path: Path, data: bytes) -> None:
    """Share a copy (or a failure marker) this server made with the others."""
    shared = store.shared_storage()
    if shared is not None and not shared.exists(_shared_name(path)):
        from django.core.files.base import ContentFile

        shared.save(_shared_name(path), ContentFile(data))


def _present(path: Path) -> bool:
    return path.is_file() or _fetch_shared(path)


def existing(item: Any, variant: str) -> Path | None:
    """The copy if it is made already, here or by another server (a stat or a fetch, no decoding)."""
    if not can_derive(item):
        return None
    path = path_for(item.sha256, item.kind, variant)
    return path if _present(path) else None


def failed(item: Any, variant: str) -> bool:
    if not can_derive(item):
        return False
    path = path_for(item.sha256, item.kind, variant)
    return not path.is_file() and _present(_failed_marker(path))


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o640)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def make(item: Any, variants: tuple[str, ...] = VARIANTS) -> dict[str, Path | None]:
    """Make the missing ``variants`` of this item's copies in one sandboxed decode; returns what exists after.

    A decode failure is remembered by a marker next to each copy that could not be made; it is not raised.
    """
    from amparo.media.derive import derive
    from amparo.media.sandbox import MediaError

    result: dict[str, Path | None] = dict.fromkeys(variants)
    if not can_derive(item):
        return result
    wanted = []
    for variant in variants:
        path = path_for(item.sha256, item.kind, variant)
        if _present(path):
            result[variant] = path
        elif not _present(_failed_marker(path)):
            wanted.append(variant)
    if not wanted:
        return result
    try:
        with store.as_local_file(item.sha256) as original:
            made = derive(original, item.kind, tuple(wanted))
    except (MediaError, store.StoreError, OSError) as exc:
        from amparo.outage import outage_kind

        if (
            outage_kind(exc) is not None
        ):  # the store is down for a moment: no marker, the copy is made next time
            raise
        code = getattr(exc, "code", None) or type(exc).__name__
        logger.warning("no derived copy of an evidence item: %s", code)
        for variant in wanted:
            marker = _failed_marker(path_for(item.sha256, item.kind, variant))
            _write(marker, json.dumps({"code": code}).encode())
            _publish(marker, json.dumps({"code": code}).encode())
        return result
    for variant in wanted:
        path = path_for(item.sha256, item.kind, variant)
        _write(path, made[variant])
        _publish(path, made[variant])
        result[variant] = path
    return result


def get(item: Any, variant: str) -> Path | None:
    """The copy, made now if it is missing and has not failed before; None when there can be none."""
    return existing(item, variant) or make(item, (variant,))[variant]


def urls(item: Any) -> dict[str, str]:
    """``thumb`` and ``view`` URLs for a page: empty where there is nothing to show (yet).

    A video's viewing copy is offered once it is made (the background task makes it after ingest); until then a page
    shows the thumbnail, which is quick to make on request.
    """
    from django.urls import reverse

    if not can_derive(item):
        return {"thumb": "", "view": ""}
    thumb = "" if failed(item, "thumb") else reverse("evidence:thumbnail", args=[item.code])
    ready = item.kind == "image" or existing(item, "view") is not None
    view = reverse("evidence:view", args=[item.code]) if ready and not failed(item, "view") else ""
    return {"thumb": thumb, "view": view}


def clear_failures() -> int:
    """Remove every failure marker (``amparo evidence derive --retry``); returns how many."""
    count = 0
    if root().is_dir():
        for marker in root().glob("*/*.failed"):
            marker.unlink(missing_ok=True)
            count += 1
    shared = store.shared_storage()
    if shared is not None:
        with contextlib.suppress(FileNotFoundError, NotImplementedError):
            folders, _files = shared.listdir("derived")
            for folder in folders:
                for name in shared.listdir(f"derived/{folder}")[1]:
                    if name.endswith(".failed"):
                        shared.delete(f"derived/{folder}/{name}")
                        count += 1
    return count
