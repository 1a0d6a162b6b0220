"""The ledger is plain Python: importing all of it must not import Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MODULES = [
    "amparo.ledger",
    "amparo.ledger.__main__",
    "amparo.ledger.verify",
    "amparo.ledger.tlog",
    "amparo.ledger.receipt",
    "amparo.ledger.commitment",
]


def test_no_django_import() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    repo = Path(__file__).resolve().parents[3]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True, env={"PATH": ""}
    )
    assert out.stdout.strip() == "[]"
