"""Background work: bring the footage index in step after new fingerprints (searches also do it themselves)."""

from __future__ import annotations

from django_tasks import task

from amparo.corroboration import footage


@task()
def refresh_footage_index() -> list[int]:
    """Add new fingerprint rows to the persisted index (or rebuild it if rows were removed); returns its stamp."""
    return list(footage.refresh())
