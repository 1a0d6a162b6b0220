"""Test databases on PostgreSQL have a name of their own per run (two runs on one server cannot collide) and are
dropped at the end of the run (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from amparo.pytest_env import RUN_SUFFIX, unique_test_db_name

ROOT = Path(__file__).resolve().parent.parent


def test_names_keep_the_worker_suffix_and_add_the_run() -> None:
    assert unique_test_db_name("test_amparo_gw1", "4242_a1b2c3") == "test_amparo_gw1_4242_a1b2c3"
    long = unique_test_db_name("test_" + "x" * 80 + "_gw0", "4242_a1b2c3")
    assert len(long) == 63 and long.endswith("_4242_a1b2c3")


def test_two_runs_get_two_suffixes() -> None:
    code = "import amparo.pytest_env as e; print(e.RUN_SUFFIX)"
    seen = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
    }
    seen.add(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    assert len(seen) == 2 and RUN_SUFFIX not in seen


@pytest.mark.django_db
def test_the_database_in_use_is_this_runs() -> None:
    name = str(connection.settings_dict["NAME"])
    print(f"test database: {name}")
    if connection.vendor == "postgresql":
        assert name.endswith(RUN_SUFFIX) and name.startswith("test_")
    else:
        assert "memory" in name  # SQLite tests run in memory, never on the data folder's database


@pytest.mark.slow
@pytest.mark.django_db
def test_a_run_drops_its_postgresql_database() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of ./dev test")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "-p", "no:xdist",
         f"{__file__}::test_the_database_in_use_is_this_runs"],
        cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    name = run.stdout.split("test database: ")[1].split()[0]
    assert name != connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name])
        assert cursor.fetchone() == (0,), f"{name} was left behind"
