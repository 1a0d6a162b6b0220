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

PLACES = [
    # (place words, lat, lon, city, county, state, location type, incident type, public label)
    (
        "Home Depot parking lot on Foothill Blvd",
        34.1064,
        -117.3703,
        "Rialto",
        "San Bernardino",
        "CA",
        "day_labor_site",
        "sweep",
        "home-improvement store parking lot, San Bernardino County",
    ),
    (
        "Clínica La Familia, entrada principal",
        34.0522,
        -118.2437,
        "Los Angeles",
        "Los Angeles",
        "CA",
        "healthcare",
        "targeted_arrest",
        "health clinic, Los Angeles",
    ),
    (
        "Immigration court, 606 S Olive St",
        34.0480,
        -118.2530,
        "Los Angeles",
        "Los Angeles",
        "CA",
        "courthouse_immigration",
        "courthouse_arrest",
        "immigration court, Los Angeles",
    ),
    (
        "Car wash on W 26th St",
        41.8445,
        -87.7060,
        "Chicago",
        "Cook",
        "IL",
        "worksite",
        "worksite_operation",
        "car wash (workers), Chicago",
    ),
    (
        "Bus stop at Cermak and Pulaski",
        41.8520,
        -87.7250,
        "Chicago",
        "Cook",
        "IL",
        "street_public",
        "targeted_arrest",
        "bus stop, Cook County",
    ),
    (
        "St. Agnes church steps",
        41.8310,
        -87.7020,
        "Chicago",
        "Cook",
        "IL",
        "place_of_worship",
        "presence_no_enforcement",
        "place of worship, Chicago",
    ),
]
TEXTS = [
    (
        "es",
        "Hay como seis agentes con chalecos de ICE y tres camionetas sin placas. Se llevaron a dos hombres "
        "que esperaban trabajo. Tengo video.",
    ),
    (
        "en",
        "Masked agents in plain clothes grabbed a man at the entrance and put him in a grey SUV. Two people taken.",
    ),
    ("es", "Vi carros de la migra estacionados afuera desde las 7, no vi que arrestaran a nadie."),
    (
        "en",
        "Border Patrol agents stopped people leaving the building, at least one woman detained, kids crying.",
    ),
    ("es", "Dicen en Facebook que hay ICE en la iglesia pero no estoy segura, solo vi una patrulla."),
]


def populate(ctx: Any) -> None:
    made_incidents = made_reports = 0
    now = timezone.now()
    for n, network in enumerate(ctx.networks):
        operator = ctx.member(network, "operator")
        coordinator = ctx.member(network, "coordinator")
        verifier = ctx.member(network, "verifier")
        verifier.areas = "Cook County; 60608, 60623" if n else "San Bernardino County; 92376"
        verifier.save(update_fields=["areas"])
        # reports of our own, spread over the last weeks, several channels and priorities
        for i in range(8 * ctx.size):
            place = PLACES[(i + n) % len(PLACES)]
            lang, text = TEXTS[i % len(TEXTS)]
            when = now - timedelta(hours=3 * i + ctx.rng.randrange(3), minutes=ctx.rng.randrange(60))
            Report.objects.create(
                network=network,
                received_at=when,
                channel=["hotline_voice", "sms", "web_form", "signal", "social_media_monitoring"][i % 5],
                reporter_role=["witness", "family_member", "volunteer_observer", "anonymous"][i % 4],
                language=lang,
                text=text,
                claimed_time=when - timedelta(minutes=15),
                place_text=place[0],
                latitude=place[1] + ctx.rng.uniform(-0.002, 0.002),
                longitude=place[2] + ctx.rng.uniform(-0.002, 0.002),
                location_type=place[6],
                agents_count_low=ctx.rng.randrange(2, 5),
                agents_count_high=ctx.rng.randrange(5, 9),
                claimed_agencies=["ICE_ERO"] if i % 3 else ["CBP_USBP"],
                people_taken_count=ctx.rng.randrange(0, 3),
                priority=["critical", "active", "observed", "info"][i % 4],
                vehicles=[{"colour": "grey", "make": "Ford", "model": "Explorer", "plates_missing": True}],
                created_by=operator.user,
            )
            made_reports += 1
        queue = list(Report.objects.filter(network=network, status=ReportStatus.NEW).order_by("-received_at"))
        with_evidence = [r for r in queue if getattr(r, "evidence", None) is not None and r.evidence.exists()]
        others = [r for r in queue if r not in with_evidence]
        # make incidents from the reports with evidence first, and from every third other report
        for k, report in enumerate(with_evidence + others[::3]):
            place = PLACES[(k + n) % len(PLACES)]
            incident = actions.do_create_incident_from_report(report, operator.user)
            actions.do_update_incident(
                incident,
                coordinator.user,
                {
                    "locality": place[3],
                    "admin2": place[4],
                    "admin1": place[5],
                    "incident_type": place[7],
                    "public_label": place[8],
                    "tactics": ["masked_agents", "unmarked_vehicles"] if k % 2 else ["plainclothes"],
                    "publish_status": "internal",
                },
            )
            made_incidents += 1
            _verify_story(ctx, k, incident, report, operator, coordinator, verifier, others)
        # a few more reports go to triage decisions
        for report in others[1::5]:
            actions.do_triage_report(report, operator.user, status=ReportStatus.SPAM)
        for report in others[2::7]:
            actions.do_triage_report(report, operator.user, status=ReportStatus.NO_ACTION)
    ctx.lines.append(
        f"Incidents desk: {made_reports} reports, {made_incidents} incidents with dispatches and verification logs."
    )


def _verify_story(
    ctx: Any,
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
        operator.user, verifier, incident=incident, safety_notes="Stay across the street."
    )
    actions.do_add_verification_event(
        incident,
        verifier,
        to_level=Level.PENDING,
        method=Method.ON_SCENE,
        rationale="Verifier dispatched, on the way.",
    )
    actions.do_acknowledge_dispatch(dispatch, verifier.user)
    if story == 0:
        actions.do_mark_arrived(dispatch, verifier.user)
        actions.do_close_dispatch(
            dispatch,
            verifier,
            outcome="confirmed_immigration",
            salute={
                "size": "5-6",
                "uniform": "vests marked POLICE ICE, masks",
                "vehicles": "3 grey SUVs, no plates",
            },
            rationale="Saw agents in ICE vests put one man into an unmarked SUV; filmed from across the street.",
        )
        actions.do_update_incident(incident, coordinator.user, {"publish_status": "public"})
    elif story == 1:
        actions.do_close_dispatch(
            dispatch, verifier, outcome="ended_before_arrival", salute={"time": "arrived 25 min later"}
        )
        second = next((r for r in others if r.status == ReportStatus.NEW and r.pk != report.pk), None)
        if second is not None:
            actions.do_link_report(second, incident, operator.user)
        actions.do_add_verification_event(
            incident,
            coordinator,
            to_level=Level.CORROBORATED,
            method=Method.INDEPENDENT_REPORTS,
            rationale="Two independent callers describe the same vehicles and time.",
        )
        actions.do_update_incident(incident, coordinator.user, {"publish_status": "public"})
    else:
        actions.do_mark_arrived(dispatch, verifier.user)
        actions.do_close_dispatch(
            dispatch,
            verifier,
            outcome="nothing_found",
            salute={"activity": "a tow truck and a city parking officer"},
            rationale="Only a city parking officer and a tow truck; no immigration agents.",
        )
