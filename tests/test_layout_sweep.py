"""Every page of every role fits a 360 px phone and a 1280 px desktop, and every menu item can be reached (issue 13,
review items 5 and 6).

The pages come from the URL conf (every route without a parameter) and from each part's tests/factories.py (a record of
Red Norte for every route with one); each role sees those it may open. One Chromium, one context per role, each page
measured at both widths: a page fails if it scrolls sideways (the document is wider than the window), or if a menu
item is hidden, off the screen or covered once the menu is opened. The public pages and the witness pages (report
form, thank-you page, follow-up) are walked the same way without signing in.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client

from amparo.allowlist import PUBLIC_URL_NAMES
from amparo.browser import ARGS, chromium_path, screenshot, sign_in
from amparo.testing import Personas, signed_in_client
from tests.test_urls import ALL, object_urls

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROLES = ["alice", "vera", "omar", "carla", "lena", "rita"]
WIDTHS = (360, 1280)
# Never opened: they sign out, stream files, or change state on GET.
SKIP_NAMES = {"accounts:logout", "set_language", "health"}
SKIP_PREFIXES = ("/static/", "/media/", "/api/", "/uploads/", "/log/", "/i18n/")
UUID = "[0-9a-f-]{36}"
SHOTS = {  # pages whose phone screenshots go to test-artifacts/ (looked at for issue 13)
    r"/triage/": "triage",
    rf"/triage/{UUID}/": "report",
    rf"/incidents/{UUID}/": "incident",
    rf"/dispatches/{UUID}/": "dispatch",
    r"/evidence/": "evidence",
    rf"/evidence/{UUID}/": "evidence-item",
}

# What overflows, for the failure message: the elements that reach past the window's right edge.
OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1) {
      const parent = el.parentElement && el.parentElement.getBoundingClientRect();
      if (!parent || parent.right <= width + 1) {
        wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
          ' ' + Math.round(r.right) + 'px');
      }
    }
  }
  return [document.documentElement.scrollWidth + 'px wide'].concat(wide.slice(0, 5));
}"""

# Menu items that cannot be reached: not shown, outside the window, or under something else at their centre.
UNREACHABLE = """() => {
  const bad = [];
  for (const a of document.querySelectorAll('nav.nav a')) {
    // scroll the page up or down to it, never sideways: an item reached only by swiping the menu is out of reach
    window.scrollTo(0, a.getBoundingClientRect().top + window.scrollY - window.innerHeight / 2);
    const r = a.getBoundingClientRect();
    const label = a.textContent.trim();
    if (r.width === 0 || r.height === 0) { bad.push(label + ': hidden'); continue; }
    if (r.left < 0 || r.right > window.innerWidth + 1) { bad.push(label + ': off screen'); continue; }
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (!hit || !(hit === a || a.contains(hit))) bad.push(label + ': covered');
  }
  return bad;
}"""


def staff_paths(personas: Personas) -> list[str]:
    """Every page of the URL conf: the routes without a parameter, and one factory-made record for the others."""
    paths = [
        "/" + route
        for name, route, _p in ALL
        if "<" not in route and name not in PUBLIC_URL_NAMES and name not in SKIP_NAMES
    ]
    for name, make_url in sorted(object_urls().items()):
        if name not in SKIP_NAMES:
            paths.append(make_url(personas))
    return [p for p in dict.fromkeys(paths) if not p.startswith(SKIP_PREFIXES)]


def pages_for(client: Client, paths: list[str]) -> list[str]:
    """The paths that answer this client with an HTML page (each role sees only those its role may open)."""
    found = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            found.append(path)
    return found


def open_menu(page: Any) -> None:
    """Open the menu the way a person does: press its button when it shows one (on a phone)."""
    button = page.locator("nav.nav .nav-button")
    if button.count() and button.is_visible() and not page.locator("#nav-toggle").is_checked():
        button.click()


def measure(page: Any, base: str, path: str, who: str, problems: list[str]) -> None:
    title = page.title()
    if not re.fullmatch(r"\S.* · \S.*", title):
        problems.append(f'{who} {path}: title {title!r} is not "Page · Amparo"')
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        wide = page.evaluate(OVERFLOW)
        if wide:
            problems.append(f"{who} {width}px {path}: scrolls sideways: {wide}")
        if page.locator("nav.nav").count():
            open_menu(page)
            unreachable = page.evaluate(UNREACHABLE)
            if unreachable:
                problems.append(f"{who} {width}px {path}: menu items out of reach: {unreachable}")


