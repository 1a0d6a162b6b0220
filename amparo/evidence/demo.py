"""Demo evidence: per network, photos of the scene of its first reports (street, vehicles, people, a sign; EXIF time
and GPS at the report's place), a short video of the same scene, and one cut-off upload whose metadata fails."""

from __future__ import annotations

import io
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from amparo import demo_media
from amparo.evidence import log, vault


def populate(ctx: Any) -> None:
    total = 0
    codes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="amparo-demo-") as tmp:
        for n, network in enumerate(ctx.networks):
            story = ctx.story(network)
            operator = ctx.member(network, "operator").user
            coordinator = ctx.member(network, "coordinator").user
            reports = _reports(network)
            items = []
            for i in range(3 * ctx.size):
                report = reports[i % len(reports)] if reports else None
                place = _place_of(story, report, i)
                taken = (report.received_at if report else timezone.now()) - timedelta(minutes=20 + 7 * i)
                local = taken + _offset(story.utc_offset)
                photo = demo_media.photo(
                    seed=ctx.rng.randrange(1 << 30),
                    lat=place.lat + ctx.rng.uniform(-0.0005, 0.0005),
                    lon=place.lon + ctx.rng.uniform(-0.0005, 0.0005),
                    when=local.replace(tzinfo=None),
                    utc_offset=story.utc_offset,
                    sign=place.sign,
                )
                items.append(
                    vault.ingest(
                        io.BytesIO(photo),
                        network=network,
                        filename=f"IMG_{1000 + i:04d}.JPG",
                        actor=operator,
                        report=report,
                        consent="legal_use" if i % 2 else "internal",
                        source="demo",
                    )
                )
            first = reports[0] if reports else None
            place = _place_of(story, first, 0)
            when = (first.received_at if first else timezone.now()) - timedelta(minutes=15)
            video = demo_media.video(
                Path(tmp) / f"clip{n}.mp4", seed=ctx.rng.randrange(1 << 30), when=when, sign=place.sign
            )
            items.append(  # with the first report's photo, so its incident has a picture and a video to compare
                vault.ingest(
                    io.BytesIO(video),
                    network=network,
                    filename="VID_0001.mp4",
                    actor=operator,
                    report=first,
                    source="demo",
                )
            )
            items.append(  # a cut-off upload: kept as evidence, its metadata failure recorded
                vault.ingest(
                    io.BytesIO(video[: len(video) // 3]),
                    network=network,
                    filename="VID_0002.mp4",
                    source="demo",
                )
            )
            vault.record_custody(items[0], "viewed", coordinator)
            total += len(items)
            codes.append(items[0].receipt_code)
    size = log.integrate_pending()
    ctx.lines.append(
        f"Evidence: {total} files stored; public log at {size} entries; try receipt code {codes[0]} at /receipt/."
    )


def _offset(text: str) -> timedelta:
    sign = -1 if text.startswith("-") else 1
    hours, minutes = text.lstrip("+-").split(":")
    return sign * timedelta(hours=int(hours), minutes=int(minutes))


def _place_of(story: Any, report: Any, i: int) -> Any:
    """The story's place the report names (its words), else one of the story's places."""
    words = getattr(report, "place_text", "") or ""
    return next((p for p in story.places if p.words == words), story.places[i % len(story.places)])


def _reports(network: Any) -> list[Any]:
    try:
        from amparo.incidents.models import Report
    except ImportError:  # incidents not installed in this build
        return []
    return list(Report.objects.filter(network=network).order_by("pk")[:10])
