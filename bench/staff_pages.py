"""Staff list pages at scale: p95 through the Django test client against a bare ``SELECT ... LIMIT 50``.

Generates one network's incidents and reports with bulk_create in a throw-away database (SQLite file by default;
PostgreSQL when DATABASE_URL points at a server: a ``test_<name>`` database is created and dropped), then requests
each list page REPEAT times as a signed-in coordinator and prints p50/p95, the queries each page ran, and the ratio
to a bare query of the same 50 rows measured in the same run.

    .venv/bin/python bench/staff_pages.py            # 10,000 incidents and 50,000 reports (~1-3 minutes)
    .venv/bin/python bench/staff_pages.py --full     # 100,000 incidents and 1,000,000 reports (the target size)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amparo_bench .venv/bin/python bench/staff_pages.py
    .venv/bin/python bench/staff_pages.py --full --keep  # leave the database behind to EXPLAIN its queries

Exits non-zero when a page's p95 is over 150 ms or when a page's number of queries grows with the data.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("AMPARO_DATA_DIR", tempfile.mkdtemp(prefix="amparo-incidents-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
os.environ.setdefault("AMPARO_TASKS_BACKEND", "immediate")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

TARGET_MS = 150.0
WORDS = [
    "agents",
    "agentes",
    "vests",
    "chalecos",
    "unmarked",
    "camionetas",
    "SUV",
    "van",
    "masked",
    "enmascarados",
    "corner",
    "esquina",
    "bakery",
    "panadería",
    "church",
    "iglesia",
    "clinic",
    "clínica",
    "school",
    "escuela",
    "bus",
    "parada",
    "taken",
    "detenidos",
    "llevaron",
    "two",
    "dos",
    "three",
    "tres",
    "grey",
    "gris",
    "plates",
    "placas",
    "video",
    "Home",
    "Depot",
    "parking",
    "estacionamiento",
    "morning",
    "mañana",
    "night",
    "noche",
    "Main",
    "Olive",
    "Cermak",
    "Pulaski",
    "Foothill",
    "court",
    "corte",
    "workers",
    "trabajadores",
    "car",
    "wash",
    "lavado",
    "de",
    "autos",
    "neighbours",
    "vecinos",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def generate(n_incidents: int, n_reports: int, rng: random.Random, tag: str = "") -> Any:
    from amparo.accounts.models import Membership, Network, User
    from amparo.incidents import codes
    from amparo.incidents.models import Dispatch, Incident, Report

    network = Network.objects.create(name="Bench network")
    other = Network.objects.create(name="Other network")
    user = User.objects.create(username=f"bench-coordinator{tag}")
    membership = Membership.objects.create(user=user, network=network, role="coordinator")
    verifier = Membership.objects.create(
        user=User.objects.create(username=f"bench-verifier{tag}"), network=network, role="verifier"
    )
    now = datetime.now(UTC)
    span = timedelta(days=730).total_seconds()
    levels = [c for c, _l in codes.Level.choices]
    locations = [c for c, *_r in codes.LOCATION_TYPES]
    types = [c for c, _l in codes.INCIDENT_TYPES]
    batch = 5000

    incident_ids: list[int] = []
    for start in range(0, n_incidents, batch):
        incidents: list[Incident] = []
        for _i in range(start, min(n_incidents, start + batch)):
            incidents.append(
                Incident(
                    network=network if rng.random() < 0.95 else other,
                    title=sentence(rng, 6),
                    start_at=now - timedelta(seconds=rng.random() * span),
                    location_type=rng.choice(locations),
                    incident_type=rng.choice(types),
                    verification_level=rng.choice(levels),
                    locality=rng.choice(["Chicago", "Los Angeles", "Rialto", "Houston"]),
                    admin2=rng.choice(["Cook", "Los Angeles", "San Bernardino", "Harris"]),
                    admin1=rng.choice(["IL", "CA", "TX"]),
                    notes_private=sentence(rng, 12),
                )
            )
        Incident.objects.bulk_create(incidents, batch_size=1000)
    incident_ids = list(Incident.objects.filter(network=network).values_list("id", flat=True))

    statuses = ["new"] * 2 + ["triaged"] * 3 + ["dispatched"] * 1 + ["linked"] * 40 + ["no_action"] * 20
    statuses += ["spam"] * 14 + ["archived"] * 20
    channels = [c for c, _l in codes.Channel.choices]
    priorities = [c for c, _l in codes.Priority.choices]
    for start in range(0, n_reports, batch):
        rows: list[Report] = []
        for _i in range(start, min(n_reports, start + batch)):
            status = rng.choice(statuses)
            rows.append(
                Report(
                    network=network if rng.random() < 0.95 else other,
                    received_at=now - timedelta(seconds=rng.random() * span),
                    channel=rng.choice(channels),
                    text=sentence(rng, 18),
                    place_text=f"{rng.randrange(100, 10000)} {sentence(rng, 3)}",
                    status=status,
                    priority=rng.choice(priorities),
                    incident_id=rng.choice(incident_ids) if status == "linked" and incident_ids else None,
                    assigned_to=membership if rng.random() < 0.1 else None,
                )
            )
        Report.objects.bulk_create(rows, batch_size=1000)
    Dispatch.objects.bulk_create(
        [
            Dispatch(network=network, responder=verifier, incident_id=rng.choice(incident_ids))
            for _ in range(min(5000, n_incidents // 10))
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return membership


def timed(fn: Any, repeat: int) -> list[float]:
    fn()  # warm up
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 2 else samples[0]


def run(n_incidents: int, n_reports: int, repeat: int) -> int:
    from amparo.testing import signed_in_client

    rng = random.Random(2026)
    t0 = time.perf_counter()
    membership = generate(n_incidents, n_reports, rng)
    print(
        f"generated {n_incidents:,} incidents and {n_reports:,} reports on {connection.vendor} "
        f"in {time.perf_counter() - t0:.0f} s"
    )
    client = signed_in_client(membership)
    nid = membership.network_id
    first = client.get("/triage/?status=").content.decode()
    cursor = first.split("after=", 1)[1].split('"', 1)[0].replace("&amp;", "&") if "after=" in first else ""
    from urllib.parse import unquote

    pages = {
        "triage (new)": ("/triage/", "status = 'new'", "incidents_report", "received_at"),
        "triage (all open)": (
            "/triage/?status=open",
            "status IN ('new','triaged','dispatched')",
            "incidents_report",
            "received_at",
        ),
        "triage (every status)": ("/triage/?status=", "1=1", "incidents_report", "received_at"),
        "triage (older page)": (f"/triage/?status=&after={cursor}", "1=1", "incidents_report", "received_at"),
        "triage (critical, mine)": (
            "/triage/?status=&priority=critical&assigned=me",
            f"priority = 'critical' AND assigned_to_id = {membership.pk}",
            "incidents_report",
            "received_at",
        ),
        "triage (search, rare)": ("/triage/?status=&q=4521", "1=1", "incidents_report", "received_at"),
        "triage (search, common)": ("/triage/?status=&q=panader", "1=1", "incidents_report", "received_at"),
        "incidents": ("/incidents/", "1=1", "incidents_incident", "start_at"),
        "incidents (confirmed)": (
            "/incidents/?level=confirmed",
            "verification_level = 'confirmed'",
            "incidents_incident",
            "start_at",
        ),
        "incidents (search)": ("/incidents/?q=clinic", "1=1", "incidents_incident", "start_at"),
        "dispatches": ("/dispatches/?mine=", "1=1", "incidents_dispatch", "requested_at"),
    }
    _ = unquote
    failures = 0
    print(f"{'page':28} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'bare p95':>9} {'ratio':>6}")
    for name, (url, where, table, order) in pages.items():
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        n_queries = len(queries)  # read now: the next request clears the connection's query log
        assert response.status_code == 200, (url, response.status_code)
        samples = timed(lambda url=url: client.get(url), repeat)
        sql = (
            f"SELECT * FROM {table} WHERE network_id = %s AND {where} "  # noqa: S608  (constants of this script)
            f"ORDER BY {order} DESC, id DESC LIMIT 50"
        )

        def bare(sql: str = sql) -> None:
            with connection.cursor() as c:
                c.execute(sql, [nid])
                c.fetchall()

        base = timed(bare, repeat)
        page95, base95 = p95(samples), p95(base)
        ok = page95 <= TARGET_MS
        failures += not ok
        print(
            f"{name:28} {n_queries:>7} {statistics.median(samples):>8.1f} {page95:>8.1f} {base95:>9.2f} "
            f"{page95 / base95:>6.0f}x{'' if ok else '  OVER TARGET'}"
        )
    print(f"target: p95 <= {TARGET_MS:.0f} ms per page; the ratio shows the cost of the page around its rows")
    return failures


def constant_queries() -> bool:
    """The same pages at two sizes run the same number of queries."""
    from amparo.incidents.models import Report
    from amparo.testing import signed_in_client

    membership = generate(20, 60, random.Random(1), "-small")
    client = signed_in_client(membership)
    urls = ["/triage/?status=", "/incidents/", "/dispatches/?mine="]

    def counts() -> list[int]:
        out = []
        for url in urls:
            client.get(url)
            reset_queries()
            with CaptureQueriesContext(connection) as q:
                client.get(url)
            out.append(len(q))
        return out

    small = counts()
    Report.objects.filter(network=membership.network).update(assigned_to=membership)
    generate(200, 600, random.Random(2), "-more")  # another network's rows, and more of everything
    large = counts()
    print(f"queries per page at two sizes: {small} vs {large}")
    return small == large


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="100,000 incidents and 1,000,000 reports")
    parser.add_argument("--incidents", type=int, default=0)
    parser.add_argument("--reports", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--keep", action="store_true", help="keep the generated database afterwards (its name is printed)"
    )
    args = parser.parse_args()
    n_incidents = args.incidents or (100_000 if args.full else 10_000)
    n_reports = args.reports or (1_000_000 if args.full else 50_000)

    setup_test_environment()
    # setup_test_environment() instruments every template render for assertTemplateUsed; production does not.
    from django.template import Template
    from django.test.utils import _TestState

    Template._render = _TestState.saved_data.template_render  # type: ignore[attr-defined,method-assign]  # undo instrumentation
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(Path(os.environ["AMPARO_DATA_DIR"]) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        if connection.vendor == "sqlite":
            with connection.cursor() as c:
                c.execute("PRAGMA journal_mode=WAL")
                c.execute("PRAGMA synchronous=NORMAL")
        stable = constant_queries()
        failures = run(n_incidents, n_reports, args.repeat)
    finally:
        if args.keep:
            print(f"kept the database {connection.settings_dict['NAME']}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    if not stable:
        print("FAIL: the number of queries grew with the data")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