def shot_name(path: str) -> str | None:
    for pattern, name in SHOTS.items():
        if re.fullmatch(pattern, path):
            return name
    return None


@pytest.fixture
def chromium() -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=ARGS, headless=True)
        yield browser
        browser.close()


# One test per role, so that the test processes share the sweep out (it took two to three minutes in one).
@pytest.mark.parametrize("who", ROLES)
def test_every_page_of_a_role_fits_a_phone_and_a_desktop(
    live_server: Any, personas: Personas, chromium: Any, who: str
) -> None:
    started = time.monotonic()
    base = str(live_server)
    paths = staff_paths(personas)
    assert len(paths) > 60, paths  # the discovery can fail
    problems: list[str] = []
    html = pages_for(signed_in_client(personas["alice"]), paths)  # the coordinator's pages hold every role's
    context = chromium.new_context(viewport={"width": 360, "height": 800}, locale="es-ES")
    sign_in(context, base, personas[who])
    page = context.new_page()
    own = 0
    for path in html:
        page.set_viewport_size({"width": 360, "height": 800})
        if page.goto(base + path).status != 200:
            continue  # not for this role
        own += 1
        name = shot_name(path)
        if who == "alice" and name:
            screenshot(page, f"layout-360-{name}")
        measure(page, base, path, who, problems)
    assert own >= (40 if who == "alice" else 3), (who, own)
    # every menu item answers a real click, on a phone and on a desktop
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(base + "/")
        hrefs = page.eval_on_selector_all("nav.nav a", "els => els.map(e => e.getAttribute('href'))")
        assert len(hrefs) >= 2, who
        for i, href in enumerate(hrefs):  # from the page the item before led to
            open_menu(page)
            if who == "alice" and i == 0:
                screenshot(page, f"layout-{width}-menu")
            page.locator(f'nav.nav a[href="{href}"]').click(timeout=3000)
            page.wait_for_load_state()
            if page.url != base + href:
                problems.append(f"{who} {width}px: menu item {href} led to {page.url}")
    context.close()
    print(f"{who}: {own} pages, {time.monotonic() - started:.0f} s")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_every_public_and_witness_page_fits_a_phone_and_a_desktop(
    live_server: Any, personas: Personas, chromium: Any, settings: Any
) -> None:
    settings.INTAKE_FORM_MIN_SECONDS = 0  # the witness below types faster than a person
    assert personas["alice"]  # Red Norte, whose report form the witness fills in
    base = str(live_server)
    problems: list[str] = []
    measured = 0
    anonymous = chromium.new_context(viewport={"width": 360, "height": 800}, locale="es-ES")
    page = anonymous.new_page()
    public = [
        p
        for p in pages_for(Client(), ["/" + route for name, route, _p in ALL if name in PUBLIC_URL_NAMES])
        if not p.startswith(SKIP_PREFIXES)
    ]
    assert "/public/" in public and "/report/" in public, public
    for path in [*public, "/report/red-norte/"]:
        page.set_viewport_size({"width": 360, "height": 800})
        page.goto(base + path)
        measure(page, base, path, "public", problems)
        measured += 1
    # the witness's own pages: the thank-you page with the follow-up code, and the follow-up page
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(base + "/report/red-norte/")
    page.fill(
        "textarea[name=text]", "Dos camionetas sin placas frente a la lavandería, se llevaron a un señor."
    )
    page.click("button.send")
    code = page.locator("#followup-code").inner_text().strip()
    measure(page, base, "/report/red-norte/ (thanks)", "witness", problems)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(base + "/followup/")
    page.fill("input[name=code]", code)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    measure(page, base, "/followup/ (with code)", "witness", problems)
    measured += 2
    anonymous.close()
    print(f"measured {measured} public and witness pages at {len(WIDTHS)} widths")
    assert measured > 5
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_checks_see_a_page_that_scrolls_sideways_and_a_hidden_menu_item(live_server: Any) -> None:
    """The two measurements catch what they are meant to catch, on a page made to fail them."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 360, "height": 800})
        page.set_content(
            "<nav class=nav><a href=/a>A</a><a href=/b hidden>B</a></nav><p><code>"
            + "f" * 200
            + "</code></p>"
        )
        problems: list[str] = []
        measure(page, str(live_server), "/made-up/", "test", problems)
        browser.close()
    assert any("scrolls sideways" in p and "code" in p for p in problems), problems
    assert any("B: hidden" in p for p in problems), problems
    assert any("title ''" in p for p in problems), problems
