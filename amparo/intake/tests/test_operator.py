from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.incidents.models import Report
from amparo.intake import vaultlink
from amparo.intake.purge import purge_all
from amparo.testing import Personas

pytestmark = pytest.mark.django_db
CALL = {
    "priority": "critical",
    "agents_count_low": "6",
    "activity": "Stopping people leaving the laundromat",
    "place_text": "Laundromat on 3rd St",
    "uniform": "Masked, vests marked POLICE",
    "equipment": "Two unmarked SUVs",
    "claimed_agencies": ["ICE_UNSPECIFIED"],
    "caller_language": "es",
    "callback": "+1 (555) 010-2000",
}


def test_an_operator_records_a_call(personas: Personas, client_as: Any) -> None:
    client = client_as("omar")
    page = client.get(reverse("intake:call"))
    assert page.status_code == 200 and "autofocus" in page.content.decode()
    response = client.post(reverse("intake:call"), CALL)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.channel == "hotline_voice" and report.priority == "critical" and report.language == "es"
    assert report.network == personas.north and report.created_by == personas.user("omar")
    assert report.agents_count_low == 6 and report.claimed_agencies == ["ICE_UNSPECIFIED"]
    assert "555" not in report.contact_sealed
    assert vaultlink.unseal_contact(report.contact_sealed) == "+1 (555) 010-2000"
    assert report.contact_purge_after is not None
    assert report.contact_purge_after > timezone.now() + timedelta(hours=1)


def test_callback_numbers_are_deleted_after_their_time(personas: Personas, client_as: Any) -> None:
    client_as("omar").post(reverse("intake:call"), CALL)
    report = Report.objects.get()
    assert purge_all()["contacts"] == 0 and Report.objects.get().contact_sealed
    assert report.contact_purge_after is not None
    later = report.contact_purge_after + timedelta(minutes=1)
    assert purge_all(later)["contacts"] == 1
    assert Report.objects.get().contact_sealed == "" and Report.objects.get().contact_purge_after is None


def test_bad_callback_number_is_refused(personas: Personas, client_as: Any) -> None:
    response = client_as("omar").post(
        reverse("intake:call"), {**CALL, "callback": "call me"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400 and "7 to 15 digits" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize("name", ["rita", "vera", "carla", "lena"])
def test_roles_without_reports_create_get_403(personas: Personas, client_as: Any, name: str) -> None:
    client = client_as(name)
    assert client.get(reverse("intake:call")).status_code == 403
    assert client.post(reverse("intake:call"), CALL).status_code == 403
    assert not Report.objects.exists()


def test_a_coordinator_may_record_a_call_too(personas: Personas, client_as: Any) -> None:
    assert client_as("alice").post(reverse("intake:call"), CALL).status_code == 302


def test_the_hourly_maintenance_runs_the_intake_purge(personas: Personas, client_as: Any) -> None:
    from amparo.tasks import maintenance

    client_as("omar").post(reverse("intake:call"), CALL)
    Report.objects.update(contact_purge_after=timezone.now() - timedelta(seconds=1))
    removed = maintenance.call()
    assert removed["intake_contacts"] == 1 and Report.objects.get().contact_sealed == ""
