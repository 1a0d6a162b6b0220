"""Full-text search over reports and incidents, on both databases, using each engine's own index.

SQLite: an FTS5 table per model (external content, kept in step by triggers). PostgreSQL: a stored generated
``tsvector`` column (``search_document``, raw SQL only: not a model field, the database fills it on every insert and
update) with a GIN index. The 'simple' configuration does no stemming: it treats Spanish, English and German alike;
every word is matched as a prefix, all words are required. The document is stripped of word positions (a search only
ever ANDs prefixes), which keeps the rows smaller.

A search keeps the newest MAX_MATCHES matching rows (by id). On PostgreSQL it finds them in two steps: it walks the
newest rows backwards through the primary key, testing each stored document (well under a microsecond a row), and
stops at MAX_MATCHES; only if the walk fell short does it ask the GIN index for the older matches. The walk is as long
as should hold MAX_MATCHES matches by the column's statistics, or nothing when the index would be cheaper
(``walk_length``): a word found in a third of the rows is answered from some 25,000 rows instead of by fetching its
hundreds of thousands of matches from the table and sorting them; a rare word goes straight to the index.

A migration that rebuilds one of these tables on SQLite (Django does that for some ALTERs) drops the triggers: re-run
``install(schema_editor)`` in that migration (it is idempotent). On PostgreSQL a searched column's type cannot be
altered while the generated column uses it: ``uninstall`` before such a migration's operation, ``install`` after.
"""

# ruff: noqa: S608  (table and column names in this module are constants; user input is only a bound parameter)
from __future__ import annotations

import math
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
# PostgreSQL: what a search costs, in microseconds, as measured at a million reports: walking one row (reading it and
# testing its document), reading one entry of a word's list in the GIN index, fetching one match from the table.
WALK_ROW, INDEX_ENTRY, FETCH_MATCH = 0.3, 0.15, 2.5
DEFAULT_WALK = 10 * MAX_MATCHES  # while the column has no statistics yet
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
    run(f"ANALYZE {table}")  # the column's statistics, for walk_length() and the planner


