"""Derived copies of evidence for people to look at: small, re-encoded, and carrying none of the original's metadata.

A thumbnail or a viewing copy is made from decoded pixels (and sound), never by copying the container, so EXIF,
GPS, XMP, maker notes, ICC profiles and container tags of the original cannot reach it. Every decode runs in the
media sandbox (``amparo.media.sandbox``): a hostile file costs a limited child process, not the server.

- :func:`derive` makes, in one child process, a JPEG thumbnail (:data:`THUMB_SIDE` px on its longest side) and a
  viewing copy: a JPEG of at most :data:`VIEW_SIDE` px for an image; for a video a fragmented MP4 (H.264, AAC) of at
  most :data:`PREVIEW_SIDE` px and :data:`PREVIEW_MAX_SECONDS` seconds, which a browser plays as it arrives.
- :func:`frame` gives one picture at a given second, for the side-by-side match viewer.

Pictures are turned upright first (EXIF orientation of images, the display matrix of phone videos).
"""

from __future__ import annotations

import base64
import io
import os
from fractions import Fraction
from typing import Any

from amparo.media.sandbox import TaskFailed, run_or_raise

THUMB_SIDE = 320
VIEW_SIDE = 1280
PREVIEW_SIDE = 640
PREVIEW_MAX_SECONDS = 600.0
MAX_PIXELS = 100_000_000  # a picture larger than this is refused as a decompression bomb
TIMEOUT_S = 240.0
MAX_MEMORY = 2 << 30
JPEG_QUALITY = 80


def derive(
    path: str | os.PathLike[str], kind: str, want: tuple[str, ...] = ("thumb", "view")
) -> dict[str, bytes]:
    """``{"thumb": jpeg, "view": jpeg or mp4}`` (those in ``want``) for an image or a video.

    Raises ``MediaError`` when the file cannot be decoded (its ``code``: corrupt, decompression_bomb, timeout, ...).
    """
    value = run_or_raise(
        "derive",
        {"path": os.fspath(path), "kind": kind, "want": list(want)},
        timeout_s=TIMEOUT_S,
        max_memory=MAX_MEMORY,
    )
    return {name: base64.b64decode(data) for name, data in value.items()}


def frame(path: str | os.PathLike[str], kind: str, second: float, side: int) -> bytes:
    """One upright JPEG of the picture (an image) or of the frame shown at ``second`` (a video)."""
    value = run_or_raise(
        "frame",
        {"path": os.fspath(path), "kind": kind, "second": float(second), "side": int(side)},
        timeout_s=60.0,
        max_memory=MAX_MEMORY,
    )
    return base64.b64decode(value["jpeg"])


# --- in the sandboxed child ----------------------------------------------------------------------------------


def _jpeg(picture: Any, side: int) -> bytes:
    """A fresh baseline JPEG of ``picture`` scaled to fit ``side``: no EXIF, no ICC profile, no comments."""
    from PIL import Image

    shown = picture.convert("RGB")
    shown.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    shown.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _open_image(path: str) -> Any:
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(path)
        if img.width * img.height > MAX_PIXELS:
            raise TaskFailed("decompression_bomb", f"{img.width}x{img.height} pixels")
        img.draft("RGB", (VIEW_SIDE, VIEW_SIDE))  # JPEG: decode at a reduced scale when that is enough
        upright = ImageOps.exif_transpose(img)
        upright.load()
    except Image.DecompressionBombError as exc:
        raise TaskFailed("decompression_bomb", str(exc)) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise TaskFailed("corrupt", str(exc)[:200]) from exc
    return upright


def _upright(frame_: Any) -> Any:
    """A PIL image of a video frame as viewers see it (phones store portrait video sideways plus a rotation)."""
    from PIL import Image

    picture = frame_.to_image()
    turns = round(frame_.rotation / 90) % 4 if getattr(frame_, "rotation", 0) else 0
    if turns:
        picture = picture.transpose(
            (Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_270)[turns - 1]
        )
    return picture


def _frame_at(path: str, second: float) -> Any:
    """The first decoded frame at or after ``second`` from the stream's start (or the last one before the end)."""
    import av

    try:
        with av.open(path) as container:
            if not container.streams.video:
                raise TaskFailed("no_video", "the file has no picture")
            stream = container.streams.video[0]
            base = float(stream.time_base or 0) or 1 / 90_000
            origin = (stream.start_time or 0) * base
            target = origin + max(0.0, second)
            if second > 0:
                container.seek(int(target / base), stream=stream, backward=True)
            last = None
            for decoded in container.decode(stream):
                last = decoded
                if decoded.time is None or decoded.time + 1e-3 >= target:
                    return _upright(decoded)
            if last is not None:
                return _upright(last)
    except av.FFmpegError as exc:
        raise TaskFailed("corrupt", str(exc)[:200]) from exc
    raise TaskFailed("no_video", "no frame could be decoded")


