"""Demo data for the incidents desk: reports in the queue, incidents built from them, dispatches and verification.

Runs after the intake and evidence demos: some of their reports (with evidence) become incidents, so incident pages
show thumbnails; the rest stay in the triage queue. Everything is made through the same actions the pages use.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from amparo.incidents import actions
from amparo.incidents.codes import Level, Method, ReportStatus
from amparo.incidents.models import Report

# language -> what callers and witnesses say (the network's places come from the demo story, amparo/demo.py)
TEXTS = {
    "es": [
        "Hay como seis agentes con chalecos de ICE y tres camionetas sin placas. Se llevaron a dos hombres "
        "que esperaban trabajo. Tengo video.",
        "Agentes enmascarados vestidos de civil agarraron a un hombre en la entrada y lo subieron a una camioneta "
        "gris. Se llevaron a dos personas.",
        "Vi carros de la migra estacionados afuera desde las 7, no vi que arrestaran a nadie.",
        "Agentes de la Patrulla Fronteriza paraban a la gente que salía del edificio, detuvieron al menos a una "
        "mujer, los niños lloraban.",
        "Dicen en Facebook que hay ICE en la iglesia pero no estoy segura, solo vi una patrulla.",
    ],
    "en": [
        "About six agents in ICE vests and three SUVs with no plates. They took two men who were waiting for work. "
        "I have video.",
        "Masked agents in plain clothes grabbed a man at the entrance and put him in a grey SUV. Two people taken.",
        "Hay carros de la migra estacionados afuera desde las 7, no vi que arrestaran a nadie.",
        "Border Patrol agents stopped people leaving the building, at least one woman detained, kids crying.",
        "People on Facebook say ICE is at the church but I'm not sure, I only saw one police car.",
    ],
}
# language -> what the desk and the verifier write in the verification log
NOTES = {
    "es": {
        "safety": "Quédese al otro lado de la calle.",
        "dispatched": "Verificador enviado, va en camino.",
        "size": "5-6",
        "uniform": "chalecos con POLICE ICE, máscaras",
        "vehicles": "3 camionetas grises, sin placas",
        "confirmed": "Vi a agentes con chalecos de ICE subir a un hombre a una camioneta sin placas; lo grabé desde "
        "el otro lado de la calle.",
        "late": "llegué 25 minutos después",
        "corroborated": "Dos personas que llamaron por separado describen los mismos vehículos y la misma hora.",
        "activity": "una grúa y un agente de tránsito de la ciudad",
        "nothing": "Solo un agente de tránsito y una grúa; no había agentes de inmigración.",
    },
    "en": {
        "safety": "Stay across the street.",
        "dispatched": "Verifier dispatched, on the way.",
        "size": "5-6",
        "uniform": "vests marked POLICE ICE, masks",
        "vehicles": "3 grey SUVs, no plates",
        "confirmed": "Saw agents in ICE vests put one man into an unmarked SUV; filmed from across the street.",
        "late": "arrived 25 min later",
        "corroborated": "Two independent callers describe the same vehicles and time.",
        "activity": "a tow truck and a city parking officer",
        "nothing": "Only a city parking officer and a tow truck; no immigration agents.",
    },
}


def populate(ctx: Any) -> None:
    made_incidents = made_reports = 0
    now = timezone.now()
    for n, network in enumerate(ctx.networks):
        operator = ctx.member(network, "operator")
        coordinator = ctx.member(network, "coordinator")
        verifier = ctx.member(network, "verifier")
        story = ctx.story(network)
        places, texts = story.places, TEXTS[story.language]
        verifier.areas = story.verifier_areas
        verifier.save(update_fields=["areas"])
        # reports of our own, spread over the last weeks, several channels and priorities
        for i in range(8 * ctx.size):
            place = places[(i + n) % len(places)]
            text = texts[i % len(texts)]
            lang = "es" if story.language == "es" or i % len(texts) == 2 else "en"
            when = now - timedelta(hours=3 * i + ctx.rng.randrange(3), minutes=ctx.rng.randrange(60))
            Report.objects.create(
                network=network,
                received_at=when,
                channel=["hotline_voice", "sms", "web_form", "signal", "social_media_monitoring"][i % 5],
                reporter_role=["witness", "family_member", "volunteer_observer", "anonymous"][i % 4],
                language=lang,
                text=text,
                claimed_time=when - timedelta(minutes=15),
                place_text=place.words,
                latitude=place.lat + ctx.rng.uniform(-0.002, 0.002),
                longitude=place.lon + ctx.rng.uniform(-0.002, 0.002),
                location_type=place.location_type,
                agents_count_low=ctx.rng.randrange(2, 5),
                agents_count_high=ctx.rng.randrange(5, 9),
                claimed_agencies=["ICE_ERO"] if i % 3 else ["CBP_USBP"],
                people_taken_count=ctx.rng.randrange(0, 3),
                priority=["critical", "active", "observed", "info"][i % 4],
                vehicles=[
                    {
                        "colour": "gris" if story.language == "es" else "grey",
                        "make": "Ford",
                        "model": "Explorer",
                        "plates_missing": True,
                    }
                ],
                created_by=operator.user,
            )
            made_reports += 1
        queue = list(Report.objects.filter(network=network, status=ReportStatus.NEW).order_by("-received_at"))
        with_evidence = [r for r in queue if getattr(r, "evidence", None) is not None and r.evidence.exists()]
        others = [r for r in queue if r not in with_evidence]
        # make incidents from the reports with evidence first, and from every third other report
        for k, report in enumerate(with_evidence + others[::3]):
            place = _place_of(places, report, k + n)
            incident = actions.do_create_incident_from_report(report, operator.user)
            actions.do_update_incident(
                incident,
                coordinator.user,
                {
                    "locality": place.city,
                    "admin2": place.county,
                    "admin1": place.state,
                    "incident_type": place.incident_type,
                    "public_label": place.public_label,
                    "latitude": incident.latitude if incident.latitude is not None else place.lat,
                    "longitude": incident.longitude if incident.longitude is not None else place.lon,
                    "location_type": place.location_type,
                    "tactics": ["masked_agents", "unmarked_vehicles"] if k % 2 else ["plainclothes"],
                    "publish_status": "internal",
                },
            )
            made_incidents += 1
            _verify_story(NOTES[story.language], k, incident, report, operator, coordinator, verifier, others)
        # a few more reports go to triage decisions
        for report in others[1::5]:
            actions.do_triage_report(report, operator.user, status=ReportStatus.SPAM)
        for report in others[2::7]:
            actions.do_triage_report(report, operator.user, status=ReportStatus.NO_ACTION)
    ctx.lines.append(
        f"Incidents desk: {made_reports} reports, {made_incidents} incidents with dispatches and verification logs."
    )


def _place_of(places: list[Any], report: Any, k: int) -> Any:
    """The place the report names, else one of the network's places."""
    return next((p for p in places if p.words == report.place_text), places[k % len(places)])


