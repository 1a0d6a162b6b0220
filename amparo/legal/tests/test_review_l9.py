"""Review finding L9 (December 2026): a declined referral is final; accepting later needs a new referral."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.legal import actions
from amparo.legal.models import Referral, Representation
from amparo.legal.tests.factories import make_provider
from amparo.people.tests.factories import make_person
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def _lena_referral(personas: Personas) -> Referral:
    provider = make_provider(personas)
    actions.do_link_partner(personas.user("alice"), personas["lena"], provider)
    return actions.do_refer(personas.user("carla"), make_person(personas), provider)


def test_l9_a_declined_referral_cannot_be_accepted_later_over_http(
    personas: Personas, client_as: Any
) -> None:
    referral = _lena_referral(personas)
    lena = client_as("lena")
    answer = reverse("legal:referral_answer", args=[referral.code])
    detail = reverse("people:detail", args=[referral.person.case_code])
    assert (
        lena.post(answer, {"outcome": "declined_capacity", "status": "represented_full"}).status_code == 302
    )
    assert lena.get(detail).status_code == 404
    events = AuditEvent.objects.filter(action="referral.answered").count()

    response = lena.post(answer, {"outcome": "accepted", "status": "represented_full"})

    assert response.status_code == 409
    assert "una respuesta es definitiva" in response.content.decode()  # lena reads Spanish
    referral.refresh_from_db()
    assert referral.outcome == "declined_capacity"
    assert not Representation.objects.filter(person=referral.person).exists()
    assert lena.get(detail).status_code == 404  # the file stays closed to her
    assert AuditEvent.objects.filter(action="referral.answered").count() == events
    page = lena.get(answer)
    assert page.status_code == 200 and 'name="outcome"' not in page.content.decode()


def test_l9_a_new_referral_can_be_accepted(personas: Personas, client_as: Any) -> None:
    first = _lena_referral(personas)
    actions.do_answer_referral(personas.user("lena"), first, "declined_capacity")
    again = actions.do_refer(personas.user("carla"), first.person, first.provider)
    response = client_as("lena").post(
        reverse("legal:referral_answer", args=[again.code]),
        {"outcome": "accepted", "status": "represented_full"},
    )
    assert response.status_code == 302
    assert client_as("lena").get(reverse("people:detail", args=[first.person.case_code])).status_code == 200


@pytest.mark.parametrize("first", ["accepted", "declined_eligibility", "no_response"])
def test_l9_every_answer_is_final_in_the_action(personas: Personas, first: str) -> None:
    referral = _lena_referral(personas)
    actions.do_answer_referral(personas.user("carla"), referral, first)
    stale = Referral.objects.get(pk=referral.pk)
    stale.outcome = "pending"  # a copy read before the first answer, as a racing request would hold
    with pytest.raises(actions.ReferralAnswered):
        actions.do_answer_referral(personas.user("carla"), stale, "accepted")
    assert Referral.objects.get(pk=referral.pk).outcome == first
    assert Representation.objects.filter(person=referral.person).count() == (1 if first == "accepted" else 0)
