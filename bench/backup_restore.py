"""Backup and restore times, against copying the data folder with ``cp -a`` in the same run.

    .venv/bin/python bench/backup_restore.py            # the demo, then 10,000 reports with 1 GiB of evidence
    .venv/bin/python bench/backup_restore.py --demo     # the demo only (~1 minute)
    .venv/bin/python bench/backup_restore.py --mib 256  # a smaller evidence volume

Everything runs through the real ``amparo`` command on SQLite in throw-away folders. For each set it prints the
seconds of ``amparo backup``, ``amparo restore`` (which includes ``verify --all``) and ``restore --check``, each with
its ratio to ``cp -a`` of the whole data folder (the least any copy of the same bytes costs). Exits non-zero when a
command fails or the restored installation does not verify.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AMPARO = [sys.executable, "-m", "amparo.cli"]

FILL = """
import io, os, random, sys
sys.path.insert(0, {root!r})
from amparo.cli import setup_django
setup_django()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from bench.staff_pages import generate
from amparo.accounts.models import Network
from amparo.evidence import log, vault
rng = random.Random(7)
generate({incidents}, {reports}, rng)
network = Network.objects.get(name="Bench network")
size = 16 << 20
for n in range({files}):
    vault.ingest(io.BytesIO(rng.randbytes(size)), network=network, filename=f"clip{{n}}.mp4", source="cli")
log.integrate_pending()
"""


def run(env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([*AMPARO, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"amparo {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return took


def measure(label: str, base: Path, env: dict[str, str]) -> None:
    data = Path(env["AMPARO_DATA_DIR"])
    passfile = base / "pass"
    passfile.write_text("bench backup passphrase\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file())

    start = time.perf_counter()
    subprocess.run(["cp", "-a", str(data), str(base / "copy")], check=True)
    copy = time.perf_counter() - start
    shutil.rmtree(base / "copy")

    backup = run(env, "backup", str(base / "backup"), "--passphrase-file", str(passfile))
    check = run(env, "restore", "--check", str(base / "backup"), "--passphrase-file", str(passfile))
    target = {**env, "AMPARO_DATA_DIR": str(base / "restored")}
    restore = run(target, "restore", str(base / "backup"), "--passphrase-file", str(passfile))
    print(
        f"{label}: data folder {size / 2**20:.0f} MiB; cp -a {copy:.2f} s (baseline) | "
        f"backup {backup:.2f} s ({backup / copy:.2f}x) | check {check:.2f} s ({check / copy:.2f}x) | "
        f"restore + verify {restore:.2f} s ({restore / copy:.2f}x)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="only the demo data")
    parser.add_argument("--mib", type=int, default=1024, help="evidence volume of the large set (MiB)")
    parser.add_argument("--reports", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="amparo-backup-bench-") as tmp:
        base = Path(tmp)
        env = {
            **os.environ,
            "AMPARO_DATA_DIR": str(base / "demo" / "data"),
            "DATABASE_URL": "",
            "AMPARO_TASKS_BACKEND": "immediate",
        }
        (base / "demo").mkdir()
        run(env, "demo")
        measure("demo", base / "demo", env)
        if not args.demo:
            (base / "large").mkdir()
            env = {**env, "AMPARO_DATA_DIR": str(base / "large" / "data")}
            script = FILL.format(
                root=str(ROOT),
                incidents=args.reports // 5,
                reports=args.reports,
                files=max(1, args.mib // 16),
            )
            subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)
            measure(f"{args.reports} reports, {args.mib} MiB of evidence", base / "large", env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
