"""Benchmark: streaming the public open-data exports of 100,000 incidents with flat memory.

Creates PublicIncident rows in a throw-away SQLite database (or the one in DATABASE_URL), then for CSV, GeoJSON, JSON
and the ACLED-style CSV measures the time to stream the whole download and how much the process's resident memory grew
while streaming (sampled from /proc/self/statm every chunk; no tracing overhead on the timings).
Baseline, measured in the same run: the same rows fetched into a list and written with the csv module (what a
non-streaming export would do). Prints both times, the ratio, and the peak memory at 10,000 and at the full size.

Fails (exit 1) if the memory growth of any export at the full size is more than 1.5x its growth at 10,000 rows plus
4 MB, i.e. if memory grows with the number of incidents (a list of 100,000 rows takes hundreds of MB).

    .venv/bin/python bench/public_export.py            # 100,000 incidents (about a minute)
    .venv/bin/python bench/public_export.py --rows 20000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import io
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TACTICS = ["masked_agents", "unmarked_vehicles", "plainclothes", "collateral_arrests", "no_visible_agency_id"]
TYPES = ["targeted_arrest", "sweep", "vehicle_stop_arrest", "worksite_operation", "courthouse_arrest"]
PLACES = ["street_public", "residence", "worksite", "healthcare", "school", "courthouse_immigration"]


def setup() -> None:
    if "DATABASE_URL" not in os.environ:
        shm = (
            "/dev/shm" if os.path.isdir("/dev/shm") else None
        )  # a RAM disk keeps SQLite's fsyncs out of the timing
        os.environ["AMPARO_DATA_DIR"] = tempfile.mkdtemp(prefix="amparo-bench-export-", dir=shm)
    from amparo.cli import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def add_rows(start: int, count: int, rng: random.Random) -> None:
    from amparo.public.geo import by_fips
    from amparo.public.models import PublicIncident

    counties = list(by_fips().values())
    day0 = dt.date(2025, 1, 1)
    batch: list[PublicIncident] = []
    for n in range(start, start + count):
        c = rng.choice(counties)
        batch.append(
            PublicIncident(
                public_id=f"B{n:07d}",
                date=day0 + dt.timedelta(days=rng.randrange(700)),
                date_precision="day",
                geo_level="county",
                admin1=c.state,
                admin1_name=c.state,
                admin2=c.name,
                fips=c.fips,
                latitude=c.lat,
                longitude=c.lon,
                location_type=rng.choice(PLACES),
                incident_type=rng.choice(TYPES),
                tactics=rng.sample(TACTICS, rng.randrange(4)),
                agencies=["ICE_ERO"],
                agents="3-9",
                people_detained=rng.choice(["0", "1-2", "3-9"]),
                use_of_force="none",
                verification_level="confirmed",
                note="Agents in unmarked vehicles detained people near the entrance; witnesses filmed it. "
                * 2,
                sources=[
                    {
                        "type": "local_news",
                        "title": "Local report",
                        "url": "https://news.example/a",
                        "date": "",
                    }
                ],
            )
        )
        if len(batch) >= 5000:
            PublicIncident.objects.bulk_create(batch)
            batch = []
    PublicIncident.objects.bulk_create(batch)


PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * PAGE


def measure(make: Callable[[], Iterator[str]]) -> tuple[float, int, int]:
    """(seconds, bytes, growth of resident memory in bytes) of streaming one whole download."""
    gc.collect()
    start = peak = rss()
    size = 0
    t = time.perf_counter()
    for chunk in make():
        size += len(chunk)
        peak = max(peak, rss())
    return time.perf_counter() - t, size, peak - start


def baseline() -> tuple[float, int, int]:
    """Fetch every row into a list, then write it with the csv module into memory: the non-streaming way."""
    from amparo.public.exports import COLUMNS
    from amparo.public.models import PublicIncident

    t = time.perf_counter()
    rows = list(PublicIncident.objects.order_by("-date", "public_id").values_list(*COLUMNS))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    w.writerows(rows)
    held = rss()  # the list and the text are both still in memory here
    return time.perf_counter() - t, len(out.getvalue()), held


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    setup()
    from amparo.public import exports

    formats = {
        "csv": exports.incidents_csv,
        "geojson": exports.incidents_geojson,
        "json": exports.incidents_json,
        "acled": exports.acled_csv,
    }
    rng = random.Random(2026)
    small = min(10_000, args.rows)
    add_rows(0, small, rng)
    peaks_small = {name: measure(make)[2] for name, make in formats.items()}
    t = time.perf_counter()
    add_rows(small, args.rows - small, rng)
    print(f"created {args.rows:,} public incidents in {time.perf_counter() - t:.1f} s")

    results = {name: measure(make) for name, make in formats.items()}
    gc.collect()
    before = rss()
    base_s, base_bytes, held = baseline()
    base_growth = held - before
    print(
        f"baseline (list + csv module, in memory): {base_s:.2f} s, {base_bytes / 1e6:.1f} MB, "
        f"memory +{base_growth / 1e6:.1f} MB"
    )
    ok = True
    for name, (seconds, size, growth) in results.items():
        grew = growth > 1.5 * peaks_small[name] + 4_000_000
        ok = ok and not grew
        print(
            f"{name:8s} streamed: {seconds:.2f} s ({seconds / base_s:.2f}x baseline), {size / 1e6:.1f} MB, "
            f"memory +{growth / 1e6:.2f} MB at {args.rows:,} rows vs +{peaks_small[name] / 1e6:.2f} MB at {small:,}"
            f"{'  <-- memory grows with rows' if grew else ''}"
        )
    print("memory flat: yes" if ok else "memory flat: NO")
    if "DATABASE_URL" not in os.environ:
        shutil.rmtree(os.environ["AMPARO_DATA_DIR"], ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
