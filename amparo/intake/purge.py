"""Deleting what intake must not keep: expired contacts and callback numbers, abandoned uploads, old salts."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from amparo.accounts.models import Network, Throttle
from amparo.audit.actions import record
from amparo.incidents.models import Report
from amparo.intake import conf, privacy
from amparo.intake.actions import upload_path
from amparo.intake.models import UploadSession


def purge_contacts(now: datetime) -> int:
    due = Report.objects.filter(contact_purge_after__lte=now).exclude(contact_sealed="")
    by_network = dict(due.values_list("network").annotate(n=Count("id")).values_list("network", "n"))
    with transaction.atomic():
        count = due.update(contact_sealed="", contact_purge_after=None)
        for network in Network.objects.filter(pk__in=by_network):
            record(None, network, "report.contacts_purged", None, count=by_network[network.pk])
    return count


def purge_uploads(now: datetime) -> int:
    """Expired uploads (never finished, or finished but never attached) and attached leftovers: rows and bytes."""
    count = 0
    stale = UploadSession.objects.filter(expires_at__lte=now) | UploadSession.objects.exclude(
        attached_at=None
    )
    for upload in stale.iterator():
        upload_path(upload.upload_id).unlink(missing_ok=True)
        upload.delete()
        count += 1
    # bytes without a row (a crash between creating the file and the row)
    known = set(UploadSession.objects.values_list("upload_id", flat=True))
    cutoff = (now - conf.upload_lifetime()).timestamp()
    for path in (conf.uploads_dir()).iterdir():  # type: ignore[attr-defined]  # a Path
        if path.name not in known and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            count += 1
    return count


def purge_throttles(now: datetime) -> int:
    deleted, _ = Throttle.objects.filter(
        scope__startswith="intake.", window_start__lt=now - timedelta(days=1)
    ).delete()
    return deleted


def purge_all(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {
        "contacts": purge_contacts(now),
        "uploads": purge_uploads(now),
        "salts": privacy.purge_salts(),
        "rate_limit_rows": purge_throttles(now),
    }
