"""Realistic demo data: two networks, members of every role, Spanish and English speakers.

One story, told by every part: the Valle network (Spanish-speaking) works the Inland Empire and Los Angeles, the
Northside network (English- and Spanish-speaking) works Chicago. Each network's ``Story`` lists its places (with their
public descriptions and the signs a witness's photo shows), the counties its legal providers serve, its immigration
court and the states of the facilities its people end up in; every part's ``amparo/<part>/demo.py`` defines
``populate(ctx: DemoContext)`` and takes its places and language from ``ctx.story(network)``. Parts run in DEMO_PARTS
order. The same seed gives the same data.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field

from django.db import transaction

from amparo.accounts import actions
from amparo.accounts.models import Membership, Network

DEMO_PASSWORD = "amparo-demo-2026"  # noqa: S105  (demo accounts only; printed to the operator who ran `amparo demo`)
DEMO_PARTS = ["intake", "evidence", "incidents", "people", "legal", "public"]
NETWORKS = [
    (
        "Red de Respuesta Rápida del Valle",
        [
            ("coordinadora", "coordinator", "Marisol (coordinación)", "es"),
            ("verificador", "verifier", "Tomás (verificación)", "es"),
            ("operadora", "operator", "Lucía (línea)", "es"),
            ("casos", "caseworker", "Ana (casos)", "es"),
            ("abogada", "legal_partner", "Lic. Rivera (socia legal)", "es"),
            ("lectura", "readonly", "Observador", "en"),
        ],
    ),
    (
        "Northside Rapid Response",
        [
            ("north-coord", "coordinator", "Sam (coordinator)", "en"),
            ("north-verifier", "verifier", "Jordan (verifier)", "en"),
            ("north-operator", "operator", "Dana (hotline)", "es"),
            ("north-casework", "caseworker", "Priya (casework)", "en"),
        ],
    ),
]


@dataclass(frozen=True)
class Place:
    words: str  # how a caller names it (private)
    lat: float
    lon: float
    city: str
    county: str
    state: str
    location_type: str
    incident_type: str
    public_label: str  # the public description of the place, in the network's language
    sign: str  # what a sign in a witness's photo of it says


@dataclass(frozen=True)
class Story:
    language: str  # the language the network's notes are written in
    utc_offset: str  # of its cameras' clocks in winter
    places: list[Place]
    counties: str  # served by its legal providers
    court: str
    facility_states: tuple[str, ...]
    verifier_areas: str
    towns: list[
        tuple[str, str, str, float, float]
    ]  # (state, county, city, lat, lon) of its older public incidents


STORIES = {
    "Red de Respuesta Rápida del Valle": Story(
        language="es",
        utc_offset="-08:00",
        places=[
            Place(
                "Estacionamiento del Home Depot, Foothill Blvd",
                34.1064,
                -117.3703,
                "Rialto",
                "San Bernardino",
                "CA",
                "day_labor_site",
                "sweep",
                "estacionamiento de una tienda de materiales, Rialto",
                "HOME DEPOT",
            ),
            Place(
                "Clínica La Familia, entrada principal, César Chávez Ave",
                34.0469,
                -118.2110,
                "Los Angeles",
                "Los Angeles",
                "CA",
                "healthcare",
                "targeted_arrest",
                "clínica de salud, Los Angeles",
                "CLINICA LA FAMILIA",
            ),
            Place(
                "Corte de inmigración, 606 S Olive St",
                34.0480,
                -118.2530,
                "Los Angeles",
                "Los Angeles",
                "CA",
                "courthouse_immigration",
                "courthouse_arrest",
                "corte de inmigración, Los Angeles",
                "606 S OLIVE",
            ),
            Place(
                "Lavado de autos en La Cadena Dr",
                33.9985,
                -117.3585,
                "Riverside",
                "Riverside",
                "CA",
                "worksite",
                "worksite_operation",
                "lavado de autos (trabajadores), Riverside",
                "CAR WASH",
            ),
            Place(
                "Parada de autobús en Holt Blvd y Euclid Ave",
                34.0633,
                -117.6509,
                "Ontario",
                "San Bernardino",
                "CA",
                "street_public",
                "targeted_arrest",
                "parada de autobús, Ontario",
                "HOLT BLVD",
            ),
            Place(
                "Escalinata de la iglesia San José",
                34.1083,
                -117.2898,
                "San Bernardino",
                "San Bernardino",
                "CA",
                "place_of_worship",
                "presence_no_enforcement",
                "iglesia, San Bernardino",
                "IGLESIA SAN JOSE",
            ),
        ],
        counties="San Bernardino, Riverside, Los Angeles",
        court="Corte de Inmigración de Adelanto",
        facility_states=("CA",),
        verifier_areas="San Bernardino County; Riverside County; 92376, 92501",
        towns=[
            ("CA", "Los Angeles", "Los Angeles", 34.05, -118.25),
            ("CA", "Los Angeles", "Pomona", 34.06, -117.75),
            ("CA", "San Bernardino", "Ontario", 34.06, -117.65),
            ("CA", "San Bernardino", "San Bernardino", 34.11, -117.29),
            ("CA", "San Bernardino", "Rialto", 34.11, -117.37),
            ("CA", "Riverside", "Riverside", 33.95, -117.40),
            ("CA", "Riverside", "Moreno Valley", 33.94, -117.23),
        ],
    ),
    "Northside Rapid Response": Story(
        language="en",
        utc_offset="-06:00",
        places=[
            Place(
                "Car wash on W 26th St",
                41.8445,
                -87.7060,
                "Chicago",
                "Cook",
                "IL",
                "worksite",
                "worksite_operation",
                "car wash (workers), Chicago",
                "CAR WASH",
            ),
            Place(
                "Bus stop at Cermak and Pulaski",
                41.8520,
                -87.7250,
                "Chicago",
                "Cook",
                "IL",
                "street_public",
                "targeted_arrest",
                "bus stop, Chicago",
                "CERMAK RD",
            ),
            Place(
                "St. Agnes church steps",
                41.8310,
                -87.7020,
                "Chicago",
                "Cook",
                "IL",
                "place_of_worship",
                "presence_no_enforcement",
                "place of worship, Chicago",
                "ST. AGNES",
            ),
            Place(
                "Home Depot parking lot on S Pulaski Rd",
                41.8040,
                -87.7230,
                "Chicago",
                "Cook",
                "IL",
                "day_labor_site",
                "sweep",
                "home-improvement store parking lot, Chicago",
                "HOME DEPOT",
            ),
            Place(
                "Laundromat on W 26th St and S Central Park Ave",
                41.8447,
                -87.7150,
                "Chicago",
                "Cook",
                "IL",
                "commercial_retail",
                "presence_no_enforcement",
                "laundromat, Chicago",
                "LAVANDERIA",
            ),
            Place(
                "Apartment building on W 31st St",
                41.8370,
                -87.7540,
                "Cicero",
                "Cook",
                "IL",
                "residence",
                "targeted_arrest",
                "apartment building, Cicero",
                "31ST ST",
            ),
        ],
        counties="Cook, DuPage, Lake, Will",
        court="Chicago Immigration Court",
        facility_states=("IL", "WI", "IN", "KY"),
        verifier_areas="Cook County; 60608, 60623, 60804",
        towns=[
            ("IL", "Cook", "Chicago", 41.85, -87.68),
            ("IL", "Cook", "Cicero", 41.84, -87.75),
            ("IL", "Cook", "Berwyn", 41.85, -87.79),
            ("IL", "DuPage", "West Chicago", 41.88, -88.20),
            ("IL", "Lake", "Waukegan", 42.36, -87.84),
            ("IL", "Will", "Joliet", 41.53, -88.08),
        ],
    ),
}


@dataclass
class DemoContext:
    rng: random.Random
    size: int
    networks: list[Network] = field(default_factory=list)
    members: dict[tuple[str, str], Membership] = field(
        default_factory=dict
    )  # (network name, role) -> first member
    lines: list[str] = field(default_factory=list)

    def member(self, network: Network, role: str) -> Membership:
        return self.members[(network.name, role)]

    def story(self, network: Network) -> Story:
        """The network's part of the demo story; a network the demo did not make borrows the first one."""
        return STORIES.get(network.name, next(iter(STORIES.values())))


def exists() -> bool:
    return Network.objects.filter(name=NETWORKS[0][0]).exists()


def build(seed: int = 2026, size: int = 1) -> list[str]:
    ctx = DemoContext(rng=random.Random(seed), size=size)
    with transaction.atomic():
        for name, people in NETWORKS:
            network = actions.do_create_network(name)
            ctx.networks.append(network)
            for username, role, display, language in people:
                membership = actions.do_create_member(
                    network, username, role, password=DEMO_PASSWORD, display_name=display, language=language
                )
                ctx.members.setdefault((name, role), membership)
    for part in DEMO_PARTS:
        try:
            module = importlib.import_module(f"amparo.{part}.demo")
        except ModuleNotFoundError as exc:
            if exc.name in (f"amparo.{part}", f"amparo.{part}.demo"):
                continue
            raise
        module.populate(ctx)
    users = ", ".join(username for _name, people in NETWORKS for username, *_rest in people)
    return [
        f"Demo data: {len(ctx.networks)} networks; users {users}.",
        f"Demo password for every demo user: {DEMO_PASSWORD} (two-step sign-in is set up at first sign-in).",
        *ctx.lines,
    ]
