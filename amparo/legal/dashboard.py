"""Dashboard cards for legal follow-up: hearings in the next 7 days, referrals without an answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Membership
from amparo.people import followup
from amparo.people.access import visible_people


def cards(request: HttpRequest, membership: Membership) -> list[dict[str, Any]]:
    if not membership.can("tasks.view"):
        return []
    people = visible_people(membership)
    now = timezone.now()
    url = reverse("people:followup")
    soon = followup.hearings_soon(people, now)
    hearings = soon.count()
    within_two_days = soon.filter(at__lte=now + timedelta(days=2)).exists()
    referrals = list(followup.unanswered_referrals(people, now))
    late = sum(1 for r in referrals if followup.late_referral(r, now))
    return [
        {
            "title": _("Hearings in the next %(days)d days") % {"days": followup.HEARING_DAYS},
            "count": hearings,
            "url": url + "#hearings",
            "urgent": within_two_days,
        },
        {
            "title": _("Referrals without an answer"),
            "count": len(referrals),
            "url": url + "#referrals",
            "urgent": late > 0,
        },
    ]
