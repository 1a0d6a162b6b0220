"""Screenshots of the triage queue, an incident, a dispatch and the open menu at 360 px, for one source tree.

Makes a fresh data folder with the tree's own demo, serves it, signs in the demo coordinator and verifier and prints
each page's scroll width (360 means no sideways scroll). Used for docs/screenshots/ (before and after the December 2026
newcomer review): check out the older commit with ``git worktree add --detach /tmp/wt-before <commit>``.

usage: .venv/bin/python tools/screenshots.py TREE OUTDIR PORT
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

PYTHON = sys.executable
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def serve(tree: str, data: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    shutil.rmtree(data, ignore_errors=True)
    env = {**os.environ, "AMPARO_DATA_DIR": str(data), "DATABASE_URL": "", "PYTHONPATH": tree}
    cli = [PYTHON, "-m", "amparo.cli"]
    subprocess.run([*cli, "manage", "migrate", "-v0"], env=env, check=True, cwd=tree)  # noqa: S603
    subprocess.run([*cli, "demo"], env=env, check=True, cwd=tree, stdout=subprocess.DEVNULL)  # noqa: S603
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603 - our own command
            [*cli, "serve", "--port", str(port)],
            env=env,
            cwd=tree,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            break
        except OSError:
            time.sleep(1)
    os.environ.update(env)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is read beside Playwright's event loop
    sys.path.insert(0, tree)
    return server


def session_cookie(username: str) -> tuple[list[dict[str, str]], Any]:
    from amparo.accounts.models import Membership
    from amparo.testing import signed_in_client

    membership = Membership.objects.select_related("user", "network").filter(user__username=username).first()
    client = signed_in_client(membership)
    cookie = {
        "name": "sessionid",
        "value": client.cookies["sessionid"].value,
        "domain": "127.0.0.1",
        "path": "/",
    }
    return [cookie], membership


def shoot(base: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from amparo.incidents.models import Dispatch, Incident

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        for username in ("coordinadora", "verificador"):
            cookies, membership = session_cookie(username)
            context = chromium.new_context(viewport={"width": 360, "height": 780}, locale="es-ES")
            context.add_cookies(cookies)
            page = context.new_page()
            if username == "coordinadora":
                page.goto(f"{base}/triage/")
                page.screenshot(path=str(out / "triage-360.png"))
                print("triage", page.evaluate("document.documentElement.scrollWidth"))
                incident = Incident.objects.filter(network=membership.network, latitude__isnull=False).last()
                page.goto(f"{base}/incidents/{incident.code}/")
                page.wait_for_timeout(1500)
                page.screenshot(path=str(out / "incident-360.png"))
                print("incident", page.evaluate("document.documentElement.scrollWidth"))
                page.goto(f"{base}/")
                button = page.get_by_text("Menú").first  # the phone menu button (absent before the review)
                if button.count():
                    button.click()
                page.screenshot(path=str(out / "menu-360.png"))
                print("menu", page.evaluate("document.documentElement.scrollWidth"))
            else:
                dispatch = Dispatch.objects.filter(responder=membership).last()
                page.goto(f"{base}/dispatches/{dispatch.code}/")
                page.screenshot(path=str(out / "dispatch-360.png"), full_page=True)
                print("dispatch", page.evaluate("document.documentElement.scrollWidth"))
            context.close()
        chromium.close()


def main() -> None:
    tree, out, port = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    data = Path(tempfile.gettempdir()) / f"screenshots-data-{Path(tree).name}"
    server = serve(tree, data, port, out.with_suffix(".log"))
    try:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
        django.setup()
        shoot(f"http://127.0.0.1:{port}", out)
    finally:
        os.killpg(server.pid, signal.SIGTERM)


if __name__ == "__main__":
    main()
