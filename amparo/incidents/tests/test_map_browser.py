"""The incident map in a real Chromium (review items 2 and 4 of December 2026; L3 of the security review).

- an incident with a point and no state or county shows its red marker above the outlines (pixels counted);
- the incident and the dispatch pages say where to go: words, coordinates, a ``geo:`` link and an OpenStreetMap link;
- markup planted in every field the incident map, the incident page, the lists and the dispatch page show stays
  text: the DOM has no planted element, the map tooltip shows the markup as characters.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from amparo.browser import ARTIFACTS, browser, screenshot, sign_in, watch_problems
from amparo.incidents import actions
from amparo.incidents.tests.factories import make_incident, make_report
from amparo.testing import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS_MAP = ARTIFACTS / "incidents-map-marker.png"
PLANT = '<b id="xq7tip">INJECTED</b><a id="xq7link" href="https://evil.example/login">Sign in again</a>'


def red_pixels(png: bytes) -> int:
    """Pixels close to the marker's fill (#a4161a)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    red = 0
    for r, g, b in image.getdata():  # type: ignore[attr-defined]  # RGB tuples
        red += r > 130 and g < 60 and b < 60
    return red


def test_item2_a_point_without_state_or_county_shows_its_marker_above_the_outlines(
    live_server: Any, personas: Personas
) -> None:
    base = str(live_server)
    incident = make_incident(
        personas.north, latitude=34.1066, longitude=-117.3703, admin1="", admin2="", locality=""
    )
    dispatch = actions.do_create_dispatch(personas.user("alice"), personas["vera"], incident=incident)
    with browser() as context:
        page = context.new_page()
        page.set_viewport_size({"width": 360, "height": 800})
        problems = watch_problems(page)
        sign_in(context, base, personas["vera"])
        page.goto(f"{base}/incidents/{incident.code}/?lang=en")
        page.wait_for_selector("#incident-map.outlines-loaded", timeout=20_000)
        page.wait_for_timeout(300)
        page.locator("#incident-map").scroll_into_view_if_needed()
        shot = page.screenshot(clip=page.locator("#incident-map").bounding_box(), path=str(ARTIFACTS_MAP))
        assert red_pixels(shot) >= 100, "no marker drawn"
        assert page.locator("#incident-map .leaflet-tile").count() == 0  # no tile server: outlines only
        assert page.locator("a[data-geo]").get_attribute("href").startswith("geo:34.106600,-117.370300")
        screenshot(page, "incidents-map-no-state")

        page.goto(f"{base}/dispatches/{dispatch.code}/?lang=en")
        where = page.locator("[data-where]")
        assert "34.106600, -117.370300" in where.inner_text()
        assert "Arrests at 5th and Main" not in where.inner_text()
        assert page.locator("a[data-geo]").get_attribute("href").startswith("geo:34.106600,-117.370300")
        assert "openstreetmap.org/?mlat=34.106600&mlon=-117.370300" in page.locator(
            "a[data-osm]"
        ).get_attribute("href")
        screenshot(page, "incidents-dispatch-where")
        assert not problems, problems


