"""Hourly clean-up (amparo.tasks.maintenance): expired contacts and callback numbers, abandoned uploads, salts."""

from __future__ import annotations

from amparo.intake.purge import purge_all


def run() -> dict[str, int]:
    return {f"intake_{what}": count for what, count in purge_all().items()}
