"""Run a decoder task on an untrusted file in a separate, limited Python process.

The child is a fresh interpreter (``python -I``: no environment variables, no user site) with an
address-space limit, a CPU-time limit, no core dumps (a crash must not write evidence bytes to disk) and no
right to create files; the parent kills it after ``timeout_s`` of wall-clock time. Arguments travel as JSON
on stdin and the answer as JSON on stdout, so nothing the file contains is ever executed or unpickled here.

Tasks are named functions in :data:`TASKS`: each takes a dict and returns a JSON-serialisable dict, or raises
:class:`TaskFailed` with a stable code.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_MAX_MEMORY = 2 << 30  # bytes of address space for the child
TASKS = {
    "probe": "amparo.media.probe:_probe_task",
    "c2pa": "amparo.media.probe:_c2pa_task",
    "video_fingerprint": "amparo.media.video:_fingerprint_task",
    "image_hashes": "amparo.media.pdq:_image_task",
    "derive": "amparo.media.derive:_derive_task",
    "frame": "amparo.media.derive:_frame_task",
    "redact_propose": "amparo.media.redact.pipeline:_propose_task",
    "redact_render": "amparo.media.redact.pipeline:_render_task",
}
_ROOT = str(Path(__file__).resolve().parents[2])


class TaskFailed(Exception):
    """Raised inside a task for a known failure; ``code`` is stable, ``detail`` is for people."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


class MediaError(Exception):
    """A sandboxed decode failed; ``code`` is stable (e.g. timeout, out_of_memory, corrupt, decompression_bomb)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass
class Outcome:
    """``ok`` with ``value``, or a failure ``code`` (the task's own, or timeout / out_of_memory / crashed)."""

    ok: bool
    value: dict[str, Any] | None = None
    code: str | None = None
    detail: str = ""


def run(
    task: str, args: dict[str, Any], *, timeout_s: float, max_memory: int = DEFAULT_MAX_MEMORY
) -> Outcome:
    """Run ``TASKS[task](args)`` in a limited child process; never raises for anything the child does."""
    if task not in TASKS:  # a programming error, not a property of the file
        raise ValueError(f"unknown sandbox task {task!r}")
    request = {"task": task, "args": args, "max_memory": max_memory, "cpu_s": int(timeout_s) + 2}
    code = f"import sys; sys.path.insert(0, {_ROOT!r}); from amparo.media.sandbox import child_main; child_main()"
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and code; the request travels on stdin
            [sys.executable, "-I", "-c", code],
            input=json.dumps(request).encode(),
            capture_output=True,
            timeout=timeout_s,
            check=False,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "OMP_NUM_THREADS": "1"},
        )
    except subprocess.TimeoutExpired:
        return Outcome(ok=False, code="timeout")
    if done.returncode == 0:
        try:
            answer = json.loads(done.stdout)
        except ValueError:
            return Outcome(ok=False, code="crashed", detail="unreadable answer from the decoder process")
        if answer.get("ok"):
            return Outcome(ok=True, value=answer["value"])
        return Outcome(ok=False, code=str(answer.get("code")), detail=str(answer.get("detail", ""))[:300])
    if done.returncode in (-9, -24):  # SIGKILL / SIGXCPU from the CPU limit
        return Outcome(ok=False, code="timeout")
    if b"MemoryError" in done.stderr or b"std::bad_alloc" in done.stderr or b"Cannot allocate" in done.stderr:
        return Outcome(ok=False, code="out_of_memory")
    return Outcome(ok=False, code="crashed", detail="the decoder stopped unexpectedly")


def _set_limits(max_memory: int, cpu_s: int) -> None:
    import resource  # POSIX only; only the child needs it

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))


def child_main() -> None:
    """Entry point of the child: a JSON request on stdin, a JSON answer on stdout."""
    request = json.loads(sys.stdin.buffer.read())
    _set_limits(int(request["max_memory"]), int(request["cpu_s"]))
    module_name, func_name = TASKS[request["task"]].split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    try:
        answer: dict[str, Any] = {"ok": True, "value": func(request["args"])}
    except TaskFailed as exc:
        answer = {"ok": False, "code": exc.code, "detail": exc.detail}
    except MemoryError:
        answer = {"ok": False, "code": "out_of_memory", "detail": ""}
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()


def run_or_raise(task: str, args: dict[str, Any], *, timeout_s: float, max_memory: int) -> dict[str, Any]:
    """:func:`run`, raising :class:`MediaError` on any failure."""
    outcome = run(task, args, timeout_s=timeout_s, max_memory=max_memory)
    if not outcome.ok or outcome.value is None:
        raise MediaError(outcome.code or "crashed", outcome.detail)
    return outcome.value