def walk_length(table: str, words: list[str], network_id: int | None = None) -> int:
    """PostgreSQL: how many of the newest rows of ``table`` a search for ``words`` walks (0: straight to the index).

    Enough rows to hold MAX_MATCHES matches, with a margin, by the share of rows holding every word: estimated from
    the column's statistics as the planner does for one prefix (every frequent lexeme it begins), taking the words as
    independent (the planner itself gives up on prefixes when fewer than 100 lexemes are frequent). No walk when it
    would cost more than the index, which reads every word's list and fetches every match: for a word that is not
    frequent, or when the walk would cover the whole table. With ``network_id`` the walk counts only that network's
    rows: it is longer by the network's share of the table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.most_common_elems::text::text[], d.most_common_elem_freqs, "
            "(SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)), "
            "n.most_common_vals::text::bigint[], n.most_common_freqs, n.n_distinct FROM pg_stats d "
            "LEFT JOIN pg_stats n ON n.schemaname = d.schemaname AND n.tablename = d.tablename "
            "AND n.attname = 'network_id' "
            "WHERE d.schemaname = current_schema() AND d.tablename = %s AND d.attname = %s",
            [table, table, DOCUMENT],
        )
        row = cursor.fetchone()
    if row is None:
        return DEFAULT_WALK
    lexemes, frequencies, rows = row[0] or [], row[1] or [], row[2] or 0.0
    shares = []
    for word in words:
        absent = 1.0
        # the frequencies end with three summary numbers (minimum, maximum, share of empty documents)
        for lexeme, frequency in zip(lexemes, frequencies[: len(lexemes)], strict=True):
            if lexeme.startswith(word):
                absent *= 1.0 - frequency
        shares.append(1.0 - absent)
    share = math.prod(shares)
    if not share:
        return 0
    if network_id is not None:
        share *= _network_share(network_id, row[3] or [], row[4] or [], row[5] or 0.0)
    walk = 1.5 * MAX_MATCHES / share
    index = rows * (INDEX_ENTRY * sum(shares) + FETCH_MATCH * math.prod(shares))
    return int(walk) if walk < rows and WALK_ROW * walk < index else 0


def _network_share(network_id: int, values: list[int], frequencies: list[float], distinct: float) -> float:
    """The share of a table's rows that belong to one network, from the statistics of its ``network_id`` column
    (1.0 when there are none yet)."""
    if not values and not distinct:
        return 1.0
    if network_id in values:
        return float(frequencies[values.index(network_id)])
    others = max(1.0, (distinct if distinct > 0 else 1.0) - len(values))
    return max((1.0 - sum(frequencies)) / others, 1e-6)


def _pg_search_sql(table: str, walk: int, scoped: bool) -> str:
    """The ids of the newest MAX_MATCHES rows of ``table`` matching a tsquery (each %s pair: the tsquery, then the
    network id when ``scoped``)."""
    network = " AND network_id = %s" if scoped else ""
    return (
        f"WITH edge AS (SELECT max(id) - {walk} AS id FROM {table}), "
        # the walk: the newest rows backwards through the primary key (the LIMIT keeps it a walk: the planner sees
        # a few rows of many), stopping at MAX_MATCHES; rows at or below the edge are left to the index
        f"recent AS MATERIALIZED (SELECT id FROM (SELECT id, network_id, {DOCUMENT} FROM {table} "
        f"ORDER BY id DESC LIMIT {walk}) newest WHERE id > (SELECT id FROM edge) "
        f"AND {DOCUMENT} @@ to_tsquery('simple', %s){network} ORDER BY id DESC LIMIT {MAX_MATCHES}), "
        # the GIN index, read only when the walk fell short (a LIMIT of 0 never runs its input)
        f"indexed AS MATERIALIZED (SELECT id FROM {table} WHERE {DOCUMENT} @@ to_tsquery('simple', %s){network}) "
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


def search(queryset: models.QuerySet[M], query: str, network_id: int | None = None) -> models.QuerySet[M]:
    """Narrow ``queryset`` to rows whose indexed text contains every word of ``query`` (as a prefix).

    Pass the ``network_id`` the queryset is limited to: the MAX_MATCHES cap then counts that network's rows only, so
    another network's newer matches cannot crowd its own out of the results.
    """
    words = terms(query)
    if not words:
        return queryset
    table = queryset.model._meta.db_table
    columns = INDEXED[table]
    vendor = connection.vendor
    scoped = network_id is not None
    if vendor == "sqlite":
        match = " ".join(f'"{w}"*' for w in words)
        if scoped:  # FTS5 hands out rowids newest first; the join stops at the cap
            sql = (
                f"SELECT f.rowid FROM {table}_fts f JOIN {table} t ON t.id = f.rowid "
                f"WHERE {table}_fts MATCH %s AND t.network_id = %s ORDER BY f.rowid DESC LIMIT {MAX_MATCHES}"
            )
            return queryset.filter(id__in=RawSQL(sql, [match, network_id]))  # noqa: S611  (parameterised)
        sql = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s ORDER BY rowid DESC LIMIT {MAX_MATCHES}"
        return queryset.filter(id__in=RawSQL(sql, [match]))  # noqa: S611  (parameterised; names are constants)
    if vendor == "postgresql":
        tsquery = " & ".join(f"{w}:*" for w in words)
        sql = _pg_search_sql(table, walk_length(table, words, network_id), scoped)
        params = [tsquery, network_id, tsquery, network_id] if scoped else [tsquery, tsquery]
        return queryset.filter(id__in=RawSQL(sql, params))  # noqa: S611  (parameterised; names are constants)
    condition = models.Q()
    for w in words:
        any_column = models.Q()
        for c in columns:
            any_column |= models.Q(**{f"{c}__icontains": w})
        condition &= any_column
    return queryset.filter(condition)