def _verify_story(
    notes: dict[str, str],
    k: int,
    incident: Any,
    report: Any,
    operator: Any,
    coordinator: Any,
    verifier: Any,
    others: list[Any],
) -> None:
    """One of the usual paths: confirmed on scene, corroborated by a second report, false alarm, or still open."""
    story = k % 4
    if story == 3:
        return  # still only reported: waiting for the desk
    dispatch = actions.do_create_dispatch(
        operator.user, verifier, incident=incident, safety_notes=notes["safety"]
    )
    actions.do_add_verification_event(
        incident,
        verifier,
        to_level=Level.PENDING,
        method=Method.ON_SCENE,
        rationale=notes["dispatched"],
    )
    actions.do_acknowledge_dispatch(dispatch, verifier.user)
    if story == 0:
        actions.do_mark_arrived(dispatch, verifier.user)
        actions.do_close_dispatch(
            dispatch,
            verifier,
            outcome="confirmed_immigration",
            salute={"size": notes["size"], "uniform": notes["uniform"], "vehicles": notes["vehicles"]},
            rationale=notes["confirmed"],
        )
        actions.do_update_incident(incident, coordinator.user, {"publish_status": "public"})
    elif story == 1:
        actions.do_close_dispatch(
            dispatch, verifier, outcome="ended_before_arrival", salute={"time": notes["late"]}
        )
        second = next((r for r in others if r.status == ReportStatus.NEW and r.pk != report.pk), None)
        if second is not None:
            actions.do_link_report(second, incident, operator.user)
        actions.do_add_verification_event(
            incident,
            coordinator,
            to_level=Level.CORROBORATED,
            method=Method.INDEPENDENT_REPORTS,
            rationale=notes["corroborated"],
        )
        actions.do_update_incident(incident, coordinator.user, {"publish_status": "public"})
    else:
        actions.do_mark_arrived(dispatch, verifier.user)
        actions.do_close_dispatch(
            dispatch,
            verifier,
            outcome="nothing_found",
            salute={"activity": notes["activity"]},
            rationale=notes["nothing"],
        )
