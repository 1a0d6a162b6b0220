"""A pooled installation on one machine: several web servers and workers on PostgreSQL, Redis and S3 (loopback).

    python -m amparo.pool [--web 2] [--workers 2] [--database URL] [--redis URL]      (``./dev pool``)

Starts SeaweedFS (``amparo.seaweed``) with a bucket for originals and one for the log, runs the migrations once,
then ``amparo serve --no-worker`` on free ports and ``amparo worker`` (RQ), each in a data folder of its own, as
separate machines would have, sharing only the keys (copied to each, as an operator distributes them), the
database, Redis and the buckets. It prints where everything is and stops it all on Ctrl+C.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from amparo.seaweed import SeaweedS3

AMPARO = [sys.executable, "-m", "amparo.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc): an RQ worker's work horse sits in a process group of its own."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def signal_tree(pid: int, signum: int) -> None:
    """Send ``signum`` to ``pid`` and everything below it, as losing its machine would (``kill -9``)."""
    for target in [pid, *descendants(pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(target, signum)


@dataclass
class Pool:
    base: Path
    database_url: str
    redis_url: str
    s3: SeaweedS3
    env: dict[str, str]
    web: list[tuple[subprocess.Popen[bytes], int]] = field(default_factory=list)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for _p, port in self.web]

    def node_env(self, name: str) -> dict[str, str]:
        """The environment of one machine of the pool: its own data folder, the shared keys."""
        data = self.base / name
        if not (data / "keys").exists():
            shutil.copytree(self.base / "keys", data / "keys")
        return {**self.env, "AMPARO_DATA_DIR": str(data)}

    def start_web(self, name: str) -> tuple[subprocess.Popen[bytes], int]:
        port = free_port()
        log = open(self.base / f"{name}.log", "ab")  # noqa: SIM115 - the server writes to it until it stops
        proc = subprocess.Popen(  # noqa: S603 - our own command
            [*AMPARO, "serve", "--no-worker", "--port", str(port), "--workers", "2"],
            env=self.node_env(name),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_http(f"http://127.0.0.1:{port}/accounts/login/", proc)
        self.web.append((proc, port))
        return proc, port

    def start_worker(self, name: str) -> subprocess.Popen[bytes]:
        log = open(self.base / f"{name}.log", "ab")  # noqa: SIM115 - the worker writes to it until it stops
        proc = subprocess.Popen(  # noqa: S603 - our own command
            [*AMPARO, "worker"],
            env=self.node_env(name),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.workers.append(proc)
        return proc

    def stop(self) -> None:
        procs = [p for p, _port in self.web] + self.workers
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.s3.stop()


# Every key is made lazily on first use; a pool must make them once and share them, or each server would sign the
# log with a key of its own (and the others would refuse its checkpoints).
MAKE_KEYS = """
from amparo.cli import setup_django
setup_django()
from amparo.evidence import log
from amparo.lib import crypto
log.signer()
crypto.keyring()
log.integrate_pending()
"""


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server for {url} stopped at start (exit {proc.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in {timeout:.0f} s")


def start(
    base: Path,
    database_url: str,
    redis_url: str,
    *,
    web: int = 2,
    workers: int = 2,
    extra: dict[str, str] | None = None,
) -> Pool:
    """Start a pool in ``base``; the caller stops it with ``Pool.stop()``."""
    base.mkdir(parents=True, exist_ok=True)
    s3 = SeaweedS3(base / "seaweed").start()
    try:
        env = {
            **os.environ,
            **s3.env(),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "AMPARO_TASKS_BACKEND": "rq",
            "AMPARO_EVIDENCE_S3_BUCKET": s3.create_bucket("amparo-evidence"),
            "AMPARO_LOG_S3_BUCKET": s3.create_bucket("amparo-log"),
            "AMPARO_DATA_DIR": str(base / "setup"),
            **(extra or {}),
        }
        # One machine makes the keys and migrates; the others get a copy of the keys.
        subprocess.run([*AMPARO, "manage", "migrate", "--verbosity", "0"], env=env, check=True)  # noqa: S603
        subprocess.run([sys.executable, "-c", MAKE_KEYS], env=env, check=True)  # noqa: S603
        shutil.copytree(base / "setup" / "keys", base / "keys")
        pool = Pool(base, database_url, redis_url, s3, env)
        for n in range(web):
            pool.start_web(f"web{n + 1}")
        for n in range(workers):
            pool.start_worker(f"worker{n + 1}")
        return pool
    except BaseException:
        s3.stop()
        raise


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` if it does not exist."""
    import psycopg

    admin, name = url.rsplit("/", 1)
    with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description="Run a pooled Amparo on loopback (PostgreSQL, Redis, S3).")
    parser.add_argument("--web", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--database",
        default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/amparo_pool",
    )
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/3")
    parser.add_argument("--folder", help="where the pool keeps its files (default: a new temporary folder)")
    args = parser.parse_args()
    base = Path(args.folder or tempfile.mkdtemp(prefix="amparo-pool-"))
    ensure_database(args.database)
    pool = start(base, args.database, args.redis, web=args.web, workers=args.workers)
    print(f"Amparo pool in {base}")
    print(f"  database   {args.database}")
    print(f"  redis      {args.redis}")
    print(f"  S3         {pool.s3.endpoint} (buckets amparo-evidence, amparo-log)")
    for url in pool.urls:
        print(f"  web        {url}/")
    print(f"  workers    {len(pool.workers)} (logs in {base})")
    print("Press Ctrl+C to stop.", flush=True)
    stop = {"now": False}

    def on_signal(signum: int, frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        while not stop["now"]:
            time.sleep(0.5)
    finally:
        pool.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
