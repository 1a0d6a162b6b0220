"""Every change to reports, incidents, dispatches, the verification log and vocabularies: atomic and audited.

Views validate with forms and then call one ``do_*`` function; nothing else writes these tables.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Membership, Network, User
from amparo.audit.actions import record
from amparo.incidents import codes, levels
from amparo.incidents.models import (
    Dispatch,
    DispatchGateway,
    Incident,
    IncidentAgency,
    Report,
    Source,
    Term,
    VerificationEvent,
    WitnessMessage,
)

UNSET: Any = object()

# Incident fields a form may set (everything else is derived or managed by an action).
INCIDENT_FIELDS = (
    "title",
    "start_at",
    "end_at",
    "time_precision",
    "place_name",
    "address",
    "latitude",
    "longitude",
    "geo_precision",
    "admin1",
    "admin2",
    "locality",
    "public_label",
    "location_type",
    "at_or_near",
    "distance_m",
    "incident_type",
    "tactics",
    "operation_name",
    "agents_count_low",
    "agents_count_high",
    "vehicles_count",
    "people_detained_low",
    "people_detained_high",
    "us_citizens_detained",
    "children_affected",
    "use_of_force",
    "injuries",
    "fatalities",
    "warrant_presented",
    "entry_type",
    "observers_present",
    "notes_private",
    "notes_public",
    "official_claims",
    "evidence_response",
    "publish_status",
    "embargo_until",
)


class ActionError(ValueError):
    """A change that the rules refuse (shown to the user as a form error)."""


# ---- reports and triage -------------------------------------------------------------------------------------


@transaction.atomic
def do_triage_report(
    report: Report,
    actor: User,
    *,
    status: str | None = None,
    priority: str | None = None,
    assigned_to: Membership | None = UNSET,
) -> Report:
    """Assign, prioritise, or set the status of a report (spam, no action, triaged, archived, back to new)."""
    changed: dict[str, Any] = {}
    if status is not None and status != report.status:
        if status not in codes.ReportStatus.values:
            raise ActionError(status)
        changed["status"] = (report.status, status)
        report.status = status
    if priority is not None and priority != report.priority:
        changed["priority"] = (report.priority, priority)
        report.priority = priority
    if assigned_to is not UNSET and assigned_to != report.assigned_to:
        if assigned_to is not None and assigned_to.network_id != report.network_id:
            raise ActionError("assignee of another network")
        changed["assigned_to"] = str(assigned_to.code) if assigned_to else ""
        report.assigned_to = assigned_to
    if changed:
        report.save(update_fields=[f for f in ("status", "priority", "assigned_to") if f in changed])
        record(actor, report.network, "report.triage", report, **{k: str(v) for k, v in changed.items()})
    return report


@transaction.atomic
def do_link_report(report: Report, incident: Incident, actor: User) -> Report:
    if incident.network_id != report.network_id:
        raise ActionError("incident of another network")
    report.incident = incident
    report.status = codes.ReportStatus.LINKED
    report.save(update_fields=["incident", "status"])
    incident.updated_at = timezone.now()
    incident.save(update_fields=["updated_at"])
    record(actor, report.network, "report.link", report, incident=str(incident.code))
    return report


@transaction.atomic
def do_unlink_report(report: Report, actor: User) -> Report:
    old = report.incident
    report.incident = None
    report.status = codes.ReportStatus.TRIAGED
    report.save(update_fields=["incident", "status"])
    record(actor, report.network, "report.unlink", report, incident=str(old.code) if old else "")
    return report


def _title_from_report(report: Report) -> str:
    words = (report.place_text or report.text or "").split()
    title = " ".join(words[:10]) or report.get_channel_display()
    return title[:200]


@transaction.atomic
def do_create_incident(
    network: Network, actor: User, fields: dict[str, Any], agencies: Iterable[tuple[str, str, str]] = ()
) -> Incident:
    incident = Incident(network=network, created_by=actor)
    for name, value in fields.items():
        if name not in INCIDENT_FIELDS:
            raise ActionError(name)
        setattr(incident, name, value)
    incident.save()
    _set_agencies(incident, agencies)
    record(actor, network, "incident.create", incident)
    return incident


@transaction.atomic
def do_create_incident_from_report(report: Report, actor: User, title: str = "") -> Incident:
    """A new incident carrying over what the report claims (as claims: the level starts at ``reported``)."""
    fields: dict[str, Any] = {
        "title": title or _title_from_report(report),
        "start_at": report.claimed_time or report.received_at,
        "time_precision": report.time_precision,
        "place_name": report.place_text[:200],
        "latitude": report.latitude,
        "longitude": report.longitude,
        "geo_precision": report.geo_precision,
        "location_type": report.location_type or "unknown",
        "agents_count_low": report.agents_count_low,
        "agents_count_high": report.agents_count_high,
        "vehicles_count": len(report.vehicles) if report.vehicles else None,
        "people_detained_low": report.people_taken_count,
        "people_detained_high": report.people_taken_count,
        "children_affected": report.children_present,
        "warrant_presented": report.warrant_observed or codes.Warrant.NOT_ASKED,
    }
    known = dict(codes.AGENCIES)
    agencies = [
        (a, codes.AgencyRole.CLAIMED, codes.IdentificationBasis.INFERRED)
        for a in report.claimed_agencies
        if a in known
    ]
    incident = do_create_incident(report.network, actor, fields, agencies)
    do_link_report(report, incident, actor)
    return incident


def _set_agencies(incident: Incident, agencies: Iterable[tuple[str, str, str]]) -> None:
    rows = {code: (role, basis) for code, role, basis in agencies}
    IncidentAgency.objects.filter(incident=incident).exclude(agency__in=rows).delete()
    existing = {a.agency: a for a in IncidentAgency.objects.filter(incident=incident)}
    for code, (role, basis) in rows.items():
        row = existing.get(code)
        if row is None:
            IncidentAgency.objects.create(incident=incident, agency=code, role=role, basis=basis)
        elif (row.role, row.basis) != (role, basis):
            row.role, row.basis = role, basis
            row.save(update_fields=["role", "basis"])


@transaction.atomic
def do_update_incident(
    incident: Incident,
    actor: User,
    fields: dict[str, Any],
    agencies: Iterable[tuple[str, str, str]] | None = None,
) -> Incident:
    changed = []
    for name, value in fields.items():
        if name not in INCIDENT_FIELDS:
            raise ActionError(name)
        if getattr(incident, name) != value:
            setattr(incident, name, value)
            changed.append(name)
    if changed:
        incident.updated_at = timezone.now()
        incident.save(update_fields=[*changed, "updated_at"])
    if agencies is not None:
        _set_agencies(incident, agencies)
        changed.append("agencies")
    if changed:
        record(actor, incident.network, "incident.update", incident, fields=",".join(sorted(changed)))
    return incident


@transaction.atomic
def do_add_source(incident: Incident, actor: User, **fields: Any) -> Source:
    source = Source.objects.create(incident=incident, **fields)
    record(actor, incident.network, "incident.source_add", incident, source_type=source.source_type)
    return source


# ---- verification log ---------------------------------------------------------------------------------------


@transaction.atomic
def do_add_verification_event(
    incident: Incident,
    membership: Membership,
    *,
    to_level: str,
    method: str,
    rationale: str,
    dispatch: Dispatch | None = None,
) -> VerificationEvent:
    """Append one event and re-derive the level. Only verifiers and coordinators may."""
    if not membership.can("incidents.verify") or membership.network_id != incident.network_id:
        raise ActionError("incidents.verify")
    if to_level not in codes.Level.values:
        raise ActionError(to_level)
    if not levels.method_supports(method, to_level):
        raise ActionError("method does not support level")
    if not rationale.strip():
        raise ActionError("rationale")
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    event = VerificationEvent.objects.create(
        incident=locked,
        actor=membership.user,
        from_level=locked.verification_level,
        to_level=to_level,
        method=method,
        rationale=rationale.strip(),
        dispatch=dispatch,
    )
    refresh_level(incident)
    record(
        membership.user,
        incident.network,
        "incident.verify",
        incident,
        from_level=event.from_level,
        to_level=to_level,
        method=method,
    )
    return event


def refresh_level(incident: Incident) -> str:
    """Store the level derived from the whole log (the stored column is a cache of this)."""
    level = levels.derive_level(VerificationEvent.objects.filter(incident=incident).order_by("at", "id"))
    if level != incident.verification_level:
        incident.verification_level = level
        incident.updated_at = timezone.now()
        incident.save(update_fields=["verification_level", "updated_at"])
    return level


# ---- dispatch -----------------------------------------------------------------------------------------------


@transaction.atomic
def do_create_dispatch(
    actor: User,
    responder: Membership,
    *,
    report: Report | None = None,
    incident: Incident | None = None,
    safety_notes: str = "",
) -> Dispatch:
    target = report or incident
    if target is None:
        raise ActionError("dispatch needs a report or an incident")
    network = target.network
    if responder.network_id != network.pk or not responder.can("dispatch.respond"):
        raise ActionError("responder")
    if incident is None and report is not None:
        incident = report.incident
    dispatch = Dispatch.objects.create(
        network=network,
        report=report,
        incident=incident,
        responder=responder,
        requested_by=actor,
        safety_notes=safety_notes,
    )
    if report is not None and report.status in (codes.ReportStatus.NEW, codes.ReportStatus.TRIAGED):
        report.status = codes.ReportStatus.DISPATCHED
        report.save(update_fields=["status"])
    record(actor, network, "dispatch.create", dispatch, responder=str(responder.code))

    from amparo.incidents.notify import notify_dispatch  # late: notify imports settings-dependent mail
    from amparo.outbox.dispatch import enqueue_on_commit

    # part of the commit (amparo/outbox): with the queue down, or the server killed right after the commit, the
    # dispatch stands and its notice still goes, so a coordinator never retries into a duplicate
    enqueue_on_commit(notify_dispatch, str(dispatch.code))
    return dispatch


@transaction.atomic
def do_acknowledge_dispatch(dispatch: Dispatch, actor: User) -> Dispatch:
    if dispatch.acknowledged_at is None:
        dispatch.acknowledged_at = timezone.now()
        dispatch.save(update_fields=["acknowledged_at"])
        record(actor, dispatch.network, "dispatch.acknowledge", dispatch)
    return dispatch


@transaction.atomic
def do_mark_arrived(dispatch: Dispatch, actor: User) -> Dispatch:
    if dispatch.arrived_at is None:
        now = timezone.now()
        dispatch.arrived_at = now
        fields = ["arrived_at"]
        if dispatch.acknowledged_at is None:
            dispatch.acknowledged_at = now
            fields.append("acknowledged_at")
        dispatch.save(update_fields=fields)
        record(actor, dispatch.network, "dispatch.arrive", dispatch)
    return dispatch


@transaction.atomic
def do_close_dispatch(
    dispatch: Dispatch,
    membership: Membership,
    *,
    outcome: str,
    salute: dict[str, str],
    safety_notes: str = "",
    rationale: str = "",
    not_on_scene: str = "",
) -> Dispatch:
    """Record the outcome and the SALUTE report; a verifier's outcome also enters the incident's log.

    ``not_on_scene`` is the verifier's reason for answering without having gone or arrived; it is audited and
    written into the log entry with the outcome.
    """
    if dispatch.closed_at is not None:
        raise ActionError("dispatch already closed")
    if outcome not in codes.DispatchOutcome.values:
        raise ActionError(outcome)
    now = timezone.now()
    dispatch.outcome = outcome
    dispatch.salute = {k: v for k, v in salute.items() if v}
    dispatch.closed_at = now
    fields = ["outcome", "salute", "closed_at"]
    if safety_notes:
        dispatch.safety_notes = safety_notes
        fields.append("safety_notes")
    if dispatch.acknowledged_at is None:
        dispatch.acknowledged_at = now
        fields.append("acknowledged_at")
    dispatch.save(update_fields=fields)
    reason = not_on_scene.strip()
    if reason:
        record(
            membership.user,
            dispatch.network,
            "dispatch.close",
            dispatch,
            outcome=outcome,
            not_on_scene=reason,
        )
    else:
        record(membership.user, dispatch.network, "dispatch.close", dispatch, outcome=outcome)
    incident = dispatch.incident or (dispatch.report.incident if dispatch.report is not None else None)
    to_level = levels.OUTCOME_LEVEL.get(outcome)
    if incident is not None and to_level is not None and membership.can("incidents.verify"):
        text = rationale.strip() or str(codes.DispatchOutcome(outcome).label)
        if reason:
            text = f"{text}\n{_('Not on scene because')}: {reason}"
        do_add_verification_event(
            incident,
            membership,
            to_level=to_level,
            method=codes.Method.ON_SCENE,
            rationale=text,
            dispatch=dispatch,
        )
    return dispatch


def do_send_witness_message(report: Report, membership: Membership, text: str) -> WitnessMessage:
    """A message to the witness of a web-form report, shown on their follow-up page. Only triagers may send one."""
    text = text.strip()
    if not membership.can("reports.triage") or membership.network_id != report.network_id:
        raise ActionError("reports.triage")
    if not text or not report.followup_digest:
        raise ActionError("no text or no follow-up code")
    message = WitnessMessage.objects.create(report=report, author=membership.user, text=text[:2000])
    record(membership.user, report.network, "report.witness_message", report, length=len(message.text))
    return message


# ---- vocabularies and the dispatch gateway ------------------------------------------------------------------


@transaction.atomic
def do_save_term(
    network: Network,
    actor: User,
    *,
    vocabulary: str,
    code: str,
    label_en: str,
    label_es: str,
    label_de: str,
    definition: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
    flags: dict[str, bool] | None = None,
) -> Term:
    """Add a network's own term, or change one it added (built-in terms are read-only)."""
    if Term.objects.filter(vocabulary=vocabulary, code=code, network=None).exists():
        raise ActionError("built-in code")
    term, created = Term.objects.get_or_create(
        network=network,
        vocabulary=vocabulary,
        code=code,
        defaults={"label_en": label_en, "label_es": label_es, "label_de": label_de},
    )
    term.label_en, term.label_es, term.label_de = label_en, label_es, label_de
    term.definition, term.valid_from, term.valid_to = definition, valid_from, valid_to
    term.flags = flags or {}
    term.save(
        update_fields=["label_en", "label_es", "label_de", "definition", "valid_from", "valid_to", "flags"]
    )
    record(actor, network, "vocabulary.add" if created else "vocabulary.change", None, term=str(term))
    return term


@transaction.atomic
def do_save_gateway(
    network: Network, actor: User, *, webhook_url: str, email_enabled: bool, new_secret: bool = False
) -> DispatchGateway:
    gateway, created = DispatchGateway.objects.get_or_create(
        network=network, defaults={"secret": secrets.token_urlsafe(32)}
    )
    gateway.webhook_url = webhook_url
    gateway.email_enabled = email_enabled
    gateway.updated_at = timezone.now()
    fields = ["webhook_url", "email_enabled", "updated_at"]
    if new_secret and not created:
        gateway.secret = secrets.token_urlsafe(32)
        fields.append("secret")
    gateway.save(update_fields=fields)
    record(actor, network, "dispatch.gateway", None, webhook=bool(webhook_url), new_secret=new_secret)
    return gateway
