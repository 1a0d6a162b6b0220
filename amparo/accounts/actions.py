"""Atomic, audited changes to accounts, memberships and invitations."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import Invitation, Membership, Network, SignInLink, User
from amparo.audit.actions import record


@transaction.atomic
def do_create_network(name: str, actor: User | None = None) -> Network:
    network = Network.objects.create(name=name)
    record(actor, network, "network.created", network)
    return network


@transaction.atomic
def do_create_member(
    network: Network,
    username: str,
    role: str,
    *,
    password: str | None = None,
    actor: User | None = None,
    display_name: str = "",
    language: str = "",
) -> Membership:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, language=language)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    membership = Membership.objects.create(user=user, network=network, role=role, display_name=display_name)
    record(actor, network, "member.added", membership, role=role)
    return membership


@transaction.atomic
def do_invite(network: Network, role: str, actor: User, email: str = "") -> tuple[Invitation, str]:
    invitation, token = Invitation.new(network, role, actor, email)
    invitation.save()
    record(actor, network, "invitation.created", invitation, role=role)
    return invitation, token


@transaction.atomic
def do_accept_invitation(
    invitation: Invitation, username: str, password: str, language: str = ""
) -> Membership:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.usable:
        raise ValueError("invitation no longer usable")
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    user = User(username=username, language=language)
    user.set_password(password)
    user.save()
    membership = Membership.objects.create(user=user, network=locked.network, role=locked.role)
    record(user, locked.network, "invitation.accepted", membership, role=locked.role)
    return membership


def _link_networks(user: User, membership: Membership | None) -> list[Network]:
    """Where a sign-in link is audited: its own network only (another network never learns of it), or every
    network of the user for an unbound link printed by the command line."""
    if membership is not None:
        return [membership.network]
    return [m.network for m in user.memberships.select_related("network")]


@transaction.atomic
def do_create_signin_link(
    user: User, actor: User | None = None, hours: int = 24, *, membership: Membership | None = None
) -> str:
    """A one-time link; with ``membership`` (a coordinator's link) its session acts in that network only."""
    link, token = SignInLink.new(user, hours=hours, membership=membership)
    link.save()
    for network in _link_networks(user, membership):
        record(actor, network, "signin_link.created", user)
    return token


@transaction.atomic
def do_use_signin_link(link: SignInLink) -> bool:
    locked = SignInLink.objects.select_for_update().get(pk=link.pk)
    if not locked.usable:
        return False
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    for network in _link_networks(locked.user, locked.membership):
        record(locked.user, network, "signin_link.used", locked.user)
    return True


@transaction.atomic
def do_confirm_two_factor(user: User, secret: str, step: int) -> None:
    user.totp_secret = secret
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = step
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    for membership in user.memberships.all():
        record(user, membership.network, "two_factor.enabled", user)


@transaction.atomic
def do_change_member(membership: Membership, actor: User, role: str, areas: str, available: bool) -> None:
    before = membership.role
    membership.role, membership.areas, membership.available = role, areas, available
    membership.save(update_fields=["role", "areas", "available"])
    record(actor, membership.network, "member.changed", membership, role_before=before, role=role)


@transaction.atomic
def do_remove_member(membership: Membership, actor: User) -> None:
    record(actor, membership.network, "member.removed", membership, role=membership.role)
    membership.delete()


@transaction.atomic
def do_set_password(user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    for membership in user.memberships.all():
        record(user, membership.network, "password.changed", user)
