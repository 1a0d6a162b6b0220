"""Demo legal follow-up: providers, referrals with every kind of answer, cases, hearings and a bond record."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from amparo.legal import actions
from amparo.legal.models import LegalServiceProvider
from amparo.people.facilities import Facility
from amparo.people.models import Person

PROVIDERS = [
    ("Centro Legal Comunitario del Valle", "nonprofit", "es, en", "Cook, Lake", "open", True),
    (
        "Clínica de Inmigración, Facultad de Derecho",
        "law_school_clinic",
        "es, en, fr",
        "Cook",
        "limited",
        True,
    ),
    ("Despacho Rivera & Asociados", "private_attorney", "es, en", "Cook, DuPage, Will", "open", True),
    ("Programa de Defensa Universal", "public_defender", "en, es, ht", "Cook", "closed", True),
]


def populate(ctx: Any) -> None:
    now = timezone.now()
    count = 0
    for network in ctx.networks:
        staff = ctx.member(network, "caseworker")
        providers = []
        for name, kind, languages, counties, capacity, detained in PROVIDERS:
            provider = LegalServiceProvider.objects.create(
                network=network,
                name=name,
                kind=kind,
                languages=languages,
                counties_served=counties,
                capacity_status=capacity,
                takes_detained_cases=detained,
                doj_recognized=kind == "nonprofit",
                intake_hours="L-V 9:00-17:00",
                last_verified_at=now,
            )
            provider.facilities_served.set(Facility.objects.filter(network=None, state="IL")[:5])
            providers.append(provider)
        partner = ctx.members.get((network.name, "legal_partner"))
        if partner is not None:
            actions.do_link_partner(None, partner, providers[0])
        people = list(Person.objects.filter(network=network).order_by("created_at"))
        for i, person in enumerate(people):
            if i % 3 == 0:
                continue  # still no referral: shows on the "no lawyer" list
            referral = actions.do_refer(staff.user, person, providers[i % 3], now + timedelta(hours=24))
            if i % 3 == 1:
                actions.do_answer_referral(staff.user, referral, "accepted")
                case = actions.do_save_case(
                    staff.user,
                    person,
                    None,
                    {
                        "proceeding_type": "removal_240",
                        "status": "bond_hearing_scheduled",
                        "docket": "detained",
                        "court": "Chicago Immigration Court",
                    },
                )
                actions.do_add_hearing(
                    staff.user, case, {"kind": "bond", "at": now + timedelta(days=1 + i % 6), "mode": "video"}
                )
                if i % 2:
                    actions.do_add_bond(
                        staff.user, case, {"ice_determination": "no_bond", "bond_fund": "Fondo de fianzas"}
                    )
            elif i % 4 == 2:
                actions.do_answer_referral(staff.user, referral, "declined_capacity")
            count += 1
    ctx.lines.append(f"Legal: {len(PROVIDERS)} providers per network and {count} referrals.")
