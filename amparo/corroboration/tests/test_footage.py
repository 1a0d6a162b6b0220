"""Same footage with real media: an ingested clip, edited copies of it, and an unrelated clip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from amparo.corroboration import footage
from amparo.corroboration.tests import media
from amparo.evidence import vault
from amparo.evidence.models import Fingerprint
from amparo.testing import Personas

EDITS = {
    "reencoded": {"bit_rate": 150_000},
    "resized": {"edit": media.resized(0.6)},
    "greyscaled": {"edit": media.greyscale},
    "mirrored": {"edit": media.mirrored},
    "letterboxed": {"edit": media.letterboxed},
}


@pytest.fixture
def original(personas: Personas, tmp_path: Path, ingest: Any) -> vault.EvidenceItem:
    path = media.clip(tmp_path / "original.mp4", seed=7)
    item = ingest(path, network=personas.north)
    assert item.fingerprints.count() >= 5  # the immediate task backend fingerprinted it
    return item


@pytest.mark.django_db
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edited_copy_matches_its_original(original: vault.EvidenceItem, tmp_path: Path, edit: str) -> None:
    copy = media.clip(tmp_path / f"{edit}.mp4", seed=7, **EDITS[edit])  # type: ignore[arg-type]  # the edit's options
    found = footage.match_file(copy, original.network)
    assert [f["id"] for f in found] == [str(original.code)]
    best = found[0]
    assert best["query_matched_pct"] >= 80 and best["target_matched_pct"] >= 80, best
    assert best["mirrored"] is (edit == "mirrored")
    assert best["pairs"] and all(0 <= p["distance"] <= 31 for p in best["pairs"])
    assert all(abs(p["query_second"] - p["item_second"]) <= 1.0 for p in best["pairs"])


@pytest.mark.django_db
def test_an_unrelated_clip_does_not_match(original: vault.EvidenceItem, tmp_path: Path) -> None:
    other = media.clip(tmp_path / "other.mp4", seed=99)
    assert footage.match_file(other, original.network) == []


@pytest.mark.django_db
def test_another_networks_footage_is_not_found(
    original: vault.EvidenceItem, personas: Personas, tmp_path: Path
) -> None:
    copy = media.clip(tmp_path / "copy.mp4", seed=7, bit_rate=200_000)
    assert footage.match_file(copy, personas.south) == []


@pytest.mark.django_db
def test_the_index_is_persisted_updated_incrementally_and_rebuilt_when_stale(
    original: vault.EvidenceItem, personas: Personas, tmp_path: Path, ingest: Any
) -> None:
    first = footage.current_index()
    path = footage.index_dir() / footage.INDEX_FILE
    assert path.exists() and first.stamp == footage.database_stamp()
    ids_before = set(first.ids.tolist())
    second = ingest(media.clip(tmp_path / "second.mp4", seed=8), network=personas.north)
    updated = footage.current_index()
    assert updated is first  # extended in place, not rebuilt
    new_ids = set(second.fingerprints.values_list("pk", flat=True))
    assert set(updated.ids.tolist()) == ids_before | new_ids
    with np.load(path) as data:
        assert set(data["ids"].tolist()) == ids_before | new_ids  # persisted
    Fingerprint.objects.filter(item=second).delete()
    rebuilt = footage.current_index()
    assert rebuilt is not first and set(rebuilt.ids.tolist()) == ids_before
    footage._state.clear()
    path.unlink()
    assert set(footage.current_index().ids.tolist()) == ids_before  # missing file: rebuilt


@pytest.mark.django_db
def test_a_photo_matches_a_still_of_itself(personas: Personas, tmp_path: Path, ingest: Any) -> None:
    item = ingest(media.still(tmp_path / "a.jpg", seed=3), network=personas.north)
    again = tmp_path / "b.png"
    from PIL import Image

    Image.open(tmp_path / "a.jpg").transpose(Image.Transpose.ROTATE_90).save(again)
    found = footage.match_file(again, personas.north)
    assert [f["id"] for f in found] == [str(item.code)]
    other = footage.match_file(media.still(tmp_path / "c.jpg", seed=4), personas.north)
    assert other == []
