"""Search at scale: the newest MAX_MATCHES matches on both engines; PostgreSQL's stored document and its upkeep."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import QuerySet

from amparo.incidents import search
from amparo.incidents.models import Incident, Report
from amparo.incidents.tests.factories import make_incident, make_report
from amparo.testing import Personas

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="PostgreSQL's stored document (SQLite searches its FTS5 tables)"
)


def _found(queryset: QuerySet[Any], query: str) -> set[int]:
    return set(search.search(queryset, query).values_list("id", flat=True))


@pytest.mark.parametrize("in_window,from_older", [(3, 0), (1, 1), (0, 2)])
def test_it_keeps_the_newest_matches_wherever_they_are(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, in_window: int, from_older: int
) -> None:
    """A walk of the 4 newest rows and a cap of 3 (PostgreSQL): the walk alone, the walk then the index, the index."""
    monkeypatch.setattr(search, "MAX_MATCHES", 3)
    monkeypatch.setattr(search, "walk_length", lambda table, words, network_id=None: 4)
    older = [make_report(personas.north, text=f"camioneta gris {i}").pk for i in range(4)]
    # another network's match takes a place under the cap (the cap is per table, as it always was)
    make_report(personas.south, text="camioneta in another network")
    make_report(personas.north, text="nothing here")
    newest = [
        make_report(personas.north, text="camionetas" if i < in_window else "nada").pk for i in range(3)
    ]
    wanted = set(newest[:in_window]) | set(older[len(older) - from_older :])
    assert _found(Report.objects.filter(network=personas.north), "camionet") == wanted
    assert _found(Report.objects.all(), "camioneta gris") == set(older[1:])
    assert _found(Report.objects.all(), "zzz") == set()


def test_another_networks_newer_matches_do_not_crowd_out_a_networks_own(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, client_as: Any
) -> None:
    monkeypatch.setattr(search, "MAX_MATCHES", 3)
    ours = make_report(personas.north, text="camioneta blanca frente a la clínica")
    older_incident = make_incident(personas.north, title="Camioneta en la clínica")
    for i in range(5):  # newer, and more than the cap
        make_report(personas.south, text=f"camioneta {i}")
        make_incident(personas.south, title=f"Camioneta {i}")
    north = Report.objects.filter(network=personas.north)

    assert _found(north, "camioneta") == set()  # unscoped, the cap fills with the other network's rows
    assert _found_in(north, "camioneta", personas.north.pk) == {ours.pk}
    incidents = Incident.objects.filter(network=personas.north)
    assert _found_in(incidents, "camioneta", personas.north.pk) == {older_incident.pk}
    client = client_as("alice")
    assert str(ours.code) in client.get("/triage/?status=&q=camioneta").content.decode()
    assert str(older_incident.code) in client.get("/incidents/?q=camioneta").content.decode()
    both = client.get("/incidents/search/?q=camioneta").content.decode()
    assert str(ours.code) in both and str(older_incident.code) in both


def _found_in(queryset: QuerySet[Any], query: str, network_id: int) -> set[int]:
    return set(search.search(queryset, query, network_id).values_list("id", flat=True))


@postgresql_only
def test_it_searches_a_stored_document_with_its_own_index() -> None:
    with connection.cursor() as cursor:
        for table in search.INDEXED:
            cursor.execute(
                "SELECT is_generated FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                [table, search.DOCUMENT],
            )
            assert cursor.fetchall() == [("ALWAYS",)]
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
            indexes = dict(cursor.fetchall())
            assert f"USING gin ({search.DOCUMENT})" in indexes[f"{table}_{search.DOCUMENT}"]
            assert f"{table}_search" not in indexes  # migration 0003's expression index is gone
    sql = str(search.search(Report.objects.all(), "agents").query)
    assert f"{search.DOCUMENT} @@" in sql and "to_tsvector" not in sql


@postgresql_only
def test_the_walk_is_as_long_as_the_statistics_say(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "MAX_MATCHES", 10)  # at the scale of 400 rows
    Report.objects.bulk_create(
        [
            Report(network=personas.north, text="camioneta gris" if i % 4 == 0 else f"nada {i}")
            for i in range(400)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE incidents_report")  # in the test's transaction: rolled back with it
    walk = search.walk_length
    # 1.5 * MAX_MATCHES rows of the share of rows holding every word (words taken as independent)
    assert walk("incidents_report", ["nada"]) == pytest.approx(15 / 0.75, abs=1)
    assert walk("incidents_report", ["camion"]) == pytest.approx(15 / 0.25, abs=1)
    assert walk("incidents_report", ["camion", "gris"]) == pytest.approx(15 / 0.0625, abs=2)
    # a share of 1/4 * 1/4 * 3/4 * 3/4: the walk would cover the whole table, the index alone is cheaper
    assert walk("incidents_report", ["camion", "gris", "nada", "na"]) == 0
    assert walk("incidents_report", ["zzz"]) == 0  # not a frequent word: straight to the index
    assert walk("no_such_table", ["nada"]) == search.DEFAULT_WALK  # no statistics
    # scoped to a network: longer by that network's share of the rows (all of them here; none for the other)
    assert walk("incidents_report", ["camion"], personas.north.pk) == pytest.approx(15 / 0.25, abs=1)
    assert walk("incidents_report", ["camion"], personas.south.pk) == 0  # its rows are too few to walk for


@postgresql_only
def test_the_document_follows_orm_inserts_and_updates(personas: Personas) -> None:
    report = make_report(personas.north, text="Agents at the courthouse", place_text="Calle Ocho")
    incident = make_incident(personas.north, title="Courthouse arrest")
    Report.objects.bulk_create([Report(network=personas.north, text="panadería", place_text="")])
    assert _found(Report.objects.all(), "courthouse ocho") == {report.pk}
    assert Report.objects.filter(pk__in=search.search(Report.objects.all(), "panader")).count() == 1

    report.text = "Agents at the clinic"
    report.save(update_fields=["text"])
    Incident.objects.filter(pk=incident.pk).update(title="Clinic arrest", notes_private="lavado de autos")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_document::text FROM incidents_report WHERE id = %s", [report.pk])
        document = cursor.fetchone()[0]
    assert "'clinic'" in document and "courthouse" not in document
    assert _found(Report.objects.all(), "courthouse") == set()
    assert _found(Report.objects.all(), "clinic ocho") == {report.pk}
    assert _found(Incident.objects.all(), "courthouse") == set()
    assert _found(Incident.objects.all(), "clinic lavado") == {incident.pk}


@postgresql_only
def test_the_migration_goes_back_to_the_expression_index_and_forward_again() -> None:
    migration = importlib.import_module("amparo.incidents.migrations.0005_search_document")

    def state() -> tuple[bool, set[str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'incidents_report' "
                "AND column_name = %s",
                [search.DOCUMENT],
            )
            has_column = cursor.fetchone()[0] == 1
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'incidents_report'")
            return has_column, {row[0] for row in cursor.fetchall()} & {
                "incidents_report_search",
                f"incidents_report_{search.DOCUMENT}",
            }

    with connection.schema_editor() as editor:
        migration.backwards(apps, editor)
    assert state() == (False, {"incidents_report_search"})
    with connection.schema_editor() as editor:
        search.uninstall(editor)
    assert state() == (False, set())
    with connection.schema_editor() as editor:
        migration.forwards(apps, editor)
        migration.forwards(apps, editor)  # idempotent
    assert state() == (True, {f"incidents_report_{search.DOCUMENT}"})
    from amparo.accounts.models import Network

    report = make_report(Network.objects.create(name="After the migration"), text="escuela")
    assert _found(Report.objects.all(), "escuela") == {report.pk}
