"""What the load benches send as a witness: the report form's fields as a browser would post them, and the media.

Shared by ``bench/load.py`` (many witnesses at once) and ``bench/submit_cost.py`` (one at a time, measured).
"""

from __future__ import annotations

import html.parser
import io
from typing import Any


class Form(html.parser.HTMLParser):
    """What a browser would send for the first form with a given field: defaults, hidden fields, one choice each."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, Any] = {}
        self._select: str | None = None
        self._radios: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind == "radio":
                if name not in self._radios or "checked" in a:
                    self.fields[name] = a.get("value", "")
                    self._radios.add(name)
            elif kind == "checkbox":
                if "checked" in a:
                    self.fields.setdefault(name, []).append(a.get("value", "on"))
            else:
                self.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            value = a.get("value", "")
            first = self._select not in self.fields and bool(value)
            if first or "selected" in a:
                self.fields[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def form_of(page: str) -> dict[str, Any]:
    parser = Form()
    parser.feed(page)
    return parser.fields


def media() -> dict[str, tuple[bytes, str]]:
    """A 1280x720 JPEG photo and a 2-second 320x240 H.264 video, made here (nothing downloaded)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1280, 720), (60, 70, 80))
    draw = ImageDraw.Draw(img)
    for k in range(40):
        draw.rectangle([k * 31, 400 - k * 7, k * 31 + 25, 720], fill=(k * 6, 120, 200 - k * 4))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    photo = out.getvalue()

    import av
    import numpy as np

    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for i in range(30):
            frame = np.full((240, 320, 3), 40, dtype=np.uint8)
            frame[60:180, (i * 8) % 280 : (i * 8) % 280 + 40] = (230, 200, 40)
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return {"photo": (photo, "image/jpeg"), "video": (buf.getvalue(), "video/mp4")}
