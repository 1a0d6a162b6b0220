"""The store's copy pipeline: exact bytes and hash at every size around buffer and block boundaries."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from amparo.evidence import pipeline
from amparo.evidence.store import _open_temp
from amparo.media import TooLarge

B = pipeline.BUFFER
SIZES = [0, 1, 4095, 4096, 4097, B - 1, B, B + 1, 3 * B + 17, 5 * B]


class ReadOnly:
    """A stream with only read(), returning short reads like a socket."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def read(self, n: int) -> bytes:
        return self.data.read(min(n, 70_001))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("direct", [True, False])
def test_copy_is_exact(size: int, direct: bool, tmp_path: Path) -> None:
    data = os.urandom(size)
    path = tmp_path / "out"
    fd, used_direct = _open_temp(path) if direct else (os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), False)
    try:
        got = pipeline.copy_direct(ReadOnly(data) if size % 2 else io.BytesIO(data), fd, direct=used_direct)
    finally:
        os.close(fd)
    assert got == (hashlib.sha256(data).hexdigest(), size)
    assert path.read_bytes() == data


def test_too_large_stops(tmp_path: Path) -> None:
    fd = os.open(tmp_path / "out", os.O_WRONLY | os.O_CREAT, 0o600)
    with pytest.raises(TooLarge):
        pipeline.copy_direct(io.BytesIO(b"x" * (B + 10)), fd, direct=False, max_size=B + 9)
    os.close(fd)


def test_a_failing_source_raises_its_error(tmp_path: Path) -> None:
    class Broken:
        calls = 0

        def readinto(self, view: memoryview) -> int:
            self.calls += 1
            if self.calls > 2:
                raise OSError("connection reset")
            view[:10] = b"0123456789"
            return 10

    fd = os.open(tmp_path / "out", os.O_WRONLY | os.O_CREAT, 0o600)
    with pytest.raises(OSError, match="connection reset"):
        pipeline.copy_direct(Broken(), fd, direct=False)
    os.close(fd)
