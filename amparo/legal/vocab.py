"""Vocabularies of legal follow-up (DOMAIN.md §5.2-5.3). Stored codes never change; labels translate."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RepresentationStatus(models.TextChoices):
    NONE_KNOWN = "none_known", _("No lawyer known")
    SEEKING = "seeking", _("Looking for a lawyer")
    REFERRED_PENDING = "referred_pending", _("Referred, waiting for an answer")
    CONSULT_ONLY = "consult_only", _("Consultation only")
    REPRESENTED_LIMITED = "represented_limited", _("Represented for bond or habeas only")
    REPRESENTED_FULL = "represented_full", _("Represented (EOIR-28 on file)")
    PRIVATE_COUNSEL = "private_counsel", _("Private counsel")
    PRO_SE_ASSISTED = "pro_se_assisted", _("Helped to represent themselves")
    DECLINED = "declined", _("Declined representation")


# "No known lawyer": the follow-up list keeps a person on it while their status is one of these.
NO_LAWYER = frozenset(
    {
        RepresentationStatus.NONE_KNOWN,
        RepresentationStatus.SEEKING,
        RepresentationStatus.REFERRED_PENDING,
        RepresentationStatus.CONSULT_ONLY,
    }
)
REPRESENTED = [
    RepresentationStatus.REPRESENTED_FULL,
    RepresentationStatus.REPRESENTED_LIMITED,
    RepresentationStatus.PRIVATE_COUNSEL,
    RepresentationStatus.PRO_SE_ASSISTED,
]


class ProviderKind(models.TextChoices):
    NONPROFIT = "nonprofit", _("Nonprofit")
    DOJ_RECOGNIZED = "doj_recognized_org", _("DOJ-recognised organisation")
    CLINIC = "law_school_clinic", _("Law-school clinic")
    PRIVATE = "private_attorney", _("Private attorney")
    PUBLIC_DEFENDER = "public_defender", _("Public defender or universal representation programme")


class Capacity(models.TextChoices):
    OPEN = "open", _("Taking cases")
    LIMITED = "limited", _("Limited")
    CLOSED = "closed", _("Not taking cases")


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED_CAPACITY = "declined_capacity", _("Declined: no capacity")
    DECLINED_ELIGIBILITY = "declined_eligibility", _("Declined: not eligible")
    NO_RESPONSE = "no_response", _("No response")


class ProceedingType(models.TextChoices):
    REMOVAL_240 = "removal_240", _("Removal proceedings (INA 240)")
    EXPEDITED = "expedited_removal", _("Expedited removal")
    REINSTATEMENT = "reinstatement", _("Reinstatement of removal")
    WITHHOLDING_ONLY = "withholding_only", _("Withholding-only")
    CFR = "credible_fear_review", _("Credible fear review")
    RFR = "reasonable_fear_review", _("Reasonable fear review")
    BOND_ONLY = "bond_only", _("Bond only")
    ADMIN_238B = "administrative_removal_238b", _("Administrative removal (238(b))")
    UNKNOWN = "unknown", _("Unknown")


class CaseStatus(models.TextChoices):
    NO_CASE = "no_case_known", _("No case known")
    NTA_NOT_FILED = "nta_not_filed", _("NTA not filed yet")
    MASTER_PENDING = "master_calendar_pending", _("Master calendar hearing pending")
    INDIVIDUAL_PENDING = "individual_hearing_pending", _("Individual hearing pending")
    BOND_SCHEDULED = "bond_hearing_scheduled", _("Bond hearing scheduled")
    RELIEF_GRANTED = "relief_granted", _("Relief granted")
    REMOVAL_ORDERED = "removal_ordered", _("Removal ordered")
    APPEAL_PENDING = "appeal_pending_bia", _("Appeal pending at the BIA")
    FINAL_ORDER = "final_order", _("Final order")
    MOTION_PENDING = "motion_pending", _("Motion pending")
    TERMINATED = "terminated_dismissed", _("Terminated or dismissed")
    HABEAS_PENDING = "habeas_pending", _("Habeas petition pending")
    CLOSED = "closed", _("Closed")


class Docket(models.TextChoices):
    DETAINED = "detained", _("Detained")
    NON_DETAINED = "non_detained", _("Non-detained")


class HearingKind(models.TextChoices):
    MASTER = "master", _("Master calendar")
    INDIVIDUAL = "individual", _("Individual (merits)")
    BOND = "bond", _("Bond")
    CFR = "credible_fear_review", _("Credible fear review")
    STATUS = "status", _("Status")


class HearingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video")
    PHONE = "phone", _("Telephone")


class IceBond(models.TextChoices):
    NO_BOND = "no_bond", _("No bond")
    AMOUNT = "amount", _("Bond set")
    OREC = "orec", _("Released on recognizance")


class IjBond(models.TextChoices):
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied")
    NO_JURISDICTION = "no_jurisdiction", _("No jurisdiction")
    MANDATORY = "mandatory_detention", _("Mandatory detention")
