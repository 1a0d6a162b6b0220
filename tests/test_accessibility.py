"""Every page a coordinator can reach from the menu, and every public page, passes axe-core's checks for serious and
critical problems (labels, contrast, names of controls, landmarks, language) on a phone-sized screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from amparo.allowlist import PUBLIC_URL_NAMES
from amparo.browser import ARGS, chromium_path, sign_in
from amparo.testing import Personas

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def serious_violations(page: object) -> list[str]:
    page.add_script_tag(content=AXE)  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    return list(result)


def public_paths() -> list[str]:
    paths = []
    for name in sorted(PUBLIC_URL_NAMES):
        try:
            paths.append(reverse(name))
        except NoReverseMatch:
            continue  # needs a parameter: reached by following links instead
    return [p for p in paths if not p.startswith(("/i18n/", "/health/", "/uploads/", "/api/", "/log/"))]


def test_pages_have_no_serious_accessibility_problems(live_server: object, personas: Personas) -> None:
    from playwright.sync_api import sync_playwright

    base = str(live_server)
    problems: dict[str, list[str]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=ARGS, headless=True)
        anonymous = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="es-ES", bypass_csp=True
        )
        page = anonymous.new_page()
        checked = 0
        for path in public_paths():
            response = page.goto(base + path)
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            checked += 1
            found = serious_violations(page)
            if found:
                problems[path] = found
        assert checked >= 1
        staff = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-ES", bypass_csp=True)
        sign_in(staff, base, personas["alice"])
        page = staff.new_page()
        page.goto(base + "/")
        links = page.eval_on_selector_all("nav.nav a", "els => els.map(e => e.getAttribute('href'))")
        assert links
        for path in dict.fromkeys(links):
            page.goto(base + path)
            found = serious_violations(page)
            if found:
                problems[path] = found
        browser.close()
    assert not problems, problems
