"""A throwaway PostgreSQL database and a flushed Redis database for tests that start real ``amparo`` processes
(workers, servers) on the RQ backend; the environment those processes get."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path


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
