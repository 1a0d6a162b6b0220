"""Load test with Locust: witnesses, hotline operators and staff at once, on one machine or on a pool.

    .venv/bin/python bench/load.py                       # embedded (SQLite, one server + worker), 60 s
    .venv/bin/python bench/load.py --pool                # 2 web servers + 2 RQ workers on PostgreSQL, Redis, S3
    .venv/bin/python bench/load.py --pool --crash        # ... and kill -9 a web server, a busy worker and PostgreSQL
                                                         #     (a private cluster), and freeze S3 for 4 s
    .venv/bin/python bench/load.py --seconds 20 --witnesses 5   # a short run
    .venv/bin/python bench/load.py --seconds 8 --witnesses 3 --smoke   # the suite's smoke run (no latency targets)

Everything runs on loopback. Witnesses (20 by default, all from one address, as at a church's wifi or behind a
carrier's NAT) open the public form, upload a photo or a 2-second video over tus and send the form; operators sign
in (password and TOTP) and enter calls; staff page the triage queue, search it and open the incidents list. A fourth
kind of user fetches a static file: the baseline, measured in the same run. It prints requests, throughput,
p50/p95/p99 and errors per action, each p95 as a ratio to the static file's, then checks that every report the
server acknowledged is stored exactly once, that the log has no gap, that the workers fingerprinted every picture and
video (also the one whose worker was killed), and that ``amparo verify --all`` passes. A client refused with
503 + Retry-After (database or store down) waits that long and sends the same thing again, as a tus client or a
person would; the run counts those answers apart from other errors.

Targets (a 2-core machine): no error; witness submission p95 <= 1 s at 20 witnesses; staff pages p95 <= 300 ms.
Exits 1 when one is missed or anything acknowledged is missing.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import base64  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import secrets  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402
import pyotp  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))

from witness import form_of  # noqa: E402
from witness import media as _media  # noqa: E402

from amparo import pool as pool_module  # noqa: E402

AMPARO = [sys.executable, "-m", "amparo.cli"]
PASSWORD = "load-test-password-2026"  # noqa: S105 - throw-away users on loopback
SLUG = "red-de-carga"

SETUP = """
import json, pyotp
from amparo.cli import setup_django
setup_django()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.utils import timezone
from amparo.accounts.models import Membership, Network, User
from amparo.intake.models import IntakePage
network = Network.objects.create(name="Red de Carga")
IntakePage.objects.update_or_create(network=network, defaults={"slug": %(slug)r, "enabled": True})
staff = []
for n in range(%(staff)d):
    for role in ("coordinator", "operator"):
        secret = pyotp.random_base32()
        user = User.objects.create_user(f"{role[:5]}{n}", password=%(password)r)
        user.totp_secret, user.totp_confirmed_at = secret, timezone.now()
        user.save()
        Membership.objects.create(user=user, network=network, role=role)
        staff.append({"username": user.username, "secret": secret, "role": role})
print(json.dumps(staff))
"""

CHECK = """
import json, sys
from amparo.cli import setup_django
setup_django()
from amparo.evidence import log
from amparo.evidence.models import LogEntry
from amparo.incidents.models import Report
nonces = json.load(open(sys.argv[1]))
counts = {n: Report.objects.filter(text__contains=n).count() for n in nonces}
log.integrate_pending()
indices = list(LogEntry.objects.order_by("index").values_list("index", flat=True))
print(json.dumps({"missing": [n for n, c in counts.items() if c == 0], "duplicated": [n for n, c in counts.items() if c > 1],
                  "gapless": indices == list(range(len(indices))), "entries": len(indices)}))
"""

# Background work finished: every picture and video the probe could read has fingerprints (waits up to 3 minutes).
TASKS_DONE = """
import json, time
from amparo.cli import setup_django
setup_django()
from amparo.evidence.models import EvidenceItem
visual = EvidenceItem.objects.filter(kind__in=("image", "video"), probe_error="", deleted_at__isnull=True)
start = time.monotonic()
while True:
    left = visual.filter(fingerprints__isnull=True).count()
    if left == 0 or time.monotonic() - start > 180:
        break
    time.sleep(2)
