"""Full-text search over reports and incidents, on both databases, using each engine's own index.

SQLite: an FTS5 table per model (external content, kept in step by triggers). PostgreSQL: a GIN index on a
``to_tsvector('simple', ...)`` expression, queried with the very same expression so the index is used. The 'simple'
configuration does no stemming: it treats Spanish, English and German alike; every word is matched as a prefix.

A migration that rebuilds one of these tables on SQLite (Django does that for some ALTERs) drops the triggers: re-run
``install(schema_editor)`` in that migration (it is idempotent).
"""

# ruff: noqa: S608  (table and column names in this module are constants; user input is only a bound parameter)
from __future__ import annotations

import re
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.expressions import RawSQL

M = TypeVar("M", bound=models.Model)

# table -> searched columns
INDEXED: dict[str, tuple[str, ...]] = {
    "incidents_report": ("text", "place_text", "activity"),
    "incidents_incident": (
        "title",
        "place_name",
        "address",
        "locality",
        "admin2",
        "public_label",
        "notes_private",
        "notes_public",
    ),
}
MAX_TERMS = 8
# A search looks at the newest MAX_MATCHES matching rows (by id, i.e. as stored): a word found in half of a million
# reports must not make the page sort half a million rows. Narrow the query to reach older ones.
MAX_MATCHES = 5000


def _pg_document(columns: tuple[str, ...]) -> str:
    joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)
    return f"to_tsvector('simple', {joined})"


def _sqlite_install(schema_editor: Any, table: str, columns: tuple[str, ...]) -> None:
    fts = f"{table}_fts"
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    run = schema_editor.execute
    run(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    run(
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
    )
    run(
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END"
    )
    run(
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
    )
    run(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def install(schema_editor: Any) -> None:
    """Create the search indexes for the current database (a no-op on other engines: search falls back to LIKE)."""
    vendor = schema_editor.connection.vendor
    for table, columns in INDEXED.items():
        if vendor == "sqlite":
            _sqlite_install(schema_editor, table, columns)
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_search ON {table} USING gin ({_pg_document(columns)})"
            )


def uninstall(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in INDEXED:
        if vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search")


def terms(query: str) -> list[str]:
    """The words of a query (letters and digits only: no operator of either engine survives)."""
    return re.findall(r"\w+", query.lower())[:MAX_TERMS]


def search(queryset: models.QuerySet[M], query: str) -> models.QuerySet[M]:
    """Narrow ``queryset`` to rows whose indexed text contains every word of ``query`` (as a prefix)."""
    words = terms(query)
    if not words:
        return queryset
    table = queryset.model._meta.db_table
    columns = INDEXED[table]
    vendor = connection.vendor
    if vendor == "sqlite":
        match = " ".join(f'"{w}"*' for w in words)
        sql = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s ORDER BY rowid DESC LIMIT {MAX_MATCHES}"
        return queryset.filter(id__in=RawSQL(sql, [match]))  # noqa: S611  (parameterised; names are constants)
    if vendor == "postgresql":
        tsquery = " & ".join(f"{w}:*" for w in words)
        sql = (
            f"SELECT id FROM {table} WHERE {_pg_document(columns)} @@ to_tsquery('simple', %s) "
            f"ORDER BY id DESC LIMIT {MAX_MATCHES}"
        )
        return queryset.filter(id__in=RawSQL(sql, [tsquery]))  # noqa: S611  (parameterised; names are constants)
    condition = models.Q()
    for w in words:
        any_column = models.Q()
        for c in columns:
            any_column |= models.Q(**{f"{c}__icontains": w})
        condition &= any_column
    return queryset.filter(condition)
