"""Properties of coarsening, banding, embargo and small-cell generalisation (hypothesis)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.public import geo
from amparo.public.anonymise import coarse_place
from amparo.public.coarsen import Policy, Row, band, band_low, covers, embargo_ends, generalise, suppress

days = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31))
rows = st.lists(
    st.builds(
        Row,
        day=days,
        residential=st.booleans(),
        state=st.sampled_from(["IL", "CA", "TX"]),
        county=st.sampled_from(["", "17031", "17043", "06037", "48201"]),
        floor=st.sampled_from(["day", "day", "month"]),
    ),
    max_size=60,
)


@given(rows, st.integers(min_value=2, max_value=6))
@settings(max_examples=300, deadline=None)
def test_every_published_residence_shares_its_cell_with_at_least_k(found: list[Row], k: int) -> None:
    publish = generalise(found, k)
    cells = Counter(
        (r.level, r.state if r.level == "state" else r.county, r.date, r.precision)
        for r, p in zip(found, publish, strict=True)
        if p and r.residential
    )
    assert all(n >= k for n in cells.values())
    for r, p in zip(found, publish, strict=True):
        if not r.residential:
            assert p and r.precision == "day" and r.date == r.day  # public places keep their day
        elif p:
            assert r.precision in ("week", "month")  # a home is never published by day
            assert covers(r.date, r.precision, r.day)  # the period contains the true day
            assert r.floor != "month" or r.precision == "month"  # never more precise than what is known
            assert r.level == "state" or r.county  # county level only where the county is known


@given(rows, st.integers(min_value=2, max_value=6))
@settings(max_examples=100, deadline=None)
def test_a_residence_is_withheld_only_when_even_its_state_and_month_hold_fewer_than_k(
    found: list[Row], k: int
) -> None:
    publish = generalise(found, k)
    withheld = [r for r, p in zip(found, publish, strict=True) if not p]
    for r in withheld:
        assert r.residential
        same = [
            o
            for o in withheld
            if o.state == r.state and (o.day.year, o.day.month) == (r.day.year, r.day.month)
        ]
        assert len(same) < k


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=2, max_value=10))
def test_bands_contain_the_count_and_hide_small_ones(n: int, k: int) -> None:
    b = band(n, k)
    low = band_low(b)
    assert low is not None and low <= n
    if b.endswith("+"):
        assert n >= low
    elif "-" in b:
        assert n <= int(b.split("-")[1])
    else:
        assert int(b) == n
    if 0 < n < k:
        assert b == f"1-{k - 1}" or (k == 2 and b == "1")
        assert b != str(n) or k == 2


@given(
    st.dictionaries(st.text(min_size=1, max_size=3), st.integers(min_value=0, max_value=20)),
    st.integers(2, 6),
)
def test_suppression_removes_every_count_below_k(counts: dict[str, int], k: int) -> None:
    out = suppress(Counter({(key,): n for key, n in counts.items()}), k)
    for (key,), value in out.items():
        assert value is None or value >= k
        assert (value is None) == (counts[key] < k)


@given(
    st.datetimes(
        min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 12, 31), timezones=st.just(dt.UTC)
    ),
    st.integers(0, 500),
    st.integers(0, 2000),
)
def test_embargo_is_at_least_the_configured_delay(event: dt.datetime, hours: int, res_hours: int) -> None:
    pol = Policy(embargo_hours=hours, residence_embargo_hours=res_hours, k=3)
    assert embargo_ends(event, None, False, pol) == event + dt.timedelta(hours=hours)
    home = embargo_ends(event, None, True, pol)
    assert home >= event + dt.timedelta(hours=res_hours)
    assert home.day == 1 and home.hour == 0  # homes appear only when a month begins
    later = event + dt.timedelta(days=400)
    assert embargo_ends(event, later, True, pol) == later


counties = list(geo.by_fips().values())
lat = st.floats(min_value=20, max_value=60, allow_nan=False)
lon = st.floats(min_value=-160, max_value=-60, allow_nan=False)


@given(
    st.sampled_from(counties),
    lat,
    lon,
    st.sampled_from(["residence", "school", "worksite", "unknown", "x_own"]),
)
@settings(max_examples=200, deadline=None)
def test_a_public_point_is_a_shared_centroid_whatever_the_true_point(
    county: geo.Area, la: float, lo: float, lt: str
) -> None:
    a = coarse_place(lt, county.state, county.name, "", la, lo)
    b = coarse_place(lt, county.state, county.name, "", None, None)
    assert a == b  # the incident's own point changes nothing once the county is known
    named = geo.county(county.state, county.name)  # a county and an independent city may share a name
    assert named is not None and (a.latitude, a.longitude) == (named.lat, named.lon)
    assert a.geo_level == "county"


CITIES = [
    ("IL", "Cook", "Chicago"),
    ("CA", "Los Angeles", "Los Angeles"),
    ("TX", "Harris", "Houston"),
    ("MN", "Hennepin", "Minneapolis"),
]


@given(
    st.sampled_from(CITIES),
    st.sampled_from(["residence", "unknown", "some_network_term", "school", "worksite"]),
)
@settings(max_examples=60, deadline=None)
def test_residences_are_never_placed_at_a_city(city: tuple[str, str, str], lt: str) -> None:
    state, county_name, locality = city
    place = coarse_place(lt, state, county_name, locality, None, None)
    county = geo.county(state, county_name)
    assert county is not None
    if lt in ("school", "worksite"):
        assert place.geo_level == "city" and place.locality
    else:
        assert place.geo_level == "county" and place.locality == ""
        assert (place.latitude, place.longitude) == (county.lat, county.lon)


def test_independent_cities_are_told_from_their_counties() -> None:
    county, city = geo.county("MD", "Baltimore County"), geo.county("MD", "Baltimore city")
    assert county is not None and city is not None
    assert (county.fips, city.fips) == ("24005", "24510")


def test_a_point_alone_finds_its_county() -> None:
    place = coarse_place("residence", "", "", "", 41.9683, -87.7088)  # north-west Chicago
    assert (place.admin1, place.admin2, place.fips) == ("IL", "Cook", "17031")
    assert (place.latitude, place.longitude) != (41.9683, -87.7088)
    assert coarse_place("school", "CA", "Los Angeles County", "Los Angeles", None, None).geo_level == "city"
    assert coarse_place("school", "TX", "Nowhere", "Nowhere", None, None).geo_level == "state"
    assert coarse_place("school", "", "", "", None, None).latitude is None
