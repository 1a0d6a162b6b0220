from __future__ import annotations

import pytest

from amparo.media.sniff import UNKNOWN, claimed_mismatch, sniff_bytes

HEADS = {
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "gif": b"GIF89a\x01\x00",
    "webp": b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    "mp4": b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00",
    "mov": b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00",
    "heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00",
    "m4a": b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00",
    "3gp": b"\x00\x00\x00\x18ftyp3gp4\x00\x00\x00\x00",
    "matroska": b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01matroska",
    "webm": b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01webm",
    "avi": b"RIFF\x00\x00\x00\x00AVI LIST",
    "wav": b"RIFF\x00\x00\x00\x00WAVEfmt ",
    "mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00",
    "ogg": b"OggS\x00\x02",
    "flac": b"fLaC\x00\x00",
}


@pytest.mark.parametrize("label", sorted(HEADS))
def test_it_recognises_formats_by_their_first_bytes(label: str) -> None:
    assert sniff_bytes(HEADS[label] + bytes(64)).label == label


@pytest.mark.parametrize("head", [b"", b"hello world, not media", b"%PDF-1.7\n", b"PK\x03\x04zip", b"<html>"])
def test_it_calls_other_bytes_unknown(head: bytes) -> None:
    assert sniff_bytes(head) == UNKNOWN


def test_a_claim_is_a_mismatch_only_when_it_names_another_format() -> None:
    mp4 = sniff_bytes(HEADS["mp4"])
    png = sniff_bytes(HEADS["png"])
    assert not claimed_mismatch(mp4, "IMG_0001.MOV", "video/quicktime")  # phones mix these freely
    assert not claimed_mismatch(mp4, "clip.mp4", "video/mp4")
    assert not claimed_mismatch(mp4, "no-extension", "application/octet-stream")
    assert not claimed_mismatch(mp4, None, None)
    assert claimed_mismatch(png, "photo.jpg", None)
    assert claimed_mismatch(png, None, "image/jpeg")
    assert claimed_mismatch(UNKNOWN, "video.mp4", None)
    assert not claimed_mismatch(UNKNOWN, "notes.xyz", None)
