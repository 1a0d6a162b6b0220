"""Dispatching a verifier: notices by e-mail and by a signed webhook to a real local HTTP server; the answer."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from amparo.incidents import actions, notify
from amparo.incidents.codes import Level, ReportStatus
from amparo.incidents.models import Dispatch, DispatchGateway, Incident, Report
from amparo.incidents.tests.factories import make_report
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers.items()), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()
    server.server_close()


def test_a_dispatch_notifies_by_signed_webhook_and_email_without_personal_data(
    personas: Personas, client_as: Any, receiver: str, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.WEBHOOK_ALLOW = ["127.0.0.1"]  # the local receiver stands in for a private gateway (review L4)
    vera = personas["vera"]
    vera.user.email = "vera@example.org"
    vera.user.save(update_fields=["email"])
    gateway = actions.do_save_gateway(
        personas.north, personas.user("alice"), webhook_url=receiver, email_enabled=True
    )
    report = make_report(
        personas.north, place_text="Casa de la familia Pérez, 123 Calle Ocho", text="Se llevaron a Juan"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("alice").post(
            reverse("incidents:report_dispatch", args=[report.code]), {"responder": vera.pk}
        )
    assert response.status_code == 302
    dispatch = Dispatch.objects.get(report=report)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DISPATCHED

    assert len(Receiver.received) == 1
    headers, body = Receiver.received[0]
    assert notify.verify(
        gateway.secret, headers[notify.TIMESTAMP_HEADER], body, headers[notify.SIGNATURE_HEADER]
    )
    assert not notify.verify(
        "wrong secret", headers[notify.TIMESTAMP_HEADER], body, headers[notify.SIGNATURE_HEADER]
    )
    data = json.loads(body)
    assert data["dispatch"] == str(dispatch.code)
    assert data["url"].endswith(reverse("incidents:dispatch", args=[dispatch.code]))
    text = body.decode()
    for private in ("Pérez", "Calle Ocho", "Juan", "vera", str(report.code)):
        assert private not in text

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vera@example.org"]
    assert str(dispatch.code) in message.body
    for private in ("Pérez", "Calle Ocho", "Juan"):
        assert private not in f"{message.body} {message.subject}"


def test_a_failing_gateway_does_not_undo_the_dispatch(
    personas: Personas, client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    DispatchGateway.objects.create(
        network=personas.north, webhook_url="http://127.0.0.1:9/nothing", secret="s"
    )
    report = make_report(personas.north)
    with django_capture_on_commit_callbacks(execute=True):
        client_as("omar").post(
            reverse("incidents:report_dispatch", args=[report.code]), {"responder": personas["vera"].pk}
        )
    assert Dispatch.objects.filter(report=report).count() == 1


def test_the_verifier_acknowledges_arrives_and_reports_the_outcome_into_the_log(
    personas: Personas, client_as: Any
) -> None:
    report = make_report(personas.north)
    incident = actions.do_create_incident_from_report(report, personas.user("omar"))
    dispatch = actions.do_create_dispatch(personas.user("omar"), personas["vera"], incident=incident)
    vera = client_as("vera")
    url = reverse("incidents:dispatch_respond", args=[dispatch.code])
    assert vera.post(url, {"step": "acknowledge"}).status_code == 302
    assert vera.post(url, {"step": "arrive"}).status_code == 302
    response = vera.post(
        url,
        {
            "step": "close",
            "outcome": "confirmed_immigration",
            "size": "6 agents",
            "uniform": "vests marked POLICE ICE",
            "vehicles": "2 grey SUVs, no plates",
            "rationale": "Saw two men put into an unmarked SUV by agents in ICE vests.",
        },
    )
    assert response.status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.acknowledged_at and dispatch.arrived_at and dispatch.closed_at
    assert dispatch.outcome == "confirmed_immigration"
    assert dispatch.salute["uniform"] == "vests marked POLICE ICE"
    incident.refresh_from_db()
    assert incident.verification_level == Level.CONFIRMED
    event = incident.verification_events.get()
    assert event.dispatch_id == dispatch.pk and event.method == "on_scene_responder"
    assert "unmarked SUV" in event.rationale
    # closed: a second outcome is refused and changes nothing
    vera.post(url, {"step": "close", "outcome": "nothing_found"})
    incident.refresh_from_db()
    assert incident.verification_level == Level.CONFIRMED


def test_another_verifier_cannot_answer_someone_elses_dispatch(personas: Personas, client_as: Any) -> None:
    from amparo.accounts.models import Membership, User

    other = User.objects.create(username="victor")
    Membership.objects.create(user=other, network=personas.north, role="verifier")
    dispatch = actions.do_create_dispatch(
        personas.user("alice"), personas["vera"], report=make_report(personas.north)
    )
    from amparo.testing import signed_in_client

    victor = signed_in_client(other.memberships.get())
    response = victor.post(
        reverse("incidents:dispatch_respond", args=[dispatch.code]), {"step": "acknowledge"}
    )
    assert response.status_code == 403
    assert Dispatch.objects.get(pk=dispatch.pk).acknowledged_at is None


def test_only_available_verifiers_of_the_network_can_be_dispatched(
    personas: Personas, client_as: Any
) -> None:
    vera = personas["vera"]
    vera.available = False
    vera.save(update_fields=["available"])
    report = make_report(personas.north)
    client_as("alice").post(reverse("incidents:report_dispatch", args=[report.code]), {"responder": vera.pk})
    client_as("alice").post(
        reverse("incidents:report_dispatch", args=[report.code]), {"responder": personas["bob"].pk}
    )
    client_as("alice").post(
        reverse("incidents:report_dispatch", args=[report.code]), {"responder": personas["carla"].pk}
    )
    assert not Dispatch.objects.filter(report=report).exists()
    assert Incident.objects.count() == 0


def test_a_coordinator_sets_the_webhook_and_adds_a_term(personas: Personas, client_as: Any) -> None:
    from amparo.incidents.models import Term

    alice = client_as("alice")
    alice.post(
        reverse("incidents:gateway"),
        {"webhook_url": "https://gateway.example.org/amparo", "email_enabled": ""},
    )
    gateway = DispatchGateway.objects.get(network=personas.north)
    assert gateway.webhook_url == "https://gateway.example.org/amparo" and not gateway.email_enabled
    assert len(gateway.secret) >= 32
    old = gateway.secret
    alice.post(reverse("incidents:gateway"), {"webhook_url": gateway.webhook_url, "new_secret": "on"})
    assert DispatchGateway.objects.get(pk=gateway.pk).secret != old
    data = {
        "vocabulary": "location_type",
        "code": "flea_market",
        "label_en": "Flea market",
        "label_es": "Pulga",
        "label_de": "Flohmarkt",
        "sensitive_2011": "",
        "protected_2021": "",
    }
    assert alice.post(reverse("incidents:term_new"), data).status_code == 302
    assert Term.objects.get(network=personas.north, code="flea_market").label_es == "Pulga"
    refused = alice.post(reverse("incidents:term_new"), {**data, "code": "school"})
    assert refused.status_code == 200  # a built-in code cannot be redefined
    assert not Term.objects.filter(network=personas.north, code="school").exists()
    assert client_as("omar").post(reverse("incidents:gateway"), {"webhook_url": ""}).status_code == 403


def test_the_dashboard_shows_the_queue_and_a_verifiers_open_dispatches(
    personas: Personas, client_as: Any
) -> None:
    from amparo.incidents.dashboard import cards

    make_report(personas.north, priority="critical")
    make_report(personas.north)
    actions.do_create_dispatch(personas.user("alice"), personas["vera"], report=make_report(personas.north))
    alice_cards = {str(c["title"]): c for c in cards(None, personas["alice"])}  # type: ignore[arg-type]  # request unused
    queue = next(c for t, c in alice_cards.items() if c["url"] == reverse("incidents:triage"))
    assert queue["count"] == 2 and queue["urgent"]
    vera_cards = cards(None, personas["vera"])  # type: ignore[arg-type]  # request unused
    assert any(c["count"] == 1 and "mine=1" in c["url"] for c in vera_cards)
    assert not any("mine=1" in c["url"] for c in cards(None, personas["rita"]))  # type: ignore[arg-type]
    assert client_as("vera").get("/").status_code == 200


def test_a_queue_that_is_down_does_not_turn_a_made_dispatch_into_an_error(
    personas: Personas, client_as: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    """With Redis unreachable the dispatch stands and the coordinator sees it made, so nobody retries into a
    second dispatch (the notice is logged as not sent)."""
    from django_tasks import task_backends

    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens on port 1
    settings.TASKS = {"default": {"BACKEND": "amparo.tasks_rq.RetryingRQBackend", "QUEUES": ["default"]}}
    task_backends._settings = None  # type: ignore[attr-defined]  # re-read TASKS
    task_backends._backends = {}  # type: ignore[attr-defined]
    report = make_report(personas.north)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("alice").post(
            reverse("incidents:report_dispatch", args=[report.code]), {"responder": personas["vera"].pk}
        )
    assert response.status_code == 302
    assert Dispatch.objects.filter(report=report).count() == 1
