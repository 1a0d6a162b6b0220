"""People taken, their custody, contacts, consents and follow-up tasks. The most sensitive rows in Amparo.

Names, A-numbers, dates of birth, aliases, contacts and free-text notes are stored only as ciphertext under the person's
data key (``PersonKey``), itself wrapped by the master key kept outside the database (amparo.lib.crypto). Everything
is addressed by the person's ``case_code``, a random pseudonym, in pages, URLs and audit events.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.lib import crypto
from amparo.people import vocab
from amparo.people.facilities import Facility, FacilityOverride, FieldOffice  # noqa: F401  (models of this app, kept in their own file)

CODE_ALPHABET = (
    "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read aloud over a phone without confusion
)


def new_case_code() -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"P-{body[:4]}-{body[4:]}"


def normalise_a_number(raw: str) -> str:
    """Nine digits, as ICE and EOIR systems expect: "A 12-345-678" -> "012345678". ValueError if it cannot be one."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    cleaned = "".join(ch for ch in raw.upper() if ch not in " -.A#")
    if cleaned != digits or not 7 <= len(digits) <= 9:
        raise ValueError("an A-number has 7 to 9 digits")
    return digits.zfill(9)


class Person(models.Model):
    ENCRYPTED = ("legal_name", "aliases", "a_number", "date_of_birth", "notes")

    case_code = models.CharField(
        _("case code"), max_length=16, unique=True, default=new_case_code, editable=False
    )
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="people")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # encrypted with the person's data key
    legal_name_enc = models.BinaryField(null=True)
    aliases_enc = models.BinaryField(null=True)
    a_number_enc = models.BinaryField(null=True)
    date_of_birth_enc = models.BinaryField(null=True)
    notes_enc = models.BinaryField(null=True)
    a_number_index = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # plain: needed for lists, look-ups and the locator; not identifying on their own
    country_of_birth = models.CharField(
        _("country of birth (ISO code)"), max_length=2, blank=True, default=""
    )
    citizenship = models.CharField(_("citizenship (ISO code)"), max_length=2, blank=True, default="")
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    languages = models.CharField(_("languages"), max_length=100, blank=True, default="")
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    claims_us_citizenship = models.BooleanField(_("says they are a U.S. citizen"), default=False)
    is_minor = models.BooleanField(_("minor"), default=False)
    sensitivity_flags = models.JSONField(_("needs"), default=list, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    # current state, kept up to date by the actions that record custody and representation
    custody_status = models.CharField(
        _("custody status"),
        max_length=40,
        choices=vocab.CustodyStatus.choices,
        default=vocab.CustodyStatus.REPORTED,
    )
    custody_info_at = models.DateTimeField(_("last custody information"), null=True, blank=True)
    current_facility = models.ForeignKey(
        "people.Facility", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    representation_status = models.CharField(
        _("representation"), max_length=30, default="none_known", db_index=True
    )

    class Meta:
        indexes = [models.Index(fields=["network", "-created_at"], name="person_network_created")]

    def __str__(self) -> str:
        return self.case_code

    @property
    def since(self) -> object:
        return self.taken_at or self.created_at

    def aad(self, field: str) -> str:
        return f"person:{self.case_code}:{field}"

    def dek(self) -> bytes:
        """The person's data key (crypto.CryptoError once it has been destroyed)."""
        try:
            wrapped = self.key.wrapped
        except PersonKey.DoesNotExist as exc:
            raise crypto.CryptoError("the data key of this person was destroyed") from exc
        return crypto.unwrap(wrapped)

    def set_secret(self, dek: bytes, field: str, value: str) -> None:
        setattr(self, f"{field}_enc", crypto.encrypt_text(dek, value, self.aad(field)) if value else None)

    def secret(self, dek: bytes, field: str) -> str:
        return crypto.decrypt_text(dek, getattr(self, f"{field}_enc"), self.aad(field))

    def identity(self, dek: bytes | None = None) -> dict[str, str]:
        dek = dek or self.dek()
        return {field: self.secret(dek, field) for field in self.ENCRYPTED}

    def date_of_birth(self, dek: bytes) -> date | None:
        text = self.secret(dek, "date_of_birth")
        return date.fromisoformat(text) if text else None


class PersonNameToken(models.Model):
    """One normalised word of a person's name or aliases, as a keyed blind index (amparo/people/names.py)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "token"], name="one_name_token")]
        indexes = [models.Index(fields=["token"], name="person_name_token")]


class PersonKey(models.Model):
    """The person's data key, wrapped by the master key. Deleting this row is crypto-shredding."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="key")
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)


class Contact(models.Model):
    ENCRYPTED = ("name", "phone", "notes")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    relationship = models.CharField(_("relationship"), max_length=60)
    name_enc = models.BinaryField(null=True)
    phone_enc = models.BinaryField(null=True)
    notes_enc = models.BinaryField(null=True)
    language = models.CharField(_("language"), max_length=40, blank=True, default="")
    safe_to_call = models.BooleanField(_("safe to call"), default=True)
    consent_to_contact = models.BooleanField(_("agreed to be contacted"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def aad(self, field: str) -> str:
        return f"contact:{self.code}:{field}"

    def set_secret(self, dek: bytes, field: str, value: str) -> None:
        setattr(self, f"{field}_enc", crypto.encrypt_text(dek, value, self.aad(field)) if value else None)

    def secret(self, dek: bytes, field: str) -> str:
        return crypto.decrypt_text(dek, getattr(self, f"{field}_enc"), self.aad(field))


class Consent(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("what"), max_length=20, choices=vocab.ConsentScope.choices)
    recipient = models.CharField(_("with whom"), max_length=20, choices=vocab.ConsentRecipient.choices)
    granted = models.BooleanField(_("granted"), default=True)
    given_by = models.CharField(_("given by"), max_length=60, blank=True, default="")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at"]


class CustodyEpisode(models.Model):
    """A "stay": one continuous time in custody, possibly across several facilities (placements)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="episodes")
    custodian = models.CharField(_("custodian"), max_length=30, choices=vocab.Custodian.choices)
    status = models.CharField(_("status"), max_length=40, choices=vocab.CustodyStatus.choices)
    start = models.DateTimeField(_("from"), default=timezone.now)
    end = models.DateTimeField(_("until"), null=True, blank=True)
    release_reason = models.CharField(
        _("release reason"), max_length=30, choices=vocab.ReleaseReason.choices, blank=True, default=""
    )
    source = models.CharField(_("source"), max_length=20, choices=vocab.CustodySource.choices)
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=vocab.Confidence.choices, default=vocab.Confidence.MEDIUM
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start", "-id"]


class CustodyPlacement(models.Model):
    """A "stint": one facility (or holding site) within an episode."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="+")
    episode = models.ForeignKey(CustodyEpisode, on_delete=models.CASCADE, related_name="placements")
    facility = models.ForeignKey(
        "people.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    holding_site_text = models.CharField(_("holding site"), max_length=200, blank=True, default="")
    start = models.DateTimeField(_("from"), default=timezone.now)
    end = models.DateTimeField(_("until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=vocab.CustodySource.choices)
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=vocab.Confidence.choices, default=vocab.Confidence.MEDIUM
    )

    class Meta:
        ordering = ["-start", "-id"]


class LocatorCheck(models.Model):
    """One manual search (ICE locator, a call, EOIR): who, when, how, what came back. Never automated."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="locator_checks")
    at = models.DateTimeField(_("checked at"), default=timezone.now)
    mode = models.CharField(_("how"), max_length=30, choices=vocab.LocatorMode.choices)
    result = models.CharField(_("result"), max_length=30, choices=vocab.LocatorResult.choices)
    facility_returned = models.ForeignKey(
        "people.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]


class Task(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(
        _("kind"), max_length=30, choices=vocab.TaskKind.choices, default=vocab.TaskKind.OTHER
    )
    title = models.CharField(
        _("what to do"), max_length=200, help_text=_("Use the case code, never a name or an A-number.")
    )
    # a task Amparo makes itself stores what to say, not a sentence: it is worded in each reader's language
    template = models.CharField(max_length=40, blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
    owner = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["done_at", "due_at", "id"]

    @property
    def overdue(self) -> bool:
        return self.done_at is None and self.due_at is not None and self.due_at < timezone.now()

    @property
    def text(self) -> str:
        """What to do, in the reader's language: an automatic task is worded now; a person's task as they wrote it."""
        from amparo.people.tasks_text import task_text

        return task_text(self.template, self.params) or self.title


class IncidentSubject(models.Model):
    """A person's part in an incident: detained, collateral arrest, released on scene, ..."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Network", on_delete=models.CASCADE, related_name="+")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="incident_links")
    role = models.CharField(_("role"), max_length=30, choices=vocab.SubjectRole.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "person"], name="one_role_per_incident_person")
        ]
