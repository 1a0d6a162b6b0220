"""A person's case file as one zip for their lawyer.

    README.txt              what is in the file and how to check the evidence bundle
    person.json             identity (decrypted), languages, needs, consents, contacts
    custody.json            the custody timeline (episodes, placements) and every locator check
    legal.json              referrals, representation, legal cases, hearings and bond records
    summary.txt             the same, readable
    evidence-bundle.zip     the evidence bundle of the person's incident(s), verifiable offline (amparo.evidence)

A case file goes to a lawyer, so its evidence is what the witnesses allowed for legal use: the bundle is built
for that use (``amparo.evidence.consent``), and lists every other file of the incidents as withheld, without its
bytes. That holds whoever exports it: a coordinator, a caseworker or the person's legal partner.

The zip holds personal data in clear: it is made for the person's lawyer, is an audited event, and should travel only
through a channel the network trusts.
"""

from __future__ import annotations

import importlib
import json
import zipfile
from typing import IO, Any

from django.utils import timezone

from amparo.audit.actions import record
from amparo.people.facilities import local_view
from amparo.people.models import Person

README = """Case file {code}, exported {at} (UTC) from Amparo.

person.json, custody.json, legal.json: the records, as JSON. summary.txt: the same, readable.
{evidence}
This file contains personal data. Keep it only where the person's lawyer keeps client files.
"""


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def person_data(person: Person, *, with_contacts: bool = True) -> dict[str, Any]:
    dek = person.dek()
    return {
        "case_code": person.case_code,
        **person.identity(dek),
        "country_of_birth": person.country_of_birth,
        "citizenship": person.citizenship,
        "birth_year": person.birth_year,
        "languages": person.languages,
        "interpreter_needed": person.interpreter_needed,
        "claims_us_citizenship": person.claims_us_citizenship,
        "is_minor": person.is_minor,
        "needs": person.sensitivity_flags,
        "taken_at": _iso(person.taken_at),
        "custody_status": person.custody_status,
        "current_facility": str(person.current_facility) if person.current_facility else None,
        "representation_status": person.representation_status,
        "consents": [
            {
                "scope": c.scope,
                "recipient": c.recipient,
                "granted": c.granted,
                "recorded_at": _iso(c.recorded_at),
            }
            for c in person.consents.all()
        ],
        "contacts": [
            {
                "relationship": c.relationship,
                "name": c.secret(dek, "name"),
                "phone": c.secret(dek, "phone"),
                "language": c.language,
                "safe_to_call": c.safe_to_call,
            }
            for c in (person.contacts.all() if with_contacts else [])
        ],
        "incidents": [
            {"incident": str(link.incident.code), "title": link.incident.title, "role": link.role}
            for link in person.incident_links.select_related("incident")
        ],
    }


def custody_data(person: Person) -> dict[str, Any]:
    episodes = []
    for e in person.episodes.prefetch_related("placements__facility").order_by("start"):
        episodes.append(
            {
                "custodian": e.custodian,
                "status": e.status,
                "start": _iso(e.start),
                "end": _iso(e.end),
                "release_reason": e.release_reason,
                "source": e.source,
                "confidence": e.confidence,
                "placements": [
                    {
                        # as the person's network sees the facility (its own override of a shared row, M6)
                        "facility": str(local_view(p.facility, person.network))
                        if p.facility
                        else p.holding_site_text,
                        "facility_phone": local_view(p.facility, person.network).phone if p.facility else "",
                        "start": _iso(p.start),
                        "end": _iso(p.end),
                        "source": p.source,
                    }
                    for p in e.placements.order_by("start")
                ],
            }
        )
    checks = [
        {
            "at": _iso(c.at),
            "mode": c.mode,
            "result": c.result,
            "facility_returned": str(c.facility_returned) if c.facility_returned else None,
        }
        for c in person.locator_checks.select_related("facility_returned").order_by("at")
    ]
    return {"episodes": episodes, "locator_checks": checks}


