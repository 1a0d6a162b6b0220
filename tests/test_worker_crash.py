"""A task whose RQ worker is killed (``kill -9``) mid-run completes on the surviving worker within a bounded time.

PostgreSQL and Redis only (the pool's engines): in the SQLite pass this module is not collected.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.engines import rq_environment
from tests.engines import workers as start_workers

URL = os.environ.get("DATABASE_URL", "")
if not URL.startswith("postgres"):
    pytest.skip("RQ workers run with PostgreSQL (the PostgreSQL pass runs this)", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
REDIS = "redis://127.0.0.1:6379/8"
BOUND = 90  # seconds: 5 s heartbeats + 15 s grace + 10 s sweeps (amparo/tasks_rq.py), with room for a busy machine

INGEST = """
import sys
from amparo.cli import setup_django
setup_django()
from amparo.accounts.models import Network
from amparo.evidence import vault
network = Network.objects.create(name="Red de Trabajadores")
item = vault.ingest_path(sys.argv[1], network=network, consent_uses=["internal"])
print(item.pk)
"""


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture
def engines(tmp_path: Path) -> Iterator[dict[str, str]]:
    with rq_environment(URL, REDIS, "amparo_workers", tmp_path / "data") as env:
        yield env


def _fingerprints(env: dict[str, str], item_id: int) -> int:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://")) as conn:
        row = conn.execute(
            "SELECT count(*) FROM evidence_fingerprint WHERE item_id = %s", [item_id]
        ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.slow
def test_a_job_of_a_killed_worker_completes_on_the_surviving_worker(
    engines: dict[str, str], tmp_path: Path
) -> None:
    import redis
    from rq import Worker
    from rq.job import Job, JobStatus
    from rq.registry import StartedJobRegistry
    from rq.results import Result

    from amparo import demo_media, pool, tasks_rq

    env = engines
    _run(env, "-m", "amparo.cli", "manage", "migrate", "--verbosity", "0")
    clip = tmp_path / "clip.mp4"
    # long enough that fingerprinting it (one frame a second, in a sandbox) is still running when it is stopped
    demo_media.video(
        clip, seed=7, when=datetime(2026, 3, 1, 14, 30, tzinfo=UTC), sign="ICE", seconds=40, fps=5
    )
    # No worker runs yet: the ingest's jobs (fingerprints, then the video's viewing copy) wait on the queue.
    item_id = int(_run(env, "-c", INGEST, str(clip)).split()[-1])
    assert _fingerprints(env, item_id) == 0

    conn = redis.Redis.from_url(REDIS)
    with start_workers(env, tmp_path, 2, stop=signal.SIGTERM) as workers:
        # Catch the fingerprint job running and freeze its worker at once, so the kill lands mid-task.
        registry = StartedJobRegistry("default", connection=conn)
        deadline = time.monotonic() + 120
        job_id = victim = None
        while victim is None:
            assert time.monotonic() < deadline, "no worker started the fingerprint job"
            for running in registry.get_job_ids():
                job = Job.fetch(running, connection=conn)
                if job.func_name.endswith("compute_fingerprints") and job.worker_name:
                    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + job.worker_name, conn)
                    assert worker is not None
                    victim = next(p for p in workers if p.pid == worker.pid)
                    job_id = running
                    pool.signal_tree(victim.pid, signal.SIGSTOP)  # the worker and its warm sandbox
                    break
            else:
                time.sleep(0.05)
        assert job_id is not None
        assert _fingerprints(env, item_id) == 0, (
            "the job had finished before it was stopped: make the clip longer"
        )
        pool.signal_tree(victim.pid, signal.SIGKILL)  # the machine is lost: worker, horse, sandbox
        killed_at = time.monotonic()
        victim.wait(timeout=10)
        survivor = next(p for p in workers if p is not victim)

        while _fingerprints(env, item_id) == 0:
            assert survivor.poll() is None, "the surviving worker stopped"
            assert time.monotonic() - killed_at < BOUND, (
                f"the job did not complete within {BOUND} s of the kill"
            )
            time.sleep(1)
        took = time.monotonic() - killed_at

        job = Job.fetch(job_id, connection=conn)
        assert job.get_status() == JobStatus.FINISHED
        assert job.retries_left == tasks_rq.RETRIES - 1, "it ran again as a retry of the same job"
        ran_on = {r.worker_name for r in job.results() if r.type == Result.Type.SUCCESSFUL}
        assert ran_on == {f"{os.uname().nodename}.{survivor.pid}"}, ran_on
        frames = _fingerprints(env, item_id)
        assert frames >= 30, frames  # one a second of a 40-second clip (blank frames may be skipped)
        time.sleep(2)
        assert _fingerprints(env, item_id) == frames, "the retry added no second set"
        print(f"completed on the surviving worker {took:.1f} s after the kill")
