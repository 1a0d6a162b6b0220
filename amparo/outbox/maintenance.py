"""Hourly clean-up (amparo.tasks.maintenance): jobs left in the outbox by a process that died before it pushed them
(the workers' sweep pushes them sooner), and rows dispatched long ago."""

from __future__ import annotations

from amparo.outbox import dispatch


def run() -> dict[str, int]:
    return {"outbox_dispatched": dispatch.dispatch_quietly(), "outbox_removed": dispatch.prune()}
