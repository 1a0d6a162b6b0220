"""Loaded by pytest before Django reads its settings (``-p amparo.pytest_env`` in pyproject.toml): no test touches
./amparo-data, and background tasks run inline unless a test asks otherwise."""

import os
import tempfile

os.environ.setdefault("AMPARO_DATA_DIR", tempfile.mkdtemp(prefix="amparo-test-"))
os.environ.setdefault("AMPARO_TASKS_BACKEND", "immediate")
