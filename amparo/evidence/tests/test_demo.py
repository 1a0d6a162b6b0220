"""The demo hook fills each demo network with real media that verifies."""

from __future__ import annotations

import random

import pytest

from amparo.accounts import actions
from amparo.demo import DemoContext
from amparo.evidence import demo
from amparo.evidence.checkall import verify_all
from amparo.evidence.models import EvidenceItem


@pytest.mark.django_db
def test_demo_populates_each_network() -> None:
    ctx = DemoContext(rng=random.Random(1), size=1)
    network = actions.do_create_network("Demo")
    ctx.networks.append(network)
    for role in ("operator", "coordinator"):
        ctx.members[(network.name, role)] = actions.do_create_member(network, f"demo-{role}", role)
    demo.populate(ctx)
    items = EvidenceItem.objects.filter(network=network)
    assert items.count() == 5
    assert set(items.values_list("kind", flat=True)) == {"image", "video"}
    assert items.exclude(probe_error="").count() == 1
    assert items.filter(kind="image", metadata__gps__isnull=False).count() == 3
    assert ctx.lines and "/receipt/" in ctx.lines[0]
    assert verify_all().ok
