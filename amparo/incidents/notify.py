"""Telling a verifier they have been dispatched: e-mail, and a signed webhook to the network's own SMS/Signal gateway.

Neither carries personal data or the place: only the dispatch code and a link the verifier opens after signing in.
The webhook body is JSON; the header ``X-Amparo-Signature: sha256=<hex>`` is HMAC-SHA256 over
``<X-Amparo-Timestamp>.<body>`` with the network's gateway secret (docs/incidents.md shows how a receiver checks it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from amparo import outbound
from amparo.audit.actions import record
from amparo.incidents.models import Dispatch, DispatchGateway

log = logging.getLogger("amparo.incidents")
SIGNATURE_HEADER = "X-Amparo-Signature"
TIMESTAMP_HEADER = "X-Amparo-Timestamp"
TIMEOUT_SECONDS = 5


def dispatch_url(dispatch: Dispatch) -> str:
    return settings.SITE_URL + reverse("incidents:dispatch", args=[dispatch.code])


def payload(dispatch: Dispatch, event: str = "dispatch.requested") -> dict[str, Any]:
    """What the gateway receives: codes and a link, nothing about people or places."""
    priority = dispatch.report.priority if dispatch.report is not None else ""
    return {
        "event": event,
        "dispatch": str(dispatch.code),
        "network": str(dispatch.network.code),
        "priority": priority,
        "url": dispatch_url(dispatch),
        "sent_at": timezone.now().isoformat(),
    }


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does (also used by the tests)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def post_webhook(url: str, secret: str, data: dict[str, Any]) -> int:
    """POST the signed notice through amparo.outbound: never to an internal address, checked again at every redirect.

    The address was checked when the coordinator saved it; it is checked again here because DNS can change since.
    """
    body = json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8")
    timestamp = str(int(time.time()))
    response = outbound.request(
        "POST",
        url,
        body=body,
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Amparo-dispatch/1",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(secret, timestamp, body),
        },
        timeout=TIMEOUT_SECONDS,
    )
    return response.status


def send(dispatch: Dispatch, event: str = "dispatch.requested") -> dict[str, str]:
    """Send both notices now; returns what happened to each (never raises: a dispatch stands without them)."""
    results: dict[str, str] = {}
    gateway = DispatchGateway.objects.filter(network_id=dispatch.network_id).first()
    user = dispatch.responder.user
    if (gateway is None or gateway.email_enabled) and user.email:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = _("Amparo: you have been asked to verify a report")
            body = _(
                "A coordinator asked you to verify a report. Sign in and open:\n%(url)s\n\n"
                "Stay in public space, keep yourself safe, and record what you see."
            ) % {"url": dispatch_url(dispatch)}
        try:
            send_mail(subject, body, None, [user.email])
            results["email"] = "sent"
        except OSError:
            log.warning("dispatch e-mail failed for dispatch %s", dispatch.code)
            results["email"] = "failed"
    if gateway is not None and gateway.webhook_url:
        try:
            status = post_webhook(gateway.webhook_url, gateway.secret, payload(dispatch, event))
            results["webhook"] = str(status)
        except outbound.OutboundRefused as exc:
            # Seen where it matters: the network's audit log says the gateway address now leads inside.
            log.warning("dispatch webhook refused for dispatch %s: %s", dispatch.code, exc.code)
            record(None, dispatch.network, "dispatch.webhook_refused", dispatch, reason=exc.code)
            results["webhook"] = "refused"
        except (outbound.OutboundError, OSError, ValueError) as exc:
            log.warning(
                "dispatch webhook failed for dispatch %s: %s",
                dispatch.code,
                getattr(exc, "code", type(exc).__name__),
            )
            results["webhook"] = "failed"
    return results


@task()
def notify_dispatch(dispatch_code: str, event: str = "dispatch.requested") -> dict[str, str]:
    dispatch = Dispatch.objects.select_related("network", "report", "responder__user").get(code=dispatch_code)
    return send(dispatch, event)
