"""In a real Chromium: the incident page shows evidence thumbnails and the side-by-side viewer plays the video copy."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from amparo.browser import browser, screenshot, sign_in, watch_problems
from amparo.evidence import derived, vault
from amparo.evidence.samples import jpeg_with_gps, short_video
from amparo.incidents.tests.factories import make_incident, make_report
from amparo.testing import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_thumbnails_and_a_playing_video_copy(live_server: Any, personas: Personas, tmp_path: Path) -> None:
    base = str(live_server)
    incident = make_incident(personas.north, title="Clinic on Ashland")
    report = make_report(personas.north, incident=incident)
    photo = vault.ingest(io.BytesIO(jpeg_with_gps(size=(800, 600))), network=personas.north, report=report)
    clip = short_video(tmp_path / "clip.mp4", seconds=3.0)
    video = vault.ingest(io.BytesIO(clip), network=personas.north, filename="clip.mp4", report=report)
    assert derived.existing(video, "view") is not None  # made right after ingest (tasks run immediately here)

    with browser() as context:
        page = context.new_page()
        problems = watch_problems(page)
        sign_in(context, base, personas["vera"])

        page.goto(f"{base}/incidents/{incident.code}/?lang=en")
        thumbs = page.locator("ul.evidence img")
        assert thumbs.count() == 2
        for i in range(2):
            thumbs.nth(i).scroll_into_view_if_needed()
            page.wait_for_function(
                "img => img.complete && img.naturalWidth > 0", arg=thumbs.nth(i).element_handle()
            )
        widths = sorted(thumbs.nth(i).evaluate("img => img.naturalWidth") for i in range(2))
        assert widths == [160, 320]  # the video's 160 px frame, the photo's 320 px thumbnail
        screenshot(page, "evidence-thumbnails")

        page.goto(f"{base}/incidents/{incident.code}/compare/?a={photo.code}&b={video.code}&lang=en")
        player = page.locator(".compare video")
        player.wait_for()
        page.wait_for_function("v => v.readyState >= 2 && v.videoWidth > 0", arg=player.element_handle())
        assert player.evaluate("v => [v.videoWidth, v.videoHeight]") == [160, 120]
        assert player.evaluate("v => v.duration") == pytest.approx(3.0, abs=0.5)
        assert page.locator(".compare img").evaluate("img => img.naturalWidth") == 800
        screenshot(page, "evidence-compare")
        assert not problems, problems
