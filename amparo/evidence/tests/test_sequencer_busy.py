"""A web server does not queue a witness behind another server's log integration (issue 15, the pool's latency).

On PostgreSQL the sequencer is one locked row shared by every server. A submission that finds it held leaves its
committed entries to the holder and to the background task instead of waiting; the entries are integrated all the
same, gapless, and their receipts verify.
"""

from __future__ import annotations

import io
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import override_settings

from amparo.evidence import log, vault
from amparo.evidence.models import LogCounter, LogEntry
from amparo.evidence.tasks import integrate_log
from amparo.evidence.tests.media import jpeg_with_gps
from amparo.ledger import verify_receipt
from amparo.testing import Personas

pytestmark = pytest.mark.django_db(transaction=True)

HOLD_SECONDS = 20.0
RECORDING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _hold_sequencer(held: threading.Event, release: threading.Event) -> None:
    """Another server integrating: the sequencer row locked until ``release`` (at most HOLD_SECONDS)."""
    try:
        with transaction.atomic():
            LogCounter.objects.select_for_update().get(name="sequencer")
            held.set()
            release.wait(HOLD_SECONDS)
    finally:
        connections.close_all()


def _submit(personas: Personas, seed: int) -> vault.EvidenceItem:
    return vault.ingest(io.BytesIO(jpeg_with_gps(seed=seed)), network=personas.north, filename="w.jpg")


def test_a_submission_does_not_wait_for_another_servers_integration(personas: Personas) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: SQLite has one writer and no row locks to skip")
    first = _submit(personas, 1)
    size = log.integrate_pending()
    assert size == LogEntry.objects.count()

    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_sequencer, args=(held, release))
    holder.start()
    try:
        assert held.wait(10)
        with override_settings(TASKS=RECORDING):
            from django_tasks import default_task_backend

            started = time.monotonic()
            second = _submit(personas, 2)  # its on_commit integration finds the sequencer held
            took = time.monotonic() - started
            enqueued = [result.task.name for result in default_task_backend.results]  # type: ignore[attr-defined]
        assert took < HOLD_SECONDS / 2, f"the submission waited {took:.1f} s for the other server"
        assert integrate_log.name in enqueued  # the background task will integrate it
        assert (
            log.fresh_tile_log().size == size
        )  # nothing integrated while the other server held the sequencer
    finally:
        release.set()
        holder.join()

    assert integrate_log.call() == LogEntry.objects.count()  # what a worker does with the task
    assert integrate_log.call() == LogEntry.objects.count()  # a second copy of the task finds nothing left
    indices = sorted(LogEntry.objects.values_list("index", flat=True))
    assert indices == list(range(len(indices)))
    for item in (first, second):
        item.refresh_from_db()
        receipt = vault.receipt_for(item)
        assert receipt is not None
        verify_receipt(receipt, bytes(LogEntry.objects.get(index=item.log_index).leaf), log.verifier_key())


def test_without_another_server_a_submission_is_integrated_at_once(personas: Personas) -> None:
    item = _submit(personas, 3)
    item.refresh_from_db()
    assert vault.receipt_for(item) is not None  # no task needed when the sequencer is free
