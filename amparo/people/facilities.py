"""The detention-facility and ICE field-office directory: public reference data, shared by every network.

Seeded from the list shipped in amparo/people/data/ (see its README for provenance and licences), updated with
``amparo facilities import FILE``. The shared rows (``network`` empty) have one owner, the instance administrator
(review M6): a network's coordinator who edits a shared facility writes a ``FacilityOverride`` that only their network
sees, and every page of that network shows the facility through ``local_view``.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.people import vocab

OSM_ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0"


class FieldOffice(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    aor_code = models.CharField(_("area of responsibility code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    city = models.CharField(_("city"), max_length=80, blank=True, default="")
    state = models.CharField(_("state"), max_length=2, blank=True, default="")
    zip = models.CharField(_("ZIP code"), max_length=10, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    email = models.CharField(_("e-mail"), max_length=120, blank=True, default="")
    aor_description = models.TextField(_("area of responsibility"), blank=True, default="")
    sub_offices = models.TextField(_("sub-offices and check-in locations"), blank=True, default="")
    snapshot = models.CharField(_("list of"), max_length=20, blank=True, default="")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Facility(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    import_key = models.CharField(max_length=140, unique=True, editable=False)
    # None: the shared directory (shipped list and imports); a network: a site that network added for itself
    network = models.ForeignKey(
        "accounts.Network", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    detloc_code = models.CharField(_("DETLOC code"), max_length=12, blank=True, default="")
    name = models.CharField(_("name"), max_length=160)
    aliases = models.CharField(_("other names"), max_length=300, blank=True, default="")
    address = models.CharField(_("street address"), max_length=200, blank=True, default="")
    city = models.CharField(_("city"), max_length=80, blank=True, default="")
    county = models.CharField(_("county"), max_length=80, blank=True, default="")
    state = models.CharField(_("state"), max_length=2, blank=True, default="", db_index=True)
    zip = models.CharField(_("ZIP code"), max_length=10, blank=True, default="")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    coord_source = models.CharField(_("coordinates from"), max_length=200, blank=True, default="")
    coord_license = models.CharField(_("coordinate licence"), max_length=80, blank=True, default="")
    aor_code = models.CharField(_("field office code"), max_length=8, blank=True, default="")
    field_office = models.ForeignKey(
        FieldOffice, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilities"
    )
    type_detailed = models.CharField(_("ICE facility type"), max_length=20, blank=True, default="")
    type_name = models.CharField(_("facility type (name)"), max_length=120, blank=True, default="")
    type_grouped = models.CharField(
        _("facility group"),
        max_length=20,
        choices=vocab.FacilityGroup.choices,
        default=vocab.FacilityGroup.OTHER,
    )
    operator = models.CharField(
        _("operator"), max_length=20, choices=vocab.Operator.choices, default=vocab.Operator.UNKNOWN
    )
    over_72h = models.BooleanField(_("holds people over 72 hours"), null=True, blank=True)
    juvenile_family = models.BooleanField(_("juvenile or family facility"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    visitation_notes = models.TextField(_("visiting"), blank=True, default="")
    legal_access_notes = models.TextField(_("legal access"), blank=True, default="")
    source_urls = models.TextField(_("sources"), blank=True, default="")
    snapshot = models.CharField(_("list of"), max_length=20, blank=True, default="")
    last_verified_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    # Set on a network's view only (local_view below): plain attributes, not columns.
    viewed_by: Any = None
    overridden_fields: tuple[str, ...] = ()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        where = ", ".join(p for p in (self.city.title(), self.state) if p)
        return f"{self.name} ({where})" if where else self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A network's view carries that network's override values: saving it would hand them to every network.
        if self.viewed_by is not None:
            raise RuntimeError(
                "a network's view of a shared facility cannot be saved; write a FacilityOverride"
            )
        super().save(*args, **kwargs)

    @property
    def source_list(self) -> list[str]:
        return [u for u in self.source_urls.split() if u]


# The fields a network may give its own value for: those of the facility form (amparo/people/forms.py).
OVERRIDABLE = (
    "name",
    "aliases",
    "detloc_code",
    "address",
    "city",
    "county",
    "state",
    "zip",
    "phone",
    "aor_code",
    "type_detailed",
    "type_grouped",
    "operator",
    "over_72h",
    "juvenile_family",
    "visitation_notes",
    "legal_access_notes",
    "source_urls",
    "active",
)


class FacilityOverride(models.Model):
    """One network's own values for some fields of a shared facility, seen by that network only (review M6).

    ``values`` holds only the fields that differ from the shared row; a field set back to the shared value leaves it.
    """

    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="overrides")
    values = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "facility"], name="one_facility_override_per_network")
        ]

    def __str__(self) -> str:
        return f"{self.facility} ({self.network})"


def _apply(facility: Facility, network: Any, override: FacilityOverride | None) -> Facility:
    view = copy.copy(facility)
    view.viewed_by = network  # marks the copy: Facility.save refuses it
    values = override.values if override is not None else {}
    for field, value in values.items():
        if field in OVERRIDABLE:
            setattr(view, field, value)
    view.overridden_fields = tuple(sorted(f for f in values if f in OVERRIDABLE))
    return view


def local_view(facility: Facility, network: Any) -> Facility:
    """The facility as this network sees it: a shared row with the network's override applied (never saved)."""
    if facility.network_id is not None:
        return facility
    override = FacilityOverride.objects.filter(network=network, facility=facility).first()
    return _apply(facility, network, override)


def local_views(facilities: Iterable[Facility], network: Any) -> list[Facility]:
    """``local_view`` for many facilities with one query."""
    rows = list(facilities)
    shared = [f.pk for f in rows if f.network_id is None]
    overrides = {
        o.facility_id: o for o in FacilityOverride.objects.filter(network=network, facility_id__in=shared)
    }
    return [f if f.network_id is not None else _apply(f, network, overrides.get(f.pk)) for f in rows]
