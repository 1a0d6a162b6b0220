"""Records of Red Norte for the URL sweeps (tests/test_urls.py) and the tests of this part."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from amparo.legal import actions
from amparo.legal.models import LegalCase, LegalServiceProvider, Referral
from amparo.people.tests.factories import make_person
from amparo.testing import Personas


def make_provider(personas: Personas, name: str = "Clínica Legal del Norte") -> LegalServiceProvider:
    return LegalServiceProvider.objects.create(
        network=personas.north, name=name, kind="nonprofit", languages="es, en", counties_served="Cook"
    )


def make_referral(personas: Personas, provider: LegalServiceProvider | None = None) -> Referral:
    person = make_person(personas)
    return actions.do_refer(personas.user("carla"), person, provider or make_provider(personas))


def make_case(personas: Personas) -> LegalCase:
    person = make_person(personas)
    case = actions.do_save_case(
        personas.user("carla"), person, None, {"court": "Chicago", "status": "master_calendar_pending"}
    )
    actions.do_add_hearing(
        personas.user("carla"), case, {"kind": "master", "at": timezone.now() + timedelta(days=3)}
    )
    return case


def _person_url(name: str) -> Callable[[Personas], str]:
    return lambda p: reverse(name, args=[make_person(p).case_code])


OBJECT_URLS: dict[str, Callable[[Personas], str]] = {
    "legal:provider_edit": lambda p: reverse("legal:provider_edit", args=[make_provider(p).code]),
    "legal:provider_link": lambda p: reverse("legal:provider_link", args=[make_provider(p).code]),
    "legal:referral_answer": lambda p: reverse("legal:referral_answer", args=[make_referral(p).code]),
    "legal:case_edit": lambda p: reverse("legal:case_edit", args=[make_case(p).code]),
    "legal:hearing_new": lambda p: reverse("legal:hearing_new", args=[make_case(p).code]),
    "legal:bond_new": lambda p: reverse("legal:bond_new", args=[make_case(p).code]),
    "legal:referral_new": _person_url("legal:referral_new"),
    "legal:representation_new": _person_url("legal:representation_new"),
    "legal:case_new": _person_url("legal:case_new"),
}
