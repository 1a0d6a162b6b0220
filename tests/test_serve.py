"""`amparo serve` starts a real gunicorn and worker, prints the sign-in link, and the link works over real HTTP."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_prints_a_link_that_signs_the_first_coordinator_in(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "AMPARO_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "AMPARO_TASKS_BACKEND": "immediate",
    }
    subprocess.run(
        [sys.executable, "-m", "amparo.cli", "demo"], env=env, check=True, capture_output=True, timeout=300
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "amparo.cli", "serve", "--port", str(port), "--workers", "1", "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        link = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and link is None:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            lines.append(line)
            match = re.search(r"(http://127\.0\.0\.1:\d+/accounts/link/\S+/)", line)
            if match:
                link = match.group(1)
        assert link, "".join(lines)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(50):
            try:
                opener.open(f"http://127.0.0.1:{port}/health/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        page = opener.open(link, timeout=10)
        assert page.geturl().endswith("/accounts/two-step/")
        body = page.read().decode()
        assert "<svg" in body
        assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
        # the link is single-use
        with pytest.raises(urllib.error.HTTPError) as second:
            urllib.request.urlopen(link, timeout=10)
        assert second.value.code == 404
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
