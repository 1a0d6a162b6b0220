"""On SQLite a report's write transaction holds the database's one write lock: no file work may happen inside it.

Every other writer waits for that lock (a staff member's page, another witness, an operator's call), so a submission
that hashed and probed its photo inside its transaction made them wait the whole probe (docs/scaling.md, embedded
figures). These tests try to take the write lock from another connection at the moment each file has just been
probed, and require it to be free; and they require a staff page to write nothing while its session is fresh.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amparo.accounts import sessions
from amparo.evidence import vault
from amparo.incidents.models import Report
from amparo.intake import actions
from amparo.intake.models import IntakeFile
from amparo.intake.tests.media import photo_bytes, video_bytes
from amparo.testing import Personas, signed_in_client

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")


def write_lock_free() -> bool:
    """Can another connection start a write transaction right now, without waiting?"""
    other = sqlite3.connect(connection.settings_dict["NAME"], uri=True, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:  # database is locked (or, in shared cache, table locked)
        return False
    finally:
        other.close()


@pytest.fixture
def lock_at_probe(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Runs the real probe, then records whether the write lock was free while the file work was going on."""
    seen: list[bool] = []
    real = vault.probe

    def probe_then_look(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        seen.append(write_lock_free())
        return result

    monkeypatch.setattr(vault, "probe", probe_then_look)
    yield seen


@pytest.mark.django_db(transaction=True)
def test_the_lock_test_sees_a_held_lock(personas: Personas) -> None:
    """The check itself can fail: inside a write transaction, the lock is seen as held."""
    from django.db import transaction

    assert write_lock_free()
    with transaction.atomic():
        Report.objects.create(network=personas.north, channel="web_form", text="x")
        assert not write_lock_free()
    assert write_lock_free()


@pytest.mark.django_db(transaction=True)
def test_a_witness_report_probes_its_files_before_taking_the_write_lock(
    personas: Personas, tmp_path: Path, lock_at_probe: list[bool]
) -> None:
    url = reverse("intake:report", args=[actions.page_for(personas.north).slug])
    photo = SimpleUploadedFile("p.jpg", photo_bytes(), content_type="image/jpeg")
    video = SimpleUploadedFile("clip.mp4", video_bytes(tmp_path), content_type="video/mp4")
    response = Client(REMOTE_ADDR="203.0.113.90").post(
        url,
        {"text": "Agentes frente a la panadería.", "consent": ["internal"], "files": [photo, video]},
    )
    assert response.status_code == 201, response.context["form"].errors
    assert lock_at_probe == [True, True]  # both files probed, neither while the lock was held
    report = Report.objects.get()
    assert sorted(report.evidence.values_list("kind", flat=True)) == ["image", "video"]
    assert IntakeFile.objects.filter(report=report).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_followup_and_a_partner_attach_probe_before_the_write_lock(
    personas: Personas, lock_at_probe: list[bool]
) -> None:
    report, _code = actions.do_create_report(
        personas.north, {"text": "first words"}, channel="web_form", language="es"
    )

    def photo(colour: tuple[int, int, int]) -> actions.IncomingFile:
        from io import BytesIO

        data = photo_bytes(colour)
        return actions.IncomingFile(BytesIO(data), "p.jpg", "image/jpeg", len(data))

    actions.do_add_followup(
        report, text="more", files=[photo((1, 2, 3))], consent_uses=["internal"], language="es"
    )
    actions.do_attach_files(report, [photo((4, 5, 6))], ["internal"], None, "api")
    assert lock_at_probe == [True, True]
    assert IntakeFile.objects.filter(report=report).count() == 2


def staff_writes(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]


@pytest.mark.parametrize("url", ["/triage/", "/triage/?q=agentes", "/incidents/"])
@pytest.mark.django_db
def test_staff_pages_write_nothing_while_the_session_is_fresh(personas: Personas, url: str) -> None:
    client = signed_in_client(personas["alice"])
    staff_writes(client, url)  # the first page may refresh the row the sign-in wrote
    assert staff_writes(client, url) == []


@pytest.mark.django_db
def test_an_unchanged_session_still_slides_once_its_expiry_is_a_minute_old(personas: Personas) -> None:
    client = signed_in_client(personas["alice"])
    key = sessions.stored_key(client.cookies["sessionid"].value)
    row: Callable[[], Session] = lambda: Session.objects.get(session_key=key)  # noqa: E731
    aged = row().expire_date - timedelta(seconds=sessions.REFRESH_SECONDS + 5)
    Session.objects.filter(session_key=key).update(expire_date=aged)
    writes = staff_writes(client, "/triage/")
    assert any("django_session" in sql for sql in writes)
    assert row().expire_date > aged + timedelta(seconds=sessions.REFRESH_SECONDS)
