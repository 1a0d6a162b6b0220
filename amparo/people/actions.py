"""Atomic, audited changes to people, custody, locator checks, contacts, consents and tasks.

Audit details carry field names and codes only, never a name, an A-number, a date of birth or a phone number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from amparo.accounts.models import Membership, Network, User
from amparo.audit.actions import record
from amparo.lib import crypto
from amparo.people import names, vocab
from amparo.people.models import (
    Consent,
    Contact,
    CustodyEpisode,
    CustodyPlacement,
    Facility,
    IncidentSubject,
    LocatorCheck,
    Person,
    PersonKey,
    PersonNameToken,
    Task,
    normalise_a_number,
)

LOCATOR_FOLLOW_UP_HOURS = 24


def a_number_index(network: Network, a_number: str) -> str:
    """The blind index of a normalised A-number; per network, so two networks' indexes cannot be joined."""
    return crypto.blind_index(a_number, f"a_number:{network.code}")


def index_name(person: Person, identity: Identity) -> None:
    """Replace the person's name tokens with those of their legal name and aliases (blind indexes only)."""
    wanted = names.indexes(str(person.network.code), identity.legal_name, identity.aliases)
    PersonNameToken.objects.filter(person=person).exclude(token__in=wanted).delete()
    have = set(PersonNameToken.objects.filter(person=person).values_list("token", flat=True))
    PersonNameToken.objects.bulk_create(
        [PersonNameToken(person=person, token=t) for t in sorted(wanted - have)]
    )


def find_by_name(people: Any, network: Network, raw: str) -> list[Person]:
    """Among ``people``, those whose name or aliases hold every word of ``raw`` (accents, case, order ignored)."""
    words = names.tokens(raw)
    if not words:
        return []
    found = people
    for word in words:
        found = found.filter(name_tokens__token=names.token_index(str(network.code), word))
    return list(found.distinct()[:20])


def find_by_a_number(network: Network, raw: str) -> Person | None:
    try:
        normalised = normalise_a_number(raw)
    except ValueError:
        return None
    return Person.objects.filter(network=network, a_number_index=a_number_index(network, normalised)).first()


@dataclass
class Identity:
    legal_name: str = ""
    aliases: str = ""
    a_number: str = ""  # raw; normalised here
    date_of_birth: date | None = None
    notes: str = ""


PLAIN_FIELDS = (
    "country_of_birth",
    "citizenship",
    "birth_year",
    "languages",
    "interpreter_needed",
    "claims_us_citizenship",
    "is_minor",
    "sensitivity_flags",
    "taken_at",
)


def _apply_identity(person: Person, dek: bytes, identity: Identity) -> list[str]:
    a_number = normalise_a_number(identity.a_number) if identity.a_number.strip() else ""
    values = {
        "legal_name": identity.legal_name.strip(),
        "aliases": identity.aliases.strip(),
        "a_number": a_number,
        "date_of_birth": identity.date_of_birth.isoformat() if identity.date_of_birth else "",
        "notes": identity.notes.strip(),
    }
    changed = [f for f, v in values.items() if person.pk is None or person.secret(dek, f) != v]
    for field, value in values.items():
        person.set_secret(dek, field, value)
    person.a_number_index = a_number_index(person.network, a_number) if a_number else ""
    if identity.date_of_birth and not person.birth_year:
        person.birth_year = identity.date_of_birth.year
    return changed


@transaction.atomic
def do_create_person(
    actor: User | None,
    network: Network,
    identity: Identity,
    *,
    incident: Any = None,
    role: str = vocab.SubjectRole.DETAINED,
    **plain: Any,
) -> Person:
    person = Person(network=network, created_by=actor)
    for field in PLAIN_FIELDS:
        if field in plain:
            setattr(person, field, plain[field])
    dek, wrapped = crypto.new_wrapped_dek()
    _apply_identity(person, dek, identity)
    person.save()
    PersonKey.objects.create(person=person, wrapped=wrapped)
    index_name(person, identity)
    record(actor, network, "person.created", person)
    if incident is not None:
        do_link_incident(actor, person, incident, role)
    return person


@transaction.atomic
def do_update_person(actor: User, person: Person, identity: Identity, **plain: Any) -> list[str]:
    dek = person.dek()
    changed = _apply_identity(person, dek, identity)
    for field in PLAIN_FIELDS:
        if field in plain and getattr(person, field) != plain[field]:
            setattr(person, field, plain[field])
            changed.append(field)
    person.updated_at = timezone.now()
    person.save()
    index_name(person, identity)
    record(actor, person.network, "person.updated", person, fields=sorted(changed))
    return changed


