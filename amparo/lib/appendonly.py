"""A migration operation that makes a table append-only in the database itself.

Application code never updates or deletes these rows; the trigger makes sure that neither can a bug or a stray SQL
statement. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


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
            for verb in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {t}_no_{verb.lower()} BEFORE {verb} ON {t} "
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
