"""Background work for intake (Django's task interface; the worker runs it)."""

from __future__ import annotations

from django_tasks import task

from amparo.intake.purge import purge_all


@task()
def purge_expired() -> dict[str, int]:
    """Delete expired contacts and callback numbers, abandoned uploads and old rate-limit salts."""
    return purge_all()
