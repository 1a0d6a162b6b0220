"""Demo people: invented names and numbers, custody at facilities of the shipped list, checks, contacts, tasks.

Every name here is made up; every A-number starts with 0999 so it cannot be a real one issued so far.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from amparo.people import actions, vocab
from amparo.people.facilities import Facility
from amparo.people.models import Person

WOMEN = ["Rosa Elena", "Maricela", "Guadalupe", "Yesenia", "Karla"]
MEN = ["Juan Carlos", "Edgar", "Wilmer", "Ovidio", "Dionisio"]
FIRST = WOMEN + MEN
# (relationship, the names that fit it): a sister is not called Edgar
RELATIONSHIPS = [("madre", WOMEN), ("esposa", WOMEN), ("hermano", MEN), ("hija", WOMEN), ("tío", MEN)]
LAST = [
    "Quintanilla Ruiz",
    "Betancourt Ávila",
    "Cienfuegos Mora",
    "Ixcot Tzul",
    "Paredes Alfaro",
    "Ocampo Reyes",
]
COUNTRIES = ["MX", "GT", "HN", "SV", "VE", "EC"]
LANGUAGES = ["es", "es", "es, k'iche'", "es, en", "es", "es, mam"]


def populate(ctx: Any) -> None:
    now = timezone.now()
    total = 0
    for network in ctx.networks:
        story = ctx.story(network)
        facilities = list(
            Facility.objects.filter(network=None, state__in=story.facility_states).order_by("name")[:40]
        )
        casework = ctx.member(network, "caseworker")
        user = casework.user
        incidents = _incidents(network)
        for i in range(8 * ctx.size):
            rng = ctx.rng
            family = rng.choice(LAST)
            name = f"{rng.choice(FIRST)} {family}"
            a_number = f"0999{rng.randrange(10**5):05d}"
            taken = now - timedelta(hours=rng.choice([6, 20, 30, 52, 75, 120, 200]))
            person = actions.do_create_person(
                user,
                network,
                actions.Identity(legal_name=name, a_number=a_number, notes="Datos de demostración"),
                incident=incidents[i % len(incidents)] if incidents else None,
                role=rng.choice(["detained", "detained", "collateral_arrest"]),
                country_of_birth=rng.choice(COUNTRIES),
                languages=rng.choice(LANGUAGES),
                interpreter_needed=rng.random() < 0.3,
                taken_at=taken,
                birth_year=rng.randrange(1965, 2005),
            )
            Person.objects.filter(pk=person.pk).update(created_at=taken)
            relationship, names = rng.choice(RELATIONSHIPS)
            actions.do_add_contact(
                user,
                person,
                relationship=relationship,
                name=f"{rng.choice(names)} {family}",
                phone=f"+1 555 01{rng.randrange(100):02d}",
                consent_to_contact=True,
            )
            actions.do_add_consent(
                user, person, scope="legal_case", recipient="legal_provider", granted=True, given_by="familia"
            )
            stage = i % 4
            if stage >= 1 and facilities:
                facility = rng.choice(facilities)
                actions.do_record_custody(
                    user,
                    person,
                    custodian="ice",
                    status="in_ice_hold_room",
                    source="family",
                    start=taken + timedelta(hours=3),
                )
                actions.do_record_locator_check(
                    user,
                    person,
                    mode="odls_a_number",
                    result="found_in_custody",
                    facility_returned=facility,
                    at=taken + timedelta(hours=18),
                    owner=casework,
                )
            if stage == 2:
                actions.do_record_locator_check(
                    user,
                    person,
                    mode="odls_a_number",
                    result="not_found",
                    at=now - timedelta(hours=30),
                    owner=casework,
                )
            if stage == 3 and rng.random() < 0.5:
                actions.do_record_custody(
                    user,
                    person,
                    custodian="ice",
                    status=vocab.CustodyStatus.RELEASED,
                    source="attorney",
                    release_reason="bond",
                    start=now - timedelta(hours=4),
                )
            total += 1
    ctx.lines.append(
        f"People: {total} demo people (invented names) with custody, locator checks and contacts."
    )


def _incidents(network: Any) -> list[Any]:
    try:
        from amparo.incidents.models import Incident
    except ImportError:
        return []
    return list(Incident.objects.filter(network=network).order_by("-start_at")[:10])
