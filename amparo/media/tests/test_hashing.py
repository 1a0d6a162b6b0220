from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from pathlib import Path

import pytest

from amparo.media.hashing import HashingWriter, TooLarge, copy_and_hash, hash_file


class TrickleReader(io.RawIOBase):
    """A stream that returns at most 1000 bytes per read, like a slow socket."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def,override]  # RawIOBase signature
        chunk = self._data.read(min(len(buffer), 1000))
        buffer[: len(chunk)] = chunk
        return len(chunk)


class ReadOnly:
    """A source without readinto (only read), like some upload wrappers."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, n: int) -> bytes:
        return self._data.read(n)


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 1 << 20, (3 << 20) + 17])
def test_it_copies_and_hashes_any_size(size: int) -> None:
    data = os.urandom(size)
    out = io.BytesIO()
    digest, n = copy_and_hash(io.BytesIO(data), out, chunk=4096)
    assert n == size
    assert digest == hashlib.sha256(data).hexdigest()
    assert out.getvalue() == data


def test_it_handles_short_reads_and_read_only_sources() -> None:
    data = os.urandom(50_001)
    for src in (TrickleReader(data), ReadOnly(data)):
        out = io.BytesIO()
        assert copy_and_hash(src, out, chunk=8192) == (hashlib.sha256(data).hexdigest(), len(data))
        assert out.getvalue() == data


def test_it_refuses_more_than_max_size_without_writing_past_it() -> None:
    data = os.urandom(100_000)
    out = io.BytesIO()
    with pytest.raises(TooLarge) as info:
        copy_and_hash(io.BytesIO(data), out, chunk=4096, max_size=50_000)
    assert info.value.max_size == 50_000
    assert len(out.getvalue()) <= 50_000
    assert out.getvalue() == data[: len(out.getvalue())]


def test_it_accepts_exactly_max_size() -> None:
    data = os.urandom(40_960)
    digest, n = copy_and_hash(io.BytesIO(data), io.BytesIO(), chunk=4096, max_size=40_960)
    assert n == 40_960 and digest == hashlib.sha256(data).hexdigest()


def test_it_reports_write_errors_in_the_callers_thread() -> None:
    class Full(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data) -> int:  # type: ignore[no-untyped-def,override]  # RawIOBase signature
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        copy_and_hash(io.BytesIO(b"x" * 10_000), Full(), chunk=1024)


def test_it_keeps_memory_flat(tmp_path: Path) -> None:
    src = tmp_path / "src.bin"
    with open(src, "wb") as fh:
        for _ in range(32):
            fh.write(os.urandom(1 << 20))
    tracemalloc.start()
    with open(src, "rb", buffering=0) as s, open(tmp_path / "dst.bin", "wb") as d:
        digest, n = copy_and_hash(s, d, chunk=1 << 20)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == 32 << 20
    assert peak < 4 << 20  # two 1 MiB buffers plus change, for a 32 MiB file
    assert digest == hashlib.sha256(src.read_bytes()).hexdigest() == hash_file(str(tmp_path / "dst.bin"))[0]


def test_hashing_writer_hashes_what_it_writes_and_enforces_the_limit() -> None:
    out = io.BytesIO()
    writer = HashingWriter(out, max_size=10)
    writer.write(b"hello")
    writer.write(memoryview(b"world"))
    assert writer.size == 10
    assert writer.hexdigest() == hashlib.sha256(b"helloworld").hexdigest()
    with pytest.raises(TooLarge):
        writer.write(b"!")
    assert out.getvalue() == b"helloworld"
