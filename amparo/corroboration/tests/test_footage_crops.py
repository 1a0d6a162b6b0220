"""A copy cropped out of a stored video, filed after it: found from the crop's side too, through the original's
stored zoomed crops, and never another network's footage. Clips rendered by the footage evaluation's generator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from amparo.corroboration import footage
from amparo.corroboration.models import ZoomedCrops
from amparo.evidence import deletion
from amparo.media.evaluation import footage as generated
from amparo.media.tests import test_video_copies
from amparo.testing import Personas

# As in amparo/media/tests/test_video_copies.py: 14 s of the first tuning scene, and seconds 4-12 of it zoomed in
# to 84 % off centre (found there with the zoomed crops, not without them).
SOURCE: dict[str, Any] = test_video_copies.SOURCE
CROP: dict[str, Any] = {**SOURCE, "id": "test-crop", "kind": "crop", "start": 4.0, "seconds": 8.0}
CROP.update(crop="zoom", share=0.84, seed=37609330)


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("crops")
    return {r["id"]: generated.write_clip(r, folder / f"{r['id']}.mp4") for r in (SOURCE, CROP)}


def codes(found: list[dict[str, Any]]) -> list[str]:
    return [f["id"] for f in found]


@pytest.mark.slow
@pytest.mark.django_db
def test_a_crop_filed_after_its_original_is_found_through_the_stored_crops_until_the_original_is_deleted(
    personas: Personas, clips: dict[str, Path], ingest: Any
) -> None:
    """One filing (three fingerprinted clips and their crops are most of this test's time), then in turn: found
    from the crop's side, not found without the stored crops, found again once they are stored, left out and
    purged once the original is deleted."""
    from amparo.corroboration import maintenance

    # the original filed first, then the crop; the original also in another network, the crop only there
    source = ingest(clips["test-source"], network=personas.north)
    crop = ingest(clips["test-crop"], network=personas.north)
    south = ingest(clips["test-source"], network=personas.south)

    # the fingerprint job's end enqueued the crops job (the immediate backend ran it)
    stored = ZoomedCrops.objects.get(item=source)
    assert stored.count > 20 * 27 and len(stored.rows()) == stored.count
    assert footage.current_crops().stamp == (3, ZoomedCrops.objects.latest("pk").pk)
    # from the crop's page (its query from its own original) and from its stored rows only (similar incidents)
    from_page = footage.match_item(crop)
    assert codes(from_page) == [str(source.code)]
    (segment, *_rest) = from_page[0]["segments"]
    assert segment["item_start"] - segment["query_start"] == pytest.approx(4.0, abs=0.6)
    rows_only = footage.stored_query(crop)
    assert rows_only is not None
    assert codes(footage.match_query(rows_only, personas.north, exclude=crop.pk)) == [str(source.code)]
    # and from the original's side, as before
    assert str(crop.code) in codes(footage.match_item(source))
    # another network's copy of the same original is never returned, nor the north items to the south
    assert str(south.code) not in codes(from_page)
    query = footage.item_query(crop)
    assert query is not None
    assert codes(footage.match_query(query, personas.south)) == [str(south.code)]  # its own copy only

    # without the stored crops (what the app stored before) the index rebuilds without them and misses it
    ZoomedCrops.objects.all().delete()
    assert footage.current_crops().stamp == (0, 0)
    assert str(source.code) not in codes(footage.match_item(crop))
    # the hourly sweep would enqueue them again once overdue; stored again, it is found again
    assert footage.store_crops(source) is not None
    assert codes(footage.match_item(crop)) == [str(source.code)]

    # a deleted original's crops are left out and purged
    deletion.delete_original(source, reason="court_order", authority="case 1", actor=personas.user("alice"))
    assert codes(footage.match_item(crop)) == []  # its fingerprint rows are gone and its crops left out
    assert not ZoomedCrops.objects.filter(item=source).exists()  # deleted with the original
    # a row left by a deletion made before crops went with it is purged by the hourly maintenance
    ZoomedCrops.objects.create(item=source, **ZoomedCrops.packed([(0.0, bytes(32), 80)]))
    assert codes(footage.match_item(crop)) == []  # left out at once
    assert maintenance.purge_deleted() == 1
    assert not ZoomedCrops.objects.filter(item=source).exists()
    source.refresh_from_db()
    assert footage.store_crops(source) is None  # never made again for a deleted original
