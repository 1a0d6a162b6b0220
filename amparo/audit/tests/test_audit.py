from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from amparo.audit.actions import record
from amparo.audit.models import AuditEvent
from amparo.lib.appendonly import locked
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def test_audit_events_cannot_be_changed_or_deleted_even_with_raw_queries(personas: Personas) -> None:
    event = record(personas.user("alice"), personas.north, "test.event", personas["vera"], field="role")
    with locked(), pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with locked(), pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(ValueError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_coordinators_read_their_networks_audit_log_only(personas: Personas, client_as: Any) -> None:
    record(personas.user("alice"), personas.north, "north.secret_action")
    record(personas.user("bob"), personas.south, "south.secret_action")
    page = client_as("alice").get(reverse("audit:events")).content.decode()
    assert "north.secret_action" in page and "south.secret_action" not in page
    filtered = client_as("alice").get(reverse("audit:events"), {"action": "north"}).content.decode()
    assert "north.secret_action" in filtered
    for name in ("vera", "carla", "rita", "lena", "omar"):
        assert client_as(name).get(reverse("audit:events")).status_code == 403, name
