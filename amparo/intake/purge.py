"""Deleting what intake must not keep: expired contacts and callback numbers, abandoned uploads, old salts."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from amparo.accounts.models import Network, Throttle
from amparo.audit.actions import record
from amparo.incidents.models import Report
from amparo.intake import conf, privacy, uploadstore
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
    """Expired uploads (never finished, or finished but never attached) and attached leftovers: rows and bytes,
    in this server's folder and in the shared store (every part under the upload's prefix, listed or not)."""
    count = 0
    stale = UploadSession.objects.filter(expires_at__lte=now) | UploadSession.objects.exclude(
        attached_at=None
    )
    for upload in stale.iterator():
        uploadstore.remove(upload.upload_id)
        upload.delete()
        count += 1
    # bytes without a row (a crash between writing them and the row, or a PATCH that lost its row meanwhile)
    known = set(UploadSession.objects.values_list("upload_id", flat=True))
    return count + uploadstore.remove_strays(known, now - conf.upload_lifetime())


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
