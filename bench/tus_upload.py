"""Benchmark: a resumable tus upload to a local Amparo server against copying the same bytes on disk.

Baseline: a user-space copy of the file (1 MiB buffer, fsync), the least work any upload must do on this machine.
Measured: the same bytes uploaded with tuspy (the reference Python tus client) in 32 MiB PATCH requests to
gunicorn running Amparo, which appends each piece at its offset and fsyncs. While it runs, the server worker's
resident memory is sampled: it must stay flat (grow by less than 64 MiB) whatever the file size.

    .venv/bin/python bench/tus_upload.py          # 256 MiB (about a minute on a 2-core machine)
    .venv/bin/python bench/tus_upload.py --full   # 1 GiB

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="upload 1 GiB instead of 256 MiB")
    args = parser.parse_args()
    size = (1024 if args.full else 256) * 1024 * 1024
    with tempfile.TemporaryDirectory(
        prefix="amparo-bench-tus-", dir=os.environ.get("TMPDIR", "/var/tmp")
    ) as tmp:
        work = Path(tmp)
        data_dir = work / "data"
        env = dict(os.environ, AMPARO_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="amparo.settings")
        env.pop("DATABASE_URL", None)
        py = sys.executable
        subprocess.run([py, "-m", "amparo.cli", "manage", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        src = work / "video.bin"
        expected = make_file(src, size)
        baseline = copy(src, work / "copy.bin")
        (work / "copy.bin").unlink()

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
            tus.TusClient(f"http://127.0.0.1:{port}/uploads/").uploader(
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
            uploader = tus.TusClient(f"http://127.0.0.1:{port}/uploads/").uploader(
                str(src), chunk_size=CHUNK, metadata={"filename": "video.bin"}
            )
            uploader.upload()
            measured = time.perf_counter() - start
            done.set()
            sampler.join()
            upload_id = str(uploader.url).rsplit("/", 1)[1]
            stored = data_dir / "uploads" / upload_id
            digest = hashlib.sha256()
            with stored.open("rb") as fh:
                for piece in iter(lambda: fh.read(4 * 1024 * 1024), b""):
                    digest.update(piece)
        finally:
            server.terminate()
            server.wait(timeout=30)
    mib = size / (1024 * 1024)
    ratio = measured / baseline
    growth = peak - before
    print(f"size: {mib:.0f} MiB")
    print(f"baseline copy+fsync: {baseline:.2f} s ({mib / baseline:.0f} MiB/s)")
    print(
        f"tus upload (tuspy -> gunicorn, {CHUNK // (1024 * 1024)} MiB PATCHes): {measured:.2f} s ({mib / measured:.0f} MiB/s)"
    )
    print(f"ratio: {ratio:.2f}x (target <= {TARGET}x)")
    print(
        f"server worker memory: {before / 2**20:.0f} MiB before, {peak / 2**20:.0f} MiB peak (+{growth / 2**20:.0f} MiB; limit +{MEMORY_LIMIT // 2**20} MiB)"
    )
    ok = digest.hexdigest() == expected
    print(f"byte-identical: {ok}")
    return 0 if ok and ratio <= TARGET and growth < MEMORY_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
