"""List-page queries that stay fast at a million rows: keyset pages, capped counts, one query for each.

A list never counts all matching rows (COUNT over a million rows is the slow part of a paginated page) and never
uses OFFSET (deep pages get slower). It shows 50 rows, a link to the next 50 (a cursor of the last row's sort key),
and counts up to COUNT_CAP ("1,000+").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.db import models
from django.utils.dateparse import parse_datetime

M = TypeVar("M", bound=models.Model)
PAGE_SIZE = 50
COUNT_CAP = 1000


@dataclass
class Page(Generic[M]):
    rows: list[M]
    next_cursor: str
    first: bool


def encode_cursor(at: datetime | None, pk: int) -> str:
    return f"{at.isoformat() if at else ''}~{pk}"


def decode_cursor(cursor: str) -> tuple[datetime | None, int] | None:
    try:
        stamp, pk = cursor.rsplit("~", 1)
        return (parse_datetime(stamp) if stamp else None), int(pk)
    except (ValueError, TypeError):
        return None


def keyset_page(queryset: models.QuerySet[M], field: str, cursor: str = "", size: int = PAGE_SIZE) -> Page[M]:
    """Rows newest first by ``field`` (then id), starting after ``cursor``."""
    decoded = decode_cursor(cursor) if cursor else None
    if decoded is not None:
        at, pk = decoded
        if at is None:
            queryset = queryset.filter(**{f"{field}__isnull": True, "id__lt": pk})
        else:
            # written as a range plus an exclusion (not an OR) so the (network, field, id) index serves it
            queryset = queryset.filter(**{f"{field}__lte": at}).exclude(**{field: at, "id__gte": pk})
    rows = list(queryset.order_by(f"-{field}", "-id")[: size + 1])
    next_cursor = ""
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, field), last.pk)
    return Page(rows=rows, next_cursor=next_cursor, first=decoded is None)


def capped_count(queryset: models.QuerySet[Any], cap: int = COUNT_CAP) -> int:
    """The number of rows, counting no further than ``cap + 1`` (shown as "cap+")."""
    return queryset.order_by()[: cap + 1].count()
