"""Demo evidence: a few generated photos (with EXIF and GPS) and short videos per network, one with a problem."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from amparo.evidence import log, vault
from amparo.evidence.samples import jpeg_with_gps, short_video


def populate(ctx: Any) -> None:
    total = 0
    codes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="amparo-demo-") as tmp:
        for n, network in enumerate(ctx.networks):
            operator = ctx.member(network, "operator").user
            coordinator = ctx.member(network, "coordinator").user
            reports = _reports(network)
            items = []
            for i in range(3 * ctx.size):
                seed = ctx.rng.randrange(1 << 30)
                lat = (34 + n, ctx.rng.randrange(60), ctx.rng.randrange(6000) / 100)
                photo = jpeg_with_gps(seed=seed, lat=lat, size=(640, 480))
                report = reports[i % len(reports)] if reports else None
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
            video = short_video(Path(tmp) / f"clip{n}.mp4", seconds=3.0, seed=ctx.rng.randrange(1 << 30))
            items.append(  # with the first report's photo, so its incident has a picture and a video to compare
                vault.ingest(
                    io.BytesIO(video),
                    network=network,
                    filename="VID_0001.mp4",
                    actor=operator,
                    report=reports[0] if reports else None,
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


def _reports(network: Any) -> list[Any]:
    try:
        from amparo.incidents.models import Report
    except ImportError:  # incidents not installed in this build
        return []
    return list(Report.objects.filter(network=network).order_by("pk")[:10])
