"""Who may reach what: the permission matrix of people, custody, facilities and legal pages."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.legal import actions as legal_actions
from amparo.legal.tests.factories import make_provider
from amparo.people.tests.factories import make_person
from amparo.testing import Personas

pytestmark = pytest.mark.django_db

# persona -> expected status of GET on each page of one person of Red Norte that is NOT referred to lena's provider
PERSON_PAGES = [
    "people:detail",
    "people:edit",
    "people:delete",
    "people:custody_add",
    "people:export",
    "legal:case_new",
]
MATRIX = {
    "alice": [200, 200, 200, 200, 200, 200],
    "carla": [200, 200, 403, 200, 200, 200],
    "vera": [403, 403, 403, 403, 403, 403],
    "omar": [403, 403, 403, 403, 403, 403],
    "rita": [403, 403, 403, 403, 403, 403],
    "lena": [404, 404, 404, 404, 404, 404],
    "bob": [404, 404, 404, 404, 404, 404],
}
# lena once her provider accepted the referral: she sees the file and works the legal case, never edits identity
LENA_ACCEPTED = [200, 403, 403, 403, 200, 200]


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_person_pages_answer_each_role_as_the_matrix_says(
    personas: Personas, client_as: Any, persona: str
) -> None:
    person = make_person(personas)
    client = client_as(persona)
    got = [client.get(reverse(name, args=[person.case_code])).status_code for name in PERSON_PAGES]
    assert got == MATRIX[persona]


def _link_lena(personas: Personas) -> Any:
    provider = make_provider(personas)
    legal_actions.do_link_partner(personas.user("alice"), personas["lena"], provider)
    return provider


def test_a_legal_partner_sees_a_person_only_after_their_provider_accepts(
    personas: Personas, client_as: Any
) -> None:
    provider = _link_lena(personas)
    other = make_provider(personas, "Otro despacho")
    person = make_person(personas)
    lena = client_as("lena")
    detail = reverse("people:detail", args=[person.case_code])
    referral = legal_actions.do_refer(personas.user("carla"), person, provider)
    assert lena.get(detail).status_code == 404  # pending: not yet
    # she sees the pending referral by case code only, never the name
    listing = lena.get(reverse("legal:referrals")).content.decode()
    assert person.case_code in listing and "Ramírez" not in listing
    response = lena.post(
        reverse("legal:referral_answer", args=[referral.code]),
        {"outcome": "accepted", "status": "represented_full"},
    )
    assert response.status_code == 302
    assert [lena.get(reverse(n, args=[person.case_code])).status_code for n in PERSON_PAGES] == LENA_ACCEPTED
    # she works the legal case: a case, then a hearing, each audited under the case code
    response = lena.post(
        reverse("legal:case_new", args=[person.case_code]),
        {"proceeding_type": "removal_240", "status": "master_calendar_pending", "docket": "detained"},
    )
    assert response.status_code == 302
    case = person.legal_cases.get()
    assert lena.get(reverse("legal:case_edit", args=[case.code])).status_code == 200
    assert AuditEvent.objects.filter(
        action="person.viewed", actor=personas.user("lena"), detail__view="legal_case"
    ).exists()
    response = lena.post(
        reverse("legal:hearing_new", args=[case.code]),
        {"kind": "master", "at": "2031-01-15T09:00", "mode": "video"},
    )
    assert response.status_code == 302 and case.hearings.count() == 1
    # a referral to another provider opens nothing to her
    second = make_person(personas)
    ref2 = legal_actions.do_refer(personas.user("carla"), second, other)
    legal_actions.do_answer_referral(personas.user("carla"), ref2, "accepted")
    assert lena.get(reverse("people:detail", args=[second.case_code])).status_code == 404
    assert lena.get(reverse("legal:referral_answer", args=[ref2.code])).status_code == 404
    assert second.case_code not in lena.get(reverse("people:list")).content.decode()


def test_a_legal_partner_without_a_provider_sees_no_one(personas: Personas, client_as: Any) -> None:
    person = make_person(personas)
    page = client_as("lena").get(reverse("people:list"))
    assert page.status_code == 200 and person.case_code not in page.content.decode()


@pytest.mark.parametrize(
    "persona,list_status,followup_status,facilities_status,import_status",
    [
        ("alice", 200, 200, 200, 403),  # the shared list is imported by the instance administrator only (M6)
        ("carla", 200, 200, 200, 403),
        ("lena", 200, 200, 200, 403),
        ("rita", 403, 403, 200, 403),
        ("omar", 403, 403, 200, 403),
    ],
)
def test_list_pages_by_role(
    personas: Personas,
    client_as: Any,
    persona: str,
    list_status: int,
    followup_status: int,
    facilities_status: int,
    import_status: int,
) -> None:
    client = client_as(persona)
    assert client.get(reverse("people:list")).status_code == list_status
    assert client.get(reverse("people:followup")).status_code == followup_status
    assert client.get(reverse("people:facilities")).status_code == facilities_status
    assert client.get(reverse("people:facility_import")).status_code == import_status


def test_shared_facilities_are_edited_by_coordinators_only(personas: Personas, client_as: Any) -> None:
    from amparo.people.facilities import Facility

    facility = Facility.objects.filter(network=None)[0]
    url = reverse("people:facility_edit", args=[facility.code])
    assert client_as("carla").get(url).status_code == 403
    assert client_as("rita").get(reverse("people:facility", args=[facility.code])).status_code == 200
    data = {
        f: getattr(facility, f) or ""
        for f in ("name", "address", "city", "state", "zip", "type_grouped", "operator")
    }
    data.update(
        {"legal_access_notes": "Attorney visits 8-15h; call ahead", "active": "on", "over_72h": "unknown"}
    )
    response = client_as("alice").post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    # A coordinator's change of a shared row is their network's own (review M6, test_review_m6.py).
    facility.refresh_from_db()
    assert not facility.legal_access_notes.startswith("Attorney visits")
    assert (
        "Attorney visits"
        in client_as("carla").get(reverse("people:facility", args=[facility.code])).content.decode()
    )


def test_a_legal_partner_sees_family_contacts_only_with_consent(personas: Personas, client_as: Any) -> None:
    from amparo.people import actions

    provider = _link_lena(personas)
    person = make_person(personas)
    actions.do_add_contact(
        personas.user("carla"), person, relationship="madre", name="Consuelo Ozuna", phone="+1 555 0177"
    )
    legal_actions.do_answer_referral(
        personas.user("carla"), legal_actions.do_refer(personas.user("carla"), person, provider), "accepted"
    )
    lena = client_as("lena")
    detail = reverse("people:detail", args=[person.case_code])
    assert "Consuelo Ozuna" not in lena.get(detail).content.decode()
    exported = lena.post(reverse("people:export", args=[person.case_code]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(exported.streaming_content)))
    assert json.loads(archive.read("person.json"))["contacts"] == []
    assert "Consuelo Ozuna" in client_as("carla").get(detail).content.decode()
    actions.do_add_consent(
        personas.user("carla"), person, scope="contacts", recipient="legal_provider", granted=True
    )
    assert "Consuelo Ozuna" in lena.get(detail).content.decode()
