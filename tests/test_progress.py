"""Long command-line runs draw a progress bar on a terminal (a real pseudo-terminal here) and stay quiet otherwise."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from amparo.progress import Progress

# Runs Amparo's embedded SQLite setup whatever DATABASE_URL says: the SQLite pass runs it, the PostgreSQL pass skips it.
pytestmark = pytest.mark.embedded

ROOT = Path(__file__).resolve().parents[1]


def _read_all(fd: int, proc: subprocess.Popen[bytes] | None = None, timeout: float = 240) -> bytes:
    out = b""
    while True:
        ready, _w, _x = select.select([fd], [], [], timeout)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other side closed (EIO on Linux)
            break
        if not chunk:
            break
        out += chunk
    return out


def test_the_bar_is_drawn_on_a_terminal_and_silent_in_a_pipe() -> None:
    master, slave = os.openpty()
    with os.fdopen(slave, "w", encoding="utf-8") as terminal:
        progress = Progress("copying", 3, stream=terminal)
        for _ in range(3):
            progress.step()
        progress.close()
    drawn = _read_all(master, timeout=2).decode()
    os.close(master)
    assert "\rcopying: [####################] 3/3 100%" in drawn
    assert drawn.rstrip().endswith("copying: 3/3, done in 0s\x1b[K"), repr(drawn)

    piped = io.StringIO()
    quiet = Progress("copying", 3, stream=piped)
    for _ in range(3):
        quiet.step()
    quiet.close()
    assert piped.getvalue() == ""


def test_half_way_it_says_how_much_is_left() -> None:
    line = Progress("evidence", 4, stream=io.StringIO())
    line.step(2)
    text = line.line()
    assert "[##########          ] 2/4  50%" in text and "left" in text


@pytest.mark.slow
def test_verify_all_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    env = {**os.environ, "AMPARO_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""}
    run = [sys.executable, "-m", "amparo.cli"]
    subprocess.run([*run, "manage", "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [
            *run,
            "manage",
            "shell",
            "--no-imports",
            "-c",
            "from amparo.accounts.models import Network; Network.objects.create(name='Red Progreso')",
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )
    files = []
    for n in range(3):
        path = tmp_path / f"note{n}.txt"
        path.write_bytes(f"Nota de campo {n}: agentes en la parada.".encode())
        files.append(str(path))
    subprocess.run([*run, "evidence", "add", *files], env=env, check=True, cwd=ROOT, capture_output=True)

    master, slave = os.openpty()
    proc = subprocess.Popen(
        [*run, "verify", "--all"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=slave
    )
    os.close(slave)
    drawn = _read_all(master, proc).decode()
    os.close(master)
    assert proc.wait(timeout=60) == 0
    assert "verify: originals: [####################] 3/3 100%" in drawn, drawn[-500:]
    assert "verify: originals: 3/3, done in" in drawn

    piped = subprocess.run([*run, "verify", "--all"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert piped.returncode == 0
    assert "verify: originals" not in piped.stderr and "3 items" in piped.stdout
