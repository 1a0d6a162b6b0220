"""Legal follow-up: providers, referrals, representation, cases, hearings and bond. Rows belong to one network."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.legal import vocab


class LegalServiceProvider(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="providers")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=vocab.ProviderKind.choices)
    doj_recognized = models.BooleanField(_("DOJ-recognised"), default=False)
    accredited_reps = models.PositiveSmallIntegerField(_("accredited representatives"), default=0)
    areas_of_assistance = models.CharField(_("areas of law"), max_length=300, blank=True, default="")
    types_of_assistance = models.CharField(_("kinds of help"), max_length=300, blank=True, default="")
    languages = models.CharField(_("languages"), max_length=200, blank=True, default="")
    counties_served = models.CharField(_("counties served"), max_length=400, blank=True, default="")
    facilities_served = models.ManyToManyField(
        "people.Facility", blank=True, related_name="providers", verbose_name=_("facilities served")
    )
    takes_detained_cases = models.BooleanField(_("takes detained cases"), default=True)
    capacity_status = models.CharField(
        _("capacity"), max_length=10, choices=vocab.Capacity.choices, default=vocab.Capacity.OPEN
    )
    intake_hours = models.CharField(_("intake hours"), max_length=200, blank=True, default="")
    intake_contact = models.CharField(_("intake contact"), max_length=200, blank=True, default="")
    directory_url = models.URLField(_("directory profile"), blank=True, default="")
    last_verified_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProviderMember(models.Model):
    """Links a legal partner's membership to the provider they work for: they see that provider's accepted cases."""

    membership = models.OneToOneField(
        "accounts.Membership", on_delete=models.CASCADE, related_name="provider_link"
    )
    provider = models.ForeignKey(LegalServiceProvider, on_delete=models.CASCADE, related_name="members")


class Referral(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="referrals")
    provider = models.ForeignKey(LegalServiceProvider, on_delete=models.PROTECT, related_name="referrals")
    referred_at = models.DateTimeField(default=timezone.now)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(
        _("answer"),
        max_length=30,
        choices=vocab.ReferralOutcome.choices,
        default=vocab.ReferralOutcome.PENDING,
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    follow_up_due = models.DateTimeField(_("chase by"), null=True, blank=True)

    class Meta:
        ordering = ["-referred_at", "-id"]


class LegalCase(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="legal_cases")
    proceeding_type = models.CharField(
        _("proceeding"),
        max_length=40,
        choices=vocab.ProceedingType.choices,
        default=vocab.ProceedingType.UNKNOWN,
    )
    nta_date = models.DateField(_("NTA date"), null=True, blank=True)
    charges = models.CharField(_("charges (INA sections)"), max_length=300, blank=True, default="")
    court = models.CharField(_("immigration court"), max_length=120, blank=True, default="")
    judge = models.CharField(_("judge"), max_length=120, blank=True, default="")
    docket = models.CharField(
        _("docket"), max_length=20, choices=vocab.Docket.choices, default=vocab.Docket.DETAINED
    )
    status = models.CharField(
        _("status"), max_length=40, choices=vocab.CaseStatus.choices, default=vocab.CaseStatus.NO_CASE
    )
    relief_sought = models.CharField(_("relief sought"), max_length=300, blank=True, default="")
    final_order_date = models.DateField(_("final order"), null=True, blank=True)
    appeal_due = models.DateField(_("BIA appeal due"), null=True, blank=True)
    appeal_brief_due = models.DateField(_("BIA brief due"), null=True, blank=True)
    appeal_decision = models.CharField(_("BIA decision"), max_length=200, blank=True, default="")
    habeas_court = models.CharField(_("habeas court"), max_length=120, blank=True, default="")
    habeas_number = models.CharField(_("habeas case number"), max_length=60, blank=True, default="")
    habeas_status = models.CharField(_("habeas status"), max_length=120, blank=True, default="")
    last_acis_check_at = models.DateTimeField(_("last EOIR check"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_proceeding_type_display()} · {self.get_status_display()}"


class Representation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="representations")
    case = models.ForeignKey(LegalCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=30, choices=vocab.RepresentationStatus.choices)
    provider = models.ForeignKey(
        LegalServiceProvider, null=True, blank=True, on_delete=models.SET_NULL, related_name="representations"
    )
    attorney = models.CharField(_("attorney"), max_length=120, blank=True, default="")
    eoir28_filed = models.BooleanField(_("EOIR-28 filed"), default=False)
    g28_filed = models.BooleanField(_("G-28 filed"), default=False)
    scope = models.CharField(_("scope"), max_length=200, blank=True, default="")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]


class Hearing(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(_("kind"), max_length=30, choices=vocab.HearingKind.choices)
    at = models.DateTimeField(_("date and time"), db_index=True)
    location = models.CharField(_("where"), max_length=200, blank=True, default="")
    mode = models.CharField(_("how"), max_length=20, choices=vocab.HearingMode.choices, default="in_person")
    interpreter = models.CharField(_("interpreter language"), max_length=40, blank=True, default="")
    outcome = models.CharField(_("outcome"), max_length=200, blank=True, default="")
    attended_by = models.CharField(_("attended by"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["at"]


class BondRecord(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="bonds")
    ice_determination = models.CharField(
        _("ICE initial decision"), max_length=20, choices=vocab.IceBond.choices, blank=True, default=""
    )
    ice_amount = models.PositiveIntegerField(_("ICE bond amount (USD)"), null=True, blank=True)
    hearing_requested_at = models.DateField(_("bond hearing requested"), null=True, blank=True)
    hearing_held_at = models.DateField(_("bond hearing held"), null=True, blank=True)
    ij_decision = models.CharField(
        _("judge's decision"), max_length=30, choices=vocab.IjBond.choices, blank=True, default=""
    )
    ij_amount = models.PositiveIntegerField(_("bond set by the judge (USD)"), null=True, blank=True)
    posted_at = models.DateField(_("bond posted"), null=True, blank=True)
    posted_amount = models.PositiveIntegerField(_("amount posted (USD)"), null=True, blank=True)
    obligor_enc = models.BinaryField(null=True)  # who paid: encrypted with the person's data key
    bond_fund = models.CharField(_("bond fund"), max_length=120, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    def aad(self) -> str:
        return f"bond:{self.code}:obligor"
