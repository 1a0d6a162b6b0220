"""The one vocabulary registry (amparo/vocab.py): every code a person reads, in their language (issue 13, item 7)."""

from __future__ import annotations

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from amparo import vocab
from amparo.people.tests.factories import make_person
from amparo.testing import Personas, signed_in_client


@pytest.mark.parametrize(
    ("kind", "code", "en", "es", "de"),
    [
        (
            "agency",
            "ICE_UNSPECIFIED",
            "ICE (unspecified)",
            "ICE (sin especificar)",
            "ICE (nicht näher bestimmt)",
        ),
        (
            "location_type",
            "school",
            "School or university",
            "Escuela o universidad",
            "Schule oder Hochschule",
        ),
        ("level", "confirmed", "Confirmed", "Confirmado", "Bestätigt"),
        (
            "audit_action",
            "person.viewed",
            "Viewed a person's record",
            "Consultó la ficha de una persona",
            None,
        ),
        ("evidence_kind", "image", "Photo", "Foto", "Foto"),
        ("country", "GT", "Guatemala", "Guatemala", "Guatemala"),
        ("country", "MX", "Mexico", "México", "Mexiko"),
        ("language", "es", "Spanish", "Español", "Spanisch"),
        ("language", "de", "German", "Alemán", "Deutsch"),
        ("custody_status", "released", "Released", None, "Freigelassen"),
    ],
)
def test_it_labels_a_code_in_each_language(
    kind: str, code: str, en: str, es: str | None, de: str | None
) -> None:
    assert vocab.label(kind, code, "en") == en
    if es:
        assert vocab.label(kind, code, "es") == es
    if de:
        assert vocab.label(kind, code, "de") == de
    with translation.override("es"):
        assert vocab.label(kind, code) == vocab.label(kind, code, "es")


def test_it_never_shows_a_bare_code() -> None:
    assert vocab.label("level", "") == ""
    assert vocab.label("agency", "SOME_NEW_CODE", "es") == "SOME NEW CODE"
    assert vocab.label("boolean", True, "es") == "sí" and vocab.label("boolean", False, "de") == "nein"
    assert vocab.labels("language", "es, k'iche'", "es") == "Español, K'iche'"
    for kind in vocab.kinds():
        for code in vocab.codes(kind):
            assert vocab.label(kind, code, "es"), (kind, code)


def test_the_template_filter_is_built_in() -> None:
    with translation.override("de"):
        out = Template('{{ a|label:"agency" }} / {{ b|labels:"tactic" }}').render(
            Context({"a": "LOCAL_POLICE", "b": ["masked_agents", "plainclothes"]})
        )
    expected = (
        vocab.label("agency", "LOCAL_POLICE", "de")
        + " / "
        + vocab.labels("tactic", ["masked_agents", "plainclothes"], "de")
    )
    assert out == expected
    assert "_" not in out and "Local police" not in out


def test_evidence_metadata_reads_as_words() -> None:
    metadata = {
        "ok": True,
        "kind": "image",
        "claimed_type_mismatch": False,
        "captured_at_offset": "-08:00",
        "c2pa": {"state": "none"},
        "gps": {"lat": 34.1, "lon": -117.3, "alt": None},
        "width": None,
    }
    with translation.override("es"):
        rows = dict(vocab.metadata_rows(metadata))
    assert rows["Metadatos leídos"] == "sí"
    assert rows["Tipo"] == "Foto"
    assert rows["Zona horaria de la cámara"] == "-08:00"
    assert rows["Credenciales de contenido (C2PA)"] == "el archivo no tiene"
    assert rows["Posición GPS"] == "latitud 34.1, longitud -117.3"
    assert not any(k in rows for k in ("ok", "kind", "c2pa", "width"))


def test_audit_details_read_as_a_sentence() -> None:
    detail = {"from_level": "reported", "to_level": "confirmed", "method": "on_scene_responder"}
    with translation.override("es"):
        text = vocab.audit_detail(detail)
    assert text == "nivel de Reportado a Confirmado · método: Persona de respuesta en el lugar"
    with translation.override("de"):
        fields = vocab.audit_detail({"fields": "admin1,locality"}, "incidents.incident")
    assert fields == "Felder: Bundesstaat, Stadt"


def test_extraction_reasons_are_translated() -> None:
    with translation.override("es"):
        text = vocab.reason(
            "keyword for commercial_retail; agency name; count of people near a detention verb"
        )
    assert "commercial_retail" not in text and "keyword" not in text
    assert text.startswith("una palabra para este tipo de lugar: Tienda, mercado o restaurante (clientes)")
    assert text.endswith("un número de personas junto a una palabra de detención")


def test_the_empty_choice_reads_choose_in_every_form() -> None:
    from amparo.accounts.models import Network

    class Pick(forms.Form):
        network = forms.ModelChoiceField(Network.objects.none())

    from django.db import models

    field = models.CharField(max_length=5, choices=[("a", "A")], blank=True).formfield()
    with translation.override("de"):
        html = str(Pick()["network"])
        assert "---------" not in html and "Bitte wählen…" in html
        assert [str(label) for _code, label in field.choices] == ["Bitte wählen…", "A"]  # type: ignore[union-attr]


@pytest.mark.django_db
def test_the_person_page_names_the_country_and_languages(personas: Personas) -> None:
    person = make_person(personas)
    client = signed_in_client(personas["carla"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = client.get(f"/people/{person.case_code}/").content.decode()
    assert "Mexiko" in page and "Spanisch" in page
    assert "<dd>MX</dd>" not in page


@pytest.mark.django_db
def test_the_audit_log_shows_sentences_links_and_filters(personas: Personas) -> None:
    person = make_person(personas)
    client = signed_in_client(personas["alice"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    client.get(f"/people/{person.case_code}/")  # as a coordinator: writes person.viewed if allowed
    page = client.get("/audit/").content.decode()
    assert "person.created" not in page.replace('value="person.created"', "")
    assert "Agregó a una persona" in page
    assert f'href="/people/{person.case_code}/"' in page
    filtered = client.get("/audit/", {"action": "person.created", "record": "people.person"}).content.decode()
    assert "Agregó a una persona" in filtered
    stranger = client.get("/audit/", {"who": "nobody"}).content.decode()
    assert f'href="/people/{person.case_code}/"' not in stranger
