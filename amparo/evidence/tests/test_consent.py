"""The one consent decision (amparo/evidence/consent.py), what each source is stored with, and recording consent."""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.evidence import consent, log, vault
from amparo.evidence.models import EvidenceItem
from amparo.evidence.samples import jpeg_with_gps
from amparo.incidents.models import Report
from amparo.intake.models import ReportExtra
from amparo.testing import Personas


@pytest.mark.parametrize(
    ("uses", "source", "door", "allowed", "reason"),
    [
        ([], "upload", "internal", True, ""),
        (["internal"], "upload", "internal", True, ""),
        (["internal"], "upload", "legal", False, "internal_only"),
        (["internal"], "upload", "public", False, "internal_only"),
        ([], "import", "legal", False, "no_consent_recorded"),
        (["internal", "legal"], "upload", "legal", True, ""),
        (["internal", "legal"], "upload", "public", False, "no_public_consent"),
        (["internal", "public"], "upload", "legal", False, "no_legal_consent"),
        (["internal", "public"], "upload", "public", True, ""),
        (["internal", "legal", "public"], "upload", "legal", True, ""),
        (["legal"], "upload", "legal", True, ""),  # legal brings internal with it
        (["internal", "legal", "public"], "upload", "partner", False, "not_sent_by_partner"),
        ([], "api", "partner", True, ""),
    ],
)
def test_may_leave_decides_each_door(
    uses: list[str], source: str, door: str, allowed: bool, reason: str
) -> None:
    decision = consent.may_leave(EvidenceItem(consent_uses=uses, source=source), door)
    assert (decision.allowed, decision.reason) == (allowed, reason)
    assert bool(decision) is allowed
    assert (decision.explanation == "") is allowed and (decision.explanation_en == "") is allowed


def test_an_unknown_door_is_an_error_not_a_yes() -> None:
    with pytest.raises(ValueError, match="unknown use"):
        consent.may_leave(EvidenceItem(consent_uses=["internal", "legal", "public"]), "press")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "given", "stored", "level"),
    [
        ("upload", ["internal", "public"], ["internal", "public"], "public"),
        ("upload", ["internal", "legal", "public"], ["internal", "legal", "public"], "public"),
        ("operator", ["internal"], ["internal"], "internal"),
        ("cli", ["legal"], ["internal", "legal"], "legal_use"),
        (
            "api",
            ["internal", "legal", "public"],
            [],
            "none",
        ),  # a partner's statement is not the source's consent
        ("import", ["internal", "legal"], [], "none"),
    ],
)
def test_what_each_source_is_stored_with(
    personas: Personas, source: str, given: list[str], stored: list[str], level: str
) -> None:
    item = vault.ingest(
        io.BytesIO(b"a note " + source.encode()), network=personas.north, source=source, consent_uses=given
    )
    item.refresh_from_db()
    assert (item.consent_uses, item.consent) == (stored, level)


@pytest.mark.django_db
def test_an_unknown_use_is_refused_at_ingest_and_nothing_is_stored(personas: Personas) -> None:
    with pytest.raises(ValueError, match="unknown consent use"):
        vault.ingest(io.BytesIO(b"x"), network=personas.north, consent_uses=["internal", "press"])
    assert not EvidenceItem.objects.exists()


