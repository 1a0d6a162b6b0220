"""Review item 23 (December 2026): the hotline operator finds the place instead of typing coordinates."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from amparo.browser import browser, screenshot, sign_in, watch_problems
from amparo.incidents.models import Report
from amparo.intake import places
from amparo.testing import Personas


def test_towns_are_found_the_way_an_operator_types_them() -> None:
    assert places.search("Pomona, CA")[0].name == "Pomona"
    assert places.search("pomona ca")[0].state == "CA"
    assert places.search("POMONA")[0].name == "Pomona"
    first = places.search("san bernardino")[0]
    assert (first.name, first.state) == ("San Bernardino", "CA")
    assert abs(first.latitude - 34.108) < 0.1 and abs(first.longitude + 117.29) < 0.1
    assert places.search("Canon City")[0].name == "Cañon City"  # accents the operator does not type
    assert places.search("bernardino")[0].name == "San Bernardino"  # a word inside the name
    assert {t.state for t in places.search("Springfield", limit=8)} >= {"IL", "MA", "MO"}
    assert places.search("springfield il")[0].state == "IL"
    assert places.search("") == [] and places.search("p") == [] and places.search(",,,") == []
    assert places.search("xqzvw") == []
    assert len(places.search("san")) == places.MAX_ANSWERS


@pytest.mark.django_db
def test_the_look_up_is_for_members_who_take_calls(personas: Personas, client_as: Any, client: Any) -> None:
    url = reverse("intake:places")
    answer = client_as("omar").get(url, {"q": "Pomona, CA"})
    assert answer.status_code == 200
    assert answer.json()["places"][0] == {"label": "Pomona, CA", "lat": 34.05529, "lon": -117.75228}
    assert client_as("omar").get(url, {"q": "x" * 5000}).json() == {"places": []}
    assert client_as("rita").get(url, {"q": "Pomona"}).status_code == 403
    assert client.get(url, {"q": "Pomona"}).status_code == 302


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_operator_on_a_phone_picks_a_town_then_the_spot_and_saves(
    live_server: Any, personas: Personas
) -> None:
    base = str(live_server)
    with browser() as context:
        page = context.new_page()
        page.set_viewport_size({"width": 360, "height": 800})
        problems = watch_problems(page)
        sign_in(context, base, personas["omar"])
        page.goto(f"{base}/intake/call/")
        page.wait_for_selector("#place-picker:not([hidden])")
        page.fill("#id_activity", "Detienen a dos personas en la parada")
        page.locator("#picker-town").press_sequentially("Pomona", delay=40)
        page.wait_for_selector("#picker-towns option[value='Pomona, CA']", state="attached")
        page.fill("#picker-town", "Pomona, CA")
        page.locator("#picker-town").dispatch_event("change")
        assert page.input_value("#id_latitude") == "34.055290"
        assert page.input_value("#id_longitude") == "-117.752280"
        box = page.locator("#picker-map").bounding_box()
        assert box is not None and box["width"] <= 360
        # a few pixels off the town centre
        page.mouse.click(box["x"] + box["width"] / 2 + 5, box["y"] + box["height"] / 2)
        picked_lat = float(page.input_value("#id_latitude"))
        picked_lon = float(page.input_value("#id_longitude"))
        assert (picked_lat, picked_lon) != (34.05529, -117.75228)
        assert abs(picked_lat - 34.055) < 0.05 and abs(picked_lon + 117.752) < 0.05
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(page, "intake-call-place-finder")
        page.locator("button[type=submit].primary").click()
        page.wait_for_selector("text=Call saved to the triage queue")
        assert not problems, problems
    report = Report.objects.latest("received_at")
    assert report.latitude == pytest.approx(picked_lat, abs=1e-6)
    assert report.longitude == pytest.approx(picked_lon, abs=1e-6)
