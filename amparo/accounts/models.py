from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.roles import TWO_FACTOR_ROLES, Role, role_can


def token_digest(token: str) -> str:
    """Only digests of one-time tokens are stored; the token itself is shown once."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Network(models.Model):
    """An organisation: a rapid-response network, its hotline and its volunteers."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    totp_secret = models.CharField(max_length=64, blank=True, default="")
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    totp_last_step = models.BigIntegerField(default=0)

    @property
    def has_two_factor(self) -> bool:
        return self.totp_confirmed_at is not None

    def needs_two_factor(self) -> bool:
        return self.memberships.filter(role__in=TWO_FACTOR_ROLES).exists()


class Membership(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    display_name = models.CharField(_("name shown to the network"), max_length=100, blank=True, default="")
    areas = models.CharField(
        _("areas covered"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("ZIP codes, neighbourhoods or counties"),
    )
    available = models.BooleanField(_("available for dispatch"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "network"], name="one_membership_per_network")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.network})"

    @property
    def name(self) -> str:
        return self.display_name or self.user.get_username()

    def can(self, capability: str) -> bool:
        return role_can(self.role, capability)


class Invitation(models.Model):
    """A one-time link that lets someone join a network with a role."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=Role.choices)
    email = models.EmailField(blank=True, default="")
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def new(
        cls, network: Network, role: str, created_by: User | None, email: str = ""
    ) -> tuple[Invitation, str]:
        token = secrets.token_urlsafe(24)
        inv = cls(
            network=network,
            role=role,
            email=email,
            created_by=created_by,
            token_digest=token_digest(token),
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )
        return inv, token

    @property
    def usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class SignInLink(models.Model):
    """A one-time sign-in link for an existing user (the first coordinator, or a reset by a coordinator).

    A coordinator's link names the membership it was made for: the session it opens acts in that network only
    (docs/security.md, "What a coordinator can do to a member"). Links printed by the command line name none.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def new(cls, user: User, hours: int = 24, membership: Membership | None = None) -> tuple[SignInLink, str]:
        token = secrets.token_urlsafe(24)
        link = cls(
            user=user,
            membership=membership,
            token_digest=token_digest(token),
            expires_at=timezone.now() + timedelta(hours=hours),
        )
        return link, token

    @property
    def usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class Throttle(models.Model):
    """Counts events per key (a salted digest, never a raw username or IP): amparo/accounts/throttle.py."""

    key = models.CharField(max_length=64)
    scope = models.CharField(max_length=40)
    window_start = models.DateTimeField()  # fixed windows: their start; growing delays: the last attempt
    count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)  # growing delays: no attempt before this

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="one_throttle_per_key")]
