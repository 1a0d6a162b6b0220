"""L6 of the December 2026 security review: throttles count atomically, seen through a real gunicorn with several
processes and threads on one SQLite file, the way `amparo serve` runs."""

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

from amparo.testing import PASSWORD

PARALLEL = 40
LIMIT = 5
SETUP = f"""
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)  # as `amparo serve` does
from amparo.accounts import actions
network = actions.do_create_network("Red Paralela")
actions.do_create_member(network, "race-ro", "readonly", password={PASSWORD!r})
"""


GUNICORN = [sys.executable, "-m", "gunicorn", "amparo.wsgi:application", "--workers", "2", "--threads", "20"]
GUNICORN += ["--worker-class", "gthread", "--log-level", "warning"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_l6_forty_parallel_wrong_passwords_are_checked_no_more_than_the_limit(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "AMPARO_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": "",
        "AMPARO_SIGNIN_MAX_FAILURES": str(LIMIT),
        "DJANGO_SETTINGS_MODULE": "amparo.settings",
    }
    amparo = [sys.executable, "-m", "amparo.cli"]
    subprocess.run(
        [*amparo, "manage", "shell", "-c", SETUP], env=env, check=True, capture_output=True, timeout=120
    )
    port = free_port()
    server = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a loaded machine starts gunicorn slowly
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/health/", timeout=5)
                break
            except OSError:  # refused, reset or timed out while it starts
                time.sleep(0.2)
        openers, tokens = [], []
        for _ in range(
            PARALLEL
        ):  # each attacker has its own cookies and form token, as separate browsers would
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
            )
            page = opener.open(f"{base}/accounts/login/", timeout=60).read().decode()
            tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))  # type: ignore[union-attr]
            openers.append(opener)
        start = threading.Barrier(PARALLEL)

        def attempt(n: int) -> str:
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": tokens[n], "username": "race-ro", "password": "wrong password"}
            ).encode()
            request = urllib.request.Request(
                f"{base}/accounts/login/", data=body, headers={"Accept-Language": "en"}
            )
            start.wait()
            try:
                return str(openers[n].open(request, timeout=120).read().decode())
            except urllib.error.HTTPError as answer:  # the form's 400
                return str(answer.read().decode())

        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            pages = list(pool.map(attempt, range(PARALLEL)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    checked = sum("do not match" in page for page in pages)
    refused = sum("Too many failed attempts" in page for page in pages)
    assert (checked, refused) == (LIMIT, PARALLEL - LIMIT)
