"""Public pages: map, charts, incident pages, methodology and open data. No account, no cookies, cacheable.

Every public view reads only ``amparo.public.models`` (the anonymised layer). Pages set no cookie: their template
carries no CSRF token and no form that posts, and the language is chosen with ``?lang=xx`` links, which every link on
a public page carries forward. Responses are ``Cache-Control: public`` for anonymous visitors.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amparo.access import require
from amparo.middleware import CSP
from amparo.public import exports
from amparo.public.charts import Bar, Chart, columns_chart, rows_chart
from amparo.public.labels import Labels
from amparo.public.models import AggregateCount, PublicBuild, PublicIncident
from amparo.public.tasks import rebuild_public_layer

View = Callable[..., HttpResponseBase]
PAGE_SIZE = 50


def cache_seconds() -> int:
    return int(getattr(settings, "AMPARO_PUBLIC_CACHE_SECONDS", 300))


def tile_url() -> str:
    return str(getattr(settings, "AMPARO_PUBLIC_TILE_URL", ""))


def public_page(view: View) -> View:
    """A public, read-only, cacheable page in the language of ``?lang=`` (else the browser's)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        lang = request.GET.get("lang", "")
        if lang in dict(settings.LANGUAGES):
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        build = PublicBuild.objects.only("built_at").first()
        modified = int(build.built_at.timestamp()) if build else None
        if modified is not None and not request.COOKIES:
            unchanged = get_conditional_response(request, last_modified=modified)
            if unchanged is not None:  # 304: the public layer was not rebuilt since the reader's copy
                unchanged["Cache-Control"] = f"public, max-age={cache_seconds()}"
                patch_vary_headers(unchanged, ["Accept-Language"])
                return unchanged
        response = view(request, *args, **kwargs)
        if modified is not None:
            response["Last-Modified"] = http_date(modified)
        if request.COOKIES:  # a signed-in member's copy must not land in a shared cache
            response["Cache-Control"] = "private, no-store"
        else:
            response["Cache-Control"] = f"public, max-age={cache_seconds()}"
        patch_vary_headers(response, ["Accept-Language"])
        return response

    return login_not_required(require_safe(wrapped))


def context(request: HttpRequest, section: str, **extra: Any) -> dict[str, Any]:
    lang = request.GET.get("lang", "")
    build = PublicBuild.objects.first()
    return {
        "section": section,
        "lang_q": f"lang={lang}" if lang in dict(settings.LANGUAGES) else "",
        "build": build,
        "labels": Labels(),
        **extra,
    }


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The map, with a table of incidents by state beside it (the part that works without JavaScript)."""
    labels = Labels()
    states = AggregateCount.objects.filter(dimension="state").exclude(key="").order_by("key")
    names = dict(PublicIncident.objects.values_list("admin1", "admin1_name").distinct())
    rows = [(s.key, names.get(s.key, s.key), s.count) for s in states]
    ctx = context(
        request,
        "map",
        states=rows,
        total=PublicIncident.objects.count(),
        location_types=labels.choices("location_type"),
        tile_url=tile_url(),
        tile_attribution=str(getattr(settings, "AMPARO_PUBLIC_TILE_ATTRIBUTION", "")),
    )
    response = render(request, "public/map.html", ctx)
    if tile_url():  # let the map load tiles from the configured server, on this page only
        origin = "/".join(tile_url().split("/")[:3])
        response["Content-Security-Policy"] = CSP.replace("img-src 'self'", f"img-src 'self' {origin}")
    return response


@public_page
def points(request: HttpRequest) -> HttpResponseBase:
    """Compact map points, streamed: [public_id, lat, lon, location_type, incident_type, date, precision, protected]."""
    labels = Labels()
    head = {
        "location_type": dict(labels.choices("location_type")),
        "incident_type": dict(labels.choices("incident_type")),
    }
    url = reverse("public:incident", args=["ID"])

    def stream() -> Iterator[str]:
        yield (
            '{"url":' + json.dumps(url) + ',"labels":' + json.dumps(head, ensure_ascii=False) + ',"points":['
        )
        qs = (
            PublicIncident.objects.exclude(latitude=None)
            .order_by("public_id")
            .values_list(
                "public_id", "latitude", "longitude", "location_type", "incident_type", "date", "date_precision",
                "sensitive_2011", "protected_2021", "courthouse_2021",
            )
        )  # fmt: skip
        batch: list[str] = []
        first = True
        for pid, lat, lon, lt, it, day, precision, s11, p21, c21 in qs.iterator(chunk_size=exports.CHUNK):
            row = [pid, lat, lon, lt, it, day.isoformat(), precision, int(s11 or p21 or c21)]
            batch.append(("" if first else ",") + json.dumps(row))
            first = False
            if len(batch) >= exports.CHUNK:
                yield "".join(batch)
                batch = []
        yield "".join(batch) + "]}"

    return StreamingHttpResponse(stream(), content_type="application/json")


def _bars(dimension: str, vocabulary: str, labels: Labels, highlight: Callable[[str], bool]) -> list[Bar]:
    found = AggregateCount.objects.filter(dimension=dimension).values_list("key", "count")
    bars = [Bar(labels.of(vocabulary, key), count, highlight(key), key) for key, count in found]
    bars.sort(key=lambda b: (-(b.count or 0), b.label))
    return bars


def build_charts(labels: Labels, k: int) -> list[Chart]:
    from amparo.incidents.codes import LOCATION_FLAGS

    def protected(code: str) -> bool:
        return any(LOCATION_FLAGS.get(code, (False, False, False)))

    months = sorted(AggregateCount.objects.filter(dimension="month").values_list("key", "count"))
    month_bars = [Bar(key, count, False, key) for key, count in months]
    never = lambda _code: False  # noqa: E731  (a tiny predicate reads better inline)
    return [
        columns_chart(
            "months", _("Incidents by month"), _("Number of published incidents in each month."), month_bars
        ),
        rows_chart(
            "location-types",
            _("Where: kinds of place"),
            _(
                "Incidents by kind of place. Places that were protected under the 2011 and 2021 policies are marked."
            ),
            _bars("location_type", "location_type", labels, protected),
        ),
        rows_chart(
            "incident-types",
            _("What happened"),
            _("Incidents by type."),
            _bars("incident_type", "incident_type", labels, never),
        ),
        rows_chart(
            "tactics",
            _("Tactics"),
            _("Incidents in which each tactic was observed."),
            _bars("tactic", "tactic", labels, lambda c: c in {"masked_agents", "collateral_arrests"}),
        ),
        rows_chart(
            "agencies",
            _("Agencies"),
            _("Incidents by agency identified."),
            _bars("agency", "agency", labels, never),
        ),
    ]


@public_page
def charts(request: HttpRequest) -> HttpResponse:
    build = PublicBuild.objects.first()
    k = build.k if build else 3
    return render(
        request, "public/charts.html", context(request, "charts", charts=build_charts(Labels(), k), k=k)
    )


@public_page
def incidents(request: HttpRequest) -> HttpResponse:
    labels = Labels()
    qs = PublicIncident.objects.order_by("-date", "public_id")
    filters: dict[str, str] = {}
    for name in ("admin1", "location_type", "incident_type"):
        value = request.GET.get(name, "")
        if value:
            qs = qs.filter(**{name: value})
            filters[name] = value
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    states = PublicIncident.objects.order_by("admin1").values_list("admin1", "admin1_name").distinct()
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return render(
        request,
        "public/incidents.html",
        context(
            request,
            "incidents",
            page=page,
            filters=filters,
            query=query,
            states=[s for s in states if s[0]],
            location_types=labels.choices("location_type"),
            incident_types=labels.choices("incident_type"),
        ),
    )


@public_page
def incident(request: HttpRequest, public_id: str) -> HttpResponse:
    row = get_object_or_404(PublicIncident, public_id=public_id)
    # public-layer rows too: approved redacted copies of this incident's footage (docs/redaction.md)
    from amparo.redaction.publish import clips_of

    clips = clips_of(row.public_id)
    return render(request, "public/incident.html", context(request, "incidents", incident=row, clips=clips))


@public_page
def methodology(request: HttpRequest) -> HttpResponse:
    build = PublicBuild.objects.first()
    ctx = context(
        request,
        "methodology",
        k=build.k if build else int(getattr(settings, "AMPARO_PUBLIC_K", 3)),
        embargo_hours=int(getattr(settings, "AMPARO_PUBLIC_EMBARGO_HOURS", 24)),
        residence_embargo_hours=int(getattr(settings, "AMPARO_PUBLIC_RESIDENCE_EMBARGO_HOURS", 168)),
    )
    return render(request, "public/methodology.html", ctx)


@public_page
def data(request: HttpRequest) -> HttpResponse:
    downloads = [(name, reverse("public:download", args=[name])) for name in exports.DOWNLOADS]
    return render(
        request,
        "public/data.html",
        context(
            request,
            "data",
            downloads=downloads,
            dictionary=exports.DICTIONARY,
            location_types=Labels().choices("location_type"),
        ),
    )


@public_page
def download(request: HttpRequest, name: str) -> HttpResponseBase:
    if name not in exports.DOWNLOADS:
        raise Http404
    content_type, filename, generator = exports.DOWNLOADS[name]
    response = StreamingHttpResponse(generator(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """The coordinator's page: when the public layer was last built, and a button to rebuild it now."""
    require(request, "public.publish")
    if request.method == "POST":
        rebuild_public_layer.enqueue()
        messages.success(
            request, _("The public layer is being rebuilt. It takes a moment for large networks.")
        )
        return redirect("public:manage")
    builds = PublicBuild.objects.all()[:10]
    return render(request, "public/manage.html", {"builds": builds})
