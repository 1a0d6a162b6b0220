"""Reports (what reached the network), incidents (what happened, as verified), dispatches and the verification log.

Every row belongs to one network; pages reach rows only through amparo.access. Verification is a log: the current
level of an incident is derived from its VerificationEvent rows (``Incident.refresh_level``), never edited by hand.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.incidents import codes

LOCATION_CHOICES = [(code, label) for code, label, *_flags in codes.LOCATION_TYPES]
INCIDENT_TYPE_CHOICES = codes.INCIDENT_TYPES
AGENCY_CHOICES = codes.AGENCIES


class Incident(models.Model):
    """One verified event: one day, one place, one operation (ACLED's atomic event rule)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="incidents")
    title = models.CharField(_("short title"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    # when
    start_at = models.DateTimeField(_("started"), null=True, blank=True, db_index=True)
    end_at = models.DateTimeField(_("ended"), null=True, blank=True)
    time_precision = models.PositiveSmallIntegerField(
        choices=codes.Precision.choices, default=codes.Precision.NEAR
    )
    # where: the private place, and what may be said in public
    place_name = models.CharField(_("place name (private)"), max_length=200, blank=True, default="")
    address = models.CharField(_("address (private)"), max_length=300, blank=True, default="")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    geo_precision = models.PositiveSmallIntegerField(
        choices=codes.Precision.choices, default=codes.Precision.NEAR
    )
    admin1 = models.CharField(_("state"), max_length=2, blank=True, default="")
    admin2 = models.CharField(_("county"), max_length=100, blank=True, default="")
    locality = models.CharField(_("city"), max_length=100, blank=True, default="")
    public_label = models.CharField(
        _("public description of the place"), max_length=200, blank=True, default=""
    )
    location_type = models.CharField(
        _("location type"), max_length=40, choices=LOCATION_CHOICES, default="unknown"
    )
    at_or_near = models.CharField(
        max_length=10,
        default="at",
        choices=[("at", _("at")), ("adjacent", _("adjacent")), ("near", _("near"))],
    )
    distance_m = models.PositiveIntegerField(null=True, blank=True)
    sensitive_2011 = models.BooleanField(default=False, editable=False)
    protected_2021 = models.BooleanField(default=False, editable=False)
    courthouse_policy_2021 = models.BooleanField(default=False, editable=False)
    # what
    incident_type = models.CharField(
        _("incident type"), max_length=40, choices=INCIDENT_TYPE_CHOICES, default="other"
    )
    tactics = models.JSONField(_("tactics"), default=list, blank=True)
    operation_name = models.CharField(_("named operation"), max_length=200, blank=True, default="")
    agents_count_low = models.PositiveIntegerField(null=True, blank=True)
    agents_count_high = models.PositiveIntegerField(null=True, blank=True)
    vehicles_count = models.PositiveIntegerField(null=True, blank=True)
    people_detained_low = models.PositiveIntegerField(null=True, blank=True)
    people_detained_high = models.PositiveIntegerField(null=True, blank=True)
    us_citizens_detained = models.PositiveIntegerField(null=True, blank=True)
    children_affected = models.BooleanField(null=True, blank=True)
    use_of_force = models.CharField(
        max_length=30, choices=codes.UseOfForce.choices, default=codes.UseOfForce.UNKNOWN
    )
    injuries = models.PositiveIntegerField(null=True, blank=True)
    fatalities = models.PositiveIntegerField(null=True, blank=True)
    warrant_presented = models.CharField(
        max_length=30, choices=codes.Warrant.choices, default=codes.Warrant.NOT_ASKED
    )
    entry_type = models.CharField(max_length=30, choices=codes.Entry.choices, default=codes.Entry.UNKNOWN)
    observers_present = models.BooleanField(null=True, blank=True)
    # verification (derived) and publication
    verification_level = models.CharField(
        max_length=30,
        choices=codes.Level.choices,
        default=codes.Level.REPORTED,
        editable=False,
        db_index=True,
    )
    notes_private = models.TextField(_("private notes"), blank=True, default="")
    notes_public = models.TextField(_("public note"), blank=True, default="")
    official_claims = models.TextField(_("what officials said"), blank=True, default="")
    evidence_response = models.TextField(_("what the evidence shows"), blank=True, default="")
    publish_status = models.CharField(
        max_length=20, choices=codes.PublishStatus.choices, default=codes.PublishStatus.DRAFT
    )
    embargo_until = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["network", "-start_at", "-id"], name="incident_list"),
            models.Index(
                fields=["network", "verification_level", "-start_at", "-id"], name="incident_list_level"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.derive_flags()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "location_type" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {
                *update_fields,
                "sensitive_2011",
                "protected_2021",
                "courthouse_policy_2021",
            }  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # forwards Django's own save() arguments

    def derive_flags(self) -> None:
        """The 2011/2021 policy flags follow from the location type (a network's own term may carry flags too)."""
        flags = codes.LOCATION_FLAGS.get(self.location_type)
        if flags is None:
            term = (
                Term.objects.filter(vocabulary="location_type", code=self.location_type)
                .filter(models.Q(network=None) | models.Q(network_id=self.network_id))
                .first()
            )
            flags = term.policy_flags if term else (False, False, False)
        self.sensitive_2011, self.protected_2021, self.courthouse_policy_2021 = flags

    @property
    def is_publishable_level(self) -> bool:
        return self.verification_level in codes.PUBLISHABLE_LEVELS


class IncidentAgency(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="agencies")
    agency = models.CharField(max_length=40, choices=AGENCY_CHOICES)
    role = models.CharField(max_length=20, choices=codes.AgencyRole.choices, default=codes.AgencyRole.LEAD)
    basis = models.CharField(
        max_length=20, choices=codes.IdentificationBasis.choices, default=codes.IdentificationBasis.INFERRED
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "agency"], name="one_row_per_incident_agency")
        ]


class Source(models.Model):
    """Where a fact came from: a report, an article, an official statement, a court record."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="sources")
    source_type = models.CharField(max_length=40, choices=codes.SourceType.choices)
    title = models.CharField(max_length=300, blank=True, default="")
    url = models.URLField(max_length=1000, blank=True, default="")
    archived_sha256 = models.CharField(max_length=64, blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True)
    public = models.BooleanField(_("may be cited publicly"), default=False)


class Report(models.Model):
    """One raw submission from any channel. The triage queue lists these."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="reports")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    channel = models.CharField(max_length=40, choices=codes.Channel.choices)
    reporter_role = models.CharField(
        max_length=30, choices=codes.ReporterRole.choices, default=codes.ReporterRole.ANONYMOUS
    )
    language = models.CharField(max_length=8, blank=True, default="")
    text = models.TextField(_("what happened"), blank=True, default="")
    # when and where, as claimed
    claimed_time = models.DateTimeField(null=True, blank=True)
    time_precision = models.PositiveSmallIntegerField(
        choices=codes.Precision.choices, default=codes.Precision.NEAR
    )
    place_text = models.CharField(_("place, in words"), max_length=300, blank=True, default="")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    geo_precision = models.PositiveSmallIntegerField(
        choices=codes.Precision.choices, default=codes.Precision.NEAR
    )
    location_type = models.CharField(max_length=40, choices=LOCATION_CHOICES, blank=True, default="")
    # SALUTE
    agents_count_low = models.PositiveIntegerField(null=True, blank=True)
    agents_count_high = models.PositiveIntegerField(null=True, blank=True)
    activity = models.TextField(blank=True, default="")
    uniform = models.CharField(max_length=300, blank=True, default="")
    observed_duration = models.CharField(max_length=100, blank=True, default="")
    equipment = models.CharField(max_length=300, blank=True, default="")
    vehicles = models.JSONField(
        default=list, blank=True
    )  # [{make, model, colour, plate_state, plate, markings, plates_missing}]
    claimed_agencies = models.JSONField(default=list, blank=True)
    people_taken_count = models.PositiveIntegerField(null=True, blank=True)
    children_present = models.BooleanField(null=True, blank=True)
    warrant_observed = models.CharField(max_length=30, choices=codes.Warrant.choices, blank=True, default="")
    # monitoring imports
    source_url = models.URLField(max_length=1000, blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # contact: optional, sealed with amparo.lib.crypto, deleted at contact_purge_after
    contact_sealed = models.TextField(blank=True, default="")
    contact_purge_after = models.DateTimeField(null=True, blank=True)
    followup_digest = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # triage
    priority = models.CharField(
        max_length=10, choices=codes.Priority.choices, default=codes.Priority.OBSERVED
    )
    status = models.CharField(
        max_length=20, choices=codes.ReportStatus.choices, default=codes.ReportStatus.NEW, db_index=True
    )
    assigned_to = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retention_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["network", "status", "-received_at", "-id"], name="report_queue_keyset"),
            models.Index(fields=["network", "-received_at", "-id"], name="report_list"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "content_hash"],
                condition=~models.Q(content_hash=""),
                name="one_report_per_content",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_at:%Y-%m-%d %H:%M}"


