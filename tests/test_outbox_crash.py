"""A job committed by a process killed (``kill -9``) right after its commit still runs, and dispatchers in several
processes at once put each job on the queue once (amparo/outbox/dispatch.py).

PostgreSQL and Redis only (the pool's engines): in the SQLite pass this module is not collected.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.engines import rq_environment
from tests.engines import workers as start_workers

URL = os.environ.get("DATABASE_URL", "")
if not URL.startswith("postgres"):
    pytest.skip("RQ workers run with PostgreSQL (the PostgreSQL pass runs this)", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
REDIS = "redis://127.0.0.1:6379/14"
BOUND = 90  # seconds from a worker's start to the job done: it dispatches on start, then every 10 s

INGEST_AND_DIE = """
import os, signal, sys
from amparo.cli import setup_django
setup_django()
from amparo.accounts.models import Network
from amparo.evidence import vault
from amparo.outbox import dispatch

def killed(ids=None):
    os.kill(os.getpid(), signal.SIGKILL)  # the server dies after the commit, before it pushes the job

dispatch.dispatch_quietly = killed
network = Network.objects.create(name="Red de Trabajadores")
vault.ingest_path(sys.argv[1], network=network, consent_uses=["internal"])
print("still alive")
"""

FILL = """
import sys
from django.db import transaction
from amparo.cli import setup_django
setup_django()
from amparo.evidence.tasks import integrate_log
from amparo.outbox import dispatch

dispatch.dispatch_quietly = lambda ids=None: 0  # the rows wait in the outbox, as after a crash
with transaction.atomic():
    for _ in range(int(sys.argv[1])):
        integrate_log.enqueue()
"""

DISPATCH_AT = """
import sys, time
from amparo.cli import setup_django
setup_django()
from amparo.outbox import dispatch

time.sleep(max(0.0, float(sys.argv[1]) - time.time()))  # every dispatcher starts at the same moment
print(dispatch.dispatch())
"""


def _run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    if ok:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def _query(env: dict[str, str], sql: str) -> Any:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://")) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture
def engines(tmp_path: Path) -> Iterator[dict[str, str]]:
    with rq_environment(URL, REDIS, "amparo_outbox", tmp_path / "data") as env:
        _run(env, "-m", "amparo.cli", "manage", "migrate", "--verbosity", "0")
        yield env


@pytest.mark.slow
def test_a_job_whose_server_was_killed_after_the_commit_still_runs(
    engines: dict[str, str], tmp_path: Path
) -> None:
    import redis

    from amparo.evidence.samples import jpeg_with_gps

    env = engines
    picture = tmp_path / "w.jpg"
    picture.write_bytes(jpeg_with_gps(seed=3))
    died = _run(env, "-c", INGEST_AND_DIE, str(picture), ok=False)
    assert died.returncode == -signal.SIGKILL, (died.returncode, died.stderr[-3000:])

    # The evidence is committed and acknowledged; its job never reached Redis (before the outbox, it was lost here
    # until the hourly maintenance found the item 10 minutes overdue).
    assert _query(env, "SELECT count(*) FROM evidence_evidenceitem") == 1
    conn = redis.Redis.from_url(REDIS)
    assert conn.llen("rq:queue:default") == 0 and not conn.keys("rq:job:*")
    assert _query(env, "SELECT count(*) FROM outbox_outboxjob WHERE dispatched_at IS NULL") == 1

    started = time.monotonic()
    with start_workers(env, tmp_path, 1, stop=signal.SIGTERM) as [worker]:
        while _query(env, "SELECT count(*) FROM evidence_fingerprint") == 0:
            assert worker.poll() is None, "the worker stopped"
            assert time.monotonic() - started < BOUND, f"the job did not run within {BOUND} s"
            time.sleep(0.5)
        took = time.monotonic() - started
    assert _query(env, "SELECT count(*) FROM outbox_outboxjob WHERE dispatched_at IS NULL") == 0
    job_id = _query(env, "SELECT id FROM outbox_outboxjob")
    assert conn.exists(f"rq:job:{job_id}"), "it ran as the job the outbox row names"
    print(f"fingerprinted {took:.1f} s after a worker started")


@pytest.mark.slow
def test_dispatchers_in_several_processes_put_each_job_on_the_queue_once(engines: dict[str, str]) -> None:
    import redis

    env = engines
    jobs, dispatchers = 1000, 3
    _run(env, "-c", FILL, str(jobs))
    assert _query(env, "SELECT count(*) FROM outbox_outboxjob WHERE dispatched_at IS NULL") == jobs

    at = time.time() + 8  # past every dispatcher's start-up
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", DISPATCH_AT, str(at)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(dispatchers)
    ]
    moved = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err[-3000:]
        moved.append(int(out.split()[-1]))
    queued = [job_id.decode() for job_id in redis.Redis.from_url(REDIS).lrange("rq:queue:default", 0, -1)]
    assert sum(moved) == jobs, moved
    assert len(queued) == len(set(queued)) == jobs, "a job was pushed twice, or not at all"
    assert _query(env, "SELECT count(*) FROM outbox_outboxjob WHERE dispatched_at IS NULL") == 0
    print(f"{jobs} jobs, moved by each dispatcher: {moved}")
