"""Atomic, audited changes made by intake: reports from every channel, follow-ups, files, partner tokens, purges.

Every channel ends in ``do_create_report``, so a report from the public form, the hotline, the partner API or a news
import is the same kind of row in the triage queue, with its channel, language, time received and files (each stored
by the evidence vault, with a receipt).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from amparo.accounts.models import Network
from amparo.audit.actions import record
from amparo.evidence.store import StoreError
from amparo.incidents.models import Report
from amparo.intake import apiauth, conf, uploadstore, vaultlink, words
from amparo.intake.filetypes import HEAD_BYTES, sniff
from amparo.intake.models import ApiToken, IntakeFile, IntakePage, ReportExtra, UploadSession

CONSENT_USES = ("internal", "legal", "public")


@dataclass
class IncomingFile:
    """A file waiting to go to the vault: a form upload, or a finished tus upload."""

    fileobj: IO[bytes] | None
    filename: str
    claimed_type: str
    size: int
    upload: UploadSession | None = None
    stored: Any = None  # the vault's Stored once its bytes are stored and probed (store_files)


class UploadTaken(LookupError):
    """An upload that another request attached first; nothing of this request is kept."""


def page_for(network: Network) -> IntakePage:
    """The network's public report address, created on first use from its name."""
    page = IntakePage.objects.filter(network=network).first()
    if page is not None:
        return page
    base = slugify(network.name)[:50] or "red"
    slug, n = base, 1
    while IntakePage.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    page, _created = IntakePage.objects.get_or_create(network=network, defaults={"slug": slug})
    return page


def detect_language(text: str, fallback: str) -> str:
    """The report's language: detected from the text when there is enough of it, else the form's language."""
    try:
        from amparo.extract import detect_language as detect
    except ImportError:  # the extraction library is optional for intake
        return fallback[:2]
    found = detect(text) if text.strip() else None
    return (found or fallback or "")[:2]


def consent_for_vault(uses: Iterable[str]) -> str:
    """The single consent level the vault records: the widest use granted (public > legal > internal)."""
    chosen = set(uses)
    for level, vault_value in (("public", "public"), ("legal", "legal_use"), ("internal", "internal")):
        if level in chosen:
            return vault_value
    return "none"


VAULT_SOURCE = {"api": "api", "import": "import", "operator": "operator"}  # everything else: a web upload


def content_hash(url: str, text: str) -> str:
    """Two imports of the same url and text make one report (Report's unique network+content_hash)."""
    norm = " ".join(text.split())
    return hashlib.sha256(f"{url.strip()}\n{norm}".encode()).hexdigest()


REPORT_FIELDS = {
    "text",
    "claimed_time",
    "time_precision",
    "place_text",
    "latitude",
    "longitude",
    "location_type",
    "agents_count_low",
    "agents_count_high",
    "activity",
    "uniform",
    "observed_duration",
    "equipment",
    "vehicles",
    "claimed_agencies",
    "people_taken_count",
    "children_present",
    "warrant_observed",
    "priority",
    "source_url",
    "published_at",
}


