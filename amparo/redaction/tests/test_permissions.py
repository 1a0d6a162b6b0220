"""The consent and approval rules as a matrix: roles x consent x state, through the pages and through the rules;
and publication only with consent + a second coordinator's approval + the public layer's embargo."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from amparo.evidence import consent, vault
from amparo.evidence.deletion import delete_original
from amparo.public import anonymise
from amparo.redaction import rules
from amparo.redaction.models import PublicClip, Redaction, State
from amparo.redaction.tests.helpers import Desk, face_jpeg, ingest, make_desk
from amparo.testing import Personas, signed_in_client

pytestmark = pytest.mark.django_db

ROLES = ("alice", "cora", "vera", "omar", "carla", "lena", "rita", "bob")
CONSENTS = {
    "none": (),
    "internal": ("internal",),
    "legal": ("legal",),
    "public": ("public",),
    "both": ("legal", "public"),
}
TRACK = [{"id": "f1", "label": "face", "source": "detector", "boxes": [[0, 10.0, 10.0, 50.0, 50.0, 0.9]]}]


def _member(desk: Desk, name: str) -> Any:
    return desk.cora if name == "cora" else desk.personas[name]


def _redaction(desk: Desk, item: Any, state: str, **fields: Any) -> Redaction:
    defaults: dict[str, Any] = {
        "network": desk.personas.north,
        "original": item,
        "state": state,
        "tracks": TRACK,
        "media": {"width": 320, "height": 320, "frames": 1, "fps": 0},
        "proposed_by": desk.alice.user,
        "editors": [desk.alice.user_id],
    }
    defaults.update(fields)
    return Redaction.objects.create(**defaults)


def test_who_may_ask_for_proposed_regions_by_role_and_consent(personas: Personas) -> None:
    desk = make_desk(personas)
    expected_status = {"omar": 403, "lena": 403, "bob": 404}  # no evidence.view / another network's file
    for consent_name, uses in CONSENTS.items():
        item = ingest(desk, face_jpeg(size=256 + len(consent_name)), uses=uses)
        for name in ROLES:
            member = desk.cora if name == "cora" else desk.personas[name]
            before = Redaction.objects.count()
            response = signed_in_client(member, HTTP_ACCEPT_LANGUAGE="en").post(
                f"/evidence/{item.code}/redact/"
            )
            created = Redaction.objects.count() - before
            allowed = name in ("alice", "cora", "vera") and "public" in uses
            # alice opens it first; cora and vera then find it open already ("busy") and are sent back
            first = name == "alice"
            if name in expected_status:
                assert response.status_code == expected_status[name], (name, consent_name)
                assert created == 0
            elif allowed and first:
                assert response.status_code == 302 and "/redaction/" in response["Location"], (
                    name,
                    consent_name,
                )
                assert created == 1
            else:
                assert response.status_code == 302 and f"/evidence/{item.code}/" in response["Location"]
                assert created == 0, (name, consent_name)
    # a file that is not a picture or a video is never proposed
    audio = vault.ingest(
        io.BytesIO(b"ID3" + b"\0" * 200), network=personas.north, filename="a.mp3", consent_uses=["public"]
    )
    assert not rules.may_propose(audio, desk.alice)


EDIT = {State.PROPOSED, State.IN_REVIEW}


@pytest.mark.parametrize("state", [s for s, _label in State.choices])
def test_the_state_by_role_matrix_of_edit_submit_approve_reject(personas: Personas, state: str) -> None:
    desk = make_desk(personas)
    item = ingest(desk, face_jpeg())
    redaction = _redaction(desk, item, state)  # alice edited it
    for name in ("alice", "cora", "vera", "carla", "rita"):
        member = _member(desk, name)
        proposer = name in ("alice", "cora", "vera")
        coordinator = name in ("alice", "cora")
        assert bool(rules.may_edit(redaction, member)) == (proposer and state in EDIT), (name, state)
        assert bool(rules.may_submit(redaction, member)) == (proposer and state == State.PROPOSED), (
            name,
            state,
        )
        four_eyes = coordinator and name != "alice"
        assert bool(rules.may_approve(redaction, member)) == (four_eyes and state == State.IN_REVIEW), (
            name,
            state,
        )
        may_reject = coordinator and state in (State.PROPOSED, State.IN_REVIEW, State.FAILED)
        assert bool(rules.may_reject(redaction, member)) == may_reject, (name, state)
    if state == State.IN_REVIEW:
        refusal = rules.may_approve(redaction, desk.alice)
        with translation.override("en"):
            assert refusal.reason == "same_person" and "second coordinator" in refusal.explanation
        with translation.override("de"):
            assert "zweite Koordinatorin" in refusal.explanation


@pytest.mark.parametrize("consent_name", list(CONSENTS))
def test_nothing_is_edited_or_approved_once_publication_consent_is_missing(
    personas: Personas, consent_name: str
) -> None:
    desk = make_desk(personas)
    item = ingest(desk, face_jpeg(), uses=("public",))
    redaction = _redaction(desk, item, State.IN_REVIEW)
    consent.record_consent(
        item, CONSENTS[consent_name], desk.alice.user, basis="call"
    )  # the witness changed it
    redaction.refresh_from_db()
    public = "public" in CONSENTS[consent_name]
    assert bool(rules.may_edit(redaction, desk.vera)) == public
    assert bool(rules.may_approve(redaction, desk.cora)) == public
    if not public:
        assert rules.may_approve(redaction, desk.cora).consent_reason


def test_the_editor_cannot_approve_through_the_page_and_a_second_coordinator_can(personas: Personas) -> None:
    desk = make_desk(personas)
    item = ingest(desk, face_jpeg())
    redaction = _redaction(desk, item, State.IN_REVIEW, submitted_by=desk.alice.user)
    page = signed_in_client(desk.alice, HTTP_ACCEPT_LANGUAGE="en").post(
        f"/redaction/{redaction.code}/decide/?lang=en", {"decision": "approve"}, follow=True
    )
    assert "a second coordinator must approve" in page.content.decode()
    redaction.refresh_from_db()
    assert redaction.state == State.IN_REVIEW and redaction.decided_by is None
    assert (
        signed_in_client(desk.vera, HTTP_ACCEPT_LANGUAGE="en")
        .post(f"/redaction/{redaction.code}/decide/", {"decision": "approve"})
        .status_code
        == 403
    )
    assert (
        signed_in_client(desk.personas["bob"], HTTP_ACCEPT_LANGUAGE="en")
        .post(f"/redaction/{redaction.code}/decide/", {"decision": "approve"})
        .status_code
        == 404
    )
    signed_in_client(desk.cora, HTTP_ACCEPT_LANGUAGE="en").post(
        f"/redaction/{redaction.code}/decide/", {"decision": "approve", "note": "checked every frame"}
    )
    redaction.refresh_from_db()
    assert redaction.state == State.APPROVED and redaction.decided_by == desk.cora.user
    assert redaction.decision_note == "checked every frame"
    from amparo.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="redaction.approved", actor=desk.cora.user).exists()


def _approved_with_copy(desk: Desk, **fields: Any) -> Redaction:
    """An approved redaction whose copy is already stored (the renderer is tested in test_flow)."""
    item = ingest(desk, face_jpeg())
    copy = vault.ingest(
        io.BytesIO(face_jpeg(size=200)), network=desk.personas.north, filename="c.jpg", report=desk.report,
        source="redaction", consent_uses=["public"],
    )  # fmt: skip
    event = vault.record_custody(item, "redacted", desk.cora.user, copy_sha256=copy.sha256)
    return _redaction(
        desk, item, State.APPROVED, decided_by=desk.cora.user, decided_at=timezone.now(), copy_item=copy,
        custody_log_index=event.log_index, **fields,
    )  # fmt: skip


def test_a_copy_is_public_only_with_consent_a_second_approval_and_the_embargo_passed(
    personas: Personas,
) -> None:
    desk = make_desk(personas)
    good = _approved_with_copy(desk)
    anonymise.rebuild()
    assert list(PublicClip.objects.values_list("redaction_id", flat=True)) == [good.pk]

    # the same coordinator who edited "approved" it (written around the rules): never public
    Redaction.objects.filter(pk=good.pk).update(decided_by=desk.alice.user)
    anonymise.rebuild()
    assert not PublicClip.objects.exists()
    Redaction.objects.filter(pk=good.pk).update(decided_by=desk.cora.user)

    # rejected, or not approved yet: never public
    for state in (State.REJECTED, State.IN_REVIEW):
        Redaction.objects.filter(pk=good.pk).update(state=state)
        anonymise.rebuild()
        assert not PublicClip.objects.exists(), state
    Redaction.objects.filter(pk=good.pk).update(state=State.APPROVED)

    # the incident under its embargo, or not marked public: the copy waits with it
    incident = desk.incident
    for change in ({"start_at": timezone.now() - dt.timedelta(hours=1)}, {"publish_status": "internal"}):
        saved = {k: getattr(incident, k) for k in change}
        type(incident).objects.filter(pk=incident.pk).update(**change)
        anonymise.rebuild()
        assert not PublicClip.objects.exists(), change
        type(incident).objects.filter(pk=incident.pk).update(**saved)
    anonymise.rebuild()
    assert PublicClip.objects.count() == 1

    # the witness withdraws publication consent: the page and the file stop at once, the row at the next rebuild
    clip = PublicClip.objects.get()
    assert Client().get(f"/public/clips/{clip.sha256}.jpg").status_code == 200
    consent.record_consent(good.original, ["internal"], desk.alice.user, basis="call")
    assert Client().get(f"/public/clips/{clip.sha256}.jpg").status_code == 404
    assert clip.sha256 not in Client().get(f"/public/incidents/{clip.public_id}/").content.decode()
    assert Client().get(f"/public/clips/{clip.sha256}.redaction.tlog-proof").status_code == 404
    anonymise.rebuild()
    assert not PublicClip.objects.exists()
    consent.record_consent(good.original, ["public"], desk.alice.user, basis="call")
    anonymise.rebuild()
    assert PublicClip.objects.count() == 1

    # the original deleted on an authorised request: gone too
    delete_original(
        good.original, reason="witness_withdrew", authority="witness by follow-up code", actor=desk.alice.user
    )
    anonymise.rebuild()
    assert not PublicClip.objects.exists()
