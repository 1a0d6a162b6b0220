from django.db import migrations


def forwards(apps, schema_editor):
    from amparo.incidents import search

    search.install(schema_editor)


def backwards(apps, schema_editor):
    from amparo.incidents import search

    search.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_terms_and_gateway")]

    operations = [migrations.RunPython(forwards, backwards)]
