"""A private PostgreSQL cluster in a folder of its own, on a free loopback port: for crash runs and outage tests.

    cluster = PrivatePostgres(folder).start()
    cluster.url("amparo")        # postgres://postgres@127.0.0.1:PORT/amparo (created on first use)
    cluster.kill()               # kill -9 the postmaster, as a crashed database machine
    cluster.start()              # back (crash recovery replays the write-ahead log)
    cluster.stop()

Killing the machine's shared PostgreSQL would break everyone else's work; a cluster of one's own can be killed at will.
It needs the server binaries (``initdb``, ``pg_ctl``, ``postgres``) of Debian's ``postgresql-15`` or of ``PG_BIN``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def server_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL's server is not installed."""
    candidates = [os.environ.get("PG_BIN", "")]
    candidates += sorted((str(p) for p in Path("/usr/lib/postgresql").glob("*/bin")), reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_owner() -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the system's ``postgres`` user (setpriv execs, so the
    process we start is the server itself)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]


class PrivatePostgres:
    def __init__(self, folder: Path | None = None, port: int | None = None) -> None:
        """``folder`` defaults to a new one in the system's temporary folder: run as root, the server runs as the
        ``postgres`` user, which cannot enter a root-only folder such as pytest's ``tmp_path``."""
        binaries = server_binaries()
        if binaries is None:
            raise RuntimeError("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
        self.bin = binaries
        self.folder = folder or Path(tempfile.mkdtemp(prefix="amparo-pg-"))
        self.data = self.folder / "data"
        self.sockets = self.folder / "sockets"
        if port is None:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = int(s.getsockname()[1])
        self.port = port
        self.proc: subprocess.Popen[bytes] | None = None

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self, timeout: float = 60) -> PrivatePostgres:
        if not (self.data / "PG_VERSION").exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.folder, "postgres", "postgres")
            subprocess.run(  # noqa: S603 - PostgreSQL's own initdb
                [
                    *_as_owner(),
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                ],
                check=True,
                capture_output=True,
            )
        self.sockets.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.sockets, "postgres", "postgres")
        log = open(self.folder / "postgres.log", "ab")  # noqa: SIM115 - the server writes to it until it stops
        # The postmaster itself (not pg_ctl, which forks it away) so that kill() hits the real process.
        self.proc = subprocess.Popen(  # noqa: S603 - PostgreSQL's own server
            [
                *_as_owner(),
                str(self.bin / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={self.sockets}",
                "-c",
                "fsync=on",  # a crash run must not lose what was committed
                "-c",
                "max_connections=200",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"PostgreSQL stopped at start; see {self.folder / 'postgres.log'}")
            done = subprocess.run(  # noqa: S603
                [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"],
                capture_output=True,
                check=False,
            )
            if done.returncode == 0:
                return self
            time.sleep(0.2)
        raise RuntimeError(f"PostgreSQL did not accept connections in {timeout:.0f} s")

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def kill(self) -> None:
        """``kill -9`` the postmaster and its backends, as losing the database machine would."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.proc = None
        # A killed postmaster leaves its pid file; the next start checks the pid is gone and carries on.

    def stop(self, remove: bool = False) -> None:
        """Stop the server; ``remove`` also deletes its folder."""
        if remove:
            self.stop()
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGINT)  # "fast" shutdown
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.proc = None
