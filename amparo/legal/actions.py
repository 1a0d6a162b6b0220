"""Atomic, audited changes to referrals, representation, legal cases, hearings, bond records and providers."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import Membership, User
from amparo.audit.actions import record
from amparo.legal import vocab
from amparo.legal.models import (
    BondRecord,
    Hearing,
    LegalCase,
    LegalServiceProvider,
    ProviderMember,
    Referral,
    Representation,
)
from amparo.lib import crypto
from amparo.people.models import Person

SEEKING_STATES = {
    vocab.RepresentationStatus.NONE_KNOWN,
    vocab.RepresentationStatus.SEEKING,
    vocab.RepresentationStatus.DECLINED,
}


class ReferralAnswered(ValueError):
    """The referral has an answer already; an answer is final."""


def _set_status(person: Person, status: str) -> None:
    person.representation_status = status
    person.updated_at = timezone.now()
    person.save(update_fields=["representation_status", "updated_at"])


@transaction.atomic
def do_refer(
    actor: User, person: Person, provider: LegalServiceProvider, follow_up_due: Any = None
) -> Referral:
    if provider.network_id != person.network_id:
        raise ValueError("provider of another network")
    referral = Referral.objects.create(
        network=person.network,
        person=person,
        provider=provider,
        referred_by=actor,
        follow_up_due=follow_up_due,
    )
    if person.representation_status in SEEKING_STATES:
        _set_status(person, vocab.RepresentationStatus.REFERRED_PENDING)
    record(
        actor,
        person.network,
        "referral.created",
        person,
        referral=str(referral.code),
        provider=str(provider.code),
    )
    return referral


@transaction.atomic
def do_answer_referral(
    actor: User,
    referral: Referral,
    outcome: str,
    *,
    status: str = vocab.RepresentationStatus.REPRESENTED_FULL,
    attorney: str = "",
) -> Referral:
    """Record the provider's answer. Accepted: the provider represents the person (they leave the "no lawyer" list
    and the provider's legal partners can now see the case). Declined or silent: back to looking.

    An answer is final: a referral already answered raises ReferralAnswered and nothing changes (asking the provider
    again takes a new referral, so a declined case never opens to the provider later by a second answer)."""
    answered_at = timezone.now()
    # one conditional UPDATE: of two answers sent at the same moment, only the first changes the row
    claimed = Referral.objects.filter(pk=referral.pk, outcome=vocab.ReferralOutcome.PENDING).update(
        outcome=outcome, answered_at=answered_at
    )
    if not claimed:
        raise ReferralAnswered
    referral.outcome = outcome
    referral.answered_at = answered_at
    person = referral.person
    if outcome == vocab.ReferralOutcome.ACCEPTED:
        Representation.objects.create(
            network=person.network,
            person=person,
            provider=referral.provider,
            status=status,
            attorney=attorney,
        )
        _set_status(person, status)
    elif (
        person.representation_status == vocab.RepresentationStatus.REFERRED_PENDING
        and not person.referrals.filter(outcome=vocab.ReferralOutcome.PENDING).exists()
    ):
        _set_status(person, vocab.RepresentationStatus.SEEKING)
    record(actor, person.network, "referral.answered", person, referral=str(referral.code), outcome=outcome)
    return referral


@transaction.atomic
def do_record_representation(actor: User, person: Person, **fields: Any) -> Representation:
    rep = Representation.objects.create(network=person.network, person=person, **fields)
    _set_status(person, rep.status)
    record(actor, person.network, "representation.recorded", person, status=rep.status)
    return rep


@transaction.atomic
def do_save_case(actor: User, person: Person, case: LegalCase | None, fields: dict[str, Any]) -> LegalCase:
    if case is None:
        case = LegalCase(network=person.network, person=person)
    changed = [k for k, v in fields.items() if getattr(case, k) != v]
    for key, value in fields.items():
        setattr(case, key, value)
    case.save()
    record(actor, person.network, "legal_case.saved", person, case=str(case.code), fields=sorted(changed))
    return case


@transaction.atomic
def do_add_hearing(actor: User, case: LegalCase, fields: dict[str, Any]) -> Hearing:
    hearing = Hearing.objects.create(network=case.network, case=case, **fields)
    record(actor, case.network, "hearing.added", case.person, case=str(case.code), kind=hearing.kind)
    return hearing


@transaction.atomic
def do_add_bond(actor: User, case: LegalCase, fields: dict[str, Any], obligor: str = "") -> BondRecord:
    bond = BondRecord(network=case.network, case=case, **fields)
    if obligor:
        bond.obligor_enc = crypto.encrypt_text(case.person.dek(), obligor, bond.aad())
    bond.save()
    record(actor, case.network, "bond.added", case.person, case=str(case.code))
    return bond


def bond_obligor(bond: BondRecord) -> str:
    return crypto.decrypt_text(bond.case.person.dek(), bond.obligor_enc, bond.aad())


@transaction.atomic
def do_save_provider(
    actor: User, network: Any, provider: LegalServiceProvider | None, form: Any
) -> LegalServiceProvider:
    obj = form.save(commit=False)
    if provider is None:
        obj.network = network
    obj.last_verified_at = timezone.now()
    obj.save()
    form.save_m2m()
    record(
        actor,
        network,
        "provider.created" if provider is None else "provider.updated",
        obj,
        fields=sorted(form.changed_data),
    )
    return obj


@transaction.atomic
def do_link_partner(
    actor: User | None, membership: Membership, provider: LegalServiceProvider
) -> ProviderMember:
    if membership.network_id != provider.network_id or not membership.can("people.referred"):
        raise ValueError("only a legal partner of the same network can be linked to a provider")
    link, _created = ProviderMember.objects.update_or_create(
        membership=membership, defaults={"provider": provider}
    )
    record(actor, provider.network, "provider.member_linked", provider, member=str(membership.code))
    return link
