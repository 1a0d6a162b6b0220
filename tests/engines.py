"""A throwaway PostgreSQL database and a flushed Redis database for tests that start real ``amparo`` processes
(workers, servers) on the RQ backend; the environment those processes get, and ``amparo worker`` processes on it."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def rq_environment(
    database_url: str, redis_url: str, prefix: str, data_dir: Path
) -> Iterator[dict[str, str]]:
    """The environment of processes on a new database ``<prefix>_<pid>_<random>`` next to ``database_url``'s and on
    ``redis_url`` (flushed before and after); the database is dropped afterwards, connections or not."""
    import psycopg
    import redis

    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(redis_url).flushdb()
    try:
        yield {
            **os.environ,
            "DATABASE_URL": database_url.rsplit("/", 1)[0] + "/" + name,
            "REDIS_URL": redis_url,
            "AMPARO_TASKS_BACKEND": "rq",
            "AMPARO_DATA_DIR": str(data_dir),
        }
    finally:
        redis.Redis.from_url(redis_url).flushdb()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def workers(
    env: dict[str, str], log_dir: Path, n: int, *, stop: signal.Signals = signal.SIGKILL
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``n`` ``amparo worker`` processes, each in a session of its own and logging to ``log_dir/worker<i>.log``.

    Afterwards each is woken (a test may have frozen it), sent ``stop`` (SIGTERM: a warm shut-down, given 20 s)
    and killed if it is still there."""
    logs = [open(log_dir / f"worker{i + 1}.log", "wb") for i in range(n)]  # noqa: SIM115 - closed below
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "amparo.cli", "worker"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for log in logs
    ]
    try:
        yield procs
    finally:
        from amparo import pool

        for proc in procs:
            pool.signal_tree(proc.pid, signal.SIGCONT)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, stop)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for log in logs:
            log.close()
