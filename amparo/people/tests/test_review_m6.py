"""Review M6: the shared facility directory has one owner (the instance administrator); a network's coordinator
changes it for their own network only (an override), and every change is audited where it is seen.

Driven through the real pages, as the review did: north's coordinator (alice, Red Norte) posts the edit form of a
shared facility; Valle's caseworker (a caseworker of Red Sur here) must still see the shared phone number.
"""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from amparo.accounts.models import Membership, User
from amparo.audit.models import AuditEvent
from amparo.people import actions, export, facility_actions
from amparo.people.facilities import Facility, FacilityOverride, local_view
from amparo.people.forms import FacilityForm
from amparo.people.tests.factories import make_person
from amparo.testing import Personas, signed_in_client

pytestmark = pytest.mark.django_db

ADAMS = "ADAMS COUNTY CORRECTIONAL CENTER"


def _member(personas: Personas, username: str, network: Any, role: str, *, admin: bool = False) -> Membership:
    user = User.objects.create(username=username, totp_secret=pyotp.random_base32(), is_superuser=admin)
    return Membership.objects.create(user=user, network=network, role=role)


def _form_data(facility: Facility, **changes: str) -> dict[str, str]:
    """What the edit form posts back unchanged, with ``changes``: built from the form's own initial values."""
    form = FacilityForm(instance=facility)
    data: dict[str, str] = {}
    for name in form.fields:
        value = form.initial.get(name)
        if name == "over_72h":
            data[name] = {True: "true", False: "false"}.get(value, "unknown")  # type: ignore[arg-type]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    data.update(changes)
    return data


def _page(client: Client, facility: Facility) -> str:
    response = client.get(reverse("people:facility", args=[facility.code]))
    assert response.status_code == 200
    return response.content.decode()


def _events(network: Any, action: str, facility: Facility | None = None) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(network=network, action=action)
    if facility is not None:
        events = events.filter(object_code=str(facility.code))
    return list(events)


def test_m6_a_coordinators_edit_of_a_shared_facility_stays_in_their_network(
    personas: Personas, client_as: Any
) -> None:
    """The review's reproduction: north-coord POST /facilities/<ADAMS>/edit/ phone=555-0199 on a shared row."""
    valle_caseworker = signed_in_client(_member(personas, "valeria", personas.south, "caseworker"))
    adams = Facility.objects.get(name=ADAMS, network=None)
    original_phone, original_visiting = adams.phone, adams.visitation_notes
    assert "555-0199" not in _page(valle_caseworker, adams)

    alice = client_as("alice", HTTP_ACCEPT_LANGUAGE="en")
    form_page = alice.get(reverse("people:facility_edit", args=[adams.code]))
    assert form_page.status_code == 200 and "kept for your network only" in form_page.content.decode()
    response = alice.post(
        reverse("people:facility_edit", args=[adams.code]),
        _form_data(adams, phone="555-0199", visitation_notes="Call 555-0199 before visiting"),
    )
    assert response.status_code == 302

    stored = Facility.objects.get(pk=adams.pk)
    assert (stored.phone, stored.visitation_notes) == (original_phone, original_visiting)
    valle_page = _page(valle_caseworker, adams)
    assert "555-0199" not in valle_page
    valle_list = valle_caseworker.get(
        reverse("people:facilities"), {"q": "ADAMS COUNTY CORR"}
    ).content.decode()
    assert ADAMS in valle_list and "555-0199" not in valle_list

    carla = client_as("carla", HTTP_ACCEPT_LANGUAGE="en")
    north_page = _page(carla, adams)
    assert "555-0199" in north_page and "Call 555-0199 before visiting" in north_page
    assert "for itself only" in north_page
    assert "555-0199" in carla.get(reverse("people:facilities"), {"q": "ADAMS COUNTY CORR"}).content.decode()

    # Audited in north's log, with field names only; nothing in Valle's log about north's own copy.
    (event,) = _events(personas.north, "facility.overridden", adams)
    assert event.actor == personas.user("alice")
    assert event.detail["fields"] == ["phone", "visitation_notes"]
    assert "555-0199" not in str(event.detail)
    assert _events(personas.south, "facility.overridden") == []
    assert _events(personas.north, "facility.updated") == _events(personas.south, "facility.updated") == []
    audit_page = client_as("alice", HTTP_ACCEPT_LANGUAGE="en").get(reverse("audit:events")).content.decode()
    assert "own details of a shared facility" in audit_page

    # What north hands over in a case file shows north's number too.
    person = make_person(personas)
    actions.do_record_custody(
        personas.user("carla"),
        person,
        custodian="ice",
        status="in_ice_detention",
        source="family",
        facility=adams,
    )
    placement = export.custody_data(person)["episodes"][0]["placements"][0]
    assert placement["facility_phone"] == "555-0199"

    # Setting a field back to the shared value leaves the override; the other stays.
    alice.post(
        reverse("people:facility_edit", args=[adams.code]),
        _form_data(local_view(adams, personas.north), phone=original_phone),
    )
    override = FacilityOverride.objects.get(network=personas.north, facility=adams)
    assert override.values == {"visitation_notes": "Call 555-0199 before visiting"}
    assert "555-0199" not in _page(carla, adams).split("Visiting")[0]


