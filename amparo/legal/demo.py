"""Demo legal follow-up: providers serving the network's counties, referrals with every kind of answer, cases,
hearings and a bond record. The demo legal partner (``abogada``) works for the provider the network refers most
people to, so her dashboard shows her clients."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from amparo.legal import actions
from amparo.legal.models import LegalServiceProvider
from amparo.people.facilities import Facility
from amparo.people.models import Person

# language -> providers: (name, kind, languages, capacity); the counties are the network's. Index 1 takes the
# accepted referrals and employs the demo legal partner.
PROVIDERS = {
    "es": [
        ("Centro Legal Comunitario del Valle", "nonprofit", "es, en", "open"),
        ("Despacho Rivera & Asociados", "private_attorney", "es, en", "open"),
        ("Clínica de Inmigración, Facultad de Derecho", "law_school_clinic", "es, en, fr", "limited"),
        ("Programa de Defensa Universal", "public_defender", "en, es, ht", "closed"),
    ],
    "en": [
        ("Northside Immigrant Legal Aid", "nonprofit", "en, es", "open"),
        ("Ortiz & Kim Immigration Law", "private_attorney", "en, es, pl", "open"),
        ("Law School Immigration Clinic", "law_school_clinic", "en, es, fr", "limited"),
        ("Universal Representation Program", "public_defender", "en, es, ht", "closed"),
    ],
}
PARTNER_PROVIDER = 1
BOND_FUND = {"es": "Fondo de fianzas del Valle", "en": "Chicago community bond fund"}


def populate(ctx: Any) -> None:
    now = timezone.now()
    count = 0
    for network in ctx.networks:
        story = ctx.story(network)
        staff = ctx.member(network, "caseworker")
        facilities = list(Facility.objects.filter(network=None, state__in=story.facility_states)[:5])
        providers = []
        for name, kind, languages, capacity in PROVIDERS[story.language]:
            provider = LegalServiceProvider.objects.create(
                network=network,
                name=name,
                kind=kind,
                languages=languages,
                counties_served=story.counties,
                capacity_status=capacity,
                takes_detained_cases=True,
                doj_recognized=kind == "nonprofit",
                intake_hours="L-V 9:00-17:00" if story.language == "es" else "Mon-Fri 9:00-17:00",
                last_verified_at=now,
            )
            provider.facilities_served.set(facilities)
            providers.append(provider)
        partner = ctx.members.get((network.name, "legal_partner"))
        if partner is not None:
            actions.do_link_partner(None, partner, providers[PARTNER_PROVIDER])
        people = list(Person.objects.filter(network=network).order_by("created_at"))
        for i, person in enumerate(people):
            if i % 3 == 0:
                continue  # still no referral: shows on the "no lawyer" list
            # accepted referrals, and one still waiting, go to the partner's provider; declines go elsewhere
            provider = providers[PARTNER_PROVIDER] if i % 3 == 1 or i % 4 == 1 else providers[2]
            referral = actions.do_refer(staff.user, person, provider, now + timedelta(hours=24))
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
                        "court": story.court,
                    },
                )
                actions.do_add_hearing(
                    staff.user, case, {"kind": "bond", "at": now + timedelta(days=1 + i % 6), "mode": "video"}
                )
                if i % 2:
                    actions.do_add_bond(
                        staff.user,
                        case,
                        {"ice_determination": "no_bond", "bond_fund": BOND_FUND[story.language]},
                    )
            elif i % 4 == 2:
                actions.do_answer_referral(staff.user, referral, "declined_capacity")
            count += 1
    ctx.lines.append(f"Legal: {len(PROVIDERS['es'])} providers per network and {count} referrals.")
