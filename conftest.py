"""Fixtures shared by every test: the personas of amparo/testing.py, signed-in clients, an isolated data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from amparo.testing import Personas, make_personas, signed_in_client


@pytest.fixture(autouse=True)
def _isolated_data_dir(settings: object, tmp_path: Path) -> None:
    """Every test writes evidence, keys and tiles into its own temporary folder."""
    data = tmp_path / "amparo-data"
    data.mkdir()
    settings.DATA_DIR = data  # type: ignore[attr-defined]
    settings.KEYS_DIR = data / "keys"  # type: ignore[attr-defined]
    settings.EVIDENCE_DIR = data / "evidence"  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": data / "files"},
        },
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    from amparo.lib.appendonly import unlock_for_tests

    with django_db_blocker.unblock():
        unlock_for_tests()


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture
def client_as(personas: Personas) -> Callable[..., Client]:
    def make(name: str, **kwargs: object) -> Client:
        return signed_in_client(personas[name], **kwargs)

    return make
