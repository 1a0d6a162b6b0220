"""What is in a media file, read safely: type from magic bytes, then image, video and C2PA metadata.

``probe(path)`` never raises for a bad file and never trusts it: the decoders (Pillow, FFmpeg through PyAV,
the C2PA SDK) run in a fresh Python process with an address-space limit, a CPU limit, no core dumps and no
right to write files, and the parent kills it after ``timeout_s`` of wall-clock time. A hostile file can cost
at most that much time and memory, once.

Failures come back as ``ProbeResult(ok=False, error=<code>, message=<text>)`` with one of the stable codes in
:data:`ERROR_CODES`; callers translate the code for the user.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from amparo.media import _extract
from amparo.media.sniff import UNKNOWN, Sniffed, claimed_mismatch, looks_truncated, sniff_file

DEFAULT_MAX_PIXELS = 100_000_000  # 100 megapixels: beyond any phone camera, far below a bomb
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_MEMORY = 2 << 30  # address-space limit of the probe process, bytes

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
) -> ProbeResult:
    """Probe the file at ``path`` in a sandboxed child process; never raises for anything about the file.

    ``claimed_name``/``claimed_mime`` are what the submitter said the file is; they only set
    ``claimed_type_mismatch``. ``max_pixels`` bounds an image's (or video frame's) width x height.
    """
    path = os.fspath(path)
    args = {
        "path": path,
        "claimed_name": claimed_name,
        "claimed_mime": claimed_mime,
        "max_pixels": max_pixels,
        "check_c2pa": check_c2pa,
        "max_memory": max_memory,
        "cpu_s": int(timeout_s) + 2,
    }
    root = str(Path(__file__).resolve().parents[2])
    code = (
        f"import sys; sys.path.insert(0, {root!r}); from amparo.media.probe import _child_main; _child_main()"
    )
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and code; the path travels as JSON on stdin
            [sys.executable, "-I", "-c", code],
            input=json.dumps(args).encode(),
            capture_output=True,
            timeout=timeout_s,
            check=False,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_NUM_THREADS": "1", "LC_ALL": "C"},
        )
    except subprocess.TimeoutExpired:
        return _timed_out(path, claimed_name, claimed_mime)
    if done.returncode == 0:
        try:
            return ProbeResult.from_dict(json.loads(done.stdout))
        except (ValueError, TypeError):
            pass
    # The child died (a signal, the memory limit, the CPU limit) or printed garbage: judge from the outside.
    result = _outside_view(path, claimed_name, claimed_mime)
    if result.ok or result.error is None:
        killed_by_cpu = done.returncode in (-9, -24)  # SIGKILL / SIGXCPU from RLIMIT_CPU
        code_name = (
            "timeout"
            if killed_by_cpu
            else "decompression_bomb"
            if b"MemoryError" in done.stderr
            else "corrupt"
        )
        detail = "" if code_name != "corrupt" else "the decoder stopped unexpectedly"
        failed = _failure(code_name, _sniff_path(path), result.size, detail)
        failed.claimed_type_mismatch = result.claimed_type_mismatch
        return failed
    return result


def _sniff_path(path: str) -> Sniffed:
    try:
        with open(path, "rb") as fh:
            return sniff_file(fh)
    except OSError:
        return UNKNOWN


def _timed_out(path: str, claimed_name: str | None, claimed_mime: str | None) -> ProbeResult:
    sniffed = _sniff_path(path)
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0
    result = _failure("timeout", sniffed, size)
    result.claimed_type_mismatch = claimed_mismatch(sniffed, claimed_name, claimed_mime)
    return result


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
                img.load()  # decode every pixel: finds truncated and damaged data
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
            if next(iter(container.decode(stream)), None) is None:
                return _replace(result, _failure("corrupt", sniffed, result.size, "no decodable frame"))
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
    text = str(text).replace(path, "<file>").replace(os.path.basename(path), "<file>")
    return text[:200]


def _set_limits(max_memory: int, cpu_s: int) -> None:
    import resource  # POSIX only; the probe child is the only user

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not dump evidence bytes to disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # the probe writes no files
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))


def _child_main() -> None:
    """Entry point of the sandboxed probe process: JSON arguments on stdin, a JSON ProbeResult on stdout."""
    args = json.loads(sys.stdin.buffer.read())
    _set_limits(int(args["max_memory"]), int(args["cpu_s"]))
    result = probe_in_process(
        args["path"],
        claimed_name=args["claimed_name"],
        claimed_mime=args["claimed_mime"],
        max_pixels=int(args["max_pixels"]),
        check_c2pa=bool(args["check_c2pa"]),
    )
    sys.stdout.write(json.dumps(result.to_dict()))
    sys.stdout.flush()
