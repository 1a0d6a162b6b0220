"""Running Amparo: gunicorn for the web, and the background worker, supervised together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from amparo.cli import setup_django


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
    log.integrate_pending()  # entries committed before a crash but not yet in the signed log
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104  (only to print a usable address)
    base_url = f"http://{shown_host}:{port}"
    link = _first_coordinator_link(settings.SITE_URL if settings.PRODUCTION else base_url)
    print(f"Amparo {'(production)' if settings.PRODUCTION else '(embedded)'} at {base_url}/")
    print(f"Data folder: {settings.DATA_DIR}")
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
        "--graceful-timeout",
        "20",
        "--log-level",
        "warning",
        "--forwarded-allow-ips",
        os.environ.get("AMPARO_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]  # no --access-logfile: access logs would hold addresses
    children.append(subprocess.Popen(gunicorn, env=env))  # noqa: S603  (fixed argument list)
    if with_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "amparo.cli", "worker"], env=env))

    def stop(signum: int, frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    next_maintenance = time.monotonic() + 60
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
            if with_worker and time.monotonic() >= next_maintenance:
                from amparo.tasks import maintenance

                maintenance.enqueue()
                next_maintenance = time.monotonic() + 3600
    finally:
        stop(signal.SIGTERM, None)
        for child in children:
            try:
                child.wait(timeout=25)
            except subprocess.TimeoutExpired:
                child.kill()
    return max((child.returncode or 0) for child in children) if children else 0


def run_worker() -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from amparo.evidence import store

    store.sweep_temporary()  # a worker machine may be the one whose ingest was killed

    if settings.TASKS_BACKEND == "rq":
        call_command("rqworker", "default", job_class="django_tasks_rq.backend.Job")
    else:
        call_command("db_worker", interval=1.0)
    return 0
