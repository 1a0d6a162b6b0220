"""Fixtures of the corroboration tests: ingesting real files through the evidence vault, with its after-commit
work (log integration, fingerprints) run as it would be after a real commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from amparo.evidence import vault
from amparo.evidence.models import EvidenceItem


@pytest.fixture
def ingest(django_capture_on_commit_callbacks: Any) -> Callable[..., EvidenceItem]:
    def run(path: Path, **kwargs: Any) -> EvidenceItem:
        with django_capture_on_commit_callbacks(execute=True):
            item = vault.ingest_path(path, **kwargs)
        return item

    return run


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages in English unless a test asks for another language (a request may leave one active)."""
    with translation.override("en"):
        yield
