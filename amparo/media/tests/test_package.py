from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import amparo.media

ROOT = Path(__file__).resolve().parents[3]


def test_every_exported_name_resolves() -> None:
    for name in amparo.media.__all__:
        assert getattr(amparo.media, name) is not None, name


def test_the_library_never_imports_django() -> None:
    code = (
        "import sys, amparo.media as m\n"
        "[getattr(m, n) for n in m.__all__]\n"
        "print('django' in sys.modules or any(k.startswith('django') for k in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "False"
