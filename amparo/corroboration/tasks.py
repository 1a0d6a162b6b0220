"""Background work: the zoomed crops of a stored video, and the footage index brought in step ahead of a search
(searches also do that themselves)."""

from __future__ import annotations

from typing import Any

from django_tasks import TaskResultStatus, task

from amparo.corroboration import footage
from amparo.outage import patiently

FINGERPRINT_TASK = "amparo.evidence.tasks.compute_fingerprints"


@task()
def refresh_footage_index() -> list[int]:
    """Add new fingerprint rows and zoomed crops to the persisted indexes (or rebuild them if rows were removed);
    returns the fingerprint index's stamp."""
    return list(footage.refresh())


@task()
def store_zoomed_crops(item_id: int) -> int:
    """Compute and store an evidence video's zoomed crops (see ``ZoomedCrops``); returns how many."""
    return patiently(lambda: _store(item_id))


def _store(item_id: int) -> int:
    from amparo.evidence.models import EvidenceItem

    item = EvidenceItem.objects.filter(pk=item_id).first()
    crops = footage.store_crops(item) if item is not None else None
    return crops.count if crops is not None else 0


def after_fingerprints(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """``task_finished``: once the evidence app has stored a video's fingerprint rows, store its zoomed crops
    too (in a job of their own: the original is decoded again, in the media sandbox)."""
    if task_result.task.module_path != FINGERPRINT_TASK or task_result.status != TaskResultStatus.SUCCESSFUL:
        return
    if task_result.args:
        store_zoomed_crops.enqueue(int(task_result.args[0]))
