"""Benchmark: a resumable tus upload to a local Amparo server against copying the same bytes on disk.

Baseline: a user-space copy of the file (1 MiB buffer, fsync), the least work any upload must do on this machine.
Measured: the same bytes uploaded with tuspy (the reference Python tus client) in 32 MiB PATCH requests to
gunicorn running Amparo, which appends each piece at its offset and fsyncs. While it runs, the server worker's
resident memory is sampled: it must stay flat (grow by less than 64 MiB) whatever the file size.

    .venv/bin/python bench/tus_upload.py          # 256 MiB (about a minute on a 2-core machine)
    .venv/bin/python bench/tus_upload.py --full   # 1 GiB
    .venv/bin/python bench/tus_upload.py --s3     # also into a shared S3 store (SeaweedFS): 8 MiB part objects

With ``--s3`` the same bytes are uploaded a second time to a server whose evidence store is a local SeaweedFS, where
each PATCH becomes part objects (intake/uploadstore.py); its ratio is printed against the same copy and the local
upload, and it must meet the same memory limit and S3_TARGET.

Exits non-zero if the upload takes more than TARGET times the copy or memory does not stay flat.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 5.0  # loopback HTTP, a Python client and an fsync per PATCH, against a bare local copy
S3_TARGET = 15.0  # the same, plus a local spool and a PUT into a store on the same 2 cores
MEMORY_LIMIT = 64 * 1024 * 1024
CHUNK = 32 * 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except FileNotFoundError:
        return 0
    return 0


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def make_file(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    block = os.urandom(4 * 1024 * 1024)
    with path.open("wb") as fh:
        written = 0
        while written < size:
            piece = block[: min(len(block), size - written)]
            fh.write(piece)
            digest.update(piece)
            written += len(piece)
    return digest.hexdigest()


def copy(src: Path, dst: Path) -> float:
    start = time.perf_counter()
    with src.open("rb") as fin, dst.open("wb") as fout:
        shutil.copyfileobj(fin, fout, 1024 * 1024)
        fout.flush()
        os.fsync(fout.fileno())
    return time.perf_counter() - start


ISSUE_FORM = """
from amparo.cli import setup_django
setup_django()
from amparo.intake import formtoken
print(formtoken.issue())
"""

DIGEST = """
import hashlib, sys
from amparo.cli import setup_django
setup_django()
from amparo.intake import uploadstore
from amparo.intake.models import UploadSession
upload = UploadSession.objects.get(upload_id=sys.argv[1])
digest = hashlib.sha256()
with uploadstore.open_upload(upload) as fh:
    for piece in iter(lambda: fh.read(4 * 1024 * 1024), b""):
        digest.update(piece)
print(digest.hexdigest(), len(upload.parts))
"""


def upload(env: dict[str, str], src: Path) -> tuple[float, int, int, str, int]:
    """One tus upload of ``src`` to a fresh gunicorn: seconds, worker memory before and peak, digest, parts."""
    py = sys.executable
    subprocess.run([py, "-m", "amparo.cli", "manage", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    token = subprocess.run(
        [py, "-c", ISSUE_FORM], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    headers = {"Amparo-Form-Token": token}  # anonymous uploads start from a report page's form
    port = free_port()
    server = subprocess.Popen(
        [
            py,
            "-m",
            "gunicorn",
            "amparo.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
            "--worker-class",
            "gthread",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        workers = children(server.pid)
        worker = workers[0] if workers else server.pid
        from tusclient import client as tus

        # warm up: the first request imports the views and opens the database
        tus.TusClient(f"http://127.0.0.1:{port}/uploads/", headers=headers).uploader(
            file_stream=__import__("io").BytesIO(b"\xff\xd8\xff" + b"0" * 1000), chunk_size=CHUNK
        ).upload()
        before = rss(worker)
        peak = before
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, rss(worker))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        start = time.perf_counter()
        uploader = tus.TusClient(f"http://127.0.0.1:{port}/uploads/", headers=headers).uploader(
            str(src), chunk_size=CHUNK, metadata={"filename": "video.bin"}
        )
        uploader.upload()
        measured = time.perf_counter() - start
        done.set()
        sampler.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    upload_id = str(uploader.url).rsplit("/", 1)[1]
    out = subprocess.run(
        [py, "-c", DIGEST, upload_id], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    return measured, before, peak, out[0], int(out[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="upload 1 GiB instead of 256 MiB")
    parser.add_argument("--s3", action="store_true", help="also upload into a shared S3 store (SeaweedFS)")
    args = parser.parse_args()
    size = (1024 if args.full else 256) * 1024 * 1024
    mib = size / (1024 * 1024)
    ok = True
    with tempfile.TemporaryDirectory(
        prefix="amparo-bench-tus-", dir=os.environ.get("TMPDIR", "/var/tmp")
    ) as tmp:
        work = Path(tmp)
        base = dict(os.environ, DJANGO_SETTINGS_MODULE="amparo.settings")
        base.pop("DATABASE_URL", None)
        src = work / "video.bin"
        expected = make_file(src, size)
        baseline = copy(src, work / "copy.bin")
        (work / "copy.bin").unlink()
        print(f"size: {mib:.0f} MiB")
        print(f"baseline copy+fsync: {baseline:.2f} s ({mib / baseline:.0f} MiB/s)")
        runs = [("local folder", dict(base, AMPARO_DATA_DIR=str(work / "data")), TARGET)]
        seaweed = None
        if args.s3:
            from amparo.seaweed import SeaweedS3

            seaweed = SeaweedS3(work / "seaweed").start()
            bucket = seaweed.create_bucket("bench-evidence")
            s3_env = dict(base, **seaweed.env(), AMPARO_DATA_DIR=str(work / "data-s3"))
            runs.append(("S3 parts", dict(s3_env, AMPARO_EVIDENCE_S3_BUCKET=bucket), S3_TARGET))
        try:
            local = 0.0
            for name, env, target in runs:
                measured, before, peak, digest, parts = upload(env, src)
                local = local or measured
                ratio = measured / baseline
                growth = peak - before
                same = digest == expected
                print(
                    f"tus upload into the {name} (tuspy -> gunicorn, {CHUNK // (1024 * 1024)} MiB PATCHes): "
                    f"{measured:.2f} s ({mib / measured:.0f} MiB/s), {parts} part objects"
                )
                print(
                    f"  ratio: {ratio:.2f}x the copy (target <= {target}x), {measured / local:.2f}x the local upload"
                )
                print(
                    f"  server worker memory: {before / 2**20:.0f} MiB before, {peak / 2**20:.0f} MiB peak "
                    f"(+{growth / 2**20:.0f} MiB; limit +{MEMORY_LIMIT // 2**20} MiB)"
                )
                print(f"  byte-identical: {same}")
                ok = ok and same and ratio <= target and growth < MEMORY_LIMIT
        finally:
            if seaweed is not None:
                seaweed.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
