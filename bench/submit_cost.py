"""Benchmark: what ONE witness submission costs, on an idle server: CPU milliseconds and wall time, step by step.

    .venv/bin/python bench/submit_cost.py                 # embedded: `amparo serve` on SQLite, with its worker
    .venv/bin/python bench/submit_cost.py --pool          # 2 web servers, 2 RQ workers, PostgreSQL, Redis, SeaweedFS
    .venv/bin/python bench/submit_cost.py --profile       # the same requests in this process, under cProfile
    .venv/bin/python bench/submit_cost.py --pool --profile

A witness opens the form, sends a photo (or a 2-second video) over tus and posts the form, one submission at a time,
``--n`` times each after two unmeasured ones. Wall time is measured per request on the client; CPU time is read
from /proc for each part of the installation (the web servers with their sandboxed children, the workers, and in
the pool PostgreSQL, a private cluster so that its CPU is ours alone, and SeaweedFS), before and after each
submission; the workers are given time to finish the submission's background work before the next one, and their
CPU is shown apart. Load-average independent figures are the CPU ones; wall times are for an idle machine.

The baseline, measured in the same run: the static file's request (the least any request costs through the same
server), so each step also prints its wall time as a ratio to that.

With ``--profile`` the requests go through Django's test client in this process, against the same database and
store (no gunicorn), and cProfile prints where the wall time of the submissions went (``--sort tottime`` for
time spent in each function itself).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from witness import form_of, media  # noqa: E402

from amparo import pool as pool_module  # noqa: E402

AMPARO = [sys.executable, "-m", "amparo.cli"]
SLUG = "red-de-costo"
TICK = os.sysconf("SC_CLK_TCK")
SETUP = f"""
from amparo.cli import setup_django
setup_django()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from amparo.accounts.models import Network
from amparo.intake.models import IntakePage
network = Network.objects.create(name="Red de Costo")
IntakePage.objects.update_or_create(network=network, defaults={{"slug": {SLUG!r}, "enabled": True}})
"""
QUIET = {"AMPARO_INTAKE_FORM_MIN_SECONDS": "0"}  # one witness at a time needs no pause before sending


# --- CPU of process trees, from /proc ---------------------------------------------------------------------------


def _cpu_ticks(pid: int) -> int:
    """utime + stime of the process and of its children it has waited for (sandboxes, work horses)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return sum(int(v) for v in fields[11:15])  # utime stime cutime cstime


def tree_cpu_ms(roots: list[int]) -> float:
    pids = set()
    for root in roots:
        pids.add(root)
        pids.update(pool_module.descendants(root))
    return sum(_cpu_ticks(p) for p in pids) * 1000 / TICK


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


# --- the installations ------------------------------------------------------------------------------------------


class Setup:
    """A running installation: its URL, the environment of a machine in it, and its parts' process trees."""

    def __init__(self) -> None:
        self.url = ""
        self.env: dict[str, str] = {}
        self.web_env: dict[str, str] = {}  # one web server's (its static files collected): for --profile
        self.parts: dict[str, Callable[[], list[int]]] = {}
        self.stops: list[Callable[[], None]] = []

    def stop(self) -> None:
        for stop in reversed(self.stops):
            with contextlib.suppress(Exception):
                stop()


def embedded(base: Path) -> Setup:
    setup = Setup()
    setup.env = {
        **os.environ,
        **QUIET,
        "AMPARO_DATA_DIR": str(base / "data"),
        "DATABASE_URL": "",
        "AMPARO_TASKS_BACKEND": "database",
    }
    subprocess.run([sys.executable, "-c", SETUP], env=setup.env, check=True, cwd=ROOT)
    port = pool_module.free_port()
    log = open(base / "serve.log", "ab")  # noqa: SIM115 - the server writes to it until it stops
    proc = subprocess.Popen(
        [*AMPARO, "serve", "--port", str(port)],
        env=setup.env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        cwd=ROOT,
    )
    setup.url = f"http://127.0.0.1:{port}"
    pool_module.wait_http(f"{setup.url}/accounts/login/", proc)
    setup.web_env = setup.env

    def stop() -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

    setup.stops.append(stop)

    def children(word: str) -> list[int]:
        return [
            p for p in pool_module.descendants(proc.pid) if word in _cmdline(p) and _is_child(p, proc.pid)
        ]

    setup.parts = {"web": lambda: children("gunicorn"), "worker": lambda: children("amparo.cli worker")}
    return setup


def _is_child(pid: int, parent: int) -> bool:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]) == parent
    except (OSError, ValueError):
        return False


