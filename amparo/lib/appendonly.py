"""A migration operation that makes a table append-only in the database itself.

Application code never updates or deletes these rows; the trigger makes sure that neither can a bug or a stray SQL
statement. Works on SQLite and PostgreSQL.

Test databases are emptied between transactional tests: PostgreSQL does it with TRUNCATE, which row triggers do not
see; SQLite with DELETE, so there the delete trigger stands down while the table ``amparo_unlock`` has a row. Only the
test setup (conftest.py) puts one there; ``locked()`` takes it away again for tests of the triggers themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, migrations

UNLOCK_TABLE = "amparo_unlock"


def unlock_for_tests() -> None:
    """Let the test runner empty append-only tables between transactional tests (SQLite only; see above)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {UNLOCK_TABLE} (flag INTEGER)")
            cursor.execute("DELETE FROM amparo_unlock")
            cursor.execute("INSERT INTO amparo_unlock VALUES (1)")


@contextmanager
def locked() -> Iterator[None]:
    """Inside a test's transaction: the triggers guard deletes again, as in production."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM amparo_unlock")
    yield


class AppendOnly(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, table: str) -> None:
        self.table = table

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        t = self.table
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {t}_append_only() RETURNS trigger AS $$ BEGIN "
                f"RAISE EXCEPTION '{t} is append-only'; END; $$ LANGUAGE plpgsql;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {t}_no_change BEFORE UPDATE OR DELETE ON {t} "
                f"FOR EACH ROW EXECUTE FUNCTION {t}_append_only();"
            )
        elif schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"CREATE TABLE IF NOT EXISTS {UNLOCK_TABLE} (flag INTEGER)")
            schema_editor.execute(
                f"CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} "
                f"BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} "  # noqa: S608  (table names come from migrations)
                "WHEN NOT EXISTS (SELECT 1 FROM amparo_unlock) "
                f"BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END;"
            )

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        t = self.table
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {t}_no_change ON {t};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {t}_append_only();")
        elif schema_editor.connection.vendor == "sqlite":
            for verb in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {t}_no_{verb};")

    def describe(self) -> str:
        return f"Make {self.table} append-only"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.table], {})
