"""Review item 14 (December 2026): the returning witness sees what they sent and where it stands, in plain words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amparo.incidents.codes import ReportStatus
from amparo.incidents.models import Report
from amparo.intake.tests.test_followup import file_report
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def test_item14_the_followup_page_shows_the_words_the_file_kind_and_a_plain_status(
    personas: Personas, tmp_path: Path
) -> None:
    code = file_report(personas, tmp_path)
    opened = Client().post(reverse("intake:followup") + "?lang=en", {"step": "open", "code": code})
    html = opened.content.decode()
    assert opened.status_code == 200
    assert "Agents took a man" in html  # what they wrote
    assert "<strong data-kind>Video</strong>" in html  # the file's kind, not a MIME type or a code
    assert "lo leerá pronto" in html  # Spanish: the witness's language
    report = Report.objects.get()
    for status, words in (
        (ReportStatus.DISPATCHED, "envió a alguien a ver"),
        (ReportStatus.SPAM, "ya lo leyó"),
    ):
        Report.objects.filter(pk=report.pk).update(status=status)
        html = (
            Client()
            .post(reverse("intake:followup") + "?lang=en", {"step": "open", "code": code})
            .content.decode()
        )
        assert words in html
        assert (
            "spam" not in html.lower() and ">dispatched<" not in html.lower()
        )  # the desk's words never show


def test_item14_a_coordinator_sends_a_message_the_witness_reads_and_it_is_audited(
    personas: Personas, tmp_path: Path, client_as: Any
) -> None:
    from amparo.audit.models import AuditEvent
    from amparo.incidents.models import WitnessMessage

    code = file_report(personas, tmp_path)
    report = Report.objects.get()
    url = reverse("incidents:report_message", args=[report.code])
    assert client_as("alice").post(url, {"text": "   "}).status_code == 302
    assert not WitnessMessage.objects.exists()  # an empty message is refused
    assert client_as("rita").post(url, {"text": "Hola"}).status_code == 403  # read-only cannot send
    client_as("alice").post(url, {"text": "Gracias. Enviamos a alguien a verificar. <b>x</b>"})
    assert WitnessMessage.objects.get().report == report
    assert AuditEvent.objects.filter(action="report.witness_message", object_code=str(report.code)).exists()
    html = Client().post(reverse("intake:followup"), {"step": "open", "code": code}).content.decode()
    assert "Gracias. Enviamos a alguien a verificar. &lt;b&gt;x&lt;/b&gt;" in html
