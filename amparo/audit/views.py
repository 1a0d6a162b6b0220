from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from amparo import vocab
from amparo.access import capability_required, require_membership
from amparo.audit.models import AuditEvent

# The records a member can open from the log: object type -> (URL name, code argument). Others show as text.
LINKS = {
    "people.person": ("people:detail", "case_code"),
    "incidents.incident": ("incidents:incident", "code"),
    "incidents.report": ("incidents:report", "code"),
    "incidents.dispatch": ("incidents:dispatch", "code"),
    "evidence.evidenceitem": ("evidence:detail", "code"),
    "people.facility": ("people:facility", "code"),
}


@dataclass
class Row:
    event: AuditEvent
    action: str
    record: str
    url: str
    detail: str


def _row(event: AuditEvent) -> Row:
    url = ""
    if event.object_type in LINKS and event.object_code:
        name, arg = LINKS[event.object_type]
        try:
            url = reverse(name, kwargs={arg: event.object_code})
        except NoReverseMatch:  # an old code in another shape: shown, not linked
            url = ""
    short = event.object_code if event.object_type == "people.person" else event.object_code[:8]
    record = f"{vocab.label('object_type', event.object_type)} {short}".strip() if event.object_type else ""
    return Row(
        event,
        vocab.label("audit_action", event.action),
        record,
        url,
        vocab.audit_detail(event.detail, event.object_type),
    )


@capability_required("audit.view")
def events(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    everything = AuditEvent.objects.filter(network=membership.network)
    rows = everything.select_related("actor")
    action = request.GET.get("action", "").strip()
    if action:
        rows = rows.filter(action__startswith=action)
    kind = request.GET.get("record", "").strip()
    if kind:
        rows = rows.filter(object_type=kind)
    who = request.GET.get("who", "").strip()
    if who:
        rows = rows.filter(actor__username=who)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    page.object_list = [_row(e) for e in page.object_list]  # type: ignore[misc]  # rows for the template
    actions = everything.values_list("action", flat=True).distinct().order_by("action")
    kinds = everything.exclude(object_type="").values_list("object_type", flat=True).distinct()
    people = everything.exclude(actor=None).values_list("actor__username", flat=True).distinct()
    return render(
        request,
        "audit/events.html",
        {
            "page": page,
            "action": action,
            "record": kind,
            "who": who,
            "actions": sorted(((a, vocab.label("audit_action", a)) for a in actions), key=lambda p: p[1]),
            "kinds": sorted(((k, vocab.label("object_type", k)) for k in kinds), key=lambda p: p[1]),
            "people": sorted(people),
        },
    )
