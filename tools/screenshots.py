"""Screenshots of the triage queue, an incident, a dispatch and the open menu at 360 px, for one source tree.

Makes a fresh data folder with the tree's own demo, serves it, signs in the demo coordinator and verifier and prints
each page's scroll width (360 means no sideways scroll). Used for docs/screenshots/ (before/after the December 2026
newcomer review): check out the older commit with ``git worktree add --detach /tmp/wt-before <commit>``.

usage: .venv/bin/python tools/screenshots.py TREE OUTDIR PORT
"""
import os, subprocess, sys, time, urllib.request
tree, out, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = f"/tmp/shots-data-{os.path.basename(tree)}"
subprocess.run(["rm", "-rf", data])
env = {**os.environ, "AMPARO_DATA_DIR": data, "DATABASE_URL": "", "PYTHONPATH": tree}
py = "/work/main/.venv/bin/python"
subprocess.run([py, "-m", "amparo.cli", "manage", "migrate", "-v0"], env=env, check=True, cwd=tree)
subprocess.run([py, "-m", "amparo.cli", "demo"], env=env, check=True, cwd=tree, stdout=subprocess.DEVNULL)
server = subprocess.Popen([py, "-m", "amparo.cli", "serve", "--port", str(port)], env=env, cwd=tree,
                          stdout=open(f"{out}.log", "w"), stderr=subprocess.STDOUT, start_new_session=True)
base = f"http://127.0.0.1:{port}"
for _ in range(120):
    try:
        urllib.request.urlopen(base + "/accounts/login/", timeout=2); break
    except Exception:
        time.sleep(1)
os.environ.update(env); os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
sys.path.insert(0, tree)
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
django.setup()
from amparo.accounts.models import Membership
from amparo.testing import signed_in_client
from amparo.incidents.models import Incident, Dispatch
from playwright.sync_api import sync_playwright
os.makedirs(out, exist_ok=True)

def cookie(username):
    m = Membership.objects.select_related("user", "network").filter(user__username=username).first()
    c = signed_in_client(m)
    return [{"name": "sessionid", "value": c.cookies["sessionid"].value, "domain": "127.0.0.1", "path": "/"}], m

with sync_playwright() as p:
    b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                          args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                "--disable-component-update", "--disable-sync"])
    for user in ("coordinadora", "verificador"):
        ck, m = cookie(user)
        ctx = b.new_context(viewport={"width": 360, "height": 780}, locale="es-ES")
        ctx.add_cookies(ck)
        page = ctx.new_page()
        if user == "coordinadora":
            page.goto(base + "/triage/"); page.wait_for_timeout(800)
            page.screenshot(path=f"{out}/triage-360.png")
            w = page.evaluate("document.documentElement.scrollWidth"); print("triage scrollWidth", w)
            inc = Incident.objects.filter(network=m.network, latitude__isnull=False).order_by("-id").first()
            page.goto(f"{base}/incidents/{inc.code}/"); page.wait_for_timeout(1500)
            page.screenshot(path=f"{out}/incident-360.png", full_page=False)
            print("incident scrollWidth", page.evaluate("document.documentElement.scrollWidth"))
            page.goto(base + "/"); page.wait_for_timeout(500)
            btn = page.get_by_text("Menú").first  # the phone menu button (absent before the review)
            try:
                if btn.count():
                    btn.click(timeout=2000); page.wait_for_timeout(300)
            except Exception as e:
                print("menu click", e)
            page.screenshot(path=f"{out}/menu-360.png", full_page=False)
            print("menu scrollWidth", page.evaluate("document.documentElement.scrollWidth"))
        else:
            d = Dispatch.objects.filter(responder=m).order_by("-id").first() or Dispatch.objects.filter(network=m.network).first()
            page.goto(f"{base}/dispatches/{d.code}/"); page.wait_for_timeout(800)
            page.screenshot(path=f"{out}/dispatch-360.png", full_page=True)
            print("dispatch scrollWidth", page.evaluate("document.documentElement.scrollWidth"))
        ctx.close()
    b.close()
os.killpg(server.pid, 15)
