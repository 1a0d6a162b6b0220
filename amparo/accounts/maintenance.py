"""Removing sign-in links, invitations and throttle counters that can no longer be used."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from amparo.accounts.models import Invitation, SignInLink, Throttle


def run() -> dict[str, int]:
    now = timezone.now()
    links, _ = SignInLink.objects.filter(expires_at__lt=now).delete()
    invitations, _ = Invitation.objects.filter(expires_at__lt=now - timedelta(days=30)).delete()
    throttles, _ = Throttle.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
    return {"signin_links": links, "invitations": invitations, "throttles": throttles}
