"""The load test's smoke run: Locust witnesses, operators and staff against a real ``amparo serve`` for a few seconds.

The full runs (60 s, 20 witnesses, the pool, the crashes) are ``bench/load.py`` commands; this one checks the bench
still works and that nothing acknowledged under load is lost.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Runs Amparo's embedded SQLite setup whatever DATABASE_URL says: the SQLite pass runs it, the PostgreSQL pass skips it.
pytestmark = pytest.mark.embedded

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_short_load_run_loses_nothing() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "bench/load.py",
            "--seconds",
            "30",
            "--witnesses",
            "3",
            "--staff",
            "1",
            "--operators",
            "1",
            "--smoke",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": ""},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 0, out[-4000:] + done.stderr[-4000:]
    assert "witness: submit" in out and "sign in" in out and "baseline: static file" in out
    assert "missing 0; duplicated 0; log gapless True" in out and "verify --all passed" in out
