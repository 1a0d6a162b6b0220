"""Run a decoder task on an untrusted file in a separate, limited Python process.

The child is a fresh interpreter (``python -I``: no environment variables, no user site) with an
address-space limit, a CPU-time limit, no core dumps (a crash must not write evidence bytes to disk) and no
right to create files; the parent kills it after ``timeout_s`` of wall-clock time. Arguments travel as JSON
on stdin and the answer as JSON on stdout, so nothing the file contains is ever executed or unpickled here.

Tasks are named functions in :data:`TASKS`: each takes a dict and returns a JSON-serialisable dict, or raises
:class:`TaskFailed` with a stable code.

A process that probes many files (a web server) calls :func:`keep_warm` once: its tasks then go to a *warm
sandbox*, one pre-started ``python -I`` process with the decoders already imported (:data:`PRELOAD`) that forks a
new child for every task. Each file is still decoded in a process of its own that is gone afterwards, with the same
limits set in the child before the task runs, stdin closed and every other descriptor of the warm process closed;
the warm process itself never reads a file, writes none and runs single-threaded (forking is safe). What this saves
is the interpreter's start and the decoders' imports, about 120 ms of CPU per task (docs/scaling.md). If the warm
process cannot start or dies, tasks run as before, one fresh interpreter each.

A time limit is wall-clock time, so a file must not be blamed for a busy machine: a child stopped at its deadline
that had the processor for less than :data:`STARVED_SHARE` of that time was starved, not slow (a decoder working on a
hostile file uses the processor all the time), and its task runs once more in a fresh interpreter with twice the time
(the CPU limit stays). Time spent waiting for the warm process itself is never charged to a file either: tasks wait
for its imports to finish (up to :data:`WARM_START_S`) before their clock starts, and a warm process that does not
answer in time is replaced and the task run fresh. Without this a file probed while the machine was busy kept a
permanent ``timeout`` in its metadata and was never fingerprinted.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
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
    "evidence_fingerprint": "amparo.evidence.sandbox:_task",
}
_ROOT = str(Path(__file__).resolve().parents[2])
# What the warm sandbox imports once, before it forks a child per task: the decoders of probing, fingerprints (the
# footage index's and the evidence's) and derived copies. Other tasks import their own modules in their child, as a
# fresh interpreter would.
PRELOAD = (
    "PIL.Image",
    "PIL.ImageOps",
    "numpy",
    "av",
    "c2pa",
    "amparo.media.probe",
    "amparo.media.pdq",
    "amparo.media.video",
    "amparo.media.derive",
    "amparo.evidence.sandbox",
)
WARM_GRACE_S = 10.0  # past a task's own time limit, how long the parent waits for the warm sandbox to answer
WARM_START_S = 60.0  # how long a task waits for a warm sandbox still importing its decoders
STARVED_SHARE = (
    0.25  # a child stopped at its deadline with less processor time than this share of it was starved
)
log = logging.getLogger(__name__)


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
    starved: bool = False  # a timeout of a child that hardly had the processor: the machine was busy


def _starved(cpu_s: float, timeout_s: float) -> bool:
    return cpu_s < STARVED_SHARE * timeout_s


def _child_env() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "OMP_NUM_THREADS": "1"}


def run(
    task: str, args: dict[str, Any], *, timeout_s: float, max_memory: int = DEFAULT_MAX_MEMORY
) -> Outcome:
    """Run ``TASKS[task](args)`` in a limited child process; never raises for anything the child does."""
    if task not in TASKS:  # a programming error, not a property of the file
        raise ValueError(f"unknown sandbox task {task!r}")
    request = {"task": task, "args": args, "max_memory": max_memory, "cpu_s": int(timeout_s) + 2}
    warm = _warm_sandbox()
    outcome = warm.run(request, timeout_s) if warm is not None else None
    if outcome is None:
        outcome = _run_fresh(request, timeout_s)
    if outcome.starved:  # the machine was busy, not the file slow: once more, with twice the time
        log.warning("sandbox task %s was starved of the processor; running it again", task)
        outcome = _run_fresh(request, 2 * timeout_s)
    return outcome


def _run_fresh(request: dict[str, Any], timeout_s: float) -> Outcome:
    """The task in a new interpreter of its own (``python -I``), the request on its stdin."""
    code = f"import sys; sys.path.insert(0, {_ROOT!r}); from amparo.media.sandbox import child_main; child_main()"
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and code; the request travels on stdin
        [sys.executable, "-I", "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_child_env(),
    )
    with child:
        try:
            stdout, stderr = child.communicate(json.dumps(request).encode(), timeout=timeout_s)
        except subprocess.TimeoutExpired:
            child.kill()
            try:
                usage = os.wait4(child.pid, 0)[
                    2
                ]  # reaped here for its processor time; Popen then finds it gone
            except ChildProcessError:
                cpu = timeout_s  # reaped already: count it as slow, never as starved
            else:
                cpu = usage.ru_utime + usage.ru_stime
            child.communicate()
            return Outcome(ok=False, code="timeout", starved=_starved(cpu, timeout_s))
    return _outcome(child.returncode, stdout, stderr)


def _outcome(returncode: int, stdout: bytes, stderr: bytes) -> Outcome:
    """What a child's exit status and output mean (the same for a fresh interpreter and a warm sandbox's fork)."""
    if returncode == 0:
        try:
            answer = json.loads(stdout)
        except ValueError:
            return Outcome(ok=False, code="crashed", detail="unreadable answer from the decoder process")
        if answer.get("ok"):
            return Outcome(ok=True, value=answer["value"])
        return Outcome(ok=False, code=str(answer.get("code")), detail=str(answer.get("detail", ""))[:300])
    if returncode in (-9, -24):  # SIGKILL / SIGXCPU from the CPU limit
        return Outcome(ok=False, code="timeout")
    if b"MemoryError" in stderr or b"std::bad_alloc" in stderr or b"Cannot allocate" in stderr:
        return Outcome(ok=False, code="out_of_memory")
    return Outcome(ok=False, code="crashed", detail="the decoder stopped unexpectedly")


def _set_limits(max_memory: int, cpu_s: int) -> None:
    import resource  # POSIX only; only the child needs it

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    """Run the request's task in this (limited) process: the answer to send back."""
    module_name, func_name = TASKS[request["task"]].split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    try:
        return {"ok": True, "value": func(request["args"])}
    except TaskFailed as exc:
        return {"ok": False, "code": exc.code, "detail": exc.detail}
    except MemoryError:
        return {"ok": False, "code": "out_of_memory", "detail": ""}


