"""The desk's pages: the review page with and without the editor, the list, the evidence page's panel, the public
"how to check" page; and bad input that changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from amparo.redaction import actions
from amparo.redaction.models import Redaction, State
from amparo.redaction.tests.helpers import face_jpeg, ingest, make_desk
from amparo.testing import Personas, signed_in_client

pytestmark = pytest.mark.django_db


def _proposed(personas: Personas, commit: Any) -> tuple[Any, Redaction]:
    desk = make_desk(personas)
    item = ingest(desk, face_jpeg())
    with commit(execute=True):
        redaction = actions.do_request_proposal(item, desk.alice)
    redaction.refresh_from_db()
    assert redaction.state == State.PROPOSED
    return desk, redaction


def test_the_review_page_lists_the_tracks_and_carries_them_for_the_editor(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    desk, redaction = _proposed(personas, django_capture_on_commit_callbacks)
    client = signed_in_client(desk.alice, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(f"/redaction/{redaction.code}/?lang=en")
    assert page.status_code == 200
    html = page.content.decode()
    track = redaction.tracks[0]
    assert f'name="keep" value="{track["id"]}" checked' in html  # the list without the script
    assert 'id="redact-canvas"' in html and "redaction/review.js" in html
    start = html.index('<script id="redact-data" type="application/json">') + len(
        '<script id="redact-data" type="application/json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["tracks"] == redaction.tracks and data["media"]["width"] == 320
    evidence = client.get(f"/evidence/{redaction.original.code}/?lang=en").content.decode()
    assert f"/redaction/{redaction.code}/" in evidence  # the evidence page leads to its redaction
    assert client.get("/redaction/?lang=en").status_code == 200


def test_without_the_script_unticking_a_track_drops_it_and_submit_sends_it_for_approval(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    desk, redaction = _proposed(personas, django_capture_on_commit_callbacks)
    client = signed_in_client(desk.alice, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(f"/redaction/{redaction.code}/save/", {"style": "box", "then": "submit"})
    assert response.status_code == 302
    redaction.refresh_from_db()
    assert redaction.tracks == [] and redaction.style == "box" and redaction.state == State.IN_REVIEW
    assert redaction.editors == [desk.alice.user_id]


def test_bad_tracks_are_refused_with_a_message_and_change_nothing(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    desk, redaction = _proposed(personas, django_capture_on_commit_callbacks)
    before = redaction.tracks
    client = signed_in_client(desk.alice, HTTP_ACCEPT_LANGUAGE="en")
    for bad in ("not json", json.dumps({"a": 1}), json.dumps([{"boxes": [[0, "x", 1, 2, 3, 1]]}])):
        response = client.post(
            f"/redaction/{redaction.code}/save/", {"tracks": bad, "style": "blur"}, follow=True
        )
        assert response.status_code == 200
        assert "could not be read" in response.content.decode()
    redaction.refresh_from_db()
    assert redaction.tracks == before and redaction.edited_by is None and redaction.editors == []


def test_the_how_to_check_page_is_public_and_explains_each_step() -> None:
    page = Client().get("/public/clips/how-to-check/?lang=en")
    assert page.status_code == 200
    for step in (b"sha256sum", b"tlog-proof", b"C2PA", b"leaf hash"):
        assert step in page.content
    assert Client().get("/public/clips/" + "0" * 64 + ".jpg").status_code == 404


def test_a_video_without_its_viewing_copy_yet_waits_instead_of_showing_a_broken_editor(
    personas: Personas, tmp_path: Any, settings: Any
) -> None:
    from amparo.redaction.tests.helpers import face_video

    desk = make_desk(personas)
    item = ingest(desk, face_video(tmp_path / "clip.mp4"), name="clip.mp4")  # no commit: no viewing copy made
    settings.DERIVED_DIR = tmp_path / "no-copies-here"
    redaction = Redaction.objects.create(
        network=item.network, original=item, proposed_by=desk.alice.user, state=State.PROPOSED
    )
    html = (
        signed_in_client(desk.alice, HTTP_ACCEPT_LANGUAGE="en")
        .get(f"/redaction/{redaction.code}/")
        .content.decode()
    )
    assert "still being made" in html and 'http-equiv="refresh"' in html
    assert 'id="redact-media"' not in html


@pytest.mark.parametrize(("lang", "word"), [("en", "capped"), ("es", "recortada"), ("de", "gekappt")])
def test_a_proposal_that_kept_only_the_strongest_boxes_says_capped(
    personas: Personas, django_capture_on_commit_callbacks: Any, lang: str, word: str
) -> None:
    desk, redaction = _proposed(personas, django_capture_on_commit_callbacks)
    client = signed_in_client(desk.alice, HTTP_ACCEPT_LANGUAGE=lang)
    assert (
        'id="redact-capped"' not in client.get(f"/redaction/{redaction.code}/?lang={lang}").content.decode()
    )
    redaction.proposed = {**redaction.proposed, "text_capped": 3}
    redaction.save(update_fields=["proposed"])
    html = client.get(f"/redaction/{redaction.code}/?lang={lang}").content.decode()
    assert 'id="redact-capped"' in html and f">{word}</span>" in html


def test_a_proposal_of_more_tracks_than_a_page_holds_keeps_the_faces_and_the_strongest(
    personas: Personas, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A grainy file can still give more tracks than a page holds: the proposal keeps faces first, then the
    strongest writing, and says it was capped, instead of failing."""
    from amparo.media import redact
    from amparo.media.redact import Box, Proposal, Track

    def propose(path: Any, *, kind: str) -> Proposal:
        writing = [
            Track(f"t{n}", "text", [Box(0, n % 300, 10, 8, 8, (n % 100) / 100)])
            for n in range(actions.MAX_TRACKS + 20)
        ]
        return Proposal(
            "image", 320, 320, 0.0, 1, [*writing, Track("f1", "face", [Box(0, 5, 5, 40, 40, 0.3)])]
        )

    monkeypatch.setattr(redact, "propose", propose)
    desk = make_desk(personas)
    item = ingest(desk, face_jpeg())
    with django_capture_on_commit_callbacks(execute=True):
        redaction = actions.do_request_proposal(item, desk.alice)
    redaction.refresh_from_db()
    assert redaction.state == State.PROPOSED and redaction.capped
    assert len(redaction.tracks) == actions.MAX_TRACKS and redaction.tracks[0]["id"] == "f1"
    assert min(t["boxes"][0][5] for t in redaction.tracks[1:]) >= 0.03  # the 21 weakest were left out