def do_delete_person(actor: User, person: Person) -> str:
    """Destroy the person's data key, then every row about them. Returns the case code for the audit trail.

    On SQLite the deletion runs with ``secure_delete`` so the freed pages are overwritten with zeros; PostgreSQL
    leaves dead tuples until VACUUM (see docs/people.md).
    """
    case_code = person.case_code
    network = person.network
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    with transaction.atomic():
        deleted_keys, _rows = PersonKey.objects.filter(person=person).delete()
        record(actor, network, "person.key_destroyed", person, keys=deleted_keys)
        person.delete()
        record(actor, network, "person.deleted", None, case_code=case_code)
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # old page versions leave the WAL file too
    return case_code


def do_rewrap_keys(actor: User | None = None, batch: int = 500) -> int:
    """Finish a master-key rotation: rewrap every data key made under a previous master key with the current one.
    Returns how many were rewrapped; run until it returns 0, then remove the previous key from the configuration."""
    ring = crypto.keyring()
    done = 0
    while True:
        with transaction.atomic():
            stale = [
                k
                for k in PersonKey.objects.select_for_update().order_by("id")
                if crypto.needs_rewrap(k.wrapped, ring)
            ][:batch]
            for key in stale:
                key.wrapped = crypto.wrap(crypto.unwrap(key.wrapped, ring), ring)
                key.save(update_fields=["wrapped"])
        done += len(stale)
        if len(stale) < batch:
            break
    if done:
        record(actor, None, "person.keys_rewrapped", None, count=done)
    return done


def record_view(actor: User, person: Person, what: str = "file") -> None:
    """Every view of personal data is an audit event."""
    record(actor, person.network, "person.viewed", person, view=what)


@transaction.atomic
def do_record_custody(
    actor: User,
    person: Person,
    *,
    custodian: str,
    status: str,
    source: str,
    start: datetime | None = None,
    facility: Facility | None = None,
    holding_site_text: str = "",
    release_reason: str = "",
    confidence: str = vocab.Confidence.MEDIUM,
) -> CustodyEpisode:
    """Add to the custody timeline: a new placement in the open episode, a new episode, or the end of one."""
    at = start or timezone.now()
    episode = person.episodes.filter(end=None).order_by("-start").first()
    closing = status in vocab.CUSTODY_CLOSED
    if episode is None or (episode.custodian != custodian and not closing):
        if episode is not None:
            _close(episode, at)
        episode = CustodyEpisode.objects.create(
            network=person.network,
            person=person,
            custodian=custodian,
            status=status,
            start=at,
            source=source,
            confidence=confidence,
            recorded_by=actor,
        )
    else:
        episode.status = status
        episode.save(update_fields=["status"])
    if facility is not None or holding_site_text:
        current = episode.placements.filter(end=None).first()
        if current is None or current.facility_id != getattr(facility, "pk", None):
            if current is not None:
                current.end = at
                current.save(update_fields=["end"])
            CustodyPlacement.objects.create(
                network=person.network,
                episode=episode,
                facility=facility,
                holding_site_text=holding_site_text,
                start=at,
                source=source,
                confidence=confidence,
            )
    if closing:
        episode.release_reason = release_reason if status == vocab.CustodyStatus.RELEASED else ""
        episode.save(update_fields=["release_reason"])
        _close(episode, at)
    person.custody_status = status
    person.custody_info_at = max(filter(None, [person.custody_info_at, at]))
    if facility is not None:
        person.current_facility = facility
    elif closing:
        person.current_facility = None
    person.save(update_fields=["custody_status", "custody_info_at", "current_facility"])
    record(actor, person.network, "custody.recorded", person, status=status, source=source)
    return episode


def _close(episode: CustodyEpisode, at: datetime) -> None:
    episode.end = at
    episode.save(update_fields=["end"])
    episode.placements.filter(end=None).update(end=at)


