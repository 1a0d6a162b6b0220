"""The demo hook and the ``amparo public rebuild`` command rebuild the public layer."""

from __future__ import annotations

import random

import pytest

from amparo.cli import main
from amparo.demo import DemoContext
from amparo.public import demo
from amparo.public.models import PublicBuild, PublicIncident
from amparo.public.tests.helpers import make_incident
from amparo.testing import Personas


@pytest.mark.django_db
def test_the_demo_hook_rebuilds_and_says_so(personas: Personas) -> None:
    make_incident(personas.north, location_type="school")
    ctx = DemoContext(rng=random.Random(1), size=1)
    demo.populate(ctx)
    assert PublicIncident.objects.count() == 1
    assert ctx.lines and "1 incidents published" in ctx.lines[0]


@pytest.mark.django_db
def test_the_command_rebuilds(personas: Personas, capsys: pytest.CaptureFixture[str]) -> None:
    make_incident(personas.north, location_type="school")
    make_incident(personas.north, location_type="residence")
    assert main(["public", "rebuild"]) == 0
    out = capsys.readouterr().out
    assert "1 incidents published" in out and "1 held back" in out
    assert PublicBuild.objects.get().suppressed == 1


@pytest.mark.django_db
def test_the_dashboard_card_is_for_coordinators_only(personas: Personas) -> None:
    from django.test import RequestFactory

    from amparo.public.dashboard import cards

    make_incident(personas.north, location_type="school")
    main(["public", "rebuild"])
    request = RequestFactory().get("/")
    found = cards(request, personas["alice"])
    assert found[0]["count"] == 1 and found[0]["url"] == "/public/manage/"
    assert cards(request, personas["rita"]) == []
