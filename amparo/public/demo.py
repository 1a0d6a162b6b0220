"""Demo data for the public layer (runs last): some months of invented, verified and published incidents, so the public
map and charts show a pattern, then a rebuild over everything the other parts made.

The incidents desk's own demo incidents are from the last day and still under embargo; these are older. Every value is
invented; places are city and county names only (no addresses), through the incidents app's actions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from amparo import vocab
from amparo.incidents import actions
from amparo.public import anonymise

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
# language -> the words of the invented incidents: public notes, an official claim and what the evidence shows
WORDS: dict[str, dict[str, Any]] = {
    "es": {
        "title": "{kind} en {city}",
        "notes": [
            "Los agentes llegaron en varios vehículos y se fueron antes de una hora.",
            "Vecinos vieron a agentes sin identificación visible; la red confirmó en el lugar.",
            "Una persona de respuesta llegó cuando los agentes se iban y habló con testigos.",
            "Varias personas llamaron a la línea al mismo tiempo; las descripciones coinciden.",
        ],
        "claim": "Las autoridades dijeron que el hombre agredió a un agente y que los agentes se identificaron.",
        "evidence": "Dos videos desde ángulos distintos lo muestran alejándose con las manos a la vista antes de "
        "que los agentes lo derribaran; ningún agente llevaba identificación visible.",
        "verified": "Verificado en su momento.",
    },
    "en": {
        "title": "{kind} in {city}",
        "notes": [
            "Agents arrived in several vehicles and left within the hour.",
            "Neighbours saw agents with no visible identification; the network confirmed on scene.",
            "A responder arrived as the agents were leaving and spoke with witnesses.",
            "Several people called the hotline at the same time; their descriptions agree.",
        ],
        "claim": "Officials said the man had assaulted an officer and that agents identified themselves.",
        "evidence": "Two videos from different angles show him walking away with his hands visible before agents "
        "took him to the ground; no agent wore visible identification.",
        "verified": "Verified at the time.",
    },
}


def populate(ctx: Any) -> None:
    now = timezone.now()
    made = 0
    for network in ctx.networks:
        story = ctx.story(network)
        words = WORDS[story.language]
        coordinator = ctx.member(network, "coordinator")
        verifier = ctx.member(network, "verifier")
        for i in range(30 * ctx.size):
            state, county, city, lat, lon = story.towns[ctx.rng.randrange(len(story.towns))]
            location_type, incident_type, tactics = KINDS[ctx.rng.randrange(len(KINDS))]
            start = now - dt.timedelta(days=ctx.rng.randrange(40, 300), hours=ctx.rng.randrange(24))
            fields: dict[str, Any] = {
                "title": words["title"].format(
                    kind=vocab.label("incident_type", incident_type, story.language), city=city
                ),
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
                "notes_public": words["notes"][i % len(words["notes"])],
            }
            if i % 9 == 0:
                fields.update(official_claims=words["claim"], evidence_response=words["evidence"])
            incident = actions.do_create_incident(
                network, coordinator.user, fields, agencies=[("ICE_ERO", "lead", "markings")]
            )
            level, method = (
                ("confirmed", "on_scene_responder") if i % 3 else ("corroborated", "independent_reports")
            )
            actions.do_add_verification_event(
                incident, verifier, to_level=level, method=method, rationale=words["verified"]
            )
            actions.do_update_incident(incident, coordinator.user, {"publish_status": "public"})
            made += 1
    build = anonymise.rebuild()
    ctx.lines.append(
        f"Public layer: {made} older verified demo incidents added; {build.published} published at /public/ "
        f"({build.embargoed} under embargo, {build.suppressed} held back as small cells)."
    )