@transaction.atomic
def do_record_locator_check(
    actor: User,
    person: Person,
    *,
    mode: str,
    result: str,
    facility_returned: Facility | None = None,
    at: datetime | None = None,
    owner: Membership | None = None,
) -> LocatorCheck:
    """Record a manual check. "Not found" (or a system error) opens a follow-up task and changes no status:
    the person may be too recently booked, transferred, misspelt, released over 60 days ago, a minor or in
    local or CBP custody."""
    at = at or timezone.now()
    check = LocatorCheck.objects.create(
        network=person.network,
        person=person,
        at=at,
        mode=mode,
        result=result,
        facility_returned=facility_returned,
        checked_by=actor,
    )
    record(actor, person.network, "locator.checked", person, mode=mode, result=result)
    if result in (vocab.LocatorResult.NOT_FOUND, vocab.LocatorResult.SYSTEM_ERROR):
        with override("en"):  # the stored title is the English fallback; pages word it for each reader
            english = _("Check again where %(case)s is held (%(mode)s: %(result)s)") % {
                "case": person.case_code,
                "mode": check.get_mode_display(),
                "result": check.get_result_display(),
            }
        do_add_task(
            actor,
            person.network,
            person=person,
            kind=vocab.TaskKind.LOCATOR_FOLLOW_UP,
            title=english,
            template="locator_follow_up",
            params={"case": person.case_code, "mode": mode, "result": result},
            owner=owner,
            due_at=at + timedelta(hours=LOCATOR_FOLLOW_UP_HOURS),
        )
    elif result == vocab.LocatorResult.FOUND_IN_CUSTODY:
        do_record_custody(
            actor,
            person,
            custodian=vocab.Custodian.ICE,
            status=vocab.CustodyStatus.ICE_DETENTION
            if facility_returned
            else vocab.CustodyStatus.ICE_UNKNOWN,
            source=vocab.CustodySource.ODLS if mode.startswith("odls") else vocab.CustodySource.FACILITY_CALL,
            start=at,
            facility=facility_returned,
            confidence=vocab.Confidence.HIGH,
        )
    return check


@transaction.atomic
def do_add_contact(
    actor: User,
    person: Person,
    *,
    relationship: str,
    name: str,
    phone: str,
    notes: str = "",
    language: str = "",
    safe_to_call: bool = True,
    consent_to_contact: bool = False,
) -> Contact:
    dek = person.dek()
    contact = Contact(
        network=person.network,
        person=person,
        relationship=relationship,
        language=language,
        safe_to_call=safe_to_call,
        consent_to_contact=consent_to_contact,
    )
    for field, value in (("name", name), ("phone", phone), ("notes", notes)):
        contact.set_secret(dek, field, value.strip())
    contact.save()
    record(actor, person.network, "contact.added", person, contact=str(contact.code))
    return contact


@transaction.atomic
def do_add_consent(
    actor: User, person: Person, *, scope: str, recipient: str, granted: bool, given_by: str = ""
) -> Consent:
    consent = Consent.objects.create(
        network=person.network,
        person=person,
        scope=scope,
        recipient=recipient,
        granted=granted,
        given_by=given_by,
        recorded_by=actor,
    )
    record(
        actor, person.network, "consent.recorded", person, scope=scope, recipient=recipient, granted=granted
    )
    return consent


def consent_granted(person: Person, scope: str, recipient: str) -> bool:
    """The latest answer for this scope and recipient (no answer: not granted)."""
    latest = person.consents.filter(scope=scope, recipient=recipient).order_by("-recorded_at", "-id").first()
    return bool(latest and latest.granted)


def may_see_contacts(membership: Membership, person: Person) -> bool:
    """Staff see a person's family contacts; their legal partner only once the person agreed to share them."""
    if membership.can("people.view"):
        return True
    return consent_granted(person, "contacts", "legal_provider")


@transaction.atomic
def do_link_incident(actor: User | None, person: Person, incident: Any, role: str) -> IncidentSubject:
    if incident.network_id != person.network_id:
        raise ValueError("incident of another network")
    link, _created = IncidentSubject.objects.update_or_create(
        incident=incident, person=person, defaults={"role": role, "network": person.network}
    )
    record(actor, person.network, "person.incident_linked", person, incident=str(incident.code), role=role)
    return link


@transaction.atomic
def do_add_task(
    actor: User | None,
    network: Network,
    *,
    title: str,
    kind: str = vocab.TaskKind.OTHER,
    person: Person | None = None,
    owner: Membership | None = None,
    due_at: datetime | None = None,
    template: str = "",
    params: dict[str, Any] | None = None,
) -> Task:
    task = Task.objects.create(
        network=network,
        person=person,
        kind=kind,
        title=title,
        template=template,
        params=params or {},
        owner=owner,
        due_at=due_at,
        created_by=actor,
    )
    record(actor, network, "task.created", task, kind=kind, person=person.case_code if person else "")
    return task


@transaction.atomic
def do_complete_task(actor: User, task: Task) -> Task:
    task.done_at = timezone.now()
    task.save(update_fields=["done_at"])
    record(actor, task.network, "task.done", task)
    return task
