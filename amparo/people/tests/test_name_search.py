"""Caseworkers find a person by name the way families call in (issue 13, review item 13), through a keyed blind
index of normalised name tokens: no name is stored readably, and every look-up is audited like any other."""

from __future__ import annotations

import pytest
from django.conf import settings

from amparo.audit.models import AuditEvent
from amparo.people import actions, names
from amparo.people.models import Person, PersonNameToken
from amparo.people.tests.factories import PLANTED_NAME, make_person
from amparo.testing import Personas, signed_in_client


def test_it_normalises_accents_case_order_and_particles() -> None:
    assert names.tokens("Xóchitl Quetzalli RAMÍREZ-Ozuna") == ["xochitl", "quetzalli", "ramirez", "ozuna"]
    assert names.tokens("María de los Ángeles Núñez y Peña") == ["maria", "angeles", "nunez", "pena"]
    assert names.tokens("  ") == [] and names.tokens("A. 123") == []
    assert names.token_index("n1", "ozuna") != names.token_index("n2", "ozuna")  # per network: not joinable


@pytest.mark.django_db
def test_h13_a_caseworker_finds_a_person_by_name_in_any_order(personas: Personas) -> None:
    person = make_person(personas)
    client = signed_in_client(personas["carla"])
    response = client.post("/people/", {"q": "ozuna RAMIREZ xochitl"})
    assert response.status_code == 302 and response["Location"] == f"/people/{person.case_code}/"
    event = AuditEvent.objects.filter(action="person.searched").latest("id")
    assert event.detail == {"by": "name", "results": 1}
    assert "ozuna" not in str(event.detail).lower()


@pytest.mark.django_db
def test_the_tokens_are_keyed_digests_not_words(personas: Personas) -> None:
    person = make_person(personas)
    stored = set(PersonNameToken.objects.filter(person=person).values_list("token", flat=True))
    assert len(stored) == len(names.tokens(PLANTED_NAME)) == 4
    words = set(names.tokens(PLANTED_NAME))
    assert not stored & words and all(len(t) == names.TOKEN_HEX for t in stored)
    assert stored == names.indexes(str(personas.north.code), PLANTED_NAME)


@pytest.mark.django_db
def test_several_matches_are_listed_and_a_miss_says_so(personas: Personas) -> None:
    make_person(personas)
    make_person(personas, name="Rosa Ramírez Ozuna", a_number="A 12-345-6789")
    client = signed_in_client(personas["carla"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post("/people/", {"q": "Ramirez Ozuna"}, follow=True).content.decode()
    assert page.count('href="/people/P-') >= 2 and "2 people have these names" in page
    miss = client.post("/people/", {"q": "Nadie Conocido"}, follow=True).content.decode()
    assert "No one with that case code, A-number or name." in miss
    assert AuditEvent.objects.filter(action="person.searched", detail__results=0).exists()


@pytest.mark.django_db
def test_another_network_finds_no_one(personas: Personas) -> None:
    make_person(personas)
    client = signed_in_client(personas["bob"])
    response = client.post("/people/", {"q": "Xochitl Ramirez"}, follow=True)
    assert "/people/P-" not in response.content.decode().split("<main", 1)[-1]
    event = AuditEvent.objects.filter(action="person.searched").latest("id")
    assert event.network_id == personas.south.pk and event.detail == {"by": "name", "results": 0}


@pytest.mark.django_db
def test_an_edit_replaces_the_tokens(personas: Personas) -> None:
    person = make_person(personas)
    actions.do_update_person(
        personas.user("carla"), person, actions.Identity(legal_name="Juana Pérez", a_number="A 98-765-4321")
    )
    people = Person.objects.filter(network=personas.north)
    assert actions.find_by_name(people, personas.north, "perez juana") == [person]
    assert actions.find_by_name(people, personas.north, "xochitl") == []


@pytest.mark.django_db
def test_an_automatic_task_reads_in_the_readers_language(personas: Personas) -> None:
    from django.utils import translation

    person = make_person(personas)
    with translation.override("es"):  # made while a Spanish-speaking caseworker works
        actions.do_record_locator_check(
            personas.user("carla"), person, mode="odls_a_number", result="not_found"
        )
    client = signed_in_client(personas["carla"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = client.get("/casework/tasks/").content.decode()
    assert f"Erneut prüfen, wo {person.case_code} festgehalten wird" in page
    assert "Revisar de nuevo" not in page and "odls_a_number" not in page and "not_found" not in page