def child_main() -> None:
    """Entry point of the child: a JSON request on stdin, a JSON answer on stdout."""
    request = json.loads(sys.stdin.buffer.read())
    _set_limits(int(request["max_memory"]), int(request["cpu_s"]))
    sys.stdout.write(json.dumps(_answer(request)))
    sys.stdout.flush()


def run_or_raise(task: str, args: dict[str, Any], *, timeout_s: float, max_memory: int) -> dict[str, Any]:
    """:func:`run`, raising :class:`MediaError` on any failure."""
    outcome = run(task, args, timeout_s=timeout_s, max_memory=max_memory)
    if not outcome.ok or outcome.value is None:
        raise MediaError(outcome.code or "crashed", outcome.detail)
    return outcome.value


# --- the warm sandbox ---------------------------------------------------------------------------------------------
# Frames on the warm process's stdin and stdout: a 4-byte big-endian length, then that many bytes. A request is one
# JSON frame (``id``, ``task``, ``args``, ``max_memory``, ``cpu_s``, ``timeout_s``); an answer is three frames: JSON
# (``id``, ``returncode`` or ``timeout`` with ``starved``), the child's stdout, the tail of its stderr. The first
# answer, with no ``id``, is ``{"ready": true}``: the decoders are imported.

_FRAME = struct.Struct(">I")
_STDERR_KEPT = 64 * 1024  # the end of a child's stderr, enough to tell an out-of-memory death


