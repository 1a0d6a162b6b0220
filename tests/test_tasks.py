"""Background work through Django's task interface, run by a real worker process on each backend."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Runs Amparo's embedded SQLite setup whatever DATABASE_URL says: the SQLite pass runs it, the PostgreSQL pass skips it.
pytestmark = pytest.mark.embedded

SETUP = """
from datetime import timedelta
from django.utils import timezone
from amparo.accounts import actions
from amparo.accounts.models import SignInLink
from amparo.tasks import maintenance
network = actions.do_create_network("Red Tareas")
member = actions.do_create_member(network, "tarea", "verifier")
actions.do_create_signin_link(member.user)
SignInLink.objects.update(expires_at=timezone.now() - timedelta(hours=1))
result = maintenance.enqueue()
print("enqueued", result.id, SignInLink.objects.count())
"""
CHECK = """
from amparo.accounts.models import SignInLink
print("left", SignInLink.objects.count())
"""


def amparo(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "amparo.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def run_backend(tmp_path: Path, backend: str, worker: list[str], **extra: str) -> None:
    env = {
        **os.environ,
        "AMPARO_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "AMPARO_TASKS_BACKEND": backend,
        **extra,
    }
    amparo(["manage", "migrate", "-v0"], env)
    assert "enqueued" in amparo(["manage", "shell", "--no-imports", "-c", SETUP], env).split()
    assert amparo(["manage", "shell", "--no-imports", "-c", CHECK], env).split() == [
        "left",
        "1",
    ]  # not run inline
    amparo(["manage", *worker], env)
    assert amparo(["manage", "shell", "--no-imports", "-c", CHECK], env).split() == ["left", "0"]


@pytest.mark.slow
def test_the_database_backend_runs_tasks_in_a_worker_process(tmp_path: Path) -> None:
    run_backend(tmp_path, "database", ["db_worker", "--batch", "--no-startup-delay"])


@pytest.mark.slow
def test_the_redis_backend_runs_tasks_in_an_rq_worker(tmp_path: Path) -> None:
    import redis

    url = "redis://127.0.0.1:6379/7"
    redis.Redis.from_url(url).flushdb()
    run_backend(
        tmp_path,
        "rq",
        ["rqworker", "--burst", "--job-class", "django_tasks_rq.backend.Job", "default"],
        REDIS_URL=url,
    )
