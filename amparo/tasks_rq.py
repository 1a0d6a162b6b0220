"""The RQ side of background work in a pool: a task whose worker died mid-run is run again by a surviving worker.

RQ keeps each running job in the queue's StartedJobRegistry with a deadline the worker pushes forward by heartbeats
while the job runs. When a worker is killed (``kill -9``, a machine lost), its heartbeats stop; the next worker to run
its periodic maintenance finds the job past its deadline ("abandoned") and, if the job has retries left, puts it back
on the queue, where any worker takes it. Stock settings make that take up to 10 minutes (maintenance interval) plus
90 s (heartbeat deadline), and django-tasks-rq enqueues jobs without retries, so an abandoned job would only be
marked failed. Here every job is enqueued with retries, and workers beat every few seconds and sweep often, so a
killed worker's job runs again on another worker within about half a minute.

Jobs reach Redis through the outbox (amparo/outbox/dispatch.py): ``enqueue`` writes a row in the caller's
transaction, pushed to Redis once it commits, and by the workers' sweep when the committing process died first.

Every Amparo task is idempotent (fingerprints and derived copies are made only when missing, log integration takes
the sequencer lock and integrates from the published size), so running one twice is harmless. The hourly
maintenance also re-enqueues work it finds undone in the database (amparo/evidence/maintenance.py), for a job lost
with Redis itself or one that failed every attempt.

A worker runs its jobs in its own process, one at a time, instead of forking a work horse per job as RQ's default
worker does: a fork per job cost its own database connection, S3 client and fresh sandbox interpreters, several times
the CPU of the job itself on a small machine (docs/scaling.md). What the fork gave is kept otherwise: the files a
job decodes are decoded in the media sandbox's limited children (here the worker's warm sandbox), never in the
worker; a job that raises or passes its timeout fails alone and is retried, and the worker goes on; a thread
beats for the running job as the horse's parent did, so a worker killed mid-job is found out within
:data:`GRACE` seconds; and database connections are checked between jobs as between requests.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any, ParamSpec, TypeVar

import django_rq
import django_rq.queues
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult
from django_tasks.signals import task_enqueued
from django_tasks_rq.backend import Job, RQBackend, failed_callback, success_callback
from redis.exceptions import RedisError
from rq import Retry, SimpleWorker
from rq.job import Callback, JobStatus
from rq.utils import now
from rq.worker import WorkerStatus

logger = logging.getLogger("amparo.tasks")
T = TypeVar("T")
P = ParamSpec("P")

# Attempts after the first: a job abandoned by a dead worker, or raising after it waited out an outage for half a
# minute (amparo.outage.patiently), runs again at once on the queue (no scheduler needed).
RETRIES = 3
HEARTBEAT = 5  # seconds between a busy worker's heartbeats
GRACE = 15  # seconds past the last heartbeat before a running job counts as abandoned
SWEEP = 10  # seconds between a worker's looks for abandoned jobs (RQ: 600)
IDLE_WAKE = 10  # an idle worker wakes this often to sweep (RQ waits up to its TTL in one BLPOP)
STUCK = 60  # seconds past its own timeout after which a job is given up for abandoned (RQ kills a horse then)


class RetryingRQBackend(RQBackend):
    """django-tasks-rq's backend, enqueueing through the outbox, and every job with :data:`RETRIES` retries.

    ``enqueue`` writes the job as a row of the caller's transaction (amparo/outbox/dispatch.py); :meth:`push` puts
    it on Redis once that has committed. The body of ``push`` is django-tasks-rq 0.12's ``enqueue`` with the row's
    id and ``retry=`` added: it builds the job in one call and offers no hook to add retries before the job is on the
    queue (setting them after would race a worker)."""

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self._queues: dict[str, Any] = {}  # see _queue

    def enqueue(self, task: Task[P, T], args: Any, kwargs: Any) -> TaskResult[T]:
        from amparo.outbox import dispatch

        self.validate_task(task)
        return dispatch.write(self, task, args, kwargs)

    def push(self, task: Task[Any, Any], args: list[Any], kwargs: dict[str, Any], job_id: str) -> None:
        queue = self._queue(task.queue_name)
        if Job.exists(job_id, connection=queue.connection):
            return  # pushed before, by a dispatcher that died before it could mark the row
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=job_id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
            retry=Retry(max=RETRIES),
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        from amparo.outbox import dispatch

        task_result = dispatch.ready_result(
            self.alias, task, job_id, args, kwargs, enqueued_at=job.enqueued_at
        )
        task_enqueued.send(type(self), task_result=task_result)

    def _queue(self, name: str) -> Any:
        """The queue ``name``, made once per backend (one per thread, as django-tasks makes them): django-rq makes
        a Redis client, with a pool of its own, at every call, so each job paid new connections (four a job, about
        half the cost of a push on a busy machine). redis-py's pool starts afresh in a forked child."""
        if name not in self._queues:
            self._queues[name] = django_rq.get_queue(name, job_class=Job)
        return self._queues[name]