def do_create_report(
    network: Network,
    fields: dict[str, Any],
    *,
    channel: str,
    language: str,
    files: list[IncomingFile] = (),  # type: ignore[assignment]  # an empty tuple is a fine read-only default
    consent_uses: Iterable[str] = ("internal",),
    contact: str = "",
    reporter_role: str = "",
    actor: Any = None,
    followup_code: bool = False,
    media_links: list[str] | None = None,
    warrant_text: str = "",
    dedupe_hash: str = "",
    via: str = "form",
    received_at: datetime | None = None,
) -> tuple[Report, str]:
    """Create one report with its files. Returns the report and its follow-up code ("" when none was asked for).

    The files are stored and probed first, then the report, its files' items and log entries are written in one
    short transaction: on SQLite that transaction holds the one write lock, which every other writer (a staff
    member's page, another witness) waits for, so no file work happens inside it (docs/scaling.md)."""
    unknown = set(fields) - REPORT_FIELDS
    if unknown:
        raise ValueError(f"not report fields: {sorted(unknown)}")
    now = timezone.now()
    report = Report(
        network=network,
        channel=channel,
        received_at=received_at or now,
        language=detect_language(str(fields.get("text") or ""), language),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        content_hash=dedupe_hash,
        **{k: v for k, v in fields.items() if v is not None},
    )
    if reporter_role:
        report.reporter_role = reporter_role
    code = ""
    if followup_code:
        code = words.new_code(language)  # in the language the witness reads the form in
        report.followup_digest = words.digest(code)
    if contact.strip():
        report.contact_sealed = vaultlink.seal_contact(contact.strip())
        report.contact_purge_after = now + conf.contact_lifetime()
    files = store_files(list(files))
    with transaction.atomic():
        report.save()
        uses = [u for u in CONSENT_USES if u in set(consent_uses)]
        if uses != ["internal"] or media_links or warrant_text:
            ReportExtra.objects.create(
                report=report, consent_uses=uses, media_links=media_links or [], warrant_text=warrant_text
            )
        record(actor, network, "report.received", report, channel=channel, files=len(files), via=via)
        if files:
            _attach(report, files, uses, actor, via)
    return report, code


def store_files(files: list[IncomingFile]) -> list[IncomingFile]:
    """Each file's bytes hashed, stored and probed by the vault, outside any transaction; the files with ``stored``."""
    done: list[IncomingFile] = []
    for incoming in files:
        if incoming.stored is not None:
            done.append(incoming)
            continue
        handle: IO[bytes]
        if incoming.upload is not None:
            handle = uploadstore.open_upload(incoming.upload)
        else:
            assert incoming.fileobj is not None
            handle = incoming.fileobj
            handle.seek(0)
        try:
            stored = vaultlink.store(handle, filename=incoming.filename, claimed_type=incoming.claimed_type)
        finally:
            if incoming.upload is not None:
                handle.close()
        done.append(replace(incoming, stored=stored))
    return done


def _attach(
    report: Report, files: list[IncomingFile], uses: list[str], actor: Any, via: str
) -> list[IntakeFile]:
    """The files' evidence items and intake rows, in the caller's transaction (files not stored yet are stored
    here, inside it: callers store them first with store_files)."""
    consent = consent_for_vault(uses)
    saved: list[IntakeFile] = []
    for incoming in store_files(files):
        item = vaultlink.ingest_stored(
            incoming.stored,
            network=report.network,
            actor=actor,
            report=report,
            consent=consent,
            consent_uses=uses,
            source=VAULT_SOURCE.get(via, "upload"),
        )
        saved.append(
            IntakeFile.objects.create(
                report=report,
                evidence_code=str(item.code),
                receipt_code=str(item.receipt_code),
                sha256=str(item.sha256),
                size=incoming.size,
                consent=consent,
                via="tus" if incoming.upload is not None else via,
            )
        )
        if incoming.upload is not None:
            # the row decides, not this request's copy of it: of two posts naming one upload (a form sent twice,
            # perhaps to two servers), the second waits for the first's row lock, finds it attached and rolls back
            upload = incoming.upload
            if not UploadSession.objects.filter(pk=upload.pk, attached_at=None).update(
                attached_at=timezone.now(), filename=""
            ):
                raise UploadTaken(upload.upload_id)
            transaction.on_commit(_remover(upload.upload_id))
    return saved


def do_attach_files(
    report: Report, files: list[IncomingFile], consent_uses: Iterable[str], actor: Any, via: str
) -> list[IntakeFile]:
    """More files for an existing report (the partner API's attach call); stored first, as in do_create_report."""
    files = store_files(files)
    with transaction.atomic():
        uses = [u for u in CONSENT_USES if u in set(consent_uses)]
        record(actor, report.network, "report.files_added", report, files=len(files), via=via)
        return _attach(report, files, uses, actor, via)


def _remover(upload_id: str) -> Callable[[], None]:
    return lambda: uploadstore.remove_quietly(upload_id)


