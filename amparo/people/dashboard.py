"""Dashboard cards for the people taken: no lawyer after 48 hours, whereabouts unknown, overdue tasks."""

from __future__ import annotations

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
    no_lawyer = followup.no_lawyer(people, now).count()
    no_custody = followup.no_custody_info(people, now).count()
    overdue = followup.overdue_tasks(people, membership.pk, now).count()
    return [
        {
            "title": _("No known lawyer after %(hours)d hours") % {"hours": followup.NO_LAWYER_HOURS},
            "count": no_lawyer,
            "url": url + "#no-lawyer",
            "urgent": no_lawyer > 0,
        },
        {
            "title": _("Whereabouts unknown for %(hours)d hours") % {"hours": followup.NO_CUSTODY_INFO_HOURS},
            "count": no_custody,
            "url": url + "#no-custody",
            "urgent": no_custody > 0,
        },
        {"title": _("Overdue tasks"), "count": overdue, "url": url + "#overdue", "urgent": overdue > 0},
    ]
