"""Pages about people: the list and look-up, the case file, custody, locator checks, contacts, consents, tasks.

Every page that shows a name, an A-number, a date of birth or a contact writes a ``person.viewed`` audit event.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.access import acting_user, require, require_membership
from amparo.accounts.models import Membership
from amparo.audit.actions import record
from amparo.incidents.models import Incident
from amparo.people import actions, export, followup
from amparo.people.access import facilities_for, get_person_for_user, get_task_for_user, visible_people
from amparo.people.forms import (
    ArrestForm,
    ConsentForm,
    ContactForm,
    CustodyForm,
    IncidentLinkForm,
    LocatorCheckForm,
    LookupForm,
    PersonForm,
    TaskForm,
)
from amparo.people.models import Person, Task

PAGE_SIZE = 50


def _members(membership: Membership) -> Any:
    return (
        Membership.objects.filter(
            network=membership.network, role__in=["coordinator", "caseworker", "legal_partner"]
        )
        .select_related("user")
        .order_by("display_name", "user__username")
    )


def person_list(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    if not (membership.can("people.view") or membership.can("people.referred")):
        require(request, "people.view")
    people = visible_people(membership).select_related("current_facility").order_by("-created_at")
    # A look-up is a POST: an A-number never goes into a URL, a browser history or a proxy's log.
    form = LookupForm(request.POST or None)
    query = ""
    matches: list[Any] = []
    if request.method == "POST" and form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        found = people.filter(case_code=query.upper()).first()
        by = "case_code"
        if found is None:
            by_number = actions.find_by_a_number(membership.network, query)
            found = people.filter(pk=by_number.pk).first() if by_number else None
            by = "a_number"
        if found is None and any(c.isalpha() for c in query):
            matches = actions.find_by_name(people, membership.network, query)
            by = "name"
            found = matches[0] if len(matches) == 1 else None
        results = len(matches) if by == "name" else int(found is not None)
        # the same audit as every look-up: who searched, how, and how many they found (never the words)
        record(acting_user(request), membership.network, "person.searched", None, by=by, results=results)
        if found is not None:
            return redirect("people:detail", case_code=found.case_code)
        if not matches:
            messages.warning(request, _("No one with that case code, A-number or name."))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "query": query,
        "matches": matches,
        "can_edit": membership.can("people.edit"),
    }
    return render(request, "people/list.html", context)


def person_create(request: HttpRequest) -> HttpResponse:
    membership = require(request, "people.edit")
    initial = {"incident": request.GET.get("incident", "")}
    form = ArrestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        incident = None
        if data["incident"]:
            incident = Incident.objects.filter(network=membership.network, code=data["incident"]).first()
            if incident is None:
                form.add_error("incident", _("No incident with that code in this network."))
        if not form.errors:
            person = actions.do_create_person(
                acting_user(request),
                membership.network,
                _identity(data),
                incident=incident,
                role=data["role"],
                **_plain(data),
            )
            messages.success(request, _("Case %(code)s opened.") % {"code": person.case_code})
            return redirect("people:detail", case_code=person.case_code)
    return render(
        request, "people/person_form.html", {"form": form, "person": None}, status=400 if form.errors else 200
    )


def _identity(data: dict[str, Any]) -> actions.Identity:
    return actions.Identity(
        legal_name=data["legal_name"],
        aliases=data["aliases"],
        a_number=data["a_number"],
        date_of_birth=data["date_of_birth"],
        notes=data["notes"],
    )


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {field: data[field] for field in actions.PLAIN_FIELDS if field in data}


def person_detail(request: HttpRequest, case_code: str) -> HttpResponse:
    person = get_person_for_user(request, case_code)
    membership = require_membership(request)
    user = acting_user(request)
    dek = person.dek()
    identity = person.identity(dek)
    show_contacts = actions.may_see_contacts(membership, person)
    contacts = [
        {
            "c": c,
            "name": c.secret(dek, "name"),
            "phone": c.secret(dek, "phone"),
            "notes": c.secret(dek, "notes"),
        }
        for c in (person.contacts.all() if show_contacts else [])
    ]
    actions.record_view(user, person, "file")
    context = {
        "person": person,
        "identity": identity,
        "contacts": contacts,
        "show_contacts": show_contacts,
        "episodes": person.episodes.prefetch_related("placements__facility"),
        "checks": person.locator_checks.select_related("facility_returned", "checked_by")[:20],
        "consents": person.consents.all(),
        "links": person.incident_links.select_related("incident"),
        "tasks": person.tasks.filter(done_at=None).select_related("owner__user"),
        "referrals": person.referrals.select_related("provider"),
        "representations": person.representations.select_related("provider"),
        "cases": person.legal_cases.prefetch_related("hearings", "bonds"),
        "can_edit": membership.can("people.edit"),
        "can_delete": membership.can("people.delete"),
        "can_legal": membership.can("legal.edit"),
        "now": timezone.now(),
    }
    return render(request, "people/detail.html", context)


def person_edit(request: HttpRequest, case_code: str) -> HttpResponse:
    person = get_person_for_user(request, case_code, write="people.edit")
    user = acting_user(request)
    identity = person.identity()
    dob = person.date_of_birth(person.dek())
    initial = {**identity, "date_of_birth": dob, **{f: getattr(person, f) for f in actions.PLAIN_FIELDS}}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.do_update_person(user, person, _identity(form.cleaned_data), **_plain(form.cleaned_data))
        messages.success(request, _("Saved."))
        return redirect("people:detail", case_code=person.case_code)
    actions.record_view(user, person, "edit")
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


def person_delete(request: HttpRequest, case_code: str) -> HttpResponse:
    person = get_person_for_user(request, case_code, write="people.delete")
    if request.method == "POST" and request.POST.get("confirm") == person.case_code:
        code = actions.do_delete_person(acting_user(request), person)
        messages.success(request, _("Case %(code)s and its data key were destroyed.") % {"code": code})
        return redirect("people:list")
    return render(
        request, "people/delete.html", {"person": person}, status=400 if request.method == "POST" else 200
    )


def _child_form(
    request: HttpRequest,
    case_code: str,
    form_class: type,
    title: str,
    save: Any,
    *,
    capability: str = "people.edit",
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    person = get_person_for_user(request, case_code, write=capability)
    membership = require_membership(request)
    kwargs = {key: value(membership) for key, value in (form_kwargs or {}).items()}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        save(acting_user(request), person, form.cleaned_data, membership)
        messages.success(request, _("Saved."))
        return redirect("people:detail", case_code=person.case_code)
    context = {"form": form, "person": person, "title": title}
    return render(request, "people/child_form.html", context, status=400 if form.errors else 200)


def custody_add(request: HttpRequest, case_code: str) -> HttpResponse:
    def save(user: Any, person: Person, d: dict[str, Any], m: Membership) -> None:
        actions.do_record_custody(
            user,
            person,
            custodian=d["custodian"],
            status=d["status"],
            source=d["source"],
            start=d["start"],
            facility=d["facility"],
            holding_site_text=d["holding_site_text"],
            release_reason=d["release_reason"],
            confidence=d["confidence"],
        )

    return _child_form(
        request,
        case_code,
        CustodyForm,
        _("Record custody information"),
        save,
        form_kwargs={"facilities": facilities_for},
    )


def locator_add(request: HttpRequest, case_code: str) -> HttpResponse:
    def save(user: Any, person: Person, d: dict[str, Any], m: Membership) -> None:
        actions.do_record_locator_check(
            user,
            person,
            mode=d["mode"],
            result=d["result"],
            facility_returned=d["facility_returned"],
            at=d["at"],
            owner=m,
        )

    return _child_form(
        request,
        case_code,
        LocatorCheckForm,
        _("Record a locator check"),
        save,
        form_kwargs={"facilities": facilities_for},
    )


def contact_add(request: HttpRequest, case_code: str) -> HttpResponse:
    def save(user: Any, person: Person, d: dict[str, Any], m: Membership) -> None:
        actions.do_add_contact(user, person, **d)

    return _child_form(request, case_code, ContactForm, _("Add a contact"), save)


def consent_add(request: HttpRequest, case_code: str) -> HttpResponse:
    def save(user: Any, person: Person, d: dict[str, Any], m: Membership) -> None:
        actions.do_add_consent(user, person, **d)

    return _child_form(request, case_code, ConsentForm, _("Record consent"), save)


def incident_link(request: HttpRequest, case_code: str) -> HttpResponse:
    def save(user: Any, person: Person, d: dict[str, Any], m: Membership) -> None:
        incident = Incident.objects.filter(network=m.network, code=d["incident"]).first()
        if incident is None:
            raise Http404
        actions.do_link_incident(user, person, incident, d["role"])

    return _child_form(request, case_code, IncidentLinkForm, _("Link to an incident"), save)


def task_add(request: HttpRequest, case_code: str) -> HttpResponse:
    def save(user: Any, person: Person, d: dict[str, Any], m: Membership) -> None:
        actions.do_add_task(user, m.network, person=person, **d)

    return _child_form(
        request,
        case_code,
        TaskForm,
        _("Add a task"),
        save,
        capability="tasks.view",
        form_kwargs={"members": _members},
    )


def task_list(request: HttpRequest) -> HttpResponse:
    membership = require(request, "tasks.view")
    people = visible_people(membership)
    tasks = (
        Task.objects.filter(network=membership.network, done_at=None)
        .filter(person__in=people)
        .select_related("person", "owner__user")
        .order_by("due_at")
    )
    mine = request.GET.get("mine") == "1"
    if mine:
        tasks = tasks.filter(owner=membership)
    mine_or_unassigned = Task.objects.filter(
        network=membership.network, done_at=None, person=None, owner=membership
    )
    context = {"tasks": list(tasks) + list(mine_or_unassigned), "mine": mine, "now": timezone.now()}
    return render(request, "people/tasks.html", context)


@require_POST
def task_done(request: HttpRequest, code: str) -> HttpResponse:
    task = get_task_for_user(request, code)
    actions.do_complete_task(acting_user(request), task)
    messages.success(request, _("Task done."))
    if task.person is not None:
        return redirect("people:detail", case_code=task.person.case_code)
    return redirect("people:tasks")


def followup_page(request: HttpRequest) -> HttpResponse:
    membership = require(request, "tasks.view")
    people = visible_people(membership)
    now = timezone.now()
    referrals = list(followup.unanswered_referrals(people, now))
    context = {
        "no_lawyer": followup.no_lawyer(people, now),
        "no_custody": followup.no_custody_info(people, now),
        "hearings": followup.hearings_soon(people, now),
        "referrals": [(r, followup.late_referral(r, now)) for r in referrals],
        "overdue": followup.overdue_tasks(people, membership.pk, now),
        "now": now,
        "hours": {
            "lawyer": followup.NO_LAWYER_HOURS,
            "custody": followup.NO_CUSTODY_INFO_HOURS,
            "hearing_days": followup.HEARING_DAYS,
        },
    }
    return render(request, "people/followup.html", context)


def person_export(request: HttpRequest, case_code: str) -> HttpResponseBase:
    """The case file as a zip for the person's lawyer (POST: an export is an audited act, never a prefetch)."""
    person = get_person_for_user(request, case_code, write="legal.view")
    membership = require_membership(request)
    if request.method != "POST":
        return render(request, "people/export.html", {"person": person, "consents": person.consents.all()})
    out = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it; unnamed, gone when closed)
    with_evidence = membership.can("evidence.bundle") or membership.can("people.referred")
    export.write_case_file(
        person,
        out,
        acting_user(request),
        with_evidence=with_evidence,
        with_contacts=actions.may_see_contacts(membership, person),
    )
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=f"case-{person.case_code}.zip", content_type="application/zip"
    )
