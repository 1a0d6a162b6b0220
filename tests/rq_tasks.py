"""Tasks that tell a test how an `amparo worker` ran them (tests/test_pool_worker.py): in which process, on which
database connection, with which warm sandbox."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.db import connection
from django_tasks import task


@task()
def where(path: str) -> dict[str, Any]:
    """The process and database session running this job, and the fingerprint of the picture at ``path``
    (computed in the evidence sandbox, as the worker's real jobs are)."""
    from amparo.evidence import sandbox as evidence_sandbox
    from amparo.media import sandbox

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    [(_second, bits, quality)] = evidence_sandbox.fingerprint(path, "image")
    return {
        "pid": os.getpid(),
        "backend": backend,
        "warm": sandbox.warm_pid(),
        "bits": bits.hex(),
        "quality": quality,
    }


@task()
def boom() -> None:
    raise RuntimeError("a job that fails")


@task()
def sleepy(seconds: float, marks: str) -> int:
    """Longer than the heartbeat's grace: it must not count abandoned while its worker lives. Each run leaves a
    file in the folder ``marks`` when it starts."""
    (Path(marks) / f"run-{os.getpid()}-{time.monotonic_ns()}").touch()
    time.sleep(seconds)
    return os.getpid()
