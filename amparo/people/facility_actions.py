"""Atomic, audited changes to the facility directory, with one owner for the shared rows (review M6).

- A network's own facility (``network`` set): its coordinators change it; audited in that network.
- A shared facility (``network`` empty), changed by a network's coordinator: the change becomes that network's
  ``FacilityOverride``, seen by that network only; audited in that network (``facility.overridden``). The shared row
  and every other network's view stay as they were.
- A shared facility changed by the instance administrator, or a list imported by them: the shared row changes for
  everyone, so the change is audited in every network's log (``facility.shared_updated``, ``facility.imported``),
  where each network's coordinators see it.

Audit details carry field names only, never a value (a phone number or a note).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from amparo.access import is_instance_admin
from amparo.accounts.models import Network, User
from amparo.audit.actions import record
from amparo.people import importer
from amparo.people.facilities import OVERRIDABLE, Facility, FacilityOverride, FieldOffice


def _record_everywhere(actor: User | None, action: str, obj: Facility | None, **detail: Any) -> int:
    """One audit event in every network's log: a shared change is seen by every network, so each one records it."""
    count = 0
    for network in Network.objects.order_by("pk"):
        record(actor, network, action, obj, **detail)
        count += 1
    return count


def _check_fields(changes: dict[str, Any]) -> None:
    unknown = sorted(set(changes) - set(OVERRIDABLE))
    if unknown:
        raise ValueError(f"not facility form fields: {', '.join(unknown)}")


@transaction.atomic
def do_save_own_facility(
    network: Network, actor: User, facility: Facility, fields: list[str], *, created: bool
) -> Facility:
    """A facility the network added for itself (the form already set the values on ``facility``)."""
    if not created and facility.network_id != network.pk:
        raise PermissionDenied("not this network's facility")
    facility.updated_at = timezone.now()
    facility.last_verified_at = timezone.now()
    if created:
        facility.network = network
        facility.import_key = f"{network.code}|{facility.code}"
    facility.save()
    record(
        actor, network, "facility.created" if created else "facility.updated", facility, fields=sorted(fields)
    )
    return facility


@transaction.atomic
def do_override_facility(
    network: Network, actor: User, facility: Facility, changes: dict[str, Any]
) -> FacilityOverride | None:
    """A network's own values for a shared facility; a value equal to the shared one is dropped, an empty override goes.

    ``facility`` is the shared row as stored (not a network's view); it is never saved here.
    """
    if facility.network_id is not None:
        raise ValueError("only a shared facility has overrides")
    _check_fields(changes)
    # the stored values, whatever the caller's object holds; the row lock makes two first overrides of one facility
    # wait for each other instead of one failing on the (network, facility) uniqueness rule
    shared = Facility.objects.select_for_update().get(pk=facility.pk)
    override = FacilityOverride.objects.select_for_update().filter(network=network, facility=shared).first()
    values = dict(override.values) if override is not None else {}
    values.update(changes)
    values = {k: v for k, v in values.items() if getattr(shared, k) != v}
    if values:
        if override is None:
            override = FacilityOverride(network=network, facility=shared)
        override.values = values
        override.updated_at = timezone.now()
        override.save()
    elif override is not None:
        override.delete()
        override = None
    record(
        actor,
        network,
        "facility.overridden",
        shared,
        fields=sorted(changes),
        overridden=sorted(values),
    )
    return override


@transaction.atomic
def do_update_shared_facility(actor: User, facility: Facility, changes: dict[str, Any]) -> Facility:
    """The instance administrator changes a shared facility for every network; audited in every network."""
    if not is_instance_admin(actor):
        raise PermissionDenied("instance administrator")
    if facility.network_id is not None:
        raise ValueError("not a shared facility")
    _check_fields(changes)
    shared = Facility.objects.select_for_update().get(pk=facility.pk)
    for field, value in changes.items():
        setattr(shared, field, value)
    shared.updated_at = timezone.now()
    shared.last_verified_at = timezone.now()
    shared.save()
    _record_everywhere(actor, "facility.shared_updated", shared, fields=sorted(changes))
    return shared


@transaction.atomic
def do_import_shared_facilities(actor: User | None, data: bytes, snapshot: str) -> importer.ImportResult:
    """An updated list into the shared directory: the instance administrator (or the command line, actor None)."""
    if actor is not None and not is_instance_admin(actor):
        raise PermissionDenied("instance administrator")
    result = importer.import_facilities(Facility, FieldOffice, data, snapshot)
    _record_everywhere(
        actor, "facility.imported", None, created=result.created, updated=result.updated, merged=result.merged
    )
    return result


@transaction.atomic
def do_set_instance_admin(user: User, admin: bool) -> bool:
    """Make a user the instance administrator (or not); from the command line only. Audited in every network."""
    changed = user.is_superuser != admin
    if changed:
        user.is_superuser = admin
        user.save(update_fields=["is_superuser"])
        _record_everywhere(None, "instance_admin.changed", None, user=user.get_username(), admin=admin)
    return changed
