"""How the extractor weighs competing cues in news-length text (issue 14, fourth round).

Each case is one mechanism: where the taking is told decides the location type, a participle after a count is not
an agent, a denied agency is dropped from the whole text, a sentence about other weeks gives no agency and no force.
The texts are written for these tests; none is taken from an evaluation set.
"""

from __future__ import annotations

from datetime import date

import pytest

from amparo.extract import extract
from amparo.extract.cues import number_value

PUBLISHED = date(2026, 5, 6)


def _get(text: str, field: str) -> object:
    result = extract(text, published=PUBLISHED)
    return result[field].value if field in result else None


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("dreiundzwanzig", 23),
        ("einunddreißig", 31),
        ("fünfundvierzig", 45),
        ("treinta y dos", 32),
        ("cuarenta y un", 41),
        ("veintisiete", 27),
        ("sixty-three", 63),
        ("noventa", 90),
    ],
)
def test_compound_number_words_have_their_value(token: str, value: int) -> None:
    assert number_value(token) == value


@pytest.mark.parametrize(
    ("text", "count"),
    [
        # A participle after the count: the workers were detained, they did not detain anyone.
        (
            "Agents raided a bakery on Friday. The union confirmed 12 workers detained; rumours had said 20.",
            12,
        ),
        ("Three cleaners arrested at the depot on Monday were moved to Tacoma.", 3),
        # An active verb with an object after the count: the count is the agents.
        ("Two men in plain clothes arrested a cook outside the diner.", 1),
        # One person said with a pronoun and a verb of putting away.
        ("Agents stopped a man on the path. They put him in a grey van and left.", 1),
        # Gone after an appointment: the taking without an arrest word.
        ("Su esposo fue a su cita en la oficina de inmigración y ya no regresó.", 1),
        ("Ihr Mann ging zum Termin bei der Behörde und kam nicht mehr nach Hause zurück.", 1),
        # Compound number words.
        ("Bei der Razzia wurden einundzwanzig Arbeiter festgenommen.", 21),
        ("Detuvieron a treinta y dos trabajadores en la planta.", 32),
        # A person "with" a child, then another person: two taken.
        ("Una mujer con su bebé y un hombre mayor fueron detenidos en la terminal.", 2),
        # Job nouns in three languages.
        ("ICE se llevó a un albañil y a un pintor de la obra.", 2),
        ("Beamte haben unseren Kellner und einen Spüler mitgenommen.", 2),
        ("Agents detained a dishwasher and a waitress at the back door.", 2),
        # "de los": a part of a named group.
        ("La migra se llevó a 3 de los muchachos que lavan carros.", 3),
    ],
)
def test_people_taken_reads_participles_pronouns_and_number_words(text: str, count: int) -> None:
    assert _get(text, "people_taken") == count


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # A stopped car beats the home or ceremony it was leaving.
        (
            "Family members left a baptism party at a house on Oak Street. Agents stopped their car at the corner "
            "and detained the father.",
            "vehicle_stop",
        ),
        # A landmark next to the place is not the place; a protected place right outside is.
        ("Detuvieron a un señor en la parada del autobús frente a la tienda.", "street_public"),
        ("Agents detained a mother on the sidewalk in front of the clinic.", "healthcare"),
        # A street after a place is its address.
        ("At the library on 9th ave agents detained two readers.", "other"),
        # The jail a detainee was moved to is not where he was taken; a hand-over from a jail is.
        (
            "A cook was detained after his green card interview at the USCIS office. He is being held in a county "
            "jail two hours away.",
            "uscis_office",
        ),
        (
            "After his arrest for a broken tail light, the county jail turned him over to ICE.",
            "jail_transfer",
        ),
        # Workers taken at a store: a worksite.
        ("Agents detained two employees at a tire shop on Main Street.", "worksite"),
        # A place in a sentence of advice loses to the place of the taking.
        (
            "Agents arrested a man outside his apartment. If your school or church wants a training, write to us.",
            "residence",
        ),
    ],
)
def test_location_type_follows_where_the_taking_is_told(text: str, code: str) -> None:
    assert _get(text, "location_type") == code


def test_a_text_with_no_incident_proposes_no_location_type() -> None:
    text = (
        "Thank you to everyone who came to the fair at the community center. Lawyers answered questions all day "
        "and a bakery donated bread. Next month we meet at the library."
    )
    assert _get(text, "location_type") is None


@pytest.mark.parametrize(
    ("text", "agencies"),
    [
        ("Agents with ICE patches detained a man. City police were not around.", ["ICE_UNSPECIFIED"]),
        (
            "ICE detained a man. The police department said it received no request for help.",
            ["ICE_UNSPECIFIED"],
        ),
        ("ICE detained a man. County police had no part in it.", ["ICE_UNSPECIFIED"]),
        # Denied later in the text: dropped, also where it was first named as a rumour.
        (
            "People say it was ICE, I can't tell. Officers took a teen from the store in cuffs. Later the police "
            "posted that it was a theft call and ICE was not there.",
            ["LOCAL_POLICE"],
        ),
        ("lo que pasó en el mercado NO fue migra, era la policía buscando a un ladrón", ["LOCAL_POLICE"]),
        # Silent is not a denial: the agency named at the arrest stays.
        (
            "ICE agents detained two women at the bus station. ICE did not respond to questions.",
            ["ICE_UNSPECIFIED"],
        ),
        # Denied taking part, but still blocked the streets: taking part.
        (
            "Beamte der Einwanderungsbehörde nahmen drei Männer fest. Die Polizei erklärte, sie sei nicht "
            "beteiligt gewesen und habe nur die Straße gesperrt.",
            ["ICE_UNSPECIFIED", "LOCAL_POLICE"],
        ),
        # Another time: not this incident's agencies.
        (
            "Border Patrol agents detained four men at a car wash. In recent weeks the National Guard patrolled "
            "the same avenue.",
            ["CBP_USBP"],
        ),
        ("A TV crew filmed with fake police cars on the corner; nobody was detained.", None),
    ],
)
def test_agencies_the_text_denies_or_only_mentions_are_dropped(text: str, agencies: list[str] | None) -> None:
    assert _get(text, "agencies") == agencies


@pytest.mark.parametrize(
    ("text", "force"),
    [
        ("Two men who said they were ICE put him in a car. Staff did not see any force.", None),
        (
            "ICE detained a man at the depot. In recent weeks officers used tear gas at protests downtown.",
            None,
        ),
        ("ICE detained a man at the depot and an agent shoved his brother.", True),
    ],
)
def test_force_ignores_observations_and_other_events(text: str, force: bool | None) -> None:
    assert _get(text, "force") is force


def test_a_custody_state_counts_people_but_does_not_pick_the_date() -> None:
    text = (
        "A coach was arrested by deputies on Tuesday night and, within hours, was in ICE custody. Today his "
        "friends say he is in ICE custody in another state."
    )
    result = extract(text, published=date(2026, 3, 19))  # a Thursday
    assert result["people_taken"].value == 1
    assert result["date"].value == date(2026, 3, 17)
