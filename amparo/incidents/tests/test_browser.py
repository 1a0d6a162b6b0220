"""Triage, then dispatch, then confirmation, in a real Chromium, driven from the keyboard where the desk allows it.

An operator opens the newest report from the queue with j/Enter, makes an incident of it with "c" and dispatches the
verifier; the verifier acknowledges, arrives and reports "confirmed" with a SALUTE report; the incident page then
shows the derived level, the timeline and the map with the shipped outlines (no tile server). Screenshots go to
test-artifacts/.
"""

from __future__ import annotations

from typing import Any

import pytest

from amparo.browser import browser, screenshot, sign_in, watch_problems
from amparo.incidents.models import Dispatch, Incident, Report
from amparo.incidents.tests.factories import make_report
from amparo.testing import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_triage_then_dispatch_then_confirmation(live_server: Any, personas: Personas) -> None:
    base = str(live_server)
    make_report(personas.north, place_text="Older report", text="Earlier call, nothing more")
    report = make_report(
        personas.north,
        place_text="Cermak and Pulaski bus stop",
        text="Agents in ICE vests took two men at the bus stop",
        priority="critical",
    )
    personas["vera"].areas = "Cook County"
    personas["vera"].save(update_fields=["areas"])
    with browser() as context:
        page = context.new_page()
        problems = watch_problems(page)

        # the operator triages from the keyboard
        sign_in(context, base, personas["omar"])
        page.goto(f"{base}/triage/?lang=en")
        assert page.locator("tr[data-row]").count() == 2
        page.keyboard.press("j")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/triage/{report.code}/")
        screenshot(page, "incidents-report")
        page.keyboard.press("c")
        page.wait_for_url("**/incidents/*/")
        incident = Incident.objects.get()
        assert Report.objects.get(pk=report.pk).incident_id == incident.pk
        assert incident.verification_level == "reported"
        page.select_option("#id_responder", str(personas["vera"].pk))
        page.locator("form[action$='/dispatch/'] button[type=submit]").click()
        page.wait_for_load_state()
        dispatch = Dispatch.objects.get()
        assert dispatch.incident_id == incident.pk and dispatch.responder == personas["vera"]

        # the verifier answers from the scene
        context.clear_cookies()
        sign_in(context, base, personas["vera"])
        page.goto(f"{base}/")
        page.locator("a[href*='/dispatches/']").first.click()
        page.locator(f"a[href='/dispatches/{dispatch.code}/']").click()
        page.locator("button[value=acknowledge]").click()
        page.locator("button[value=arrive]").click()
        page.select_option("#id_outcome", "confirmed_immigration")
        page.fill("#id_size", "6 agents")
        page.fill("#id_uniform", "vests marked POLICE ICE, masks")
        page.fill("#id_rationale", "Saw two men put into a grey SUV by agents in ICE vests.")
        screenshot(page, "incidents-dispatch")
        page.locator("form:has(input[value=close]) button[type=submit]").click()
        page.wait_for_load_state()
        dispatch.refresh_from_db()
        assert (
            dispatch.acknowledged_at and dispatch.arrived_at and dispatch.outcome == "confirmed_immigration"
        )

        # the incident is now confirmed, on record, with its map drawn from the shipped outlines
        page.goto(f"{base}/incidents/{incident.code}/")
        incident.refresh_from_db()
        assert incident.verification_level == "confirmed"
        assert page.locator(".badge.ok[data-level]").count() == 1  # a publishable level, shown as such
        assert page.locator(".timeline .tl-verification").count() == 1
        assert page.locator(".timeline .tl-outcome").count() == 1
        page.wait_for_selector("#incident-map.outlines-loaded", timeout=20_000)
        assert page.locator("#incident-map .leaflet-overlay-pane path, #incident-map canvas").count() >= 1
        assert page.locator("#incident-map .leaflet-tile").count() == 0
        screenshot(page, "incidents-incident")
        assert not problems, problems
