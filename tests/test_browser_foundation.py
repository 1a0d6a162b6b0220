"""A coordinator signs in with two factors in a real Chromium, switches language and sees the dashboard."""

from __future__ import annotations

import pyotp
import pytest

from amparo.accounts import actions
from amparo.browser import ARGS, chromium_path, screenshot
from amparo.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_two_factors_switch_language_and_see_the_dashboard(
    live_server: object, personas: Personas
) -> None:
    from playwright.sync_api import sync_playwright

    alice = personas.user("alice")
    actions.do_confirm_two_factor(alice, alice.totp_secret, 0)
    base = str(live_server)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=ARGS, headless=True)
        page = browser.new_page(locale="es-ES", viewport={"width": 390, "height": 844})
        page.goto(f"{base}/")
        assert "/accounts/login/" in page.url
        assert page.locator("html").get_attribute("lang") == "es"
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url("**/accounts/login/code/")
        page.fill("input[name=code]", pyotp.TOTP(alice.totp_secret).now())
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{base}/")
        assert page.locator("h1").inner_text().startswith("Hola")
        screenshot(page, "foundation-dashboard-es")
        page.select_option("#lang-select", "de")
        page.click("form.lang button")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "de"
        assert page.locator("h1").inner_text().startswith("Hallo")
        assert "Red Norte" in page.content()
        screenshot(page, "foundation-dashboard-de")
        page.select_option("#lang-select", "en")
        page.click("form.lang button")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text().startswith("Hello")
        # keyboard use: the skip link is the first thing Tab reaches
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        browser.close()
