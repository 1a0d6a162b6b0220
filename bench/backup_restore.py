"""Backup and restore times, against a plain copy of the same bytes in the same run.

    .venv/bin/python bench/backup_restore.py            # the demo, then 10,000 reports with 1 GiB of evidence
    .venv/bin/python bench/backup_restore.py --demo     # the demo only (~1 minute)
    .venv/bin/python bench/backup_restore.py --mib 256  # a smaller evidence volume
    .venv/bin/python bench/backup_restore.py --s3 --reports 2000 --mib 1024   # evidence and log tiles in S3

Everything runs through the real ``amparo`` command on SQLite in throw-away folders. For each set it prints the
seconds of ``amparo backup``, ``amparo restore`` (which includes ``verify --all``) and ``restore --check``, each with
its ratio to a plain copy of the same bytes (the least any copy of them costs): ``cp -a`` of the whole data folder
on disk; with ``--s3`` (SeaweedFS on loopback, amparo/seaweed.py; evidence and log tiles in buckets, restored into
fresh buckets), ``cp -a`` of the data folder plus every evidence object read out of its bucket into files, one GET
streamed in 1 MiB pieces each (against the backup, which reads them so), and the same files written into a fresh
bucket, one PUT each (against the restore). Exits non-zero when a command fails or the restored installation does
not verify.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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


def measure(label: str, base: Path, env: dict[str, str], s3: Any = None) -> None:
    data = Path(env["AMPARO_DATA_DIR"])
    passfile = base / "pass"
    passfile.write_text("bench backup passphrase\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file())

    start = time.perf_counter()
    subprocess.run(["cp", "-a", str(data), str(base / "copy")], check=True)
    copy = time.perf_counter() - start
    shutil.rmtree(base / "copy")
    copy_out = copy_in = copy
    target = {**env, "AMPARO_DATA_DIR": str(base / "restored")}
    if s3 is not None:
        objects, size_s3, get = _s3_read_all(s3, env["AMPARO_EVIDENCE_S3_BUCKET"], base / "objects")
        put = _s3_write_all(s3, _buckets(s3, base.name + "-plain")[0], base / "objects")
        shutil.rmtree(base / "objects")
        copy_out, copy_in = copy + get, copy + put
        target |= _bucket_env(s3, base.name + "-restored")
        print(
            f"{label}: S3 bucket {objects} objects, {size_s3 / 2**20:.0f} MiB; plain GET of every object "
            f"{get:.2f} s, plain PUT {put:.2f} s"
        )

    backup = run(env, "backup", str(base / "backup"), "--passphrase-file", str(passfile))
    check = run(env, "restore", "--check", str(base / "backup"), "--passphrase-file", str(passfile))
    restore = run(target, "restore", str(base / "backup"), "--passphrase-file", str(passfile))
    if s3 is None:
        print(
            f"{label}: data folder {size / 2**20:.0f} MiB; cp -a {copy:.2f} s (baseline) | "
            f"backup {backup:.2f} s ({backup / copy:.2f}x) | check {check:.2f} s ({check / copy:.2f}x) | "
            f"restore + verify {restore:.2f} s ({restore / copy:.2f}x)"
        )
    else:
        print(
            f"{label}: data folder {size / 2**20:.0f} MiB (cp -a {copy:.2f} s) | "
            f"backup {backup:.2f} s ({backup / copy_out:.2f}x cp -a + GET, {copy_out:.2f} s) | "
            f"check {check:.2f} s | restore + verify {restore:.2f} s ({restore / copy_in:.2f}x cp -a + PUT, "
            f"{copy_in:.2f} s)"
        )


def _buckets(s3: Any, name: str) -> tuple[str, str]:
    """A fresh evidence bucket and log-tile bucket on ``s3``."""
    stem = name.lower().replace("_", "-")
    return s3.create_bucket(f"{stem}-evidence"), s3.create_bucket(f"{stem}-log")


def _bucket_env(s3: Any, name: str) -> dict[str, str]:
    evidence, tiles = _buckets(s3, name)
    return {"AMPARO_EVIDENCE_S3_BUCKET": evidence, "AMPARO_LOG_S3_BUCKET": tiles}


def _s3_read_all(s3: Any, bucket: str, folder: Path) -> tuple[int, int, float]:
    """Every object of ``bucket`` into files of ``folder``: (objects, bytes, seconds)."""
    client = s3.client()
    folder.mkdir()
    keys = [
        o["Key"]
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for o in page.get("Contents", [])
    ]
    start = time.perf_counter()
    total = 0
    for n, key in enumerate(keys):
        body = client.get_object(Bucket=bucket, Key=key)["Body"]
        with open(folder / str(n), "wb") as out:
            while chunk := body.read(1 << 20):
                out.write(chunk)
                total += len(chunk)
    return len(keys), total, time.perf_counter() - start


def _s3_write_all(s3: Any, bucket: str, folder: Path) -> float:
    client = s3.client()
    start = time.perf_counter()
    for path in sorted(folder.iterdir()):
        with open(path, "rb") as body:
            client.put_object(Bucket=bucket, Key=path.name, Body=body)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="only the demo data")
    parser.add_argument("--mib", type=int, default=1024, help="evidence volume of the large set (MiB)")
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument(
        "--s3", action="store_true", help="evidence and log tiles in S3 (SeaweedFS on loopback)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="amparo-backup-bench-") as tmp, contextlib.ExitStack() as stack:
        base = Path(tmp)
        env = {
            **os.environ,
            "AMPARO_DATA_DIR": str(base / "demo" / "data"),
            "DATABASE_URL": "",
            "AMPARO_TASKS_BACKEND": "immediate",
        }
        s3 = None
        if args.s3:
            from amparo.seaweed import SeaweedS3

            s3 = stack.enter_context(SeaweedS3(base / "seaweed"))
            env |= s3.env()
        (base / "demo").mkdir()
        if s3 is not None:
            env |= _bucket_env(s3, "demo")
        run(env, "demo")
        measure("demo", base / "demo", env, s3)
        if not args.demo:
            (base / "large").mkdir()
            env = {**env, "AMPARO_DATA_DIR": str(base / "large" / "data")}
            if s3 is not None:
                env |= _bucket_env(s3, "large")
            script = FILL.format(
                root=str(ROOT),
                incidents=args.reports // 5,
                reports=args.reports,
                files=max(1, args.mib // 16),
            )
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)
            print(
                f"filled {args.reports} reports and {args.mib} MiB of evidence in {time.perf_counter() - start:.0f} s"
            )
            measure(f"{args.reports} reports, {args.mib} MiB of evidence", base / "large", env, s3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
