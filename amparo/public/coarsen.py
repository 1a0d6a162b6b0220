"""The arithmetic of anonymisation, as pure functions: count bands, embargo ends, periods, and small-cell generalisation.

No Django, no database: ``amparo.public.anonymise`` feeds these with rows it has read and tests feed them with
hypothesis-generated rows.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Location types that may be someone's home get the residence rules (longer embargo, county at most, k-generalised).
RESIDENTIAL = frozenset({"residence", "unknown"})
# Tactics that describe the people affected rather than the agents: never on a residence's public row.
PERSON_TACTICS = frozenset({"us_citizen_detained", "children_present", "family_separated"})


@dataclass(frozen=True, slots=True)
class Policy:
    embargo_hours: int = 24
    residence_embargo_hours: int = 168
    k: int = 3


def is_residential(location_type: str, known_types: Iterable[str] | None = None) -> bool:
    """Residences, unknown places, and any location type that is not a built-in one (a network's own term)."""
    if location_type in RESIDENTIAL:
        return True
    return known_types is not None and location_type not in known_types


def band_edges(k: int) -> list[int]:
    """Lower edges of the count bands: 0, 1, k, 10, 25, 50, 100 (k kept between 2 and 10)."""
    k = min(max(k, 2), 10)
    return sorted({0, 1, k, 10, 25, 50, 100})


def band(n: int | None, k: int) -> str:
    """A count as a band: "0", "1-2" (any count below k), "3-9", "10-24", "25-49", "50-99", "100+"; "" if unknown."""
    if n is None:
        return ""
    if n < 0:
        raise ValueError("counts are never negative")
    edges = band_edges(k)
    for low, high in itertools.pairwise(edges):
        if low <= n < high:
            return str(low) if high - low == 1 else f"{low}-{high - 1}"
    return f"{edges[-1]}+"


def band_low(value: str) -> int | None:
    """The lowest count a band allows (ACLED's rule: the lowest credible count)."""
    if not value:
        return None
    return int(value.rstrip("+").split("-")[0])


def start_of_next_month(moment: dt.datetime) -> dt.datetime:
    first = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (first + dt.timedelta(days=32)).replace(day=1)


def embargo_ends(
    event_at: dt.datetime, embargo_until: dt.datetime | None, residential: bool, policy: Policy
) -> dt.datetime:
    """When an incident may first appear in public.

    A residence waits for its longer embargo and then for the next month to begin, so that every residence of a
    month appears in the same rebuild: the moment a row appears must not tell the day it happened.
    """
    if residential:
        ends = start_of_next_month(event_at + dt.timedelta(hours=policy.residence_embargo_hours))
    else:
        ends = event_at + dt.timedelta(hours=policy.embargo_hours)
    if embargo_until is not None and embargo_until > ends:
        ends = embargo_until
    return ends


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def period(day: dt.date, precision: str) -> dt.date:
    if precision == "week":
        return week_start(day)
    if precision == "month":
        return month_start(day)
    return day


def covers(start: dt.date, precision: str, day: dt.date) -> bool:
    """Whether the published period (start, precision) contains the true day."""
    return period(day, precision) == start


@dataclass(slots=True)
class Row:
    """What generalisation needs of one incident; ``place`` holds the coarse place chosen before."""

    day: dt.date
    residential: bool
    state: str
    county: str  # FIPS, or "" when the county is not known
    floor: str = "day"  # the coarsest precision the true date is known to: "day" or "month"
    date: dt.date = field(init=False)
    precision: str = field(init=False, default="day")
    level: str = field(init=False, default="")  # "county" or "state" for residences once generalised

    def __post_init__(self) -> None:
        self.date = self.day


RUNGS: list[tuple[str, str]] = [("county", "week"), ("county", "month"), ("state", "month")]


def generalise(rows: Sequence[Row], k: int) -> list[bool]:
    """Coarsen residences until each published (place, period) cell holds at least k of them; say which to publish.

    Non-residential rows keep their day and are always published. Residences climb the ladder county+week, county+month,
    state+month; a residence still in a cell smaller than k at the top is not published as a row (it still counts in
    the suppressed aggregates). Returns one flag per row: published or not. Mutates rows' date, precision and level.
    """
    publish = [not r.residential for r in rows]
    waiting = [i for i, r in enumerate(rows) if r.residential]
    for level, precision in RUNGS:
        cells: defaultdict[tuple[str, dt.date], list[int]] = defaultdict(list)
        for i in waiting:
            r = rows[i]
            if (level == "county" and not r.county) or (r.floor == "month" and precision == "week"):
                continue
            place = r.county if level == "county" else r.state
            cells[(place, period(r.day, precision))].append(i)
        placed: set[int] = set()
        for (_place, start), members in cells.items():
            if len(members) >= k:
                for i in members:
                    rows[i].date, rows[i].precision, rows[i].level = start, precision, level
                    publish[i] = True
                    placed.add(i)
        waiting = [i for i in waiting if i not in placed]
    return publish


def suppress(counts: Counter[tuple[str, ...]], k: int) -> dict[tuple[str, ...], int | None]:
    """Counts with every cell below k (and above zero) replaced by None."""
    return {key: (n if n >= k else None) for key, n in counts.items() if n > 0}
