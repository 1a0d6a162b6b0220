"""The warm media sandbox: one pre-started process that forks a new limited child for every task.

Each test starts a warm sandbox of its own (``warm`` fixture) and stops it afterwards, so the rest of the suite keeps
the fresh interpreter per task. What must hold: the same answers as a fresh interpreter, every task in a child of its
own with the limits set and no descriptor but its own pipes, a timeout, a memory limit or a crash costs only that
child, a warm process that dies costs no answer, and a probe costs a fraction of the CPU of a fresh interpreter. A busy
machine is never blamed on a file: a child starved of the processor runs again, and a task's clock starts only once
the warm process has imported its decoders.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from amparo.media import sandbox
from amparo.media.probe import probe
from amparo.media.tests.factory import photo, write_video

MAX_MEMORY = 1536 << 20


@pytest.fixture
def warm(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sandbox, "_warm", None)
    monkeypatch.setattr(sandbox, "_warm_deaths", 0)
    monkeypatch.setattr(sandbox, "_warm_wanted", False)
    sandbox.keep_warm()
    try:
        yield
    finally:
        if sandbox._warm is not None:
            sandbox._warm.stop()


@pytest.fixture(scope="module")
def long_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_video(tmp_path_factory.mktemp("sandbox") / "long.mp4", seconds=30)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(p) for p in task.read_text().split()]
    return found


def _fingerprint(path: Path, timeout_s: float = 120) -> sandbox.Outcome:
    args = {"path": str(path), "max_pixels": 8192 * 4320, "max_seconds": None}
    return sandbox.run("video_fingerprint", args, timeout_s=timeout_s, max_memory=MAX_MEMORY)


def _in_thread(work: Any) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(work()))
    thread.start()
    return thread, out


def _wait_for_children(pid: int, count: int, timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _children(pid)
        if len(found) >= count:
            return found
        time.sleep(0.005)
    raise AssertionError(f"the warm sandbox started {len(_children(pid))} children, not {count}")


def _wait_until_reading(pid: int, path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == str(path):
                    return
            except OSError:
                continue
        time.sleep(0.002)
    raise AssertionError(f"the child {pid} never opened {path}")


def _limits(pid: int) -> dict[str, str]:
    rows = {}
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines()[1:]:
        name, soft = line[:26].strip(), line[26:47].strip()
        rows[name] = soft
    return rows


def test_it_answers_as_a_fresh_interpreter_does(tmp_path: Path, warm: None) -> None:
    picture = tmp_path / "photo.jpg"
    photo(1280, 720).save(picture, "JPEG")
    clip = write_video(tmp_path / "clip.mp4", seconds=2)
    warm_answers = [probe(picture), probe(clip)]
    fresh = [
        sandbox._run_fresh(
            {"task": "probe", "args": {"path": str(p), "claimed_name": None, "claimed_mime": None,
                                       "max_pixels": 250_000_000, "check_c2pa": False},
             "max_memory": MAX_MEMORY, "cpu_s": 32}, 30)
        for p in (picture, clip)
    ]  # fmt: skip
    for got, expected in zip(warm_answers, fresh, strict=True):
        assert expected.ok and expected.value is not None
        assert {**got.to_dict(), "c2pa": None} == {**expected.value, "c2pa": None}
    assert warm_answers[0].c2pa == {"state": "none"}
    assert sandbox.warm_pid() is not None


def test_each_task_runs_in_a_new_child_with_the_limits_and_only_its_own_pipes(
    long_video: Path, warm: None
) -> None:
    zygote = sandbox.warm_pid()
    assert zygote is not None
    runs = [_in_thread(lambda: _fingerprint(long_video)) for _ in range(2)]
    children = _wait_for_children(zygote, 2)
    assert len(set(children)) == 2  # two tasks at once: two processes
    for child in children:
        _wait_until_reading(child, long_video)  # inside the task: its limits were set before it started
        limits = _limits(child)
        assert limits["Max address space"] == str(MAX_MEMORY)
        assert limits["Max file size"] == "0"
        assert limits["Max core file size"] == "0"
        assert limits["Max cpu time"] == "122"  # int(timeout_s) + 2, as for a fresh interpreter
        pipes = [
            int(fd.name) for fd in Path(f"/proc/{child}/fd").iterdir() if os.readlink(fd).startswith("pipe:")
        ]
        assert sorted(pipes) == [1, 2], (
            pipes
        )  # its answer and its errors; nothing of the warm process or others
        assert os.readlink(f"/proc/{child}/fd/0") == os.devnull
    for thread, out in runs:
        thread.join(timeout=120)
        assert out and out[0].ok, out
    assert _children(zygote) == []  # each child is gone with its task
    assert len(list(Path(f"/proc/{zygote}/task").iterdir())) == 1  # the warm process stays single-threaded


def test_a_timeout_a_memory_limit_and_a_crash_cost_only_their_child(
    tmp_path: Path, long_video: Path, warm: None
) -> None:
    zygote = sandbox.warm_pid()
    started = time.monotonic()
    # 30 s of 320x240 video fingerprint in about 0.2 s of processor time (a starved child is run again with twice
    # the time), so a few hundredths of a second always time out
    assert _fingerprint(long_video, timeout_s=0.03).code == "timeout"
    assert time.monotonic() - started < 5
    large = tmp_path / "large.png"
    Image.new("RGB", (6000, 6000), (1, 2, 3)).save(large)  # 108 MB decoded
    refused = probe(large, max_memory=128 << 20)
    assert (refused.ok, refused.error in ("decompression_bomb", "corrupt")) == (False, True)
    thread, out = _in_thread(lambda: _fingerprint(long_video))
    assert zygote is not None
    (child,) = _wait_for_children(zygote, 1)
    os.kill(child, signal.SIGSEGV)
    thread.join(timeout=60)
    assert out[0].code == "crashed"
    assert probe(large).ok
    assert sandbox.warm_pid() == zygote  # the same warm process answered all of them


def test_a_warm_process_that_dies_costs_no_answer(long_video: Path, warm: None) -> None:
    zygote = sandbox.warm_pid()
    assert zygote is not None
    thread, out = _in_thread(lambda: _fingerprint(long_video))
    _wait_for_children(zygote, 1)
    os.kill(zygote, signal.SIGKILL)
    thread.join(timeout=120)
    assert out and out[0].ok  # run again in a fresh interpreter
    assert _fingerprint(long_video, timeout_s=120).ok
    assert sandbox.warm_pid() not in (None, zygote)  # and a new warm process took over


def _stop_first_child(parent: int, marker: bytes) -> threading.Thread:
    """In the background: stop (SIGSTOP) the first child of ``parent`` whose command line holds ``marker``, as a
    machine too busy to give it the processor would; the deadline then kills it."""

    def stop() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for pid in _children(parent):
                try:
                    if marker in Path(f"/proc/{pid}/cmdline").read_bytes():
                        os.kill(pid, signal.SIGSTOP)
                        return
                except OSError:
                    continue
            time.sleep(0.001)

    thread = threading.Thread(target=stop)
    thread.start()
    return thread


def test_a_child_starved_of_the_processor_is_run_again_not_blamed(long_video: Path, warm: None) -> None:
    zygote = sandbox.warm_pid()
    assert zygote is not None and probe(long_video).ok  # ready
    stopper = _stop_first_child(zygote, b"warm_main")  # a forked child keeps its parent's command line
    result = probe(long_video, timeout_s=2)
    stopper.join()
    assert (result.ok, result.error) == (True, None)  # not a permanent "timeout" in the video's metadata
    assert sandbox.warm_pid() == zygote  # the warm process itself was fine


def test_a_fresh_interpreter_starved_of_the_processor_is_run_again_not_blamed(long_video: Path) -> None:
    assert sandbox.warm_pid() is None
    stopper = _stop_first_child(os.getpid(), b"child_main")
    started = time.monotonic()
    result = probe(long_video, timeout_s=3)
    stopper.join()
    assert (result.ok, result.error) == (True, None)
    assert time.monotonic() - started >= 3  # the first child was stopped until its deadline


def test_a_task_waits_for_the_warm_sandbox_to_import_its_decoders(
    long_video: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm process still importing (a cold disk, a busy machine) holds a task before its clock starts; one that
    never finishes is replaced and the task runs fresh. Neither is the file's fault."""
    monkeypatch.setattr(sandbox, "_warm", None)
    monkeypatch.setattr(sandbox, "_warm_deaths", 0)
    monkeypatch.setattr(sandbox, "_warm_wanted", False)
    monkeypatch.setattr(sandbox, "WARM_GRACE_S", 0.2)  # the parent's own patience past a task's time limit
    try:
        sandbox.keep_warm()
        zygote = sandbox.warm_pid()
        assert zygote is not None and sandbox._warm is not None
        os.kill(zygote, signal.SIGSTOP)  # within a millisecond of its start: long before its imports are done
        time.sleep(0.3)
        assert not sandbox._warm.ready.is_set()
        thread, out = _in_thread(lambda: probe(long_video, timeout_s=0.8))
        time.sleep(2)  # longer than the task's time and the parent's grace together
        os.kill(zygote, signal.SIGCONT)
        thread.join(timeout=60)
        assert out and (out[0].ok, out[0].error) == (True, None)
        assert sandbox.warm_pid() == zygote  # answered by the warm process once it was ready

        monkeypatch.setattr(sandbox, "WARM_START_S", 1.0)
        sandbox._warm.stop()
        sandbox.keep_warm()
        second = sandbox.warm_pid()
        assert second is not None and second != zygote
        os.kill(second, signal.SIGSTOP)  # and it never gets ready
        result = probe(long_video, timeout_s=10)
        assert (result.ok, result.error) == (True, None)  # run fresh
        assert second not in _children(os.getpid())  # the stuck warm process was stopped and reaped
    finally:
        if sandbox._warm is not None:
            sandbox._warm.stop()


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def test_a_probe_costs_a_fraction_of_the_cpu_of_a_fresh_interpreter(tmp_path: Path, warm: None) -> None:
    picture = tmp_path / "photo.jpg"
    photo(1280, 720).save(picture, "JPEG")
    zygote = sandbox.warm_pid()
    assert zygote is not None
    probe(picture)  # the warm process has finished its imports
    before = _cpu_s(zygote)
    for _ in range(5):
        assert probe(picture).ok
    warm_cpu = _cpu_s(zygote) - before
    sandbox._warm_wanted = False
    children = os.times()
    for _ in range(5):
        assert probe(picture).ok
    after = os.times()
    fresh_cpu = (
        after.children_user + after.children_system - children.children_user - children.children_system
    )
    assert warm_cpu < fresh_cpu / 3, (warm_cpu, fresh_cpu)
