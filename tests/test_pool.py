"""Two web servers and two RQ workers on PostgreSQL, Redis and a real S3 server behave as one installation.

PostgreSQL only (the pool's database): in the SQLite pass this module is not collected.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from amparo import pool as pool_module

URL = os.environ.get("DATABASE_URL", "")
if not URL.startswith("postgres"):
    pytest.skip("the pool runs on PostgreSQL (the PostgreSQL pass runs it)", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
REDIS = "redis://127.0.0.1:6379/5"

SETUP = """
from amparo.cli import setup_django
setup_django()
from amparo.accounts.models import Network
from amparo.intake.actions import do_create_token
network = Network.objects.create(name="Red del Pool")
_row, token = do_create_token(network, "Socio", None)
print(token)
"""

STATE = """
import json
from amparo.cli import setup_django
setup_django()
from amparo.evidence import log, store
from amparo.evidence.models import EvidenceItem, LogEntry
from amparo.incidents.models import Report
items = {str(c): s for c, s in EvidenceItem.objects.values_list("code", "sha256")}
print(json.dumps({
    "indices": list(LogEntry.objects.order_by("index").values_list("index", flat=True)),
    "log_size": log.integrate_pending(),
    "reports": [str(c) for c in Report.objects.values_list("code", flat=True)],
    "items": items,
    "stored": [store.exists(sha) for sha in items.values()],
    "probe_errors": {str(c): e for c, e in EvidenceItem.objects.exclude(probe_error="").values_list("code", "probe_error")},
    "fingerprinted": sorted(
        str(c) for c in EvidenceItem.objects.filter(fingerprints__isnull=False).distinct().values_list("code", flat=True)
    ),
}))
"""


def _png(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 240), (20 * (seed % 12), 90, 160))
    draw = ImageDraw.Draw(img)
    for k in range(8):
        x = (seed * 37 + k * 53) % 300
        draw.rectangle([x, 20 + k * 25, x + 30, 40 + k * 25], fill=(255, (seed * 11) % 255, k * 30))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _request(
    method: str, url: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(
        url, data=body if method != "GET" else None, method=method, headers=headers or {}
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pool_module.Pool]:
    import psycopg

    name = f"amparo_pool_{os.getpid()}_{secrets.token_hex(3)}"
    admin = URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    database = URL.rsplit("/", 1)[0] + "/" + name
    running = pool_module.start(tmp_path_factory.mktemp("pool"), database, REDIS, web=2, workers=2)
    try:
        yield running
    finally:
        running.stop()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _python(env: dict[str, str], script: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_two_servers_and_two_workers_are_one_installation(pool: pool_module.Pool) -> None:
    env = pool.node_env("setup")
    token = _python(env, SETUP).strip()
    auth = {"Authorization": f"Bearer {token}"}
    sent: dict[str, str] = {}  # report code -> sha256 of its photo

    def witness(n: int) -> tuple[str, str]:
        server = pool.urls[n % 2]  # the upload on one server, the report that attaches it on the other
        other = pool.urls[(n + 1) % 2]
        photo = _png(n)
        meta = "filename " + base64.b64encode(f"photo{n}.png".encode()).decode()
        status, headers, _body = _request(
            "POST",
            f"{server}/uploads/",
            photo,
            {
                **auth,
                "Tus-Resumable": "1.0.0",
                "Upload-Length": str(len(photo)),
                "Upload-Metadata": meta + ",filetype " + base64.b64encode(b"image/png").decode(),
                "Content-Type": "application/offset+octet-stream",
            },
        )
        assert status == 201, (status, _body)
        upload_id = headers["Location"].rstrip("/").rsplit("/", 1)[-1]
        payload = json.dumps({"text": f"Agentes en la esquina {n}", "upload_ids": [upload_id]}).encode()
        status, _h, body = _request(
            "POST", f"{other}/api/reports", payload, {**auth, "Content-Type": "application/json"}
        )
        assert status == 201, (status, body)
        report = json.loads(body)
        assert report["files"][0]["sha256"] == hashlib.sha256(photo).hexdigest()
        return report["code"], report["files"][0]["sha256"]

    with ThreadPoolExecutor(max_workers=8) as executor:
        for code, sha in executor.map(witness, range(24)):
            sent[code] = sha

    # The footage index is kept in step by the workers: wait for every item's fingerprint.
    deadline = time.monotonic() + 120
    while True:
        state = json.loads(_python(env, STATE))
        if len(state["fingerprinted"]) == len(state["items"]) or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert sorted(state["reports"]) == sorted(sent), "every acknowledged report, once"
    assert sorted(state["items"].values()) == sorted(sent.values())
    assert state["stored"] and all(state["stored"]), "every original is in the bucket"
    assert state["indices"] == list(range(len(state["indices"]))), "the log has no gap"
    assert state["log_size"] == len(state["indices"])
    assert state["probe_errors"] == {}, "every photo was read"
    assert len(state["fingerprinted"]) == len(state["items"]), "a worker fingerprinted every item"

    # Both servers publish the same signed log.
    notes = {_request("GET", f"{url}/log/checkpoint")[2] for url in pool.urls}
    assert len(notes) == 1 and f"\n{state['log_size']}\n".encode() in next(iter(notes))
    verify = subprocess.run(
        [sys.executable, "-m", "amparo.cli", "verify", "--all"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
