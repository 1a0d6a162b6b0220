"""Background work of redaction (django-tasks): the detector's proposal and the approved copy, both of which decode
untrusted media in the media sandbox (``amparo.media.redact``)."""

from __future__ import annotations

import logging

from django_tasks import task

from amparo.redaction import actions
from amparo.redaction.models import Redaction, State

logger = logging.getLogger("amparo.redaction")


@task()
def propose_regions(redaction_id: int) -> str:
    """Run the detector on the original; returns the redaction's state afterwards."""
    redaction = Redaction.objects.select_related("original", "network").filter(pk=redaction_id).first()
    if redaction is None or redaction.state != State.PROPOSING:
        return ""
    return str(actions.run_proposal(redaction).state)


@task()
def render_copy(redaction_id: int) -> str:
    """Render, sign and store the approved copy; returns its SHA-256, or "" when there is none."""
    redaction = Redaction.objects.filter(pk=redaction_id).first()
    if redaction is None:
        return ""
    done = actions.run_render(redaction)
    return done.copy_item.sha256 if done.copy_item is not None else ""
