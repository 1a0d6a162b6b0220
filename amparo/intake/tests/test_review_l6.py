"""L6 of the December 2026 security review for intake: 200 parallel tus creations pass the limit of 60 no more than
60 times, and one form token is spent once, seen through a real gunicorn with two processes and many threads on one
SQLite file, the way `amparo serve` runs (and as several servers share one database)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

PARALLEL = 200
LIMIT = 60
SETUP = """
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from amparo.accounts import actions
actions.do_create_network("Red Paralela")
"""
GUNICORN = [sys.executable, "-m", "gunicorn", "amparo.wsgi:application", "--workers", "2", "--threads", "25"]
GUNICORN += ["--worker-class", "gthread", "--log-level", "warning"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def status(request: urllib.request.Request, opener: urllib.request.OpenerDirector | None = None) -> int:
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=120) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as answer:
        return int(answer.code)


@pytest.mark.slow
def test_l6_two_hundred_parallel_tus_creations_pass_at_most_sixty_and_a_form_token_is_spent_once(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "AMPARO_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": "",
        "AMPARO_INTAKE_UPLOADS_PER_HOUR": str(LIMIT),
        "AMPARO_INTAKE_FORM_MIN_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "amparo.settings",
    }
    amparo = [sys.executable, "-m", "amparo.cli"]
    subprocess.run(
        [*amparo, "manage", "shell", "-c", SETUP], env=env, check=True, capture_output=True, timeout=120
    )
    port = free_port()
    server = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/health/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with browser.open(f"{base}/report/", timeout=60) as first:  # redirected to the only network's form
            form_url, page = first.url, first.read().decode()
        found = re.search(r'name="form_token" value="([^"]+)"', page)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found and csrf
        token = found.group(1)
        start = threading.Barrier(PARALLEL)

        def create(_n: int) -> int:
            request = urllib.request.Request(
                f"{base}/uploads/",
                data=b"",
                method="POST",
                headers={"Tus-Resumable": "1.0.0", "Upload-Length": "10", "Amparo-Form-Token": token},
            )
            start.wait()
            return status(request)

        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            created = list(pool.map(create, range(PARALLEL)))
        twenty = threading.Barrier(20)

        def report(n: int) -> int:
            fields = {
                "csrfmiddlewaretoken": csrf.group(1),
                "text": f"witness {n} saw agents",
                "form_token": token,
            }
            twenty.wait()
            request = urllib.request.Request(
                form_url, data=urllib.parse.urlencode(fields).encode(), method="POST"
            )
            return status(request, browser)

        with ThreadPoolExecutor(max_workers=20) as pool:
            reports = list(pool.map(report, range(20)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert (created.count(201), created.count(429)) == (LIMIT, PARALLEL - LIMIT), sorted(set(created))
    assert sorted(reports) == [201] + [400] * 19  # one form token, sent twenty times at once: one report
