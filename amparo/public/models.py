"""The public layer: materialised, anonymised rows that public pages and downloads read.

Only ``amparo.public.anonymise`` writes these tables, and it rebuilds them from scratch in one transaction, so a deleted,
withdrawn or corrected incident leaves the public layer at the next rebuild. Nothing here links back to a person or to
an internal incident: ``PublicIdentity`` (the one private table of this app) keeps the random public id of an incident
stable across rebuilds and is never shown.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    WEEK = "week", _("week")
    MONTH = "month", _("month")


class GeoLevel(models.TextChoices):
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    STATE = "state", _("state")
    NONE = "none", _("not known")


class PublicIdentity(models.Model):
    """Private: which random public id an incident carries. Deleted with the incident."""

    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="public_identity"
    )
    public_id = models.CharField(max_length=16, unique=True)

    def __str__(self) -> str:
        return self.public_id


class PublicIncident(models.Model):
    """One published incident, as the public may see it (every field already coarsened, banded and scrubbed)."""

    public_id = models.CharField(max_length=16, unique=True)
    date = models.DateField(db_index=True)  # first day of the period given by date_precision
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices)
    geo_level = models.CharField(max_length=6, choices=GeoLevel.choices)
    admin1 = models.CharField(max_length=2, blank=True, default="", db_index=True)  # state postal code
    admin1_name = models.CharField(max_length=60, blank=True, default="")
    admin2 = models.CharField(max_length=100, blank=True, default="")  # county name
    fips = models.CharField(max_length=5, blank=True, default="")
    locality = models.CharField(max_length=100, blank=True, default="")  # only when geo_level is city
    latitude = models.FloatField(null=True)  # a centroid, never the incident's own point
    longitude = models.FloatField(null=True)
    location_type = models.CharField(max_length=40, db_index=True)
    sensitive_2011 = models.BooleanField(default=False)
    protected_2021 = models.BooleanField(default=False)
    courthouse_2021 = models.BooleanField(default=False)
    place_label = models.CharField(max_length=200, blank=True, default="")
    incident_type = models.CharField(max_length=40, db_index=True)
    tactics = models.JSONField(default=list)
    agencies = models.JSONField(default=list)
    agencies_claimed = models.JSONField(default=list)
    operation = models.CharField(max_length=200, blank=True, default="")
    agents = models.CharField(max_length=10, blank=True, default="")  # bands such as "3-9"
    people_detained = models.CharField(max_length=10, blank=True, default="")
    us_citizens_detained = models.CharField(max_length=10, blank=True, default="")
    injuries = models.CharField(max_length=10, blank=True, default="")
    fatalities = models.CharField(max_length=10, blank=True, default="")
    use_of_force = models.CharField(max_length=30, blank=True, default="")
    warrant_presented = models.CharField(max_length=30, blank=True, default="")
    entry_type = models.CharField(max_length=30, blank=True, default="")
    verification_level = models.CharField(max_length=30)
    note = models.TextField(blank=True, default="")
    official_claims = models.TextField(blank=True, default="")
    evidence_response = models.TextField(blank=True, default="")
    sources = models.JSONField(default=list)  # [{"type", "title", "url", "date"}]

    class Meta:
        ordering = ["-date", "public_id"]
        indexes = [models.Index(fields=["-date", "public_id"], name="public_incident_order")]

    def __str__(self) -> str:
        return self.public_id

    @property
    def formerly_protected(self) -> bool:
        return self.sensitive_2011 or self.protected_2021 or self.courthouse_2021


class AggregateCount(models.Model):
    """A count for the charts and the aggregate download; ``count`` is None where fewer than k (suppressed).

    ``dimension`` is one of month, location_type, incident_type, tactic, agency, state, or cell (a month x state x
    county x location type x incident type cube, whose coordinates are in the other fields).
    """

    dimension = models.CharField(max_length=20)
    key = models.CharField(max_length=60, blank=True, default="")
    month = models.CharField(max_length=7, blank=True, default="")
    admin1 = models.CharField(max_length=2, blank=True, default="")
    admin2 = models.CharField(max_length=100, blank=True, default="")
    location_type = models.CharField(max_length=40, blank=True, default="")
    incident_type = models.CharField(max_length=40, blank=True, default="")
    count = models.PositiveIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["dimension", "key"], name="public_aggregate_dim")]


class PublicBuild(models.Model):
    """One rebuild of the public layer: when, and how much was published, held back or suppressed."""

    built_at = models.DateTimeField(default=timezone.now)
    published = models.PositiveIntegerField(default=0)
    embargoed = models.PositiveIntegerField(default=0)
    suppressed = models.PositiveIntegerField(default=0)
    k = models.PositiveSmallIntegerField(default=3)

    class Meta:
        ordering = ["-built_at", "-id"]
