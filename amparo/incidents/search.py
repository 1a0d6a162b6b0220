"""Full-text search over reports and incidents, on both databases, using each engine's own index.

SQLite: an FTS5 table per model (external content, kept in step by triggers). PostgreSQL: a stored generated
``tsvector`` column (``search_document``, raw SQL only: not a model field, the database fills it on every insert and
update) with a GIN index. The 'simple' configuration does no stemming: it treats Spanish, English and German alike;
every word is matched as a prefix, all words are required. The document is stripped of word positions (a search only
ever ANDs prefixes), which keeps the rows smaller.

A search keeps the newest MAX_MATCHES matching rows (by id). On PostgreSQL it finds them in two steps: it walks the
newest RECENT_WINDOW rows backwards through the primary key, testing each stored document (well under a microsecond a
row), and stops at MAX_MATCHES; only if the window held fewer matches does it ask the GIN index for the older ones. A
word found in a third of the rows is thus answered from some 15,000 rows instead of by fetching its hundreds of
thousands of matches from the table and sorting them, and a rare word costs the walk plus a small index lookup. A word
in between (in 1 to 10 % of a million rows) still has every match fetched from the table: 100-250 ms.

A migration that rebuilds one of these tables on SQLite (Django does that for some ALTERs) drops the triggers: re-run
``install(schema_editor)`` in that migration (it is idempotent). On PostgreSQL a searched column's type cannot be
altered while the generated column uses it: ``uninstall`` before such a migration's operation, ``install`` after.
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
# PostgreSQL: how many of the newest rows a search walks before it asks the GIN index; a word in at least one row in
# ten of them is answered by the walk alone.
RECENT_WINDOW = 10 * MAX_MATCHES
DOCUMENT = "search_document"  # PostgreSQL: the stored generated tsvector column of each table in INDEXED


def pg_document(columns: tuple[str, ...]) -> str:
    """The PostgreSQL expression the stored document is generated from (with word positions)."""
    joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)
    return f"to_tsvector('simple', {joined})"


def _pg_install(schema_editor: Any, table: str, columns: tuple[str, ...]) -> None:
    run = schema_editor.execute
    run(
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {DOCUMENT} tsvector "
        f"GENERATED ALWAYS AS (strip({pg_document(columns)})) STORED"
    )
    run(f"CREATE INDEX IF NOT EXISTS {table}_{DOCUMENT} ON {table} USING gin ({DOCUMENT})")
    run(f"DROP INDEX IF EXISTS {table}_search")  # migration 0003's expression index, replaced by the column


def _pg_search_sql(table: str) -> str:
    """The ids of the newest MAX_MATCHES rows of ``table`` matching a tsquery (passed twice, as %s)."""
    return (
        f"WITH edge AS (SELECT max(id) - {RECENT_WINDOW} AS id FROM {table}), "
        # the walk: the newest rows backwards through the primary key (the LIMIT keeps it a walk: the planner sees
        # a few rows of many), stopping at MAX_MATCHES; rows at or below the edge are left to the index
        f"recent AS MATERIALIZED (SELECT id FROM (SELECT id, {DOCUMENT} FROM {table} "
        f"ORDER BY id DESC LIMIT {RECENT_WINDOW}) newest WHERE id > (SELECT id FROM edge) "
        f"AND {DOCUMENT} @@ to_tsquery('simple', %s) ORDER BY id DESC LIMIT {MAX_MATCHES}), "
        # the GIN index, read only when the walk fell short (a LIMIT of 0 never runs its input)
        f"indexed AS MATERIALIZED (SELECT id FROM {table} WHERE {DOCUMENT} @@ to_tsquery('simple', %s)) "
        "SELECT id FROM recent UNION ALL "
        "(SELECT id FROM indexed WHERE id <= (SELECT id FROM edge) "
        f"ORDER BY id DESC LIMIT {MAX_MATCHES} - (SELECT count(*) FROM recent))"
    )


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
            _pg_install(schema_editor, table, columns)


def uninstall(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in INDEXED:
        if vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search")
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {DOCUMENT}")  # and its index


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
        sql = _pg_search_sql(table)
        return queryset.filter(id__in=RawSQL(sql, [tsquery, tsquery]))  # noqa: S611  (parameterised; constants)
    condition = models.Q()
    for w in words:
        any_column = models.Q()
        for c in columns:
            any_column |= models.Q(**{f"{c}__icontains": w})
        condition &= any_column
    return queryset.filter(condition)
