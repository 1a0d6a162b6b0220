"""Shared helpers for the ledger tests (plain pytest, no database)."""

from __future__ import annotations

import pytest

from amparo.ledger import MemoryTileStore, NoteSigner

ORIGIN = "amparo.example/log"


@pytest.fixture
def signer() -> NoteSigner:
    return NoteSigner.generate(ORIGIN)


@pytest.fixture
def store() -> MemoryTileStore:
    return MemoryTileStore()


class CrashingStore:
    """Wraps a store and raises after ``allowed`` successful writes, like a process killed mid-integrate."""

    def __init__(self, inner: MemoryTileStore, allowed: int) -> None:
        self.inner = inner
        self.allowed = allowed
        self.writes = 0

    def read(self, path: str) -> bytes | None:
        return self.inner.read(path)

    def write(self, path: str, data: bytes) -> None:
        if self.writes >= self.allowed:
            raise OSError("simulated crash")
        self.writes += 1
        self.inner.write(path, data)


def entries_for(start: int, count: int) -> list[bytes]:
    """Deterministic, varied entries (including empty ones) so runs can be compared byte for byte."""
    return [f"entry-{i}".encode() * (i % 5) for i in range(start, start + count)]
