"""When the database, the object store or Redis does not answer: 503 with Retry-After, never a 500 or a false success.

In a pool, PostgreSQL restarting or the S3 server pausing for a few seconds is an expected event, not a bug: the
client should wait and send again. Every request that meets such an outage gets ``503 Service Unavailable`` with
``Retry-After``: people a short page in their own language, the partner API and tus clients a JSON body they can
act on (tus clients retry a 503 on their own). Nothing is acknowledged that was not stored: the error reaches here
only because the write did not finish (ingest and reports commit atomically; see docs/operations.md).

Two hooks catch it: :class:`OutageMiddleware` for views (``process_exception``), and :func:`server_error`
(``handler500``) for an outage met in another middleware, such as loading the session.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger("amparo.outage")
T = TypeVar("T")

RETRY_AFTER = 5  # seconds: a restart of PostgreSQL or a paused store is back within a few
MACHINE_PATHS = ("/api/", "/uploads/")


def outage_kind(exc: BaseException | None) -> str | None:
    """``"database"``, ``"storage"`` or ``"queue"`` when ``exc`` (or what caused it) is a service not answering."""
    from django.db import InterfaceError, OperationalError

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return "database"
        module = type(exc).__module__
        if module.startswith("botocore"):
            from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

            if isinstance(exc, (ConnectionError, HTTPClientError)):
                return "storage"
            if isinstance(exc, ClientError):
                status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
                if int(status) >= 500:  # the store's own 500/503 after boto's retries; a 4xx is a real error
                    return "storage"
        if module.startswith("redis"):
            from redis.exceptions import ConnectionError as RedisConnectionError
            from redis.exceptions import TimeoutError as RedisTimeoutError

            if isinstance(exc, (RedisConnectionError, RedisTimeoutError)):
                return "queue"
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def patiently(work: Callable[[], T], *, attempts: int = 6, wait: float = 2.0) -> T:
    """Run ``work``; while it meets an outage, wait (2, 4, 6 ... s: about half a minute in all) and run it again.

    For background tasks, which have no client to send a 503 to: a restart of the database or a paused store should
    delay a fingerprint, not lose it. Each attempt starts on a fresh database connection."""
    from django.db import connections

    for attempt in range(1, attempts + 1):
        try:
            return work()
        except Exception as exc:
            kind = outage_kind(exc)
            if kind is None or attempt == attempts:
                raise
            logger.warning("%s unavailable in a background task (attempt %d of %d)", kind, attempt, attempts)
            for conn in connections.all(initialized_only=True):
                conn.close()
            time.sleep(wait * attempt)
    raise AssertionError("unreachable")


def wants_json(request: HttpRequest) -> bool:
    return (
        request.path.startswith(MACHINE_PATHS)
        or "Tus-Resumable" in request.headers
        or "application/json" in request.headers.get("Accept", "")
    )


def unavailable(request: HttpRequest, kind: str) -> HttpResponse:
    """The 503 answer; renders without the database (no context processors, no session, no user)."""
    message = _(
        "Amparo is briefly unavailable: part of the server is not answering. Nothing from this request was "
        "confirmed. Wait a few seconds and send it again."
    )
    if wants_json(request):
        body = json.dumps({"detail": message, "unavailable": kind, "retry_after": RETRY_AFTER})
        response = HttpResponse(body, status=503, content_type="application/json")
        if request.path.startswith("/uploads/") or "Tus-Resumable" in request.headers:
            response["Tus-Resumable"] = "1.0.0"
    else:
        page = render_to_string(
            "unavailable.html",
            {
                "lang": translation.get_language() or "en",
                "title": _("Briefly unavailable"),
                "message": message,
                "again": _("Try again"),
                "path": request.get_full_path(),
                "seconds": RETRY_AFTER,
            },
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class OutageMiddleware:
    """Turn an outage met in a view into :func:`unavailable`; any other exception goes on to Django."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        kind = outage_kind(exception)
        if kind is None:
            return None
        logger.warning("%s unavailable during %s %s: %r", kind, request.method, request.path, exception)
        return unavailable(request, kind)


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME) -> HttpResponse:
    """``handler500``: an outage met outside a view (a middleware) is a 503 too; anything else the usual 500."""
    kind = outage_kind(sys.exc_info()[1])
    if kind is not None:
        return unavailable(request, kind)
    return defaults.server_error(request, template_name)
