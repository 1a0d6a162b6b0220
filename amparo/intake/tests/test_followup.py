from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from amparo.incidents.models import Report
from amparo.intake import actions, words
from amparo.intake.models import IntakeFile
from amparo.intake.tests.media import photo_bytes, video_bytes
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def file_report(p: Personas, tmp_path: Path) -> str:
    url = reverse("intake:report", args=[actions.page_for(p.north).slug])
    video = SimpleUploadedFile("clip.mp4", video_bytes(tmp_path), content_type="video/mp4")
    response = Client().post(url, {"text": "Agents took a man", "files": [video], "consent": ["internal"]})
    assert response.status_code == 201
    found = re.search(r'id="followup-code">([a-z-]+)<', response.content.decode())
    assert found
    return found.group(1)


def test_it_opens_the_report_with_the_code_and_shows_receipts(personas: Personas, tmp_path: Path) -> None:
    code = file_report(personas, tmp_path)
    receipt = IntakeFile.objects.get().receipt_code
    response = Client().post(
        reverse("intake:followup"), {"step": "open", "code": code.upper().replace("-", " ")}
    )
    assert response.status_code == 200
    assert receipt in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_it_adds_words_and_a_photo_later(personas: Personas, tmp_path: Path) -> None:
    code = file_report(personas, tmp_path)
    photo = SimpleUploadedFile("later.jpg", photo_bytes(), content_type="image/jpeg")
    response = Client().post(
        reverse("intake:followup"),
        {
            "step": "add",
            "code": code,
            "text": "They drove a grey van",
            "files": [photo],
            "consent": ["internal"],
        },
    )
    assert response.status_code == 200, response.context["form"].errors
    report = Report.objects.get()
    assert "They drove a grey van" in report.text and report.text.startswith("Agents took a man")
    assert IntakeFile.objects.filter(report=report).count() == 2
    assert report.intake_extra.followups == 1


def test_a_wrong_code_finds_nothing_and_is_rate_limited(
    personas: Personas, tmp_path: Path, settings: Any
) -> None:
    settings.INTAKE_FOLLOWUP_TRIES_PER_HOUR = 3
    file_report(personas, tmp_path)
    client = Client(REMOTE_ADDR="192.0.2.9", HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(3):
        wrong = client.post(reverse("intake:followup"), {"step": "open", "code": words.new_code()})
        assert wrong.status_code == 400 and "We found no report" in wrong.content.decode()
    blocked = client.post(reverse("intake:followup"), {"step": "open", "code": words.new_code()})
    assert "Too many attempts" in blocked.content.decode()
    malformed = client.post(reverse("intake:followup"), {"step": "open", "code": "hello"})
    assert "six words" in malformed.content.decode()


def test_a_followup_with_a_bad_file_changes_nothing(personas: Personas, tmp_path: Path) -> None:
    code = file_report(personas, tmp_path)
    bad = SimpleUploadedFile("x.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    response = Client().post(
        reverse("intake:followup"),
        {"step": "add", "code": code, "text": "more", "files": [bad], "consent": ["internal"]},
    )
    assert response.status_code == 400
    assert Report.objects.get().text == "Agents took a man"
    assert IntakeFile.objects.count() == 1


def test_codes_are_six_known_words_and_differ() -> None:
    codes = {words.new_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(words.looks_like_code(c) for c in codes)
    assert not words.looks_like_code("river-maple-otter-cloud-lemon-notaword")


def test_the_witness_fetches_a_receipt_from_the_followup_page(
    personas: Personas, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        code = file_report(personas, tmp_path)
    client = Client()
    page = client.post(reverse("intake:followup"), {"step": "open", "code": code}).content.decode()
    receipt_code = IntakeFile.objects.get().receipt_code
    action = reverse("evidence:receipt")
    assert f'action="{action}"' in page and f'value="{receipt_code}"' in page
    response = client.post(action, {"code": receipt_code, "download": "1"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert len(response.content) > 100


def test_l6_followup_attempts_are_counted_before_the_lookup_and_hits_are_given_back(
    personas: Personas, tmp_path: Path, settings: Any
) -> None:
    """L6 for follow-up codes: the count is taken atomically before the look-up (parallel guesses queue on the
    locked counter and cannot pass the limit); an attempt that finds its report does not use up the hour."""
    from amparo.accounts.models import Throttle

    settings.INTAKE_FOLLOWUP_TRIES_PER_HOUR = 2
    code = file_report(personas, tmp_path)
    client = Client(REMOTE_ADDR="192.0.2.10", HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(5):  # the witness opens her report again and again: never blocked
        assert client.post(reverse("intake:followup"), {"step": "open", "code": code}).status_code == 200
    assert Throttle.objects.get(scope="intake.followup").count == 0
    for _ in range(2):
        assert (
            client.post(reverse("intake:followup"), {"step": "open", "code": words.new_code()}).status_code
            == 400
        )
    assert Throttle.objects.get(scope="intake.followup").count == 2
    blocked = client.post(reverse("intake:followup"), {"step": "open", "code": code})
    assert "Too many attempts" in blocked.content.decode(), "past the limit even the right code waits"
    assert Throttle.objects.get(scope="intake.followup").count == 2


def test_e011_a_typo_in_trusted_proxies_stops_the_start_and_is_never_trusted(settings: Any) -> None:
    from amparo.checks import trusted_proxies
    from amparo.intake import privacy

    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "10.0.0.300", "proxy.example"]
    errors = trusted_proxies()
    assert [e.id for e in errors] == ["amparo.E011"] and "10.0.0.300, proxy.example" in errors[0].msg
    assert [str(n) for n in privacy.trusted_proxies()] == ["10.0.0.0/24"]
    settings.TRUSTED_PROXIES = ["10.0.0.5", "2001:db8::/32"]
    assert trusted_proxies() == []


@pytest.mark.parametrize(("language", "word"), [("es", "manzana"), ("de", "apfel"), ("en", "apple")])
def test_the_followup_code_is_in_the_witness_language_and_any_language_is_accepted(
    personas: Personas, tmp_path: Path, language: str, word: str
) -> None:
    """Review 2026-12 item 8: a Spanish-speaking witness gets Spanish words (typable without accents)."""
    assert word in words.LISTS[language]
    codes = [words.new_code(language) for _ in range(40)]
    listed = set(words.LISTS[language])
    assert all(set(c.split("-")) <= listed for c in codes)
    assert all(c.isascii() and c.islower() for c in codes)
    url = reverse("intake:report", args=[actions.page_for(personas.north).slug])
    response = Client(HTTP_ACCEPT_LANGUAGE=language).post(
        url, {"text": f"Agentes en la parada ({language})", "consent": ["internal"]}
    )
    assert response.status_code == 201
    found = re.search(r'id="followup-code">([a-z-]+)<', response.content.decode())
    assert found
    shown = found.group(1)
    assert set(shown.split("-")) <= listed, shown
    # the code opens the report when typed back with capitals and spaces
    typed = " ".join(w.capitalize() for w in shown.split("-"))
    assert (
        Client(HTTP_ACCEPT_LANGUAGE="en")
        .post(reverse("intake:followup"), {"step": "open", "code": typed})
        .status_code
        == 200
    )
