from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amparo.intake import actions, formtoken, views
from amparo.intake.models import UploadSession
from amparo.intake.purge import purge_all
from amparo.intake.tests.media import photo_bytes

pytestmark = pytest.mark.django_db
FORM_TOKEN = formtoken.issue()  # anonymous uploads start from a report page's form (formtoken.py)
TUS: dict[str, Any] = {"HTTP_TUS_RESUMABLE": "1.0.0", "HTTP_AMPARO_FORM_TOKEN": FORM_TOKEN}
OCTETS = "application/offset+octet-stream"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def create(client: Client, length: int, **extra: Any) -> Any:
    return client.post(
        "/uploads/",
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=f"filename {b64('photo.jpg')},filetype {b64('image/jpeg')}",
        **TUS,
        **extra,
    )


def patch(client: Client, url: str, offset: int, data: bytes, **extra: Any) -> Any:
    return client.generic(
        "PATCH", url, data, content_type=OCTETS, HTTP_UPLOAD_OFFSET=str(offset), **TUS, **extra
    )


def test_options_announce_the_extensions() -> None:
    response = Client().options("/uploads/")
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {
        "creation",
        "creation-with-upload",
        "termination",
        "expiration",
        "checksum",
    }
    assert response["Tus-Checksum-Algorithm"] == "sha1,sha256"
    assert int(response["Tus-Max-Size"]) > 0


def test_core_create_patch_head() -> None:
    data = photo_bytes()
    client = Client()
    created = create(client, len(data))
    assert created.status_code == 201 and created["Tus-Resumable"] == "1.0.0"
    url = created["Location"]
    assert url.startswith("http://testserver/uploads/") and "Upload-Expires" in created
    head = client.head(url, **TUS)
    assert head["Upload-Offset"] == "0" and head["Upload-Length"] == str(len(data))
    first = patch(client, url, 0, data[:100])
    assert first.status_code == 204 and first["Upload-Offset"] == "100"
    wrong = patch(client, url, 50, data[100:])
    assert wrong.status_code == 409
    rest = patch(client, url, 100, data[100:])
    assert rest.status_code == 204 and rest["Upload-Offset"] == str(len(data))
    assert client.head(url, **TUS)["Cache-Control"] == "no-store"
    upload = UploadSession.objects.get()
    assert upload.complete and actions.upload_path(upload.upload_id).read_bytes() == data


def test_creation_with_upload() -> None:
    data = photo_bytes()
    response = create(Client(), len(data), data=data[:300], content_type=OCTETS)
    assert response.status_code == 201 and response["Upload-Offset"] == "300"


@pytest.mark.parametrize("algorithm", ["sha1", "sha256"])
def test_checksum_match_and_mismatch(algorithm: str) -> None:
    data = photo_bytes()
    client = Client()
    url = create(client, len(data))["Location"]
    bad = base64.b64encode(hashlib.new(algorithm, b"other").digest()).decode()
    mismatch = patch(client, url, 0, data, HTTP_UPLOAD_CHECKSUM=f"{algorithm} {bad}")
    assert mismatch.status_code == 460
    assert client.head(url, **TUS)["Upload-Offset"] == "0"
    good = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    ok = patch(client, url, 0, data, HTTP_UPLOAD_CHECKSUM=f"{algorithm} {good}")
    assert ok.status_code == 204 and ok["Upload-Offset"] == str(len(data))
    unknown = patch(client, create(client, 10)["Location"], 0, b"0123456789", HTTP_UPLOAD_CHECKSUM="md5 AAAA")
    assert unknown.status_code == 400


def test_termination() -> None:
    client = Client()
    url = create(client, 10)["Location"]
    upload_id = url.rsplit("/", 1)[1]
    assert client.delete(url, **TUS).status_code == 204
    assert client.head(url, **TUS).status_code == 404
    assert not actions.upload_path(upload_id).exists()


@pytest.mark.parametrize(
    "headers,status",
    [
        ({"HTTP_TUS_RESUMABLE": "0.2.2", "HTTP_UPLOAD_LENGTH": "5"}, 412),
        ({**TUS}, 400),
        ({**TUS, "HTTP_UPLOAD_LENGTH": "abc"}, 400),
        ({**TUS, "HTTP_UPLOAD_LENGTH": "5", "HTTP_UPLOAD_METADATA": "filename !!notbase64"}, 400),
        ({**TUS, "HTTP_UPLOAD_LENGTH": str(10**15)}, 413),
        ({**TUS, "HTTP_UPLOAD_DEFER_LENGTH": "1"}, 400),
    ],
)
def test_malformed_creation_is_refused(headers: dict[str, Any], status: int) -> None:
    assert Client().post("/uploads/", **headers).status_code == status
    assert not UploadSession.objects.exists()


