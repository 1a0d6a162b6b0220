"""Loaded by pytest before Django reads its settings (``-p amparo.pytest_env`` in pyproject.toml): no test touches
./amparo-data, and background tasks run inline unless a test asks otherwise."""

import os
import tempfile

os.environ.setdefault("AMPARO_DATA_DIR", tempfile.mkdtemp(prefix="amparo-test-"))
os.environ.setdefault("AMPARO_TASKS_BACKEND", "immediate")

# One name per run for the PostgreSQL test database, so two runs against one server (two clones, CI jobs, helpers)
# never share or drop each other's database; pytest-django drops it at the end of the run (conftest.py).
RUN_SUFFIX = f"{os.getpid()}_{os.urandom(3).hex()}"


def unique_test_db_name(name: str, suffix: str = RUN_SUFFIX) -> str:
    """``test_amparo_gw0`` -> ``test_amparo_gw0_4242_a1b2c3``, cut to PostgreSQL's 63 characters keeping the suffix."""
    return f"{name[: 62 - len(suffix)]}_{suffix}"
