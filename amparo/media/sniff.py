"""What a file really is, from its first bytes; and whether it ends where its own structure says it should.

Nothing here trusts the file name or the MIME type a client claimed: those are compared with the sniffed type
only to flag a mismatch. The checks read at most a few kilobytes plus one small read per top-level
ISO-BMFF box.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import BinaryIO

HEAD_BYTES = 4096


@dataclass(frozen=True)
class Sniffed:
    kind: str  # "image", "video", "audio" or "unknown"
    mime: str  # the canonical MIME type, "application/octet-stream" when unknown
    label: str  # short format name: "jpeg", "png", "mp4", "mov", ...


UNKNOWN = Sniffed("unknown", "application/octet-stream", "unknown")

# ISO base media file (MP4/MOV/3GP/HEIF) major brands we recognise, by their 4-byte code.
_FTYP_BRANDS: dict[bytes, Sniffed] = {
    b"qt  ": Sniffed("video", "video/quicktime", "mov"),
    b"M4A ": Sniffed("audio", "audio/mp4", "m4a"),
    b"M4B ": Sniffed("audio", "audio/mp4", "m4a"),
    b"M4V ": Sniffed("video", "video/x-m4v", "m4v"),
    b"heic": Sniffed("image", "image/heic", "heic"),
    b"heix": Sniffed("image", "image/heic", "heic"),
    b"mif1": Sniffed("image", "image/heif", "heif"),
    b"msf1": Sniffed("image", "image/heif", "heif"),
    b"avif": Sniffed("image", "image/avif", "avif"),
    b"avis": Sniffed("image", "image/avif", "avif"),
}
_MP4 = Sniffed("video", "video/mp4", "mp4")
_MOV = Sniffed("video", "video/quicktime", "mov")
_QT_TOP_BOXES = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}

# What a claimed extension or MIME type maps to, for the mismatch flag. Aliases share a label group.
_EXT_LABELS: dict[str, set[str]] = {
    "jpg": {"jpeg"},
    "jpeg": {"jpeg"},
    "jpe": {"jpeg"},
    "png": {"png"},
    "gif": {"gif"},
    "webp": {"webp"},
    "tif": {"tiff"},
    "tiff": {"tiff"},
    "bmp": {"bmp"},
    "heic": {"heic", "heif"},
    "heif": {"heic", "heif"},
    "avif": {"avif"},
    "mp4": {"mp4", "m4v", "mov"},
    "m4v": {"mp4", "m4v", "mov"},
    "mov": {"mov", "mp4"},
    "qt": {"mov", "mp4"},
    "3gp": {"3gp", "mp4"},
    "3g2": {"3gp", "mp4"},
    "m4a": {"m4a", "mp4"},
    "mkv": {"matroska", "webm"},
    "webm": {"webm", "matroska"},
    "avi": {"avi"},
    "wav": {"wav"},
    "mp3": {"mp3"},
    "ogg": {"ogg"},
    "oga": {"ogg"},
    "ogv": {"ogg"},
    "opus": {"ogg"},
    "flac": {"flac"},
    "aac": {"aac"},
    "amr": {"amr"},
    "ts": {"mpegts"},
    "mts": {"mpegts"},
    "m2ts": {"mpegts"},
}
_MIME_LABELS: dict[str, set[str]] = {
    "image/jpeg": {"jpeg"}, "image/jpg": {"jpeg"}, "image/pjpeg": {"jpeg"}, "image/png": {"png"},
    "image/gif": {"gif"}, "image/webp": {"webp"}, "image/tiff": {"tiff"}, "image/bmp": {"bmp"},
    "image/heic": {"heic", "heif"}, "image/heif": {"heic", "heif"}, "image/avif": {"avif"},
    "video/mp4": {"mp4", "m4v", "mov", "3gp"}, "video/quicktime": {"mov", "mp4"},
    "video/x-m4v": {"mp4", "m4v"}, "video/3gpp": {"3gp", "mp4"},
    "video/x-matroska": {"matroska", "webm"}, "video/webm": {"webm", "matroska"},
    "audio/webm": {"webm", "matroska"}, "video/x-msvideo": {"avi"}, "video/avi": {"avi"},
    "audio/mp4": {"m4a", "mp4"}, "audio/x-m4a": {"m4a", "mp4"}, "audio/mpeg": {"mp3"}, "audio/mp3": {"mp3"},
    "audio/wav": {"wav"}, "audio/x-wav": {"wav"}, "audio/wave": {"wav"}, "audio/ogg": {"ogg"},
    "video/ogg": {"ogg"}, "audio/flac": {"flac"}, "audio/aac": {"aac"}, "audio/amr": {"amr"},
    "video/mp2t": {"mpegts"},
}  # fmt: skip


def sniff_bytes(head: bytes) -> Sniffed:
    """The type of a file whose first bytes (ideally :data:`HEAD_BYTES` of them) are ``head``."""
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image", "image/jpeg", "jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image", "image/png", "png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("image", "image/gif", "gif")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return Sniffed("image", "image/tiff", "tiff")
    if head[:2] == b"BM" and len(head) >= 26 and head[14:15] in (b"\x0c", b"(", b"@", b"l", b"|"):
        return Sniffed("image", "image/bmp", "bmp")
    if head[:4] == b"RIFF" and len(head) >= 12:
        sub = head[8:12]
        if sub == b"WEBP":
            return Sniffed("image", "image/webp", "webp")
        if sub == b"AVI ":
            return Sniffed("video", "video/x-msvideo", "avi")
        if sub == b"WAVE":
            return Sniffed("audio", "audio/wav", "wav")
        return UNKNOWN
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _FTYP_BRANDS:
            return _FTYP_BRANDS[brand]
        if brand.startswith(b"3g"):
            return Sniffed("video", "video/3gpp", "3gp")
        return _MP4
    if len(head) >= 8 and head[4:8] in _QT_TOP_BOXES:
        return _MOV
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        if b"webm" in head[:64]:
            return Sniffed("video", "video/webm", "webm")
        return Sniffed("video", "video/x-matroska", "matroska")
    if head.startswith(b"OggS"):
        return Sniffed("audio", "audio/ogg", "ogg")
    if head.startswith(b"fLaC"):
        return Sniffed("audio", "audio/flac", "flac")
    if head.startswith(b"#!AMR"):
        return Sniffed("audio", "audio/amr", "amr")
    if head.startswith(b"ID3"):
        return Sniffed("audio", "audio/mpeg", "mp3")
    if len(head) >= 377 and head[0] == 0x47 and head[188] == 0x47 and head[376] == 0x47:
        return Sniffed("video", "video/mp2t", "mpegts")
    if len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xF6) == 0xF0:
        return Sniffed("audio", "audio/aac", "aac")
    if len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and (head[1] & 0x06) != 0:
        return Sniffed("audio", "audio/mpeg", "mp3")
    return UNKNOWN


def sniff_file(fh: BinaryIO) -> Sniffed:
    fh.seek(0)
    return sniff_bytes(fh.read(HEAD_BYTES))


def claimed_mismatch(sniffed: Sniffed, claimed_name: str | None, claimed_mime: str | None) -> bool:
    """True when a claimed file extension or MIME type names a different format from the sniffed one.

    Unknown claims (no extension, ``application/octet-stream``, an extension we don't know) are not a
    mismatch.
    """
    labels: list[set[str]] = []
    if claimed_name and "." in claimed_name:
        ext = claimed_name.rsplit(".", 1)[1].strip().lower()
        if ext in _EXT_LABELS:
            labels.append(_EXT_LABELS[ext])
    if claimed_mime:
        mime = claimed_mime.split(";", 1)[0].strip().lower()
        if mime in _MIME_LABELS:
            labels.append(_MIME_LABELS[mime])
    return any(sniffed.label not in group for group in labels)


def looks_truncated(fh: BinaryIO, sniffed: Sniffed) -> bool:
    """True when the file's own structure says it should be longer than it is.

    Checks that a RIFF file (WebP, AVI, WAV) is as long as its header declares and that every top-level
    ISO-BMFF box (MP4/MOV/3GP/HEIF) fits inside the file. JPEG, PNG and GIF are left to Pillow, which reports
    truncation when it decodes: their end markers are not checked here because phones and editors often append
    data after them.
    """
    size = os.fstat(fh.fileno()).st_size
    if sniffed.label in ("webp", "avi", "wav"):
        fh.seek(4)
        declared = int.from_bytes(fh.read(4), "little")
        return declared + 8 > size
    if sniffed.mime in ("video/mp4", "video/quicktime", "video/x-m4v", "video/3gpp", "audio/mp4") or (
        sniffed.label in ("heic", "heif", "avif")
    ):
        return _bmff_truncated(fh, size)
    return False


def _bmff_truncated(fh: BinaryIO, size: int) -> bool:
    offset = 0
    boxes = 0
    while offset < size:
        fh.seek(offset)
        header = fh.read(16)
        if len(header) < 8:
            return True
        box_size = int.from_bytes(header[:4], "big")
        if box_size == 1:
            if len(header) < 16:
                return True
            box_size = int.from_bytes(header[8:16], "big")
        elif box_size == 0:  # "extends to the end of the file"
            return False
        if box_size < 8 or not _is_box_type(header[4:8]):
            return False  # not a box structure we understand; let the decoder judge
        offset += box_size
        boxes += 1
        if boxes > 100_000:
            return False
    return offset > size


def _is_box_type(code: bytes) -> bool:
    """Box types are four printable characters (letters, digits, spaces, or QuickTime's leading ``©``)."""
    return all(32 <= b < 127 or b == 0xA9 for b in code)
