"""Partner API tokens: ``Authorization: Bearer amp_...``. Only a SHA-256 digest of a token is stored.

A token reads only the reports it sent (security review, "partner tokens read the whole network"): a token is held
by an outside organisation, and the network's other reports hold witnesses' words and places. Which token sent a
report is the ``api.report_created`` audit event written with the report. There is no wider read: a partner who must
see the whole queue gets a member account (read-only role), which signs in with a second factor and is audited as a
person.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from amparo.audit.actions import record
from amparo.audit.models import AuditEvent
from amparo.incidents.models import Report
from amparo.intake.models import ApiToken

OWN_REPORT = "api.report_created"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def lookup(token: str) -> ApiToken | None:
    if not token.startswith("amp_") or len(token) > 100:
        return None
    row = ApiToken.objects.select_related("network").filter(digest=digest(token), revoked_at=None).first()
    if row is not None:
        now = timezone.now()
        if row.last_used_at is None or row.last_used_at < now - timedelta(minutes=5):
            row.last_used_at = now
            row.save(update_fields=["last_used_at"])
    return row


def token_from_request(request: HttpRequest) -> ApiToken | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return lookup(value.strip())


def record_own(token: ApiToken, report: Report) -> None:
    """Mark ``report`` as sent by ``token`` (call in the transaction that creates it)."""
    record(None, token.network, OWN_REPORT, report, token=str(token.code))


def own_reports(token: ApiToken) -> QuerySet[Report]:
    """The reports of the token's network that this token sent."""
    sent = AuditEvent.objects.filter(
        network=token.network, action=OWN_REPORT, detail__token=str(token.code)
    ).values_list("object_code", flat=True)
    return Report.objects.filter(network=token.network, code__in=[uuid.UUID(code) for code in sent])
