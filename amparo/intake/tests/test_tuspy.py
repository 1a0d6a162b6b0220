"""Interoperability with the reference Python tus client (tuspy) against a real server, interrupted and resumed."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from tusclient import client as tus

from amparo.intake import formtoken, uploadstore
from amparo.intake.models import UploadSession
from amparo.intake.tests.media import make_video

CHUNK = 16 * 1024
FORM = formtoken.issue()  # the report page's token that the page's script sends with every tus request


def cut_off_patch(url: str, offset: int, body: bytes, send: int) -> None:
    """A PATCH whose connection dies after ``send`` of the announced bytes (a phone losing signal)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port or 80), timeout=10) as sock:
        head = (
            f"PATCH {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nTus-Resumable: 1.0.0\r\n"
            f"Content-Type: application/offset+octet-stream\r\nUpload-Offset: {offset}\r\n"
            f"Content-Length: {len(body)}\r\nAmparo-Form-Token: {FORM}\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(head.encode() + body[:send])
        sock.shutdown(socket.SHUT_WR)
        sock.recv(1024)


@pytest.mark.django_db(transaction=True)
def test_tuspy_upload_interrupted_several_times_ends_byte_identical(live_server: Any, tmp_path: Path) -> None:
    video = make_video(tmp_path / "clip.mp4", seconds=2, size=(320, 240), noise=True)
    data = video.read_bytes()
    assert len(data) > 6 * CHUNK
    endpoint = f"{live_server.url}/uploads/"
    first = tus.TusClient(endpoint, headers={"Amparo-Form-Token": FORM}).uploader(
        str(video), chunk_size=CHUNK, metadata={"filename": "clip.mp4", "filetype": "video/mp4"}
    )
    first.upload(stop_at=2 * CHUNK)  # interruption 1: the app is closed after two chunks
    url = first.url
    assert url
    seen = [first.offset]
    # interruption 2: a connection that dies half-way through a PATCH; the server keeps what arrived
    cut_off_patch(url, first.offset, data[first.offset : first.offset + CHUNK], send=CHUNK // 2 + 123)
    for stop in (4 * CHUNK, 6 * CHUNK, None):  # interruptions 3 and 4, then to the end, each by a new client
        resumed = tus.TusClient(endpoint, headers={"Amparo-Form-Token": FORM}).uploader(
            str(video), url=url, chunk_size=CHUNK, upload_checksum=True
        )
        seen.append(resumed.offset)
        resumed.upload(stop_at=stop)
    assert seen[1] == 2 * CHUNK + CHUNK // 2 + 123  # the new client resumed from the server's offset
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    upload = UploadSession.objects.get()
    assert upload.complete
    with uploadstore.open_upload(upload) as handle:  # this server's file, or the shared store's parts
        stored = handle.read()
    assert hashlib.sha256(stored).hexdigest() == hashlib.sha256(data).hexdigest()
