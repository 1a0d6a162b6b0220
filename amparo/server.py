"""Running Amparo: gunicorn for the web, and the background worker, supervised together."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from amparo.cli import setup_django

RUN_FILE = "serving.json"  # in the data folder while `amparo serve` runs: its address and process id
WORKER_NICENESS = 10  # background workers run at a lower priority than the web server (run_worker)
MAINTENANCE_SECONDS = 3600  # `amparo serve` enqueues the maintenance this often (amparo/tasks.py)
MAINTENANCE_RETRY_SECONDS = 60  # ... and this soon again when the database did not take it
STOP_SECONDS = 4.5  # Ctrl+C ends the web server and the worker within this time (review 2026-12 item 15)
# An idle connection stays open this long. gunicorn's default of 2 s closes connections that clients pausing between
# requests (a witness reading the form) are about to reuse, and a request sent as it closes is reset (the reset in
# docs/scaling.md's embedded run); 75 s outlasts those pauses and a proxy's own idle limit (nginx: 60 s).
KEEP_ALIVE_SECONDS = 75


def _first_coordinator_link(base_url: str) -> str | None:
    from django.conf import settings

    from amparo.accounts import actions
    from amparo.accounts.models import Membership

    first = (
        Membership.objects.filter(role="coordinator")
        .select_related("user")
        .order_by("created_at", "id")
        .first()
    )
    if first is None:
        return None
    if settings.PRODUCTION and first.user.last_login is not None:
        return None
    token = actions.do_create_signin_link(first.user, hours=24)
    return f"{base_url}/accounts/link/{token}/"


def _forwarded_allow_ips() -> str:
    """gunicorn trusts X-Forwarded-* from the same proxies Amparo takes the client address from."""
    from amparo.intake.privacy import trusted_proxies

    proxies = ",".join(str(network) for network in trusted_proxies())
    return proxies or os.environ.get("AMPARO_FORWARDED_ALLOW_IPS", "127.0.0.1")


def site_url() -> str:
    """The address for links the command line prints: the site's address in production; otherwise the address the
    `amparo serve` of this data folder really listens on (from its run file), or AMPARO_SITE_URL when none runs."""
    from django.conf import settings

    if not settings.PRODUCTION:
        try:
            running = json.loads((Path(settings.DATA_DIR) / RUN_FILE).read_text(encoding="utf-8"))
            os.kill(int(running["pid"]), 0)  # still running (signal 0 only asks)
            return str(running["url"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    return str(settings.SITE_URL)


def _die_with_parent() -> None:
    """In a child: be sent SIGTERM if `amparo serve` itself dies (the children run in their own process group)."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(args, env=env, process_group=0, preexec_fn=_die_with_parent)  # noqa: S603  (fixed arguments)


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def plain_http_warning(host: str) -> str:
    """Embedded mode on a network address sends passwords, sign-in codes and witness reports in the clear."""
    return (
        f"Warning: embedded mode listens on {host} over plain HTTP. Anyone on this network (the office wifi, the "
        "café's) can read passwords, sign-in codes and witness reports as they pass. Use it only on a network you "
        "trust for a demo, or run in production mode behind TLS (docs/operations.md)."
    )