class Dispatch(models.Model):
    """A verifier sent to a report or incident, and what they found."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="dispatches")
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="dispatches"
    )
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="dispatches"
    )
    responder = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT, related_name="dispatches")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=codes.DispatchOutcome.choices, blank=True, default="")
    salute = models.JSONField(
        default=dict, blank=True
    )  # size, activity, location, uniform, time, equipment, vehicles
    safety_notes = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["network", "-requested_at", "-id"], name="dispatch_list")]


class VerificationEvent(models.Model):
    """One step of verification. Append-only (database triggers refuse updates and deletes)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="verification_events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    from_level = models.CharField(max_length=30, choices=codes.Level.choices)
    to_level = models.CharField(max_length=30, choices=codes.Level.choices)
    method = models.CharField(max_length=40, choices=codes.Method.choices)
    rationale = models.TextField()
    dispatch = models.ForeignKey(Dispatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]


class Term(models.Model):
    """One entry of a controlled vocabulary, as data: built-in (network empty) or added by one network."""

    vocabulary = models.CharField(max_length=30, choices=codes.Vocabulary.choices)
    code = models.CharField(max_length=40)
    network = models.ForeignKey(
        "accounts.Network", null=True, blank=True, on_delete=models.CASCADE, related_name="terms"
    )
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_es = models.CharField(_("label (Spanish)"), max_length=200)
    label_de = models.CharField(_("label (German)"), max_length=200)
    definition = models.TextField(_("definition"), blank=True, default="")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    flags = models.JSONField(
        default=dict, blank=True
    )  # location types: sensitive_2011, protected_2021, courthouse_2021

    class Meta:
        ordering = ["vocabulary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "code"], condition=models.Q(network=None), name="one_builtin_term"
            ),
            models.UniqueConstraint(fields=["vocabulary", "code", "network"], name="one_network_term"),
        ]

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"

    def label(self, language: str) -> str:
        return str(getattr(self, f"label_{language[:2]}", "") or self.label_en)

    @property
    def policy_flags(self) -> tuple[bool, bool, bool]:
        f = self.flags or {}
        return bool(f.get("sensitive_2011")), bool(f.get("protected_2021")), bool(f.get("courthouse_2021"))


class DispatchGateway(models.Model):
    """Where a network wants dispatch notices sent: a webhook it points at its own SMS or Signal gateway."""

    network = models.OneToOneField(
        "accounts.Network", on_delete=models.CASCADE, related_name="dispatch_gateway"
    )
    webhook_url = models.URLField(_("webhook address"), max_length=500, blank=True, default="")
    secret = models.CharField(max_length=100)
    email_enabled = models.BooleanField(_("also send e-mail"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)


class WitnessMessage(models.Model):
    """A message the network chose to send back to a witness; shown on the witness's follow-up page (audited)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="witness_messages")
    at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]
