"""Regression tests for the newcomer review of December 2026 (../shared/reviews/2026-12-newcomer.md): the menu, page
titles, language names, card labels and the labels of tables, driven through the Django test client."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse

from amparo.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def test_6_the_menu_is_grouped_and_holds_the_public_layer(client_as: Any) -> None:
    page = client_as("alice").get("/").content.decode()
    menu = page[page.index('<nav class="nav"') : page.index("</nav>")]
    groups = re.findall(r'class="nav-group-label"[^>]*>([^<]+)<', menu)
    assert groups == ["Respuesta", "Personas y casos", "Red"]
    for url in (
        "/triage/",
        "/evidence/",
        "/people/",
        "/public/manage/",
        "/audit/",
        reverse("accounts:members"),
    ):
        assert f'href="{url}"' in menu, url
    # a button that opens it with no script: a checkbox and its label
    assert 'id="nav-toggle"' in menu and 'for="nav-toggle"' in menu


def test_6_a_role_sees_only_its_groups(client_as: Any) -> None:
    page = client_as("vera").get("/").content.decode()
    assert "Personas y casos" in page  # facilities
    assert 'href="/public/manage/"' not in page and 'href="/audit/"' not in page
    assert ">Red<" not in page


def test_16_page_titles_have_a_separator(client_as: Any) -> None:
    alice = client_as("alice")
    for path, title in (("/triage/", "Clasificación"), ("/", "Inicio"), ("/public/manage/", "Capa pública")):
        found = re.search(r"<title>(.*?)</title>", alice.get(path).content.decode(), re.S)
        assert found and found.group(1).strip() == f"{title} · Amparo", path


def test_17_language_names_are_endonyms_in_every_language(client_as: Any) -> None:
    for lang in ("es", "en", "de"):
        client = client_as("alice")
        client.cookies["django_language"] = lang
        page = client.get("/").content.decode()
        names = re.findall(r'<option value="(?:es|en|de)" lang="\w+"[^>]*>([^<]+)</option>', page)
        assert names == ["Español", "English", "Deutsch"], (lang, names)


def test_20_dashboard_card_labels_start_with_a_capital(client_as: Any) -> None:
    page = client_as("alice").get("/").content.decode()
    labels = re.findall(r'<span class="label">([^<]+)</span>', page)
    assert any("archivos de prueba" in label.lower() for label in labels), labels
    assert all(label[0].isupper() or not label[0].isalpha() for label in labels), labels


def test_24_the_public_layer_table_has_no_bare_k_column(client_as: Any) -> None:
    page = client_as("alice").get("/public/manage/").content.decode()
    assert '<th scope="col">k</th>' not in page
    assert "Recuento mínimo publicado" in page


def test_15_the_two_step_page_offers_an_otpauth_link_for_the_same_phone(personas: Personas) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:otp_setup")
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    link = re.search(r'href="(otpauth://totp/[^"]+)"', page)
    assert link, page
    secret = client.session["amparo_totp_setup"]
    assert f"secret={secret}" in unquote(link.group(1).replace("&amp;", "&"))


def test_21_the_evidence_list_names_each_value_on_a_phone(client_as: Any, personas: Personas) -> None:
    from amparo.evidence.tests.factories import north_item

    north_item(personas)
    page = client_as("alice").get("/evidence/").content.decode()
    row = page[page.index("<tbody>") : page.index("</tbody>")]
    labels = re.findall(r'<td data-label="([^"]+)"', row)
    assert labels == ["Recibido (UTC)", "Tipo", "Tamaño", "SHA-256", "Consentimiento", "Metadatos"], labels
    css = (Path(__file__).resolve().parent.parent / "amparo/static/amparo/amparo.css").read_text()
    assert "td[data-label]::before { content: attr(data-label)" in css


def test_22_an_evidence_item_links_back_to_its_report_and_incident(
    client_as: Any, personas: Personas
) -> None:
    from amparo.evidence.tests.factories import north_item
    from amparo.incidents.tests.factories import make_incident, make_report
    from amparo.intake.models import IntakeFile

    item = north_item(personas)
    incident = make_incident(personas.north, title="Redada en la lavandería")
    report = make_report(personas.north, incident=incident)
    IntakeFile.objects.create(
        report=report, evidence_code=str(item.code), receipt_code="r", sha256=item.sha256
    )
    page = client_as("alice").get(reverse("evidence:detail", args=[item.code])).content.decode()
    assert '<dl class="facts">' in page
    assert f'href="{reverse("incidents:report", args=[report.code])}"' in page
    assert f'href="{reverse("incidents:incident", args=[incident.code])}">Redada en la lavandería</a>' in page
    other = client_as("bob")  # another network's member learns nothing of it
    assert other.get(reverse("evidence:detail", args=[item.code])).status_code == 404
