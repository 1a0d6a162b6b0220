"""What is in a media file, read safely: type from magic bytes, then image, video and C2PA metadata.

``probe(path)`` never raises for a bad file and never trusts it: the decoders (Pillow, FFmpeg through PyAV,
the C2PA SDK) run in a fresh Python process with an address-space limit, a CPU limit, no core dumps and no
right to write files, and the parent kills it after ``timeout_s`` of wall-clock time. A hostile file can cost
at most that much time and memory, once.

Failures come back as ``ProbeResult(ok=False, error=<code>, message=<text>)`` with one of the stable codes in
:data:`ERROR_CODES`; callers translate the code for the user.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from amparo.media import _extract, sandbox
from amparo.media.sniff import UNKNOWN, Sniffed, claimed_mismatch, looks_truncated, sniff_file

DEFAULT_MAX_PIXELS = 250_000_000  # above 200-megapixel phone photos (750 MB decoded), far below a bomb
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_MEMORY = sandbox.DEFAULT_MAX_MEMORY  # address-space limit of the probe process, bytes

ERROR_CODES = {
    "empty": "The file is empty.",
    "truncated": "The file is cut short: it ends before its own structure says it should.",
    "unsupported_type": "This kind of file is not a supported image, video or audio format.",
    "decompression_bomb": "The file declares a picture too large to open safely.",
    "timeout": "Reading the file took too long and was stopped.",
    "type_mismatch": "The file's contents do not match the format its first bytes announce.",
    "corrupt": "The file is damaged and cannot be read.",
}

_PIL_LABELS = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "TIFF": "tiff"}
_PIL_LABELS |= {"BMP": "bmp", "AVIF": "avif", "HEIF": "heif"}
# Which FFmpeg demuxer names are consistent with which sniffed labels.
_AV_FAMILIES = {
    "mp4": "mov",
    "mov": "mov",
    "m4v": "mov",
    "m4a": "mov",
    "3gp": "mov",
    "matroska": "matroska",
    "webm": "matroska",
    "avi": "avi",
    "wav": "wav",
    "mp3": "mp3",
    "ogg": "ogg",
    "flac": "flac",
    "aac": "aac",
    "amr": "amr",
    "mpegts": "mpegts",
}


@dataclass
class ProbeResult:
    """Everything the probe learned; ``to_dict()`` is plain JSON. Absent facts are ``None``."""

    ok: bool
    kind: str = "unknown"  # image, video, audio or unknown
    mime: str = "application/octet-stream"  # sniffed from the bytes, never taken from the client
    format: str = "unknown"  # short sniffed format label: jpeg, png, mp4, mov, matroska ...
    size: int = 0
    error: str | None = None  # one of ERROR_CODES when ok is False
    message: str | None = None
    claimed_type_mismatch: bool = False
    width: int | None = None
    height: int | None = None
    orientation: int | None = None  # EXIF orientation 1-8
    rotation: int | None = None  # video display matrix: degrees counter-clockwise to show it upright
    duration_s: float | None = None
    container: str | None = None  # FFmpeg demuxer name
    video_codec: str | None = None
    audio_codec: str | None = None
    codecs: list[str] = field(default_factory=list)
    frame_rate: float | None = None
    captured_at: str | None = None  # ISO 8601 UTC, only when the zone is known
    captured_at_local: str | None = None  # the camera's local clock, ISO 8601 without zone
    captured_at_offset: str | None = None  # e.g. "+02:00"
    captured_at_source: str | None = None  # "exif" or "container"
    gps: dict[str, float | None] | None = None  # {"lat", "lon", "alt"}
    device_make: str | None = None
    device_model: str | None = None
    c2pa: dict[str, Any] = field(default_factory=lambda: {"state": "not_checked"})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProbeResult:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def _failure(code: str, sniffed: Sniffed = UNKNOWN, size: int = 0, detail: str = "") -> ProbeResult:
    message = ERROR_CODES[code] + (f" ({detail})" if detail else "")
    return ProbeResult(
        ok=False,
        error=code,
        message=message,
        kind=sniffed.kind,
        mime=sniffed.mime,
        format=sniffed.label,
        size=size,
    )


def probe(
    path: str | os.PathLike[str],
    *,
    claimed_name: str | None = None,
    claimed_mime: str | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_memory: int = DEFAULT_MAX_MEMORY,
    check_c2pa: bool = True,
    c2pa_timeout_s: float | None = None,
) -> ProbeResult:
    """Probe the file at ``path`` in a sandboxed child process; never raises for anything about the file.

    ``claimed_name``/``claimed_mime`` are what the submitter said the file is; they only set
    ``claimed_type_mismatch``. ``max_pixels`` bounds an image's (or video frame's) width x height.
    The C2PA check runs in a second sandbox with its own time limit (``c2pa_timeout_s``, default
    ``timeout_s``): validating a long video's manifest hashes the whole file, and running out of time there
    must not lose the metadata (``c2pa.state`` is then ``error`` with reason ``timeout``).
    """
    path = os.fspath(path)
    args = {
        "path": path,
        "claimed_name": claimed_name,
        "claimed_mime": claimed_mime,
        "max_pixels": max_pixels,
        "check_c2pa": False,
    }
    outcome = sandbox.run("probe", args, timeout_s=timeout_s, max_memory=max_memory)
    if outcome.ok and outcome.value is not None:
        try:
            result = ProbeResult.from_dict(outcome.value)
        except TypeError:
            pass
        else:
            if result.ok and check_c2pa:
                limit = timeout_s if c2pa_timeout_s is None else c2pa_timeout_s
                checked = sandbox.run("c2pa", {"path": path}, timeout_s=limit, max_memory=max_memory)
                result.c2pa = checked.value or {"state": "error", "reason": checked.code or "failed"}
            return result
    # The child was stopped (time, memory) or died: judge what we can from the outside, without decoders.
    result = _outside_view(path, claimed_name, claimed_mime)
    if not result.ok:
        return result
    code = {"timeout": "timeout", "out_of_memory": "decompression_bomb"}.get(outcome.code or "", "corrupt")
    detail = {"out_of_memory": "out of memory", "crashed": "the decoder stopped unexpectedly"}.get(
        outcome.code or "", ""
    )
    return _replace(result, _failure(code, _sniff_path(path), result.size, detail))


def _sniff_path(path: str) -> Sniffed:
    try:
        with open(path, "rb") as fh:
            return sniff_file(fh)
    except OSError:
        return UNKNOWN


def _outside_view(path: str, claimed_name: str | None, claimed_mime: str | None) -> ProbeResult:
    """Cheap checks that need no decoder: existence, emptiness, magic bytes and truncation."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        return _failure("corrupt", detail=f"cannot open file: {exc.strerror}")
    try:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            return _failure("empty")
        sniffed = sniff_file(fh)
        mismatch = claimed_mismatch(sniffed, claimed_name, claimed_mime)
        if sniffed.kind == "unknown":
            result = _failure("unsupported_type", sniffed, size)
        elif looks_truncated(fh, sniffed):
            result = _failure("truncated", sniffed, size)
        else:
            result = ProbeResult(
                ok=True, kind=sniffed.kind, mime=sniffed.mime, format=sniffed.label, size=size
            )
        result.claimed_type_mismatch = mismatch
        return result
    finally:
        fh.close()


