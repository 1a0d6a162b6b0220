"""On a phone-sized screen a witness files a report with a video (resumable upload with a progress bar), sees the
follow-up code, comes back with it and adds a photo. Nothing is loaded from another site."""

from __future__ import annotations

from pathlib import Path

import pytest

from amparo.browser import ARGS, chromium_path, screenshot
from amparo.incidents.models import Report
from amparo.intake.tests.media import make_video, save_photo
from amparo.testing import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_witness_reports_with_a_video_and_adds_a_photo_later(
    live_server: object, personas: Personas, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    video = make_video(tmp_path / "witness.mp4", seconds=2, size=(320, 240), noise=True)
    photo = save_photo(tmp_path / "later.jpg")
    base = str(live_server)
    requested: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=ARGS, headless=True)
        page = browser.new_page(locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True)
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{base}/report/")
        page.click("text=Red Norte")
        page.wait_for_url("**/report/red-norte/")
        page.fill("textarea[name=text]", "Three masked agents took a man from the bus stop on 5th Street.")
        page.fill("input[name=place_text]", "Bus stop, 5th Street and Main")
        page.set_input_files("input[name=files]", str(video))
        page.wait_for_selector(".uploads[data-state=done]", timeout=30000)
        assert page.locator("input[name=upload_ids]").input_value()
        assert page.locator(".uploads progress").first.get_attribute("value") == "100"
        screenshot(page, "intake-report-uploaded")
        page.wait_for_timeout(3000)  # a person takes longer than INTAKE_FORM_MIN_SECONDS; a script must wait
        page.click("button.send")
        code = page.locator("#followup-code").inner_text().strip()
        assert len(code.split("-")) == 6
        screenshot(page, "intake-report-code")

        page.goto(f"{base}/followup/")
        page.fill("input[name=code]", code)
        page.click("button[type=submit].primary")
        page.wait_for_selector("text=Receipts for your files")
        page.fill("textarea[name=text]", "Here is a photo of the van.")
        page.set_input_files("input[name=files]", str(photo))
        page.wait_for_selector(".uploads[data-state=done]", timeout=30000)
        assert page.locator("input[name=upload_ids]").input_value()
        page.click("button.send")
        page.wait_for_selector("text=We added it to your report")
        assert page.locator("ul.receipts li").count() == 2
        screenshot(page, "intake-followup-added")
        browser.close()
    report = Report.objects.get()
    assert report.channel == "web_form" and "photo of the van" in report.text
    assert sorted(f.via for f in report.intake_files.all()) == ["tus", "tus"]
    assert requested and all(url.startswith(base) for url in requested), "a request left the site"


def test_an_operator_types_a_call_with_the_keyboard_only(live_server: object, personas: Personas) -> None:
    import pyotp
    from playwright.sync_api import sync_playwright

    from amparo.accounts import actions as account_actions
    from amparo.testing import PASSWORD

    omar = personas.user("omar")
    account_actions.do_confirm_two_factor(omar, omar.totp_secret, 0)
    base = str(live_server)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=ARGS, headless=True)
        page = browser.new_page(locale="en-US", viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", "omar")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url("**/accounts/login/code/")
        page.fill("input[name=code]", pyotp.TOTP(omar.totp_secret).now())
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{base}/")
        page.goto(f"{base}/intake/call/")
        page.select_option("select[name=priority]", "critical")
        page.focus("input[name=agents_count_low]")
        page.keyboard.type("5")
        page.keyboard.press("Tab")
        page.keyboard.type("Taking people from the laundromat")
        page.keyboard.press("Tab")
        page.keyboard.type("Laundromat on 3rd Street")
        page.keyboard.press("Enter")  # Enter in a single-line field saves the call
        page.wait_for_selector("text=Call saved to the triage queue")
        screenshot(page, "intake-operator-call")
        browser.close()
    report = Report.objects.get()
    assert report.channel == "hotline_voice" and report.priority == "critical"
    assert report.agents_count_low == 5 and report.place_text == "Laundromat on 3rd Street"
    assert report.activity == "Taking people from the laundromat"
