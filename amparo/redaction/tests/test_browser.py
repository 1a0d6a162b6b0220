"""In a real Chromium: a verifier takes a witness video from the evidence page to a redaction sent for approval (the
editor driven by keyboard and pointer, on a 360 px phone and on a desktop), a second coordinator approves it, and the
incident's public page plays the redacted clip with its receipt and the "how to check this" link."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from amparo.browser import browser, screenshot, sign_in, watch_problems
from amparo.evidence import store
from amparo.public import anonymise
from amparo.redaction import signing
from amparo.redaction.models import PublicClip, Redaction, State
from amparo.redaction.tests.helpers import face_video, ingest, make_desk
from amparo.testing import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _canvas_ready(page: Any) -> None:
    page.wait_for_function("() => document.getElementById('redact-canvas').dataset.ready === '1'")


def test_review_on_a_phone_then_approval_by_a_second_coordinator_then_the_public_clip(
    live_server: Any, personas: Personas, tmp_path: Path
) -> None:
    base = str(live_server)
    desk = make_desk(personas)
    item = ingest(desk, face_video(tmp_path / "clip.mp4", seconds=2.0), name="clip.mp4")

    with browser() as context:
        page = context.new_page()
        problems = watch_problems(page)
        page.set_viewport_size({"width": 360, "height": 780})
        sign_in(context, base, desk.vera)

        # the evidence page offers the redaction; the detector runs as a background task and the page refreshes
        page.goto(f"{base}/evidence/{item.code}/?lang=en")
        page.get_by_role("button", name="Hide faces and plates for publication").click()
        page.wait_for_url("**/redaction/**")
        _canvas_ready(page)
        redaction = Redaction.objects.get(original=item)
        assert redaction.state == State.PROPOSED and redaction.tracks
        proposed = redaction.tracks[0]
        tracks = page.locator("#redact-tracks button")
        assert tracks.count() == len(redaction.tracks)
        assert page.locator("#redact-fallback").is_hidden()  # the no-script list gives way to the editor
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= 360, f"the review page is {width} px wide on a 360 px phone"
        screenshot(page, "redaction-review-phone")

        # the first proposed track is drawn on the canvas where its box is (scaled to the shown size)
        tracks.first.click()
        box = redaction.tracks[0]["boxes"][0]
        # a video seeks asynchronously: go on only once the page says it shows the box's own frame (the keys below
        # edit the frame on screen, and a neighbour frame would get a key of its own)
        for _attempt in range(20):
            # change the value each time: filling in the value already there sends no input event
            page.locator("#redact-seek").fill(str(box[0] + 1))
            page.locator("#redact-seek").fill(str(box[0]))
            page.wait_for_timeout(300)
            if page.locator("#redact-frame-label").inner_text().startswith(f"Frame {box[0] + 1} of "):
                break
        assert page.locator("#redact-frame-label").inner_text().startswith(f"Frame {box[0] + 1} of ")
        colours = page.evaluate(
            """([x, y, h, w]) => {
                const c = document.getElementById('redact-canvas');
                const k = c.clientWidth / w, r = window.devicePixelRatio || 1;
                const px = Math.round(x * k * r), py = Math.round((y + h / 2) * k * r);
                return Array.from(c.getContext('2d').getImageData(px - 3, py - 3, 7, 7).data);
            }""",
            [box[1], box[2], box[4], redaction.media["width"]],
        )
        pixels = [colours[i : i + 4] for i in range(0, len(colours), 4)]
        yellow = [p for p in pixels if p[3] > 200 and p[0] > 200 and p[1] > 150 and p[2] < 80]
        assert yellow, pixels  # the selected track's yellow frame, on the left edge of its box

        # keyboard: move the selected track right, make it taller; add a region and delete it again
        canvas = page.locator("#redact-canvas")
        canvas.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Shift+ArrowDown")
        page.keyboard.press("n")
        assert tracks.count() == len(redaction.tracks) + 1
        page.keyboard.press("Delete")
        assert tracks.count() == len(redaction.tracks)
        # a region of our own, with the pointer: add, drag it, and make it cover frames up to the last one
        page.get_by_role("button", name="Add region").click()
        added = canvas.bounding_box()
        assert added is not None
        cx, cy = added["x"] + added["width"] / 2, added["y"] + added["height"] / 2
        page.mouse.move(cx, cy)
        page.mouse.down()
        page.mouse.move(cx - 30, cy - 20, steps=5)
        page.mouse.up()
        page.locator("#redact-seek").fill(str(redaction.media["frames"] - 1))
        page.wait_for_timeout(200)
        page.get_by_role("button", name="Hide until this frame").click()
        page.get_by_label("Solid box").check()
        page.get_by_role("button", name="Save and send for approval").click()
        page.wait_for_url("**/redaction/**")
        assert "Saved and sent to a second coordinator" in page.content()

        redaction.refresh_from_db()
        assert redaction.state == State.IN_REVIEW and redaction.style == "box"
        assert redaction.editors == [desk.vera.user_id]
        moved = next(t for t in redaction.tracks if t["id"] == proposed["id"])
        step = max(1, round(max(redaction.media["width"], redaction.media["height"]) / 100))
        key = next(b for b in moved["boxes"] if b[0] == box[0])
        assert key[1] == pytest.approx(box[1] + 3 * step, abs=0.05)
        assert key[4] == pytest.approx(box[4] + step, abs=0.05)
        mine = [t for t in redaction.tracks if t["source"] == "person" and t["id"].startswith("p")]
        assert len(mine) == 1 and mine[0]["boxes"][-1][0] == redaction.media["frames"] - 1
        assert (
            mine[0]["boxes"][0][1] < (redaction.media["width"] - redaction.media["width"] / 6) / 2
        )  # dragged left

        # the verifier cannot approve; a second coordinator (alice) does, on a desktop
        assert page.get_by_role("button", name="Approve and make the redacted copy").count() == 0
        context.clear_cookies()
        sign_in(context, base, desk.alice)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{base}/redaction/{redaction.code}/?lang=en")
        _canvas_ready(page)
        screenshot(page, "redaction-review-desktop")
        page.get_by_label("Note (optional)").fill("Checked every frame.")
        page.get_by_role("button", name="Approve and make the redacted copy").click()
        page.wait_for_url("**/redaction/**")
        redaction.refresh_from_db()
        assert redaction.state == State.APPROVED and redaction.decided_by == desk.alice.user
        assert redaction.copy_item is not None, redaction.render_error
        copy = redaction.copy_item
        named = signing.original_of(signing.read(store.open_original(copy.sha256).read(), "video/mp4"))
        assert named is not None and named.leaf_index == item.log_index

        # the public page of the incident plays the redacted clip, with its receipt and how to check it
        anonymise.rebuild()
        clip = PublicClip.objects.get()
        context.clear_cookies()
        page.goto(f"{base}/public/incidents/{clip.public_id}/?lang=en")
        player = page.locator(".redact-clip video")
        player.wait_for()
        page.wait_for_function("v => v.readyState >= 2 && v.videoWidth > 0", arg=player.element_handle())
        assert player.evaluate("v => v.videoWidth") == 320
        assert copy.sha256 in page.locator(".redact-clip figcaption").inner_text()
        receipt = page.get_by_role("link", name="Receipt (tlog-proof)").get_attribute("href")
        assert receipt == f"/public/clips/{copy.sha256}.redaction.tlog-proof"
        screenshot(page, "redaction-public-clip")
        page.get_by_role("link", name="How to check this").click()
        page.wait_for_url("**/how-to-check/**")
        assert copy.sha256 in page.content() and "sha256sum" in page.content()
        assert not problems, problems
