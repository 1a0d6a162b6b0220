"""Real media made on the spot for tests and benchmarks: moving shapes and noise, encoded by PyAV and Pillow."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import cast

import av
import numpy as np
from av.audio.stream import AudioStream
from av.video.stream import VideoStream
from PIL import Image

Frame = np.ndarray
Transform = Callable[[Frame], Frame]


def video_codec() -> str:
    """H.264 when this PyAV build can encode it, else MPEG-4 part 2."""
    return "libx264" if "libx264" in av.codecs_available else "mpeg4"


@lru_cache(maxsize=8)
def _texture(width: int, height: int, seed: int) -> Frame:
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, size=(9, 16, 3), dtype=np.uint8)
    return np.asarray(Image.fromarray(base).resize((width * 2, height), Image.Resampling.BICUBIC))


@lru_cache(maxsize=8)
def _noise(width: int, height: int, seed: int) -> np.ndarray:
    """Eight fixed noise fields to cycle through (cheaper than fresh noise for every frame)."""
    rng = np.random.default_rng(seed + 99)
    return rng.integers(-6, 7, size=(8, height, width, 3), dtype=np.int16)


def scene(width: int, height: int, t: float, seed: int) -> Frame:
    """One RGB frame of a scene: a textured background that drifts, plus bright shapes that move with time."""
    tex = _texture(width, height, seed)
    shift = int(t * width / 12) % width
    frame = tex[:, shift : shift + width].astype(np.int16)
    frame += _noise(width, height, seed)[int(t * 100) % 8]
    shapes = np.random.default_rng(seed).integers(0, 256, size=(6, 5))
    for i, (x0, y0, r, g, b) in enumerate(shapes):
        cx = int((x0 / 255 * width + t * (40 + 17 * i)) % width)
        cy = int((y0 / 255 * height + t * (25 + 11 * i)) % height)
        size = max(8, height // (5 + i))
        frame[max(0, cy - size) : cy + size, max(0, cx - size) : cx + size] = (r, g, b)
    return np.clip(frame, 0, 255).astype(np.uint8)


def write_video(
    path: Path,
    *,
    seconds: float = 4.0,
    width: int = 320,
    height: int = 240,
    fps: int = 15,
    seed: int = 1,
    codec: str | None = None,
    transform: Transform | None = None,
    metadata: dict[str, str] | None = None,
    bit_rate: int | None = None,
    rotation: int = 0,
    preset: str = "veryfast",
    start: float = 0.0,
) -> Path:
    """Encode ``seconds`` of :func:`scene` to ``path`` (container from the suffix); ``transform`` edits frames.

    ``start`` skips that many seconds of the scene (a trimmed copy). ``rotation`` (a multiple of 90) stores the frames turned clockwise by that much, with a display matrix
    telling players to turn them back, as phones do for portrait video.
    """
    turns = -(rotation // 90) % 4

    def stored(frame: Frame) -> Frame:
        frame = transform(frame) if transform is not None else frame
        return np.ascontiguousarray(np.rot90(frame, turns)) if turns else frame

    codec = codec or video_codec()
    with av.open(str(path), "w") as container:
        for key, value in (metadata or {}).items():
            container.metadata[key] = value
        stream = cast(VideoStream, container.add_stream(codec, rate=fps))
        first = stored(scene(width, height, start, seed))
        stream.height, stream.width = first.shape[:2]
        if rotation:
            stream.set_display_rotation(rotation)
        stream.pix_fmt = "yuv420p"
        if bit_rate:
            stream.bit_rate = bit_rate
        if codec == "libx264":
            stream.options = {"preset": preset}
        for index in range(int(seconds * fps)):
            frame = stored(scene(width, height, start + index / fps, seed))
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def write_audio(path: Path, *, seconds: float = 2.0, rate: int = 44_100) -> Path:
    """A mono AAC tone (container from the suffix, e.g. ``.m4a``)."""
    with av.open(str(path), "w") as container:
        stream = cast(AudioStream, container.add_stream("aac", rate=rate))
        t = np.arange(int(seconds * rate)) / rate
        samples = (np.sin(2 * np.pi * 440 * t) * 0.3).astype(np.float32)
        for start in range(0, len(samples), 1024):
            frame = av.AudioFrame.from_ndarray(
                samples[None, start : start + 1024], format="fltp", layout="mono"
            )
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def photo(width: int = 640, height: int = 480, seed: int = 1) -> Image.Image:
    return Image.fromarray(scene(width, height, 0.0, seed))


def c2pa_signed_jpeg(path: Path, image: Image.Image | None = None) -> Path:
    """A JPEG carrying a C2PA manifest signed by a throwaway test CA (so: valid, but not trusted)."""
    import datetime
    import io

    import c2pa
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, common),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Amparo Test"),
            ]
        )

    def usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
        return x509.KeyUsage(
            digital_signature=sign,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=ca,
            crl_sign=ca,
            encipher_only=False,
            decipher_only=False,
        )

    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())

    def certificate(subject: str, public: ec.EllipticCurvePublicKey, *, ca: bool) -> x509.CertificateBuilder:
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(name("Amparo Test CA"))
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(usage(sign=not ca, ca=ca), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        )
        if not ca:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
            ).add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
            )
        return builder

    ca_cert = certificate("Amparo Test CA", ca_key.public_key(), ca=True).sign(ca_key, hashes.SHA256())
    leaf = certificate("Amparo Test Signer", key.public_key(), ca=False).sign(ca_key, hashes.SHA256())
    chain = leaf.public_bytes(serialization.Encoding.PEM) + ca_cert.public_bytes(serialization.Encoding.PEM)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(b"es256", chain, private, None))
    created = {
        "action": "c2pa.created",
        "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
    }
    manifest = {
        "claim_generator_info": [{"name": "amparo-test", "version": "1"}],
        "title": "test capture",
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [created]}}],
    }
    source, signed = io.BytesIO(), io.BytesIO()
    (image or photo(320, 240)).save(source, "JPEG", quality=90)
    source.seek(0)
    c2pa.Builder(manifest).sign(signer, "image/jpeg", source, signed)
    path.write_bytes(signed.getvalue())
    return path