def _even(n: float) -> int:
    return max(2, int(n) // 2 * 2)


class _PreviewWriter:
    """Re-encodes decoded frames into a fragmented MP4: pictures upright and scaled, sound as mono AAC."""

    def __init__(self, dst: Any, with_audio: bool) -> None:
        import av

        self.dst = dst
        self.video = dst.add_stream("libx264", rate=30)
        self.video.codec_context.time_base = Fraction(1, 1000)
        self.video.options = {"preset": "veryfast", "crf": "30", "threads": "1", "bf": "0"}
        self.video.pix_fmt = "yuv420p"
        self.size: tuple[int, int] | None = None
        self.last_pts = -1
        self.audio = self.resampler = self.fifo = None
        if with_audio:
            self.audio = dst.add_stream("aac", rate=44_100)
            self.audio.codec_context.layout = "mono"
            self.audio.codec_context.bit_rate = 64_000
            self.resampler = av.AudioResampler(format="fltp", layout="mono", rate=44_100)
            self.fifo = av.AudioFifo()

    def picture(self, decoded: Any, when: float) -> None:
        import av

        pts = round(max(0.0, when) * 1000)
        if pts <= self.last_pts:  # variable frame rate sources: never two frames at one millisecond
            return
        self.last_pts = pts
        picture = _upright(decoded)
        if self.size is None:
            scale = min(1.0, PREVIEW_SIDE / max(picture.size))
            self.size = (_even(picture.width * scale), _even(picture.height * scale))
            self.video.width, self.video.height = self.size
        out = av.VideoFrame.from_image(picture.convert("RGB").resize(self.size)).reformat(format="yuv420p")
        out.pts = pts
        out.time_base = Fraction(1, 1000)
        self.dst.mux(self.video.encode(out))

    def sound(self, decoded: Any) -> None:
        if self.audio is None or self.resampler is None or self.fifo is None:
            return
        decoded.pts = None  # the FIFO re-times the samples
        for chunk in self.resampler.resample(decoded):
            self.fifo.write(chunk)
        while self.fifo.samples >= 1024:
            self.dst.mux(self.audio.encode(self.fifo.read(1024)))

    def close(self) -> None:
        if self.size is None:
            raise TaskFailed("no_video", "no frame could be decoded")
        self.dst.mux(self.video.encode(None))
        if self.audio is not None and self.fifo is not None:
            rest = self.fifo.read()
            if rest is not None:
                self.dst.mux(self.audio.encode(rest))
            self.dst.mux(self.audio.encode(None))


def _past_end(packet: Any, video: Any, origin: float) -> bool:
    """Whether a video packet lies beyond the preview's length (no need to read the rest of a long file)."""
    if packet.stream is not video or packet.pts is None or packet.time_base is None:
        return False
    return bool(float(packet.pts * packet.time_base) - origin > PREVIEW_MAX_SECONDS + 1)


def _preview(path: str) -> bytes:
    """A small H.264/AAC fragmented MP4 of the first PREVIEW_MAX_SECONDS of a video, upright, with no metadata."""
    import av

    out = io.BytesIO()
    try:
        with av.open(path) as src:
            if not src.streams.video:
                raise TaskFailed("no_video", "the file has no picture")
            vin = src.streams.video[0]
            streams = [vin, *src.streams.audio[:1]]
            origin = {s.index: (s.start_time or 0) * float(s.time_base or 0) for s in streams}
            fragmented = {"movflags": "frag_keyframe+empty_moov+default_base_moof"}
            with av.open(out, mode="w", format="mp4", options=fragmented) as dst:
                writer = _PreviewWriter(dst, with_audio=len(streams) > 1)
                for packet in src.demux(*streams):
                    if _past_end(packet, vin, origin[vin.index]):
                        break
                    for decoded in packet.decode():
                        frame_: Any = decoded
                        when = (frame_.time or 0.0) - origin[packet.stream.index]
                        if when > PREVIEW_MAX_SECONDS:
                            continue
                        if packet.stream is vin:
                            writer.picture(frame_, when)
                        else:
                            writer.sound(frame_)
                writer.close()
    except av.FFmpegError as exc:
        raise TaskFailed("corrupt", str(exc)[:200]) from exc
    return out.getvalue()


def _derive_task(args: dict[str, Any]) -> dict[str, str]:
    """Sandbox task: base64 of the wanted copies (``thumb``, ``view``)."""
    path, kind, want = args["path"], args["kind"], set(args.get("want") or ("thumb", "view"))
    made: dict[str, bytes] = {}
    if kind == "image":
        picture = _open_image(path)
        if "thumb" in want:
            made["thumb"] = _jpeg(picture, THUMB_SIDE)
        if "view" in want:
            made["view"] = _jpeg(picture, VIEW_SIDE)
    elif kind == "video":
        if "thumb" in want:  # a second in: the very first frame of a phone video is often black or blurred
            made["thumb"] = _jpeg(_frame_at(path, 1.0), THUMB_SIDE)
        if "view" in want:
            made["view"] = _preview(path)
    else:
        raise TaskFailed("not_visual", f"no picture to derive from a {kind!r} file")
    return {name: base64.b64encode(data).decode() for name, data in made.items()}


def _frame_task(args: dict[str, Any]) -> dict[str, str]:
    """Sandbox task: base64 of one JPEG (see :func:`frame`)."""
    side = max(16, min(int(args["side"]), VIEW_SIDE))
    picture = (
        _open_image(args["path"]) if args["kind"] == "image" else _frame_at(args["path"], args["second"])
    )
    return {"jpeg": base64.b64encode(_jpeg(picture, side)).decode()}