def probe_in_process(
    path: str | os.PathLike[str],
    *,
    claimed_name: str | None = None,
    claimed_mime: str | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    check_c2pa: bool = True,
) -> ProbeResult:
    """The probe itself, in this process and without time or memory limits: only for trusted files and tests.

    Everyone else calls :func:`probe`, which runs this in a sandboxed child.
    """
    path = os.fspath(path)
    result = _outside_view(path, claimed_name, claimed_mime)
    if not result.ok:
        return result
    sniffed = Sniffed(result.kind, result.mime, result.format)
    try:
        if sniffed.kind == "image":
            if sniffed.label in ("heic", "heif"):
                return _replace(
                    result, _failure("unsupported_type", sniffed, result.size, "HEIC is not decoded here")
                )
            result = _probe_image(path, sniffed, result, max_pixels)
        else:
            result = _probe_av(path, sniffed, result, max_pixels)
    except MemoryError:
        return _replace(result, _failure("decompression_bomb", sniffed, result.size, "out of memory"))
    if result.ok and check_c2pa:
        result.c2pa = _extract.c2pa_state(path)
    return result


def _replace(base: ProbeResult, failure: ProbeResult) -> ProbeResult:
    failure.claimed_type_mismatch = base.claimed_type_mismatch
    return failure


