"""What a killed ingest leaves in ``evidence/tmp``: found by ``verify --all``, removed at start and hourly."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from amparo.evidence import log, maintenance, store, vault
from amparo.evidence.checkall import verify_all
from amparo.testing import Personas

pytestmark = pytest.mark.django_db

_HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
os.write(fd, b"x" * 1000)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)
"""


def _tmp() -> Path:
    path = store.root() / store.TMP_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def _age(path: Path) -> None:
    old = time.time() - 60
    os.utime(path, (old, old))


def test_a_killed_ingests_file_is_reported_then_swept_while_a_live_one_stays(personas: Personas) -> None:
    vault.ingest(io.BytesIO(b"kept"), network=personas.north, filename="kept.bin")
    log.integrate_pending()
    tmp = _tmp()
    killed = tmp / ("a" * 32 + ".part")
    live = tmp / ("b" * 32 + ".part")
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(live)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
        # A writer killed with SIGKILL: its file stays, and nobody holds its lock any more.
        victim = subprocess.Popen([sys.executable, "-c", _HOLDER, str(killed)], stdout=subprocess.PIPE)
        assert victim.stdout is not None and victim.stdout.readline().strip() == b"locked"
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        _age(killed)
        _age(live)

        assert store.abandoned_temporary() == (1, 1000)
        report = verify_all()
        assert [f for f in report.failures if f.startswith("evidence/tmp:")] == [
            "evidence/tmp: 1 temporary files (1000 bytes) left by interrupted ingests; "
            "they are removed when Amparo starts and by the hourly maintenance"
        ]

        assert maintenance.run()["evidence_temporary_removed"] == 1
        assert not killed.exists() and live.exists(), "the live ingest's file must never be removed"
        assert verify_all().failures == []
    finally:
        holder.kill()
        holder.wait()
    _age(live)
    assert store.sweep_temporary() == 1 and not live.exists()


def test_a_file_just_created_is_left_for_its_ingest_to_lock(personas: Personas) -> None:
    fresh = _tmp() / ("c" * 32 + ".part")
    fresh.write_bytes(b"y")
    assert store.sweep_temporary() == 0 and fresh.exists()
    _age(fresh)
    assert store.sweep_temporary() == 1


def test_an_ingest_in_progress_holds_its_file(personas: Personas) -> None:
    with store.receive(io.BytesIO(b"z" * 5000)) as received:
        _age(received.path)
        assert store.sweep_temporary() == 0 and received.path.exists()
    assert not received.path.exists()
