"""Fixtures shared by every test: the personas of amparo/testing.py, signed-in clients, an isolated data folder, and
a real S3 server (SeaweedFS on loopback, one per test process) for the tests that need one."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from amparo.seaweed import SeaweedS3
from amparo.testing import Personas, make_personas, signed_in_client


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every module that holds a ``slow`` test runs first, each module's tests in their own order.

    The slow tests live mostly under tests/, which is collected last: under xdist a two-minute test then often began
    near the end, and one worker finished it alone while the other had nothing left. Started early, they overlap the
    short tests instead. Runs before pytest-django's own (stable) ordering by kind of database use, which it keeps."""
    slow = {item.nodeid.split("::")[0] for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in slow)


@pytest.fixture(autouse=True)
def _isolated_data_dir(settings: object, tmp_path: Path) -> None:
    """Every test writes evidence, keys and tiles into its own temporary folder."""
    data = tmp_path / "amparo-data"
    data.mkdir()
    settings.DATA_DIR = data  # type: ignore[attr-defined]
    settings.KEYS_DIR = data / "keys"  # type: ignore[attr-defined]
    settings.EVIDENCE_DIR = data / "evidence"  # type: ignore[attr-defined]
    settings.DERIVED_DIR = data / "derived"  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": data / "files"},
        },
        # `amparo serve` collects static files into hashed, compressed copies; tests serve them from the source
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _async_unsafe_for_browser_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Playwright's sync API runs an event loop in the test's thread, which Django's ORM guard would refuse.
    Set only for browser tests and undone after each, so no other test (or subprocess it starts) inherits it."""
    if request.node.get_closest_marker("browser"):
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


DB_FIXTURES = ("db", "transactional_db", "live_server", "personas", "client_as")


@pytest.fixture(autouse=True)
def _seed_data(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("django_db") or any(f in request.fixturenames for f in DB_FIXTURES):
        from amparo.testing import restore_seed_data

        with request.getfixturevalue("django_db_blocker").unblock():
            restore_seed_data()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """On PostgreSQL the test database gets a name of its own for this run (after pytest-django's xdist suffix)."""
    from django.conf import settings

    from amparo.pytest_env import unique_test_db_name

    for db in settings.DATABASES.values():
        if db["ENGINE"] != "django.db.backends.sqlite3":
            test = db.setdefault("TEST", {})
            test["NAME"] = unique_test_db_name(test.get("NAME") or f"test_{db['NAME']}")


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


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    """One SeaweedFS for the whole test process (it takes ~15 s to start)."""
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
