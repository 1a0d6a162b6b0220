"""The public map and charts in a real Chromium: outlines without any tile server, clustered points, SVG charts,
no CSP violations, and the pages that must work without JavaScript do. Screenshots go to test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest

from amparo.browser import ARGS, chromium_path, screenshot
from amparo.public import anonymise
from amparo.public.tests.helpers import make_incident
from amparo.testing import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLACES = [
    ("IL", "Cook", "Chicago", "healthcare"),
    ("IL", "Cook", "Chicago", "street_public"),
    ("IL", "Cook", "Chicago", "day_labor_site"),
    ("CA", "Los Angeles", "Los Angeles", "worksite"),
    ("CA", "Los Angeles", "Los Angeles", "school"),
    ("TX", "Harris", "Houston", "courthouse_immigration"),
    ("MN", "Hennepin", "Minneapolis", "place_of_worship"),
    ("NC", "Mecklenburg", "Charlotte", "commercial_retail"),
]


def publish(personas: Personas) -> None:
    for n in range(3):
        for state, county, city, lt in PLACES:
            make_incident(
                personas.north,
                admin1=state,
                admin2=county,
                locality=city,
                location_type=lt,
                incident_type="sweep" if n else "targeted_arrest",
                tactics=["masked_agents", "unmarked_vehicles"] if n else ["collateral_arrests"],
            )
    anonymise.rebuild()


def test_the_map_shows_outlines_and_clustered_points_and_the_charts_draw(
    live_server: Any, personas: Personas
) -> None:
    from playwright.sync_api import sync_playwright

    publish(personas)
    base = str(live_server)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        violations: list[str] = []
        page.on(
            "console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None
        )
        failed: list[str] = []
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.goto(f"{base}/public/?lang=en")
        page.wait_for_selector("#map.states-loaded.points-loaded", timeout=20_000)
        outlines = page.locator(".leaflet-overlay-pane path").count()
        assert outlines >= 50  # every state drawn from the vendored GeoJSON, no tile server involved
        assert page.locator("#map").get_attribute("data-point-count") == str(3 * len(PLACES))
        assert page.locator(".marker-cluster, .pm").count() >= 3
        assert page.locator(".leaflet-tile").count() == 0
        screenshot(page, "public-map")
        # zoom into a cluster and open a point's popup: its link leads to the incident page
        # a click that lands while the clusters are still being laid out is dropped by markercluster, as a person's
        # would be: click again until the cluster opens (a person does the same), for at most a few seconds
        for _attempt in range(10):
            page.locator(".marker-cluster").first.click()
            page.wait_for_timeout(500)
            if page.locator(".leaflet-marker-icon.pm").count():
                break
        screenshot(page, "public-map-zoomed")
        marker = page.locator(".leaflet-marker-icon.pm").last
        box = marker.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_selector(".leaflet-popup-content a", timeout=10_000)
        page.locator(".leaflet-popup-content a").click()
        page.wait_for_url("**/public/incidents/*/?lang=en")
        assert "Verification" in page.locator("dl.facts").inner_text()
        screenshot(page, "public-incident")
        assert not violations, violations
        assert not errors, errors
        assert not [u for u in failed if u.startswith(base)], failed

        page.goto(f"{base}/public/charts/?lang=es")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.locator("svg.chart-svg").count() == 5
        assert page.locator("svg.chart-svg .bar rect").count() >= 10
        assert (
            page.locator("#chart-location-types .bar-highlight").count() >= 4
        )  # formerly protected places stand out
        screenshot(page, "public-charts")
        assert not violations, violations
        browser.close()


def test_pages_other_than_the_map_work_without_javascript(live_server: Any, personas: Personas) -> None:
    from playwright.sync_api import sync_playwright

    publish(personas)
    base = str(live_server)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=ARGS, headless=True)
        context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(f"{base}/public/?lang=de")
        assert page.locator(".map-fallback").is_visible()
        page.locator("table.list a").first.click()
        page.wait_for_load_state()
        assert "/public/incidents/" in page.url and "lang=de" in page.url
        rows = page.locator("table.list tbody tr").count()
        assert rows >= 3
        page.locator("table.list tbody tr a").first.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text()
        page.goto(f"{base}/public/charts/")
        assert page.locator("svg.chart-svg").count() == 5
        screenshot(page, "public-charts-nojs-mobile")
        assert context.cookies() == []  # nothing on the public pages set a cookie
        browser.close()
