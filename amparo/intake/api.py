"""The partner API (django-ninja, OpenAPI 3 at /api/openapi.json): a partner organisation, with a token a
coordinator made for it, creates reports in that network, attaches media uploaded through tus (/uploads/ with the
same ``Authorization: Bearer`` header) and reads back the reports it sent. No contact details ever leave through it.

A token sees only its own reports (``apiauth.own_reports``): witness, hotline and other partners' reports of the
network answer 404 like another network's, and the list leaves them out. The files of a report are listed only when
``amparo.evidence.consent.may_leave(item, "partner")`` allows it: the files this partner sent itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal
from uuid import UUID

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import field_validator

from amparo.accounts import throttle
from amparo.incidents import codes
from amparo.incidents.models import Report
from amparo.intake import actions, apiauth, conf, validators
from amparo.intake.models import ApiToken

Consent = Literal["internal", "legal", "public"]
AGENCY_CODES = tuple(code for code, _label in codes.AGENCIES)
LOCATION_CODES = tuple(code for code, *_rest in codes.LOCATION_TYPES)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        row = apiauth.lookup(token)
        if row is None:
            return None
        key = throttle.throttle_key("intake.api", row.digest)
        if throttle.hit("intake.api", key, timedelta(minutes=1)) > conf.api_requests_per_minute():
            raise HttpError(429, "Too many requests; slow down.")
        return row


api = NinjaAPI(
    title="Amparo partner API",
    version="1",
    description="Create reports in your network's triage queue, attach media uploaded with tus, read reports.",
    urls_namespace="intake:api",
    docs_url=None,  # the interactive docs page would load scripts from a CDN
    auth=TokenAuth(),
)


def _text(value: str) -> str:
    try:
        return validators.clean_text(value)
    except DjangoValidationError as exc:
        raise ValueError(" ".join(str(m) for m in exc.messages)) from exc


def _internal_only() -> list[Consent]:
    return ["internal"]


class ReportIn(Schema):
    text: str = Field("", max_length=20000, description="What happened, in the reporter's words.")
    claimed_time: datetime | None = Field(None, description="When it happened (ISO 8601 with time zone).")
    place_text: str = Field("", max_length=300)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    location_type: Literal[LOCATION_CODES] | None = None  # type: ignore[valid-type]  # built from the vocabulary
    agents_count: int | None = Field(None, ge=0, le=10000)
    activity: str = Field("", max_length=2000)
    uniform: str = Field("", max_length=300)
    observed_duration: str = Field("", max_length=100)
    equipment: str = Field("", max_length=300)
    vehicles: list[str] = Field(default_factory=list, max_length=50)
    agencies: list[Literal[AGENCY_CODES]] = Field(default_factory=list, max_length=30)  # type: ignore[valid-type]
    people_taken_count: int | None = Field(None, ge=0, le=10000)
    children_present: bool | None = None
    warrant_observed: Literal[tuple(codes.Warrant.values)] | None = None  # type: ignore[valid-type]
    warrant_text: str = Field("", max_length=500)
    priority: Literal[tuple(codes.Priority.values)] = "observed"  # type: ignore[valid-type]
    language: Literal["es", "en", "de", ""] = ""
    upload_ids: list[str] = Field(default_factory=list, max_length=20, description="Finished tus uploads.")
    consent: list[Consent] = Field(default_factory=_internal_only, max_length=3)

    @field_validator(
        "text", "place_text", "activity", "uniform", "observed_duration", "equipment", "warrant_text"
    )
    @classmethod
    def _clean(cls, value: str) -> str:
        return _text(value)

    @field_validator("vehicles")
    @classmethod
    def _clean_vehicles(cls, value: list[str]) -> list[str]:
        return [_text(v)[:300] for v in value]


class FilesIn(Schema):
    upload_ids: list[str] = Field(..., min_length=1, max_length=20)
    consent: list[Consent] = Field(default_factory=_internal_only, max_length=3)


class FileOut(Schema):
    evidence_code: str
    receipt_code: str
    sha256: str
    size: int


class ReportOut(Schema):
    code: UUID
    received_at: datetime
    channel: str
    language: str
    status: str
    priority: str
    text: str
    place_text: str
    claimed_time: datetime | None
    files: list[FileOut]


class ErrorOut(Schema):
    detail: Any


def _returnable(reports: list[Report]) -> set[str]:
    """The evidence codes among these reports' files that may go back to the partner (one query for all)."""
    from amparo.evidence import consent
    from amparo.evidence.models import EvidenceItem

    codes = [f.evidence_code for r in reports for f in r.intake_files.all()]
    items = EvidenceItem.objects.filter(code__in=codes).only("code", "source", "consent_uses", "deleted_at")
    return {str(i.code) for i in items if consent.may_leave(i, consent.PARTNER)}


