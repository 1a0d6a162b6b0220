"""Metadata readers used inside the probe's sandboxed child process (see probe.py).

Each reader takes an already opened decoder object and returns plain dict entries for ProbeResult. They raise
decoder errors unchanged; probe.py maps those to stable error codes.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

# EXIF tag numbers (TIFF/EXIF 2.32 and the GPS IFD).
_MAKE, _MODEL, _ORIENTATION, _DATETIME = 0x010F, 0x0110, 0x0112, 0x0132
_DATETIME_ORIGINAL, _OFFSET_TIME, _OFFSET_TIME_ORIGINAL = 0x9003, 0x9010, 0x9011
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON, _GPS_ALT_REF, _GPS_ALT = 1, 2, 3, 4, 5, 6
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825

_OFFSET_RE = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
_ISO6709_RE = re.compile(r"^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?")


def _text(value: Any, limit: int = 128) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value).replace("\x00", "").strip()
    return text[:limit] or None


def _rational(value: Any) -> float | None:
    try:
        number = float(value) if not isinstance(value, tuple) else value[0] / value[1]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _dms(values: Any, ref: Any, negative: str) -> float | None:
    try:
        d, m, s = (_rational(v) for v in values)
    except (TypeError, ValueError):
        return None
    if d is None or m is None or s is None:
        return None
    degrees = d + m / 60 + s / 3600
    if _text(ref) and str(_text(ref)).upper().startswith(negative):
        degrees = -degrees
    return round(degrees, 7)


def parse_offset(text: str | None) -> timezone | None:
    """An EXIF OffsetTime value such as ``+02:00`` as a timezone."""
    match = _OFFSET_RE.match(text or "")
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > timedelta(hours=14):
        return None
    return timezone(-delta if sign == "-" else delta)


def capture_time(local: str | None, offset: str | None) -> dict[str, Any]:
    """EXIF ``YYYY:MM:DD HH:MM:SS`` plus an optional offset: local ISO text and, with the offset, UTC."""
    out: dict[str, Any] = {}
    if not local:
        return out
    try:
        naive = datetime.strptime(local.strip()[:19], "%Y:%m:%d %H:%M:%S")  # zone applied below
    except ValueError:
        return out
    out["captured_at_local"] = naive.isoformat()
    zone = parse_offset(offset)
    if zone is not None:
        out["captured_at_offset"] = offset
        out["captured_at"] = naive.replace(tzinfo=zone).astimezone(UTC).isoformat()
    out["captured_at_source"] = "exif"
    return out


def image_metadata(img: Any) -> dict[str, Any]:
    """Width, height, format, orientation, device, capture time and GPS from an opened Pillow image."""
    out: dict[str, Any] = {"width": img.width, "height": img.height}
    exif = img.getexif()
    if not exif:
        return out
    out["device_make"] = _text(exif.get(_MAKE))
    out["device_model"] = _text(exif.get(_MODEL))
    orientation = exif.get(_ORIENTATION)
    if isinstance(orientation, int) and 1 <= orientation <= 8:
        out["orientation"] = orientation
    sub = exif.get_ifd(_EXIF_IFD)
    local = _text(sub.get(_DATETIME_ORIGINAL)) or _text(exif.get(_DATETIME))
    offset = _text(sub.get(_OFFSET_TIME_ORIGINAL)) or _text(sub.get(_OFFSET_TIME))
    out.update(capture_time(local, offset))
    gps = exif.get_ifd(_GPS_IFD)
    if gps:
        lat = _dms(gps.get(_GPS_LAT), gps.get(_GPS_LAT_REF), "S")
        lon = _dms(gps.get(_GPS_LON), gps.get(_GPS_LON_REF), "W")
        if lat is not None and lon is not None and abs(lat) <= 90 and abs(lon) <= 180:
            alt = _rational(gps.get(_GPS_ALT))
            if alt is not None and gps.get(_GPS_ALT_REF) in (1, b"\x01"):
                alt = -alt
            out["gps"] = {"lat": lat, "lon": lon, "alt": round(alt, 2) if alt is not None else None}
    return {k: v for k, v in out.items() if v is not None}


def parse_iso6709(text: str | None) -> dict[str, float | None] | None:
    """``+40.7128-074.0060+010.000/`` (QuickTime ``location`` / ``©xyz``) as lat/lon/alt in degrees."""
    match = _ISO6709_RE.match((text or "").strip())
    if not match:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if abs(lat) > 90 or abs(lon) > 180:
        return None
    alt = float(match.group(3)) if match.group(3) else None
    return {"lat": round(lat, 7), "lon": round(lon, 7), "alt": alt}


def _container_time(text: str | None) -> str | None:
    """A container ``creation_time`` (ISO 8601, UTC when no zone is given, per ISO-BMFF) as UTC ISO text."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if when.year < 1971:  # an unset MP4 time field (0 = 1904-01-01) means "unknown"
        return None
    return when.astimezone(UTC).isoformat()


