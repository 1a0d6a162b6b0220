"""The triage queue and one report: assign, mark spam or no action, link to an incident or make one, dispatch."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amparo.access import acting_user, capability_required, require, require_membership
from amparo.corroboration import panels
from amparo.incidents import actions, codes, queries, search
from amparo.incidents import evidence as evidence_rows
from amparo.incidents.access import get_report_for_user
from amparo.incidents.forms import DispatchForm, LinkForm, NewIncidentFromReportForm, TriageForm
from amparo.incidents.models import Dispatch, Incident, Report
from amparo.incidents.vocab import Labels

OPEN_STATUSES = ("new", "triaged", "dispatched")
# Priority in a queue cell: a few words that still say how urgent (the full label is the cell's title).
PRIORITY_SHORT = {
    codes.Priority.CRITICAL: gettext_lazy("Now: people taken"),
    codes.Priority.ACTIVE: gettext_lazy("Now: agents there"),
    codes.Priority.OBSERVED: gettext_lazy("Seen earlier"),
    codes.Priority.INFO: gettext_lazy("Information"),
}

QUICK = {  # one-key triage actions: key -> status
    "spam": codes.ReportStatus.SPAM,
    "no_action": codes.ReportStatus.NO_ACTION,
    "triaged": codes.ReportStatus.TRIAGED,
    "archived": codes.ReportStatus.ARCHIVED,
    "new": codes.ReportStatus.NEW,
}


def str_choices(choices: Any) -> list[tuple[str, str]]:
    """Choices with their labels translated once (a page of 50 rows would otherwise translate them per row)."""
    return [(str(value), str(label)) for value, label in choices.choices]


def _filters(request: HttpRequest) -> dict[str, str]:
    keys = ("status", "priority", "channel", "assigned", "q")
    out = {k: request.GET.get(k, "").strip() for k in keys}
    if "status" not in request.GET:
        out["status"] = "new"
    return out


@capability_required("reports.view")
def triage(request: HttpRequest) -> HttpResponse:
    """The queue of reports from every channel, newest first, with filters and (capped) counts."""
    membership = require_membership(request)
    f = _filters(request)
    base = Report.objects.filter(network=membership.network)
    rows = base
    if f["status"] == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif f["status"] in codes.ReportStatus.values:
        rows = rows.filter(status=f["status"])
    if f["priority"] in codes.Priority.values:
        rows = rows.filter(priority=f["priority"])
    if f["channel"] in codes.Channel.values:
        rows = rows.filter(channel=f["channel"])
    if f["assigned"] == "me":
        rows = rows.filter(assigned_to=membership)
    elif f["assigned"] == "nobody":
        rows = rows.filter(assigned_to=None)
    if f["q"]:
        rows = search.search(rows, f["q"], membership.network_id)
    page = queries.keyset_page(
        rows.select_related("assigned_to__user", "incident"), "received_at", request.GET.get("after", "")
    )
    statuses, priorities, channels = (
        str_choices(codes.ReportStatus),
        str_choices(codes.Priority),
        str_choices(codes.Channel),
    )
    counts = [  # only the open statuses are counted: three small index range scans, capped
        (value, label, queries.capped_count(base.filter(status=value)) if value in OPEN_STATUSES else None)
        for value, label in statuses
    ]
    query = {k: v for k, v in f.items() if v}
    return render(
        request,
        "incidents/triage.html",
        {
            "page": page,
            "f": f,
            "query": query,
            "counts": counts,
            "cap": queries.COUNT_CAP,
            "statuses": statuses,
            "priorities": priorities,
            "channels": channels,
            "status_names": dict(statuses),
            "priority_names": dict(priorities),
            "priority_short": PRIORITY_SHORT,
            "channel_names": dict(channels),
            "labels": Labels.for_network(membership.network_id),
            "can_triage": membership.can("reports.triage"),
        },
    )


@capability_required("reports.view")
def report_detail(request: HttpRequest, code: str) -> HttpResponse:
    report = get_report_for_user(request, code)
    membership = require_membership(request)
    network_id = membership.network_id
    context: dict[str, Any] = {
        "report": report,
        "labels": Labels.for_network(network_id),
        "can_triage": membership.can("reports.triage"),
        "can_dispatch": membership.can("dispatch.manage"),
        "triage_form": TriageForm(
            network_id=network_id,
            initial={"status": report.status, "priority": report.priority, "assigned_to": report.assigned_to},
        ),
        "link_form": LinkForm(),
        "new_form": NewIncidentFromReportForm(),
        "dispatch_form": DispatchForm(network_id=network_id),
        "dispatches": Dispatch.objects.filter(report=report).select_related("responder__user"),
        "witness_messages": list(report.witness_messages.all()),
        "evidence": evidence_rows.for_reports([report]),
    }
    if context["can_triage"]:
        context["recent_incidents"] = Incident.objects.filter(network=report.network).order_by(
            "-start_at", "-id"
        )[:8]
        # facts proposed from the text and similar incidents, each with its reasons (amparo.corroboration)
        context["corr_panel"] = panels.report_panel(report, membership)
    return render(request, "incidents/report.html", context)


@require_POST
def report_triage(request: HttpRequest, code: str) -> HttpResponse:
    report = get_report_for_user(request, code, write="reports.triage")
    membership = require_membership(request)
    user = acting_user(request)
    quick = request.POST.get("quick", "")
    if quick == "assign_me":
        actions.do_triage_report(report, user, assigned_to=membership)
    elif quick in QUICK:
        actions.do_triage_report(report, user, status=QUICK[quick])
        messages.success(request, _("Report marked “%(status)s”.") % {"status": QUICK[quick].label})
        return _next_in_queue(request, report)
    else:
        form = TriageForm(request.POST, network_id=membership.network_id)
        if not form.is_valid():
            messages.error(request, _("Please check the triage fields."))
            return redirect("incidents:report", code=report.code)
        actions.do_triage_report(
            report,
            user,
            status=form.cleaned_data["status"] or None,
            priority=form.cleaned_data["priority"] or None,
            assigned_to=form.cleaned_data["assigned_to"],
        )
        messages.success(request, _("Report updated."))
    return redirect("incidents:report", code=report.code)


@require_POST
def report_message(request: HttpRequest, code: str) -> HttpResponse:
    """Send a message to the witness; they read it on their follow-up page."""
    report = get_report_for_user(request, code, write="reports.triage")
    try:
        actions.do_send_witness_message(report, require_membership(request), request.POST.get("text", ""))
    except actions.ActionError:
        messages.error(request, _("Write the message first. Only reports with a follow-up code can get one."))
    else:
        messages.success(request, _("Message sent. The witness sees it when they open their report."))
    return redirect("incidents:report", code=report.code)


def _next_in_queue(request: HttpRequest, report: Report) -> HttpResponse:
    """After a one-key decision, go straight to the next new report (older than this one), or back to the queue."""
    following = (
        Report.objects.filter(network_id=report.network_id, status=codes.ReportStatus.NEW)
        .exclude(pk=report.pk)
        .order_by("-received_at", "-id")
        .values_list("code", flat=True)
        .first()
    )
    if following is not None:
        return redirect("incidents:report", code=following)
    return redirect("incidents:triage")


@require_POST
def report_link(request: HttpRequest, code: str) -> HttpResponse:
    report = get_report_for_user(request, code, write="reports.triage")
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the code of an incident."))
        return redirect("incidents:report", code=report.code)
    incident = Incident.objects.filter(network=report.network, code=form.cleaned_data["incident"]).first()
    if incident is None:
        messages.error(request, _("No incident with that code in this network."))
        return redirect("incidents:report", code=report.code)
    actions.do_link_report(report, incident, acting_user(request))
    messages.success(request, _("Report linked to the incident."))
    return redirect("incidents:incident", code=incident.code)


@require_POST
def report_unlink(request: HttpRequest, code: str) -> HttpResponse:
    report = get_report_for_user(request, code, write="reports.triage")
    actions.do_unlink_report(report, acting_user(request))
    return redirect("incidents:report", code=report.code)


@require_POST
def report_create_incident(request: HttpRequest, code: str) -> HttpResponse:
    report = get_report_for_user(request, code, write="reports.triage")
    require(request, "reports.triage")
    if report.incident_id:
        messages.error(request, _("This report is already linked to an incident."))
        return redirect("incidents:report", code=report.code)
    form = NewIncidentFromReportForm(request.POST)
    title = form.cleaned_data["title"] if form.is_valid() else ""
    incident = actions.do_create_incident_from_report(report, acting_user(request), title=title)
    messages.success(request, _("Incident created from the report. Check its facts, then verify it."))
    return redirect("incidents:incident", code=incident.code)
