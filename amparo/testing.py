"""Test personas and helpers, shared by every part's tests (fixtures are registered in the root conftest.py).

Network "Red Norte": alice (coordinator), vera (verifier), omar (operator), carla (caseworker), lena (legal partner),
rita (read-only). Network "Red Sur": bob (coordinator), the stranger whose requests must get 404 on Red Norte's records.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyotp
from django.test import Client

from amparo.access import SESSION_NETWORK
from amparo.accounts.models import Membership, Network, User
from amparo.middleware import SESSION_OTP

PASSWORD = "correct horse battery staple"  # noqa: S105  (test persona password)
PERSONAS = {
    "alice": ("Red Norte", "coordinator"),
    "vera": ("Red Norte", "verifier"),
    "omar": ("Red Norte", "operator"),
    "carla": ("Red Norte", "caseworker"),
    "lena": ("Red Norte", "legal_partner"),
    "rita": ("Red Norte", "readonly"),
    "bob": ("Red Sur", "coordinator"),
}


@dataclass
class Personas:
    north: Network
    south: Network
    members: dict[str, Membership]

    def __getitem__(self, name: str) -> Membership:
        return self.members[name]

    def user(self, name: str) -> User:
        return self.members[name].user


def make_personas() -> Personas:
    networks = {name: Network.objects.create(name=name) for name in ("Red Norte", "Red Sur")}
    members: dict[str, Membership] = {}
    for username, (network_name, role) in PERSONAS.items():
        user = User(username=username, totp_secret=pyotp.random_base32())
        user.set_password(PASSWORD)
        user.save()
        members[username] = Membership.objects.create(user=user, network=networks[network_name], role=role)
    return Personas(north=networks["Red Norte"], south=networks["Red Sur"], members=members)


def signed_in_client(membership: Membership, *, two_factor: bool = True, **client_kwargs: object) -> Client:
    """A test client signed in as the member, acting in the member's network, past the second factor."""
    client = Client(**client_kwargs)  # type: ignore[arg-type]  # forwards Client's own options
    client.force_login(membership.user)
    session = client.session
    session[SESSION_OTP] = two_factor
    session[SESSION_NETWORK] = str(membership.network.code)
    session.save()
    return client


def restore_seed_data() -> None:
    """Put back the rows that migrations seed (vocabularies, the facility list, the log counters) when a
    transactional test has emptied the tables, so every test starts from what a fresh installation has."""
    import importlib

    from django.apps import apps

    from amparo.evidence.models import LogCounter
    from amparo.incidents.models import Term
    from amparo.people.facilities import Facility, FieldOffice
    from amparo.people.importer import seed as seed_facilities

    if not Term.objects.exists():
        importlib.import_module("amparo.incidents.migrations.0002_terms_and_gateway").seed_terms(apps, None)
    if not Facility.objects.filter(network=None).exists():
        seed_facilities(Facility, FieldOffice)
    for name in ("log", "sequencer"):
        LogCounter.objects.get_or_create(name=name, defaults={"value": 0})