def test_l3_markup_planted_in_every_shown_field_stays_text(live_server: Any, personas: Personas) -> None:
    base = str(live_server)
    incident = make_incident(
        personas.north,
        title=PLANT,
        place_name=PLANT,
        address=PLANT,
        locality=PLANT,
        admin2=PLANT[:100],
        admin1="IL",
        public_label=PLANT,
        notes_private=PLANT,
        notes_public=PLANT,
        operation_name=PLANT,
    )
    report = make_report(personas.north, place_text=PLANT, text=PLANT)
    report.incident = incident
    report.save(update_fields=["incident"])
    dispatch = actions.do_create_dispatch(
        personas.user("alice"), personas["vera"], incident=incident, safety_notes=PLANT
    )
    pages = [
        f"/incidents/{incident.code}/",
        "/incidents/",
        "/triage/",
        f"/triage/{report.code}/",
        "/dispatches/",
        f"/dispatches/{dispatch.code}/",
        "/incidents/search/?q=INJECTED",
    ]
    with browser() as context:
        page = context.new_page()
        sign_in(context, base, personas["alice"])
        for path in pages:
            page.goto(f"{base}{path}")
            if path == pages[0]:
                page.wait_for_selector("#incident-map.outlines-loaded", timeout=20_000)
                page.wait_for_selector("#incident-map.counties-loaded", timeout=20_000)
                page.locator("#incident-map .incident-point").hover()
                page.wait_for_selector(".leaflet-tooltip", timeout=5_000)
                assert "<b id=" in page.locator(".leaflet-tooltip").inner_text()
            assert "INJECTED" in page.content(), path  # the planted text is there, as text
            assert page.locator("#xq7tip, #xq7link").count() == 0, path
        screenshot(page, "incidents-l3-planted")


def test_l3_no_script_outside_vendor_builds_html_from_strings() -> None:
    """Every non-vendor script renders data with DOM calls and text nodes; these would parse strings as HTML."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    scripts = [p for p in root.glob("*/static/**/*.js") if "vendor" not in p.parts]
    assert len(scripts) >= 5 and any(p.name == "map.js" for p in scripts)
    risky = re.compile(
        r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|"
        r"\.bind(?:Tooltip|Popup)\(\s*(?:['\"`]|[\w.]+\s*\+|[\w.]*(?:text|caption|name|label|html)\w*\s*[,)])",
        re.IGNORECASE,
    )
    found = [
        f"{p.relative_to(root)}:{n}: {line.strip()}"
        for p in scripts
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if risky.search(line.split("//")[0]) and not line.lstrip().startswith(("/*", "*"))
    ]
    assert not found, found


def test_l3_markup_planted_in_public_fields_stays_text_on_the_public_map_charts_and_lists(
    live_server: Any, personas: Personas
) -> None:
    """The network's own term labels (the public layer shows them as "Other") and the public texts of published
    incidents reach the public map popups, the charts and the lists as text only."""
    from amparo.public import anonymise
    from amparo.public.tests.helpers import make_incident as make_public

    actions.do_save_term(
        personas.north,
        personas.user("alice"),
        vocabulary="location_type",
        code="xq7_place",
        label_en=PLANT,
        label_es=PLANT,
        label_de=PLANT,
    )
    for n in range(3):
        make_public(
            personas.north,
            location_type="xq7_place",
            public_label=PLANT,
            notes_public=PLANT,
            operation_name=PLANT,
            latitude=41.88 + n / 100,
            longitude=-87.63,
        )
    anonymise.rebuild()
    base = str(live_server)
    seen = 0
    with browser() as context:
        page = context.new_page()
        page.set_viewport_size({"width": 1100, "height": 800})
        page.goto(f"{base}/public/?lang=en")
        page.wait_for_selector("#map.states-loaded.points-loaded", timeout=20_000)
        for _ in range(4):  # zoom into clusters until single points show
            if page.locator(".leaflet-marker-icon.pm").count():
                break
            page.locator(".marker-cluster").first.click()
            page.wait_for_timeout(800)
        marker = page.locator(".leaflet-marker-icon.pm").first
        box = marker.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_selector(".leaflet-popup-content", timeout=10_000)
        assert page.locator(".leaflet-popup-content a").count() == 1  # the popup is built (from DOM calls)
        assert page.locator("#xq7tip, #xq7link").count() == 0
        link = page.locator(".leaflet-popup-content a").get_attribute("href")
        for path in ["/public/charts/?lang=en", "/public/incidents/?lang=en", link, "/public/?lang=en"]:
            page.goto(f"{base}{path}" if path.startswith("/") else path)
            seen += page.content().count("INJECTED")
            assert page.locator("#xq7tip, #xq7link").count() == 0, path
        screenshot(page, "public-l3-planted")
    assert seen >= 2  # the planted text did reach the pages, as text
