"""Regression tests for the December 2026 security review's intake findings (M3, M4, L5, L7, the anonymous-upload
INFO item) and issue 15's witnesses behind one address, through the real HTTP interface (Django's test client)."""

from __future__ import annotations

import base64
import re
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from amparo.incidents.models import Report
from amparo.intake import actions, formtoken
from amparo.intake.models import UploadSession
from amparo.intake.tests.media import photo_bytes
from amparo.testing import Personas

pytestmark = pytest.mark.django_db
OCTETS = "application/offset+octet-stream"
GIB = 1 << 30


@pytest.fixture(autouse=True)
def _no_waiting(settings: Any) -> None:
    """Most tests are not about how long a person takes to fill the form in (the issue 15 ones set it back)."""
    settings.INTAKE_FORM_MIN_SECONDS = 0


def form_url(personas: Personas) -> str:
    return reverse("intake:report", args=[actions.page_for(personas.north).slug])


def form_token(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found, "the report page carries a form token"
    return found.group(1)


def tus_create(client: Client, length: int, **headers: Any) -> Any:
    meta = f"filename {base64.b64encode(b'photo.jpg').decode()}"
    return client.post(
        "/uploads/",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=meta,
        **headers,
    )


def tus_patch(client: Client, url: str, offset: int, data: bytes, **headers: Any) -> Any:
    return client.generic(
        "PATCH",
        url,
        data,
        content_type=OCTETS,
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_OFFSET=str(offset),
        **headers,
    )


def witness_upload(client: Client, token: str, data: bytes) -> str:
    """A witness's page uploads one file over tus; returns the upload id."""
    headers: dict[str, Any] = {"HTTP_AMPARO_FORM_TOKEN": token}
    created = tus_create(client, len(data), **headers)
    assert created.status_code == 201, created.content
    url = created["Location"]
    done = tus_patch(client, url, 0, data, **headers)
    assert done.status_code == 204, done.content
    return str(url.rsplit("/", 1)[1])


@pytest.fixture
def partner(personas: Personas) -> dict[str, Any]:
    _row, value = actions.do_create_token(personas.south, "Northside partner", personas.user("bob"))
    return {"HTTP_AUTHORIZATION": f"Bearer {value}"}


# --- M3: no anonymous request can deny uploads to others --------------------------------------------------------


def test_m3_thirteen_huge_claims_leave_room_for_witnesses_and_partners(
    personas: Personas, partner: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    attacker = Client(REMOTE_ADDR="192.0.2.66")
    flood = form_token(attacker, form_url(personas))
    claims = [tus_create(attacker, 4 * GIB, HTTP_AMPARO_FORM_TOKEN=flood) for _ in range(12)]
    claims.append(tus_create(attacker, 2 * GIB, HTTP_AMPARO_FORM_TOKEN=flood))  # 50 GiB claimed, 0 bytes sent
    assert [r.status_code for r in claims] == [201] * 13
    witness = Client(REMOTE_ADDR="198.51.100.7")
    token = form_token(witness, form_url(personas))
    data = photo_bytes() * 1  # a phone photo
    upload_id = witness_upload(witness, token, data + b"\0" * (200_000 - len(data)))
    with django_capture_on_commit_callbacks(execute=True):
        sent = witness.post(
            form_url(personas),
            {
                "text": "Two vans outside the church",
                "consent": ["internal"],
                "upload_ids": upload_id,
                "form_token": token,
            },
        )
    assert sent.status_code == 201, sent.content.decode()[:400]
    part = photo_bytes()
    created = tus_create(Client(), len(part), **partner)
    assert created.status_code == 201
    assert tus_patch(Client(), created["Location"], 0, part, **partner).status_code == 204


def test_m3_an_empty_patch_does_not_move_the_expiry(personas: Personas) -> None:
    client = Client()
    token = form_token(client, form_url(personas))
    headers: dict[str, Any] = {"HTTP_AMPARO_FORM_TOKEN": token}
    created = tus_create(client, 4 * GIB, **headers)
    time.sleep(1.1)  # Upload-Expires has whole seconds
    empty = tus_patch(client, created["Location"], 0, b"", CONTENT_TYPE=OCTETS, **headers)
    assert empty.status_code == 204
    assert empty["Upload-Expires"] == created["Upload-Expires"]
    some = tus_patch(client, created["Location"], 0, b"abc", **headers)
    assert some["Upload-Expires"] == created["Upload-Expires"]


def test_m3_space_is_counted_in_bytes_received_per_uploader_and_in_total(
    personas: Personas, partner: dict[str, Any], settings: Any
) -> None:
    settings.INTAKE_MAX_PENDING_PER_UPLOADER_BYTES = 1000
    settings.INTAKE_MAX_PENDING_BYTES = 2400  # anonymous uploads together: 80 % = 1920
    greedy = Client(REMOTE_ADDR="192.0.2.77")
    token = form_token(greedy, form_url(personas))
    headers: dict[str, Any] = {"HTTP_AMPARO_FORM_TOKEN": token}
    first = tus_create(greedy, 100_000, **headers)["Location"]
    assert tus_patch(greedy, first, 0, b"x" * 900, **headers).status_code == 204
    second = tus_create(greedy, 100_000, **headers)["Location"]
    assert tus_patch(greedy, second, 0, b"y" * 200, **headers).status_code == 507  # 1100 > 1000 for this form
    assert tus_patch(greedy, second, 0, b"y" * 100, **headers).status_code == 204
    other = Client(REMOTE_ADDR="192.0.2.77")  # another page from the same address has its own share
    other_token = form_token(other, form_url(personas))
    other_headers: dict[str, Any] = {"HTTP_AMPARO_FORM_TOKEN": other_token}
    third = tus_create(other, 100_000, **other_headers)["Location"]
    assert (
        tus_patch(other, third, 0, b"z" * 1000, **other_headers).status_code == 507
    )  # anonymous: 1920 in all
    assert tus_patch(other, third, 0, b"z" * 920, **other_headers).status_code == 204
    part = tus_create(Client(), 500, **partner)["Location"]
    assert tus_patch(Client(), part, 0, b"p" * 500, **partner).status_code == 507  # 2420 > 2400 in all
    assert tus_patch(Client(), part, 0, b"p" * 480, **partner).status_code == 204  # partners keep their room


# --- M4: the client address behind a trusted proxy ---------------------------------------------------------------


def test_m4_reports_through_a_trusted_proxy_are_counted_per_client(personas: Personas, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.0/8", "10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for n in range(21):
        response = proxy.post(
            form_url(personas), {"text": f"report {n}"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}, 10.1.2.3"
        )
        assert response.status_code == 201, (n, response.content.decode()[:300])
    # hops further left than the first untrusted one are the client's own words and change nothing
    for n in range(20):
        assert (
            proxy.post(
                form_url(personas),
                {"text": f"forged {n}"},
                HTTP_X_FORWARDED_FOR=f"198.18.0.{n}, 203.0.113.200",
            ).status_code
            == 201
        )
    limited = proxy.post(
        form_url(personas), {"text": "forged 21"}, HTTP_X_FORWARDED_FOR="198.18.1.1, 203.0.113.200"
    )
    assert limited.status_code == 400 and Report.objects.count() == 41


def test_m4_an_untrusted_peer_cannot_choose_its_address(personas: Personas, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    direct = Client(REMOTE_ADDR="192.0.2.9")
    for n in range(20):
        reply = direct.post(
            form_url(personas), {"text": f"direct {n}"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        )
        assert reply.status_code == 201
    limited = direct.post(form_url(personas), {"text": "direct 21"}, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert limited.status_code == 400 and Report.objects.count() == 20


def test_m4_the_address_is_never_stored_and_gunicorn_trusts_the_same_proxies(
    personas: Personas, settings: Any
) -> None:
    from django.db import connection

    from amparo.server import _forwarded_allow_ips

    settings.TRUSTED_PROXIES = ["10.0.0.1/8", "::1"]
    assert _forwarded_allow_ips() == "10.0.0.0/8,::1/128"
    Client(REMOTE_ADDR="10.0.0.5").post(
        form_url(personas), {"text": "seen"}, HTTP_X_FORWARDED_FOR="203.0.113.58"
    )
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608  (table names from the schema itself)
            assert "203.0.113.58" not in repr(cursor.fetchall()), table


# --- L5: malformed numbers in tus headers --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "¹²", "١٢", "1e3", " ", "+5", "0x10"])
def test_l5_non_ascii_or_odd_digits_in_tus_headers_answer_400(personas: Personas, value: str) -> None:
    client = Client()
    token = form_token(client, form_url(personas))
    headers: dict[str, Any] = {"HTTP_AMPARO_FORM_TOKEN": token}
    create = client.post("/uploads/", HTTP_TUS_RESUMABLE="1.0.0", HTTP_UPLOAD_LENGTH=value, **headers)
    assert create.status_code == 400
    assert client.post("/uploads/", HTTP_TUS_RESUMABLE="1.0.0", HTTP_UPLOAD_LENGTH=value).status_code == 400
    url = tus_create(client, 10, **headers)["Location"]
    offset = client.generic(
        "PATCH",
        url,
        b"01",
        content_type=OCTETS,
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_OFFSET=value,
        **headers,
    )
    assert offset.status_code == 400
    length = tus_patch(client, url, 0, b"01", CONTENT_LENGTH=value, **headers)
    assert length.status_code == 400
    assert UploadSession.objects.get().offset == 0


# --- L7: the public form refuses before reading --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_l7_a_big_body_without_consent_is_refused_before_it_is_read(
    personas: Personas, live_server: Any
) -> None:
    boundary = "----amparo"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\nagents\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    announced = 200 << 20
    path = urlsplit(live_server.url + form_url(personas))
    with socket.create_connection((path.hostname, path.port), timeout=10) as sock:
        sock.sendall(
            (
                f"POST {path.path} HTTP/1.1\r\nHost: {path.netloc}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {announced}\r\n\r\n"
            ).encode()
            + head
            + b"\0" * (1 << 20)
        )  # 1 MiB of the 200 MiB announced; the server must answer without waiting for the rest
        sock.settimeout(5)
        reply = sock.recv(4096).decode("latin-1")
    assert reply.startswith("HTTP/1.1 400"), reply[:200]
    assert not Report.objects.exists()


def test_l7_refusals_count_and_a_spent_address_is_not_read(personas: Personas, settings: Any) -> None:
    settings.INTAKE_FORM_REPORTS_PER_HOUR = 30  # three refusals' worth
    client = Client(REMOTE_ADDR="192.0.2.170")
    too_big = 10 * 4 * GIB + (2 << 20)
    assert client.post(form_url(personas), {"text": "x"}, CONTENT_LENGTH=str(too_big)).status_code == 413
    assert client.post(form_url(personas), {"text": "x"}, CONTENT_LENGTH="²").status_code == 400
    video = photo_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    no_consent = client.post(form_url(personas), {"text": "x", "files": [SimpleUploadedFile("a.jpg", video)]})
    assert no_consent.status_code == 400
    spent = client.post(form_url(personas), {"text": "a real report now"})
    assert spent.status_code == 429 and not Report.objects.exists()
    assert (
        Client(REMOTE_ADDR="192.0.2.171").post(form_url(personas), {"text": "elsewhere"}).status_code == 201
    )


# --- INFO: anonymous uploads are bound to the form that started them --------------------------------------------


def test_info_an_anonymous_upload_is_attached_only_by_its_own_form(
    personas: Personas, partner: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    witness = Client()
    token = form_token(witness, form_url(personas))
    upload_id = witness_upload(witness, token, photo_bytes())
    api = Client().post(
        "/api/reports",
        {"text": "not ours", "place_text": "x", "upload_ids": [upload_id], "consent": ["internal"]},
        content_type="application/json",
        **partner,
    )
    assert api.status_code == 400
    stranger = Client()
    stranger_token = form_token(stranger, form_url(personas))
    stolen = stranger.post(
        form_url(personas),
        {"text": "stolen", "upload_ids": upload_id, "consent": ["internal"], "form_token": stranger_token},
    )
    assert stolen.status_code == 400 and not Report.objects.exists()
    assert stranger.head(f"/uploads/{upload_id}", HTTP_TUS_RESUMABLE="1.0.0").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        own = witness.post(
            form_url(personas),
            {"text": "mine", "upload_ids": upload_id, "consent": ["internal"], "form_token": token},
        )
    assert own.status_code == 201 and Report.objects.get().intake_files.count() == 1


def test_info_an_upload_without_a_form_or_browser_is_refused() -> None:
    assert tus_create(Client(), 10).status_code == 403
    assert not UploadSession.objects.exists()


# --- issue 15: witnesses of one raid behind one address -----------------------------------------------------------


def test_issue15_sixty_witnesses_behind_one_address_all_get_through(
    personas: Personas, settings: Any
) -> None:
    settings.INTAKE_FORM_MIN_SECONDS = 1
    church = [Client(REMOTE_ADDR="192.0.2.200") for _ in range(60)]
    tokens = [form_token(phone, form_url(personas)) for phone in church]
    time.sleep(1.1)  # people take a while to fill the form in
    statuses = [
        phone.post(
            form_url(personas), {"text": f"Agents at the church door, I am witness {n}", "form_token": t}
        ).status_code
        for n, (phone, t) in enumerate(zip(church, tokens, strict=True))
    ]
    assert statuses == [201] * 60
    assert Report.objects.count() == 60


def test_issue15_a_junk_flood_from_that_address_is_contained(personas: Personas, settings: Any) -> None:
    settings.INTAKE_FORM_MIN_SECONDS = 1
    settings.INTAKE_FORM_REPORTS_PER_HOUR = 200  # a smaller hour than the default 400, to keep the test quick
    address = "192.0.2.201"
    genuine = [Client(REMOTE_ADDR=address) for _ in range(30)]
    tokens = [form_token(phone, form_url(personas)) for phone in genuine]
    bot = Client(REMOTE_ADDR=address)
    bot_tokens = [formtoken.issue() for _ in range(15)]  # what the page hands out, fetched in bulk
    time.sleep(1.1)
    for n, phone in enumerate(genuine):  # genuine witnesses and junk interleaved, from the same address
        sent = phone.post(form_url(personas), {"text": f"Witness {n}: two vans", "form_token": tokens[n]})
        assert sent.status_code == 201
        if n % 2 == 0:
            kind = (n // 2) % 3
            body: dict[str, str] = {"text": f"spam {n}", "form_token": bot_tokens[n // 2]}
            if kind == 0:
                body["website"] = "http://spam.example"  # the honeypot
            elif kind == 1:
                body["text"] = f"Witness {n}: two vans"  # a copy of a genuine body
            else:
                body["form_token"] = tokens[n]  # a spent token
            bot.post(form_url(personas), body)
    assert Report.objects.count() == 30 and not Report.objects.filter(text__startswith="spam").exists()
    # the flood goes on with instant tokens until the address's hour is spent; then its posts are not even read
    answers = [
        bot.post(form_url(personas), {"text": f"spam again {n}", "form_token": formtoken.issue()}).status_code
        for n in range(10)
    ]
    assert answers[-1] == 429 and answers.index(429) <= 3  # 200 an hour, ten per piece of junk
    assert Report.objects.count() <= 30 + 2  # an instant token counts as none: the small budget, nearly spent


@pytest.mark.parametrize("issued_at", [1_700_000_000.001, 1_700_000_000.999])
def test_issue15_a_token_used_at_once_is_never_old_enough_wherever_the_clock_is_in_its_second(
    settings: Any, monkeypatch: pytest.MonkeyPatch, issued_at: float
) -> None:
    # CI once counted an instant token as fresh: the issue time was cut to whole seconds, so a token made at .999 and
    # read 2 ms later looked a second old.
    settings.INTAKE_FORM_MIN_SECONDS = 1
    monkeypatch.setattr(time, "time_ns", lambda: int(issued_at * 1e9))
    raw = formtoken.issue()
    monkeypatch.setattr(time, "time", lambda: issued_at + 0.002)
    token = formtoken.read(raw)
    assert token is not None and not token.fresh and token.age_seconds == pytest.approx(0.002, abs=0.0015)
    monkeypatch.setattr(time, "time", lambda: issued_at + 1.01)
    token = formtoken.read(raw)
    assert token is not None and token.fresh


def test_issue15_a_token_from_before_the_change_is_aged_from_the_end_of_its_second(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core import signing

    settings.INTAKE_FORM_MIN_SECONDS = 1
    raw = signing.dumps({"n": "ab" * 16, "t": 1_700_000_000}, salt=formtoken.SALT, compress=False)
    monkeypatch.setattr(time, "time", lambda: 1_700_000_001.5)
    token = formtoken.read(raw)
    assert token is not None and not token.fresh  # at most 1.5 s old, perhaps 0.5 s: not yet
    monkeypatch.setattr(time, "time", lambda: 1_700_000_002.01)
    token = formtoken.read(raw)
    assert token is not None and token.fresh