@pytest.mark.django_db
def test_the_command_line_records_the_uses_it_is_given(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from amparo.cli import main

    path = tmp_path / "IMG.jpg"
    path.write_bytes(jpeg_with_gps(seed=5))
    assert main(["evidence", "add", str(path), "--network", "Red Norte", "--consent", "internal,legal"]) == 0
    assert EvidenceItem.objects.get().consent_uses == ["internal", "legal"]
    with pytest.raises(SystemExit):
        main(["evidence", "add", str(path), "--network", "Red Norte", "--consent", "press"])
    assert "give uses among internal, legal, public" in capsys.readouterr().err
    assert EvidenceItem.objects.count() == 1


@pytest.fixture
def item(personas: Personas) -> EvidenceItem:
    made = vault.ingest(
        io.BytesIO(jpeg_with_gps(seed=8)), network=personas.north, filename="a.jpg", source="api"
    )
    log.integrate_pending()
    return made


@pytest.mark.django_db
def test_a_coordinator_records_the_consent_the_source_gave_and_it_is_audited(
    item: EvidenceItem, client_as: Callable[..., Client]
) -> None:
    alice = client_as("alice")
    page = alice.get(reverse("evidence:detail", args=[item.code])).content.decode()
    assert "No se registró ningún consentimiento para este archivo" in page  # alice reads Spanish
    assert "Registrar el consentimiento que dio la fuente" in page
    assert (
        alice.post(reverse("evidence:bundle", args=[item.code])).status_code == 302
    )  # nothing may leave yet
    response = alice.post(
        reverse("evidence:consent", args=[item.code]), {"uses": ["legal"], "basis": "writing"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.consent_uses, item.consent) == (["internal", "legal"], "legal_use")
    event = AuditEvent.objects.get(action="evidence.consent_recorded", object_code=str(item.code))
    assert event.detail == {"before": [], "after": ["internal", "legal"], "basis": "writing"}
    assert event.actor == item.network.memberships.get(user__username="alice").user
    bundle = alice.post(reverse("evidence:bundle", args=[item.code]))
    assert bundle.status_code == 200 and bundle["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
def test_recording_consent_without_saying_how_changes_nothing(
    item: EvidenceItem, client_as: Callable[..., Client]
) -> None:
    alice = client_as("alice")
    response = alice.post(
        reverse("evidence:consent", args=[item.code]), {"uses": ["legal", "public"]}, follow=True
    )
    assert "No se registró el consentimiento: indique cómo lo dio la fuente." in response.content.decode()
    for bad in ({"uses": ["press"], "basis": "writing"}, {"uses": ["legal"], "basis": "rumour"}):
        alice.post(reverse("evidence:consent", args=[item.code]), bad)
    item.refresh_from_db()
    assert (
        item.consent_uses == [] and not AuditEvent.objects.filter(action="evidence.consent_recorded").exists()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "status"),
    [("carla", 302), ("vera", 403), ("rita", 403), ("omar", 403), ("lena", 403), ("bob", 404)],
)
def test_who_may_record_consent(
    item: EvidenceItem, client_as: Callable[..., Client], name: str, status: int
) -> None:
    response = client_as(name).post(
        reverse("evidence:consent", args=[item.code]), {"uses": ["legal"], "basis": "call"}
    )
    assert response.status_code == status
    item.refresh_from_db()
    assert (item.consent_uses == ["internal", "legal"]) is (status == 302)


@pytest.mark.django_db
def test_narrowing_consent_takes_effect_at_the_next_exit(personas: Personas, tmp_path: Path) -> None:
    made = vault.ingest(
        io.BytesIO(jpeg_with_gps(seed=9)), network=personas.north, consent_uses=["internal", "legal"]
    )
    consent.record_consent(made, [], personas.user("alice"), basis="call")  # the witness changed their mind
    withheld = vault.build_bundle([made], tmp_path / "b.zip", personas.user("alice"))
    assert [(i.pk, d.reason) for i, d in withheld] == [(made.pk, "internal_only")]


@pytest.mark.django_db
def test_the_migration_reads_public_as_legal_only_where_the_form_said_legal(personas: Personas) -> None:
    backfill = importlib.import_module("amparo.evidence.migrations.0003_consent_uses").backfill
    both = Report.objects.create(network=personas.north, channel="web_form")
    ReportExtra.objects.create(report=both, consent_uses=["internal", "legal", "public"])
    only_public = Report.objects.create(network=personas.north, channel="web_form")
    made = {}
    for name, level, source, report in [
        ("both", "public", "upload", both),
        ("public", "public", "upload", only_public),
        ("legal", "legal_use", "upload", None),
        ("api", "legal_use", "api", None),
    ]:
        made[name] = vault.ingest(io.BytesIO(name.encode()), network=personas.north, report=report)
        EvidenceItem.objects.filter(pk=made[name].pk).update(consent=level, source=source, consent_uses=[])
    backfill(apps, None)
    got = {
        n: EvidenceItem.objects.values_list("consent_uses", flat=True).get(pk=i.pk) for n, i in made.items()
    }
    assert got == {
        "both": ["internal", "legal", "public"],
        "public": ["internal", "public"],
        "legal": ["internal", "legal"],
        "api": [],
    }


@pytest.mark.django_db
def test_verify_fails_a_bundle_that_calls_an_included_item_withheld(
    personas: Personas, tmp_path: Path
) -> None:
    """A forged ``withheld`` entry cannot hide an item that is in the bundle (SHA256SUMS rewritten to match)."""
    import hashlib
    import json
    import zipfile

    from amparo.evidence.offline import verify_bundle

    made = vault.ingest(io.BytesIO(jpeg_with_gps(seed=10)), network=personas.north, consent_uses=["legal"])
    good = tmp_path / "good.zip"
    vault.build_bundle([made], good, None)
    assert verify_bundle(good).ok
    with zipfile.ZipFile(good) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(files["manifest.json"])
    manifest["withheld"] = [{"id": str(made.code), "reason": "internal_only"}]
    files["manifest.json"] = json.dumps(manifest).encode()
    files["SHA256SUMS"] = "".join(
        f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in sorted(files.items()) if n != "SHA256SUMS"
    ).encode()
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    report = verify_bundle(bad)
    assert f"manifest.json: item {made.code} is listed as withheld and also included" in report.failures