def do_add_followup(
    report: Report,
    *,
    text: str,
    files: list[IncomingFile],
    consent_uses: Iterable[str],
    language: str,
) -> list[IntakeFile]:
    """A witness adds words or files to their report with the follow-up code (files stored first, as in
    do_create_report)."""
    files = store_files(files)
    with transaction.atomic():
        return _add_followup(report, text=text, files=files, consent_uses=consent_uses)


def _add_followup(
    report: Report, *, text: str, files: list[IncomingFile], consent_uses: Iterable[str]
) -> list[IntakeFile]:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    extra, _created = ReportExtra.objects.get_or_create(
        report=locked, defaults={"consent_uses": list(consent_uses)}
    )
    extra.followups += 1
    extra.save(update_fields=["followups"])
    if text.strip():
        stamp = timezone.now().strftime("%Y-%m-%d %H:%M UTC")
        locked.text = f"{locked.text}\n\n[{stamp}] {text.strip()}".strip()
        locked.save(update_fields=["text"])
    record(None, locked.network, "report.followup", locked, files=len(files), text=bool(text.strip()))
    uses = [u for u in CONSENT_USES if u in set(consent_uses)]
    return _attach(locked, files, uses, None, "followup")


def find_by_code(code: str) -> Report | None:
    if not words.looks_like_code(code):
        return None
    return Report.objects.select_related("network").filter(followup_digest=words.digest(code)).first()


def upload_path(upload_id: str) -> Path:
    """Where an upload's bytes are in embedded mode (uploadstore.py has the shared store's parts)."""
    return uploadstore.local_path(upload_id)


def attachable_uploads(
    ids: Iterable[str],
    *,
    network: Network | None = None,
    api_token: ApiToken | None = None,
    bindings: Collection[str] = (),
) -> list[UploadSession]:
    """The finished, unattached, unexpired uploads named by ``ids`` that this caller may attach.

    A partner's upload only through its token; an anonymous one only by a form post with its binding (the form
    token or browser that started it, ``tus.request_bindings``), never through a partner token.

    Raises LookupError naming the first id that is not usable (unknown, unfinished, expired, someone else's).
    """
    found: list[UploadSession] = []
    now = timezone.now()
    for upload_id in dict.fromkeys(i.strip() for i in ids if i.strip()):
        upload = (
            UploadSession.objects.filter(upload_id=upload_id).first()
            if upload_id.isascii() and upload_id.isalnum() and len(upload_id) <= 64
            else None
        )
        if (
            upload is None
            or not upload.complete
            or upload.attached_at is not None
            or upload.expires_at < now
            or (
                upload.api_token_id is not None and (api_token is None or upload.api_token_id != api_token.pk)
            )
            or (upload.api_token_id is None and (api_token is not None or upload.binding not in bindings))
            or (upload.network_id is not None and network is not None and upload.network_id != network.pk)
        ):
            raise LookupError(upload_id)
        try:
            kind = sniff(uploadstore.read_head(upload, HEAD_BYTES))
        except (OSError, StoreError):  # bytes gone (an expired upload purged meanwhile) or parts out of order
            raise LookupError(upload_id) from None
        if kind is None:
            raise LookupError(upload_id)
        upload.filetype = kind
        found.append(upload)
    return found


def incoming_uploads(uploads: list[UploadSession]) -> list[IncomingFile]:
    return [IncomingFile(None, u.filename, u.filetype, u.length, upload=u) for u in uploads]


@transaction.atomic
def do_update_page(page: IntakePage, *, enabled: bool, listed: bool, actor: Any) -> None:
    page.enabled, page.listed = enabled, listed
    page.save(update_fields=["enabled", "listed"])
    record(actor, page.network, "intake_page.changed", None, enabled=enabled, listed=listed)


@transaction.atomic
def do_create_token(network: Network, name: str, actor: Any) -> tuple[ApiToken, str]:
    token = "amp_" + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        network=network, name=name, digest=apiauth.digest(token), prefix=token[:10], created_by=actor
    )
    record(actor, network, "api_token.created", row)
    return row, token


@transaction.atomic
def do_revoke_token(row: ApiToken, actor: Any) -> None:
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at"])
    record(actor, row.network, "api_token.revoked", row)