def test_malformed_patches_are_refused_and_change_nothing() -> None:
    client = Client()
    url = create(client, 10)["Location"]
    wrong_type = client.generic(
        "PATCH", url, b"01234", content_type="text/plain", HTTP_UPLOAD_OFFSET="0", **TUS
    )
    assert wrong_type.status_code == 415
    too_long = patch(client, url, 0, b"0123456789ABC")
    assert too_long.status_code == 413
    no_offset = client.generic("PATCH", url, b"01", content_type=OCTETS, **TUS)
    assert no_offset.status_code == 400
    assert client.head(url, **TUS)["Upload-Offset"] == "0"
    assert Client().head("/uploads/doesnotexist", **TUS).status_code == 404
    assert Client().head("/uploads/../../etc", **TUS).status_code == 404


def test_expired_uploads_are_gone_and_purged() -> None:
    client = Client()
    url = create(client, 10)["Location"]
    upload = UploadSession.objects.get()
    path = actions.upload_path(upload.upload_id)
    assert path.exists()
    UploadSession.objects.filter(pk=upload.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.head(url, **TUS).status_code == 410
    assert purge_all()["uploads"] == 1
    assert not path.exists() and not UploadSession.objects.exists()


def test_an_upload_is_attached_to_a_report_and_then_removed(
    personas: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    data = photo_bytes()
    client = Client()
    url = create(client, len(data), data=data, content_type=OCTETS)["Location"]
    upload_id = url.rsplit("/", 1)[1]
    form = reverse("intake:report", args=[actions.page_for(personas.north).slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form,
            {
                "text": "photo attached",
                "upload_ids": upload_id,
                "consent": ["internal"],
                "form_token": FORM_TOKEN,
            },
        )
    assert response.status_code == 201
    report = personas.north.reports.get()
    item = report.intake_files.get()
    assert item.sha256 == hashlib.sha256(data).hexdigest() and item.via == "tus"
    assert not actions.upload_path(upload_id).exists()
    again = client.post(
        form,
        {"text": "same again", "upload_ids": upload_id, "consent": ["internal"], "form_token": FORM_TOKEN},
    )
    assert again.status_code == 400 and personas.north.reports.count() == 1


def test_an_unfinished_upload_cannot_be_attached(personas: Any) -> None:
    client = Client()
    url = create(client, 1000)["Location"]
    patch(client, url, 0, photo_bytes()[:10])
    form = reverse("intake:report", args=[actions.page_for(personas.north).slug])
    response = client.post(form, {"text": "x", "upload_ids": url.rsplit("/", 1)[1], "consent": ["internal"]})
    assert response.status_code == 400 and not personas.north.reports.exists()


def test_upload_creation_is_rate_limited(settings: Any) -> None:
    settings.INTAKE_UPLOADS_PER_HOUR = 2
    client = Client(REMOTE_ADDR="192.0.2.44")
    assert [create(client, 5).status_code for _ in range(3)] == [201, 201, 429]


def test_metadata_with_nul_and_odd_ids_are_harmless() -> None:
    nul = base64.b64encode(b"a\x00b.jpg").decode()
    response = Client().post(
        "/uploads/", HTTP_UPLOAD_LENGTH="5", HTTP_UPLOAD_METADATA=f"filename {nul}", **TUS
    )
    assert response.status_code == 201 and UploadSession.objects.get().filename == "ab.jpg"
    assert Client().head("/uploads/%C3%A9t%C3%A9", **TUS).status_code == 404


def test_of_two_posts_attaching_one_upload_only_the_first_keeps_it(personas: Any, monkeypatch: Any) -> None:
    """The same form sent twice (perhaps to two servers): the second finds the row attached and keeps nothing."""
    data = photo_bytes()
    client = Client()
    upload_id = create(client, len(data), data=data, content_type=OCTETS)["Location"].rsplit("/", 1)[1]
    real_store = actions.store_files

    def while_another_post_attaches_it(files: Any) -> Any:
        stored = real_store(files)
        UploadSession.objects.filter(upload_id=upload_id).update(attached_at=timezone.now())
        return stored

    monkeypatch.setattr(actions, "store_files", while_another_post_attaches_it)
    form = reverse("intake:report", args=[actions.page_for(personas.north).slug])
    response = client.post(
        form,
        {"text": "sent twice", "upload_ids": upload_id, "consent": ["internal"], "form_token": FORM_TOKEN},
    )
    assert response.status_code == 400
    assert [str(e) for e in response.context["form"].non_field_errors()] == [str(views.UPLOAD_UNUSABLE)]
    assert not personas.north.reports.exists()
