"""Copies that circulate after an incident and need more than the whole picture: an inset, a filmed screen, a crop
that zooms in off centre. Clips are rendered with PyAV and Pillow by the footage evaluation's generator (a place
with people and cars, filmed by a hand-held camera), shorter than the evaluation's."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pdqhash
import pytest
from PIL import Image

from amparo.media import pdq, video
from amparo.media.evaluation import footage
from amparo.media.video import VideoFingerprint, fingerprint_video, match_videos

# The first tuning scene of the evaluation set (amparo/media/evaluation/footage.jsonl), shorter: 14 s of source.
SOURCE = {
    "type": "clip",
    "id": "test-source",
    "kind": "source",
    "footage": "test-a",
    "world": 1000,
    "camera": 1001,
    "width": 640,
    "height": 360,
    "start": 0.0,
    "seconds": 14.0,
    "fps": 30,
    "bit_rate": 900_000,
    "speed": 1.0,
    "seed": 9102,
}
START = 4.0  # the copies show seconds 4-12 of the source
PIP = {"scale": 0.62, "x": 0.4, "y": 0.46, "seed": 407715687}


def copy(kind: str, **extra: Any) -> dict[str, Any]:
    return {**SOURCE, "id": f"test-{kind}", "kind": kind, "start": START, "seconds": 8.0, **extra}


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, VideoFingerprint]:
    folder = tmp_path_factory.mktemp("copies")
    recipes = [
        SOURCE,
        copy("pip", **PIP),
        copy("screen", scale=0.56, skew=0.046, gamma=0.97, fps=24, seed=1241460975),
        copy("crop", crop="zoom", share=0.84, seed=37609330),
        {
            **SOURCE,
            "id": "test-sameplace",
            "footage": "test-b",
            "camera": 1011,
            "seconds": 8.0,
            "tint": [0.9, 1, 1.1],
        },
    ]
    out = {}
    for recipe in recipes:
        path = footage.write_clip(recipe, folder / f"{recipe['id']}.mp4")
        out[recipe["id"]] = fingerprint_video(path)
    return out


def assert_lined_up(fp: VideoFingerprint, source: VideoFingerprint) -> None:
    result = match_videos(fp, source)
    assert result.same_footage
    (segment, *_rest) = result.segments
    # which seconds match which: the copy's second s is the source's second START + s
    assert segment.target_start - segment.query_start == pytest.approx(START, abs=0.6)
    assert segment.seconds >= 3.0


@pytest.mark.slow
def test_a_picture_in_picture_inset_is_matched_with_its_source_and_its_seconds(
    clips: dict[str, VideoFingerprint],
) -> None:
    assert_lined_up(clips["test-pip"], clips["test-source"])


def test_a_copy_filmed_off_a_phone_screen_is_matched_with_its_source(
    clips: dict[str, VideoFingerprint],
) -> None:
    assert_lined_up(clips["test-screen"], clips["test-source"])


def test_a_crop_zoomed_in_off_centre_is_matched_with_its_source(clips: dict[str, VideoFingerprint]) -> None:
    crop, source = clips["test-crop"], clips["test-source"]
    assert_lined_up(crop, source)
    assert match_videos(source, crop).same_footage  # either way round
    # it is the zoomed crops that find it: without them the centre crop alone does not
    bare = [dataclasses.replace(fp, zoomed=[]) for fp in (crop, source)]
    assert not match_videos(*bare).same_footage


def test_the_same_place_at_another_time_matches_none_of_them(clips: dict[str, VideoFingerprint]) -> None:
    other = clips["test-sameplace"]
    for cid, fp in clips.items():
        if cid != "test-sameplace":
            assert not match_videos(other, fp).same_footage, cid
            assert not match_videos(fp, other).same_footage, cid


def test_the_moving_part_is_found_as_the_inset_box() -> None:
    """The inset's box over a still studio, found from what moves and snapped to the inset's frame."""
    recipe = copy("pip", **PIP)
    grays = []
    for k, frame in enumerate(footage.frames({**recipe, "seconds": 6.0})):
        if k % 15 == 0:
            grays.append(np.asarray(Image.fromarray(frame).convert("L").resize((256, 144))))
    quad = video.content_quad(grays)
    assert quad is not None
    inner_h = footage._even(360 * PIP["scale"])  # as the generator places the inset
    inner_w = footage._even(inner_h * 640 / 360)
    x0, y0 = int(640 * PIP["x"] - inner_w / 2), int(360 * PIP["y"] - inner_h / 2)
    expected = (
        np.array([(x0, y0), (x0, y0 + inner_h), (x0 + inner_w, y0 + inner_h), (x0 + inner_w, y0)]) * 0.4
    )
    assert np.abs(np.array(quad) - expected).max() <= 1.5


def test_zoomed_crops_are_hashed_as_pdqhash_hashes_them() -> None:
    rng = np.random.default_rng(5)
    small = rng.integers(0, 255, (24, 40)).astype(np.uint8)
    pictures = np.stack([np.asarray(Image.fromarray(small).resize((64, 64), Image.Resampling.BICUBIC))] * 2)
    pictures[1] = pictures[1][::-1]
    for picture, bits in zip(pictures, video._pdq64(pictures.astype(np.float32)), strict=True):
        vector, _quality = pdqhash.compute(np.repeat(picture[:, :, None], 3, axis=2))
        assert bits == np.packbits(vector.astype(np.uint8)).tobytes()
    # and crops of 81-89 % off centre are each within the match distance of one of the ladder's, not of the centre
    core = np.asarray(Image.fromarray(small).resize((256, 144), Image.Resampling.BICUBIC))
    ladder = video._zoomed(core)
    assert len(ladder) == len(video.ZOOM_SHARES) * len(video.ZOOM_SHIFTS) ** 2
    centre = video._hash(video._regions(core)[0])[0]
    for share, dx, dy in [(0.88, 0.01, -0.02), (0.86, 0.02, 0.02), (0.83, -0.01, 0.01)]:
        box = (
            (1 - share) / 2 * 256 + dx * 256,
            (1 - share) / 2 * 144 + dy * 144,
            (1 + share) / 2 * 256 + dx * 256,
            (1 + share) / 2 * 144 + dy * 144,
        )
        cropped = np.asarray(Image.fromarray(core).resize((256, 144), Image.Resampling.BILINEAR, box=box))
        bits = video._hash(cropped)[0]
        assert min(pdq.hamming(bits, z) for z in ladder) <= pdq.MATCH_DISTANCE, (share, dx, dy)
        assert pdq.hamming(bits, centre) > pdq.MATCH_DISTANCE
