"""Background work of the public layer: the rebuild, queued after publishing changes or from the coordinator's button."""

from __future__ import annotations

from django_tasks import task

from amparo.public import anonymise


@task()
def rebuild_public_layer() -> int:
    """Rebuild the public layer from scratch; returns how many incidents are published."""
    return anonymise.rebuild().published
