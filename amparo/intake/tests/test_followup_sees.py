"""Review item 14 (December 2026): the returning witness sees what they sent and where it stands, in plain words."""

from __future__ import annotations

from pathlib import Path

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
    assert "will read it soon" in html
    report = Report.objects.get()
    for status, words in (
        (ReportStatus.DISPATCHED, "sent someone to look"),
        (ReportStatus.SPAM, "has read it"),
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
