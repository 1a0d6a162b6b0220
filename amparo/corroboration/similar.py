"""Similar incidents for a report: candidates from the same network within a few days, ranked by time, distance,
location type, text similarity and shared footage, each with the reasons shown to the person who decides.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amparo import vocab
from amparo.incidents.models import Incident, Report

WINDOW = timedelta(days=3)
MAX_CANDIDATES = 200
MAX_REPORT_TEXTS = 20  # per candidate incident: its most recent linked reports
NEAR_M = 5_000.0
FAR_M = 50_000.0  # farther than this, being at the same time or the same kind of place says nothing
WEIGHTS = {"time": 2.0, "distance": 2.0, "location": 1.0, "text": 3.0, "footage": 4.0}
MIN_SCORE = 0.5

_WORD = re.compile(r"\w{3,}")


@dataclass
class Candidate:
    incident: Incident
    score: float
    reasons: list[str] = field(default_factory=list)
    parts: dict[str, float] = field(default_factory=dict)  # component -> its share of the score


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000.0 * math.asin(min(1.0, math.sqrt(a)))


def tokens(text: str) -> list[str]:
    """Lower-cased words of three letters or more, accents folded (so "detenidos"/"detenídos" agree)."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(folded)


def tfidf_cosines(query: list[str], docs: dict[int, list[str]]) -> dict[int, float]:
    """Cosine similarity of TF-IDF vectors: the query against each document, IDF over the query and the docs."""
    n = len(docs) + 1
    df: Counter[str] = Counter(set(query))
    for words in docs.values():
        df.update(set(words))

    def vector(words: list[str]) -> dict[str, float]:
        tf = Counter(words)
        return {w: (1 + math.log(c)) * math.log((1 + n) / (1 + df[w])) for w, c in tf.items()}

    q = vector(query)
    q_norm = math.sqrt(sum(v * v for v in q.values()))
    out: dict[int, float] = {}
    for key, words in docs.items():
        d = vector(words)
        d_norm = math.sqrt(sum(v * v for v in d.values()))
        if q_norm and d_norm:
            out[key] = sum(v * d.get(w, 0.0) for w, v in q.items()) / (q_norm * d_norm)
    return out


def _when(report: Report) -> Any:
    return report.claimed_time or report.received_at


def candidates_for(report: Report) -> list[Incident]:
    when = _when(report)
    lo, hi = when - WINDOW, when + WINDOW
    qs = Incident.objects.filter(network_id=report.network_id).filter(
        Q(start_at__gte=lo, start_at__lte=hi)
        | Q(start_at__isnull=True, created_at__gte=lo, created_at__lte=hi)
    )
    if report.incident_id:
        qs = qs.exclude(pk=report.incident_id)
    return list(qs.order_by("-start_at")[:MAX_CANDIDATES])


