"""Per-use consent on every item (security review H1): the uses its source allowed, read by every exit.

Existing rows get the uses their single level stood for. "public" came from the widest of the witness's choices,
so legal use is added only where the report's form choices show it; files from the partner API and imports get
none (internal use only) until a staff member records the consent their source gave.
"""

from django.db import migrations, models

LEVEL_USES = {
    "none": [],
    "internal": ["internal"],
    "legal_use": ["internal", "legal"],
    "public": ["internal", "public"],
}


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]  # a migration's RunPython signature
    EvidenceItem = apps.get_model("evidence", "EvidenceItem")
    ReportExtra = apps.get_model("intake", "ReportExtra")
    chosen = dict(ReportExtra.objects.values_list("report_id", "consent_uses"))
    for item in EvidenceItem.objects.all().only("pk", "consent", "source", "report_id").iterator():
        if item.source in ("api", "import"):
            uses, level = [], "none"
        else:
            uses, level = list(LEVEL_USES.get(item.consent, [])), item.consent
            if item.consent == "public" and "legal" in (chosen.get(item.report_id) or []):
                uses = ["internal", "legal", "public"]
        EvidenceItem.objects.filter(pk=item.pk).update(consent_uses=uses, consent=level)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0002_report"),
        ("intake", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidenceitem",
            name="consent_uses",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
