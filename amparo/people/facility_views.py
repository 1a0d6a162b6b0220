"""The facility directory and ICE field offices: public reference data.

The shared rows have one owner (review M6, amparo/people/facility_actions.py): the instance administrator changes
them for everyone; a network's coordinator changes them for their own network only (an override). Every page shows a
facility as the member's network sees it (``local_view``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.access import acting_user, is_instance_admin, require, require_instance_admin
from amparo.people import facility_actions, importer
from amparo.people.access import facilities_for, get_facility_for_user
from amparo.people.facilities import FieldOffice, local_view, local_views
from amparo.people.forms import FacilityForm, FacilityImportForm


def facility_list(request: HttpRequest) -> HttpResponse:
    membership = require(request, "facilities.view")
    facilities = facilities_for(membership).select_related("field_office")
    q = request.GET.get("q", "").strip()[:80]
    state = request.GET.get("state", "").strip().upper()[:2]
    if q:
        facilities = facilities.filter(Q(name__icontains=q) | Q(aliases__icontains=q) | Q(city__icontains=q))
    if state:
        facilities = facilities.filter(state=state)
    page = Paginator(facilities, 50).get_page(request.GET.get("page"))
    page.object_list = local_views(page.object_list, membership.network)
    context = {
        "page": page,
        "q": q,
        "state": state,
        "can_edit": membership.can("facilities.edit"),
        "can_import": membership.can("facilities.edit") and is_instance_admin(request.user),
    }
    return render(request, "people/facilities.html", context)


def facility_detail(request: HttpRequest, code: str) -> HttpResponse:
    membership = require(request, "facilities.view")
    facility = local_view(get_facility_for_user(request, code), membership.network)
    return render(
        request,
        "people/facility.html",
        {"facility": facility, "can_edit": membership.can("facilities.edit")},
    )


def facility_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Add a network's own facility, or change one: a shared one for everyone (instance administrator only) or
    for this network only (an override)."""
    membership = require(request, "facilities.edit")
    stored = get_facility_for_user(request, code, write=True) if code else None
    shared = stored is not None and stored.network_id is None
    for_everyone = shared and is_instance_admin(request.user)
    # The form starts from what this network sees; for the instance administrator, from the shared row itself.
    instance = (
        local_view(stored, membership.network)
        if stored is not None and shared and not for_everyone
        else stored
    )
    form = FacilityForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        actor = acting_user(request)
        if stored is None or not shared:
            obj = facility_actions.do_save_own_facility(
                membership.network, actor, form.save(commit=False), form.changed_data, created=stored is None
            )
            code = str(obj.code)
        else:
            changes = {f: form.cleaned_data[f] for f in form.changed_data}
            if for_everyone:
                facility_actions.do_update_shared_facility(actor, stored, changes)
            else:
                facility_actions.do_override_facility(membership.network, actor, stored, changes)
            code = str(stored.code)
        messages.success(request, _("Saved."))
        return redirect("people:facility", code=code)
    return render(
        request,
        "people/facility_form.html",
        {"form": form, "facility": instance, "shared": shared, "for_everyone": for_everyone},
        status=400 if form.errors else 200,
    )


def facility_import(request: HttpRequest) -> HttpResponse:
    """An updated list into the shared directory: the instance administrator only (403 for everyone else)."""
    require_instance_admin(request, "facilities.edit")
    form = FacilityImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = facility_actions.do_import_shared_facilities(
                acting_user(request), upload.read(importer.MAX_BYTES + 1), timezone.now().date().isoformat()
            )
        except importer.FacilityListError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request,
                _("%(created)d facilities added, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("people:facilities")
    return render(request, "people/facility_import.html", {"form": form}, status=400 if form.errors else 200)


def field_offices(request: HttpRequest) -> HttpResponse:
    require(request, "facilities.view")
    return render(request, "people/field_offices.html", {"offices": FieldOffice.objects.all()})