def _probe_image(path: str, sniffed: Sniffed, result: ProbeResult, max_pixels: int) -> ProbeResult:
    from PIL import Image, UnidentifiedImageError  # decoders load only where files are probed

    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; here a warning is a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as img:
                label = _PIL_LABELS.get(img.format or "", (img.format or "").lower())
                if label != sniffed.label:
                    return _replace(
                        result, _failure("type_mismatch", sniffed, result.size, f"decodes as {label}")
                    )
                meta = _extract.image_metadata(img)
                # Decode all the data (finds truncated and damaged files); JPEG at 1/8 scale, which still
                # reads every byte but needs 64x less memory.
                img.draft(img.mode, (1, 1))
                img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            return _replace(result, _failure("decompression_bomb", sniffed, result.size, _short(exc, path)))
        except UnidentifiedImageError:
            return _replace(result, _failure("corrupt", sniffed, result.size, "not a readable image"))
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            text = str(exc).lower()
            code = "truncated" if "truncated" in text or isinstance(exc, EOFError) else "corrupt"
            return _replace(result, _failure(code, sniffed, result.size, _short(exc, path)))
    for key, value in meta.items():
        setattr(result, key, value)
    return result


def _probe_av(path: str, sniffed: Sniffed, result: ProbeResult, max_pixels: int) -> ProbeResult:
    import av  # decoders load only where files are probed

    try:
        with av.open(path, mode="r", metadata_errors="replace") as container:
            family = _AV_FAMILIES.get(sniffed.label)
            if family and family not in container.format.name.split(","):
                detail = f"opens as {container.format.name}"
                return _replace(result, _failure("type_mismatch", sniffed, result.size, detail))
            meta = _extract.av_metadata(container)
            if "kind" not in meta:
                return _replace(result, _failure("corrupt", sniffed, result.size, "no audio or video stream"))
            if (meta.get("width") or 0) * (meta.get("height") or 0) > max_pixels:
                detail = f"{meta['width']}x{meta['height']} frames"
                return _replace(result, _failure("decompression_bomb", sniffed, result.size, detail))
            stream = container.streams.video[0] if meta["kind"] == "video" else container.streams.audio[0]
            first = next(iter(container.decode(stream)), None)
            if first is None:
                return _replace(result, _failure("corrupt", sniffed, result.size, "no decodable frame"))
            rotation = int(getattr(first, "rotation", 0) or 0)
            if meta["kind"] == "video" and rotation:
                meta["rotation"] = rotation
    except av.error.FFmpegError as exc:
        reason = str(getattr(exc, "strerror", "") or exc).lower()
        code = "truncated" if "truncat" in reason or "end of file" in reason else "corrupt"
        return _replace(result, _failure(code, sniffed, result.size, _short(exc, path)))
    for key, value in meta.items():
        setattr(result, key, value)
    return result


def _short(exc: BaseException, path: str) -> str:
    """The decoder's reason without the file's path (paths can carry names; they stay out of results)."""
    text = getattr(exc, "strerror", None) or str(exc)
    text = str(text).replace(path, "<file>")
    name = os.path.basename(path)
    if len(name) >= 4:  # a very short name would also match ordinary words
        text = text.replace(name, "<file>")
    return text[:200]


def _probe_task(args: dict[str, Any]) -> dict[str, Any]:
    """Sandbox task: the probe's answer as a dict (failures are answers too, not exceptions)."""
    return probe_in_process(
        args["path"],
        claimed_name=args["claimed_name"],
        claimed_mime=args["claimed_mime"],
        max_pixels=int(args["max_pixels"]),
        check_c2pa=bool(args["check_c2pa"]),
    ).to_dict()


def _c2pa_task(args: dict[str, Any]) -> dict[str, Any]:
    """Sandbox task: C2PA manifest presence and validation."""
    return _extract.c2pa_state(args["path"])
