"""gunicorn's hooks for `amparo serve` (loaded with ``--config python:amparo.gunicorn_conf``): a stop is quick and quiet,
and each web worker keeps a warm media sandbox.

Every file a witness sends is probed in the media sandbox. A fresh interpreter per probe cost about 120 ms of CPU to
start and import the decoders, twice per file (the probe and the C2PA check); a web worker's warm sandbox has them
imported once and forks a limited child per file (amparo/media/sandbox.py, docs/scaling.md). It ends with its worker.

A web worker gives its requests in flight one second less than gunicorn's grace period, then leaves at once. Without
this a request thread still busy at the end of the grace period keeps the worker alive (Python waits for its threads
at exit) until gunicorn kills it and logs "Worker was sent SIGKILL! Perhaps out of memory?", which is neither true nor
calm, and the stop takes the whole grace period.
"""

from __future__ import annotations

import os
from typing import Any


def post_worker_init(worker: Any) -> None:
    from amparo.media import sandbox

    worker.cfg.set("graceful_timeout", max(1, worker.cfg.graceful_timeout - 1))
    sandbox.keep_warm()


def worker_exit(server: Any, worker: Any) -> None:
    os._exit(
        0
    )  # the worker's own clean-up is done; do not wait for request threads that outlived the grace period
