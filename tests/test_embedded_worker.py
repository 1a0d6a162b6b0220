"""The embedded background worker lives through a write lock held past SQLite's busy timeout.

Under load a writer can wait longer than the busy timeout; django-tasks-db's worker then ended with "database is
locked", and `amparo serve`, which stops when a child ends, took every page down with it (docs/scaling.md).
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

# Runs Amparo's embedded SQLite setup whatever DATABASE_URL says: the SQLite pass runs it, the PostgreSQL pass skips it.
pytestmark = pytest.mark.embedded

ENQUEUE_AND_WAIT = """
import time
from amparo.cli import setup_django
setup_django()
from amparo.evidence.tasks import integrate_log
result = integrate_log.enqueue()
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    result.refresh()
    if result.status == "SUCCESSFUL":
        print("done")
        break
    time.sleep(0.5)
print(result.status)
"""


def busy_timeout_s() -> float:
    """The busy timeout amparo/settings.py gives every SQLite connection (whatever database this run uses)."""
    found = re.search(
        r"busy_timeout=(\d+)", Path(settings.BASE_DIR, "settings.py").read_text(encoding="utf-8")
    )
    assert found, "no busy_timeout in the SQLite settings"
    return int(found.group(1)) / 1000


@pytest.mark.slow
def test_the_embedded_worker_outlives_a_lock_held_past_the_busy_timeout(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "AMPARO_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "AMPARO_TASKS_BACKEND": "database",
    }
    amparo = [sys.executable, "-m", "amparo.cli"]
    subprocess.run([*amparo, "manage", "migrate", "--verbosity", "0"], env=env, check=True, timeout=300)
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        worker = subprocess.Popen([*amparo, "worker"], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while "Starting worker" not in log.read_text(errors="replace"):
            assert worker.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        holder = sqlite3.connect(tmp_path / "amparo.sqlite3", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the lock, held past the worker's busy timeout
        time.sleep(busy_timeout_s() + 3)
        holder.execute("ROLLBACK")
        holder.close()
        time.sleep(1)
        said = log.read_text(errors="replace")
        assert worker.poll() is None, said
        assert "the database stayed locked; polling again" in said, said
        done = subprocess.run(
            [sys.executable, "-c", ENQUEUE_AND_WAIT], env=env, capture_output=True, text=True, timeout=120
        )
        assert "done" in done.stdout, done.stdout + done.stderr  # the same worker still runs tasks
    finally:
        worker.terminate()
        worker.wait(timeout=30)
