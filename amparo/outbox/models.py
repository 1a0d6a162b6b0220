"""One row per background job enqueued on a queue outside the database (RQ), written in the enqueuing transaction."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxJob(models.Model):
    """A job to put on its queue: written with the change that asks for it, marked once it is on the queue.

    ``id`` is the id the queue knows the job by (the ``TaskResult.id`` the enqueuing code got back), so a row pushed
    twice (its dispatcher died between the push and the mark) is found on the queue and not pushed again."""

    id = models.CharField(primary_key=True, max_length=64)
    task_path = models.CharField(max_length=255)
    queue_name = models.CharField(max_length=64)
    priority = models.IntegerField(default=0)
    run_after = models.DateTimeField(null=True, blank=True)
    args_kwargs = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # the dispatchers' query: pending rows, oldest first (a small index; dispatched rows leave it)
            models.Index(
                fields=["created_at"], condition=Q(dispatched_at__isnull=True), name="outbox_pending"
            ),
            models.Index(fields=["dispatched_at"], name="outbox_dispatched"),
        ]

    def __str__(self) -> str:
        return f"{self.task_path} {self.id}"
