"""Records of Red Norte for the URL sweeps (tests/test_urls.py) and the tests of this part."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from amparo.people import actions
from amparo.people.facilities import Facility
from amparo.people.models import Person, Task
from amparo.testing import Personas

PLANTED_NAME = "Xochitl Quetzalli Ramírez-Ozuna"
PLANTED_A_NUMBER = "A 98-765-4321"
PLANTED_A_NORMALISED = "987654321"
PLANTED_PHONE = "+1 (773) 555-0199"
PLANTED_CONTACT = "Itzamná Cuauhtli Ozuna"


def make_person(
    personas: Personas, *, name: str = PLANTED_NAME, a_number: str = PLANTED_A_NUMBER, hours_ago: int = 0
) -> Person:
    person = actions.do_create_person(
        personas.user("carla"),
        personas.north,
        actions.Identity(legal_name=name, a_number=a_number, notes="Detenido frente a su casa"),
        country_of_birth="MX",
        languages="es",
        taken_at=timezone.now() - timedelta(hours=hours_ago),
    )
    return person


def make_task(personas: Personas) -> Task:
    person = Person.objects.filter(network=personas.north).first() or make_person(personas)
    return actions.do_add_task(personas.user("carla"), personas.north, title="Call facility", person=person)


def make_own_facility(personas: Personas) -> Facility:
    return Facility.objects.create(
        network=personas.north, name="Hold room", import_key=f"test|{timezone.now().timestamp()}"
    )


def _person_url(name: str) -> Callable[[Personas], str]:
    return lambda p: reverse(name, args=[make_person(p).case_code])


OBJECT_URLS: dict[str, Callable[[Personas], str]] = {
    name: _person_url(name)
    for name in (
        "people:detail",
        "people:edit",
        "people:delete",
        "people:custody_add",
        "people:locator_add",
        "people:contact_add",
        "people:consent_add",
        "people:incident_link",
        "people:task_add",
        "people:export",
    )
}
OBJECT_URLS.update(
    {
        "people:task_done": lambda p: reverse("people:task_done", args=[make_task(p).code]),
        "people:facility": lambda p: reverse("people:facility", args=[make_own_facility(p).code]),
        "people:facility_edit": lambda p: reverse("people:facility_edit", args=[make_own_facility(p).code]),
    }
)
