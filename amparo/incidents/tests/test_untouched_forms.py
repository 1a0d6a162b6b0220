"""Review item 1 (December 2026 newcomer review): nothing becomes “confirmed” by a form left as it opens.

Two sweeps, both discovering what they check rather than listing it:

- every form class of the incidents desk with a choice field that can carry a verification level or a dispatch
  outcome starts on an empty, required choice;
- every POST form on every page that leads into the verification log (incident, report, dispatch), for every role
  that sees it, is submitted exactly as a browser would send it untouched (initial values only, each submit button in
  turn); no verification event is written and no level or outcome changes.
"""

from __future__ import annotations

import inspect
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django import forms as django_forms
from django.urls import resolve, reverse

from amparo.incidents import actions, codes
from amparo.incidents import forms as desk_forms
from amparo.incidents.models import Dispatch, Incident, VerificationEvent
from amparo.incidents.tests.factories import make_incident, make_report
from amparo.testing import Personas

pytestmark = pytest.mark.django_db

DECIDING = set(codes.Level.values) | set(codes.DispatchOutcome.values)


class Forms(HTMLParser):
    """The POST forms of a page and what a browser submits for each, untouched, per submit button."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: dict[str, Any] | None = None
        self._textarea: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag == "form":
            self._form = {
                "method": attrs.get("method", "get").lower(),
                "action": attrs.get("action", ""),
                "fields": [],
                "buttons": [],
            }
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in attrs:
            return
        name = attrs.get("name", "")
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "image"):
                form["buttons"].append((name, attrs.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs and name:
                    form["fields"].append((name, attrs.get("value", "on")))
            elif kind != "file" and name:
                form["fields"].append((name, attrs.get("value", "")))
        elif tag == "button" and attrs.get("type", "submit").lower() == "submit":
            form["buttons"].append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": [], "selected": []}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value")
            self._select["options"].append(value)
            if "selected" in attrs:
                self._select["selected"].append(value)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data
        if self._select is not None and self._select["options"] and self._select["options"][-1] is None:
            self._select["options"][-1] = data.strip()  # an option without value= sends its text

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            s = self._select
            chosen = s["selected"] or ([] if s["multiple"] else s["options"][:1])
            self._form["fields"].extend((s["name"], v) for v in chosen if v is not None)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None


def post_forms(html: str) -> list[dict[str, Any]]:
    parser = Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["method"] == "post"]


def test_every_form_that_can_carry_a_level_or_outcome_starts_on_an_empty_required_choice() -> None:
    found = []
    for name, cls in inspect.getmembers(desk_forms, inspect.isclass):
        if not issubclass(cls, django_forms.Form) or cls.__module__ != desk_forms.__name__:
            continue
        for field_name, field in cls.base_fields.items():
            if not isinstance(field, django_forms.ChoiceField):
                continue
            choices: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]  # static choices
            values = {str(v) for v, _label in choices}
            if values & DECIDING:
                found.append(f"{name}.{field_name}")
                assert field.required, f"{name}.{field_name} must be required"
                assert choices[0][0] == "", f"{name}.{field_name} must start empty"
    assert {"VerificationForm.to_level", "DispatchCloseForm.outcome"} <= set(found)


def test_item1_every_untouched_form_leading_to_the_log_changes_no_level(
    personas: Personas, client_as: Any
) -> None:
    incident = make_incident(personas.north, latitude=34.1066, longitude=-117.3703, admin1="", admin2="")
    report = make_report(personas.north)
    report.incident = incident
    report.save(update_fields=["incident"])
    to_incident = actions.do_create_dispatch(personas.user("alice"), personas["vera"], incident=incident)
    to_report = actions.do_create_dispatch(personas.user("alice"), personas["vera"], report=report)
    pages = [
        reverse("incidents:incident", args=[incident.code]),
        reverse("incidents:report", args=[report.code]),
        reverse("incidents:dispatch", args=[to_incident.code]),
        reverse("incidents:dispatch", args=[to_report.code]),
    ]
    submitted: set[str] = set()
    for who in ("alice", "vera"):
        client = client_as(who)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (who, page)
            for form in post_forms(response.content.decode()):
                match = resolve(urlsplit(form["action"] or page).path)
                if match.namespace == "accounts" or match.url_name == "set_language":
                    continue  # signing out or changing language: nothing of the record, and it ends the walk
                for button in form["buttons"] or [("", "")]:
                    data: dict[str, list[str]] = {}
                    for key, value in [*form["fields"], button]:
                        if key:
                            data.setdefault(key, []).append(value)
                    if button == ("step", "acknowledge") or button == ("step", "arrive"):
                        continue  # a step that is not an outcome, tried below after the outcome forms
                    client.post(form["action"] or page, data)
                    submitted.add(form["action"])
                    assert not VerificationEvent.objects.exists(), (who, page, form["action"], button)
                    assert Incident.objects.get(pk=incident.pk).verification_level == codes.Level.REPORTED
                    assert not Dispatch.objects.exclude(outcome="").exists(), (who, page, form["action"])
    assert reverse("incidents:incident_verify", args=[incident.code]) in submitted
    assert reverse("incidents:dispatch_respond", args=[to_incident.code]) in submitted


def test_item1_an_outcome_needs_the_verifier_on_the_way_or_there_or_a_reason(
    personas: Personas, client_as: Any
) -> None:
    incident = make_incident(personas.north)
    dispatch = actions.do_create_dispatch(personas.user("alice"), personas["vera"], incident=incident)
    vera = client_as("vera")
    url = reverse("incidents:dispatch_respond", args=[dispatch.code])
    refused = vera.post(url, {"step": "close", "outcome": "confirmed_immigration"})
    assert refused.status_code == 400
    assert "Ya estoy en el lugar" in refused.content.decode()  # the error names the button to press
    vera.post(url, {"step": "acknowledge"})
    # on the way but not there: an outcome that says what was seen still needs arrival or a reason
    assert vera.post(url, {"step": "close", "outcome": "confirmed_immigration"}).status_code == 400
    assert not VerificationEvent.objects.exists()
    assert Dispatch.objects.get(pk=dispatch.pk).closed_at is None
    done = vera.post(
        url, {"step": "close", "outcome": "unable_to_reach", "not_on_scene": "Road closed by police at 5th."}
    )
    assert done.status_code == 302
    event = VerificationEvent.objects.get()
    assert event.to_level == codes.Level.UNVERIFIABLE and "Road closed by police at 5th." in event.rationale
    from amparo.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="dispatch.close").exists()
