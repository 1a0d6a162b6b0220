"""Background work that belongs to no single part: the periodic clean-up.

``amparo serve`` enqueues ``maintenance`` every hour; any worker (database or RQ backend) runs it. Each part that keeps
short-lived data adds ``amparo/<part>/maintenance.py`` with ``run() -> dict[str, int]`` (counts of what it removed).
"""

from __future__ import annotations

import importlib

from django_tasks import task

MAINTENANCE_PARTS = [
    "accounts",
    "intake",
    "evidence",
    "incidents",
    "people",
    "public",
    "corroboration",
    "outbox",
]


@task()
def maintenance() -> dict[str, int]:
    removed: dict[str, int] = {}
    for part in MAINTENANCE_PARTS:
        try:
            module = importlib.import_module(f"amparo.{part}.maintenance")
        except ModuleNotFoundError as exc:
            if exc.name in (f"amparo.{part}", f"amparo.{part}.maintenance"):
                continue
            raise
        removed.update(module.run())
    return removed
