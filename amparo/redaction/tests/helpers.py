"""Real media with real faces for the redaction tests: scikit-image's astronaut photograph, as a JPEG with GPS in its
EXIF and as a short H.264 video in which the face moves; and the people and records a redaction needs."""

from __future__ import annotations

import io
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from PIL import Image

from amparo.accounts.models import Membership, User
from amparo.evidence import vault
from amparo.evidence.models import EvidenceItem
from amparo.testing import PASSWORD, Personas


def astronaut(size: int = 320) -> np.ndarray:
    from skimage import data

    return np.asarray(Image.fromarray(data.astronaut()).resize((size, size), Image.Resampling.BICUBIC))


def face_jpeg(size: int = 320) -> bytes:
    img = Image.fromarray(astronaut(size))
    exif = Image.Exif()
    exif[0x010F] = "TestMake"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (Fraction(41), Fraction(52), Fraction(30))
    gps[3], gps[4] = "W", (Fraction(87), Fraction(37), Fraction(5))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def face_video(path: Path, *, seconds: float = 1.5, fps: int = 10) -> bytes:
    """A 320x240 clip: the astronaut's face drifting right by 2 px a frame over a grey street."""
    face = astronaut(200)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for i in range(int(seconds * fps)):
            frame = np.full((240, 320, 3), 96, dtype=np.uint8)
            x = 20 + 2 * i
            frame[20:220, x : x + 200] = face
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path.read_bytes()


@dataclass
class Desk:
    personas: Personas
    cora: Membership  # a second coordinator of Red Norte
    incident: Any
    report: Any

    @property
    def alice(self) -> Membership:
        return self.personas["alice"]

    @property
    def vera(self) -> Membership:
        return self.personas["vera"]


def make_desk(personas: Personas, **incident_fields: Any) -> Desk:
    from amparo.incidents.tests.factories import make_report
    from amparo.public.tests.helpers import make_incident

    user = User(username="cora")
    user.set_password(PASSWORD)
    user.save()
    cora = Membership.objects.create(user=user, network=personas.north, role="coordinator")
    incident = make_incident(
        personas.north,
        official_claims="Officials said agents were assaulted.",
        evidence_response="The witness's video shows no assault.",
        **incident_fields,
    )
    report = make_report(personas.north, incident=incident)
    return Desk(personas, cora, incident, report)


def ingest(
    desk: Desk, data: bytes, *, name: str = "photo.jpg", uses: tuple[str, ...] = ("public",)
) -> EvidenceItem:
    return vault.ingest(
        io.BytesIO(data),
        network=desk.personas.north,
        filename=name,
        report=desk.report,
        consent_uses=list(uses),
        source="upload",
    )