def _read_exact(fd: int, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        piece = os.read(fd, size - len(data))
        if not piece:
            return None
        data += piece
    return bytes(data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _frame(data: bytes) -> bytes:
    return _FRAME.pack(len(data)) + data


class _Warm:
    """The parent's side: one warm process, shared by the threads of this process (answers matched by id)."""

    def __init__(self) -> None:
        code = f"import sys; sys.path.insert(0, {_ROOT!r}); from amparo.media.sandbox import warm_main; warm_main()"
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-I", "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_child_env(),
        )
        self.pid = self.proc.pid
        self.owner = os.getpid()
        self.lock = threading.Lock()  # the waiting tasks; never held while writing to the pipe
        self.write_lock = threading.Lock()
        self.alive = True
        self.ready = threading.Event()
        self.next_id = 0
        self.pending: dict[int, _Pending] = {}
        threading.Thread(target=self._read_answers, name="sandbox-answers", daemon=True).start()

    def run(self, request: dict[str, Any], timeout_s: float) -> Outcome | None:
        """The task's outcome, or None when the warm process is gone or stuck (the caller then runs it fresh)."""
        if not self.ready.wait(WARM_START_S):
            self.stop()
            return None
        waiting = _Pending()
        with self.lock:
            if not self.alive:
                return None
            self.next_id += 1
            ident = self.next_id
            self.pending[ident] = waiting
        frame = _frame(json.dumps({**request, "id": ident, "timeout_s": timeout_s}).encode())
        try:
            with self.write_lock:
                assert self.proc.stdin is not None
                _write_all(self.proc.stdin.fileno(), frame)
        except OSError:
            with self.lock:
                self.pending.pop(ident, None)
                self._lost()
            return None
        if not waiting.done.wait(timeout_s + WARM_GRACE_S):
            # the warm process answers a task past its time itself; one that does not is stuck, which says nothing
            # about the file: replace it, and the caller runs the task fresh
            self.stop()
            return None
        return waiting.outcome

    def _read_answers(self) -> None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        try:
            while True:
                frames = []
                for _ in range(3):
                    head = _read_exact(fd, _FRAME.size)
                    body = None if head is None else _read_exact(fd, _FRAME.unpack(head)[0])
                    if body is None:
                        return
                    frames.append(body)
                meta = json.loads(frames[0])
                if meta.get("ready"):
                    self.ready.set()
                    continue
                with self.lock:
                    waiting = self.pending.pop(int(meta["id"]), None)
                if waiting is None:
                    continue
                if meta.get("timeout"):
                    waiting.outcome = Outcome(ok=False, code="timeout", starved=bool(meta.get("starved")))
                else:
                    waiting.outcome = _outcome(int(meta["returncode"]), frames[1], frames[2])
                waiting.done.set()
        except (OSError, ValueError):
            pass
        finally:
            with self.lock:
                self._lost()
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(timeout=5)

    def _lost(self) -> None:
        """The warm process is gone (called with the lock held): the tasks waiting on it are run fresh."""
        self.alive = False
        for waiting in self.pending.values():
            waiting.outcome = None
            waiting.done.set()
        self.pending.clear()

    def stop(self) -> None:
        with self.lock:
            self._lost()
        with contextlib.suppress(OSError):
            self.proc.kill()  # its children: each is killed at its own deadline, or ends when its pipes close
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)


@dataclass
class _Pending:
    done: threading.Event = field(default_factory=threading.Event)
    outcome: Outcome | None = None


_warm: _Warm | None = None
_warm_wanted = False
_warm_lock = threading.Lock()
_warm_deaths = 0
MAX_WARM_DEATHS = 3  # a warm process that keeps dying is given up for fresh interpreters


def keep_warm() -> None:
    """From now on this process runs its tasks in a warm sandbox (started now, so no request waits for it)."""
    global _warm_wanted
    _warm_wanted = True
    _warm_sandbox()


def _warm_sandbox() -> _Warm | None:
    """This process's warm sandbox when :func:`keep_warm` was called (started again if it died), else None."""
    global _warm, _warm_deaths
    if not _warm_wanted or not hasattr(os, "pidfd_open"):
        return None
    with _warm_lock:
        if _warm is not None and _warm.owner != os.getpid():
            _warm = None  # a forked copy of a process that had one (a work horse): the pipes are its parent's
        if _warm is not None and not _warm.alive:
            _warm, _warm_deaths = None, _warm_deaths + 1
        if _warm_deaths >= MAX_WARM_DEATHS:
            return None
        if _warm is None:
            try:
                _warm = _Warm()
            except OSError:
                return None
        return _warm


def warm_pid() -> int | None:
    """The warm sandbox's process id in this process, if it runs (for tests and ``amparo serve``'s stop)."""
    warm = _warm
    return warm.pid if warm is not None and warm.alive and warm.owner == os.getpid() else None


@dataclass
class _Job:
    ident: int
    pid: int
    pidfd: int
    deadline: float
    timeout_s: float
    out: int  # the read ends of the child's stdout and stderr
    err: int
    output: bytearray = field(default_factory=bytearray)
    errors: bytearray = field(default_factory=bytearray)  # its last _STDERR_KEPT bytes
    status: int | None = None
    cpu_s: float = 0.0  # its processor time, once it is reaped

    @property
    def pipes(self) -> tuple[int, int]:
        return self.out, self.err


