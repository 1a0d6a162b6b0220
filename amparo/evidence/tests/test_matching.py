"""Same-footage suggestions from the fingerprints filled at ingest."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image

from amparo.corroboration.footage import match_file
from amparo.evidence import vault
from amparo.evidence.tasks import fingerprint_item
from amparo.evidence.tests.media import jpeg_with_gps, short_video
from amparo.testing import Personas


def test_a_rotated_copy_of_a_photo_and_a_cut_of_a_video_are_suggested(
    personas: Personas, tmp_path: Path, capsys: object
) -> None:
    photo = vault.ingest(io.BytesIO(jpeg_with_gps(seed=31, size=(480, 360))), network=personas.north)
    short_video(tmp_path / "long.mp4", seconds=4.0, seed=8)
    video = vault.ingest_path(tmp_path / "long.mp4", network=personas.north)
    other = vault.ingest(io.BytesIO(jpeg_with_gps(seed=99, size=(480, 360))), network=personas.south)
    for item in (photo, video, other):
        assert fingerprint_item(item) > 0

    rotated = tmp_path / "rotated.png"
    with Image.open(io.BytesIO(jpeg_with_gps(seed=31, size=(480, 360)))) as img:
        img.rotate(90, expand=True).resize((300, 400)).save(rotated)
    found = match_file(rotated, personas.north)
    assert [f["id"] for f in found] == [str(photo.code)] and found[0]["distance"] <= 31

    short_video(tmp_path / "cut.mp4", seconds=2.0, seed=8)  # the first half of the same footage
    found = match_file(tmp_path / "cut.mp4", personas.north)
    assert found and found[0]["id"] == str(video.code) and found[0]["query_matched_pct"] == 100.0
    assert match_file(tmp_path / "cut.mp4", personas.south) == []  # never across networks

    from amparo.cli import main

    assert main(["evidence", "match", str(rotated), "--network", "Red Norte"]) == 0
    printed = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert printed["matches"][0]["id"] == str(photo.code)


def test_fingerprinting_runs_in_a_sandbox_that_contains_a_bomb(tmp_path: Path) -> None:
    import pytest

    from amparo.evidence import sandbox
    from amparo.evidence.tests.test_bad_input import png_bomb

    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_bomb())
    with pytest.raises(sandbox.FingerprintFailed):
        sandbox.fingerprint(bomb, "image")
    good = tmp_path / "good.jpg"
    good.write_bytes(jpeg_with_gps(seed=2))
    [(second, bits, quality)] = sandbox.fingerprint(good, "image")
    assert second is None and len(bits) == 32 and 0 <= quality <= 100
