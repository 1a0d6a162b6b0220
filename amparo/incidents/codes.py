"""The controlled vocabularies of DOMAIN.md §5.3 as code lists (English labels).

The Term table (models.Term) holds the same codes with labels in every language, definitions, validity dates and
network-specific additions; these lists are the built-in seed and what model fields validate against.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override


class Vocabulary(models.TextChoices):
    LOCATION_TYPE = "location_type", _("Location types")
    INCIDENT_TYPE = "incident_type", _("Incident types")
    TACTIC = "tactic", _("Tactics")
    AGENCY = "agency", _("Agencies")
    WARRANT = "warrant", _("Warrant presented")
    ENTRY = "entry", _("Entry type")
    USE_OF_FORCE = "use_of_force", _("Use of force")
    METHOD = "method", _("Verification methods")
    DISPATCH_OUTCOME = "dispatch_outcome", _("Dispatch outcomes")
    SOURCE_TYPE = "source_type", _("Source types")


class Channel(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    HOTLINE_VOICE = "hotline_voice", _("Hotline call")
    SMS = "sms", _("Text message")
    SIGNAL = "signal", _("Signal")
    WALK_IN = "walk_in", _("Walk-in")
    PARTNER_ORG = "partner_org", _("Partner organisation")
    SOCIAL_MEDIA = "social_media_monitoring", _("Social media monitoring")
    NEWS = "news", _("News")
    ON_SCENE = "on_scene", _("On-scene responder")
    HANDOVER = "handover", _("Files handed over")


class ReporterRole(models.TextChoices):
    WITNESS = "witness", _("Witness")
    AFFECTED = "affected_person", _("Affected person")
    FAMILY = "family_member", _("Family member")
    OBSERVER = "volunteer_observer", _("Volunteer observer")
    PARTNER = "partner_org", _("Partner organisation")
    JOURNALIST = "journalist", _("Journalist")
    ANONYMOUS = "anonymous", _("Anonymous")
    UNKNOWN = "unknown", _("Unknown")


class ReportStatus(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    DISPATCHED = "dispatched", _("Dispatched")
    LINKED = "linked", _("Linked to an incident")
    NO_ACTION = "no_action", _("No action")
    SPAM = "spam", _("Spam")
    ARCHIVED = "archived", _("Archived")


class Priority(models.TextChoices):
    CRITICAL = "critical", _("Critical: happening now, people being taken")
    ACTIVE = "active", _("Active: agents present now")
    OBSERVED = "observed", _("Observed: seen earlier")
    INFO = "info", _("Information")


class Precision(models.IntegerChoices):
    EXACT = 1, _("Exact")
    NEAR = 2, _("Approximate")
    REGION = 3, _("Only the area or the day")


class PublishStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    INTERNAL = "internal", _("Internal")
    PUBLIC = "public", _("Public")
    WITHHELD = "withheld", _("Withheld")


class Level(models.TextChoices):
    REPORTED = "reported", _("Reported")
    PENDING = "pending", _("Pending verification")
    CORROBORATED = "corroborated", _("Corroborated")
    CONFIRMED = "confirmed", _("Confirmed")
    CONFIRMED_AFTER_FACT = "confirmed_after_fact", _("Confirmed after the fact")
    OTHER_AGENCY = "other_agency", _("Other agency")
    FALSE_ALARM = "false_alarm", _("False alarm")
    UNVERIFIABLE = "unverifiable", _("Unverifiable")
    DISPUTED = "disputed", _("Disputed")
    RETRACTED = "retracted", _("Retracted")


PUBLISHABLE_LEVELS = frozenset({Level.CORROBORATED, Level.CONFIRMED, Level.CONFIRMED_AFTER_FACT})


class Method(models.TextChoices):
    ON_SCENE = "on_scene_responder", _("Responder on scene")
    INDEPENDENT_REPORTS = "independent_reports", _("Two or more independent reports")
    MEDIA_GEOLOCATED = "media_geolocated", _("Media geolocated")
    MEDIA_CHRONOLOCATED = "media_chronolocated", _("Media chronolocated")
    OFFICIAL = "official_statement", _("Official statement")
    RECORD = "court_or_odls_record", _("Court or detainee-locator record")
    FAMILY = "family_confirmation", _("Family confirmation")
    PARTNER = "partner_org", _("Partner organisation")
    NEWS = "news_report", _("News report")
    REVIEW = "coordinator_review", _("Coordinator review")


class DispatchOutcome(models.TextChoices):
    CONFIRMED = "confirmed_immigration", _("Confirmed immigration enforcement")
    OTHER_AGENCY = "other_agency", _("Other agency")
    NOTHING_FOUND = "nothing_found", _("Nothing found")
    ENDED = "ended_before_arrival", _("Ended before arrival")
    UNABLE = "unable_to_reach", _("Unable to reach")
    UNSAFE = "unsafe_to_approach", _("Unsafe to approach")


class Warrant(models.TextChoices):
    NONE = "none", _("None shown")
    REFUSED = "refused_to_show", _("Refused to show")
    I200 = "admin_I200", _("Administrative warrant I-200")
    I205 = "admin_I205", _("Administrative warrant I-205")
    ADMIN_OTHER = "admin_other_DHS", _("Other DHS document (e.g. I-247 detainer)")
    JUDICIAL_ARREST = "judicial_arrest", _("Judicial arrest warrant")
    JUDICIAL_SEARCH = "judicial_search", _("Judicial search warrant")
    UNKNOWN_DOC = "unknown_document", _("A document of unknown kind")
    NOT_ASKED = "not_asked", _("Not asked / not known")


class Entry(models.TextChoices):
    NO_HOME_ENTRY = "no_home_entry", _("No home entry")
    CONSENT = "consent", _("Consent")
    CONSENT_DISPUTED = "consent_disputed", _("Consent disputed")
    FORCED = "forced", _("Forced")
    UNKNOWN = "unknown", _("Unknown")


class UseOfForce(models.TextChoices):
    NONE = "none", _("None observed")
    PHYSICAL = "physical", _("Physical force")
    WEAPON_DRAWN = "weapon_drawn", _("Weapon drawn")
    LESS_LETHAL = "less_lethal", _("Less-lethal weapons")
    FIREARM = "firearm_discharged", _("Firearm discharged")
    UNKNOWN = "unknown", _("Unknown")


class AgencyRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    ASSISTING = "assisting", _("Assisting")
    CLAIMED = "claimed", _("Claimed by a source")


class IdentificationBasis(models.TextChoices):
    MARKINGS = "markings", _("Markings on vests or uniforms")
    VEHICLE = "vehicle", _("Vehicle")
    STATEMENT = "statement", _("Statement by agents or officials")
    PLATE_MATCH = "plate_match", _("Plate match")
    INFERRED = "inferred", _("Inferred")


class SourceType(models.TextChoices):
    ON_SCENE = "on_scene_responder", _("On-scene responder")
    WITNESS = "direct_witness", _("Direct witness")
    AFFECTED = "affected_person_or_family", _("Affected person or family")
    PARTNER = "partner_org", _("Partner organisation")
    LOCAL_NEWS = "local_news", _("Local news")
    NATIONAL_NEWS = "national_news", _("National news")
    OFFICIAL = "official_statement", _("Official statement")
    COURT = "court_record", _("Court record")
    FOIA = "foia_data", _("FOIA data")
    SOCIAL = "social_media_unverified", _("Social media (unverified)")


# Location types with their policy flags: (code, English label, sensitive_2011, protected_2021, courthouse_2021)
LOCATION_TYPES: list[tuple[str, str, bool, bool, bool]] = [
    ("residence", "Home or apartment", False, False, False),
    ("street_public", "Street or public square", False, False, False),
    ("vehicle_stop", "Traffic or vehicle stop", False, False, False),
    ("transit", "Transit vehicle or station", False, False, False),
    ("day_labor_site", "Day-labour corner or home-improvement store", False, False, False),
    ("commercial_retail", "Store, market, restaurant (customers)", False, False, False),
    ("worksite", "Workplace", False, False, False),
    ("courthouse_immigration", "Immigration court", False, False, True),
    ("courthouse_criminal", "Criminal court", False, False, True),
    ("courthouse_noncriminal", "Family, civil or small-claims court", False, False, True),
    ("ice_checkin", "ICE office or check-in", False, False, False),
    ("uscis_office", "USCIS office", False, False, False),
    ("jail_transfer", "Jail or prison release or transfer", False, False, False),
    ("probation_parole", "Probation or parole office", False, False, False),
    ("school", "School or university", True, True, False),
    ("children_gather", "Playground, childcare or place where children gather", False, True, False),
    ("healthcare", "Hospital, clinic or health centre", True, True, False),
    ("place_of_worship", "Place of worship", True, True, False),
    ("social_services", "Shelter, food bank or social services", False, True, False),
    ("disaster_relief", "Disaster or emergency relief site", False, True, False),
    ("ceremony", "Funeral, wedding or other ceremony", True, True, False),
    ("demonstration", "Demonstration, rally or march", True, True, False),
    ("hotel", "Hotel or motel", False, False, False),
    ("airport_port", "Airport, port of entry or checkpoint", False, False, False),
    ("other", "Other", False, False, False),
    ("unknown", "Unknown", False, False, False),
]
LOCATION_FLAGS = {code: (s11, p21, c21) for code, _label, s11, p21, c21 in LOCATION_TYPES}

INCIDENT_TYPES: list[tuple[str, str]] = [
    ("targeted_arrest", "Targeted arrest"),
    ("attempted_arrest", "Attempted arrest"),
    ("home_visit", "Home visit (knock and talk, no arrest)"),
    ("vehicle_stop_arrest", "Arrest at a vehicle stop"),
    ("sweep", "Sweep (roving arrests in public)"),
    ("worksite_operation", "Worksite operation"),
    ("checkpoint", "Checkpoint"),
    ("courthouse_arrest", "Courthouse arrest"),
    ("checkin_arrest", "Arrest at a check-in"),
    ("jail_transfer", "Jail transfer"),
    ("presence_no_enforcement", "Agents present, no arrest seen"),
    ("enforcement_against_observers", "Enforcement against observers or protesters"),
    ("transport_movement", "Transport of detainees"),
    ("other", "Other"),
]

TACTICS: list[tuple[str, str]] = [
    ("masked_agents", "Masked agents"),
    ("plainclothes", "Plain clothes"),
    ("no_visible_agency_id", "No visible agency identification"),
    ("identified_as_police", "Identified themselves as police"),
    ("ruse_other", "Other ruse or pretext"),
    ("unmarked_vehicles", "Unmarked vehicles"),
    ("plates_missing_or_obscured", "Plates missing or obscured"),
    ("surveillance_prior", "Surveillance beforehand"),
    ("collateral_arrests", "Collateral arrests"),
    ("us_citizen_detained", "U.S. citizen detained"),
    ("children_present", "Children present"),
    ("family_separated", "Family separated"),
    ("forced_entry", "Forced entry"),
    ("window_broken", "Window broken"),
    ("use_of_force_physical", "Physical force"),
    ("weapon_drawn", "Weapon drawn"),
    ("chemical_irritant", "Chemical irritant"),
    ("less_lethal_projectile", "Less-lethal projectile"),
    ("firearm_discharged", "Firearm discharged"),
    ("vehicle_ramming", "Vehicle ramming"),
    ("observers_detained", "Observers detained"),
    ("recording_obstructed", "Recording obstructed"),
    ("medical_emergency", "Medical emergency"),
    ("profiling_alleged", "Profiling alleged"),
]

AGENCIES: list[tuple[str, str]] = [
    ("ICE_ERO", "ICE Enforcement and Removal Operations"),
    ("ICE_HSI", "ICE Homeland Security Investigations"),
    ("ICE_UNSPECIFIED", "ICE (unspecified)"),
    ("CBP_USBP", "Border Patrol"),
    ("CBP_OFO", "CBP Office of Field Operations"),
    ("DHS_FPS", "Federal Protective Service"),
    ("DHS_OTHER", "Other DHS"),
    ("FBI", "FBI"),
    ("DEA", "DEA"),
    ("ATF", "ATF"),
    ("USMS", "U.S. Marshals Service"),
    ("IRS_CI", "IRS Criminal Investigation"),
    ("DOJ_OTHER", "Other DOJ"),
    ("NATIONAL_GUARD_STATE", "National Guard (state)"),
    ("NATIONAL_GUARD_FEDERALIZED", "National Guard (federalised)"),
    ("MILITARY_ACTIVE", "Active-duty military"),
    ("STATE_POLICE_287G", "State police under 287(g)"),
    ("STATE_POLICE", "State police"),
    ("SHERIFF_287G", "Sheriff under 287(g)"),
    ("SHERIFF", "Sheriff"),
    ("LOCAL_POLICE", "Local police"),
    ("CAMPUS_POLICE", "Campus police"),
    ("PRIVATE_CONTRACTOR", "Private contractor"),
    ("UNKNOWN_FEDERAL", "Unknown federal agency"),
    ("UNKNOWN", "Unknown"),
]


def builtin_terms() -> dict[str, list[tuple[str, str]]]:
    """Every built-in vocabulary as (code, English label) pairs, in display order."""

    def pairs(choices: type[models.TextChoices]) -> list[tuple[str, str]]:
        with override("en"):  # English whatever language is active (the seed migration runs in Spanish)
            return [(str(c), str(label)) for c, label in choices.choices]

    return {
        Vocabulary.LOCATION_TYPE: [(code, label) for code, label, *_f in LOCATION_TYPES],
        Vocabulary.INCIDENT_TYPE: INCIDENT_TYPES,
        Vocabulary.TACTIC: TACTICS,
        Vocabulary.AGENCY: AGENCIES,
        Vocabulary.WARRANT: pairs(Warrant),
        Vocabulary.ENTRY: pairs(Entry),
        Vocabulary.USE_OF_FORCE: pairs(UseOfForce),
        Vocabulary.METHOD: pairs(Method),
        Vocabulary.DISPATCH_OUTCOME: pairs(DispatchOutcome),
        Vocabulary.SOURCE_TYPE: pairs(SourceType),
    }
