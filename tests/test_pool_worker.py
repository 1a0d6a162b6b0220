"""`amparo worker` on RQ runs its jobs in its own process, with a warm sandbox, and stays sound between jobs.

A real worker process on PostgreSQL and Redis (the pool's engines; in the SQLite pass this module is not collected)
runs the tasks of tests/rq_tasks.py. It must run them without a work horse (the job's process is the worker's),
decode through its warm sandbox (a child of its own, the same one for every job) with the same answer as the
decoder in process, reuse its database connection between jobs and replace one that died, survive a job that
raises, keep a long job alive with heartbeats (two workers: the other one must not take it for abandoned), and
leave no sandbox behind when it stops.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.engines import rq_environment, workers

URL = os.environ.get("DATABASE_URL", "")
if not URL.startswith("postgres"):
    pytest.skip("RQ workers run with PostgreSQL (the PostgreSQL pass runs this)", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
REDIS = "redis://127.0.0.1:6379/9"
ENQUEUE = """
import json, sys
from amparo.cli import setup_django
setup_django()
from tests import rq_tasks
print(getattr(rq_tasks, sys.argv[1]).enqueue(*json.loads(sys.argv[2])).id)
"""


@pytest.fixture
def engines(tmp_path: Path) -> Iterator[dict[str, str]]:
    with rq_environment(URL, REDIS, "amparo_poolworker", tmp_path / "data") as env:
        done = subprocess.run(
            [sys.executable, "-m", "amparo.cli", "manage", "migrate", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        yield env


def enqueue(env: dict[str, str], name: str, *args: Any) -> str:
    done = subprocess.run(
        [sys.executable, "-c", ENQUEUE, name, json.dumps(args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.split()[-1]


def finished(job_id: str, timeout: float = 120) -> Any:
    """The job once it is finished, or failed with no retry left."""
    import redis
    from rq.job import Job, JobStatus

    conn = redis.Redis.from_url(REDIS)
    deadline = time.monotonic() + timeout
    while True:
        job = Job.fetch(job_id, connection=conn)
        status = job.get_status()
        if status == JobStatus.FINISHED or (status == JobStatus.FAILED and not job.retries_left):
            return job
        assert time.monotonic() < deadline, f"job {job_id} still {job.get_status()} after {timeout:.0f} s"
        time.sleep(0.2)


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.slow
def test_it_runs_jobs_in_its_own_process_and_stays_sound_between_them(
    engines: dict[str, str], tmp_path: Path
) -> None:
    import psycopg
    from rq.job import JobStatus

    from amparo import tasks_rq
    from amparo.evidence import sandbox as evidence_sandbox
    from amparo.evidence.samples import jpeg_with_gps

    env = engines
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_gps(seed=5))
    [(_second, bits, quality)] = evidence_sandbox._compute(str(photo), "image")  # in process: a trusted file

    with workers(env, tmp_path, 1) as [worker]:
        first = finished(enqueue(env, "where", str(photo)), timeout=180)
        assert first.get_status() == JobStatus.FINISHED, first.latest_result()
        second = finished(enqueue(env, "where", str(photo)))
        one, two = first.return_value(), second.return_value()
        assert one["pid"] == two["pid"] == worker.pid, "the job ran in the worker's process, no work horse"
        assert one["warm"] is not None and one["warm"] == two["warm"], "one warm sandbox for every job"
        assert parent_of(one["warm"]) == worker.pid
        assert (one["bits"], one["quality"]) == (bits.hex(), quality), "the same fingerprint as in process"
        assert one["backend"] == two["backend"], "the database connection is kept between jobs"

        failing = finished(enqueue(env, "boom"))
        assert failing.get_status() == JobStatus.FAILED
        assert failing.retries_left == 0, "a failing job is retried, then fails for good"
        assert "a job that fails" in (failing.latest_result().exc_string or "")
        assert worker.poll() is None, "the worker survived the failing job"

        # The database ends the worker's session between jobs (a restart, an idle timeout): the next job must
        # get a new connection, not fail on the dead one.
        with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://")) as conn:
            conn.execute("SELECT pg_terminate_backend(%s)", [two["backend"]])
        third = finished(enqueue(env, "where", str(photo)))
        assert third.get_status() == JobStatus.FINISHED, third.latest_result()
        assert third.retries_left == tasks_rq.RETRIES, "it succeeded at the first attempt"
        after = third.return_value()
        assert after["pid"] == worker.pid and after["backend"] != two["backend"]

        warm = after["warm"]
        os.kill(worker.pid, signal.SIGTERM)  # the worker alone: its sandbox must end by itself
        assert worker.wait(timeout=30) == 0
        deadline = time.monotonic() + 15
        while not gone(warm):
            assert time.monotonic() < deadline, "the warm sandbox outlived its worker"
            time.sleep(0.2)


@pytest.mark.slow
def test_a_long_job_is_not_taken_for_abandoned_while_its_worker_lives(
    engines: dict[str, str], tmp_path: Path
) -> None:
    from rq.job import JobStatus
    from rq.results import Result

    from amparo import tasks_rq

    env = engines
    # past the deadline of its first heartbeat, and of a sweep or two after it
    seconds = tasks_rq.HEARTBEAT + tasks_rq.GRACE + 2 * tasks_rq.SWEEP
    marks = tmp_path / "runs"
    marks.mkdir()
    with workers(env, tmp_path, 2) as procs:
        job = finished(enqueue(env, "sleepy", seconds, str(marks)), timeout=seconds + 120)
        assert job.get_status() == JobStatus.FINISHED
        # Without heartbeats the other worker's sweep finds it past its deadline and starts it again meanwhile.
        assert len(list(marks.iterdir())) == 1, "no other worker ran it again"
        runs = [r for r in job.results() if r.type == Result.Type.SUCCESSFUL]
        assert len(runs) == 1, runs
        assert job.return_value() in {p.pid for p in procs}
        assert all(p.poll() is None for p in procs)
