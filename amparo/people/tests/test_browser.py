"""In a real browser: a caseworker records an arrest, a locator check and a referral, and the person leaves the
"no lawyer" list once the referral is accepted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from amparo.browser import browser, screenshot
from amparo.legal.tests.factories import make_provider
from amparo.people.models import Person
from amparo.testing import Personas, signed_in_client


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_caseworker_follows_an_arrest_until_a_lawyer_accepts(personas: Personas, live_server: Any) -> None:
    provider = make_provider(personas, "Clínica Legal del Norte")
    provider_pk = str(provider.pk)
    cookie = signed_in_client(personas["carla"]).cookies["sessionid"].value
    taken = (timezone.now() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    with browser() as context:
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/people/new/")
        page.fill("#id_legal_name", "Eréndira Tonantzin Valdivia")
        page.fill("#id_a_number", "A 203-114-987")
        page.fill("#id_taken_at", taken)
        page.fill("#id_languages", "es, nah")
        page.select_option("#id_role", "detained")
        page.click("button.primary")
        page.wait_for_selector("#custody-status")
        case_code = page.url.rstrip("/").rsplit("/", 1)[
            -1
        ]  # no ORM here: Playwright's loop runs in this thread
        assert case_code.startswith("P-") and "203114987" not in page.url
        assert "Eréndira Tonantzin Valdivia" in page.content()
        screenshot(page, "people-1-arrest-recorded")

        page.click("a[href$='/locator/']")
        page.select_option("#id_mode", "odls_a_number")
        page.select_option("#id_result", "not_found")
        page.click("button.primary")
        page.wait_for_selector("#locator-checks")
        assert "ICE locator: A-number" in page.inner_text("#locator-checks")
        assert case_code in page.inner_text("#tasks")  # "not found" opened a follow-up task
        screenshot(page, "people-2-locator-check")

        page.goto(f"{live_server.url}/casework/follow-up/")
        assert case_code in page.inner_text("#list-no-lawyer")
        screenshot(page, "people-3-no-lawyer")

        page.goto(f"{live_server.url}/people/{case_code}/")
        page.click("a[href$='/refer/']")
        page.select_option("#id_provider", provider_pk)
        page.click("button.primary")
        page.wait_for_selector("#referrals")
        assert "Clínica Legal del Norte" in page.inner_text("#referrals")
        page.click("#referrals a[href$='/answer/']")
        page.select_option("#id_outcome", "accepted")
        page.click("button.primary")
        page.wait_for_selector("#custody-status")
        screenshot(page, "people-4-referral-accepted")

        page.goto(f"{live_server.url}/casework/follow-up/")
        assert case_code not in page.inner_text("#list-no-lawyer")
        screenshot(page, "people-5-left-the-list")
    person = Person.objects.get(case_code=case_code)
    assert person.representation_status == "represented_full"
