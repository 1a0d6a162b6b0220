"""Referrals, representation, the follow-up lists and the dashboard cards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.legal import actions
from amparo.legal.models import BondRecord, Representation
from amparo.legal.tests.factories import make_case, make_provider
from amparo.people import actions as people_actions
from amparo.people import followup
from amparo.people.access import visible_people
from amparo.people.facilities import Facility
from amparo.people.models import Person
from amparo.people.tests.factories import make_person
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def raw(value: bytes | memoryview | None) -> bytes:
    assert value is not None
    return bytes(value)


def people_of(personas: Personas) -> Any:
    return visible_people(personas["carla"])


def test_a_person_without_a_lawyer_after_48_hours_is_listed_until_a_referral_is_accepted(
    personas: Personas,
) -> None:
    now = timezone.now()
    recent = make_person(personas, name="Recién Llegado", a_number="111111111", hours_ago=2)
    waiting = make_person(personas, name="Esperando Abogado", a_number="222222222", hours_ago=50)
    assert list(followup.no_lawyer(people_of(personas), now)) == [waiting]
    referral = actions.do_refer(personas.user("carla"), waiting, make_provider(personas))
    waiting.refresh_from_db()
    assert waiting.representation_status == "referred_pending"
    assert waiting in followup.no_lawyer(people_of(personas), now)  # referred is not represented
    assert list(followup.unanswered_referrals(people_of(personas), now)) == [referral]
    actions.do_answer_referral(personas.user("carla"), referral, "accepted")
    assert list(followup.no_lawyer(people_of(personas), now)) == []
    assert list(followup.unanswered_referrals(people_of(personas), now)) == []
    assert Representation.objects.get(person=waiting).provider == referral.provider
    assert recent not in followup.no_lawyer(people_of(personas), now + timedelta(hours=45))
    assert recent in followup.no_lawyer(people_of(personas), now + timedelta(hours=47))


def test_a_declined_referral_puts_the_person_back_to_looking(personas: Personas) -> None:
    person = make_person(personas, hours_ago=60)
    referral = actions.do_refer(personas.user("carla"), person, make_provider(personas))
    actions.do_answer_referral(personas.user("carla"), referral, "declined_capacity")
    person.refresh_from_db()
    assert person.representation_status == "seeking"
    assert person in followup.no_lawyer(people_of(personas), timezone.now())


def test_whereabouts_unknown_for_24_hours_is_listed_until_custody_is_known(personas: Personas) -> None:
    person = make_person(personas, hours_ago=30)
    now = timezone.now()
    assert list(followup.no_custody_info(people_of(personas), now)) == [person]
    people_actions.do_record_locator_check(
        personas.user("carla"), person, mode="odls_a_number", result="not_found"
    )
    assert list(followup.no_custody_info(people_of(personas), now)) == [person]  # not found is no news
    facility = Facility.objects.filter(network=None).first()
    people_actions.do_record_locator_check(
        personas.user("carla"),
        person,
        mode="odls_a_number",
        result="found_in_custody",
        facility_returned=facility,
    )
    assert list(followup.no_custody_info(people_of(personas), timezone.now())) == []


def test_hearings_in_the_next_seven_days_and_overdue_tasks(personas: Personas) -> None:
    case = make_case(personas)  # a hearing in 3 days
    far = actions.do_add_hearing(
        personas.user("carla"), case, {"kind": "individual", "at": timezone.now() + timedelta(days=9)}
    )
    soon = list(followup.hearings_soon(people_of(personas), timezone.now()))
    assert len(soon) == 1 and soon[0] != far
    task = people_actions.do_add_task(
        personas.user("carla"),
        personas.north,
        title="Call",
        person=case.person,
        due_at=timezone.now() - timedelta(hours=1),
    )
    assert list(followup.overdue_tasks(people_of(personas), personas["carla"].pk, timezone.now())) == [task]
    people_actions.do_complete_task(personas.user("carla"), task)
    assert list(followup.overdue_tasks(people_of(personas), personas["carla"].pk, timezone.now())) == []


def test_the_dashboard_shows_the_caseworker_cards_and_overdue_work_stands_out(
    personas: Personas, client_as: Any
) -> None:
    make_person(personas, hours_ago=72)
    page = client_as("carla").get("/").content.decode()
    assert "No known lawyer after 48 hours" in page or "abogado" in page.lower()
    assert 'class="card urgent"' in page
    assert reverse("people:followup") in page
    rita = client_as("rita").get("/").content.decode()
    assert reverse("people:followup") not in rita


def test_the_follow_up_page_lists_people_by_case_code_only(personas: Personas, client_as: Any) -> None:
    person = make_person(personas, hours_ago=72)
    page = client_as("carla").get(reverse("people:followup")).content.decode()
    assert person.case_code in page and "Xochitl" not in page


def test_a_bond_obligor_is_encrypted_with_the_persons_key(personas: Personas) -> None:
    case = make_case(personas)
    bond = actions.do_add_bond(
        personas.user("carla"), case, {"ice_determination": "amount", "ice_amount": 5000}, "Tía Rosa"
    )
    row = BondRecord.objects.get(pk=bond.pk)
    assert b"Rosa" not in raw(row.obligor_enc)
    assert actions.bond_obligor(row) == "Tía Rosa"


def test_referral_and_case_pages_work_for_the_caseworker(personas: Personas, client_as: Any) -> None:
    person = make_person(personas)
    provider = make_provider(personas)
    client = client_as("carla")
    response = client.post(reverse("legal:referral_new", args=[person.case_code]), {"provider": provider.pk})
    assert response.status_code == 302
    referral = person.referrals.get()
    response = client.post(
        reverse("legal:referral_answer", args=[referral.code]),
        {"outcome": "accepted", "status": "represented_limited"},
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).representation_status == "represented_limited"
    response = client.post(
        reverse("legal:case_new", args=[person.case_code]),
        {
            "proceeding_type": "removal_240",
            "status": "bond_hearing_scheduled",
            "docket": "detained",
            "court": "Chicago",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    case = person.legal_cases.get()
    response = client.post(
        reverse("legal:hearing_new", args=[case.code]),
        {
            "kind": "bond",
            "at": (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "mode": "video",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    assert case.hearings.get().kind == "bond"
    assert client.get(reverse("legal:providers")).status_code == 200


def test_a_hearing_within_two_days_makes_the_hearings_card_urgent(personas: Personas) -> None:
    from amparo.legal import dashboard

    case = make_case(personas)  # a hearing in 3 days
    card = dashboard.cards(None, personas["carla"])[0]  # type: ignore[arg-type]  # the request is not used
    assert card["count"] == 1 and card["urgent"] is False
    actions.do_add_hearing(
        personas.user("carla"), case, {"kind": "bond", "at": timezone.now() + timedelta(hours=20)}
    )
    card = dashboard.cards(None, personas["carla"])[0]  # type: ignore[arg-type]  # the request is not used
    assert card["count"] == 2 and card["urgent"] is True
    assert dashboard.cards(None, personas["rita"]) == []  # type: ignore[arg-type]  # the request is not used