def test_m6_a_networks_view_of_a_shared_row_cannot_be_saved(personas: Personas) -> None:
    adams = Facility.objects.get(name=ADAMS, network=None)
    facility_actions.do_override_facility(
        personas.north, personas.user("alice"), adams, {"phone": "555-0199"}
    )
    view = local_view(adams, personas.north)
    assert view.phone == "555-0199"
    with pytest.raises(RuntimeError):
        view.save()
    assert Facility.objects.get(pk=adams.pk).phone == adams.phone
    with pytest.raises(ValueError):
        facility_actions.do_override_facility(
            personas.north, personas.user("alice"), adams, {"network": None}
        )


def test_m6_the_instance_admin_changes_the_shared_row_for_everyone_audited_in_every_log(
    personas: Personas, client_as: Any
) -> None:
    root = _member(personas, "ines", personas.south, "coordinator", admin=True)
    adams = Facility.objects.get(name=ADAMS, network=None)
    client = signed_in_client(root, HTTP_ACCEPT_LANGUAGE="en")
    form_page = client.get(reverse("people:facility_edit", args=[adams.code]))
    assert "every network sees this change" in form_page.content.decode()
    response = client.post(
        reverse("people:facility_edit", args=[adams.code]), _form_data(adams, phone="(719) 555-0100")
    )
    assert response.status_code == 302
    assert Facility.objects.get(pk=adams.pk).phone == "(719) 555-0100"
    assert "(719) 555-0100" in _page(client_as("carla"), adams)
    for network in (personas.north, personas.south):
        (event,) = _events(network, "facility.shared_updated", adams)
        assert event.actor == root.user and event.detail == {"fields": ["phone"]}
    # A network's own override still wins in that network.
    facility_actions.do_override_facility(
        personas.north, personas.user("alice"), adams, {"phone": "555-0199"}
    )
    assert "555-0199" in _page(client_as("carla"), adams)
    assert "(719) 555-0100" in _page(client, adams)
    # The action itself refuses anyone else.
    with pytest.raises(PermissionDenied):
        facility_actions.do_update_shared_facility(personas.user("alice"), adams, {"phone": "1"})
    assert Facility.objects.get(pk=adams.pk).phone == "(719) 555-0100"


def _csv(name: str) -> bytes:
    header = (
        "name,other_names,street,city,state,postal_code,phone,facility_type,facility_type_name,field_office,"
    )
    header += "latitude,longitude,coord_source_url,source_urls\n"
    return (header + f"{name},,1 Main St,Chicago,IL,60601,,IGSA,,,,,,\n").encode()


def _import(client: Client, name: str) -> int:
    upload = SimpleUploadedFile("list.csv", _csv(name))
    return client.post(reverse("people:facility_import"), {"file": upload}).status_code


# The permission matrix: every role (and another network's coordinator, and the instance administrator) against a
# shared row, the network's own row, the same shared row once it has this network's override, and an import.
ROLES = ["alice", "vera", "omar", "carla", "lena", "rita", "bob", "ines"]
EDIT = {  # persona -> (shared, own, override) status of POST edit
    "alice": (302, 302, 302),
    "vera": (403, 403, 403),
    "omar": (403, 403, 403),
    "carla": (403, 403, 403),
    "lena": (403, 403, 403),
    "rita": (403, 403, 403),
    "bob": (302, 404, 302),  # Red Sur: its own override of the shared row; north's own row is not found
    "ines": (302, 302, 302),  # instance administrator, coordinator of Red Norte
}
IMPORT = {"ines": (200, 302)}  # everyone else: 403 on GET and POST


