"""Review item 10 (December 2026): on a phone the report page starts with the decision, and keyboard hints show only
where there is a keyboard (a fine pointer that hovers), never running into the button labels. Item 9: the queue's
priority badges say how urgent in words, not a stub."""

from __future__ import annotations

from typing import Any

import pytest

from amparo.browser import ARGS, ARTIFACTS, chromium_path, sign_in
from amparo.incidents.tests.factories import make_report
from amparo.testing import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_item10_the_decide_box_comes_first_on_a_phone_and_hints_only_show_with_a_keyboard(
    live_server: Any, personas: Personas
) -> None:
    from playwright.sync_api import sync_playwright

    base = str(live_server)
    report = make_report(personas.north, priority="critical")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=ARGS, headless=True)
        phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        desktop = browser.new_context(viewport={"width": 1280, "height": 800})
        for context in (phone, desktop):
            sign_in(context, base, personas["alice"])
        page = phone.new_page()
        page.goto(f"{base}/triage/{report.code}/?lang=en")
        decide = page.locator("aside.desk-side").bounding_box()
        facts = page.locator("section.desk-main").bounding_box()
        assert decide is not None and facts is not None
        assert decide["y"] < facts["y"], (decide, facts)
        assert decide["y"] < 740  # on the first screen
        assert page.locator("kbd").count() >= 4
        assert not page.locator("p.keys").is_visible()
        assert all(not k.is_visible() for k in page.locator("kbd").all())
        assert page.locator("button[value=assign_me]").inner_text().strip() == "Assign to me"
        page.screenshot(
            path=str(ARTIFACTS / "h13-report-phone.png")
        )  # viewport: full-page capture drops touch emulation
        page.goto(f"{base}/triage/?lang=en")
        badge = page.locator("[data-priority]").first
        assert badge.inner_text().strip() == "Now: people taken"
        assert "happening now" in (badge.get_attribute("title") or "")
        page.screenshot(path=str(ARTIFACTS / "h13-triage-phone.png"))

        page = desktop.new_page()
        page.goto(f"{base}/triage/{report.code}/?lang=en")
        decide = page.locator("aside.desk-side").bounding_box()
        facts = page.locator("section.desk-main").bounding_box()
        assert decide is not None and facts is not None
        assert decide["x"] > facts["x"]  # beside the facts on a wide screen
        hint = page.locator("button[value=assign_me] kbd")
        assert hint.is_visible() and page.locator("p.keys").is_visible()
        label_right = page.locator("button[value=assign_me]").evaluate(
            "b => { const r = document.createRange(); r.selectNodeContents(b.firstChild); "
            "return r.getBoundingClientRect().right; }"
        )
        hint_box = hint.bounding_box()
        assert (
            hint_box is not None and hint_box["x"] >= label_right + 3
        )  # a gap: the hint never runs into the word
        browser.close()