def _rate(value: Any) -> float | None:
    if value is None:
        return None
    try:
        rate = float(Fraction(value))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return round(rate, 3) if rate > 0 else None


def av_metadata(container: Any) -> dict[str, Any]:
    """Container format, duration, codecs, size, frame rate, creation time and GPS from a PyAV container."""
    out: dict[str, Any] = {"container": container.format.name}
    if container.duration is not None and container.duration > 0:
        out["duration_s"] = round(container.duration / 1_000_000, 3)
    tags = {str(k).lower(): str(v) for k, v in (container.metadata or {}).items()}
    codecs: list[str] = []
    video = None
    for stream in container.streams:
        name = stream.codec_context.name if stream.codec_context is not None else None
        if stream.type == "video" and not (stream.disposition & 0x400):  # skip attached cover pictures
            video = video or stream
        if name and stream.type in ("video", "audio"):
            codecs.append(f"{stream.type}:{name}")
    audio = next(iter(container.streams.audio), None)
    if video is not None:
        out["kind"] = "video"
        out["video_codec"] = video.codec_context.name
        out["width"] = video.codec_context.width or None
        out["height"] = video.codec_context.height or None
        out["frame_rate"] = _rate(video.average_rate or video.guessed_rate)
        if "duration_s" not in out and video.duration and video.time_base:
            out["duration_s"] = round(float(video.duration * video.time_base), 3)
        tags.update(
            {k: v for k, v in ((str(k).lower(), str(v)) for k, v in video.metadata.items()) if k not in tags}
        )
    elif audio is not None:
        out["kind"] = "audio"
    if audio is not None:
        out["audio_codec"] = audio.codec_context.name
    out["codecs"] = codecs
    created = _container_time(tags.get("creation_time"))
    apple_date = tags.get("com.apple.quicktime.creationdate")
    if apple_date:
        # Apple writes local time with its offset, e.g. 2026-05-01T10:20:30-0700: keep both views.
        try:
            when = datetime.strptime(apple_date.strip(), "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            when = None
        if when is not None:
            out["captured_at_local"] = when.replace(tzinfo=None).isoformat()
            out["captured_at_offset"] = when.strftime("%z")[:3] + ":" + when.strftime("%z")[3:]
            created = when.astimezone(UTC).isoformat()
    if created:
        out["captured_at"] = created
        out["captured_at_source"] = "container"
    location = tags.get("com.apple.quicktime.location.iso6709") or tags.get("location")
    gps = parse_iso6709(location)
    if gps:
        out["gps"] = gps
    out["device_make"] = _text(tags.get("com.apple.quicktime.make") or tags.get("make"))
    out["device_model"] = _text(tags.get("com.apple.quicktime.model") or tags.get("model"))
    return {k: v for k, v in out.items() if v is not None}


def c2pa_state(path: str) -> dict[str, Any]:
    """C2PA manifest presence and validation: state is none, valid, trusted, invalid or error (with a reason).

    Remote manifests and OCSP are never fetched: the probe runs offline.
    """
    try:
        import c2pa  # heavy native library: loaded only in the probe child
    except ImportError:
        return {"state": "error", "reason": "c2pa library not installed"}
    try:
        settings = c2pa.Settings.from_dict({"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}})
        context = c2pa.Context(settings)
        reader = c2pa.Reader.try_create(path, context=context)
    except c2pa.C2paError as exc:
        return {"state": "error", "reason": _text(exc, 300)}
    if reader is None:
        return {"state": "none"}
    try:
        state = (reader.get_validation_state() or "unknown").lower()
        manifest = reader.get_active_manifest() or {}
        results = reader.get_validation_results() or {}
    except (c2pa.C2paError, KeyError, ValueError) as exc:
        return {"state": "error", "reason": _text(exc, 300)}
    finally:
        reader.close()
    out: dict[str, Any] = {"state": state}
    generator = manifest.get("claim_generator") or next(
        (g.get("name") for g in manifest.get("claim_generator_info") or [] if isinstance(g, dict)), None
    )
    out["claim_generator"] = _text(generator)
    signature = manifest.get("signature_info") or {}
    out["signer"] = _text(signature.get("issuer") or signature.get("common_name"))
    out["signed_at"] = _text(signature.get("time"))
    failures = (
        ((results.get("activeManifest") or {}).get("failure") or []) if isinstance(results, dict) else []
    )
    out["failures"] = [str(f.get("code")) for f in failures[:20] if isinstance(f, dict)]
    return {k: v for k, v in out.items() if v not in (None, [])}
