"""Streaming SHA-256: hash bytes while they are written, in flat memory.

The evidence store copies an upload to its final place exactly once; hashing on the way means the bytes are
read once. `copy_and_hash` reads into two preallocated buffers (no per-chunk allocation, no copies:
``hashlib`` and ``write`` both take a memoryview slice) and overlaps hashing with reading and writing on a
second thread, because all three release the GIL for large buffers. Memory use is ``2 * chunk`` whatever
the file size.
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
from typing import IO, Any, Protocol

DEFAULT_CHUNK = 1 << 20


class TooLarge(ValueError):
    """The stream is longer than the allowed maximum; nothing past the maximum was written."""

    def __init__(self, max_size: int) -> None:
        super().__init__(f"file is larger than the limit of {max_size} bytes")
        self.max_size = max_size


class _Writable(Protocol):
    def write(self, data: Any, /) -> Any: ...


class HashingWriter:
    """A write-only file wrapper that hashes everything written through it.

    ``writer.write(data)`` forwards to ``fileobj`` and updates the SHA-256; ``max_size`` (bytes, optional)
    makes a write that would exceed it raise :class:`TooLarge` before any of that write reaches ``fileobj``.
    """

    def __init__(self, fileobj: _Writable, *, max_size: int | None = None) -> None:
        self._fileobj = fileobj
        self._hash = hashlib.sha256()
        self._max_size = max_size
        self.size = 0

    def write(self, data: bytes | bytearray | memoryview) -> int:
        n = len(data) if not isinstance(data, memoryview) else data.nbytes
        if self._max_size is not None and self.size + n > self._max_size:
            raise TooLarge(self._max_size)
        self._hash.update(data)
        self._fileobj.write(data)
        self.size += n
        return n

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        flush = getattr(self._fileobj, "flush", None)
        if flush is not None:
            flush()

    def hexdigest(self) -> str:
        return self._hash.hexdigest()

    def digest(self) -> bytes:
        return self._hash.digest()


def _write_all(dst: _Writable, view: memoryview) -> None:
    # Raw (unbuffered) files may write less than asked; buffered ones never do but return the count too.
    while view.nbytes:
        written = dst.write(view)
        if written is None or written >= view.nbytes:
            return
        view = view[written:]


class _Helper:
    """One long-lived thread that writes a buffer and then reads the next one, while the caller hashes.

    Hashing is the slowest step (about 1 GB/s with SHA extensions); writing and reading together are faster,
    so running them beside the hash keeps the copy close to the cost of hashing alone. Errors from the streams
    are re-raised in the caller's thread.
    """

    def __init__(self, src: Any, dst: _Writable) -> None:
        self._src = src
        self._dst = dst
        self._work: queue.SimpleQueue[tuple[memoryview | None, memoryview] | None] = queue.SimpleQueue()
        self._done: queue.SimpleQueue[int | BaseException] = queue.SimpleQueue()
        self._busy = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._work.get()
            if job is None:
                return
            to_write, to_fill = job
            try:
                if to_write is not None:
                    _write_all(self._dst, to_write)
                got = _fill(self._src, to_fill)
            except BaseException as exc:  # handed to the caller's thread, which re-raises it
                self._done.put(exc)
            else:
                self._done.put(got)

    def submit(self, to_write: memoryview | None, to_fill: memoryview) -> None:
        self._busy = True
        self._work.put((to_write, to_fill))

    def result(self) -> int:
        self._busy = False
        got = self._done.get()
        if isinstance(got, BaseException):
            raise got
        return got

    def close(self) -> None:
        """Let a pending job finish (its error, if any, is dropped) and stop the thread."""
        if self._busy:
            self._busy = False
            self._done.get()
        self._work.put(None)
        self._thread.join()


def _readinto(src: IO[bytes] | Any, view: memoryview) -> int:
    readinto = getattr(src, "readinto", None)
    if readinto is not None:
        got = readinto(view)
        return int(got or 0)
    data = src.read(view.nbytes)
    view[: len(data)] = data
    return len(data)


def _fill(src: IO[bytes] | Any, view: memoryview) -> int:
    """Fill ``view`` as far as the stream allows (short reads from pipes/sockets are retried); 0 means end."""
    total = 0
    while total < view.nbytes:
        got = _readinto(src, view[total:])
        if got == 0:
            break
        total += got
    return total


def copy_and_hash(
    src: IO[bytes] | Any,
    dst: _Writable,
    chunk: int = DEFAULT_CHUNK,
    *,
    max_size: int | None = None,
) -> tuple[str, int]:
    """Copy ``src`` to ``dst`` and return ``(sha256_hex, size)``.

    ``src`` needs ``readinto`` or ``read``; ``dst`` needs ``write``. With ``max_size`` the copy stops with
    :class:`TooLarge` once the stream is longer than that, having written at most ``max_size`` bytes (the
    caller deletes the partial destination). Neither stream is closed.
    """
    if chunk <= 0:
        raise ValueError("chunk must be positive")
    hasher = hashlib.sha256()
    # Two buffers alternate: while the caller hashes one, the helper writes that same one (both only read it)
    # and then fills the other, which nobody else touches in that round.
    buffers = (memoryview(bytearray(chunk)), memoryview(bytearray(chunk)))
    helper = _Helper(src, dst)
    size = 0
    try:
        helper.submit(None, buffers[0])
        got = helper.result()
        turn = 0
        while got:
            size += got
            if max_size is not None and size > max_size:
                raise TooLarge(max_size)
            part = buffers[turn & 1][:got]
            helper.submit(part, buffers[(turn + 1) & 1])
            hasher.update(part)
            got = helper.result()
            turn += 1
    finally:
        # Never leave a thread writing into a destination the caller is about to close or delete.
        helper.close()
    return hasher.hexdigest(), size


def hash_file(path: str | os.PathLike[str], chunk: int = DEFAULT_CHUNK) -> tuple[str, int]:
    """``(sha256_hex, size)`` of the file at ``path``, read in flat memory."""
    hasher = hashlib.sha256()
    buf = memoryview(bytearray(chunk))
    size = 0
    with open(path, "rb", buffering=0) as fh:
        while True:
            got = fh.readinto(buf)
            if not got:
                break
            hasher.update(buf[:got])
            size += got
    return hasher.hexdigest(), size
