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
def test_the_demo_hook_adds_older_incidents_and_rebuilds(personas: Personas) -> None:
    make_incident(personas.north, location_type="school")
    north = personas.north
    ctx = DemoContext(rng=random.Random(1), size=1, networks=[north])
    ctx.members = {(north.name, "coordinator"): personas["alice"], (north.name, "verifier"): personas["vera"]}
    demo.populate(ctx)
    build = PublicBuild.objects.get()
    assert build.published == PublicIncident.objects.count() > 20
    assert build.published + build.suppressed == 31 and build.embargoed == 0
    assert PublicIncident.objects.filter(location_type="school").exists()
    assert "31 older" not in ctx.lines[0] and "30 older verified demo incidents" in ctx.lines[0]
    assert PublicIncident.objects.exclude(official_claims="").exists()


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
