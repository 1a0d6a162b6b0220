"""The outbox on real engines: a job enqueued in a transaction is a row of it, on Redis only once it commits, never
pushed twice, and (PostgreSQL) rows another dispatcher holds are skipped, not waited for.

In process, on the RQ backend with a real Redis database of its own; tests/test_outbox_crash.py kills processes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult

from amparo.evidence.tasks import integrate_log
from amparo.outbox import dispatch
from amparo.outbox.models import OutboxJob

REDIS = "redis://127.0.0.1:6379/13"
QUEUE = "rq:queue:default"


class Rollback(Exception):
    pass


def _use(settings: Any, backend: str) -> None:
    settings.TASKS = {"default": {"BACKEND": backend, "QUEUES": ["default"]}}
    task_backends._settings = None  # type: ignore[attr-defined]  # re-read TASKS
    task_backends._backends = {}  # type: ignore[attr-defined]


@pytest.fixture
def redis_queue(settings: Any) -> Iterator[Any]:
    """The RQ backend on a flushed Redis database; the client to look at it."""
    import redis

    settings.RQ_QUEUES = {"default": {"URL": REDIS}}
    _use(settings, "amparo.tasks_rq.RetryingRQBackend")
    conn = redis.Redis.from_url(REDIS)
    conn.flushdb()
    yield conn
    conn.flushdb()


def _queued(conn: Any) -> list[str]:
    return [job_id.decode() for job_id in conn.lrange(QUEUE, 0, -1)]


@pytest.mark.django_db
def test_it_writes_the_job_in_the_transaction_and_pushes_it_after_the_commit(
    redis_queue: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        result = integrate_log.enqueue()
        row = OutboxJob.objects.get(pk=result.id)
        assert row.task_path == integrate_log.module_path and row.dispatched_at is None
        assert _queued(redis_queue) == [], "on Redis before the commit"
    assert _queued(redis_queue) == [result.id], "the queue knows the job by the id the caller got"
    row.refresh_from_db()
    assert row.dispatched_at is not None


@pytest.mark.django_db
def test_it_never_pushes_a_job_whose_transaction_rolled_back(
    redis_queue: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Rollback), transaction.atomic():
        integrate_log.enqueue()
        raise Rollback
    assert OutboxJob.objects.count() == 0
    assert dispatch.dispatch() == 0
    assert _queued(redis_queue) == []


@pytest.mark.django_db
def test_it_pushes_a_row_once_when_its_dispatcher_died_before_marking_it(redis_queue: Any) -> None:
    with transaction.atomic():
        first, second = integrate_log.enqueue(), integrate_log.enqueue()
    assert dispatch.dispatch() == 2
    # the dispatcher pushed both, then died before its mark committed: the rows look pending again
    OutboxJob.objects.update(dispatched_at=None)
    assert dispatch.dispatch() == 2
    assert sorted(_queued(redis_queue)) == sorted([first.id, second.id]), "pushed again"
    assert OutboxJob.objects.filter(dispatched_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_it_keeps_the_job_when_redis_is_down(settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens on port 1
    _use(settings, "amparo.tasks_rq.RetryingRQBackend")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        result = integrate_log.enqueue()
    assert OutboxJob.objects.get(pk=result.id).dispatched_at is None, "it waits for the next dispatcher"


@pytest.mark.django_db
def test_maintenance_dispatches_what_waits_and_removes_old_rows(redis_queue: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from amparo.outbox import maintenance

    with transaction.atomic():
        waiting = integrate_log.enqueue()
        old = integrate_log.enqueue()
    OutboxJob.objects.filter(pk=old.id).update(
        dispatched_at=timezone.now() - dispatch.KEEP - timedelta(hours=1)
    )
    assert maintenance.run() == {"outbox_dispatched": 1, "outbox_removed": 1}
    assert _queued(redis_queue) == [waiting.id]
    assert list(OutboxJob.objects.values_list("pk", flat=True)) == [waiting.id]


@pytest.mark.django_db(transaction=True)
def test_a_dispatcher_skips_the_rows_another_one_holds(redis_queue: Any, monkeypatch: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: SQLite lets one writer in at a time (BEGIN IMMEDIATE)")
    with monkeypatch.context() as patch, transaction.atomic():
        patch.setattr(dispatch, "dispatch_quietly", lambda ids=None: 0)  # no push after this commit
        held, free = integrate_log.enqueue(), integrate_log.enqueue()
    locked, release = threading.Event(), threading.Event()

    def other_dispatcher() -> None:
        try:
            with transaction.atomic():
                OutboxJob.objects.select_for_update().get(pk=held.id)
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=other_dispatcher)
    holder.start()
    try:
        assert locked.wait(10)
        assert dispatch.dispatch() == 1, "it waited for the held row, or took it"
        assert _queued(redis_queue) == [free.id]
    finally:
        release.set()
        holder.join()
    assert dispatch.dispatch() == 1
    assert _queued(redis_queue) == [free.id, held.id]


@pytest.mark.django_db
def test_the_database_backend_writes_the_job_in_the_transaction(settings: Any) -> None:
    """Embedded mode: its queue is a table of the same database; no outbox row, nothing after the commit."""
    from amparo.outbox.dispatch import enqueue_on_commit

    _use(settings, "django_tasks_db.DatabaseBackend")
    with pytest.raises(Rollback), transaction.atomic():
        enqueue_on_commit(integrate_log)
        assert DBTaskResult.objects.count() == 1
        raise Rollback
    assert DBTaskResult.objects.count() == 0
    with transaction.atomic():
        enqueue_on_commit(integrate_log)
    assert DBTaskResult.objects.count() == 1
    assert OutboxJob.objects.count() == 0


@pytest.mark.django_db
def test_other_backends_get_the_job_after_the_commit(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks import default_task_backend

    from amparo.outbox.dispatch import enqueue_on_commit

    _use(settings, "django_tasks.backends.dummy.DummyBackend")
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        enqueue_on_commit(integrate_log)
    assert default_task_backend.results == []  # type: ignore[attr-defined]
    callbacks[0]()
    assert [r.task.name for r in default_task_backend.results] == [integrate_log.name]  # type: ignore[attr-defined]
    assert OutboxJob.objects.count() == 0


def test_serve_tries_the_maintenance_again_soon_when_the_database_does_not_take_it(monkeypatch: Any) -> None:
    """The job now goes into the database on every backend: `amparo serve` must outlive a database that is down
    at the hour, not end with it."""
    from django.db import OperationalError

    from amparo import server, tasks

    def down() -> None:
        raise OperationalError("the database is down")

    monkeypatch.setattr(tasks, "maintenance", SimpleNamespace(enqueue=down))
    assert server.enqueue_maintenance() == server.MAINTENANCE_RETRY_SECONDS
    monkeypatch.setattr(tasks, "maintenance", SimpleNamespace(enqueue=lambda: None))
    assert server.enqueue_maintenance() == server.MAINTENANCE_SECONDS
