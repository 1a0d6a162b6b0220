from __future__ import annotations

import json
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from amparo.media.probe import ERROR_CODES, ProbeResult, probe, probe_in_process
from amparo.media.tests.factory import c2pa_signed_jpeg, photo, write_audio, write_video

EXIF_GPS = {"lat": 40.4461111, "lon": -79.9822222, "alt": 123.5}


def jpeg_with_exif(path: Path) -> Path:
    exif = Image.Exif()
    exif[0x010F] = "Acme"  # Make
    exif[0x0110] = "Witness Cam 3"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90 CW to display
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = "2026:05:01 10:20:30"  # DateTimeOriginal
    sub[0x9011] = "-07:00"  # OffsetTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (40.0, 26.0, 46.0), 3: "W", 4: (79.0, 58.0, 56.0), 5: 0, 6: 123.5})
    photo(640, 480).save(path, exif=exif, quality=90)
    return path


def png_bomb(path: Path, width: int = 50_000, height: int = 50_000) -> Path:
    """A tiny PNG that declares a 2.5-gigapixel picture (the IDAT is just a few zero rows)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    idat = zlib.compress(b"\x00" * (width + 1) * 4, 9)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return path


def test_it_reads_exif_capture_time_gps_device_and_orientation(tmp_path: Path) -> None:
    result = probe(jpeg_with_exif(tmp_path / "photo.jpg"), claimed_mime="image/jpeg")
    assert result.ok, result.message
    assert (result.kind, result.mime, result.format) == ("image", "image/jpeg", "jpeg")
    assert (result.width, result.height, result.orientation) == (640, 480, 6)
    assert result.captured_at_local == "2026-05-01T10:20:30"
    assert result.captured_at_offset == "-07:00"
    assert result.captured_at == "2026-05-01T17:20:30+00:00"
    assert result.captured_at_source == "exif"
    assert result.gps == EXIF_GPS
    assert (result.device_make, result.device_model) == ("Acme", "Witness Cam 3")
    assert result.c2pa == {"state": "none"}
    assert result.claimed_type_mismatch is False


def test_it_reports_a_valid_c2pa_manifest_and_a_broken_one(tmp_path: Path) -> None:
    signed = c2pa_signed_jpeg(tmp_path / "signed.jpg")
    result = probe(signed)
    assert result.ok, result.message
    assert result.c2pa["state"] == "valid"  # signed correctly; the test CA is not on any trust list
    assert result.c2pa["claim_generator"] == "amparo-test"
    assert result.c2pa["signer"] == "Amparo Test"
    assert "assertion.dataHash.mismatch" not in result.c2pa.get("failures", [])
    tampered = tmp_path / "tampered.jpg"
    data = bytearray(signed.read_bytes())
    data[-20] ^= 0xFF  # one byte of picture data, after the manifest
    tampered.write_bytes(bytes(data))
    broken = probe(tampered)
    assert broken.ok  # still a readable picture ...
    assert broken.c2pa["state"] == "invalid"  # ... whose manifest no longer matches it
    assert "assertion.dataHash.mismatch" in broken.c2pa["failures"]


def test_it_keeps_the_metadata_when_the_c2pa_check_runs_out_of_time(tmp_path: Path) -> None:
    result = probe(c2pa_signed_jpeg(tmp_path / "signed.jpg"), c2pa_timeout_s=0.01)
    assert result.ok and result.width == 320
    assert result.c2pa == {"state": "error", "reason": "timeout"}


def test_it_serialises_to_json_and_back(tmp_path: Path) -> None:
    result = probe(jpeg_with_exif(tmp_path / "photo.jpg"))
    again = ProbeResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again == result


def test_it_reads_video_container_metadata(tmp_path: Path) -> None:
    clip = write_video(
        tmp_path / "clip.mp4",
        seconds=2,
        fps=15,
        metadata={"creation_time": "2026-05-01T17:20:30.000000Z", "location": "+40.4461-079.9822+123.500/"},
    )
    result = probe(clip, claimed_name="VID_0001.MP4")
    assert result.ok, result.message
    assert (result.kind, result.format, result.mime) == ("video", "mp4", "video/mp4")
    assert result.container is not None and "mp4" in result.container
    assert result.video_codec in ("h264", "mpeg4")
    assert (result.width, result.height, result.frame_rate) == (320, 240, 15.0)
    assert result.duration_s == pytest.approx(2.0, abs=0.15)
    assert result.captured_at == "2026-05-01T17:20:30+00:00"
    assert result.captured_at_source == "container"
    assert result.gps == {"lat": 40.4461, "lon": -79.9822, "alt": 123.5}
    assert result.claimed_type_mismatch is False


@pytest.mark.parametrize(
    ("suffix", "codec", "label"),
    [
        ("mov", None, "mov"),
        ("mkv", None, "matroska"),
        ("webm", "libvpx-vp9", "webm"),
        ("ts", None, "mpegts"),
        ("avi", "mpeg4", "avi"),
        ("3gp", None, "3gp"),
        ("mp4", "libx265", "mp4"),
    ],
)
def test_it_reads_the_common_video_containers(
    tmp_path: Path, suffix: str, codec: str | None, label: str
) -> None:
    clip = write_video(tmp_path / f"clip.{suffix}", seconds=1, codec=codec)
    result = probe(clip, claimed_name=f"clip.{suffix}")
    assert result.ok, result.message
    assert (result.kind, result.format, result.width, result.height) == ("video", label, 320, 240)
    assert result.claimed_type_mismatch is False


def test_it_reads_an_audio_recording(tmp_path: Path) -> None:
    result = probe(write_audio(tmp_path / "call.m4a", seconds=2), claimed_mime="audio/mp4")
    assert result.ok, result.message
    assert (result.kind, result.format, result.audio_codec, result.video_codec) == (
        "audio",
        "m4a",
        "aac",
        None,
    )
    assert result.duration_s == pytest.approx(2.0, abs=0.1)
    assert result.claimed_type_mismatch is False


def test_it_reports_a_phone_videos_display_rotation(tmp_path: Path) -> None:
    clip = write_video(tmp_path / "portrait.mp4", seconds=1, rotation=90)
    result = probe(clip)
    assert result.ok, result.message
    assert (result.width, result.height, result.rotation) == (240, 320, 90)
    assert probe(write_video(tmp_path / "plain.mp4", seconds=1)).rotation is None


def test_it_sniffs_the_real_type_and_flags_a_false_claim(tmp_path: Path) -> None:
    path = tmp_path / "holiday.mp4"  # really a PNG
    photo(64, 48).save(path, format="PNG")
    result = probe(path, claimed_name="holiday.mp4", claimed_mime="video/mp4")
    assert result.ok
    assert (result.kind, result.format, result.width) == ("image", "png", 64)
    assert result.claimed_type_mismatch is True


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_it_reports_a_truncated_jpeg(tmp_path: Path, cut: float) -> None:
    whole = jpeg_with_exif(tmp_path / "whole.jpg").read_bytes()
    path = tmp_path / "cut.jpg"
    path.write_bytes(whole[: int(len(whole) * cut)])
    result = probe(path)
    assert (result.ok, result.error) == (False, "truncated")
    assert result.message and result.message.startswith(ERROR_CODES["truncated"])


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_it_tells_a_cut_image_from_one_with_data_appended(tmp_path: Path, fmt: str) -> None:
    whole = tmp_path / f"whole.{fmt.lower()}"
    photo(320, 240).save(whole, fmt)
    data = whole.read_bytes()
    cut = tmp_path / f"cut.{fmt.lower()}"
    cut.write_bytes(data[: len(data) * 3 // 4])
    assert probe(cut).error == "truncated"
    # Phones and editors append data after the end marker (e.g. Samsung's SEFH trailer): still a good picture.
    appended = tmp_path / f"appended.{fmt.lower()}"
    appended.write_bytes(data + b"SEFH" + bytes(range(256)) * 8)
    result = probe(appended)
    assert result.ok, result.message
    assert result.width == 320


def test_it_reports_a_truncated_video(tmp_path: Path) -> None:
    whole = write_video(tmp_path / "whole.mp4", seconds=2).read_bytes()
    path = tmp_path / "cut.mp4"
    path.write_bytes(whole[: len(whole) // 2])
    result = probe(path)
    assert (result.ok, result.error, result.kind) == (False, "truncated", "video")


def test_it_reports_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    result = probe(path)
    assert (result.ok, result.error, result.size) == (False, "empty", 0)


def test_it_refuses_a_png_decompression_bomb_quickly(tmp_path: Path) -> None:
    path = png_bomb(tmp_path / "bomb.png")
    assert path.stat().st_size < 20_000
    started = time.monotonic()
    result = probe(path)
    assert (result.ok, result.error, result.format) == (False, "decompression_bomb", "png")
    assert time.monotonic() - started < 10


def test_it_refuses_an_image_over_the_callers_pixel_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    photo(400, 300).save(path)
    assert (
        probe(path, max_pixels=10_000).error == "decompression_bomb"
    )  # over twice the limit: Pillow refuses
    assert probe(path, max_pixels=100_000).error == "decompression_bomb"  # Pillow would only warn: we refuse
    assert probe(path, max_pixels=200_000).ok


def test_it_reports_text_named_mp4_as_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "video.mp4"
    path.write_text("this is not a video, just some text\n" * 20)
    result = probe(path, claimed_name="video.mp4", claimed_mime="video/mp4")
    assert (result.ok, result.error, result.kind) == (False, "unsupported_type", "unknown")
    assert result.claimed_type_mismatch is True


def test_it_reports_garbage_after_a_valid_magic_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "fake.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40 + b"IEND\xaeB`\x82")
    result = probe(path)
    assert result.ok is False
    assert result.error == "corrupt"


def test_it_reports_content_that_contradicts_its_magic_as_type_mismatch(tmp_path: Path) -> None:
    # An ID3 tag (the magic of an MP3) in front of an MPEG-TS video: FFmpeg skips the tag and finds MPEG-TS.
    ts = write_video(tmp_path / "clip.ts", seconds=1).read_bytes()
    path = tmp_path / "song.mp3"
    path.write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10 + ts)
    result = probe(path, claimed_name="song.mp3")
    assert (result.ok, result.error, result.format) == (False, "type_mismatch", "mp3")
    assert result.message and "mpegts" in result.message


def test_it_stops_a_probe_that_runs_too_long(tmp_path: Path) -> None:
    clip = write_video(tmp_path / "clip.mp4", seconds=1)
    started = time.monotonic()
    result = probe(clip, timeout_s=0.05)
    assert (result.ok, result.error, result.kind) == (False, "timeout", "video")
    assert time.monotonic() - started < 5


def test_it_survives_the_memory_limit(tmp_path: Path) -> None:
    path = tmp_path / "large.png"
    Image.new("RGB", (6000, 6000), (1, 2, 3)).save(path)  # 108 MB decoded
    result = probe(path, max_memory=128 << 20)
    assert result.ok is False
    assert result.error in ("decompression_bomb", "corrupt")
    assert probe(path).ok


def test_in_process_probe_agrees_with_the_sandboxed_one(tmp_path: Path) -> None:
    path = jpeg_with_exif(tmp_path / "photo.jpg")
    assert probe_in_process(path) == probe(path)


def test_it_keeps_the_file_path_out_of_messages(tmp_path: Path) -> None:
    whole = write_video(tmp_path / "Maria_Lopez.mp4", seconds=1).read_bytes()
    path = tmp_path / "Maria_Lopez_cut.mp4"
    path.write_bytes(whole[:3000] + bytes(2000))
    result = probe(path)
    assert result.ok is False
    assert "Maria" not in json.dumps(result.to_dict())


def test_it_reports_a_missing_file_without_raising(tmp_path: Path) -> None:
    result = probe(tmp_path / "nope.jpg")
    assert (result.ok, result.error) == (False, "corrupt")