def serve(host: str, port: int, *, workers: int = 2, with_worker: bool = True) -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", fail_level="ERROR")
    except SystemCheckError as exc:
        print(f"Amparo refuses to start with this configuration:\n{exc}", file=sys.stderr)
        return 1
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from amparo.evidence import log, store

    store.sweep_temporary()  # temporary files of an ingest killed mid-write; never visible as evidence
    from amparo.corroboration import footage

    footage.sweep_cached()  # cached fingerprints of originals deleted through another server
    log.integrate_pending()  # entries committed before a crash but not yet in the signed log
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104  (only to print a usable address)
    base_url = f"http://{shown_host}:{port}"
    link = _first_coordinator_link(settings.SITE_URL if settings.PRODUCTION else base_url)
    print(f"Amparo {'(production)' if settings.PRODUCTION else '(embedded)'} at {base_url}/")
    print(f"Data folder: {settings.DATA_DIR}")
    if not settings.PRODUCTION and not _loopback(host):
        print(plain_http_warning(host), file=sys.stderr)
    if link:
        print(f"One-time sign-in link for the first coordinator (valid 24 hours): {link}")
    print("Press Ctrl+C to stop.", flush=True)

    env = dict(os.environ, DJANGO_SETTINGS_MODULE="amparo.settings")
    children: list[subprocess.Popen[bytes]] = []
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "amparo.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--worker-class",
        "gthread",
        "--timeout",
        "120",
        "--keep-alive",
        str(KEEP_ALIVE_SECONDS),
        "--graceful-timeout",
        str(int(STOP_SECONDS) - 1),  # requests in flight when stopped by SIGTERM; Ctrl+C stops at once
        "--config",
        "python:amparo.gunicorn_conf",
        "--log-level",
        "warning",
        "--forwarded-allow-ips",
        _forwarded_allow_ips(),
    ]  # no --access-logfile: access logs would hold addresses
    # Each child in its own process group, so Ctrl+C reaches only this supervisor, which stops them in order: the web
    # server at once, the worker after its current task (or, past the time, in the middle of it).
    web = _spawn(gunicorn, env)
    children.append(web)
    if with_worker:
        children.append(_spawn([sys.executable, "-m", "amparo.cli", "worker"], env))
    run_file = Path(settings.DATA_DIR) / RUN_FILE
    run_file.write_text(json.dumps({"url": base_url, "pid": os.getpid()}), encoding="utf-8")
    stopping: list[int] = []

    def stop(signum: int, frame: object) -> None:
        if stopping:
            return
        stopping.append(signum)
        # SIGINT: gunicorn's quick stop; SIGTERM: it lets the requests in flight finish first
        if web.poll() is None:
            web.send_signal(signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM)
        for child in children[1:]:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)  # the task worker finishes its current task

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    next_maintenance = time.monotonic() + 60
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
            if with_worker and time.monotonic() >= next_maintenance:
                next_maintenance = time.monotonic() + enqueue_maintenance()
    finally:
        requested = bool(stopping)  # by Ctrl+C or SIGTERM, not because a child ended
        stop(signal.SIGTERM, None)
        _wait_for(children, time.monotonic() + STOP_SECONDS)
        run_file.unlink(missing_ok=True)
    if requested:
        print("Amparo stopped.", flush=True)
        return 0
    return max((child.returncode or 0) for child in children) if children else 0


def enqueue_maintenance() -> float:
    """Enqueue the hourly maintenance; returns the seconds until the next. A job is written to the database (the
    outbox, amparo/outbox): one that is down for the moment must not end the web server with it, so the next try
    comes a minute later."""
    from django.db import DatabaseError

    from amparo.tasks import maintenance

    try:
        maintenance.enqueue()
    except DatabaseError:
        print(
            "Maintenance not enqueued: the database did not answer; trying again in a minute.",
            file=sys.stderr,
        )
        return MAINTENANCE_RETRY_SECONDS
    return MAINTENANCE_SECONDS


def _wait_for(children: list[subprocess.Popen[bytes]], deadline: float) -> None:
    """Wait for the children until ``deadline``: one still running a second before it is told a second time (the task
    worker then stops its task unfinished), and what is left at the deadline is killed."""
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - 1.0 - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def run_worker() -> int:
    setup_django()
    from django.conf import settings

    from amparo.evidence import store

    store.sweep_temporary()  # a worker machine may be the one whose ingest was killed
    # Background work (fingerprints, viewing copies) yields the processor to people waiting on a page: on a machine
    # that also serves the web, a witness's upload must not wait behind a video being decoded.
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    from amparo.media import sandbox

    # Started after the nice above, so the warm sandbox and every decoding child it forks run at this priority too:
    # the decoders are imported once, each file is still decoded in a limited child of its own (docs/media.md).
    sandbox.keep_warm()

    if settings.TASKS_BACKEND == "rq":
        from amparo import tasks_rq

        return tasks_rq.work("default")  # retries a job whose worker died (amparo/tasks_rq.py)
    return _database_worker()


def _database_worker() -> int:
    """django-tasks-db's worker, kept alive through a write lock held past SQLite's busy timeout.

    Its poll for the next task begins its transaction outside its own "database is locked" handling, so one long
    wait ended the worker, and with it `amparo serve` and every page (seen under load, docs/scaling.md). The poll
    begins again instead; a task it was running stays with the hourly maintenance, as after any crash.
    """
    from django.core.management import call_command
    from django.db import OperationalError
    from django_tasks_db.utils import is_locked_database_exception

    while True:
        try:
            call_command("db_worker", interval=1.0)
            return 0
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            print(
                "Background worker: the database stayed locked; polling again.", file=sys.stderr, flush=True
            )
