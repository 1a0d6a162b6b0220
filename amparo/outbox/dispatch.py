"""The transactional outbox: a job enqueued in a transaction commits with it, and reaches its queue even when the
process that committed it dies at once.

A job enqueued on Redis after the commit (``transaction.on_commit``) was lost when its process died between the two:
a web server killed during a load run left three items without fingerprints (docs/scaling.md). On the RQ backend,
``enqueue`` writes an :class:`~amparo.outbox.models.OutboxJob` row in the caller's transaction instead, and the row
commits with the change that asked for it, or not at all. Right after the commit the same process pushes it to Redis
(the usual path, as quick as before); a row that a crash left behind is pushed by the next dispatcher: every
``amparo worker`` on start and every :data:`amparo.tasks_rq.SWEEP` seconds, and the hourly maintenance.

Several dispatchers may run at once, on several machines. On PostgreSQL each takes its rows ``FOR UPDATE SKIP LOCKED``,
so no two push the same row at once and none waits for another; on SQLite ``BEGIN IMMEDIATE`` (amparo/settings.py)
lets one dispatcher at a time in. A dispatcher that dies after pushing and before marking leaves its rows to the next
one, which finds each job on the queue under the row's id and only marks it; and every task is idempotent, so a job
that runs twice anyway (its record on Redis had expired) does no harm.

Embedded mode needs none of this: its queue (django-tasks-db) is a table of the same database, so a job enqueued in
the transaction is part of it already, and its worker takes it from there.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Protocol, runtime_checkable

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

logger = logging.getLogger("amparo.outbox")

BATCH = 200  # rows one dispatcher takes (and holds locked) at a time
KEEP = timedelta(
    days=1
)  # dispatched rows are kept this long (which job left when), then removed by maintenance


@runtime_checkable
class Pusher(Protocol):
    """A backend whose ``enqueue`` writes to the outbox: ``push`` puts a job on the real queue under ``job_id``,
    unless a job of that id is there already."""

    alias: str

    def push(self, task: Task[Any, Any], args: list[Any], kwargs: dict[str, Any], job_id: str) -> None: ...


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task`` as part of the current transaction: it runs once the transaction commits, never if it rolls
    back, and a crash right after the commit does not lose it.

    Backends that write the job in the database (the RQ backend's outbox, django-tasks-db) get it now, in the
    transaction; any other (the tests' immediate backend) gets it after the commit, as ``on_commit`` would."""
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(task.get_backend(), (Pusher, DatabaseBackend)):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=True)


def ready_result(
    alias: str, task: Task[Any, Any], job_id: str, args: Any, kwargs: Any, enqueued_at: Any = None
) -> TaskResult[Any]:
    """A job's result as django-tasks reports one not yet started (``args``/``kwargs`` normalised to JSON)."""
    return TaskResult(
        task=task,
        id=job_id,
        status=TaskResultStatus.READY,
        enqueued_at=enqueued_at,
        started_at=None,
        last_attempted_at=None,
        finished_at=None,
        args=args,
        kwargs=kwargs,
        backend=alias,
        errors=[],
        worker_ids=[],
    )


def write(backend: Pusher, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any]:
    """For a :class:`Pusher`'s ``enqueue``: the job as an outbox row of the current transaction, pushed once it
    commits. Returns its result as the queue will know it (same id), not yet enqueued."""
    from amparo.outbox.models import OutboxJob

    result = ready_result(backend.alias, task, get_random_id(), args, kwargs)
    OutboxJob.objects.create(
        id=result.id,
        task_path=task.module_path,
        queue_name=task.queue_name,
        priority=task.priority,
        run_after=task.run_after,
        args_kwargs={"args": result.args, "kwargs": result.kwargs},  # normalised to JSON by TaskResult
    )
    # robust: the change is committed; a queue that is down must not turn it into an error (the row waits)
    transaction.on_commit(lambda: dispatch_quietly([result.id]), robust=True)
    return result


def dispatch(ids: list[str] | None = None) -> int:
    """Push committed outbox rows (those of ``ids``, or every one) to their queue and mark them; returns how many.
    Rows another dispatcher holds are skipped: it is pushing them."""
    from amparo.outbox.models import OutboxJob

    moved = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # the marks need no flush of their own: one lost with a crash of PostgreSQL only makes the
                    # next dispatcher find the job on Redis and mark it again
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            pending = OutboxJob.objects.select_for_update(skip_locked=True).filter(dispatched_at__isnull=True)
            if ids is not None:
                pending = pending.filter(pk__in=ids)
            rows = list(pending.order_by("created_at")[:BATCH])
            for row in rows:
                _push(row)
            if rows:
                OutboxJob.objects.filter(pk__in=[row.pk for row in rows]).update(dispatched_at=timezone.now())
        moved += len(rows)
        if ids is not None or len(rows) < BATCH:
            return moved


def dispatch_quietly(ids: list[str] | None = None) -> int:
    """:func:`dispatch`, logging instead of raising when the database or the queue does not answer (the rows wait
    for the next dispatcher)."""
    from redis.exceptions import RedisError

    try:
        return dispatch(ids)
    except (DatabaseError, RedisError) as exc:
        logger.warning("outbox: jobs wait for the next dispatch (%s)", type(exc).__name__)
        return 0


def prune() -> int:
    """Remove rows dispatched more than :data:`KEEP` ago; returns how many."""
    from amparo.outbox.models import OutboxJob

    removed, _per_model = OutboxJob.objects.filter(dispatched_at__lt=timezone.now() - KEEP).delete()
    return removed


def _push(row: Any) -> None:
    task: Task[Any, Any] = import_string(row.task_path)
    task = task.using(queue_name=row.queue_name, priority=row.priority, run_after=row.run_after)
    args, kwargs = row.args_kwargs["args"], row.args_kwargs["kwargs"]
    backend = task.get_backend()
    if isinstance(backend, Pusher):
        backend.push(task, args, kwargs, row.id)
    else:  # the installation left RQ with jobs still waiting: its present backend takes them as new jobs
        task.enqueue(*args, **kwargs)
