"""Realistic demo data: two networks, members of every role, Spanish and English speakers.

Each part adds its own demo data with a module ``amparo/<part>/demo.py`` defining ``populate(ctx: DemoContext)``,
called in DEMO_PARTS order. The same seed gives the same data.
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
