from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from amparo.media import pdq, video
from amparo.media.sandbox import MediaError
from amparo.media.tests.factory import Frame, write_video
from amparo.media.video import (
    VideoFingerprint,
    fingerprint_video,
    fingerprint_video_sandboxed,
    match_videos,
    strip_borders,
)

W, H, SECONDS = 640, 360, 6
LUMA = np.array([0.299, 0.587, 0.114])


def resized(frame: Frame) -> Frame:
    return np.asarray(Image.fromarray(frame).resize((W // 2, H // 2)))


def greyscale(frame: Frame) -> Frame:
    return np.repeat((frame @ LUMA).round().astype(np.uint8)[:, :, None], 3, axis=2)


def mirrored(frame: Frame) -> Frame:
    return np.ascontiguousarray(frame[:, ::-1])


def letterboxed(frame: Frame) -> Frame:
    """The picture squeezed into the middle 3/4 of the height, black bars above and below, as re-uploads do."""
    inner = np.asarray(Image.fromarray(frame).resize((W, H * 3 // 4)))
    out = np.zeros_like(frame)
    top = (H - inner.shape[0]) // 2
    out[top : top + inner.shape[0]] = inner
    return out


def pillarboxed(frame: Frame) -> Frame:
    inner = np.asarray(Image.fromarray(frame).resize((W * 3 // 4, H)))
    out = np.zeros_like(frame)
    left = (W - inner.shape[1]) // 2
    out[:, left : left + inner.shape[1]] = inner
    return out


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, VideoFingerprint]:
    path = write_video(tmp_path_factory.mktemp("video") / "original.mp4", seconds=SECONDS, width=W, height=H)
    return path, fingerprint_video(path)


def test_it_samples_two_frames_a_second_and_hashes_regions(original: tuple[Path, VideoFingerprint]) -> None:
    path, fp = original
    # 15 fps: the first frame at or after each half second
    assert [t for t, _bits, _q in fp.frames] == [
        round(k / 15, 3) for s in range(SECONDS) for k in (15 * s, 15 * s + 8)
    ]
    assert [t for t, _bits, _q in fingerprint_video(path, interval_s=1.0).frames] == [
        float(s) for s in range(SECONDS)
    ]
    # each sample: its centre, 4:3 middle and four halves besides the whole picture
    assert len(fp.extra) == len(video.REGIONS) * len(fp.frames)
    assert {t for t, _b, _q in fp.extra} == {t for t, _b, _q in fp.frames}
    assert fp.duration == pytest.approx(SECONDS, abs=0.1)
    assert all(len(bits) == 32 and q >= 50 for _t, bits, q in fp.frames)
    assert len(fp.mirrored) == len(fp.frames)
    assert VideoFingerprint.from_dict(fp.to_dict()) == fp


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("reencoded", {"codec": "mpeg4", "bit_rate": 200_000}),
        ("reencoded_hevc", {"codec": "libx265"}),
        ("resized", {"transform": resized}),
        ("greyscale", {"transform": greyscale}),
        ("mirrored", {"transform": mirrored}),
        ("letterboxed", {"transform": letterboxed}),
        ("pillarboxed", {"transform": pillarboxed}),
        ("stored_sideways_with_rotation", {"rotation": 90}),
        ("stored_upside_down_with_rotation", {"rotation": 180}),
    ],
)
def test_it_matches_an_edited_copy(
    tmp_path: Path, original: tuple[Path, VideoFingerprint], name: str, kwargs: dict
) -> None:
    _path, target = original
    copy = write_video(tmp_path / f"{name}.mp4", seconds=SECONDS, width=W, height=H, **kwargs)
    result = match_videos(fingerprint_video(copy), target)
    assert result.is_match(target_pct=80, query_pct=80), (name, result)
    assert result.mirrored is (name == "mirrored")
    assert result.pairs and all(d <= pdq.MATCH_DISTANCE for _q, _t, d in result.pairs)


def test_it_counts_seconds_from_the_first_frame_of_a_transport_stream(tmp_path: Path) -> None:
    clip = write_video(
        tmp_path / "broadcast.ts", seconds=3, width=W, height=H
    )  # MPEG-TS times do not start at 0
    fp = fingerprint_video(clip, interval_s=1.0)
    assert [t for t, _bits, _q in fp.frames] == [0.0, 1.0, 2.0]


def test_a_densely_sampled_query_finds_a_copy_trimmed_between_seconds(
    tmp_path: Path, original: tuple[Path, VideoFingerprint]
) -> None:
    _path, target = original
    trimmed = write_video(tmp_path / "trimmed.mp4", seconds=SECONDS, width=W, height=H, start=0.5)
    # Sampled at whole seconds, the trimmed copy shows instants half a second away from the original's.
    whole_seconds = fingerprint_video(trimmed, interval_s=1.0)
    target = fingerprint_video(_path, interval_s=1.0)
    assert match_videos(whole_seconds, target).target_matched_pct < 50
    dense = match_videos(fingerprint_video(trimmed, interval_s=0.25), target)
    assert dense.target_matched_pct >= 80
    assert all(abs((q + 0.5) - t) < 0.1 for q, t, _d in dense.pairs)  # the right instants were paired


def test_it_matches_a_clip_cut_from_the_middle(original: tuple[Path, VideoFingerprint]) -> None:
    _path, target = original
    clip = VideoFingerprint(frames=target.frames[4:8], duration=2.0, mirrored=target.mirrored[4:8])
    result = match_videos(clip, target)
    assert result.query_matched_pct == 100.0
    assert result.target_matched_pct == pytest.approx(100 * 4 / (2 * SECONDS), abs=0.01)
    assert [(q, t) for q, t, _d in result.pairs] == [(t, t) for t, _b, _q in target.frames[4:8]]


def test_it_does_not_match_an_unrelated_clip(tmp_path: Path, original: tuple[Path, VideoFingerprint]) -> None:
    _path, target = original
    other = write_video(tmp_path / "other.mp4", seconds=SECONDS, width=W, height=H, seed=7)
    result = match_videos(fingerprint_video(other), target)
    assert result.query_matched_pct == 0.0 and result.target_matched_pct == 0.0
    assert result.pairs == []
    assert not result.is_match()


def test_it_ignores_low_quality_frames() -> None:
    flat = (0.0, b"\x00" * 32, 10)
    fp = VideoFingerprint(frames=[flat], duration=1.0, mirrored=[b"\x00" * 32])
    result = match_videos(fp, fp)
    assert (result.query_matched_pct, result.target_matched_pct) == (0.0, 0.0)
    assert match_videos(fp, fp, quality_min=0).target_matched_pct == 100.0


def test_strip_borders_finds_letterbox_and_pillarbox_but_not_a_dark_scene() -> None:
    rng = np.random.default_rng(0)
    content = rng.integers(60, 200, size=(100, 160), dtype=np.uint8)
    framed = np.zeros((140, 220), dtype=np.uint8)
    framed[20:120, 30:190] = content
    assert np.array_equal(strip_borders(framed), content)
    dark = rng.integers(0, 20, size=(100, 160), dtype=np.uint8)
    assert strip_borders(dark).shape == dark.shape


def test_the_sandboxed_fingerprint_equals_the_direct_one(original: tuple[Path, VideoFingerprint]) -> None:
    path, fp = original
    assert fingerprint_video_sandboxed(path) == fp


def test_the_sandboxed_fingerprint_fails_with_codes(
    tmp_path: Path, original: tuple[Path, VideoFingerprint]
) -> None:
    path, _fp = original
    with pytest.raises(MediaError) as info:
        fingerprint_video_sandboxed(path, timeout_s=0.05)
    assert info.value.code == "timeout"
    with pytest.raises(MediaError) as info:
        fingerprint_video_sandboxed(path, max_pixels=1000)
    assert info.value.code == "decompression_bomb"
    junk = tmp_path / "junk.mp4"
    junk.write_text("hello " * 100)
    with pytest.raises(MediaError) as info:
        fingerprint_video_sandboxed(junk)
    assert info.value.code == "corrupt"


def test_aligned_segments_report_which_seconds_of_a_re_cut_match() -> None:
    from amparo.media.video import aligned_segments

    # query seconds 0..5 are target seconds 12..17; two stray frames elsewhere must not form a segment
    pairs = [(float(q), float(q + 12), 10) for q in range(6)] + [(20.0, 3.0, 30), (30.0, 40.0, 30)]
    segments = aligned_segments(pairs)
    assert [(s.query_start, s.query_end, s.target_start, s.target_end) for s in segments] == [
        (0.0, 5.0, 12.0, 17.0)
    ]
    assert aligned_segments(pairs[:2]) == []


def test_aligned_segments_follow_a_speed_change() -> None:
    from amparo.media.video import aligned_segments

    pairs = [(float(q), round(q * 1.1 + 4, 1), 10) for q in range(8)]
    (segment,) = aligned_segments(pairs)
    assert (segment.query_start, segment.query_end) == (0.0, 7.0)
    assert segment.target_end == pytest.approx(11.7)


def test_a_clip_cut_from_the_middle_aligns_to_its_seconds(original: tuple[Path, VideoFingerprint]) -> None:
    from amparo.media.video import aligned_segments, match_videos

    path, full = original
    clip = fingerprint_video(path)  # same frames: every query second aligns with itself
    (segment,) = aligned_segments(match_videos(clip, full).pairs)
    assert segment.target_start - segment.query_start == pytest.approx(0.0, abs=1.0)
    assert segment.seconds >= 2.0


def test_hashing_beside_the_decoder_gives_the_fingerprint_of_one_thread(
    original: tuple[Path, VideoFingerprint],
) -> None:
    path, fp = original
    assert fingerprint_video(path, threads=False).to_dict() == fp.to_dict()


def test_an_error_while_hashing_beside_the_decoder_is_raised(
    original: tuple[Path, VideoFingerprint], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: video._Sampler, when: float, gray: np.ndarray) -> None:
        if when >= 2.0:
            raise RuntimeError("hashing failed")

    monkeypatch.setattr(video._Sampler, "add", broken)
    with pytest.raises(RuntimeError, match="hashing failed"):
        fingerprint_video(original[0])