def _out(report: Report, returnable: set[str] | None = None) -> dict[str, Any]:
    allowed = _returnable([report]) if returnable is None else returnable
    return {
        "code": report.code,
        "received_at": report.received_at,
        "channel": report.channel,
        "language": report.language,
        "status": report.status,
        "priority": report.priority,
        "text": report.text,
        "place_text": report.place_text,
        "claimed_time": report.claimed_time,
        "files": [
            {
                "evidence_code": f.evidence_code,
                "receipt_code": f.receipt_code,
                "sha256": f.sha256,
                "size": f.size,
            }
            for f in report.intake_files.all()
            if f.evidence_code in allowed
        ],
    }


def _uploads(token: ApiToken, ids: list[str]) -> list[actions.IncomingFile]:
    try:
        return actions.incoming_uploads(
            actions.attachable_uploads(ids, network=token.network, api_token=token)
        )
    except LookupError as exc:
        raise _unusable(exc) from None


def _unusable(exc: LookupError) -> HttpError:
    return HttpError(400, f"Upload {str(exc.args[0])[:64]} is unfinished, expired, not yours or not media.")


ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


@api.post("/reports", response={201: ReportOut, **ERRORS}, summary="Create a report")
def create_report(request: HttpRequest, data: ReportIn) -> tuple[int, dict[str, Any]]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]  # set by TokenAuth
    files = _uploads(token, data.upload_ids)
    if not data.text.strip() and not files:
        raise HttpError(400, "Send text or at least one upload.")
    fields = {
        "text": data.text,
        "claimed_time": data.claimed_time,
        "place_text": data.place_text,
        "latitude": data.latitude,
        "longitude": data.longitude,
        "location_type": data.location_type or "",
        "agents_count_low": data.agents_count,
        "agents_count_high": data.agents_count,
        "activity": data.activity,
        "uniform": data.uniform,
        "observed_duration": data.observed_duration,
        "equipment": data.equipment,
        "vehicles": [{"description": v} for v in data.vehicles],
        "claimed_agencies": list(dict.fromkeys(data.agencies)),
        "people_taken_count": data.people_taken_count,
        "children_present": data.children_present,
        "warrant_observed": data.warrant_observed or "",
        "priority": data.priority,
    }
    try:
        with transaction.atomic():
            report, _code = actions.do_create_report(
                token.network,
                fields,
                channel=codes.Channel.PARTNER_ORG,
                language=data.language or "en",
                files=files,
                consent_uses=data.consent,
                reporter_role=codes.ReporterRole.PARTNER,
                warrant_text=data.warrant_text,
                via="api",
            )
            apiauth.record_own(token, report)
    except actions.UploadTaken as exc:  # the same request sent twice: the first one has the report
        raise _unusable(exc) from None
    return 201, _out(report)


@api.get("/reports", response={200: list[ReportOut], **ERRORS}, summary="List the reports this token sent")
def list_reports(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=200),  # type: ignore[type-arg]  # ninja's parameter marker
    offset: int = Query(0, ge=0, le=1_000_000),  # type: ignore[type-arg]
) -> list[dict[str, Any]]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    rows = (
        apiauth.own_reports(token)
        .order_by("-received_at", "-id")
        .prefetch_related("intake_files")[offset : offset + limit]
    )
    reports = list(rows)
    returnable = _returnable(reports)
    return [_out(r, returnable) for r in reports]


def _own(token: ApiToken, code: UUID) -> Report:
    report = apiauth.own_reports(token).filter(code=code).prefetch_related("intake_files").first()
    if report is None:
        raise HttpError(404, "No such report.")
    return report


@api.get("/reports/{code}", response={200: ReportOut, **ERRORS}, summary="Read one report")
def get_report(request: HttpRequest, code: UUID) -> dict[str, Any]:
    return _out(_own(request.auth, code))  # type: ignore[attr-defined]


@api.post("/reports/{code}/files", response={201: ReportOut, **ERRORS}, summary="Attach uploads to a report")
def add_files(request: HttpRequest, code: UUID, data: FilesIn) -> tuple[int, dict[str, Any]]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    report = _own(token, code)
    files = _uploads(token, data.upload_ids)
    try:
        actions.do_attach_files(report, files, data.consent, None, "api")
    except actions.UploadTaken as exc:
        raise _unusable(exc) from None
    return 201, _out(_own(token, code))


def public_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """api.urls with every view marked public for LoginRequiredMiddleware (the API has its own token auth)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)
    return patterns, app_name, namespace
