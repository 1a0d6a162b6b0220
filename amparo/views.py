"""Pages that belong to no single app: the dashboard and the health check."""

from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from amparo.access import require_membership

DASHBOARD_APPS = ["intake", "incidents", "people", "legal", "evidence", "public"]


def dashboard(request: HttpRequest) -> HttpResponse:
    """Cards from every app that has a ``dashboard.cards(request, membership)`` function, in a fixed order."""
    membership = require_membership(request)
    cards: list[dict[str, Any]] = []
    for app in DASHBOARD_APPS:
        try:
            module = importlib.import_module(f"amparo.{app}.dashboard")
        except ModuleNotFoundError:
            continue
        cards.extend(module.cards(request, membership))
    return render(request, "dashboard.html", {"cards": cards})


@login_not_required
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
@require_POST
def setlang(request: HttpRequest) -> HttpResponse:
    """The language switch; public, because witnesses and the sign-in page switch language too."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user = request.user
        user.language = language  # type: ignore[union-attr]  # our User model
        user.save(update_fields=["language"])
    return response
