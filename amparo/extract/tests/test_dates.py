"""The incident date: absolute dates in three languages, relative ones around week, month and year boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.extract import extract

THU = date(2026, 3, 5)  # a Thursday


def found_date(text: str, published: date | None = THU, lang: str | None = None) -> date | None:
    result = extract(text, published=published, lang=lang)
    if "date" not in result:
        return None
    proposal = result["date"]
    assert text[proposal.span[0] : proposal.span[1]] == proposal.text
    return proposal.value


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Agents detained two men on March 3, 2026.", "en", date(2026, 3, 3)),
        ("Agents detained two men on 3 March 2026.", "en", date(2026, 3, 3)),
        ("Agents detained two men on Mar. 3.", "en", date(2026, 3, 3)),
        ("Agents detained two men on 2026-03-03.", "en", date(2026, 3, 3)),
        ("Agents detained two men on 3/2/2026.", "en", date(2026, 3, 2)),
        ("Agentes detuvieron a dos hombres el 3 de marzo de 2026.", "es", date(2026, 3, 3)),
        ("Agentes detuvieron a dos hombres el 2 de marzo.", "es", date(2026, 3, 2)),
        ("Agentes detuvieron a dos hombres el 2/3/2026.", "es", date(2026, 3, 2)),
        ("Agenten haben am 3. März 2026 zwei Männer festgenommen.", "de", date(2026, 3, 3)),
        ("Agenten haben am 2. März zwei Männer festgenommen.", "de", date(2026, 3, 2)),
        ("Agenten haben am 02.03.2026 zwei Männer festgenommen.", "de", date(2026, 3, 2)),
    ],
)
def test_it_reads_absolute_dates_in_three_languages(text: str, lang: str, expected: date) -> None:
    assert found_date(text, lang=lang) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("ICE arrested a man yesterday.", date(2026, 1, 1), date(2025, 12, 31)),
        ("ICE detuvo a un hombre ayer.", date(2026, 3, 1), date(2026, 2, 28)),
        ("ICE hat gestern einen Mann festgenommen.", date(2024, 3, 1), date(2024, 2, 29)),
        ("Anoche la migra se llevó a un vecino.", date(2026, 8, 1), date(2026, 7, 31)),
        ("ICE arrested a man the day before yesterday.", date(2026, 1, 1), date(2025, 12, 30)),
        ("Vorgestern wurde ein Mann verhaftet.", date(2026, 3, 1), date(2026, 2, 27)),
        ("ICE arrested a man this morning.", THU, THU),
        ("Hoy detuvieron a un hombre.", THU, THU),
        ("Heute wurde ein Mann festgenommen.", THU, THU),
        ("Agents arrested a man three days ago.", date(2026, 1, 2), date(2025, 12, 30)),
        ("Detuvieron a un hombre hace dos días.", THU, date(2026, 3, 3)),
        ("Vor zwei Tagen wurde ein Mann festgenommen.", THU, date(2026, 3, 3)),
    ],
)
def test_it_resolves_relative_days_across_month_and_year_ends(
    text: str, published: date, expected: date
) -> None:
    assert found_date(text, published) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # Thursday 2026-03-05: "Tuesday" is two days before; "Thursday" is the same day; "last Thursday" a week before.
        ("Agents detained a man Tuesday morning.", THU, date(2026, 3, 3)),
        ("Agents detained a man on Thursday.", THU, THU),
        ("Agents detained a man last Thursday.", THU, date(2026, 2, 26)),
        ("Agents detained a man last Friday.", THU, date(2026, 2, 27)),
        ("La migra detuvo a un hombre el martes.", THU, date(2026, 3, 3)),
        ("La migra detuvo a un hombre el pasado viernes.", THU, date(2026, 2, 27)),
        ("La migra detuvo a un hombre el viernes pasado.", THU, date(2026, 2, 27)),
        ("Die Polizei hat am Dienstag einen Mann festgenommen.", THU, date(2026, 3, 3)),
        ("Die Polizei hat letzten Freitag einen Mann festgenommen.", THU, date(2026, 2, 27)),
        ("Am Dienstagmorgen wurde ein Mann verhaftet.", THU, date(2026, 3, 3)),
        # Week crossing a year end: published Friday 2027-01-01; "Monday" is 2026-12-28.
        ("ICE detained a man Monday.", date(2027, 1, 1), date(2026, 12, 28)),
        ("ICE detuvo a un hombre el domingo.", date(2027, 1, 1), date(2026, 12, 27)),
        ("Am Samstag wurde ein Mann festgenommen.", date(2027, 1, 1), date(2026, 12, 26)),
    ],
)
def test_it_resolves_weekdays_against_the_publication_date(
    text: str, published: date, expected: date
) -> None:
    assert found_date(text, published) == expected


def test_it_takes_the_year_before_for_a_late_december_date_published_in_january() -> None:
    assert found_date("Agents arrested two men on Dec. 30.", date(2026, 1, 2)) == date(2025, 12, 30)
    assert found_date("Dos hombres fueron detenidos el 28 de diciembre.", date(2027, 1, 3)) == date(
        2026, 12, 28
    )


def test_it_ignores_future_dates_such_as_hearings() -> None:
    text = "ICE detained a man on Tuesday. His hearing is set for March 20."
    assert found_date(text) == date(2026, 3, 3)
    assert found_date("His next hearing is on March 20, 2026.") is None


def test_it_skips_next_weekday() -> None:
    assert found_date("A vigil is planned for next Tuesday.") is None
    assert found_date("Habrá una vigilia el próximo martes.") is None
    assert found_date("Am nächsten Dienstag gibt es eine Mahnwache.") is None


def test_the_absolute_date_after_a_weekday_wins() -> None:
    assert found_date("On Tuesday, Feb. 24, agents detained a man.", date(2026, 3, 5)) == date(2026, 2, 24)
    assert found_date("El martes 24 de febrero detuvieron a un hombre.", date(2026, 3, 5)) == date(
        2026, 2, 24
    )


def test_it_prefers_the_date_in_the_sentence_about_the_arrest() -> None:
    text = "He came to the US on June 5, 2019. ICE arrested him on March 2."
    assert found_date(text) == date(2026, 3, 2)


def test_without_a_publication_date_only_dates_with_a_year_are_proposed() -> None:
    assert found_date("Agents detained a man yesterday.", None) is None
    assert found_date("Agents detained a man on March 3.", None) is None
    assert found_date("Agents detained a man on March 3, 2026.", None) == date(2026, 3, 3)


def test_a_text_without_a_date_has_no_date() -> None:
    assert found_date("Agents detained a man outside a church.") is None
    assert found_date("Domingo was detained outside a church.") is None  # a name, not the weekday


def test_impossible_dates_are_ignored() -> None:
    assert found_date("Agents detained a man on February 30, 2026.") is None
    assert found_date("Agenten nahmen am 31.02.2026 einen Mann fest.") is None
