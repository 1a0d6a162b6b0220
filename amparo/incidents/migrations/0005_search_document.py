"""PostgreSQL: search a stored generated tsvector column instead of the to_tsvector() expression of 0003.

Re-checking matches against the expression re-parsed every row's text, and walking the newest rows (see
amparo.incidents.search) needs a document that is cheap to test. The column is raw SQL, not a model field: Django
never writes it; PostgreSQL fills it on every insert and update. Adding it rewrites the table (under a lock): on a
million reports about half a minute. Nothing to do on SQLite (FTS5 tables) or other engines.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from amparo.incidents import search

    if schema_editor.connection.vendor == "postgresql":
        search.install(schema_editor)  # adds the column and its GIN index, drops 0003's expression index


def backwards(apps, schema_editor):
    from amparo.incidents import search

    if schema_editor.connection.vendor == "postgresql":
        search.uninstall(schema_editor)
        for table, columns in search.INDEXED.items():  # 0003's expression index, as it was
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_search ON {table} USING gin ({search.pg_document(columns)})"
            )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0004_keyset_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