print(json.dumps({"visual": visual.count(), "unfingerprinted": left, "waited": round(time.monotonic() - start)}))
"""

# Embedded mode: how long a writer waits for SQLite's one write lock during the run. Every write (a staff page's
# session, a witness's rate count, a call) waits this long; a report that held the lock while probing its files
# showed here (docs/scaling.md). Samples BEGIN IMMEDIATE four times a second from a connection of its own.
LOCK_WAITS = """
import json, sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], timeout=60, isolation_level=None)
end, waits = time.monotonic() + float(sys.argv[2]), []
while time.monotonic() < end:
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    waits.append((time.perf_counter() - started) * 1000)
    conn.execute("ROLLBACK")
    time.sleep(0.25)
waits.sort()
at = lambda q: round(waits[min(len(waits) - 1, int(q * len(waits)))], 1) if waits else 0
print(json.dumps({"samples": len(waits), "p50": at(0.5), "p95": at(0.95), "max": at(1.0)}))
"""


class Shared:
    hosts: list[str] = []
    unavailable: dict[str, int] = {"503": 0, "with Retry-After": 0}
    staff: list[dict[str, str]] = []
    media: dict[str, tuple[bytes, str]] = {}
    acknowledged: list[str] = []
    static_path = "/static/amparo/amparo.css"
    embedded: tuple[Any, Path] | None = None  # the `amparo serve` process and its log


def _pick_host(user: HttpUser) -> None:
    user.host = random.choice(Shared.hosts)  # a proxy with sticky sessions: one server per user
    user.client.base_url = user.host


def _sent(user: HttpUser, method: str, path: str, name: str, ok: Any, **kwargs: Any) -> Any:
    """One request; on 503 (a service down for a moment) wait Retry-After and send it again, up to 4 times.

    Returns the response when ``ok(response)`` says it was accepted, else None (the failure is recorded)."""
    for _attempt in range(4):
        wait = 0.0
        with user.client.request(method, path, name=name, catch_response=True, **kwargs) as resp:
            if resp.status_code == 503:
                Shared.unavailable["503"] += 1
                retry_after = resp.headers.get("Retry-After", "")
                if retry_after.isdigit():
                    Shared.unavailable["with Retry-After"] += 1
                wait = float(retry_after) if retry_after.isdigit() else 5.0
                resp.failure("503 Service Unavailable (retryable)")
            elif ok(resp):
                resp.success()
                return resp
            else:
                resp.failure(f"not accepted ({resp.status_code})")
                return None
        gevent.sleep(wait)
    return None


def _still_up(user: HttpUser) -> None:
    """The proxy sends a user whose server is gone to another one (sessions live in the shared database)."""
    if user.host not in Shared.hosts:
        _pick_host(user)


class Witness(HttpUser):
    wait_time = between(1, 3)
    weight = 0  # counts are set per class

    def on_start(self) -> None:
        _pick_host(self)

    @task
    def report(self) -> None:
        _still_up(self)
        page = _sent(self, "GET", f"/report/{SLUG}/", "witness: open form", lambda r: r.status_code == 200)
        if page is None:
            return
        fields = form_of(page.text)
        kind = random.choice(["photo", "photo", "video"])
        data, mime = Shared.media[kind]
        meta = ",".join(
            f"{k} {base64.b64encode(v.encode()).decode()}"
            for k, v in {"filename": f"{kind}.bin", "filetype": mime}.items()
        )
        up = _sent(
            self,
            "POST",
            "/uploads/",
            f"witness: tus upload ({kind})",
            lambda r: r.status_code == 201,
            data=data,
            headers={
                "Tus-Resumable": "1.0.0",
                "Upload-Length": str(len(data)),
                "Upload-Metadata": meta,
                "Content-Type": "application/offset+octet-stream",
                "X-CSRFToken": fields.get("csrfmiddlewaretoken", ""),
            },
        )
        if up is None:
            return
        gevent.sleep(
            random.uniform(3.5, 8)
        )  # a person reads the form and types (the form refuses a bot's instant send)
        nonce = "carga-" + secrets.token_hex(6)
        fields.update(
            {
                "text": f"Agentes detuvieron a dos personas frente a la panadería. {nonce}",
                "place_text": "Calle 5 y Olive, Rialto",
                "upload_ids": up.headers["Location"].rstrip("/").rsplit("/", 1)[-1],
                "consent": ["internal"],
            }
        )
        fields.pop("website", None)  # the honeypot stays empty

        def thanked(resp: Any) -> bool:
            return resp.status_code in (201, 302, 303) or (
                resp.status_code == 200 and "thank" in resp.text.lower()
            )

        if _sent(
            self,
            "POST",
            f"/report/{SLUG}/",
            "witness: submit",
            thanked,
            data=fields,
            allow_redirects=False,
        ):
            Shared.acknowledged.append(nonce)


class _Staff(HttpUser):
    abstract = True
    role = ""

    def on_start(self) -> None:
        _pick_host(self)
        me = next(s for s in Shared.staff if s["role"] == self.role and not s.get("taken"))
        me["taken"] = "1"
        page = self.client.get("/accounts/login/", name="sign in")
        fields = form_of(page.text)
        fields.update({"username": me["username"], "password": PASSWORD})
        step = self.client.post("/accounts/login/", data=fields, name="sign in")
        code_form = form_of(step.text)
        code_form["code"] = pyotp.TOTP(me["secret"]).now()
        done = self.client.post("/accounts/login/code/", data=code_form, name="sign in")
        if "/accounts/login" in done.url:
            raise RuntimeError(f"{me['username']} could not sign in")


class Staff(_Staff):
    wait_time = between(0.5, 2)
    role = "coordinator"

    @task(3)
    def triage(self) -> None:
        _still_up(self)
        _sent(self, "GET", "/triage/", "staff: triage queue", lambda r: r.status_code == 200)

    @task(1)
    def search(self) -> None:
        _sent(self, "GET", "/triage/?q=agentes", "staff: triage search", lambda r: r.status_code == 200)

    @task(2)
    def incidents(self) -> None:
        _sent(self, "GET", "/incidents/", "staff: incidents", lambda r: r.status_code == 200)


class Operator(_Staff):
    wait_time = between(2, 5)
    role = "operator"

    @task
    def call(self) -> None:
        _still_up(self)
        page = _sent(self, "GET", "/intake/call/", "operator: open call form", lambda r: r.status_code == 200)
        if page is None:
            return
        fields = form_of(page.text)
        nonce = "llamada-" + secrets.token_hex(6)
        fields.update(
            {"text": f"Llamada: agentes en la parada del autobús. {nonce}", "place_text": "Foothill Blvd"}
        )
        if _sent(
            self,
            "POST",
            "/intake/call/",
            "operator: enter call",
            lambda r: r.status_code in (302, 303),
            data=fields,
            allow_redirects=False,
        ):
            Shared.acknowledged.append(nonce)


class Static(HttpUser):
    wait_time = between(0.5, 1)

    def on_start(self) -> None:
        _pick_host(self)

    @task
    def static(self) -> None:
        _still_up(self)
        self.client.get(Shared.static_path, name="baseline: static file")


# --- running ---------------------------------------------------------------------------------------------------


def _free_port() -> int:
    return pool_module.free_port()


def start_embedded(base: Path) -> tuple[dict[str, str], list[str], Any]:
    env = {
        **os.environ,
        "AMPARO_DATA_DIR": str(base / "data"),
        "DATABASE_URL": "",
        "AMPARO_TASKS_BACKEND": "database",
    }
    port = _free_port()
    log = open(base / "serve.log", "ab")  # noqa: SIM115 - open for the server's life
    proc = subprocess.Popen(
        [*AMPARO, "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    pool_module.wait_http(f"http://127.0.0.1:{port}/accounts/login/", proc)
    Shared.embedded = (proc, base / "serve.log")

    def stop() -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

    return env, [f"http://127.0.0.1:{port}"], stop


def percentile(entry: Any, q: float) -> float:
    return float(entry.get_response_time_percentile(q) or 0)


LOAD: dict[str, float] = {}  # the machine's 1-minute load average when the users start and when they stop


def run(args: argparse.Namespace) -> int:
    Shared.media = _media()
    with tempfile.TemporaryDirectory(prefix="amparo-load-") as tmp:
        base = Path(tmp)
        pool = cluster = None
        if args.pool and args.crash:
            # A PostgreSQL of the run's own, to kill -9 without touching the machine's shared one.
            from amparo.pgcluster import PrivatePostgres

            cluster = PrivatePostgres().start()
            database = cluster.create_database("amparo_load")
            try:
                pool = pool_module.start(base, database, args.redis, web=2, workers=2)
            except BaseException:
                cluster.stop(remove=True)
                raise
            env, hosts, stop = pool.node_env("setup"), pool.urls, pool.stop
        elif args.pool:
            database = args.database
            pool_module.ensure_database(database)
            import psycopg

            admin, name = database.rsplit("/", 1)
            with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
            pool = pool_module.start(base, database, args.redis, web=2, workers=2)
            env, hosts, stop = pool.node_env("setup"), pool.urls, pool.stop
        else:
            subprocess.run(
                [*AMPARO, "manage", "migrate", "--verbosity", "0"],
                env={**os.environ, "AMPARO_DATA_DIR": str(base / "data"), "DATABASE_URL": ""},
                check=True,
            )
            env, hosts, stop = start_embedded(base)
        try:
            staff_n = max(args.staff, args.operators)
            out = subprocess.run(
                [sys.executable, "-c", SETUP % {"slug": SLUG, "staff": staff_n, "password": PASSWORD}],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            Shared.staff, Shared.hosts = json.loads(out.stdout.strip().splitlines()[-1]), hosts
            Witness.fixed_count, Staff.fixed_count, Operator.fixed_count, Static.fixed_count = (
                args.witnesses,
                args.staff,
                args.operators,
                2,
            )
            environment = Environment(user_classes=[Witness, Staff, Operator, Static], host=hosts[0])
            runner = environment.create_local_runner()
            users = args.witnesses + args.staff + args.operators + 2
            LOAD["start"] = os.getloadavg()[0]
            runner.start(users, spawn_rate=users / 5)
            lock_waits = (
                None
                if args.pool
                else subprocess.Popen(
                    [
                        sys.executable,
                        "-c",
                        LOCK_WAITS,
                        str(base / "data" / "amparo.sqlite3"),
                        str(args.seconds),
                    ],
                    stdout=subprocess.PIPE,
                    text=True,
                )
            )
            crashes = gevent.spawn(crash_plan, pool, cluster, args) if (args.crash and pool) else None
            gevent.sleep(args.seconds)
            LOAD["end"] = os.getloadavg()[0]
            runner.quit()
            if crashes is not None:
                crashes.join(timeout=60)
            waits = None
            if lock_waits is not None:
                out_text, _ = lock_waits.communicate(timeout=120)
                waits = json.loads(out_text.strip().splitlines()[-1]) if lock_waits.returncode == 0 else None
            return report(environment, env, base, args, waits)
        finally:
            stop()
            if cluster is not None:
                cluster.stop(remove=True)


def _busy_worker(pool: Any, redis_url: str) -> tuple[Any, str]:
    """The worker running a job right now (waits up to 10 s for one), so that its kill lands mid-task."""
    import redis
    from rq import Worker

    conn = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for worker in Worker.all(connection=conn):
            job = worker.get_current_job()
            proc = next((p for p in pool.workers if p.pid == worker.pid), None)
            if job is not None and proc is not None:
                return proc, job.func_name.rsplit(".", 1)[-1]
        gevent.sleep(0.1)
    return pool.workers[0], "no job (both idle)"


def crash_plan(pool: Any, cluster: Any, args: argparse.Namespace) -> None:
    """kill -9 one web server (then start it again), a busy worker, PostgreSQL; freeze the S3 server for 4 s."""
    started = time.monotonic()

    def at() -> str:
        return f"t={time.monotonic() - started:.0f}s"

    step = args.seconds / 6

    def until(t: float) -> None:  # each event at a fixed time of the run, however long the one before took
        gevent.sleep(max(0.0, started + t - time.monotonic()))

    def restart_web2(port: int) -> None:
        gevent.sleep(3)  # as a supervisor would; its users were refused meanwhile
        Shared.hosts[:] = [h for h in Shared.hosts if not h.endswith(f":{port}")]
        with contextlib.suppress(Exception):
            _new, new_port = pool.start_web("web2-restarted")
            Shared.hosts.append(f"http://127.0.0.1:{new_port}")
            print(f"[crash] {at()} web server 2 back on port {new_port}", flush=True)

    until(step)
    proc, port = pool.web[1]
    os.killpg(proc.pid, signal.SIGKILL)
    print(f"[crash] {at()} killed -9 web server 2", flush=True)
    pool.web.pop(1)
    gevent.spawn(restart_web2, port)
    until(2 * step)
    worker, job = _busy_worker(pool, args.redis)
    pool_module.signal_tree(
        worker.pid, signal.SIGKILL
    )  # the worker, its work horse and any sandbox: a lost machine
    pool.workers.remove(worker)
    print(f"[crash] {at()} killed -9 a worker running {job}", flush=True)
    until(3 * step)
    pool.s3.pause()
    print(f"[crash] {at()} froze the S3 server", flush=True)
    gevent.sleep(4)
    pool.s3.resume()
    print(f"[crash] {at()} S3 server back after 4 s", flush=True)
    until(4 * step)
    down = time.monotonic()
    cluster.kill()
    print(f"[crash] {at()} killed -9 PostgreSQL", flush=True)
    cluster.start()  # at once, as a supervisor would: crash recovery from the write-ahead log
    print(f"[crash] {at()} PostgreSQL back after {time.monotonic() - down:.1f} s", flush=True)


def report(
    environment: Environment,
    env: dict[str, str],
    base: Path,
    args: argparse.Namespace,
    lock_waits: dict[str, float] | None = None,
) -> int:
    stats = environment.stats
    rows = sorted(stats.entries.values(), key=lambda e: e.name)
    static = next((e for e in rows if e.name.startswith("baseline")), None)
    base95 = percentile(static, 0.95) if static else 0.0
    elapsed = max(1e-9, args.seconds)
    mode = ("pool (2 web, 2 workers, PostgreSQL, Redis, S3)" if args.pool else "embedded (SQLite)") + (
        " with crashes" if args.crash else ""
    )
    print(
        f"\n{mode}: {args.witnesses} witnesses from one address, {args.staff} staff, {args.operators} operators, "
        f"{args.seconds:.0f} s; load average {LOAD.get('start', 0):.2f} at the start, {LOAD.get('end', 0):.2f} at "
        "the end"
    )
    print(
        f"{'action':34} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'p95/static':>10}"
    )
    failed = False
    for e in rows:
        p95 = percentile(e, 0.95)
        ratio = f"{p95 / base95:.1f}x" if base95 else "-"
        print(
            f"{e.name:34} {e.num_requests:8d} {e.num_requests / elapsed:7.1f} {percentile(e, 0.5):7.0f} "
            f"{p95:7.0f} {percentile(e, 0.99):7.0f} {e.num_failures:6d} {ratio:>10}"
        )
        if e.name == "witness: submit" and p95 > 1000:
            failed = True
        if e.name.startswith("staff:") and p95 > 300:
            failed = True
    if lock_waits:
        print(
            f"SQLite write lock: a writer waited p50 {lock_waits['p50']:.0f} ms, p95 {lock_waits['p95']:.0f} ms, "
            f"max {lock_waits['max']:.0f} ms ({lock_waits['samples']} samples)"
        )
    errors = sum(e.num_failures for e in rows)
    if Shared.embedded is not None and Shared.embedded[0].poll() is not None:
        # `amparo serve` stops everything when its web server or its worker ends: say so, with the reason
        log_tail = Shared.embedded[1].read_text(errors="replace").splitlines()[-25:]
        print(f"the server stopped during the run (exit {Shared.embedded[0].returncode}); its log ends:")
        print("\n".join(f"  | {line}" for line in log_tail))
        failed = True
    for err in list(stats.errors.values())[:10]:
        print(f"  error: {err.method} {err.name}: {err.error} x{err.occurrences}")
    nonces = base / "acknowledged.json"
    nonces.write_text(json.dumps(Shared.acknowledged))
    check = subprocess.run(
        [sys.executable, "-c", CHECK, str(nonces)], env=env, capture_output=True, text=True
    )
    state = (
        json.loads(check.stdout.strip().splitlines()[-1])
        if check.returncode == 0
        else {"error": check.stderr[-2000:]}
    )
    tasks = subprocess.run(
        [sys.executable, "-c", TASKS_DONE], env=env, capture_output=True, text=True, timeout=300
    )
    done = (
        json.loads(tasks.stdout.strip().splitlines()[-1])
        if tasks.returncode == 0
        else {"error": tasks.stderr[-2000:]}
    )
    verify = subprocess.run([*AMPARO, "verify", "--all"], env=env, capture_output=True, text=True)
    print(
        f"acknowledged {len(Shared.acknowledged)}; missing {len(state.get('missing', []))}; "
        f"duplicated {len(state.get('duplicated', []))}; log gapless {state.get('gapless')} "
        f"({state.get('entries')} entries); verify --all {'passed' if verify.returncode == 0 else 'FAILED'}"
    )
    print(
        f"background work: {done.get('visual')} pictures and videos, {done.get('unfingerprinted')} without "
        f"fingerprints after {done.get('waited')} s; 503 answers {Shared.unavailable['503']} "
        f"({Shared.unavailable['with Retry-After']} with Retry-After)"
    )
    if "error" in state or "error" in done:
        print(state.get("error") or done.get("error"))
    if verify.returncode != 0:
        print(verify.stdout[-3000:])
    lost = bool(
        "error" in state
        or state.get("missing")
        or state.get("duplicated")
        or not state.get("gapless")
        or verify.returncode
        or done.get("unfingerprinted") != 0
    )
    if errors and not args.crash:
        failed = True
    if args.crash:  # a crash run is judged on what was lost, not on latency while servers were down
        failed = False
    if failed and args.smoke:
        print("(smoke run: latency targets not enforced)")
        failed = bool(errors)
    return 1 if (failed or lost) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Locust load test of Amparo on loopback.")
    parser.add_argument(
        "--pool", action="store_true", help="2 web servers and 2 workers on PostgreSQL, Redis, S3"
    )
    parser.add_argument(
        "--crash", action="store_true", help="with --pool: kill -9 a web server and a worker, freeze S3"
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--witnesses", type=int, default=20)
    parser.add_argument("--staff", type=int, default=3)
    parser.add_argument("--operators", type=int, default=2)
    parser.add_argument(
        "--smoke", action="store_true", help="check errors and losses only, not the latency targets"
    )
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/amparo_load")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11")  # a database no test uses
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
