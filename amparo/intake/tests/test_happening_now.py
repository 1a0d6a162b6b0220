"""Review item 9 (December 2026): the public form asks “Is it happening now?” and sets the report's priority from it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amparo.incidents.codes import Priority
from amparo.incidents.models import Report
from amparo.intake import actions
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("answer", "taken", "priority"),
    [
        ("now", "1", Priority.CRITICAL),
        ("now", "", Priority.ACTIVE),
        ("just", "2", Priority.ACTIVE),
        ("earlier", "1", Priority.OBSERVED),
    ],
)
def test_item9_the_answer_sets_the_priority(
    personas: Personas, answer: str, taken: str, priority: str
) -> None:
    url = reverse("intake:report", args=[actions.page_for(personas.north).slug])
    client = Client()
    form = client.get(url).content.decode()
    assert "Is it happening now?" in form or "¿Está pasando ahora?" in form
    response = client.post(
        url,
        {
            "text": "Detuvieron a un señor que salía con su hija.",
            "happening": answer,
            "people_taken_count": taken,
            "consent": ["internal"],
        },
    )
    assert response.status_code == 201, response.context["form"].errors
    assert Report.objects.get().priority == priority


def test_item9_no_answer_keeps_the_default_and_a_made_up_answer_is_refused(personas: Personas) -> None:
    url = reverse("intake:report", args=[actions.page_for(personas.north).slug])
    default = Report._meta.get_field("priority").get_default()
    response = Client().post(url, {"text": "Vi agentes en la esquina.", "consent": ["internal"]})
    assert response.status_code == 201
    assert Report.objects.get().priority == default
    refused = Client().post(url, {"text": "Vi agentes.", "happening": "tomorrow", "consent": ["internal"]})
    assert refused.status_code == 400 or refused.status_code == 200
    assert Report.objects.count() == 1
