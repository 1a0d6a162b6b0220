"""Hourly clean-up (amparo.tasks.maintenance): temporary files of ingests that were killed mid-write."""

from __future__ import annotations

from amparo.evidence import store


def run() -> dict[str, int]:
    return {"evidence_temporary_removed": store.sweep_temporary()}
