"""Regression tests for the December 2026 security review's INFO items that had none named after them
(docs/security.md, "Decisions on the December 2026 review"), driven through the real HTTP interface and the real
command line as the review did."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amparo.allowlist import PUBLIC_URL_NAMES
from amparo.checks import production_settings
from amparo.incidents.models import Report
from amparo.intake import actions
from amparo.public import anonymise
from amparo.public.exports import DOWNLOADS
from amparo.public.models import PublicIncident
from amparo.public.tests.helpers import body, make_incident
from amparo.testing import PASSWORD, Personas, signed_in_client

AMPARO = [sys.executable, "-m", "amparo.cli"]


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    """The personas' passwords need not resist cracking here, and no test is about how long a witness takes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.INTAKE_FORM_MIN_SECONDS = 0


def bearer(value: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {value}"}


# --- INFO: partner tokens read the whole network ------------------------------------------------------------------


@pytest.mark.django_db
def test_info_a_partner_token_reads_only_the_reports_it_sent(personas: Personas, client_as: Any) -> None:
    """The review's `GET /api/reports` listed every report of the network (witness and hotline ones too). Now a token
    lists and opens only its own; a sibling token of the same network and the network's other reports are 404."""
    _row, mine = actions.do_create_token(personas.north, "Legal aid clinic", personas.user("alice"))
    _row, sibling = actions.do_create_token(personas.north, "Faith coalition", personas.user("alice"))
    sent = {}
    for name, value in (("mine", mine), ("sibling", sibling)):
        created = Client().post(
            "/api/reports",
            {"text": f"vans seen ({name})", "place_text": "Oak St"},
            content_type="application/json",
            **bearer(value),
        )
        assert created.status_code == 201, created.content
        sent[name] = created.json()["code"]
    witness = Client()
    page = reverse("intake:report", args=[actions.page_for(personas.north).slug])
    form = witness.get(page)
    assert form.status_code == 200
    form_token = form.content.decode().split('name="form_token" value="', 1)[1].split('"', 1)[0]
    posted = witness.post(
        page,
        {"text": "A witness saw agents at the school", "consent": ["internal"], "form_token": form_token},
    )
    assert posted.status_code == 201, posted.content
    call = client_as("omar").post(
        reverse("intake:call"),
        {
            "priority": "critical",
            "activity": "A caller saw a raid",
            "place_text": "Laundromat on 3rd St",
            "claimed_agencies": ["ICE_UNSPECIFIED"],
            "caller_language": "es",
        },
    )
    assert call.status_code == 302, call.content.decode()[-800:]
    others = [str(r.code) for r in Report.objects.exclude(code__in=[uuid.UUID(c) for c in sent.values()])]
    assert len(others) == 2  # the witness's and the hotline's report exist, in the same network

    client = Client(HTTP_AUTHORIZATION=f"Bearer {mine}")
    listing = client.get("/api/reports")
    assert listing.status_code == 200
    assert [r["code"] for r in listing.json()] == [sent["mine"]]
    assert client.get(f"/api/reports/{sent['mine']}").status_code == 200
    for code in [sent["sibling"], *others]:
        answer = client.get(f"/api/reports/{code}")
        assert answer.status_code == 404, code
        assert b"school" not in answer.content and b"raid" not in answer.content
    assert b"school" not in listing.content and b"raid" not in listing.content
    assert b"faith" not in listing.content.lower() and b"(sibling)" not in listing.content


# --- INFO: cookie flags in embedded mode ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_info_cookie_flags_in_embedded_mode_and_production_refuses_insecure_ones(
    personas: Personas, settings: Any
) -> None:
    """Over http://127.0.0.1 a Secure cookie would never come back, so it is not set; everything else is as strict as
    over HTTPS, and production mode refuses to start with cookies that may travel over plain HTTP (amparo.E003)."""
    assert not settings.SESSION_COOKIE_SECURE and not settings.CSRF_COOKIE_SECURE  # the embedded default
    client = Client()
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.post(reverse("accounts:login"), {"username": "rita", "password": PASSWORD})
    assert response.status_code == 302 and client.get("/").status_code == 200  # signed in over plain HTTP
    session, csrf = client.cookies["sessionid"], client.cookies["csrftoken"]
    assert session["httponly"] and session["samesite"] == "Lax" and not session["secure"]
    assert not session["expires"] and not session["max-age"]  # ends with the browser
    assert (
        csrf["httponly"] and csrf["samesite"] == "Lax"
    )  # the review saw Django's default: readable by script
    settings.PRODUCTION = True
    assert "amparo.E003" in [p.id for p in production_settings()]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    assert "amparo.E003" not in [p.id for p in production_settings()]


# --- INFO: the printed sign-in link's port --------------------------------------------------------------------------


def run(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "AMPARO_DATA_DIR": str(data_dir), "DATABASE_URL": "", **env}
    return subprocess.run(
        [*AMPARO, *args], capture_output=True, text=True, env=environment, timeout=180, check=False
    )


