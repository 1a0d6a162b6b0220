"""tus uploads across two web servers on PostgreSQL and a real S3 server: no sticky sessions needed.

A witness opens the form on one server, tuspy sends each chunk to the other server in turn (each new client asks
its server for the offset), two PATCHes race at one offset on both servers, and the report that attaches the upload
is posted to the other server. A frozen S3 server (SIGSTOP) must give a retryable 503 within a minute, not a hung
request. Then a server is killed with ``kill -9`` in the middle of a PATCH, and what the killed and the abandoned
uploads left in the bucket is removed.

PostgreSQL only (the pool's database): in the SQLite pass this module is not collected.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from amparo import pool as pool_module

URL = os.environ.get("DATABASE_URL", "")
if not URL.startswith("postgres"):
    pytest.skip("the pool runs on PostgreSQL (the PostgreSQL pass runs it)", allow_module_level=True)

import requests  # noqa: E402  (tuspy's own dependency)
from tusclient import client as tus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REDIS = "redis://127.0.0.1:6379/6"
SLUG = "red-tus-compartido"
CHUNK = 64 * 1024
BUCKET = "amparo-evidence"

SETUP = f"""
from amparo.cli import setup_django
setup_django()
from amparo.accounts.models import Network
from amparo.intake.models import IntakePage
network = Network.objects.create(name="Red del Pool")
IntakePage.objects.create(network=network, slug={SLUG!r})
"""

STATE = """
import json, hashlib
from amparo.cli import setup_django
setup_django()
from amparo.evidence import store
from amparo.evidence.models import EvidenceItem, LogEntry
from amparo.intake.models import IntakeFile, UploadSession
files = []
for f in IntakeFile.objects.select_related("report"):
    item = EvidenceItem.objects.get(sha256=f.sha256)
    with store.open_original(item.sha256) as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    files.append({
        "report_text": f.report.text, "sha256": f.sha256, "via": f.via, "stored_sha256": digest,
        "size": item.size, "logged": LogEntry.objects.filter(index=item.log_index).exists(),
    })
