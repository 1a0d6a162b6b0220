"""People: encryption at the field level, A-number look-up, deletion by key destruction, custody and locator checks."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.lib import crypto
from amparo.people import actions, vocab
from amparo.people.facilities import Facility
from amparo.people.models import Person, PersonKey, normalise_a_number
from amparo.people.tests.factories import PLANTED_A_NORMALISED, PLANTED_A_NUMBER, PLANTED_NAME, make_person
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def raw(value: bytes | memoryview | None) -> bytes:
    assert value is not None
    return bytes(value)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("A 12-345-678", "012345678"),
        ("a123456789", "123456789"),
        ("1234567", "001234567"),
        ("A# 098 765 432", "098765432"),
    ],
)
def test_it_normalises_a_numbers_to_nine_digits(raw: str, expected: str) -> None:
    assert normalise_a_number(raw) == expected


@pytest.mark.parametrize("raw", ["123456", "1234567890", "12x456789", ""])
def test_it_refuses_what_cannot_be_an_a_number(raw: str) -> None:
    with pytest.raises(ValueError):
        normalise_a_number(raw)


def test_it_stores_identity_only_as_ciphertext(personas: Personas) -> None:
    person = make_person(personas)
    row = Person.objects.get(pk=person.pk)
    assert PLANTED_NAME.encode() not in raw(row.legal_name_enc)
    assert PLANTED_A_NORMALISED.encode() not in raw(row.a_number_enc)
    assert row.identity()["legal_name"] == PLANTED_NAME
    assert row.identity()["a_number"] == PLANTED_A_NORMALISED
    assert row.case_code.startswith("P-") and PLANTED_NAME not in row.case_code


def test_it_finds_a_person_by_exact_a_number_only_in_their_network(personas: Personas) -> None:
    person = make_person(personas)
    assert actions.find_by_a_number(personas.north, "098765-4321".replace("0", "", 1)) == person
    assert actions.find_by_a_number(personas.north, PLANTED_A_NUMBER) == person
    assert actions.find_by_a_number(personas.north, "987654320") is None
    assert actions.find_by_a_number(personas.south, PLANTED_A_NUMBER) is None


def test_the_list_looks_up_an_a_number_without_putting_it_in_the_audit_log(
    personas: Personas, client_as: Any
) -> None:
    person = make_person(personas)
    assert (
        client_as("carla").get(reverse("people:list"), {"q": PLANTED_A_NUMBER}).status_code == 200
    )  # GET: no look-up
    response = client_as("carla").post(reverse("people:list"), {"q": PLANTED_A_NUMBER})
    assert response.status_code == 302 and response["Location"] == reverse(
        "people:detail", args=[person.case_code]
    )
    assert AuditEvent.objects.filter(action="person.searched").count() == 1
    for event in AuditEvent.objects.all():
        text = f"{event.object_code} {event.detail}"
        assert PLANTED_A_NORMALISED not in text and "98-765" not in text


def test_viewing_a_person_is_audited_without_personal_data(personas: Personas, client_as: Any) -> None:
    person = make_person(personas)
    page = client_as("carla").get(reverse("people:detail", args=[person.case_code]))
    assert page.status_code == 200 and PLANTED_NAME in page.content.decode()
    event = AuditEvent.objects.filter(action="person.viewed").get()
    assert event.object_code == person.case_code and event.actor == personas.user("carla")
    assert PLANTED_NAME not in str(event.detail)


def test_deleting_a_person_destroys_the_key_and_is_audited(personas: Personas, client_as: Any) -> None:
    person = make_person(personas)
    wrapped = bytes(person.key.wrapped)
    code = person.case_code
    client = client_as("alice")
    assert client.post(reverse("people:delete", args=[code]), {"confirm": "wrong"}).status_code == 400
    response = client.post(reverse("people:delete", args=[code]), {"confirm": code})
    assert response.status_code == 302
    assert not Person.objects.filter(case_code=code).exists()
    assert not PersonKey.objects.filter(wrapped=wrapped).exists()
    actions_done = list(AuditEvent.objects.filter(object_code=code).values_list("action", flat=True))
    assert "person.key_destroyed" in actions_done
    assert AuditEvent.objects.filter(action="person.deleted", detail__case_code=code).exists()


def test_a_surviving_ciphertext_is_unreadable_once_the_key_is_gone(personas: Personas) -> None:
    person = make_person(personas)
    blob = raw(person.legal_name_enc)
    PersonKey.objects.filter(person=person).delete()
    person = Person.objects.get(pk=person.pk)
    with pytest.raises(crypto.CryptoError):
        person.dek()
    with pytest.raises(crypto.CryptoError):  # a random key (the only thing left to try) does not open it
        crypto.decrypt(crypto.new_dek(), blob, person.aad("legal_name"))


def test_custody_timeline_moves_between_facilities_and_closes_on_release(personas: Personas) -> None:
    person = make_person(personas)
    user = personas.user("carla")
    first, second = Facility.objects.filter(network=None)[:2]
    actions.do_record_custody(
        user, person, custodian="ice", status="in_ice_detention", source="family", facility=first
    )
    actions.do_record_custody(
        user, person, custodian="ice", status="in_ice_detention", source="odls_check", facility=second
    )
    episode = person.episodes.get()
    assert [p.facility for p in episode.placements.order_by("start", "id")] == [first, second]
    assert episode.placements.order_by("start", "id")[0].end is not None
    person.refresh_from_db()
    assert person.current_facility == second and person.custody_info_at is not None
    actions.do_record_custody(
        user, person, custodian="ice", status="released", source="attorney", release_reason="bond"
    )
    episode.refresh_from_db()
    person.refresh_from_db()
    assert episode.end is not None and episode.release_reason == "bond"
    assert person.custody_status == "released" and person.current_facility is None


def test_not_found_opens_a_follow_up_task_and_changes_no_status(personas: Personas) -> None:
    person = make_person(personas)
    before = person.custody_status
    actions.do_record_locator_check(
        personas.user("carla"),
        person,
        mode=vocab.LocatorMode.ODLS_A_NUMBER,
        result=vocab.LocatorResult.NOT_FOUND,
    )
    person.refresh_from_db()
    assert person.custody_status == before and person.custody_info_at is None
    task = person.tasks.get()
    assert task.kind == vocab.TaskKind.LOCATOR_FOLLOW_UP and task.due_at is not None
    assert person.case_code in task.title and PLANTED_NAME not in task.title


def test_found_in_custody_records_the_facility_returned(personas: Personas) -> None:
    person = make_person(personas)
    facility = Facility.objects.filter(network=None).first()
    actions.do_record_locator_check(
        personas.user("carla"),
        person,
        mode="odls_a_number",
        result="found_in_custody",
        facility_returned=facility,
    )
    person.refresh_from_db()
    assert person.custody_status == "in_ice_detention" and person.current_facility == facility
    assert not person.tasks.exists()


def test_contacts_are_encrypted_and_shown_to_the_caseworker(personas: Personas, client_as: Any) -> None:
    person = make_person(personas)
    client = client_as("carla")
    url = reverse("people:contact_add", args=[person.case_code])
    response = client.post(
        url, {"relationship": "hermana", "name": "Rosa Ozuna", "phone": "+1 555 0100", "safe_to_call": "on"}
    )
    assert response.status_code == 302
    contact = person.contacts.get()
    assert b"Rosa" not in raw(contact.name_enc) and b"0100" not in raw(contact.phone_enc)
    page = client.get(reverse("people:detail", args=[person.case_code])).content.decode()
    assert "Rosa Ozuna" in page and "+1 555 0100" in page


def test_an_arrest_can_be_recorded_through_the_form(personas: Personas, client_as: Any) -> None:
    client = client_as("carla")
    response = client.post(
        reverse("people:create"),
        {"legal_name": "Juan Pérez Soto", "a_number": "12345678", "role": "detained", "languages": "es"},
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.identity()["a_number"] == "012345678"
    bad = client.post(reverse("people:create"), {"legal_name": "X", "a_number": "12", "role": "detained"})
    assert bad.status_code == 400 and Person.objects.count() == 1


def test_the_incident_page_helper_lists_only_people_the_member_may_see(personas: Personas) -> None:
    from amparo.incidents.models import Incident
    from amparo.people.access import subjects_for_incident

    incident = Incident.objects.create(network=personas.north, title="Redada en la fábrica")
    person = make_person(personas)
    actions.do_link_incident(personas.user("carla"), person, incident, "collateral_arrest")
    assert [s.person for s in subjects_for_incident(personas["carla"], incident)] == [person]
    assert list(subjects_for_incident(personas["vera"], incident)) == []
    assert list(subjects_for_incident(personas["lena"], incident)) == []  # not referred to her provider
    assert list(subjects_for_incident(personas["bob"], incident)) == []


def test_the_rewrap_command_finishes_a_master_key_rotation(
    personas: Personas, settings: Any, capsys: Any
) -> None:
    from amparo.cli import main

    settings.PERSON_MASTER_KEY = "66" * 32
    person = make_person(personas)
    old_wrapped = raw(person.key.wrapped)
    settings.PERSON_MASTER_KEY = "77" * 32
    settings.PERSON_MASTER_KEY_PREVIOUS = "66" * 32
    assert Person.objects.get(pk=person.pk).identity()["legal_name"] == PLANTED_NAME  # still opens
    assert main(["people", "rewrap"]) == 0
    assert "1 data keys rewrapped" in capsys.readouterr().out
    settings.PERSON_MASTER_KEY_PREVIOUS = ""
    fresh = Person.objects.get(pk=person.pk)
    assert raw(fresh.key.wrapped) != old_wrapped
    assert fresh.identity()["legal_name"] == PLANTED_NAME  # opens with the new key alone
    assert AuditEvent.objects.filter(action="person.keys_rewrapped", detail__count=1).exists()
