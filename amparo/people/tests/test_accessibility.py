"""The case file and the forms of this part pass axe-core's serious and critical checks on a phone-sized screen,
with real data on them (the project-wide sweep only reaches pages linked from the menu)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from amparo.browser import ARGS, chromium_path
from amparo.legal import actions as legal_actions
from amparo.legal.tests.factories import make_case, make_provider
from amparo.people import actions
from amparo.people.facilities import Facility
from amparo.testing import Personas, signed_in_client

AXE = Path(__file__).resolve().parents[3] / "tests" / "vendor" / "axe-core" / "axe.min.js"
QUERY = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
    ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_people_pages_have_no_serious_accessibility_problems(personas: Personas, live_server: Any) -> None:
    from playwright.sync_api import sync_playwright

    case = make_case(personas)
    person = case.person
    user = personas.user("carla")
    facility = Facility.objects.filter(network=None)[0]
    actions.do_record_locator_check(user, person, mode="odls_a_number", result="not_found")
    actions.do_record_custody(
        user, person, custodian="ice", status="in_ice_detention", source="family", facility=facility
    )
    actions.do_add_contact(user, person, relationship="madre", name="Ana", phone="+1 555 0100")
    referral = legal_actions.do_refer(user, person, make_provider(personas))
    code = person.case_code
    paths = [
        reverse("people:detail", args=[code]),
        reverse("people:edit", args=[code]),
        reverse("people:create"),
        reverse("people:custody_add", args=[code]),
        reverse("people:locator_add", args=[code]),
        reverse("people:contact_add", args=[code]),
        reverse("people:task_add", args=[code]),
        reverse("people:export", args=[code]),
        reverse("people:followup"),
        reverse("people:tasks"),
        reverse("people:facility", args=[facility.code]),
        reverse("legal:referral_answer", args=[referral.code]),
        reverse("legal:case_edit", args=[case.code]),
        reverse("legal:hearing_new", args=[case.code]),
        reverse("legal:provider_new"),
    ]
    axe = AXE.read_text(encoding="utf-8")
    cookie = signed_in_client(personas["alice"]).cookies["sessionid"].value  # before Playwright's loop starts
    problems: dict[str, list[str]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-ES", bypass_csp=True)
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        page = context.new_page()
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            page.add_script_tag(content=axe)
            found = list(page.evaluate(QUERY))
            if found:
                problems[path] = found
        browser.close()
    assert not problems, problems