@pytest.mark.parametrize("persona", ROLES)
def test_m6_permission_matrix_of_the_facility_directory(personas: Personas, persona: str) -> None:
    if persona == "ines":
        membership = _member(personas, "ines", personas.north, "coordinator", admin=True)
    else:
        membership = personas[persona]
    client = signed_in_client(membership)
    network = membership.network
    own = Facility.objects.create(network=personas.north, name="Hold room", import_key="north|hold-room")
    shared, overridden = Facility.objects.filter(network=None).order_by("name")[:2]
    facility_actions.do_override_facility(
        network, personas.user("alice"), overridden, {"aliases": "Our name"}
    )
    before = {f.pk: (f.phone, f.aliases) for f in (shared, overridden)}

    admin = persona == "ines"
    statuses = []
    for target in (shared, own, overridden):
        url = reverse("people:facility_edit", args=[target.code])
        view = target if admin else local_view(target, network)  # what the member's form shows
        statuses.append(client.post(url, _form_data(view, phone="555-0199")).status_code)
    assert tuple(statuses) == EDIT[persona]

    # Whatever a member did, a shared row changes only for the instance administrator.
    for f in (shared, overridden):
        stored = Facility.objects.get(pk=f.pk)
        assert (stored.phone == "555-0199") == admin, (persona, f.name)
        assert stored.aliases == before[f.pk][1]
    if EDIT[persona][0] == 302 and not admin:
        assert FacilityOverride.objects.get(network=network, facility=shared).values == {"phone": "555-0199"}
        assert local_view(overridden, network).aliases == "Our name"  # the earlier override kept
        other = personas.south if network == personas.north else personas.north
        assert local_view(Facility.objects.get(pk=shared.pk), other).phone == before[shared.pk][0]
    own.refresh_from_db()
    assert (own.phone == "555-0199") == (EDIT[persona][1] == 302)

    get_status, post_status = IMPORT.get(persona, (403, 403))
    assert client.get(reverse("people:facility_import")).status_code == get_status
    assert _import(client, f"Imported By {persona.title()}") == post_status
    assert Facility.objects.filter(name=f"Imported By {persona.title()}").exists() == admin
    imported = AuditEvent.objects.filter(action="facility.imported")
    assert sorted(e.network_id or 0 for e in imported) == (
        sorted([personas.north.pk, personas.south.pk]) if admin else []
    )


def test_m6_the_instance_admin_right_is_given_on_the_command_line_and_audited_everywhere(
    personas: Personas, capsys: Any
) -> None:
    from amparo.cli import main

    assert main(["facilities", "admin", "bob"]) == 0
    assert User.objects.get(username="bob").is_superuser
    assert "now the instance administrator" in capsys.readouterr().out
    for network in (personas.north, personas.south):
        (event,) = _events(network, "instance_admin.changed")
        assert event.detail == {"user": "bob", "admin": True}
    assert main(["facilities", "admin", "bob", "--revoke"]) == 0
    assert not User.objects.get(username="bob").is_superuser
    assert main(["facilities", "admin", "nobody"]) == 2

    assert main(["createuser", "root", "--network", "Red Sur", "--instance-admin"]) == 0
    assert User.objects.get(username="root").is_superuser
    assert (
        main(["createuser", "root2", "--network", "Red Sur", "--role", "readonly", "--instance-admin"]) == 2
    )
    assert not User.objects.filter(username="root2").exists()

    # An instance administrator whose role lacks facilities.edit changes nothing.
    rita = personas["rita"]
    rita.user.is_superuser = True
    rita.user.save(update_fields=["is_superuser"])
    adams = Facility.objects.get(name=ADAMS, network=None)
    client = signed_in_client(rita)
    assert (
        client.post(
            reverse("people:facility_edit", args=[adams.code]), _form_data(adams, phone="1")
        ).status_code
        == 403
    )
    assert client.get(reverse("people:facility_import")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_m6_two_first_overrides_at_once_both_land(personas: Personas) -> None:
    """Two coordinators' first override of one facility at the same moment: one waits, neither fails.

    Runs in the PostgreSQL pass (row locks); the SQLite test database is in memory, where threads share one lock."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections: the PostgreSQL pass runs this")

    from amparo.people.facilities import Facility, FacilityOverride
    from amparo.people.facility_actions import do_override_facility

    shared = Facility.objects.filter(network=None).first()
    assert shared is not None
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def override(phone: str) -> None:
        try:
            start.wait()
            do_override_facility(personas.north, personas.user("alice"), shared, {"phone": phone})
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=override, args=(p,)) for p in ("555-0101", "555-0102")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    (only,) = FacilityOverride.objects.filter(network=personas.north, facility=shared)
    assert only.values["phone"] in {"555-0101", "555-0102"}
