from django.db import migrations


def seed(apps, schema_editor):
    from amparo.people.importer import seed as load

    load(apps.get_model("people", "Facility"), apps.get_model("people", "FieldOffice"))


class Migration(migrations.Migration):
    dependencies = [("people", "0002_incident_subject")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
