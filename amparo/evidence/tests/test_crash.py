"""Kill a real ingesting process at many random moments; nothing acknowledged may be lost or damaged."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[3]
KILLS = 14


def _database_url(tmp_path: Path) -> str:
    """A database of its own: SQLite in tmp_path, or a fresh PostgreSQL database when tests run on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    import psycopg

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_crash"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


def _run(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "amparo.evidence.tests.crash_worker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # the probe's sandbox children die with the worker
    )


@pytest.mark.slow
def test_killing_ingest_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {
        **os.environ,
        "AMPARO_DATA_DIR": str(data_dir),
        "DATABASE_URL": _database_url(tmp_path),
        "AMPARO_TASKS_BACKEND": "immediate",
        "DJANGO_SETTINGS_MODULE": "amparo.settings",
    }
    assert _run(env, "migrate").wait(timeout=120) == 0
    rng = random.Random(20261129)
    acknowledged: dict[str, tuple[str, int]] = {}
    for round_ in range(KILLS):
        worker = _run(env, "ingest", str(round_))
        assert worker.stdout is not None
        os.set_blocking(worker.stdout.fileno(), False)
        deadline = time.monotonic() + 1.0 + rng.random() * 4.0
        buffered = b""
        while time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.01)
            buffered += worker.stdout.read() or b""
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        buffered += worker.stdout.read() or b""
        for line in buffered.splitlines():
            record = json.loads(line)
            acknowledged[record["code"]] = (record["sha256"], record["size"])
    # the sweep leaves a file younger than the grace alone (an ingest may not have locked it yet): let the last
    # killed ingest's file age past it, as any real start or hourly sweep comes later than that
    from amparo.evidence.store import _TEMP_GRACE_S

    time.sleep(_TEMP_GRACE_S + 0.5)
    checker = _run(env, "state")
    out, _err = checker.communicate(timeout=300)
    state = json.loads(out)
    assert len(acknowledged) >= KILLS, "too few ingests finished between the kills; the test proved little"
    print(f"{len(acknowledged)} acknowledged, {len(state['items'])} items, log size {state['log_size']}")

    # No gap and no duplicate in the log; every item and custody event has its own entry.
    assert state["indices"] == list(range(len(state["indices"])))
    recorded = state["item_indices"] + state["custody_indices"]
    assert sorted(recorded) == state["indices"]
    assert state["log_size"] == len(state["indices"])
    # Everything acknowledged is there, with the same bytes.
    for code, (sha256, size) in acknowledged.items():
        assert state["items"][code] == [sha256, size]
    # No half-written original is visible: every file under a content address hashes to its name.
    evidence = data_dir / "evidence"
    for path in evidence.rglob("*"):
        if path.is_file() and path.relative_to(evidence).parts[0] != "tmp":
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name, path
    # What the killed ingests left in tmp/ was reported by verify, then swept: nothing else failed.
    reported = [failure.split(":", 1)[0] for failure in state["failures_before_sweep"]]
    assert reported == ["evidence/tmp"] * (state["swept"] > 0), state["failures_before_sweep"]
    assert not any((evidence / "tmp").iterdir()), "temporary files of killed ingests survived the sweep"
    # The whole vault verifies: originals, leaves, tiles and every checkpoint.
    assert state["failures"] == []
