"""The permission matrix: every page and action of the desk, for every role (and a stranger from another network)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from amparo.incidents.tests.factories import make_dispatch, make_incident, make_report, make_term
from amparo.testing import Personas

pytestmark = pytest.mark.django_db
ROLES = ["alice", "vera", "omar", "carla", "lena", "rita", "bob"]
VIEWERS = {"alice", "vera", "omar", "carla", "rita"}

# (name, method, url maker, post data, who succeeds). Success is 200 for GET and 302 for POST; members of Red Norte
# without the capability get 403; bob (Red Sur) gets 404 on records and 403/200 on his own network's lists.
Case = tuple[str, str, Callable[[Personas], str], Any, set[str]]
CASES: list[Case] = [
    ("triage", "get", lambda p: reverse("incidents:triage"), {}, VIEWERS),
    ("report", "get", lambda p: reverse("incidents:report", args=[make_report(p.north).code]), {}, VIEWERS),
    (
        "report_triage",
        "post",
        lambda p: reverse("incidents:report_triage", args=[make_report(p.north).code]),
        {"quick": "triaged"},
        {"alice", "omar"},
    ),
    (
        "report_create_incident",
        "post",
        lambda p: reverse("incidents:report_create_incident", args=[make_report(p.north).code]),
        {},
        {"alice", "omar"},
    ),
    (
        "report_dispatch",
        "post",
        lambda p: reverse("incidents:report_dispatch", args=[make_report(p.north).code]),
        lambda p: {"responder": p["vera"].pk},
        {"alice", "omar"},
    ),
    ("incidents", "get", lambda p: reverse("incidents:incidents"), {}, VIEWERS),
    (
        "incident",
        "get",
        lambda p: reverse("incidents:incident", args=[make_incident(p.north).code]),
        {},
        VIEWERS,
    ),
    ("incident_new", "get", lambda p: reverse("incidents:incident_new"), {}, {"alice"}),
    (
        "incident_edit",
        "get",
        lambda p: reverse("incidents:incident_edit", args=[make_incident(p.north).code]),
        {},
        {"alice"},
    ),
    (
        "incident_verify",
        "post",
        lambda p: reverse("incidents:incident_verify", args=[make_incident(p.north).code]),
        {"to_level": "pending", "method": "on_scene_responder", "rationale": "Verifier on the way."},
        {"alice", "vera"},
    ),
    (
        "incident_source",
        "post",
        lambda p: reverse("incidents:incident_source", args=[make_incident(p.north).code]),
        {"source_type": "local_news", "title": "Tribune"},
        {"alice"},
    ),
    (
        "incident_compare",
        "get",
        lambda p: reverse("incidents:incident_compare", args=[make_incident(p.north).code]),
        {},
        {"alice", "vera", "carla", "rita"},
    ),
    (
        "incident_dispatch",
        "post",
        lambda p: reverse("incidents:incident_dispatch", args=[make_incident(p.north).code]),
        lambda p: {"responder": p["vera"].pk},
        {"alice", "omar"},
    ),
    ("search", "get", lambda p: reverse("incidents:search") + "?q=main", {}, VIEWERS),
    ("dispatches", "get", lambda p: reverse("incidents:dispatches"), {}, VIEWERS),
    ("dispatch", "get", lambda p: reverse("incidents:dispatch", args=[make_dispatch(p).code]), {}, VIEWERS),
    (
        "dispatch_respond",
        "post",
        lambda p: reverse("incidents:dispatch_respond", args=[make_dispatch(p).code]),
        {"step": "acknowledge"},
        {"alice", "vera", "omar"},
    ),
    ("vocabularies", "get", lambda p: reverse("incidents:vocabularies"), {}, VIEWERS),
    ("term_new", "get", lambda p: reverse("incidents:term_new"), {}, {"alice"}),
    (
        "term_edit",
        "get",
        lambda p: reverse("incidents:term_edit", args=["location_type", make_term(p.north).code]),
        {},
        {"alice"},
    ),
    ("gateway", "get", lambda p: reverse("incidents:gateway"), {}, {"alice"}),
]
LISTS = {"triage", "incidents", "incident_new", "search", "dispatches", "vocabularies", "term_new", "gateway"}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_permission_matrix(personas: Personas, client_as: Any, case: Case) -> None:
    """One row of the matrix: every role against one page or action (a fresh record for each role)."""
    name, method, make_url, data, allowed = case
    answers = {}
    for who in ROLES:
        url = make_url(personas)
        payload = data(personas) if callable(data) else data
        answers[who] = getattr(client_as(who), method)(url, payload).status_code
    expected = {}
    for who in ROLES:
        if who == "bob":
            # bob coordinates Red Sur: lists show his own network; records of Red Norte are 404
            expected[who] = (200 if method == "get" else 302) if name in LISTS else 404
        elif who in allowed:
            expected[who] = 200 if method == "get" else 302
        else:
            expected[who] = 403
    assert answers == expected, name


def test_a_coordinator_of_another_network_never_sees_our_reports_in_lists(
    personas: Personas, client_as: Any
) -> None:
    make_report(personas.north, place_text="Secret corner of Red Norte")
    make_incident(personas.north, title="Secret incident of Red Norte")
    for url in (
        reverse("incidents:triage") + "?status=",
        reverse("incidents:incidents"),
        "/incidents/search/?q=secret",
    ):
        page = client_as("bob").get(url).content.decode()
        assert "Secret" not in page, url
    assert "Secret corner" in client_as("alice").get(reverse("incidents:triage")).content.decode()
