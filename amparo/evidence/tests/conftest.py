"""A real S3 server (SeaweedFS on loopback) for the evidence tests that need one: one per test process."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from amparo.seaweed import SeaweedS3


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    server = SeaweedS3(tmp_path_factory.mktemp("seaweed"))
    server.start()
    saved = {k: os.environ.get(k) for k in server.env()}
    os.environ.update({k: v for k, v in server.env().items() if k.startswith("AWS_")})
    try:
        yield server
    finally:
        server.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture
def s3(seaweed: SeaweedS3, settings: object, tmp_path: Path) -> SeaweedS3:
    """Originals, derived copies and log tiles in fresh buckets of the real S3 server, for one test."""
    from amparo.evidence import log

    tag = secrets.token_hex(4)
    settings.EVIDENCE_S3_BUCKET = seaweed.create_bucket(f"evidence-{tag}")  # type: ignore[attr-defined]
    settings.EVIDENCE_S3_ENDPOINT = seaweed.endpoint  # type: ignore[attr-defined]
    settings.LOG_S3_BUCKET = seaweed.create_bucket(f"log-{tag}")  # type: ignore[attr-defined]
    settings.DERIVED_DIR = tmp_path / "derived-server-a"  # type: ignore[attr-defined]
    log._cache.clear()
    return seaweed
