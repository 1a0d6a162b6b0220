from __future__ import annotations

import random

import pytest

from amparo.demo import DemoContext
from amparo.incidents.models import Report
from amparo.intake import demo
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def test_demo_adds_reports_from_every_channel(personas: Personas) -> None:
    ctx = DemoContext(rng=random.Random(1), size=1, networks=[personas.north])
    ctx.members[(personas.north.name, "operator")] = personas["omar"]
    demo.populate(ctx)
    channels = set(Report.objects.filter(network=personas.north).values_list("channel", flat=True))
    assert channels == {"web_form", "hotline_voice", "news"}
    assert any("/report/red-norte/" in line for line in ctx.lines)
