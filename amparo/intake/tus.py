"""A tus 1.0.0 server (https://tus.io/protocols/resumable-upload): core, creation, creation-with-upload,
termination, expiration and checksum (sha1, which the protocol requires, and sha256).

Every upload's state (offset, length, metadata, expiry, who may attach it) is a database row, so any server can
answer for it. Its bytes, until a report attaches them (then they go to the evidence vault and are deleted):

- embedded (local evidence store): appended at the stored offset to DATA_DIR/uploads/<id> in 1 MiB pieces under a
  file lock (memory stays flat whatever the size), fsynced, and only then is the new offset saved;
- with a shared store (S3): written as part objects of at most 8 MiB under ``uploads/<id>/`` and counted on the row,
  locked, only if its offset is still the one the PATCH started from (uploadstore.py). Any server takes any PATCH,
  HEAD or attach; of two PATCHes at one offset the second answers 409 and its parts are deleted.

Unattached uploads expire (purge.py), their bytes with them, wherever they are.

Anyone may create an upload from the public report page. It is bound to the browser that opened the page (its CSRF
cookie) or, for a client without cookies, to the page's form token (header ``Amparo-Form-Token``, which the page's
script also sends), and only a form post with the same binding attaches it (formtoken.py); a partner token never can. Creations are limited per binding and,
ten times higher, per salted digest of the address. A partner sends ``Authorization: Bearer <token>`` and the upload
can then be attached only through that token.

Space is counted in bytes received (``offset``), never in the claimed Upload-Length, before every write: in total,
for anonymous uploads together (``conf.ANONYMOUS_SHARE`` of the total, so partners keep room) and per uploader (one
binding or one partner token). An upload expires at a fixed time after its creation; writes do not move it.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from amparo.intake import conf, formtoken, privacy, uploadstore
from amparo.intake.apiauth import token_from_request
from amparo.intake.models import ApiToken, UploadSession

log = logging.getLogger(__name__)

VERSION = "1.0.0"
EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum"
CHECKSUMS: dict[str, Callable[[], Any]] = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}
CHUNK = 1024 * 1024
OCTETS = "application/offset+octet-stream"


def _response(status: int, **headers: str) -> HttpResponse:
    response = HttpResponse(status=status)
    response["Tus-Resumable"] = VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _error(status: int, message: str) -> HttpResponse:
    response = _response(status)
    response.content = message.encode("utf-8")
    response["Content-Type"] = "text/plain; charset=utf-8"
    return response


def _expires(upload: UploadSession) -> str:
    return http_date(upload.expires_at.timestamp())


class BadNumber(ValueError):
    """A numeric header that is not plain ASCII digits."""


def _int_header(request: HttpRequest, name: str) -> int | None:
    """The header's value, None when absent; BadNumber unless it is 1-19 ASCII digits (not "²", "١٢" or "1e3")."""
    raw = request.headers.get(name)
    if raw is None:
        return None
    raw = raw.strip()
    if not raw or len(raw) > 19 or not raw.isascii() or not raw.isdigit():
        raise BadNumber(name)
    return int(raw)


def _numbers_error(request: HttpRequest, *names: str) -> HttpResponse | None:
    for name in names:
        try:
            _int_header(request, name)
        except BadNumber:
            return _error(400, f"{name} must be a whole number of bytes, in ASCII digits.")
    return None


