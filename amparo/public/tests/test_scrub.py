"""The scrubber removes A-numbers, phones, e-mails, plates and street addresses, and leaves ordinary text alone."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.public.scrub import MARK, WORDS, findings, scrub

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
filler = st.sampled_from(
    [
        "Agents arrived at the clinic",
        "Los agentes llegaron",
        "Die Beamten kamen um 10:30",
        "On 2025-10-03, 12 agents and 4 vehicles",
        "ICE said an I-200 warrant was shown",
        "",
    ]
)


def a_numbers() -> st.SearchStrategy[str]:
    nine = st.text(alphabet="0123456789", min_size=9, max_size=9)
    return st.tuples(
        nine, st.sampled_from(["A{}", "A-{}", "A#{}", "A {}", "{}", "A{0}-{1}-{2}", "{0} {1} {2}"])
    ).map(lambda t: t[1].format(t[0], t[0][:3], t[0][3:6], t[0][6:]) if "{0}" in t[1] else t[1].format(t[0]))


def phones() -> st.SearchStrategy[str]:
    three = st.text(alphabet="23456789", min_size=3, max_size=3)
    four = st.text(alphabet="0123456789", min_size=4, max_size=4)
    return st.tuples(
        three, three, four, st.sampled_from(["({}) {}-{}", "{}-{}-{}", "{}.{}.{}", "+1 {} {} {}", "{}{}{}"])
    ).map(lambda t: t[3].format(t[0], t[1], t[2]))


def plates() -> st.SearchStrategy[str]:
    letters = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=3)
    nums = st.text(alphabet="0123456789", min_size=3, max_size=4)
    kept = st.tuples(letters, nums, st.sampled_from(["{}{}", "{}-{}", "{} {}", "7{}{}"])).filter(
        lambda t: not (t[2] == "{} {}" and t[0] in WORDS and t[1][:2] in ("19", "20") and len(t[1]) == 4)
    )  # "ICE 2025", "OCT 2025" are ordinary text on purpose
    return kept.map(lambda t: t[2].format(t[0], t[1]))


def addresses() -> st.SearchStrategy[str]:
    return st.tuples(
        st.integers(1, 99999),
        st.sampled_from(["", "N ", "W. ", "South "]),
        st.sampled_from(["Kedzie", "Martin Luther King", "Elm", "26th", "Cesar Chavez"]),
        st.sampled_from(["Ave", "Avenue", "St", "Street", "Blvd", "Rd", "Drive", "Ln"]),
        st.sampled_from(["", " Apt 4B", ", Unit 12"]),
    ).map(lambda t: f"{t[0]} {t[1]}{t[2]} {t[3]}{t[4]}")


emails = st.from_regex(r"[a-z]{1,8}\.[a-z]{1,8}@[a-z]{2,8}\.(org|com|net)", fullmatch=True)


@given(filler, st.one_of(a_numbers(), phones(), plates(), addresses(), emails), filler)
@settings(max_examples=400, deadline=None)
def test_it_removes_every_planted_value(before: str, secret: str, after: str) -> None:
    text = f"{before} {secret}. {after}"
    out = scrub(text)
    core = secret.split(",")[0]
    assert core not in out, (text, out)
    assert MARK in out
    assert findings(text)
    digits_only = "".join(c for c in secret if c.isdigit())
    if len(digits_only) >= 7:
        assert digits_only not in "".join(c for c in out if c.isdigit())


@given(filler, filler)
def test_it_leaves_ordinary_text_alone(a: str, b: str) -> None:
    text = f"{a}. {b}. Operation Midway Blitz, 287(g), N95, EOIR-28, I-247A, COVID-19, ICE 2025, Cook County, 2025."
    assert scrub(text) == text.strip()
    assert findings(text) == []


def test_it_handles_spanish_and_german_addresses() -> None:
    assert "Morelos" not in scrub("Vive en la calle Morelos 45 depto 3")
    assert "Juárez" not in scrub("en Avenida Juárez #123")
    assert "Hauptstraße" not in scrub("In der Hauptstraße 12a")


@given(
    st.sampled_from(
        [
            "October 3",
            "Oct. 14th",
            "3 de octubre",
            "14. Oktober",
            "10/03/2025",
            "2025-10-03",
            "Friday",
            "ayer",
        ]
    ),
    filler,
)
def test_for_homes_it_also_removes_days_but_keeps_months(day: str, other: str) -> None:
    text = f"{other}. Agents came on {day}; in October 2025 they came again."
    out = scrub(text, days=True)
    assert day not in out and "October 2025" in out
    assert day in scrub(text)  # public places keep their day