class PoolWorker(SimpleWorker):
    """An RQ worker that runs jobs in its own process, and whose jobs are known abandoned within :data:`GRACE`
    seconds of its death, not 90."""

    def unsubscribe(self) -> None:
        """RQ's, with its wait bounded: after the unsubscription RQ's listener thread waits up to 60 s for a
        subscription that never comes, and redis-py 8's ``stop()`` joined it without a timeout, so a warm stop of an
        idle worker (SIGTERM) hung that long. The thread is a daemon: it ends with the process."""
        if self.pubsub_thread:
            self.log.info("Worker %s: unsubscribing from channel %s", self.name, self.pubsub_channel_name)
            self.pubsub.unsubscribe()
            self.pubsub_thread.stop(timeout=1)
            self.pubsub.close()

    def get_heartbeat_ttl(self, job: Any, working_time: float = 0.0) -> int:
        if job.timeout and job.timeout > 0:
            return int(min(job.timeout - working_time, self.job_monitoring_interval)) + GRACE
        return int(self.job_monitoring_interval) + GRACE

    def execute_job(self, job: Any, queue: Any) -> None:
        from django.db import close_old_connections

        close_old_connections()  # as before a request: a connection broken or past its age is not reused
        execution = self.prepare_execution(job)
        done = threading.Event()
        beats = threading.Thread(
            target=self._beat, args=(job, execution, done), name="rq-heartbeat", daemon=True
        )
        beats.start()
        try:
            self.perform_job(job, queue, execution)  # catches what the job raises, and its timeout
        finally:
            done.set()
            beats.join()
            close_old_connections()
        self.set_state(WorkerStatus.IDLE)

    def run_maintenance_tasks(self) -> None:
        """RQ's sweep (on start, then every :data:`SWEEP` s between jobs), and the outbox's: jobs whose process died
        between its commit and its push reach the queue here (amparo/outbox/dispatch.py)."""
        from django.db import close_old_connections

        from amparo.outbox import dispatch

        super().run_maintenance_tasks()
        close_old_connections()
        if moved := dispatch.dispatch_quietly():
            logger.info("outbox: %d jobs left behind put on the queue", moved)

    def _beat(self, job: Any, execution: Any, done: threading.Event) -> None:
        """While the job runs, beat every :data:`HEARTBEAT` s, as a forking worker does while its horse works."""
        while not done.wait(self.job_monitoring_interval):
            started = job.started_at
            working = (now() - started).total_seconds() if started else 0.0
            if job.timeout and job.timeout > 0 and working > job.timeout + STUCK:
                # its timeout did not stop it: stop vouching for it, so that it counts abandoned and runs elsewhere
                logger.error("job %s is stuck past its timeout; no more heartbeats for it", job.id)
                return
            try:
                self.maintain_heartbeats(job, execution)
            except RedisError:
                logger.warning("no heartbeat for job %s: Redis did not answer", job.id)


def work(queue: str = "default") -> int:
    """Run an RQ worker on ``queue`` until stopped (``amparo worker`` with ``AMPARO_TASKS_BACKEND=rq``)."""
    from amparo.media import sandbox

    queues = django_rq.queues.get_queues(queue, job_class=Job)
    worker = PoolWorker(
        queues,
        connection=queues[0].connection,
        job_class=Job,
        queue_class=type(queues[0]),
        # the name says which machine and process ran a job (its results keep it)
        name=f"{socket.gethostname()}.{os.getpid()}",
        job_monitoring_interval=HEARTBEAT,
        maintenance_interval=SWEEP,
        worker_ttl=IDLE_WAKE + 15,  # RQ blocks for worker_ttl - 15 s when the queue is empty
    )
    sandbox.keep_warm()  # as run_worker does (amparo/server.py); here too for a worker started some other way
    worker.work(logging_level="INFO")
    return 0
