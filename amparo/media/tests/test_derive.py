"""Derived copies made in the sandbox from real media: small, upright, and free of the original's metadata."""

from __future__ import annotations

import io
from pathlib import Path
from typing import cast

import av
import numpy as np
import pytest
from av.audio.stream import AudioStream
from av.video.stream import VideoStream
from PIL import Image

from amparo.evidence.samples import jpeg_with_gps
from amparo.media import derive
from amparo.media.sandbox import MediaError
from amparo.media.tests.factory import write_video

SECRET_TAG = "Calle Falsa 123, casa de la abuela"


def _jpeg_info(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_picture_copies_are_small_and_carry_no_exif_or_gps(tmp_path: Path) -> None:
    original = tmp_path / "photo.jpg"
    original.write_bytes(jpeg_with_gps(size=(2000, 1500)))
    assert Image.open(original).getexif().get_ifd(0x8825)  # the original does have GPS

    copies = derive.derive(original, "image")

    thumb, view = _jpeg_info(copies["thumb"]), _jpeg_info(copies["view"])
    assert max(thumb.size) == derive.THUMB_SIDE and max(view.size) == derive.VIEW_SIDE
    for data, image in ((copies["thumb"], thumb), (copies["view"], view)):
        assert image.format == "JPEG"
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
        assert b"Exif" not in data and b"TestPhone" not in data


def test_a_picture_is_turned_upright_by_its_exif_orientation(tmp_path: Path) -> None:
    image = Image.new("RGB", (400, 200), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: show it turned 90 degrees clockwise
    original = tmp_path / "sideways.jpg"
    image.save(original, "JPEG", exif=exif)

    thumb = _jpeg_info(derive.derive(original, "image", ("thumb",))["thumb"])

    assert thumb.size == (160, 320)


def test_a_phone_video_gets_an_upright_preview_and_thumbnail(tmp_path: Path) -> None:
    original = write_video(tmp_path / "portrait.mp4", seconds=3, width=320, height=240, rotation=90)

    copies = derive.derive(original, "video")

    assert _jpeg_info(copies["thumb"]).size == (320, 240)
    preview = tmp_path / "preview.mp4"
    preview.write_bytes(copies["view"])
    with av.open(str(preview)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.name, stream.width, stream.height) == ("h264", 320, 240)
        frames = list(container.decode(stream))
    assert not frames[0].rotation
    assert 2.5 <= frames[-1].time <= 3.2
    assert len(frames) >= 40


def _video_with_sound_and_tags(path: Path, seconds: float = 2.0) -> Path:
    with av.open(str(path), "w") as container:
        container.metadata["location"] = "+41.8825-087.6231/"
        container.metadata["comment"] = SECRET_TAG
        video = cast(VideoStream, container.add_stream("libx264", rate=15))
        video.width, video.height, video.pix_fmt = 1280, 720, "yuv420p"
        audio = cast(AudioStream, container.add_stream("aac", rate=48_000))
        audio.layout = "stereo"
        for i in range(int(seconds * 15)):
            pixels = np.full((720, 1280, 3), (i * 7) % 255, np.uint8)
            for packet in video.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        tone = (np.sin(np.arange(1024) / 10) * 0.2).astype(np.float32)
        for start in range(0, int(seconds * 48_000), 1024):
            frame = av.AudioFrame.from_ndarray(np.stack([tone, tone]), format="fltp", layout="stereo")
            frame.sample_rate, frame.pts = 48_000, start
            for packet in audio.encode(frame):
                container.mux(packet)
        for stream in (video, audio):
            for packet in stream.encode():
                container.mux(packet)
    return path


def test_a_video_preview_keeps_the_sound_scales_down_and_drops_the_tags(tmp_path: Path) -> None:
    original = _video_with_sound_and_tags(tmp_path / "clip.mp4")
    with av.open(str(original)) as container:
        assert container.metadata.get("comment") == SECRET_TAG

    data = derive.derive(original, "video", ("view",))["view"]

    assert SECRET_TAG.encode() not in data and b"+41.8825" not in data
    preview = tmp_path / "preview.mp4"
    preview.write_bytes(data)
    with av.open(str(preview)) as container:
        kinds = sorted(s.type for s in container.streams)
        video = container.streams.video[0]
        assert kinds == ["audio", "video"]
        assert (video.width, video.height) == (derive.PREVIEW_SIDE, 360)
        assert "comment" not in container.metadata and "location" not in container.metadata
        assert sum(1 for _ in container.decode(container.streams.audio[0])) > 50


def test_a_video_preview_starts_its_first_frame_at_time_zero(tmp_path: Path) -> None:
    """No reordered (B) frames: the copy's first picture is at 0 s, so a player's clock and the original's frame
    numbers agree from the first moment (the redaction review seeks frame n at n / fps)."""
    original = write_video(tmp_path / "clip.mp4", seconds=1.0)

    preview = tmp_path / "preview.mp4"
    preview.write_bytes(derive.derive(original, "video", ("view",))["view"])

    with av.open(str(preview)) as container:
        stream = container.streams.video[0]
        first = next(container.decode(stream))
        assert first.pts == 0 and not stream.start_time
        assert all(p.pts == p.dts for p in container.demux(stream) if p.pts is not None)


def test_one_frame_at_a_given_second(tmp_path: Path) -> None:
    original = write_video(tmp_path / "v.mp4", seconds=4, width=320, height=240)
    early = derive.frame(original, "video", 0.0, 200)
    late = derive.frame(original, "video", 3.0, 200)
    past_the_end = derive.frame(original, "video", 60.0, 200)

    assert _jpeg_info(early).size == (200, 150)
    assert early != late
    assert _jpeg_info(past_the_end).size == (200, 150)


@pytest.mark.parametrize(
    "content,kind,code",
    [
        (b"\x00" * 4096, "video", "corrupt"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "image", "corrupt"),
        (b"ID3 some sound", "audio", "not_visual"),
    ],
)
def test_files_that_cannot_give_a_picture_fail_with_a_code(
    tmp_path: Path, content: bytes, kind: str, code: str
) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(content)
    with pytest.raises(MediaError) as failure:
        derive.derive(bad, kind)
    assert failure.value.code == code


def test_a_decompression_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    Image.new("1", (12_000, 12_000)).save(bomb, "PNG")  # 144 megapixels in a few kilobytes
    assert bomb.stat().st_size < 200_000
    with pytest.raises(MediaError) as failure:
        derive.derive(bomb, "image")
    assert failure.value.code == "decompression_bomb"
