"""The caseworker's follow-up lists: who has no lawyer, whose whereabouts are unknown, what is coming up or late.

Each function takes the people a member may see (amparo.people.access.visible_people) and the current time, and returns
a queryset; the dashboard counts them and the follow-up page lists them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from amparo.legal.models import Hearing, Referral
from amparo.legal.vocab import NO_LAWYER, ReferralOutcome
from amparo.people.models import Person, Task
from amparo.people.vocab import CustodyStatus

NO_LAWYER_HOURS = 48
NO_CUSTODY_INFO_HOURS = 24
HEARING_DAYS = 7
REFERRAL_ANSWER_HOURS = 48

# Whereabouts unknown: these statuses say we do not know where the person is held.
LOCATION_UNKNOWN = [
    CustodyStatus.REPORTED,
    CustodyStatus.ICE_UNKNOWN,
    CustodyStatus.IN_TRANSIT,
    CustodyStatus.NOT_FOUND,
    CustodyStatus.LOST_CONTACT,
]
# Removed, departed or dead: a lawyer can no longer be found for the removal case.
NO_LONGER_NEEDS_LAWYER = [
    CustodyStatus.REMOVED,
    CustodyStatus.VOLUNTARY_DEPARTURE,
    CustodyStatus.SELF_DEPORTED,
    CustodyStatus.THIRD_COUNTRY,
    CustodyStatus.DIED,
]


def no_lawyer(people: QuerySet[Person], now: datetime) -> QuerySet[Person]:
    """No known lawyer, 48 hours or more after they were taken (or recorded)."""
    return (
        people.annotate(since_at=Coalesce("taken_at", "created_at"))
        .filter(representation_status__in=[str(s) for s in NO_LAWYER])
        .exclude(custody_status__in=NO_LONGER_NEEDS_LAWYER)
        .filter(since_at__lte=now - timedelta(hours=NO_LAWYER_HOURS))
        .order_by("since_at")
    )


def no_custody_info(people: QuerySet[Person], now: datetime) -> QuerySet[Person]:
    """Whereabouts unknown and no custody information for 24 hours."""
    return (
        people.annotate(since_at=Coalesce("taken_at", "created_at"))
        .annotate(info_at=Coalesce("custody_info_at", "taken_at", "created_at"))
        .filter(
            custody_status__in=LOCATION_UNKNOWN, info_at__lte=now - timedelta(hours=NO_CUSTODY_INFO_HOURS)
        )
        .order_by("info_at")
    )


def hearings_soon(people: QuerySet[Person], now: datetime) -> QuerySet[Hearing]:
    return (
        Hearing.objects.filter(
            case__person__in=people, at__gte=now, at__lte=now + timedelta(days=HEARING_DAYS)
        )
        .select_related("case__person")
        .order_by("at")
    )


def unanswered_referrals(people: QuerySet[Person], now: datetime) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(person__in=people, outcome=ReferralOutcome.PENDING)
        .select_related("person", "provider")
        .order_by("referred_at")
    )


def late_referral(referral: Referral, now: datetime) -> bool:
    due = referral.follow_up_due or referral.referred_at + timedelta(hours=REFERRAL_ANSWER_HOURS)
    return due < now


def overdue_tasks(people: QuerySet[Person], owner_id: int | None, now: datetime) -> QuerySet[Task]:
    return (
        Task.objects.filter(done_at=None, due_at__lt=now)
        .filter(Q(person__in=people) | Q(owner_id=owner_id))
        .select_related("person", "owner__user")
        .order_by("due_at")
    )
