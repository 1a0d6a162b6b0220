"""Lists cost a constant number of queries, however many people are on them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amparo.legal import actions as legal_actions
from amparo.legal.tests.factories import make_provider
from amparo.people import actions
from amparo.people.facilities import Facility
from amparo.people.tests.factories import make_person
from amparo.testing import Personas

pytestmark = pytest.mark.django_db
PAGES = ["people:list", "people:followup", "people:tasks", "legal:referrals", "people:facilities"]


def add_people(personas: Personas, n: int) -> None:
    provider = make_provider(personas, f"Provider {n}")
    facility = Facility.objects.filter(network=None)[0]
    for i in range(n):
        person = make_person(personas, name=f"Persona {n}-{i}", a_number=f"{n:03d}{i:06d}", hours_ago=80)
        actions.do_record_custody(
            personas.user("carla"),
            person,
            custodian="ice",
            status="in_transit",
            source="family",
            facility=facility,
        )
        actions.do_record_locator_check(
            personas.user("carla"), person, mode="eoir_acis", result="not_found", owner=personas["carla"]
        )
        legal_actions.do_refer(personas.user("carla"), person, provider)


def count(client: Any, name: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name)).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_use_a_constant_number_of_queries(personas: Personas, client_as: Any) -> None:
    client = client_as("carla")
    add_people(personas, 2)
    few = {name: count(client, name) for name in PAGES}
    add_people(personas, 10)
    many = {name: count(client, name) for name in PAGES}
    assert many == few
