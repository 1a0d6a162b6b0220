"""The facility directory and ICE field offices: public reference data, editable by coordinators."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.access import acting_user, require
from amparo.audit.actions import record
from amparo.people import importer
from amparo.people.access import facilities_for, get_facility_for_user
from amparo.people.facilities import Facility, FieldOffice
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
    context = {"page": page, "q": q, "state": state, "can_edit": membership.can("facilities.edit")}
    return render(request, "people/facilities.html", context)


def facility_detail(request: HttpRequest, code: str) -> HttpResponse:
    membership = require(request, "facilities.view")
    facility = get_facility_for_user(request, code)
    return render(
        request,
        "people/facility.html",
        {"facility": facility, "can_edit": membership.can("facilities.edit")},
    )


def facility_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    membership = require(request, "facilities.edit")
    facility = get_facility_for_user(request, code, write=True) if code else None
    form = FacilityForm(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            obj = form.save(commit=False)
            obj.updated_at = timezone.now()
            obj.last_verified_at = timezone.now()
            if facility is None:
                obj.network = membership.network
                obj.import_key = f"{membership.network.code}|{obj.code}"
            obj.save()
            form.save_m2m()
            record(
                acting_user(request),
                membership.network,
                "facility.created" if facility is None else "facility.updated",
                obj,
                fields=sorted(form.changed_data),
            )
        messages.success(request, _("Saved."))
        return redirect("people:facility", code=obj.code)
    return render(
        request,
        "people/facility_form.html",
        {"form": form, "facility": facility},
        status=400 if form.errors else 200,
    )


def facility_import(request: HttpRequest) -> HttpResponse:
    membership = require(request, "facilities.edit")
    form = FacilityImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with transaction.atomic():
                result = importer.import_facilities(
                    Facility,
                    FieldOffice,
                    upload.read(importer.MAX_BYTES + 1),
                    timezone.now().date().isoformat(),
                )
        except importer.FacilityListError as exc:
            form.add_error("file", str(exc))
        else:
            record(
                acting_user(request),
                membership.network,
                "facility.imported",
                None,
                created=result.created,
                updated=result.updated,
                merged=result.merged,
            )
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