def warm_main() -> None:
    """The warm process: import the decoders once, then fork one limited child per request, many at a time."""
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # it never writes a file; its children may not either
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # it ends when its parent does (its stdin closes)
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    _write_all(1, _frame(json.dumps({"ready": True}).encode()) + _frame(b"") + _frame(b""))
    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ, None)
    jobs: dict[int, _Job] = {}
    incoming = bytearray()
    while True:
        now = time.monotonic()
        wait = min((job.deadline for job in jobs.values()), default=now + 3600) - now
        for key, _mask in selector.select(max(0.0, wait)):
            if key.data is None:  # a request
                piece = os.read(0, 1 << 16)
                if not piece:
                    for job in jobs.values():
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(job.pid, signal.SIGKILL)
                    return
                incoming += piece
                while (
                    len(incoming) >= _FRAME.size
                    and len(incoming) >= _FRAME.size + _FRAME.unpack(incoming[:4])[0]
                ):
                    size = _FRAME.unpack(incoming[:4])[0]
                    request = json.loads(bytes(incoming[4 : 4 + size]))
                    del incoming[: 4 + size]
                    job = _fork_task(request)
                    jobs[job.ident] = job
                    selector.register(job.pidfd, selectors.EVENT_READ, ("exit", job))
                    for pipe in job.pipes:
                        selector.register(pipe, selectors.EVENT_READ, ("pipe", job))
                continue
            kind, job = key.data
            if kind == "pipe":
                piece = os.read(key.fd, 1 << 16)
                if piece and key.fd == job.out:
                    job.output += piece
                    continue
                if piece:
                    job.errors = (job.errors + piece)[-_STDERR_KEPT:]
                    continue
                selector.unregister(key.fd)
                os.close(key.fd)
                _reply_if_done(jobs, job, selector)
                continue
            selector.unregister(job.pidfd)
            os.close(job.pidfd)
            job.pidfd = -1
            job.status, job.cpu_s = _reap(job.pid)
            _reply_if_done(jobs, job, selector)
        now = time.monotonic()
        for job in [j for j in jobs.values() if j.deadline <= now]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(job.pid, signal.SIGKILL)  # past its wall-clock time, as subprocess.run's timeout
            if job.pidfd >= 0:
                selector.unregister(job.pidfd)
                os.close(job.pidfd)
                job.cpu_s = _reap(job.pid)[1]
            for pipe in job.pipes:
                with contextlib.suppress(KeyError):
                    selector.unregister(pipe)
                    os.close(pipe)
            del jobs[job.ident]
            meta = {"id": job.ident, "timeout": True, "starved": _starved(job.cpu_s, float(job.timeout_s))}
            _write_all(1, _frame(json.dumps(meta).encode()) + _frame(b"") + _frame(b""))


def _reap(pid: int) -> tuple[int, float]:
    """Wait for a child that has ended (or was killed): its exit code and the processor time it used."""
    _pid, status, usage = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def _reply_if_done(jobs: dict[int, _Job], job: _Job, selector: selectors.BaseSelector) -> None:
    """Answer once the child has exited and both its pipes are at their end."""
    registered = {key.fd for key in selector.get_map().values()}
    if job.status is None or any(pipe in registered for pipe in job.pipes):
        return
    del jobs[job.ident]
    meta = json.dumps({"id": job.ident, "returncode": job.status}).encode()
    _write_all(1, _frame(meta) + _frame(bytes(job.output)) + _frame(bytes(job.errors)))


def _fork_task(request: dict[str, Any]) -> _Job:
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: this task only
        try:
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # the warm process's pipes and other children's
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _set_limits(int(request["max_memory"]), int(request["cpu_s"]))
            _write_all(1, json.dumps(_answer(request)).encode())
            os._exit(0)
        except BaseException:  # as an uncaught exception ends a fresh interpreter: a traceback, status 1
            with contextlib.suppress(BaseException):
                _write_all(2, traceback.format_exc().encode(errors="replace"))
            os._exit(1)
    os.close(out_w)
    os.close(err_w)
    return _Job(
        ident=int(request["id"]),
        pid=pid,
        pidfd=os.pidfd_open(pid),
        deadline=time.monotonic() + float(request["timeout_s"]),
        timeout_s=float(request["timeout_s"]),
        out=out_r,
        err=err_r,
    )
