"""The verification level is derived from the append-only log; only verifiers and coordinators add to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.incidents import actions, levels
from amparo.incidents.codes import Level, Method
from amparo.incidents.models import Incident, VerificationEvent
from amparo.incidents.tests.factories import make_incident
from amparo.lib.appendonly import locked
from amparo.testing import Personas


@dataclass
class E:
    to_level: str


@pytest.mark.parametrize(
    "steps,expected",
    [
        ([], Level.REPORTED),
        ([Level.PENDING], Level.PENDING),
        ([Level.PENDING, Level.CONFIRMED], Level.CONFIRMED),
        ([Level.PENDING, Level.FALSE_ALARM], Level.FALSE_ALARM),
        ([Level.CORROBORATED, Level.CONFIRMED, Level.DISPUTED], Level.DISPUTED),
        ([Level.CONFIRMED, Level.RETRACTED, Level.CONFIRMED_AFTER_FACT], Level.CONFIRMED_AFTER_FACT),
    ],
)
def test_it_derives_the_level_from_the_latest_event(steps: list[str], expected: str) -> None:
    assert levels.derive_level([E(s) for s in steps]) == expected


def test_only_methods_that_can_support_a_level_reach_it() -> None:
    assert levels.method_supports(Method.ON_SCENE, Level.CONFIRMED)
    assert not levels.method_supports(Method.INDEPENDENT_REPORTS, Level.CONFIRMED)
    assert levels.method_supports(Method.INDEPENDENT_REPORTS, Level.CORROBORATED)
    assert not levels.method_supports(Method.NEWS, Level.CONFIRMED_AFTER_FACT)
    assert levels.method_supports(Method.NEWS, Level.FALSE_ALARM)  # negative findings need no special method


@pytest.mark.django_db
def test_actions_append_events_and_the_stored_level_follows_the_log(personas: Personas) -> None:
    incident = make_incident(personas.north)
    vera, alice = personas["vera"], personas["alice"]
    actions.do_add_verification_event(
        incident, vera, to_level=Level.PENDING, method=Method.ON_SCENE, rationale="On my way."
    )
    actions.do_add_verification_event(
        incident,
        vera,
        to_level=Level.CONFIRMED,
        method=Method.ON_SCENE,
        rationale="Saw ICE vests, two arrests.",
    )
    actions.do_add_verification_event(
        incident,
        alice,
        to_level=Level.DISPUTED,
        method=Method.OFFICIAL,
        rationale="DHS denies any operation.",
    )
    incident.refresh_from_db()
    assert incident.verification_level == Level.DISPUTED
    log = list(VerificationEvent.objects.filter(incident=incident).order_by("at", "id"))
    assert [(e.from_level, e.to_level) for e in log] == [
        (Level.REPORTED, Level.PENDING),
        (Level.PENDING, Level.CONFIRMED),
        (Level.CONFIRMED, Level.DISPUTED),
    ]
    assert levels.derive_level(log) == incident.verification_level
    assert AuditEvent.objects.filter(action="incident.verify", object_code=str(incident.code)).count() == 3


@pytest.mark.django_db
def test_the_log_cannot_be_changed_or_deleted_even_with_raw_queries(personas: Personas) -> None:
    incident = make_incident(personas.north)
    event = actions.do_add_verification_event(
        incident, personas["vera"], to_level=Level.CONFIRMED, method=Method.ON_SCENE, rationale="Seen."
    )
    with locked(), pytest.raises(DatabaseError), transaction.atomic():
        VerificationEvent.objects.filter(pk=event.pk).update(to_level=Level.FALSE_ALARM)
    with locked(), pytest.raises(DatabaseError), transaction.atomic():
        VerificationEvent.objects.filter(pk=event.pk).delete()
    assert VerificationEvent.objects.get(pk=event.pk).to_level == Level.CONFIRMED


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["omar", "carla", "lena", "rita"])
def test_other_roles_cannot_add_events(personas: Personas, who: str) -> None:
    incident = make_incident(personas.north)
    with pytest.raises(actions.ActionError):
        actions.do_add_verification_event(
            incident, personas[who], to_level=Level.CONFIRMED, method=Method.ON_SCENE, rationale="x"
        )
    assert not VerificationEvent.objects.filter(incident=incident).exists()


@pytest.mark.django_db
def test_a_coordinator_of_another_network_cannot_add_events(personas: Personas) -> None:
    incident = make_incident(personas.north)
    with pytest.raises(actions.ActionError):
        actions.do_add_verification_event(
            incident, personas["bob"], to_level=Level.CONFIRMED, method=Method.ON_SCENE, rationale="x"
        )


@pytest.mark.django_db
def test_the_form_refuses_a_method_that_cannot_support_the_level(personas: Personas, client_as: Any) -> None:
    incident = make_incident(personas.north)
    url = reverse("incidents:incident_verify", args=[incident.code])
    response = client_as("vera").post(
        url,
        {"to_level": "confirmed", "method": "independent_reports", "rationale": "Two calls."},
        follow=True,
    )
    assert response.status_code == 200
    assert Incident.objects.get(pk=incident.pk).verification_level == Level.REPORTED
    assert not VerificationEvent.objects.filter(incident=incident).exists()
    client_as("vera").post(
        url, {"to_level": "corroborated", "method": "independent_reports", "rationale": "Two calls."}
    )
    assert Incident.objects.get(pk=incident.pk).verification_level == Level.CORROBORATED