def parse_metadata(raw: str) -> dict[str, str] | None:
    """Upload-Metadata: comma-separated "key base64value" pairs. None when malformed."""
    found: dict[str, str] = {}
    if not raw.strip():
        return found
    for pair in raw.split(","):
        parts = pair.strip().split(" ")
        if not parts[0] or len(parts) > 2 or parts[0] in found:
            return None
        value = ""
        if len(parts) == 2:
            try:
                value = base64.b64decode(parts[1], validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return None
        found[parts[0]] = value
    return found


def _printable(value: str) -> str:
    """Metadata is the client's word only; keep it printable (no NUL, which PostgreSQL text refuses)."""
    return "".join(ch for ch in value if ch.isprintable())


def _method(request: HttpRequest) -> str:
    override = request.headers.get("X-HTTP-Method-Override", "")
    return override.upper() if request.method == "POST" and override else str(request.method)


@csrf_exempt
@login_not_required
def create(request: HttpRequest) -> HttpResponse:
    """/uploads/: OPTIONS (what this server supports) and POST (a new upload, maybe with its first bytes)."""
    method = _method(request)
    if method == "OPTIONS":
        return _response(
            204,
            Tus_Version=VERSION,
            Tus_Extension=EXTENSIONS,
            Tus_Max_Size=str(conf.max_file_bytes()),
            Tus_Checksum_Algorithm=",".join(CHECKSUMS),
        )
    if method != "POST":
        return _error(405, "Use OPTIONS or POST here.")
    if request.headers.get("Tus-Resumable") != VERSION:
        return _response(412, Tus_Version=VERSION)
    token: ApiToken | None = None
    if "Authorization" in request.headers:
        token = token_from_request(request)
        if token is None:
            return _error(401, "Unknown or revoked token.")
    if request.headers.get("Upload-Defer-Length") is not None:
        return _error(400, "Upload-Defer-Length is not supported; send Upload-Length.")
    bad = _numbers_error(request, "Upload-Length", "Content-Length")
    if bad is not None:
        return bad
    length = _int_header(request, "Upload-Length")
    if length is None:
        return _error(400, "Upload-Length must be a whole number of bytes.")
    if length > conf.max_file_bytes():
        return _error(413, "The file is larger than this server accepts (see Tus-Max-Size).")
    metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
    if metadata is None:
        return _error(400, "Upload-Metadata is malformed.")
    binding = ""
    if token is None:
        binding = _binding(request, metadata)
        if not binding:
            return _error(403, "Open the report page first: uploads start from its form.")
        if not privacy.take("upload.form", privacy.keyed("upload", binding), conf.uploads_per_hour()):
            return _error(429, "Too many uploads from this form this hour; try again later.")
    scope = f"upload.token.{token.pk}" if token else "upload"
    if not privacy.allow(request, scope, conf.uploads_per_hour() * 10):
        return _error(429, "Too many uploads from here this hour; try again later.")
    upload = UploadSession.objects.create(
        upload_id=UploadSession.new_id(),
        length=length,
        expires_at=timezone.now() + conf.upload_lifetime(),
        filename=_printable(metadata.get("filename", metadata.get("name", "")))[:255],
        filetype=_printable(metadata.get("filetype", metadata.get("type", "")))[:100],
        network=token.network if token else None,
        api_token=token,
        binding=binding,
    )
    uploadstore.create(upload.upload_id)
    location = request.build_absolute_uri(f"{request.path.rstrip('/')}/{upload.upload_id}")
    headers = {"Location": location, "Upload_Expires": _expires(upload)}
    if request.headers.get("Content-Type", "").split(";")[0].strip() == OCTETS and length > 0:
        result = _append(request, upload, offset=0)
        if result.status_code != 204:
            return result
        headers["Upload_Offset"] = result["Upload-Offset"]
    return _response(201, **headers)


@csrf_exempt
@login_not_required
def upload(request: HttpRequest, upload_id: str) -> HttpResponse:
    """/uploads/<id>: HEAD (how far it got), PATCH (more bytes), DELETE (give up), OPTIONS."""
    method = _method(request)
    if method == "OPTIONS":
        return _response(204, Tus_Version=VERSION, Tus_Extension=EXTENSIONS)
    if request.headers.get("Tus-Resumable") != VERSION:
        return _response(412, Tus_Version=VERSION)
    usable_id = upload_id.isascii() and upload_id.isalnum() and len(upload_id) <= 64
    row = UploadSession.objects.filter(upload_id=upload_id, attached_at=None).first() if usable_id else None
    if row is None:
        return _error(404, "No such upload.")
    if row.expires_at < timezone.now():
        return _error(410, "This upload has expired.")
    if row.api_token_id is not None:
        token = token_from_request(request)
        if token is None or token.pk != row.api_token_id:
            return _error(404, "No such upload.")
    elif row.binding not in request_bindings(request):
        return _error(404, "No such upload.")
    if method in ("HEAD", "PATCH") and not uploadstore.kept_here(row):  # tus clients then start a new upload
        return _error(
            410, "This upload was kept where this server no longer keeps uploads: add the file again."
        )
    if method == "HEAD":
        return _response(
            200, Upload_Offset=str(row.offset), Upload_Length=str(row.length), Upload_Expires=_expires(row)
        )
    if method == "PATCH":
        bad = _numbers_error(request, "Upload-Offset", "Content-Length")
        if bad is not None:
            return bad
        if request.headers.get("Content-Type", "").split(";")[0].strip() != OCTETS:
            return _error(415, f"Content-Type must be {OCTETS}.")
        return _append(request, row)
    if method == "DELETE":
        row.delete()
        uploadstore.remove(row.upload_id)
        return _response(204)
    return _error(405, "Use HEAD, PATCH, DELETE or OPTIONS here.")


def _checksum(request: HttpRequest) -> tuple[str, bytes] | HttpResponse | None:
    raw = request.headers.get("Upload-Checksum")
    if raw is None:
        return None
    parts = raw.strip().split(" ")
    if len(parts) != 2 or parts[0] not in CHECKSUMS:
        return _error(400, "Upload-Checksum must be 'sha1 <base64>' or 'sha256 <base64>'.")
    try:
        expected = base64.b64decode(parts[1], validate=True)
    except binascii.Error:
        return _error(400, "Upload-Checksum is not valid base64.")
    return parts[0], expected


def _append(request: HttpRequest, row: UploadSession, offset: int | None = None) -> HttpResponse:
    """Write the request body at ``offset`` (the Upload-Offset header unless given, as on creation)."""
    if offset is None:
        offset = _int_header(request, "Upload-Offset")
    if offset is None:
        return _error(400, "Upload-Offset must be a whole number.")
    checksum = _checksum(request)
    if isinstance(checksum, HttpResponse):
        return checksum
    remaining = row.length - offset
    declared = _int_header(request, "Content-Length")
    if declared is not None and declared > remaining:
        return _error(413, "More bytes than the upload's length.")
    if not _room(row, remaining if declared is None else declared):
        return _error(507, "The server has no room for these bytes right now; try again later.")
    storage = uploadstore.shared()
    if storage is not None:
        return _append_shared(request, row, storage, offset, checksum, remaining)
    path = uploadstore.local_path(row.upload_id)
    try:
        handle = open(path, "r+b")  # noqa: SIM115  (closed in the finally below, after the lock is released)
    except FileNotFoundError:
        return _error(404, "No such upload.")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _error(423, "Another request is writing to this upload.")
        row.refresh_from_db(fields=["offset", "length"])
        if offset != row.offset:
            return _response(409, Upload_Offset=str(row.offset))
        return _write(request, row, handle, checksum, remaining)
    finally:
        handle.close()


def _copy_body(
    request: HttpRequest, out: Callable[[bytes], None], checksum: tuple[str, bytes] | None, remaining: int
) -> int | HttpResponse:
    """Pass the body to ``out`` piece by piece; the number of bytes, or the error to answer (keep nothing then)."""
    hasher = CHECKSUMS[checksum[0]]() if checksum else None
    written = 0
    interrupted = False
    while True:
        try:
            piece = request.read(min(CHUNK, remaining - written + 1))
        except OSError:  # the client went away; keep what arrived (tus resumes from the saved offset)
            interrupted = True
            break
        if not piece:
            break
        if written + len(piece) > remaining:
            return _error(413, "More bytes than the upload's length.")
        out(piece)
        if hasher is not None:
            hasher.update(piece)
        written += len(piece)
    if checksum is not None and (interrupted or hasher is None or hasher.digest() != checksum[1]):
        return _error(460, "Checksum mismatch: the bytes were not saved; send them again.")
    if interrupted:
        log.info("tus upload interrupted; %d bytes kept", written)
    return written


def _write(
    request: HttpRequest, row: UploadSession, handle: Any, checksum: tuple[str, bytes] | None, remaining: int
) -> HttpResponse:
    start = row.offset
    handle.truncate(start)  # bytes past the saved offset are from an interrupted request: not acknowledged
    handle.seek(start)
    written = _copy_body(request, handle.write, checksum, remaining)
    if isinstance(written, HttpResponse):
        handle.truncate(start)
        return written
    handle.flush()
    os.fsync(handle.fileno())
    row.offset = start + written
    row.save(update_fields=["offset"])  # expires_at stays: a reservation cannot be kept alive by writing
    return _response(204, Upload_Offset=str(row.offset), Upload_Expires=_expires(row))


def _append_shared(
    request: HttpRequest,
    row: UploadSession,
    storage: Storage,
    offset: int,
    checksum: tuple[str, bytes] | None,
    remaining: int,
) -> HttpResponse:
    """Store the body as part objects in the shared store, then count them if nobody moved the offset meanwhile."""
    row.refresh_from_db(fields=["offset", "length"])
    if offset != row.offset:
        return _response(409, Upload_Offset=str(row.offset))
    parts: list[list[Any]] = []  # [offset, size, name] of the parts this PATCH wrote
    with tempfile.TemporaryFile(dir=str(conf.uploads_dir())) as spool:

        def flush() -> None:
            size = spool.tell()
            if size:
                spool.seek(0)
                part_at = offset + sum(p[1] for p in parts)
                parts.append([part_at, size, uploadstore.put_part(storage, row.upload_id, part_at, spool)])
                spool.seek(0)
                spool.truncate()

        def out(piece: bytes) -> None:
            while piece:
                room = uploadstore.PART_BYTES - spool.tell()
                spool.write(piece[:room])
                piece = piece[room:]
                if spool.tell() >= uploadstore.PART_BYTES:
                    flush()

        # a store that fails here raises (outage.py answers 503); parts already stored are never listed and go
        # with the upload's prefix (uploadstore.remove), so nothing more is asked of a store that does not answer
        written = _copy_body(request, out, checksum, remaining)
        if not isinstance(written, HttpResponse):
            flush()
    if isinstance(written, HttpResponse):
        uploadstore.delete_parts(storage, (p[2] for p in parts))
        return written
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().filter(pk=row.pk, attached_at=None).first()
        counted = locked is not None and locked.offset == offset
        if locked is not None and counted and parts:
            locked.parts = [*locked.parts, *parts]
            locked.offset = offset + written
            locked.save(update_fields=["offset", "parts"])  # expires_at stays, as on a local write
    if locked is None or not counted:  # another server's PATCH came first, or the upload is gone
        uploadstore.delete_parts(storage, (p[2] for p in parts))
        if locked is None:
            return _error(404, "No such upload.")
        return _response(409, Upload_Offset=str(locked.offset))
    return _response(204, Upload_Offset=str(locked.offset), Upload_Expires=_expires(locked))


def _binding(request: HttpRequest, metadata: dict[str, str]) -> str:
    """What an anonymous upload is bound to: the browser (its CSRF cookie, which the form post carries too), else the
    page's form token for clients without cookies ("" if neither)."""
    browser = formtoken.browser_binding(request)
    if browser:
        return browser
    token = formtoken.read(request.headers.get("Amparo-Form-Token") or metadata.get("form"))
    if token is not None and token.age_seconds <= conf.form_lifetime().total_seconds():
        return token.binding
    return ""


def request_bindings(request: HttpRequest, form_token: str | None = None) -> set[str]:
    """The bindings a request may act on: its form token's (header, or the form's field) and its browser's."""
    found = {formtoken.browser_binding(request)}
    for raw in (form_token, request.headers.get("Amparo-Form-Token")):
        token = formtoken.read(raw)
        if token is not None:
            found.add(token.binding)
    found.discard("")
    return found


def _received(rows: Any) -> int:
    return int(rows.aggregate(total=Sum("offset"))["total"] or 0)


def _room(row: UploadSession, incoming: int) -> bool:
    """Whether ``incoming`` more bytes fit: in total, for anonymous uploads together, and for this uploader.

    Counted from the bytes received by unattached uploads (expired ones too, until the purge removes their files).
    """
    held = UploadSession.objects.filter(attached_at=None).exclude(pk=row.pk)
    if _received(held) + row.offset + incoming > conf.max_pending_bytes():
        return False
    if row.api_token_id is None:
        if _received(held.filter(api_token=None)) + row.offset + incoming > (
            conf.max_pending_bytes() * conf.ANONYMOUS_SHARE
        ):
            return False
        own = held.filter(api_token=None, binding=row.binding)
    else:
        own = held.filter(api_token_id=row.api_token_id)
    return _received(own) + row.offset + incoming <= conf.max_pending_per_uploader()
