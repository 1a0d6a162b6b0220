"""On a phone, the triage desk's report page with its corroboration panel fits the screen."""

from __future__ import annotations

from typing import Any

import pytest

from amparo.browser import browser, screenshot, sign_in, watch_problems
from amparo.incidents.tests.factories import make_report
from amparo.testing import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_page_fits_a_phone(live_server: Any, personas: Personas) -> None:
    report = make_report(
        personas.north,
        text="Hay como seis agentes con chalecos de ICE y tres camionetas sin placas. Se llevaron a dos hombres.",
        claimed_agencies=["CBP_USBP"],
        people_taken_count=None,
        language="es",
    )
    base = str(live_server)
    with browser() as context:
        page = context.new_page()
        page.set_viewport_size({"width": 390, "height": 844})
        problems = watch_problems(page)
        sign_in(context, base, personas["alice"])
        page.goto(f"{base}/triage/{report.code}/?lang=en")
        assert page.locator("table.proposals tbody tr").count() >= 2
        label = page.locator("table.proposals td[data-label]").first.evaluate(
            "td => getComputedStyle(td, '::before').content"
        )
        assert "The text says" in label
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        screenshot(page, "corroboration-report-phone")
        assert not problems, problems
