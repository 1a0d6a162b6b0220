"""Controlled vocabularies of the case layer (DOMAIN.md §2, §3, §5.3). Stored codes never change; labels translate."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectRole(models.TextChoices):
    DETAINED = "detained", _("Detained")
    TARGETED_NOT_DETAINED = "targeted_not_detained", _("Targeted, not detained")
    COLLATERAL_ARREST = "collateral_arrest", _("Collateral arrest")
    RELEASED_ON_SCENE = "released_on_scene", _("Released on scene")
    INJURED = "injured", _("Injured")


class Custodian(models.TextChoices):
    ICE = "ice", _("ICE")
    CBP = "cbp", _("CBP")
    USMS = "usms", _("U.S. Marshals")
    ORR = "orr", _("ORR (minors)")
    LOCAL_JAIL = "local_jail_detainer", _("Local jail on a detainer")
    STATE = "state", _("State custody")
    UNKNOWN = "unknown", _("Unknown")


class CustodyStatus(models.TextChoices):
    REPORTED = "reported_detained_unconfirmed", _("Reported detained, not confirmed")
    LOCAL_DETAINER = "in_local_custody_detainer", _("In local custody on a detainer")
    CBP = "in_cbp_custody", _("In CBP custody")
    ICE_HOLD_ROOM = "in_ice_hold_room", _("In an ICE hold room")
    ICE_DETENTION = "in_ice_detention", _("In ICE detention (facility known)")
    ICE_UNKNOWN = "in_ice_custody_location_unknown", _("In ICE custody, location unknown")
    IN_TRANSIT = "in_transit", _("In transit")
    USMS_CRIMINAL = "in_usms_or_criminal_custody", _("In USMS or criminal custody")
    ORR = "in_orr_custody", _("In ORR custody (minor)")
    HOSPITALIZED = "hospitalized_in_custody", _("Hospitalized in custody")
    RELEASED = "released", _("Released")
    REMOVED = "removed", _("Removed")
    VOLUNTARY_DEPARTURE = "voluntary_departure", _("Voluntary departure")
    SELF_DEPORTED = "self_deported", _("Left the country")
    THIRD_COUNTRY = "removed_to_third_country", _("Removed to a third country")
    DIED = "died_in_custody", _("Died in custody")
    NOT_FOUND = "not_found", _("Not found")
    LOST_CONTACT = "lost_contact", _("Lost contact")


# Statuses after which custody follow-up stops (no "no custody information" alert).
CUSTODY_CLOSED = frozenset(
    {
        CustodyStatus.RELEASED,
        CustodyStatus.REMOVED,
        CustodyStatus.VOLUNTARY_DEPARTURE,
        CustodyStatus.SELF_DEPORTED,
        CustodyStatus.THIRD_COUNTRY,
        CustodyStatus.DIED,
    }
)


class ReleaseReason(models.TextChoices):
    BOND = "bond", _("Bond")
    PAROLE = "parole", _("Parole")
    RECOGNIZANCE = "order_of_recognizance", _("Order of recognizance")
    SUPERVISION = "order_of_supervision", _("Order of supervision")
    ATD = "alternatives_to_detention", _("Alternatives to detention")
    TERMINATED = "proceedings_terminated", _("Proceedings terminated")
    RELIEF = "relief_granted", _("Relief granted")
    HABEAS = "habeas_order", _("Habeas order")
    OTHER = "other", _("Other")


class CustodySource(models.TextChoices):
    ODLS = "odls_check", _("Online detainee locator")
    FAMILY = "family", _("Family")
    ATTORNEY = "attorney", _("Attorney")
    DETAINEE_CALL = "detainee_call", _("Call from the detained person")
    FACILITY_CALL = "facility_call", _("Call to the facility")
    NEWS = "news", _("News")


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class LocatorMode(models.TextChoices):
    ODLS_A_NUMBER = "odls_a_number", _("ICE locator: A-number")
    ODLS_BIOGRAPHIC = "odls_biographic", _("ICE locator: name and country of birth")
    ERO_CALL = "ero_field_office_call", _("Call to the ERO field office")
    FACILITY_CALL = "facility_call", _("Call to a facility")
    EOIR_ACIS = "eoir_acis", _("EOIR case information")


class LocatorResult(models.TextChoices):
    FOUND_IN_CUSTODY = "found_in_custody", _("Found, in custody")
    BOOKED_OUT = "found_booked_out_60d", _("Found, booked out in the last 60 days")
    NOT_FOUND = "not_found", _("Not found")
    SYSTEM_ERROR = "system_error", _("System error")


class ConsentScope(models.TextChoices):
    IDENTITY = "identity", _("Identity")
    CUSTODY = "custody", _("Custody information")
    LEGAL_CASE = "legal_case", _("Legal case")
    EVIDENCE = "evidence", _("Evidence about their arrest")
    CONTACTS = "contacts", _("Family contacts")
    STORY = "story", _("Their story, without identity")


class ConsentRecipient(models.TextChoices):
    LEGAL_PROVIDER = "legal_provider", _("Their lawyer or legal provider")
    FAMILY = "family", _("Family")
    PARTNER_ORG = "partner_org", _("Partner organisations")
    PRESS = "press", _("Journalists")
    PUBLIC_ANONYMISED = "public_anonymised", _("The public, anonymised")


class Sensitivity(models.TextChoices):
    MEDICAL = "medical", _("Medical need")
    PREGNANCY = "pregnancy", _("Pregnancy")
    DISABILITY = "disability", _("Disability")


class TaskKind(models.TextChoices):
    LOCATOR_FOLLOW_UP = "locator_follow_up", _("Locate the person again")
    REFERRAL_FOLLOW_UP = "referral_follow_up", _("Chase a referral")
    HEARING = "hearing", _("Prepare for a hearing")
    FAMILY = "family", _("Family support")
    OTHER = "other", _("Other")


class FacilityGroup(models.TextChoices):
    DEDICATED = "dedicated", _("Dedicated")
    NON_DEDICATED = "non_dedicated", _("Non-dedicated")
    FEDERAL = "federal", _("Federal")
    HOLD_STAGING = "hold_staging", _("Hold or staging")
    MEDICAL = "medical", _("Medical")
    FAMILY_YOUTH = "family_youth", _("Family or youth")
    HOTEL = "hotel", _("Hotel")
    OTHER = "other", _("Other or unknown")


# Vera-style grouping of ICE type codes (DOMAIN.md §3).
TYPE_GROUP = {
    "SPC": FacilityGroup.DEDICATED,
    "CDF": FacilityGroup.DEDICATED,
    "DIGSA": FacilityGroup.DEDICATED,
    "IGSA": FacilityGroup.NON_DEDICATED,
    "USMS IGA": FacilityGroup.NON_DEDICATED,
    "STATE": FacilityGroup.NON_DEDICATED,
    "USMS CDF": FacilityGroup.FEDERAL,
    "BOP": FacilityGroup.FEDERAL,
    "STAGING": FacilityGroup.HOLD_STAGING,
    "HOLD": FacilityGroup.HOLD_STAGING,
    "Hospital": FacilityGroup.MEDICAL,
    "Juvenile": FacilityGroup.FAMILY_YOUTH,
    "Family": FacilityGroup.FAMILY_YOUTH,
    "Family Staging": FacilityGroup.FAMILY_YOUTH,
    "Hotel": FacilityGroup.HOTEL,
}


class Operator(models.TextChoices):
    GEO = "geo_group", "GEO Group"
    CORECIVIC = "corecivic", "CoreCivic"
    MTC = "mtc", "MTC"
    LASALLE = "lasalle", "LaSalle Corrections"
    AKIMA = "akima", "Akima"
    COUNTY = "county", _("County")
    FEDERAL = "federal", _("Federal")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")
