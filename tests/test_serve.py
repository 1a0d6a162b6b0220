"""`amparo serve` starts a real gunicorn and worker, prints the sign-in link, and the link works over real HTTP."""

from __future__ import annotations

import http.client
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

# Runs Amparo's embedded SQLite setup whatever DATABASE_URL says: the SQLite pass runs it, the PostgreSQL pass skips it.
pytestmark = pytest.mark.embedded


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


def _descendants(pid: int) -> set[int]:
    """Every process under ``pid`` (from /proc), to check none is left running after a stop."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*/children"):
            for child in task.read_text().split():
                found.add(int(child))
                todo.append(int(child))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_15_ctrl_c_stops_gunicorn_and_the_worker_within_5_seconds_quietly(tmp_path: Path) -> None:
    """Ctrl+C (SIGINT to the process group) during a request still being sent ends everything in under 5 s, without
    gunicorn's "was sent SIGKILL! Perhaps out of memory?"; createuser meanwhile prints the port the server uses."""
    env = {
        **os.environ,
        "AMPARO_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "AMPARO_TASKS_BACKEND": "database",
    }
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "amparo.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        process_group=0,  # its own group, as a terminal gives it: the SIGINT below goes to the whole group
    )
    stuck = socket.socket()
    idle: http.client.HTTPConnection | None = None
    try:
        lines = []
        while "Press Ctrl+C" not in "".join(lines):
            line = proc.stdout.readline()  # type: ignore[union-attr]
            assert line, "".join(lines)
            lines.append(line)
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        created = subprocess.run(
            [
                sys.executable,
                "-m",
                "amparo.cli",
                "createuser",
                "nora",
                "--network",
                "Red",
                "--create-network",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert f"http://127.0.0.1:{port}/accounts/link/" in created.stdout, created.stdout + created.stderr
        # static files: content-hashed names, compressed, kept by browsers for a long time
        login = urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10).read().decode()
        css = re.search(r'href="(/static/amparo/amparo\.[0-9a-f]{12}\.css)"', login)
        assert css, login
        asked = urllib.request.Request(
            f"http://127.0.0.1:{port}{css.group(1)}", headers={"Accept-Encoding": "br"}
        )
        answer = urllib.request.urlopen(asked, timeout=10)
        assert answer.headers["Content-Encoding"] == "br"
        assert "immutable" in answer.headers["Cache-Control"]
        assert int(re.search(r"max-age=(\d+)", answer.headers["Cache-Control"]).group(1)) >= 365 * 86400  # type: ignore[union-attr]
        children = _descendants(proc.pid)
        assert len(children) >= 4, children  # gunicorn, its two workers, the task worker
        warm = [pid for pid in children if b"warm_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        # each web worker keeps a warm media sandbox (gunicorn_conf.py), and so does the task worker, at its lower
        # priority (server.run_worker): what it decodes yields the processor to the web server's requests
        assert len(warm) == 3, children
        niceness = sorted(
            int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16]) for pid in warm
        )
        assert niceness[0] == niceness[1] < niceness[2], niceness
        # an idle connection outlives a client's pause (gunicorn's default of 2 s reset requests sent as it closed,
        # docs/scaling.md), and, left open, does not hold up the stop below
        idle = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        idle.request("GET", "/health/")
        assert idle.getresponse().read() is not None
        first_socket = idle.sock
        time.sleep(3.5)
        idle.request("GET", "/health/")
        again = idle.getresponse()
        assert again.status == 200 and idle.sock is first_socket
        again.read()
        # a request whose body never finishes keeps a worker thread busy: the stop must not wait for it
        stuck.connect(("127.0.0.1", port))
        stuck.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\nusername="
        )
        time.sleep(1.0)
        started = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        output, _ = proc.communicate(timeout=15)
        took = time.monotonic() - started
    finally:
        stuck.close()
        if idle is not None:
            idle.close()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert took < 5, (took, output)
    assert proc.returncode == 0, output
    assert "SIGKILL" not in output and "Traceback" not in output and "ERROR" not in output, output
    assert "Amparo stopped." in output
    time.sleep(0.5)
    left = [pid for pid in children if _alive(pid)]
    assert not left, left
    assert not (tmp_path / "serving.json").exists()


@pytest.mark.parametrize(
    ("host", "warned"),
    [("127.0.0.1", False), ("localhost", False), ("::1", False), ("[::1]", False), ("0.0.0.0", True), ("::", True),  # noqa: S104
     ("192.168.1.20", True), ("amparo.lan", True)],
)  # fmt: skip
def test_embedded_mode_on_a_network_address_warns_of_plain_http(host: str, warned: bool) -> None:
    """Threat model: `amparo serve --host 0.0.0.0` in embedded mode serves passwords and reports in the clear."""
    from amparo import server

    assert server._loopback(host) is not warned
    assert "plain HTTP" in server.plain_http_warning(host) and host in server.plain_http_warning(host)
