"""Deleting an original (a withdrawn consent, a court order) deletes its redacted copies too."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amparo.evidence import deletion, store
from amparo.evidence.models import CustodyEvent, EvidenceItem
from amparo.public import anonymise
from amparo.redaction.models import PublicClip
from amparo.redaction.tests.helpers import face_jpeg, ingest, make_desk
from amparo.redaction.tests.test_flow import _approved
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def test_deleting_an_original_deletes_its_redacted_copy_and_takes_it_off_the_public_page(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    desk = make_desk(personas)
    item = ingest(desk, face_jpeg())
    redaction = _approved(desk, item, django_capture_on_commit_callbacks)
    copy = redaction.copy_item
    assert copy is not None and store.exists(copy.sha256)
    anonymise.rebuild()
    assert PublicClip.objects.filter(sha256=copy.sha256).exists()

    done = deletion.delete_original(
        item, reason=next(iter(deletion.REASONS)), authority="witness", actor=desk.alice.user
    )

    assert done.copies_removed >= 1
    copy = EvidenceItem.objects.get(pk=copy.pk)
    assert copy.deleted_at is not None
    assert not store.exists(copy.sha256)
    assert CustodyEvent.objects.filter(item=copy, action="deleted").exists()
    assert Client().get(f"/public/clips/{copy.sha256}.jpg").status_code == 404
    anonymise.rebuild()
    assert not PublicClip.objects.filter(sha256=copy.sha256).exists()