def _incident_texts(incidents: list[Incident]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = {
        i.pk: tokens(f"{i.title} {i.place_name} {i.locality} {i.notes_public}") for i in incidents
    }
    per: Counter[int] = Counter()
    rows = (
        Report.objects.filter(incident_id__in=list(texts))
        .order_by("-received_at")
        .values_list("incident_id", "text", "place_text")
    )
    for incident_id, text, place in rows.iterator():
        if per[incident_id] < MAX_REPORT_TEXTS:
            per[incident_id] += 1
            texts[incident_id].extend(tokens(f"{text} {place}"))
    return texts


def _footage_matches(report: Report) -> dict[int, tuple[float, dict[str, float] | None]]:
    """Incident id -> (best footage score, the longest shared segment of that match, if it is a video)."""
    from amparo.corroboration.footage import match_query, stored_query
    from amparo.evidence.models import EvidenceItem

    best: dict[int, tuple[float, dict[str, float] | None]] = {}
    items = list(
        EvidenceItem.objects.filter(report=report, kind__in=("image", "video")).select_related("network")
    )
    for item in items:
        query = stored_query(item)
        if query is None:
            continue
        found = match_query(query, report.network, exclude=item.pk)
        codes = {f["id"]: (f["score"], (f.get("segments") or [None])[0]) for f in found}
        if not codes:
            continue
        rows = EvidenceItem.objects.filter(code__in=list(codes), report__incident__isnull=False).values_list(
            "code", "report__incident_id"
        )
        for code, incident_id in rows:
            if incident_id not in best or best[incident_id][0] < codes[str(code)][0]:
                best[incident_id] = codes[str(code)]
    return best


def clock(seconds: float) -> str:
    """Seconds into a video as ``m:ss`` (``h:mm:ss`` past an hour)."""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def similar_incidents(report: Report, limit: int = 10) -> list[Candidate]:
    """Candidate incidents for ``report``, best first, each with its reasons. Reads only."""
    incidents = candidates_for(report)
    if not incidents:
        return []
    when = _when(report)
    texts = _incident_texts(incidents)
    cosines = tfidf_cosines(tokens(f"{report.text} {report.place_text}"), texts)
    footage_found = _footage_matches(report)
    footage = {incident: score for incident, (score, _segment) in footage_found.items()}
    out: list[Candidate] = []
    for incident in incidents:
        c = Candidate(incident, 0.0)
        at = incident.start_at or incident.created_at
        hours = abs((at - when).total_seconds()) / 3600
        part = WEIGHTS["time"] * max(0.0, 1 - hours / (WINDOW.total_seconds() / 3600))
        c.parts["time"] = part
        whole = round(hours)
        c.reasons.append(
            ngettext("%(hours)d hour apart", "%(hours)d hours apart", whole) % {"hours": whole}
            if whole
            else _("less than an hour apart")
        )
        metres = 0.0
        if None not in (report.latitude, report.longitude, incident.latitude, incident.longitude):
            metres = haversine_m(report.latitude, report.longitude, incident.latitude, incident.longitude)  # type: ignore[arg-type]  # checked just above
            c.parts["distance"] = WEIGHTS["distance"] * max(0.0, 1 - metres / NEAR_M)
            if metres < 1000:
                c.reasons.append(_("%(m).0f m apart") % {"m": metres})
            else:
                c.reasons.append(_("%(km).1f km apart") % {"km": metres / 1000})
        far = metres > FAR_M
        if far:  # only the words or the footage can make an incident elsewhere similar
            c.parts["time"] = 0.0
        if report.location_type and report.location_type == incident.location_type and not far:
            c.parts["location"] = WEIGHTS["location"]
            c.reasons.append(
                _("same location type: %(type)s")
                % {"type": vocab.label("location_type", incident.location_type)}
            )
        cosine = cosines.get(incident.pk, 0.0)
        if cosine >= 0.05:
            c.parts["text"] = WEIGHTS["text"] * cosine
            c.reasons.append(_("text %(pct).0f%% similar to its reports") % {"pct": cosine * 100})
        if footage.get(incident.pk):
            c.parts["footage"] = WEIGHTS["footage"] * footage[incident.pk] / 100
            segment = footage_found[incident.pk][1]
            if segment is None:
                c.reasons.append(
                    _("same footage as its evidence (%(pct).0f%%)") % {"pct": footage[incident.pk]}
                )
            else:
                c.reasons.append(
                    _(
                        "same footage as its evidence: %(qs)s–%(qe)s of this report's clip = %(ts)s–%(te)s of theirs"  # noqa: RUF001 - an en dash between times
                    )
                    % {
                        "qs": clock(segment["query_start"]),
                        "qe": clock(segment["query_end"]),
                        "ts": clock(segment["item_start"]),
                        "te": clock(segment["item_end"]),
                    }
                )
        c.score = round(sum(c.parts.values()), 2)
        if c.score >= MIN_SCORE:
            out.append(c)
    out.sort(key=lambda c: (-c.score, str(c.incident.code)))
    return out[:limit]
