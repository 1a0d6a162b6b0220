"""gunicorn's hooks for `amparo serve` (loaded with ``--config python:amparo.gunicorn_conf``): a stop is quick and quiet.

A web worker gives its requests in flight one second less than gunicorn's grace period, then leaves at once. Without
this a request thread still busy at the end of the grace period keeps the worker alive (Python waits for its threads
at exit) until gunicorn kills it and logs "Worker was sent SIGKILL! Perhaps out of memory?", which is neither true nor
calm, and the stop takes the whole grace period.
"""

from __future__ import annotations

import os
from typing import Any


def post_worker_init(worker: Any) -> None:
    worker.cfg.set("graceful_timeout", max(1, worker.cfg.graceful_timeout - 1))


def worker_exit(server: Any, worker: Any) -> None:
    os._exit(
        0
    )  # the worker's own clean-up is done; do not wait for request threads that outlived the grace period