def test_info_createuser_prints_the_port_the_running_server_listens_on(tmp_path: Path) -> None:
    """The review's link said port 8000 whatever port `amparo serve` used. The link now takes the address from the
    run file of the `amparo serve` of this data folder while it runs; otherwise, and always in production, the site
    address."""
    data = tmp_path / "data"
    first = run(["createuser", "nora", "--network", "Red", "--create-network"], data)
    assert first.returncode == 0, first.stderr
    assert "http://127.0.0.1:8000/accounts/link/" in first.stdout  # nothing runs: AMPARO_SITE_URL's default
    (data / "serving.json").write_text(json.dumps({"pid": os.getpid(), "url": "http://127.0.0.1:18431"}))
    running = run(["createuser", "omar", "--network", "Red"], data)
    assert running.returncode == 0, running.stderr
    assert "http://127.0.0.1:18431/accounts/link/" in running.stdout, running.stdout
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    (data / "serving.json").write_text(json.dumps({"pid": int(gone.stdout), "url": "http://127.0.0.1:18431"}))
    stale = run(["createuser", "pia", "--network", "Red"], data)  # a run file left by a server that died
    assert stale.returncode == 0 and "http://127.0.0.1:8000/accounts/link/" in stale.stdout, stale.stdout


# --- INFO: names in public text fields ------------------------------------------------------------------------------

PRIVATE_NAME = "Marisol Quetzalcoatl-Ybarra"
PUBLIC_NAME = "Rosendo Tlacuilo"


@pytest.mark.django_db
def test_info_names_in_public_text_are_published_as_written_and_private_fields_never(
    personas: Personas,
) -> None:
    """The documented trade-off: the scrubber does not guess at names, so a name a coordinator writes into a public
    text field is published; a name anywhere else in the incident never reaches a public page or download."""
    make_incident(
        personas.north,
        location_type="healthcare",
        title=f"Arrest of {PRIVATE_NAME}",
        place_name=f"{PRIVATE_NAME}'s clinic",
        address="12 Elm Court",
        notes_private=f"{PRIVATE_NAME} was taken",
        notes_public=f"Neighbours say {PUBLIC_NAME} was taken outside the clinic.",
        official_claims=f"DHS named {PUBLIC_NAME} as the target.",
        evidence_response=f"A video shows {PUBLIC_NAME} walking calmly.",
        sources=[
            {"source_type": "local_news", "title": f"{PUBLIC_NAME} detained", "url": "", "public": True},
            {
                "source_type": "direct_witness",
                "title": f"Statement of {PRIVATE_NAME}",
                "url": "",
                "public": True,
            },
        ],
    )
    build = anonymise.rebuild()
    assert build.published == 1
    row = PublicIncident.objects.get()
    assert (
        PUBLIC_NAME in row.note
        and PUBLIC_NAME in row.official_claims
        and PUBLIC_NAME in row.evidence_response
    )
    client = Client()
    urls = [reverse("public:incident", args=[row.public_id]), reverse("public:incidents")]
    urls += [reverse("public:download", args=[name]) for name in DOWNLOADS]
    everything = ""
    for url in urls:
        response = client.get(url, {"lang": "en"})
        assert response.status_code == 200, url
        everything += body(response).decode()
    assert PUBLIC_NAME in everything
    assert "Marisol" not in everything and "Quetzalcoatl" not in everything and "Elm Court" not in everything


# --- What held: the review's sweeps, kept in the suite --------------------------------------------------------------


def private_urls(personas: Personas) -> list[tuple[str, str]]:
    """Every private URL: each route with made-up ids, and each object URL with a real record of Red Norte."""
    from tests.test_urls import ALL, object_urls, sample_path

    skip = {"accounts:logout", "accounts:otp", "accounts:otp_setup", "set_language"}
    urls = [(name, sample_path(route)) for name, route, _p in ALL if name not in PUBLIC_URL_NAMES | skip]
    urls += [(f"{name} (record)", make(personas)) for name, make in object_urls().items() if name not in skip]
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["alice", "vera", "omar", "carla", "lena"])
def test_held_a_half_signed_in_session_reaches_no_private_page(personas: Personas, name: str) -> None:
    """Past the password but not the code, every private URL (GET and POST, made-up and real ids) sends the member
    to the two-step page and nothing else happens."""
    from amparo.audit.models import AuditEvent

    client = signed_in_client(personas[name], two_factor=False)
    urls = private_urls(personas)
    events = AuditEvent.objects.count()  # after the records the object URLs need are made
    assert len(urls) > 50
    two_step = {reverse("accounts:otp"), reverse("accounts:otp_setup")}
    for label, url in urls:
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 302 and response["Location"] in two_step, (label, url)
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_held_every_post_without_a_good_csrf_token_or_from_another_origin_is_refused(
    personas: Personas,
) -> None:
    """No token, a wrong token, or a good token sent from a foreign origin: 403 on every POST a signed-in member can
    make, as the review's 864 POSTs found."""
    from amparo.audit.models import AuditEvent

    client = signed_in_client(personas["alice"], enforce_csrf_checks=True)
    assert client.get(reverse("accounts:members")).status_code == 200
    good = client.cookies["csrftoken"].value
    urls = [*private_urls(personas), ("accounts:login", reverse("accounts:login"))]
    events = AuditEvent.objects.count()
    for label, url in urls:
        refused = [
            client.post(url, {}),
            client.post(url, {"csrfmiddlewaretoken": "x" * 32}),
            client.post(url, {"csrfmiddlewaretoken": good}, HTTP_ORIGIN="https://evil.example"),
        ]
        assert [r.status_code for r in refused] == [403, 403, 403], (label, url)
    assert AuditEvent.objects.count() == events
    control = client.post(reverse("accounts:members"), {"csrfmiddlewaretoken": good, "role": "verifier"})
    assert control.status_code != 403  # the token itself works: the 403s above mean something