def pooled(base: Path, redis: str) -> Setup:
    from amparo.pgcluster import PrivatePostgres

    setup = Setup()
    cluster = PrivatePostgres().start()
    setup.stops.append(lambda: cluster.stop(remove=True))
    database = cluster.create_database("amparo_cost")
    pool = pool_module.start(base, database, redis, web=2, workers=2, extra=QUIET)
    setup.stops.append(pool.stop)
    setup.env = pool.node_env("setup")
    subprocess.run([sys.executable, "-c", SETUP], env=setup.env, check=True, cwd=ROOT)
    setup.url = pool.urls[0]
    setup.web_env = pool.node_env("web1")
    assert cluster.proc is not None and pool.s3.process is not None
    pg, s3 = cluster.proc.pid, pool.s3.process.pid
    setup.parts = {
        "web": lambda: [p.pid for p, _port in pool.web],
        "worker": lambda: [p.pid for p in pool.workers],
        "postgres": lambda: [pg],
        "s3": lambda: [s3],
    }
    return setup


# --- one witness ------------------------------------------------------------------------------------------------

STEPS = ("open form", "tus upload", "submit")


def witness(client: Any, kind: str, files: dict[str, tuple[bytes, str]], timer: Callable[[str], Any]) -> None:
    """Open the form, send one file over tus, post the form (``client``: a requests.Session or a test client)."""
    with timer("open form"):
        page = client.get(f"/report/{SLUG}/")
    assert page.status_code == 200, page.status_code
    fields = form_of(_text(page))
    data, mime = files[kind]
    meta = ",".join(
        f"{k} {base64.b64encode(v.encode()).decode()}"
        for k, v in {"filename": f"{kind}.bin", "filetype": mime}.items()
    )
    headers = {
        "Tus-Resumable": "1.0.0",
        "Upload-Length": str(len(data)),
        "Upload-Metadata": meta,
        "Content-Type": "application/offset+octet-stream",
        "X-CSRFToken": fields.get("csrfmiddlewaretoken", ""),
    }
    with timer("tus upload"):
        up = client.post("/uploads/", data=data, headers=headers)
    assert up.status_code == 201, up.status_code
    nonce = secrets.token_hex(6)
    fields.update(
        {
            "text": f"Agentes detuvieron a dos personas frente a la panadería. {nonce}",
            "place_text": "Calle 5 y Olive, Rialto",
            "upload_ids": up.headers["Location"].rstrip("/").rsplit("/", 1)[-1],
            "consent": ["internal"],
        }
    )
    fields.pop("website", None)
    with timer("submit"):
        done = client.post(f"/report/{SLUG}/", data=fields)
    assert done.status_code == 201, (done.status_code, _text(done)[-800:])


def _text(response: Any) -> str:
    return response.text if hasattr(response, "text") else response.content.decode()


# --- measuring --------------------------------------------------------------------------------------------------


def settle(setup: Setup, quiet_ms: float = 20, timeout: float = 60) -> None:
    """Wait until the background work of the last submission is done (the workers' CPU stops moving)."""
    deadline = time.monotonic() + timeout
    last = tree_cpu_ms(setup.parts["worker"]())
    while time.monotonic() < deadline:
        time.sleep(0.7)
        now = tree_cpu_ms(setup.parts["worker"]())
        if now - last <= quiet_ms:
            return
        last = now


