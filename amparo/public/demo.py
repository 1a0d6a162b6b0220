"""Demo data for the public layer (runs last): some months of invented, verified and published incidents, so the public
map and charts show a pattern, then a rebuild over everything the other parts made.

The incidents desk's own demo incidents are from the last day and still under embargo; these are older. Every value is
invented; places are city and county names only (no addresses), through the incidents app's actions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from amparo.incidents import actions
from amparo.public import anonymise

# (state, county, city, latitude, longitude) of the invented incidents' surroundings
PLACES = [
    ("IL", "Cook", "Chicago", 41.85, -87.68),
    ("IL", "Cook", "Cicero", 41.84, -87.75),
    ("IL", "Kane", "Elgin", 42.04, -88.29),
    ("CA", "Los Angeles", "Los Angeles", 34.05, -118.25),
    ("CA", "San Bernardino", "Ontario", 34.06, -117.65),
    ("CA", "Riverside", "Riverside", 33.95, -117.40),
    ("TX", "Harris", "Houston", 29.76, -95.37),
    ("NC", "Mecklenburg", "Charlotte", 35.23, -80.84),
    ("MN", "Hennepin", "Minneapolis", 44.98, -93.27),
    ("OR", "Multnomah", "Portland", 45.52, -122.68),
]
# (location type, incident type, tactics) — the patterns networks reported in 2025
KINDS = [
    ("residence", "targeted_arrest", ["masked_agents", "unmarked_vehicles", "no_visible_agency_id"]),
    ("residence", "home_visit", ["plainclothes", "ruse_other"]),
    ("day_labor_site", "sweep", ["masked_agents", "collateral_arrests", "unmarked_vehicles"]),
    ("vehicle_stop", "vehicle_stop_arrest", ["plates_missing_or_obscured", "masked_agents"]),
    ("courthouse_immigration", "courthouse_arrest", ["plainclothes", "masked_agents"]),
    ("worksite", "worksite_operation", ["collateral_arrests", "weapon_drawn"]),
    ("healthcare", "targeted_arrest", ["masked_agents", "recording_obstructed"]),
    ("place_of_worship", "presence_no_enforcement", ["unmarked_vehicles", "surveillance_prior"]),
    ("school", "presence_no_enforcement", ["unmarked_vehicles"]),
    ("street_public", "enforcement_against_observers", ["chemical_irritant", "observers_detained"]),
    ("commercial_retail", "sweep", ["masked_agents", "collateral_arrests"]),
    ("ice_checkin", "checkin_arrest", []),
]
CLAIM = "Officials said the man had assaulted an officer and that agents identified themselves."
EVIDENCE = (
    "Two videos from different angles show him walking away with his hands visible before agents took him to the "
    "ground; no agent wore visible identification."
)


def populate(ctx: Any) -> None:
    now = timezone.now()
    made = 0
    for network in ctx.networks:
        coordinator = ctx.member(network, "coordinator")
        verifier = ctx.member(network, "verifier")
        for i in range(30 * ctx.size):
            state, county, city, lat, lon = PLACES[ctx.rng.randrange(len(PLACES))]
            location_type, incident_type, tactics = KINDS[ctx.rng.randrange(len(KINDS))]
            start = now - dt.timedelta(days=ctx.rng.randrange(40, 300), hours=ctx.rng.randrange(24))
            fields: dict[str, Any] = {
                "title": f"Demo incident {i + 1}",
                "start_at": start,
                "end_at": start + dt.timedelta(minutes=ctx.rng.randrange(10, 90)),
                "admin1": state,
                "admin2": county,
                "locality": city,
                "latitude": lat + ctx.rng.uniform(-0.05, 0.05),
                "longitude": lon + ctx.rng.uniform(-0.05, 0.05),
                "location_type": location_type,
                "incident_type": incident_type,
                "tactics": tactics,
                "agents_count_low": ctx.rng.randrange(2, 12),
                "people_detained_low": 0
                if incident_type == "presence_no_enforcement"
                else ctx.rng.randrange(1, 6),
                "notes_public": "Invented demo incident: agents arrived in several vehicles and left within the hour.",
            }
            if i % 9 == 0:
                fields.update(official_claims=CLAIM, evidence_response=EVIDENCE)
            incident = actions.do_create_incident(
                network, coordinator.user, fields, agencies=[("ICE_ERO", "lead", "markings")]
            )
            level, method = (
                ("confirmed", "on_scene_responder") if i % 3 else ("corroborated", "independent_reports")
            )
            actions.do_add_verification_event(
                incident, verifier, to_level=level, method=method, rationale="Demo: verified at the time."
            )
            actions.do_update_incident(incident, coordinator.user, {"publish_status": "public"})
            made += 1
    build = anonymise.rebuild()
    ctx.lines.append(
        f"Public layer: {made} older verified demo incidents added; {build.published} published at /public/ "
        f"({build.embargoed} under embargo, {build.suppressed} held back as small cells)."
    )