def legal_data(person: Person) -> dict[str, Any]:
    cases = []
    for case in person.legal_cases.prefetch_related("hearings", "bonds"):
        cases.append(
            {
                "proceeding_type": case.proceeding_type,
                "status": case.status,
                "court": case.court,
                "judge": case.judge,
                "docket": case.docket,
                "nta_date": _iso(case.nta_date),
                "charges": case.charges,
                "relief_sought": case.relief_sought,
                "final_order_date": _iso(case.final_order_date),
                "hearings": [
                    {
                        "kind": h.kind,
                        "at": _iso(h.at),
                        "location": h.location,
                        "mode": h.mode,
                        "outcome": h.outcome,
                    }
                    for h in case.hearings.all()
                ],
                "bonds": [
                    {
                        "ice_determination": b.ice_determination,
                        "ice_amount": b.ice_amount,
                        "ij_decision": b.ij_decision,
                        "ij_amount": b.ij_amount,
                        "posted_at": _iso(b.posted_at),
                        "posted_amount": b.posted_amount,
                        "bond_fund": b.bond_fund,
                    }
                    for b in case.bonds.all()
                ],
            }
        )
    return {
        "referrals": [
            {"provider": r.provider.name, "referred_at": _iso(r.referred_at), "outcome": r.outcome}
            for r in person.referrals.select_related("provider")
        ],
        "representation": [
            {
                "status": r.status,
                "provider": r.provider.name if r.provider else "",
                "attorney": r.attorney,
                "eoir28_filed": r.eoir28_filed,
                "g28_filed": r.g28_filed,
            }
            for r in person.representations.select_related("provider")
        ],
        "cases": cases,
    }


def evidence_items(person: Person) -> list[Any]:
    """The evidence of the reports linked to the person's incidents (all of it: the bundle decides by consent)."""
    from amparo.evidence.models import EvidenceItem

    incidents = [link.incident_id for link in person.incident_links.all()]
    return list(
        EvidenceItem.objects.filter(network=person.network, report__incident_id__in=incidents).order_by(
            "received_at"
        )
    )


def _summary(person: dict[str, Any], custody: dict[str, Any], legal: dict[str, Any]) -> str:
    lines = [f"Case {person['case_code']}", ""]
    for key in ("legal_name", "aliases", "a_number", "date_of_birth", "country_of_birth", "languages"):
        lines.append(f"{key}: {person.get(key) or '-'}")
    lines += ["", f"custody status: {person['custody_status']}", "custody timeline:"]
    for e in custody["episodes"]:
        lines.append(f"  {e['start']} - {e['end'] or 'now'}: {e['custodian']} {e['status']}")
        lines += [f"      at {p['facility']} from {p['start']}" for p in e["placements"]]
    lines += ["locator checks:"] + [
        f"  {c['at']} {c['mode']}: {c['result']}" for c in custody["locator_checks"]
    ]
    lines += ["", f"representation: {person['representation_status']}"]
    for case in legal["cases"]:
        lines.append(f"case: {case['proceeding_type']} {case['status']} {case['court']}")
        lines += [f"  hearing {h['at']} {h['kind']} {h['location']}" for h in case["hearings"]]
    return "\n".join(lines) + "\n"


def write_case_file(
    person: Person, out: IO[bytes], actor: Any, *, with_evidence: bool, with_contacts: bool = True
) -> dict[str, Any]:
    """Write the zip to ``out``; returns what went in (counts only). Audited as ``person.exported``."""
    person_json = person_data(person, with_contacts=with_contacts)
    custody = custody_data(person)
    legal = legal_data(person)
    items = evidence_items(person) if with_evidence else []
    withheld: list[Any] = []
    bundled = False
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in (("person.json", person_json), ("custody.json", custody), ("legal.json", legal)):
            zf.writestr(name, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
        zf.writestr("summary.txt", _summary(person_json, custody, legal))
        if items:
            vault = importlib.import_module("amparo.evidence.vault")
            with zf.open("evidence-bundle.zip", "w", force_zip64=True) as inner:
                withheld = vault.build_bundle(items, inner, actor, use="legal")
            bundled = True
        note = (
            "evidence-bundle.zip: the evidence of the arrest; see VERIFY.md inside it to check it offline.\n"
            if bundled
            else "No evidence bundle: no evidence is linked to this person's incidents, or you may not export it.\n"
        )
        if withheld:
            note += (
                f"{len(withheld)} of {len(items)} files are not in it: their witnesses did not allow them to be\n"
                "given to lawyers. manifest.json and VERIFY.md in the bundle list them, with the reason.\n"
            )
        zf.writestr(
            "README.txt", README.format(code=person.case_code, at=timezone.now().isoformat(), evidence=note)
        )
    summary = {
        "evidence_items": len(items) - len(withheld),
        "evidence_withheld": len(withheld),
        "episodes": len(custody["episodes"]),
        "cases": len(legal["cases"]),
    }
    record(actor, person.network, "person.exported", person, **summary)
    return summary