uploads = {u.upload_id: [u.offset, u.parts, bool(u.attached_at)] for u in UploadSession.objects.all()}
print(json.dumps({"files": files, "uploads": uploads}))
"""


class HiddenFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")


def _python(env: dict[str, str], script: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _state(pool: pool_module.Pool) -> dict[str, Any]:
    return json.loads(_python(pool.node_env("setup"), STATE))  # type: ignore[no-any-return]


def _parts_in_bucket(pool: pool_module.Pool, upload_id: str) -> dict[str, int]:
    listed = pool.s3.client().list_objects_v2(Bucket=BUCKET, Prefix=f"uploads/{upload_id}/")
    return {obj["Key"]: obj["Size"] for obj in listed.get("Contents", [])}


def _on(server: str, upload_url: str) -> str:
    """The same upload, addressed through another server."""
    return server + urlsplit(upload_url).path


def _open_form(session: requests.Session, server: str) -> dict[str, str]:
    page = session.get(f"{server}/report/{SLUG}/", timeout=30)
    assert page.status_code == 200, page.status_code
    parser = HiddenFields()
    parser.feed(page.text)
    assert parser.fields.get("form_token") and parser.fields.get("csrfmiddlewaretoken")
    return parser.fields


def _slow_patch(url: str, offset: int, body: bytes, form: str, send: int | None = None) -> socket.socket:
    """A PATCH with its headers and the first ``send`` bytes (half) of its body sent; the caller sends the rest."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=60)
    head = (
        f"PATCH {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nTus-Resumable: 1.0.0\r\n"
        f"Content-Type: application/offset+octet-stream\r\nUpload-Offset: {offset}\r\n"
        f"Content-Length: {len(body)}\r\nAmparo-Form-Token: {form}\r\nConnection: close\r\n\r\n"
    )
    sock.sendall(head.encode() + body[: len(body) // 2 if send is None else send])
    return sock


def _finish(sock: socket.socket, body: bytes) -> int:
    sock.sendall(body[len(body) // 2 :])
    answer = b""
    while b"\r\n" not in answer:
        got = sock.recv(4096)
        if not got:
            break
        answer += got
    sock.close()
    return int(answer.split(b" ", 2)[1])


def _race(urls: list[str], offset: int, body: bytes, form: str) -> list[int]:
    """The same PATCH to every url at once: each server has checked the offset before any has the whole body."""
    socks = [_slow_patch(url, offset, body, form) for url in urls]
    time.sleep(1.5)
    with ThreadPoolExecutor(max_workers=len(socks)) as executor:
        return list(executor.map(lambda sock: _finish(sock, body), socks))


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pool_module.Pool]:
    import psycopg

    name = f"amparo_pooltus_{os.getpid()}_{secrets.token_hex(3)}"
    admin = URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    database = URL.rsplit("/", 1)[0] + "/" + name
    running = pool_module.start(
        tmp_path_factory.mktemp("pooltus"),
        database,
        REDIS,
        web=2,
        workers=0,
        extra={"AMPARO_INTAKE_FORM_MIN_SECONDS": "0"},
    )
    try:
        _python(running.node_env("setup"), SETUP)
        yield running
    finally:
        running.stop()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_each_chunk_to_another_server_and_the_report_through_the_other(
    pool: pool_module.Pool, tmp_path: Path
) -> None:
    from amparo.intake.tests.media import make_video

    a, b = pool.urls
    video = make_video(tmp_path / "clip.mp4", seconds=2, size=(320, 240), noise=True)
    data = video.read_bytes()
    assert len(data) > 8 * CHUNK
    witness = requests.Session()
    fields = _open_form(witness, a)
    form = fields["form_token"]

    first = tus.TusClient(f"{a}/uploads/", headers={"Amparo-Form-Token": form}).uploader(
        str(video), chunk_size=CHUNK, metadata={"filename": "clip.mp4", "filetype": "video/mp4"}
    )
    first.upload_chunk()  # created on a, first chunk on a
    url = str(first.url)
    upload_id = url.rsplit("/", 1)[1]
    offsets = [first.offset]
    n = 1
    while offsets[-1] < len(data):
        if (
            n == 3
        ):  # two PATCHes at one offset, one on each server, both past the offset check before either ends
            body = data[offsets[-1] : offsets[-1] + CHUNK]
            results = _race([_on(s, url) for s in (a, b)], offsets[-1], body, form)
            assert sorted(results) == [204, 409], results
            offsets.append(offsets[-1] + len(body))
            n += 1
            continue
        server = (a, b)[n % 2]
        resumed = tus.TusClient(f"{server}/uploads/", headers={"Amparo-Form-Token": form}).uploader(
            str(video), url=_on(server, url), chunk_size=CHUNK, upload_checksum=n % 3 == 0
        )
        assert resumed.offset == offsets[-1], "the other server knows how far the upload got"
        resumed.upload_chunk()
        offsets.append(resumed.offset)
        n += 1
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)
    head = requests.head(
        _on(a, url), headers={"Tus-Resumable": "1.0.0", "Amparo-Form-Token": form}, timeout=30
    )
    assert head.headers["Upload-Offset"] == str(len(data))
    in_bucket = _parts_in_bucket(pool, upload_id)
    assert sum(in_bucket.values()) == len(data), "one part per counted PATCH; the race's loser left nothing"
    assert not any((pool.base / name / "uploads" / upload_id).exists() for name in ("web1", "web2"))

    fields.update({"text": "Dos agentes frente a la escuela", "upload_ids": upload_id, "consent": "internal"})
    fields.pop("website", None)

    def send(server: str) -> requests.Response:
        return witness.post(
            f"{server}/report/{SLUG}/",
            data=fields,
            headers={"Referer": f"{server}/report/{SLUG}/", "X-CSRFToken": fields["csrfmiddlewaretoken"]},
            allow_redirects=False,
            timeout=60,
        )

    sent = send(b)  # the report through the server that did not create the upload
    assert sent.status_code == 201, (sent.status_code, sent.text[:500])
    with ThreadPoolExecutor(
        max_workers=2
    ) as executor:  # the form sent again, twice at once: nothing more is kept
        again = list(executor.map(send, (a, b)))
    assert [r.status_code for r in again] == [400, 400]

    state = _state(pool)
    assert len(state["files"]) == 1
    stored = state["files"][0]
    sha = hashlib.sha256(data).hexdigest()
    assert stored["sha256"] == sha and stored["stored_sha256"] == sha, "the original, byte for byte"
    assert stored["size"] == len(data) and stored["via"] == "tus" and stored["logged"]
    assert state["uploads"][upload_id][2], "the upload is marked attached"
    assert _parts_in_bucket(pool, upload_id) == {}, "its parts are gone once the report is committed"
    verify = subprocess.run(
        [sys.executable, "-m", "amparo.cli", "verify", "--all"],
        cwd=ROOT,
        env=pool.node_env("setup"),
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr


@pytest.mark.slow
def test_a_frozen_store_answers_a_retryable_503_soon_and_the_upload_goes_on(pool: pool_module.Pool) -> None:
    a, b = pool.urls
    form = _open_form(requests.Session(), a)["form_token"]
    headers = {"Tus-Resumable": "1.0.0", "Amparo-Form-Token": form}
    created = requests.post(f"{a}/uploads/", headers={**headers, "Upload-Length": "2000"}, timeout=30)
    assert created.status_code == 201
    url = created.headers["Location"]
    patch = {**headers, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"}
    pool.s3.pause()  # SIGSTOP: connections are accepted and never answered, as a hung store does
    try:
        started = time.monotonic()
        answer = requests.patch(_on(b, url), data=b"y" * 1000, headers=patch, timeout=115)
        took = time.monotonic() - started
    finally:
        pool.s3.resume()
    assert answer.status_code == 503, (answer.status_code, answer.text[:300])
    assert answer.headers["Retry-After"] and answer.headers["Tus-Resumable"] == "1.0.0"
    assert answer.json()["unavailable"] == "storage"
    print(f"frozen store: 503 after {took:.1f} s")
    assert took < 60, f"the store's timeouts held the request {took:.0f} s"
    assert all(proc.poll() is None for proc, _port in pool.web), "no server died of it"
    assert requests.head(_on(a, url), headers=headers, timeout=30).headers["Upload-Offset"] == "0"
    deadline = time.monotonic() + 60
    while True:  # the client retries after Retry-After; the store is back
        again = requests.patch(_on(a, url), data=b"y" * 1000, headers=patch, timeout=115)
        if again.status_code != 503 or time.monotonic() > deadline:
            break
        time.sleep(int(again.headers.get("Retry-After", "5")))
    assert again.status_code == 204 and again.headers["Upload-Offset"] == "1000"


@pytest.mark.slow
def test_a_server_killed_mid_patch_and_abandoned_uploads_leave_nothing(pool: pool_module.Pool) -> None:
    a, b = pool.urls
    form = _open_form(requests.Session(), a)["form_token"]
    data = os.urandom(
        9 * 1024 * 1024
    )  # past one 8 MiB part: the killed PATCH has a part stored, never counted
    headers = {"Tus-Resumable": "1.0.0", "Amparo-Form-Token": form}
    created = requests.post(
        f"{a}/uploads/",
        data=data[:CHUNK],
        headers={
            **headers,
            "Upload-Length": str(len(data)),
            "Content-Type": "application/offset+octet-stream",
        },
        timeout=30,
    )
    assert created.status_code == 201 and created.headers["Upload-Offset"] == str(CHUNK)
    url = created.headers["Location"]
    upload_id = url.rsplit("/", 1)[1]

    # b receives 8.5 MiB of the next PATCH, stores its first part, and dies before counting it
    victim, _port = pool.web[1]
    sock = _slow_patch(_on(b, url), CHUNK, data[CHUNK:], form, send=17 * 512 * 1024)
    deadline = time.monotonic() + 60
    while len(_parts_in_bucket(pool, upload_id)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(_parts_in_bucket(pool, upload_id)) == 2, "the killed PATCH's first part reached the bucket"
    pool_module.signal_tree(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    sock.close()

    head = requests.head(_on(a, url), headers=headers, timeout=30)
    assert head.headers["Upload-Offset"] == str(CHUNK), "nothing of the killed PATCH was counted"
    # the witness's app gives up on it; another upload is abandoned half-way
    other = requests.post(
        f"{a}/uploads/",
        data=b"x" * 1000,
        headers={**headers, "Upload-Length": "5000", "Content-Type": "application/offset+octet-stream"},
        timeout=30,
    )
    other_id = other.headers["Location"].rsplit("/", 1)[1]
    assert _parts_in_bucket(pool, other_id)
    expire = (
        "from amparo.cli import setup_django\nsetup_django()\n"
        "from datetime import timedelta\nfrom django.utils import timezone\n"
        "from amparo.intake.models import UploadSession\n"
        "UploadSession.objects.filter(upload_id__in=%r).update(expires_at=timezone.now() - timedelta(seconds=1))\n"
        % [upload_id, other_id]
    )
    _python(pool.node_env("setup"), expire)
    purge = subprocess.run(
        [sys.executable, "-m", "amparo.cli", "intake", "purge"],
        cwd=ROOT,
        env=pool.node_env("setup"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert purge.returncode == 0, purge.stdout + purge.stderr
    assert _parts_in_bucket(pool, upload_id) == {}, "the counted part and the killed PATCH's part are gone"
    assert _parts_in_bucket(pool, other_id) == {}
    assert upload_id not in _state(pool)["uploads"]
