"""Reading facility and field-office lists (the CSV format of amparo/people/data/) into the directory.

Used by the seeding migration (with historical models) and by ``amparo facilities import FILE``. A row is matched to
an existing facility by its name and ZIP code (case and spacing ignored); fields a coordinator has filled in by hand
(visiting and legal-access notes, operator, DETLOC code, county) are never overwritten.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone

from amparo.people.vocab import TYPE_GROUP

DATA_DIR = Path(__file__).resolve().parent / "data"
FACILITIES_CSV = DATA_DIR / "ice-facilities-2026-02-18.csv"
FIELD_OFFICES_CSV = DATA_DIR / "ice-field-offices-2026-02-18.csv"
FACILITY_COLUMNS = {"name", "street", "city", "state", "postal_code", "facility_type", "field_office"}
OFFICE_COLUMNS = {"code", "name", "street", "city", "state", "postal_code", "phone"}
MAX_BYTES = 20 * 1024 * 1024
OSM_LICENCE = "ODbL 1.0 (© OpenStreetMap contributors)"


class FacilityListError(ValueError):
    """The file is not a list Amparo can read; the message says why (without echoing personal data)."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    merged: int = 0
    errors: list[str] = field(default_factory=list)


def import_key(name: str, postal_code: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.casefold()).strip()[:120] + "|" + postal_code.strip()[:10]


def snapshot_of(path: Path) -> str:
    found = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
    return found.group(1) if found else timezone.now().date().isoformat()


def read_rows(data: bytes, required: set[str]) -> list[dict[str, str]]:
    if len(data) > MAX_BYTES:
        raise FacilityListError("the file is larger than 20 MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FacilityListError("the file is not UTF-8 text") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = required - set(reader.fieldnames or [])
    if missing:
        raise FacilityListError(f"missing columns: {', '.join(sorted(missing))}")
    try:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except csv.Error as exc:
        raise FacilityListError(f"malformed CSV: {exc}") from exc


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if -180.0 <= value <= 180.0 else None


def import_field_offices(model: Any, data: bytes, snapshot: str) -> ImportResult:
    result = ImportResult()
    for row in read_rows(data, OFFICE_COLUMNS):
        code = row["code"].upper()[:8]
        if not code:
            result.errors.append("a row without a field-office code was skipped")
            continue
        values = {
            "name": row["name"][:120],
            "address": row["street"][:200],
            "city": row["city"][:80],
            "state": row["state"][:2].upper(),
            "zip": row["postal_code"][:10],
            "phone": row["phone"][:40],
            "email": row.get("email", "")[:120],
            "aor_description": row.get("area_of_responsibility", ""),
            "snapshot": snapshot,
        }
        _obj, created = model.objects.update_or_create(aor_code=code, defaults=values)
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result


def import_facilities(model: Any, office_model: Any, data: bytes, snapshot: str) -> ImportResult:
    result = ImportResult()
    offices = {o.aor_code: o for o in office_model.objects.all()}
    seen: set[str] = set()
    now = timezone.now()
    for number, row in enumerate(read_rows(data, FACILITY_COLUMNS), start=2):
        if not row["name"]:
            result.errors.append(f"line {number}: no name; skipped")
            continue
        key = import_key(row["name"], row["postal_code"])
        lat, lon = _float(row.get("latitude", "")), _float(row.get("longitude", ""))
        type_code = row["facility_type"][:20]
        aor = row["field_office"].upper()[:8]
        values = {
            "name": row["name"][:160],
            "aliases": row.get("other_names", "")[:300],
            "address": row["street"][:200],
            "city": row["city"][:80],
            "state": row["state"][:2].upper(),
            "zip": row["postal_code"][:10],
            "phone": row.get("phone", "")[:40],
            "type_detailed": type_code,
            "type_name": row.get("facility_type_name", "")[:120],
            "type_grouped": str(TYPE_GROUP.get(type_code, "other")),
            "aor_code": aor,
            "field_office": offices.get(aor),
            "latitude": lat,
            "longitude": lon,
            "coord_source": row.get("coord_source_url", "")[:200] if lat is not None else "",
            "coord_license": OSM_LICENCE
            if lat is not None and "openstreetmap" in row.get("coord_source_url", "")
            else "",
            "source_urls": "\n".join(u.strip() for u in row.get("source_urls", "").split(",") if u.strip()),
            "snapshot": snapshot,
            "updated_at": now,
        }
        existing = model.objects.filter(import_key=key).first()
        if key in seen and existing is not None:
            # the same facility twice in one list: fill what the first row left empty
            changed = [
                k for k, v in values.items() if v not in ("", None) and getattr(existing, k) in ("", None)
            ]
            for k in changed:
                setattr(existing, k, values[k])
            if changed:
                existing.save(update_fields=changed)
            result.merged += 1
            continue
        seen.add(key)
        if existing is None:
            model.objects.create(import_key=key, **values)
            result.created += 1
        else:
            for k, v in values.items():
                setattr(existing, k, v)
            existing.save(update_fields=list(values))
            result.updated += 1
    return result


def seed(facility_model: Any, office_model: Any) -> tuple[ImportResult, ImportResult]:
    """Load the shipped lists (the seeding migration calls this)."""
    offices = import_field_offices(
        office_model, FIELD_OFFICES_CSV.read_bytes(), snapshot_of(FIELD_OFFICES_CSV)
    )
    facilities = import_facilities(
        facility_model, office_model, FACILITIES_CSV.read_bytes(), snapshot_of(FACILITIES_CSV)
    )
    return offices, facilities
