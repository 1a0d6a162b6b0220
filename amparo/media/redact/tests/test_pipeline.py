"""Proposals and redacted copies on real media, through the sandbox: faces found, nothing leaks, nothing else kept.

The pictures are scikit-image's real photographs and clips made from their faces (amparo.media.redact.evaluation).
"""

from __future__ import annotations

import hashlib
import io
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from amparo.media.redact import Box, MediaError, Proposal, Track, leak, paint, pipeline, propose, render
from amparo.media.redact.evaluation import clips, scenes, score


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def astronaut(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The astronaut photograph as a JPEG carrying EXIF with GPS and a camera model, as a phone writes it."""
    path = tmp_path_factory.mktemp("redact") / "astronaut.jpg"
    exif = Image.Exif()
    exif[0x0110] = "Witness Phone 12"  # Model
    exif[0x8825] = {1: "N", 2: (40.0, 42.0, 51.0), 3: "W", 4: (74.0, 0.0, 21.0)}  # GPS IFD
    Image.fromarray(scenes.photos()[0].rgb).save(path, format="JPEG", quality=95, exif=exif)
    return path


@pytest.fixture(scope="module")
def clip(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, list[list[tuple[int, tuple[float, float, float, float]]]]]:
    path = tmp_path_factory.mktemp("redact") / "faces.mp4"
    labels = clips.write_clip(path, seconds=2.0, width=1280, height=720, fps=15, faces=3, seed=11, lfw=False)
    return path, labels


def test_image_proposal_finds_the_face_and_the_copy_keeps_no_metadata(
    astronaut: Path, tmp_path: Path
) -> None:
    before = _sha(astronaut)
    proposal = propose(astronaut, kind="image")
    assert (proposal.width, proposal.height, proposal.frames) == (512, 512, 1)
    faces = [t for t in proposal.tracks if t.label == "face"]
    tally = score.score([list(t.boxes[0][1:]) for t in faces], scenes.photos()[0].faces)
    assert tally.hidden == 1, faces
    out = tmp_path / "copy.jpg"
    result = render(astronaut, proposal.tracks, out, style="blur", kind="image")
    assert result.sha256 == _sha(out) and result.format == "jpeg" and result.regions == len(proposal.tracks)
    with Image.open(out) as img:
        assert not img.getexif()
        assert "exif" not in img.info and "icc_profile" not in img.info
    assert b"Witness Phone" not in out.read_bytes()
    checks, _skipped = leak.check(astronaut, out, proposal.tracks, kind="image")
    assert checks and not [c for c in checks if c.leaks]
    assert _sha(astronaut) == before


def test_box_style_paints_the_padded_region_black_and_nothing_else(astronaut: Path, tmp_path: Path) -> None:
    track = Track(id="p1", label="text", source="person", boxes=[Box(0, 100, 100, 40, 20, 1.0)])
    out = tmp_path / "copy.png"
    render(astronaut, [track], out, style="box", kind="image", margin=0.25)
    copy = np.asarray(Image.open(out).convert("RGB"))
    original = np.asarray(Image.open(astronaut).convert("RGB"))
    x0, y0, x1, y1 = track.boxes[0].padded(0.25, 512, 512)
    assert (x0, y0, x1, y1) == (90, 90, 150, 130)
    assert copy[y0:y1, x0:x1].max() == 0
    outside = np.ones(copy.shape[:2], dtype=bool)
    outside[y0:y1, x0:x1] = False
    assert np.array_equal(copy[outside], original[outside])  # PNG: lossless outside the box


def test_video_proposal_tracks_moving_faces(clip) -> None:  # type: ignore[no-untyped-def]
    path, labels = clip
    proposal = propose(path, kind="video")
    assert (proposal.width, proposal.height, proposal.frames) == (1280, 720, 30)
    assert proposal.stride == 8 and proposal.tracks
    tally = score.Tally()
    for index, faces in enumerate(labels):
        boxes = [list(b[1:]) for t in proposal.tracks if (b := t.at(index)) is not None]
        tally.add(score.score(boxes, [f for _n, f in faces]))
    assert tally.recall >= 0.9, tally
    assert len(proposal.tracks) == 3  # one track per face, not a box per frame


def test_video_copy_hides_every_region_in_every_frame_and_drops_sound(clip, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, _labels = clip
    with_sound = tmp_path / "with_sound.mp4"
    _add_sound(path, with_sound)
    before = _sha(with_sound)
    proposal = propose(with_sound, kind="video")
    assert proposal.has_audio
    out = tmp_path / "copy.mp4"
    result = render(with_sound, proposal.tracks, out, style="blur", kind="video")
    assert result.audio_dropped and result.frames == proposal.frames and result.regions > 0
    with av.open(str(out)) as copy:
        assert not copy.streams.audio
        assert copy.streams.video[0].codec_context.name == "h264"
        assert not {
            k: v
            for k, v in copy.metadata.items()
            if k not in ("major_brand", "minor_version", "compatible_brands", "encoder")
        }
    checks, _skipped = leak.check(with_sound, out, proposal.tracks, kind="video")
    assert len(checks) >= result.regions * 0.8
    assert not [c for c in checks if c.leaks], [c for c in checks if c.leaks][:3]
    assert _sha(with_sound) == before


def test_the_leak_check_fails_a_weak_blur(clip, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Show the check can fail: a Gaussian blur of radius 2, as many tools use, keeps eyes and outlines."""
    from PIL import ImageFilter

    path, _labels = clip
    proposal = propose(path, kind="video")

    def weak(region: np.ndarray, blocks: int = 4) -> np.ndarray:
        return np.asarray(Image.fromarray(region).filter(ImageFilter.GaussianBlur(2)))

    monkeypatch.setattr(paint, "smear", weak)
    data, _info = pipeline.render_local(str(path), proposal.tracks, kind="video", style="blur", fmt="mp4")
    weak_copy = path.with_name("weak.mp4")
    weak_copy.write_bytes(data)
    checks, _skipped = leak.check(path, weak_copy, proposal.tracks, kind="video")
    leaking = [c for c in checks if c.leaks]
    assert len(leaking) >= 0.5 * len(checks) > 0


def _add_sound(src: Path, dst: Path) -> None:
    """``src`` with a tone added as AAC, re-muxing its video packets as they are."""
    with av.open(str(src)) as source, av.open(str(dst), mode="w") as out:
        vin = source.streams.video[0]
        vout = out.add_stream_from_template(vin)
        aout = out.add_stream("aac", rate=44_100)
        aout.layout = "mono"
        for packet in source.demux(vin):
            if packet.dts is None:
                continue
            packet.stream = vout
            out.mux(packet)
        samples = np.sin(np.arange(44_100 * 2) / 44_100 * 2 * np.pi * 440).astype(np.float32)[None, :]
        for start in range(0, samples.shape[1], 1024):
            frame = av.AudioFrame.from_ndarray(samples[:, start : start + 1024], format="fltp", layout="mono")
            frame.sample_rate = 44_100
            frame.pts = start
            out.mux(aout.encode(frame))
        out.mux(aout.encode(None))


def test_hostile_files_fail_with_a_code_and_leave_the_original_alone(clip, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, _labels = clip
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    garbage = tmp_path / "garbage.jpg"
    garbage.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)
    bomb = tmp_path / "bomb.png"
    buffer = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(buffer, format="PNG")  # 900 megapixels in a few hundred kilobytes
    bomb.write_bytes(buffer.getvalue())
    cases = [
        (truncated, "video", "corrupt"),
        (garbage, "image", "corrupt"),
        (bomb, "image", "decompression_bomb"),
    ]
    for bad, kind, code in cases:
        before = _sha(bad)
        with pytest.raises(MediaError) as caught:
            propose(bad, kind=kind)
        assert caught.value.code == code, (bad.name, caught.value)
        out = tmp_path / ("out.mp4" if kind == "video" else "out.png")
        with pytest.raises(MediaError):
            render(bad, [], out, style="box", kind=kind)
        assert not out.exists() and _sha(bad) == before
    with pytest.raises(MediaError) as caught:
        propose(path, kind="video", limits=pipeline.Limits(max_seconds=1.0))
    assert caught.value.code == "too_long"
    with pytest.raises(MediaError) as caught:  # the parent kills a child that runs past its wall-clock limit
        propose(path, kind="video", limits=pipeline.Limits(timeout_s=0.05))  # less than the imports take
    assert caught.value.code == "timeout"
    with pytest.raises(MediaError) as caught:
        propose(path, kind="video", limits=pipeline.Limits(max_pixels=1280 * 700))
    assert caught.value.code == "decompression_bomb"


def test_render_refuses_to_replace_the_original_and_unknown_formats(astronaut: Path) -> None:
    with pytest.raises(ValueError, match="replace the original"):
        render(astronaut, [], astronaut, style="blur", kind="image")
    with pytest.raises(ValueError, match=r"\.jpeg or \.jpg or \.png"):
        render(astronaut, [], astronaut.with_suffix(".gif"), style="blur", kind="image")
    with pytest.raises(ValueError, match="style"):
        render(astronaut, [], astronaut.with_suffix(".png"), style="swirl", kind="image")


@pytest.mark.slow
def test_a_12_megapixel_photo_fits_the_sandbox_and_its_faces_are_found(tmp_path: Path) -> None:
    """Phone photos are 4032x3024: searched whole, the network's buffers outgrew the sandbox's 3 GB; tiles do not."""
    photo = scenes.photos()[0]
    head = photo.rgb[0:230, 120:320]
    canvas = np.asarray(Image.fromarray(scenes._photo("coffee")).resize((4032, 3024))).copy()
    faces = []
    for i in range(3):  # the last face straddles the first tile's right edge (x = 3072)
        x, y = 950 + i * 1000, 980 + i * 600
        canvas[y : y + 230, x : x + 200] = head
        fx, fy, fw, fh = photo.faces[0]
        faces.append((x + fx - 120, y + fy, fw, fh))
    path = tmp_path / "phone.jpg"
    Image.fromarray(canvas).save(path, quality=90)
    proposal = propose(path, kind="image")
    assert (proposal.width, proposal.height) == (4032, 3024)
    assert score.score([list(t.boxes[0][1:]) for t in proposal.tracks], faces).hidden == 3


def test_writing_in_a_still_is_proposed_as_text(astronaut: Path, tmp_path: Path) -> None:
    """The astronaut's name tag, and generated house numbers, names and plates, come back as "text" tracks."""
    proposal = propose(astronaut, kind="image")
    tags = [t for t in proposal.tracks if t.label == "text"]
    name_tag = (280.0, 340.0, 50.0, 35.0)  # the white tag on the suit, by hand
    assert any(score._inter(t.boxes[0][1:5], name_tag) > 0 for t in tags), tags
    sample = next(scenes.text_scenes("dev", 1))
    path = tmp_path / "signs.png"
    Image.fromarray(sample.rgb).save(path)
    proposal = propose(path, kind="image")
    boxes = [list(t.boxes[0][1:]) for t in proposal.tracks if t.label == "text"]
    assert score.score(boxes, sample.faces).hidden == len(sample.faces) > 0


def test_a_phone_video_stored_sideways_is_proposed_and_redacted_upright(clip, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Phones store portrait video turned, with a display matrix: boxes and the copy are in the picture as seen."""
    path, labels = clip
    sideways = tmp_path / "sideways.mp4"
    with av.open(str(path)) as src, av.open(str(sideways), mode="w") as dst:
        stream = dst.add_stream("libx264", rate=15)
        stream.width, stream.height = 720, 1280
        stream.pix_fmt = "yuv420p"
        stream.set_display_rotation(90)
        for frame in src.decode(video=0):
            stored = np.ascontiguousarray(np.rot90(frame.to_ndarray(format="rgb24"), 3), dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(stored, format="rgb24")):
                dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)
    proposal = propose(sideways, kind="video")
    assert (proposal.width, proposal.height) == (1280, 720)
    tally = score.Tally()
    for index, faces in enumerate(labels):
        boxes = [list(b[1:]) for t in proposal.tracks if (b := t.at(index)) is not None]
        tally.add(score.score(boxes, [f for _n, f in faces]))
    assert tally.recall >= 0.9, tally
    out = tmp_path / "copy.mp4"
    result = render(sideways, proposal.tracks, out, style="box", kind="video")
    assert (result.width, result.height) == (1280, 720)
    checks, _skipped = leak.check(sideways, out, proposal.tracks, kind="video")
    assert checks and not [c for c in checks if c.leaks]


def test_writing_in_a_video_is_tracked_as_text_by_default(tmp_path: Path) -> None:
    """Signs moving through a clip come back as "text" tracks covering every frame, looked for whole only at the
    first frame and followed from there; ``text_seconds=0`` looks for none."""
    path = tmp_path / "signs.mp4"
    labels = clips.write_text_clip(path, seconds=3.0, fps=15, signs=3, seed=501)
    proposal = propose(path, kind="video")
    writing = [t for t in proposal.tracks if t.label == "text"]
    assert writing and proposal.detectors["text"]["every_s"] == pytest.approx(4.0, abs=0.6)
    assert proposal.detectors["text"]["max_side"] == 640
    tally = score.Tally()
    for index, signs in enumerate(labels):
        boxes = [list(b[1:]) for t in writing if (b := t.at(index)) is not None]
        tally.add(score.score(boxes, [f for _n, f in signs]))
    assert tally.recall >= 0.9 and tally.precision >= 0.8, tally
    assert len(writing) <= 4  # about one track a sign, not a box a frame
    assert len({b.frame for t in writing for b in t.boxes}) > 3  # followed between the whole looks
    plain = propose(path, kind="video", limits=pipeline.Limits(text_seconds=0))
    assert not [t for t in plain.tracks if t.label == "text"] and "text" not in plain.detectors


def test_a_closer_look_finds_a_small_face_where_it_is_expected() -> None:
    """A face 24 px high on a 720p frame: looked at twice as large around where it is, it is found, in frame pixels."""
    from amparo.media.redact import detect

    photo = scenes.photos()[0]
    factor = 24 / photo.faces[0][3]
    head = np.asarray(Image.fromarray(photo.rgb).resize((round(512 * factor), round(512 * factor))))
    frame = np.asarray(Image.fromarray(scenes._photo("gravel")).resize((1280, 720))).copy()
    frame[400 : 400 + head.shape[0], 700 : 700 + head.shape[1]] = head
    fx, fy, fw, fh = (v * factor for v in photo.faces[0])
    face = (700 + fx, 400 + fy, fw, fh)
    near = (face[0] - 60, face[1] - 60, face[0] + fw + 60, face[1] + fh + 60)
    found = detect.detect_region(frame, near, 2.0, threshold=detect.VIDEO_CLOSE_THRESHOLD, threads=1)
    assert score.score(found.tolist(), [face]).hidden == 1, found
    # Cut through the face, the region gives no box for the half it sees.
    cut = (face[0] + fw / 2, face[1] - 60, face[0] + fw + 60, face[1] + fh + 60)
    halves = detect.detect_region(frame, cut, 2.0, threshold=detect.VIDEO_CLOSE_THRESHOLD, threads=1)
    assert not [b for b in halves if b[0] < face[0] + fw]


def _decoded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the frames the proposals decode (each ``Packet.decode`` result)."""
    counted: list[int] = []
    real = av.Packet.decode

    def decode(packet):  # type: ignore[no-untyped-def]
        frames = real(packet)
        counted.append(len(frames))
        return frames

    monkeypatch.setattr(av.Packet, "decode", decode)
    return counted


def test_frames_no_search_needs_are_not_decoded_and_the_proposal_is_the_same(clip, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Non-reference frames between the searched ones are skipped; the tracks are those of decoding every frame."""
    path, _labels = clip
    every = pipeline.propose_local(str(path), kind="video", skip_unsearched=False)
    counted = _decoded(monkeypatch)
    skipped = pipeline.propose_local(str(path), kind="video")
    assert skipped.to_dict() == every.to_dict()
    assert skipped.frames == 30 and 4 <= sum(counted) < 30  # the H.264 has B-frames that are no reference


def test_frames_of_a_variable_rate_video_are_placed_by_their_timestamps(clip, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Frames 20 to 70 ms apart (a phone under load): proposals skipping frames match decoding every frame."""
    path, _labels = clip
    uneven = tmp_path / "uneven.mp4"
    with av.open(str(path)) as src, av.open(str(uneven), mode="w") as dst:
        stream = dst.add_stream("libx264", rate=15)
        stream.width, stream.height = 1280, 720
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = Fraction(1, 1000)
        pts = 0
        for index, frame in enumerate(src.decode(video=0)):
            fresh = av.VideoFrame.from_ndarray(frame.to_ndarray(format="rgb24"), format="rgb24")
            fresh.pts, fresh.time_base = pts, Fraction(1, 1000)
            pts += (20, 70, 45)[index % 3]
            for packet in stream.encode(fresh):
                dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)
    every = pipeline.propose_local(str(uneven), kind="video", skip_unsearched=False)
    skipped = pipeline.propose_local(str(uneven), kind="video")
    assert skipped.frames == every.frames == 30 and skipped.tracks
    assert skipped.to_dict() == every.to_dict()


def test_frames_that_do_not_come_out_where_the_packets_put_them_are_all_decoded(clip, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """When the decoder's timestamps do not match the packets' places, every frame is decoded instead."""
    path, _labels = clip
    every = pipeline.propose_local(str(path), kind="video", skip_unsearched=False)
    real = pipeline._places

    def shifted(path: str, max_seconds: float) -> dict[int, int] | None:
        places = real(path, max_seconds)
        assert places is not None
        return {pts + 1: place for pts, place in places.items()}  # no decoded frame has one of these

    monkeypatch.setattr(pipeline, "_places", shifted)
    counted = _decoded(monkeypatch)
    assert pipeline.propose_local(str(path), kind="video").to_dict() == every.to_dict()
    assert sum(counted) >= 30  # the retry decoded every frame


def _write_marks_clip(path: Path, *, seconds: float, seed: int) -> None:
    """A 640x360 clip of rows of letter-sized dark marks panning past with grain: the text network reads it as
    writing in its hundreds a look, and each piece keeps matching as it moves (a grainy wall, or a hostile file)."""
    rng = np.random.default_rng(seed)
    width, height, fps = 640, 360, 30
    frames = int(seconds * fps)
    texture = np.full((height, width + 2 * frames), 235, dtype=np.uint8)
    for top in range(4, height - 12, 11):
        left = 2
        while left < texture.shape[1] - 8:
            mark = int(rng.integers(3, 7))
            if rng.random() < 0.8:
                texture[top : top + int(rng.integers(6, 10)), left : left + mark] = 20
            left += mark + int(rng.integers(2, 4))
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "20"}
        for index in range(frames):
            grain = rng.integers(-20, 21, (height, width), dtype=np.int16)
            grey = np.clip(texture[:, 2 * index : 2 * index + width] + grain, 0, 255).astype(np.uint8)
            picture = np.repeat(grey[:, :, None], 3, axis=2)
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


@pytest.mark.slow
def test_a_grainy_clip_read_as_writing_everywhere_is_capped_and_finishes(tmp_path: Path) -> None:
    """Without the cap this 12 s clip took 216 s of CPU (3,615 text tracks: linking and following them grows with
    their square); with it, a few seconds, and the proposal says that writing was left out."""
    import resource

    from amparo.media.redact import text

    path = tmp_path / "marks.mp4"
    _write_marks_clip(path, seconds=12.0, seed=7)
    used = resource.getrusage(resource.RUSAGE_SELF)
    proposal = pipeline.propose_local(str(path), kind="video")
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
    assert cpu < 40, cpu  # about 3 s on an idle machine
    assert proposal.text_capped > 0 and proposal.detectors["text"]["max_boxes"] == text.MAX_BOXES
    assert Proposal.from_dict(proposal.to_dict()).text_capped == proposal.text_capped
    assert len(proposal.tracks) < 500  # 224 here, 3,615 without the cap; the review page holds 500


def test_a_capped_look_keeps_its_strongest_boxes_in_their_order_and_a_still_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from amparo.media.redact import text

    boxes = np.array(
        [[0, 0, 4, 4, 0.6], [5, 0, 4, 4, 0.9], [9, 0, 4, 4, 0.5], [13, 0, 4, 4, 0.8]], np.float32
    )
    kept, capped = text.strongest(boxes, 2)
    assert capped and kept[:, 4].tolist() == pytest.approx([0.9, 0.8])
    assert text.strongest(boxes, 4)[1] is False
    sample = next(scenes.text_scenes("dev", 1))
    path = tmp_path / "signs.png"
    Image.fromarray(sample.rgb).save(path)
    found = pipeline.propose_local(str(path), kind="image")
    writing = [t for t in found.tracks if t.label == "text"]
    assert len(writing) >= 2 and found.text_capped == 0
    monkeypatch.setattr(text, "MAX_BOXES", 1)
    capped_still = pipeline.propose_local(str(path), kind="image")
    assert capped_still.text_capped == 1 and capped_still.detectors["text"]["max_boxes"] == 1
    assert [t.boxes[0].score for t in capped_still.tracks if t.label == "text"] == [
        max(t.boxes[0].score for t in writing)
    ]
