"""City, state and named places from the offline gazetteer."""

from __future__ import annotations

import pytest

from amparo.extract import extract


def values(text: str, lang: str | None = None) -> dict[str, object]:
    result = extract(text, lang=lang)
    for name in ("city", "state", "place_name"):
        if name in result:
            proposal = result[name]
            assert text[proposal.span[0] : proposal.span[1]] == proposal.text
    return {name: result[name].value for name in ("city", "state", "place_name") if name in result}


@pytest.mark.parametrize(
    ("text", "city", "state"),
    [
        ("SANTA ANA, Calif. — Agents detained three men.", "Santa Ana", "CA"),
        ("Agents detained a man in Houston, Texas, on Monday.", "Houston", "TX"),
        ("Agents detained a man in St. Paul, Minn., on Monday.", "Saint Paul", "MN"),
        ("Agents detained a man in Portland, Maine.", "Portland", "ME"),
        ("Agents detained a man in Portland, OR.", "Portland", "OR"),
        ("La migra detuvo a un hombre en Los Ángeles, California.", "Los Angeles", "CA"),
        ("Redada en Nueva York: ICE detuvo a cinco personas.", "New York City", "NY"),
        ("Agentes detuvieron a un hombre en Albuquerque, Nuevo México.", "Albuquerque", "NM"),
        ("In San Jose, Kalifornien, wurden zwei Männer festgenommen.", "San Jose", "CA"),
        ("In Charlotte, North Carolina, wurden zwei Männer festgenommen.", "Charlotte", "NC"),
        ("In Raleigh, Carolina del Norte, detuvieron a dos hombres.", "Raleigh", "NC"),
    ],
)
def test_it_finds_city_and_state_written_together(text: str, city: str, state: str) -> None:
    got = values(text)
    assert (got.get("city"), got.get("state")) == (city, state)


def test_it_infers_the_state_of_an_unambiguous_city_with_lower_confidence() -> None:
    result = extract("ICE agents detained two men in Chicago on Tuesday.")
    assert result["city"].value == "Chicago"
    assert result["state"].value == "IL"
    assert result["state"].confidence < result["city"].confidence


def test_a_state_named_elsewhere_in_the_text_decides_an_ambiguous_city() -> None:
    text = "Agents detained a man in Springfield on Monday. Illinois advocates condemned the arrest."
    got = values(text)
    assert got["city"] == "Springfield" and got["state"] == "IL"


def test_an_ambiguous_city_alone_gets_no_state() -> None:
    got = values("Agents detained a man in Springfield on Monday.")
    assert got.get("city") == "Springfield"
    assert "state" not in got


@pytest.mark.parametrize(
    "text",
    [
        "Agents detained a man after Independence Day.",
        "Mobile phones recorded the arrest.",
        "A mobile unit arrived. Independence was on everyone's mind.",
        "Agents detained a man near the Mission.",
    ],
)
def test_common_words_that_are_city_names_are_not_cities_alone(text: str) -> None:
    assert "city" not in values(text)


def test_common_words_are_cities_with_their_state() -> None:
    assert values("Police in Mobile, Alabama, said ICE detained a man.")["city"] == "Mobile"
    assert values("ICE detained a man in Independence, Missouri.")["city"] == "Independence"
    assert values("ICE detained a man in Mobile. Alabama officials said nothing.")["city"] == "Mobile"


def test_a_county_or_a_school_name_is_not_a_city() -> None:
    assert "city" not in values("The Maricopa County jail released him to ICE.")
    assert (
        values("Parents at Roosevelt Elementary School in Chicago said ICE detained a father.")["city"]
        == "Chicago"
    )


def test_new_york_state_is_not_the_city() -> None:
    got = values("ICE detained farmworkers in upstate New York.")
    assert got.get("state") == "NY" and "city" not in got
    got = values("ICE detained two men in Washington, D.C., on Monday.")
    assert (got["city"], got["state"]) == ("Washington", "DC")


def test_a_state_alone_is_proposed_without_a_city() -> None:
    got = values("Border Patrol agents detained ten workers on a farm in rural Georgia.")
    assert got == {"state": "GA"}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Agents detained two men outside a Home Depot.", "Home Depot"),
        ("Agents detained a man outside St. Mary's Church on Sunday.", "St. Mary's Church"),
        ("Parents at Roosevelt Elementary School said ICE detained a father.", "Roosevelt Elementary School"),
        ("Guests at the Sunset Motel said agents arrested eight people.", "Sunset Motel"),
        ("Parishioners at Our Lady of Guadalupe Church held a vigil.", "Our Lady of Guadalupe Church"),
        ("Shoppers at the Plaza Mexico mall said agents detained a vendor.", "Plaza Mexico"),
        ("ICE esperó en la Clínica La Esperanza y detuvo a un paciente.", "Clínica La Esperanza"),
        ("Feligreses de la Iglesia de San José dijeron que detuvieron a dos hombres.", "Iglesia de San José"),
        ("Vor der St.-Marien-Kirche wurden zwei Männer festgenommen.", "St.-Marien-Kirche"),
        ("Im Krankenhaus St. Joseph wurde eine Frau verhaftet.", "Krankenhaus St. Joseph"),
    ],
)
def test_it_finds_named_places(text: str, place: str) -> None:
    assert values(text).get("place_name") == place


def test_generic_places_are_not_named_places() -> None:
    got = values("Agents detained a man outside a church near a school.")
    assert "place_name" not in got