def measure(setup: Setup, kind: str, n: int, files: dict[str, tuple[bytes, str]]) -> dict[str, Any]:
    import requests

    walls: dict[str, list[float]] = {step: [] for step in STEPS}
    cpu: dict[str, list[float]] = {part: [] for part in setup.parts}
    background: dict[str, list[float]] = {part: [] for part in setup.parts}

    @contextlib.contextmanager
    def timer(step: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        walls[step].append((time.perf_counter() - started) * 1000)

    for i in range(n + 2):
        settle(setup)
        before = {part: tree_cpu_ms(pids()) for part, pids in setup.parts.items()}
        with requests.Session() as session:
            client = _Prefixed(session, setup.url)
            witness(client, kind, files, timer)
        after = {part: tree_cpu_ms(pids()) for part, pids in setup.parts.items()}
        settle(setup)
        later = {part: tree_cpu_ms(pids()) for part, pids in setup.parts.items()}
        if i < 2:  # warm-up: first imports, connections, caches
            for values in walls.values():
                values.pop()
            continue
        for part in setup.parts:
            cpu[part].append(after[part] - before[part])
            background[part].append(later[part] - after[part])
    return {"wall": walls, "cpu": cpu, "background": background}


class _Prefixed:
    def __init__(self, session: Any, base: str) -> None:
        self.session, self.base = session, base

    def get(self, path: str, **kw: Any) -> Any:
        return self.session.get(self.base + path, timeout=120, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.session.post(self.base + path, timeout=120, allow_redirects=False, **kw)


def static_wall(url: str, n: int = 20) -> float:
    import requests

    times = []
    with requests.Session() as session:
        for _ in range(n + 2):
            started = time.perf_counter()
            session.get(f"{url}/static/amparo/amparo.css", timeout=30)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[2:])


def report(kind: str, result: dict[str, Any], static_ms: float) -> None:
    print(f"\n{kind}: {len(result['wall']['submit'])} submissions, one at a time")
    print(f"  {'step':12} {'wall p50 ms':>11} {'min':>7} {'max':>7} {'x static':>9}")
    total = [sum(parts) for parts in zip(*result["wall"].values(), strict=True)]
    for step, values in [*result["wall"].items(), ("all three", total)]:
        p50 = statistics.median(values)
        print(f"  {step:12} {p50:11.0f} {min(values):7.0f} {max(values):7.0f} {p50 / static_ms:8.0f}x")
    print(f"  {'CPU ms':12} {'during':>11} {'after (background)':>20}")
    for part in result["cpu"]:
        during, later = statistics.mean(result["cpu"][part]), statistics.mean(result["background"][part])
        print(f"  {part:12} {during:11.0f} {later:20.0f}")
    print(json.dumps({"kind": kind, "static_ms": static_ms, **result}), file=sys.stderr)


# --- the profile: the same requests in this process -------------------------------------------------------------


def profile_child(kind: str, n: int, sort: str, dump: str = "") -> None:
    """Runs with the environment of one web server of the installation: the requests through Django's test client."""
    import cProfile
    import pstats

    from amparo.cli import setup_django

    setup_django()
    from django.test import Client

    from amparo.media import sandbox

    if hasattr(
        sandbox, "keep_warm"
    ):  # as gunicorn_conf.py does in each web worker (code from before it: none)
        sandbox.keep_warm()

    files = media()

    @contextlib.contextmanager
    def timer(step: str) -> Iterator[None]:
        yield

    for _ in range(2):
        witness(_TestClient(Client(HTTP_HOST="127.0.0.1")), kind, files, timer)
    profiler = cProfile.Profile()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    children0 = os.times().children_user + os.times().children_system
    profiler.enable()
    for _ in range(n):
        witness(_TestClient(Client(HTTP_HOST="127.0.0.1")), kind, files, timer)
    profiler.disable()
    cpu = (time.process_time() - cpu0) * 1000 / n
    children = (os.times().children_user + os.times().children_system - children0) * 1000 / n
    wall = (time.perf_counter() - wall0) * 1000 / n
    print(
        f"\n{kind}, in process: wall {wall:.0f} ms, CPU {cpu:.0f} ms here + {children:.0f} ms in children, per submission"
    )
    stats = pstats.Stats(profiler)
    if dump:
        stats.dump_stats(f"{dump}.{kind}")
    stats.sort_stats(sort).print_stats(45)


class _TestClient:
    """Django's test client with the calls :func:`witness` makes of a requests.Session."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def post(self, path: str, *, data: Any, headers: dict[str, str] | None = None) -> Any:
        if isinstance(data, bytes):
            headers = dict(headers or {})
            return self.client.post(
                path, data=data, content_type=headers.pop("Content-Type"), headers=headers
            )
        return self.client.post(path, data=data)


def main() -> int:
    parser = argparse.ArgumentParser(description="CPU and wall time of one witness submission.")
    parser.add_argument(
        "--pool", action="store_true", help="2 web servers, 2 RQ workers, PostgreSQL, Redis, S3"
    )
    parser.add_argument("--n", type=int, default=8, help="measured submissions of each kind")
    parser.add_argument("--kinds", default="photo,video")
    parser.add_argument("--profile", action="store_true", help="cProfile the requests in this process")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--dump", default="", help="with --profile: also write the profile to DUMP.<kind>")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")  # a database no test uses
    parser.add_argument("--profile-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.profile_child:
        profile_child(args.profile_child, args.n, args.sort, args.dump)
        return 0
    print(f"load average {os.getloadavg()[0]:.2f} at the start")
    files = media()
    with tempfile.TemporaryDirectory(prefix="amparo-cost-") as tmp:
        setup = pooled(Path(tmp), args.redis) if args.pool else embedded(Path(tmp))
        try:
            if args.profile:
                for kind in args.kinds.split(","):
                    subprocess.run(
                        [
                            *(sys.executable, __file__, "--profile-child", kind, "--n", str(args.n)),
                            *("--sort", args.sort, "--dump", args.dump),
                        ],
                        env=setup.web_env,
                        check=True,
                        cwd=ROOT,
                    )
                return 0
            static_ms = static_wall(setup.url)
            print(f"baseline: static file {static_ms:.1f} ms (median of 20)")
            for kind in args.kinds.split(","):
                report(kind, measure(setup, kind, args.n, files), static_ms)
        finally:
            setup.stop()
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
