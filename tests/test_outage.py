"""A database or object store that stops answering gives 503 with Retry-After, never a 500 or a false success.

The database case is end to end: a real ``amparo serve`` on a private PostgreSQL cluster whose postmaster is killed
with ``kill -9`` and started again. It runs in the SQLite pass only (it brings its own PostgreSQL); the PostgreSQL
pass skips it so that it does not run twice.
"""

from __future__ import annotations

import base64
import contextlib
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import RequestFactory

from amparo import outage, pgcluster, pool

ROOT = Path(__file__).resolve().parents[1]
SLUG = "red-caida"

SETUP = """
from amparo.cli import setup_django
setup_django()
from amparo.accounts.models import Network
from amparo.intake.actions import do_create_token
from amparo.intake.models import IntakePage
network = Network.objects.create(name="Red Caída")
IntakePage.objects.update_or_create(network=network, defaults={"slug": %r, "enabled": True})
_row, token = do_create_token(network, "Socio", None)
print(token)
"""
COUNT = """
from amparo.cli import setup_django
setup_django()
from amparo.incidents.models import Report
print(Report.objects.filter(text__contains="caida-del-servidor").count())
"""


class Browser:
    """urllib with a cookie jar: what a person's browser sends, CSRF cookie included."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            urllib.request.HTTPRedirectHandler(),
        )

    def request(
        self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(req, timeout=60) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()


@pytest.fixture
def served_on_private_postgres(
    tmp_path: Path,
) -> Iterator[tuple[pgcluster.PrivatePostgres, str, dict[str, str]]]:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("brings its own PostgreSQL: runs in the SQLite pass only")
    if pgcluster.server_binaries() is None:
        pytest.fail(
            "PostgreSQL's server binaries (initdb) are needed for this test: apt-get install postgresql"
        )
    cluster = pgcluster.PrivatePostgres().start()
    env = {
        **os.environ,
        "DATABASE_URL": cluster.create_database("amparo"),
        "AMPARO_DATA_DIR": str(tmp_path / "data"),
        "AMPARO_TASKS_BACKEND": "database",
        "AMPARO_INTAKE_FORM_MIN_SECONDS": "0",
    }
    port = pool.free_port()
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "amparo.cli", "serve", "--no-worker", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        pool.wait_http(f"http://127.0.0.1:{port}/accounts/login/", server, timeout=180)
        done = subprocess.run(
            [sys.executable, "-c", SETUP % SLUG],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        env["AMPARO_TEST_TOKEN"] = done.stdout.split()[-1]
        yield cluster, f"http://127.0.0.1:{port}", env
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        cluster.stop(remove=True)


def _form_fields(page: str) -> dict[str, str]:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    form_token = re.search(r'name="form_token" value="([^"]*)"', page)
    assert token is not None
    fields = {"csrfmiddlewaretoken": token.group(1)}
    if form_token is not None:
        fields["form_token"] = form_token.group(1)
    return fields


@pytest.mark.slow
def test_a_killed_database_answers_503_with_retry_after_and_saves_nothing(
    served_on_private_postgres: tuple[pgcluster.PrivatePostgres, str, dict[str, str]],
) -> None:
    cluster, base, env = served_on_private_postgres
    browser = Browser()
    status, _h, page = browser.request("GET", f"{base}/report/{SLUG}/", headers={"Accept-Language": "es"})
    assert status == 200
    fields = _form_fields(page.decode())
    fields.update({"text": "Agentes en la puerta de la escuela caida-del-servidor", "consent": "internal"})

    cluster.kill()  # kill -9: the database machine is gone mid-use

    status, headers, body = browser.request(
        "GET", f"{base}/report/{SLUG}/", headers={"Accept-Language": "es"}
    )
    assert status == 503, body[:500]
    assert headers["Retry-After"] == "5"
    text = body.decode()
    assert 'lang="es"' in text and "Amparo no está disponible por un momento" in text, text[:800]

    # The witness sends the form while the database is down: refused with 503, never a thank-you page.
    status, headers, body = browser.request(
        "POST",
        f"{base}/report/{SLUG}/",
        urllib.parse.urlencode(fields).encode(),
        {"Accept-Language": "de", "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 503 and headers["Retry-After"] == "5"
    assert "Amparo ist kurz nicht erreichbar" in body.decode()

    auth = {"Authorization": f"Bearer {env['AMPARO_TEST_TOKEN']}"}
    status, headers, body = browser.request(
        "POST",
        f"{base}/api/reports",
        json.dumps({"text": "caida-del-servidor por la API"}).encode(),
        {**auth, "Content-Type": "application/json"},
    )
    assert status == 503 and headers["Retry-After"] == "5"
    answer = json.loads(body)
    assert answer["unavailable"] == "database" and answer["retry_after"] == 5 and answer["detail"]

    status, headers, body = browser.request(
        "POST",
        f"{base}/uploads/",
        b"\xff\xd8 not yet a photo",
        {
            **auth,
            "Tus-Resumable": "1.0.0",
            "Upload-Length": "17",
            "Upload-Metadata": "filename " + base64.b64encode(b"a.jpg").decode(),
            "Content-Type": "application/offset+octet-stream",
        },
    )
    assert status == 503 and headers["Retry-After"] == "5" and headers["Tus-Resumable"] == "1.0.0"
    assert json.loads(body)["unavailable"] == "database"

    cluster.start()  # the same server answers again, with no restart of its own
    deadline = time.monotonic() + 30
    while True:
        status, _h, _b = browser.request("GET", f"{base}/report/{SLUG}/")
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert status == 200
    count = subprocess.run(
        [sys.executable, "-c", COUNT], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert count.returncode == 0, count.stderr
    assert count.stdout.split()[-1] == "0", (
        "nothing sent during the outage was stored half-way or acknowledged"
    )


def _unreachable_store_error() -> Exception:
    """A real boto3 error from an S3 endpoint where nothing listens (connection refused), no retries."""
    from botocore.config import Config
    from storages.backends.s3 import S3Storage

    storage = S3Storage(
        bucket_name="amparo-evidence",
        endpoint_url=f"http://127.0.0.1:{pool.free_port()}",
        access_key="a",
        secret_key="b",
        client_config=Config(retries={"max_attempts": 1}, connect_timeout=2),
    )
    try:
        storage.exists("originals/ab/abcd")
    except Exception as exc:
        return exc
    raise AssertionError("an S3 endpoint where nothing listens answered")


def test_an_unreachable_store_is_a_503_in_json_for_machines_and_a_page_for_people(settings: object) -> None:
    error = _unreachable_store_error()
    assert outage.outage_kind(error) == "storage"
    wrapped = RuntimeError("reading the original failed")
    wrapped.__cause__ = error
    assert outage.outage_kind(wrapped) == "storage", "the cause counts"

    middleware = outage.OutageMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    factory = RequestFactory()
    api = middleware.process_exception(factory.post("/api/reports", HTTP_ACCEPT_LANGUAGE="en"), error)
    assert api is not None and api.status_code == 503 and api["Retry-After"] == "5"
    assert json.loads(api.content)["unavailable"] == "storage"

    from django.utils import translation

    with translation.override("de"):
        page = middleware.process_exception(factory.get("/evidence/"), error)
    assert page is not None and page.status_code == 503 and page["Content-Type"].startswith("text/html")
    assert "Amparo ist kurz nicht erreichbar" in page.content.decode()


def test_other_errors_stay_errors() -> None:
    from botocore.exceptions import ClientError

    denied = ClientError(
        {"Error": {"Code": "AccessDenied"}, "ResponseMetadata": {"HTTPStatusCode": 403}}, "GetObject"
    )
    slow = ClientError(
        {"Error": {"Code": "SlowDown"}, "ResponseMetadata": {"HTTPStatusCode": 503}}, "PutObject"
    )
    assert outage.outage_kind(denied) is None, "a refused request is a bug to see, not an outage to wait out"
    assert outage.outage_kind(slow) == "storage"
    assert outage.outage_kind(ValueError("bad input")) is None
    middleware = outage.OutageMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("x")) is None


def test_a_background_task_waits_out_an_outage_but_not_a_bug() -> None:
    from django.db import OperationalError

    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("connection refused")  # what psycopg raises while PostgreSQL restarts
        return "done"

    assert outage.patiently(flaky, wait=0) == "done" and len(calls) == 3

    calls.clear()

    def broken() -> str:
        calls.append(1)
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        outage.patiently(broken, wait=0)
    assert len(calls) == 1, "a bug is not retried"

    calls.clear()

    def down() -> str:
        calls.append(1)
        raise OperationalError("still down")

    with pytest.raises(OperationalError):
        outage.patiently(down, attempts=3, wait=0)
    assert len(calls) == 3, "it gives up after its attempts (RQ's retries and the hourly sweep come next)"
