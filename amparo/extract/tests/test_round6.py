"""One case per family of cues of the sixth round (docs/extract.md): written for these tests, none from a passage set.

Each group names the family; the phrasings are new and vary the words the family covers, in the three languages.
"""

from __future__ import annotations

from datetime import date

import pytest

from amparo.extract import extract

PUBLISHED = date(2026, 3, 6)  # a Friday


def _value(text: str, field: str) -> object:
    result = extract(text, published=PUBLISHED)
    return result[field].value if field in result else None


def _proposal_marks_its_words(text: str, field: str) -> None:
    result = extract(text, published=PUBLISHED)
    proposal = result[field]
    start, end = proposal.span
    assert text[start:end] == proposal.text and proposal.text.strip()


PEOPLE = [
    # Counts written as words: "half a dozen", "media docena", "ein halbes Dutzend", "two dozen".
    ("Federal agents detained half a dozen roofers outside the supply store on Tuesday.", 6),
    ("Immigration officers arrested two dozen workers at the packing plant.", 24),
    ("Agentes detuvieron a media docena de jornaleros frente a la ferretería el martes.", 6),
    ("Am Dienstag nahmen Beamte ein halbes Dutzend Erntehelfer fest.", 6),
    # A Spanish count of arrests ("nueve arrestos") is a count of people.
    ("ICE informó de siete arrestos en el operativo del martes.", 7),
    # Two people in one phrase, the second without an article: "a husband and wife", "Vater und Sohn".
    ("ICE officers arrested a husband and wife at a gas station on Monday.", 2),
    ("Agents detained a father and son as they left the laundromat.", 2),
    ("Am Dienstag wurden Vater und Sohn vor ihrem Haus festgenommen.", 2),
    # "dessen" / "deren" as determiners in German lists.
    ("ICE-Beamte nahmen am Dienstag einen Mann und dessen Bruder fest.", 2),
    ("Die Beamten nahmen eine Frau und deren Sohn fest.", 2),
    # First-hand counts that dispute an official one, with the source before or after the verb, or after "according
    # to" / "nach Angaben von"; a count by people at the scene wins over an official confirmation.
    ("Officials initially said three people were arrested. Relatives later said five had been taken.", 5),
    ("The agency said four people were detained. Witnesses who were there said it was six.", 6),
    (
        "ICE said it arrested four people at the site. Witnesses, however, counted six men being led to the vans.",
        6,
    ),
    ("ICE informó de nueve arrestos; los organizadores, que verificaron los nombres, cuentan once.", 11),
    ("Zunächst war von drei Festnahmen die Rede, später bestätigten Angehörige fünf.", 5),
    ("Nach Angaben von ICE wurden vier Menschen festgenommen; Helfer vor Ort zählten dagegen sieben.", 7),
    ("Laut ICE wurden fünf Menschen festgenommen, Zeugen sprechen von acht.", 8),
    (
        "Im Ort wurden am Freitag vier Tagelöhner festgenommen. Nach Angaben von Helfern vor Ort waren es sogar "
        "sechs. Ein Sprecher des Ministeriums bestätigte vier Festnahmen.",
        6,
    ),
    ("ICE says 5 were arrested. People who were there say 8.", 8),
    # A figure revised with "was" / "es de": "the number was 14".
    ("ICE agents detained 12 men at a car wash. Officials later said the number was 14.", 14),
    # "en realidad fueron seis", "in fact it was six": a correction without "but".
    ("Detuvieron a cuatro hombres el martes. Más tarde ICE dijo que en realidad fueron seis.", 6),
    # One more person in a later sentence: "otro más", "one more", "ein weiterer".
    ("Agentes detuvieron a dos jornaleros. Otro más fue detenido después en el estacionamiento.", 3),
    ("Agents arrested two cooks at the diner. One more was taken from the kitchen an hour later.", 3),
    ("Beamte nahmen zwei Männer fest. Ein weiterer wurde später am Bahnhof festgenommen.", 3),
    # A count corrected on the spot: "fueron cuatro, no tres"; a union's figure ("put the number at 19 and said").
    ("Se llevaron a tres señores. Un voluntario en el lugar confirma que fueron cuatro, no tres.", 4),
    (
        "Agents arrested 14 workers at the plant, the company said. The union put the number at 19 and said "
        "several were later released.",
        19,
    ),
    # ... but "the union said they had worked there between two and eleven years" is no count.
    (
        "Agents arrested four workers. The union said the men had worked there for between two and eleven years.",
        4,
    ),
    # Told as it happens: "se acaban de llevar a", "están deteniendo a".
    ("se acaban de llevar a mi vecino y a su hijo afuera de su casa!!", 2),
    # A count that is the object of a relative clause with its own subject is no agent ("2 guys they took").
    ("The cashier said there were 2 guys they took from the lot.", 2),
    # People named by name: after the verb or the Spanish personal "a", or joined to a person counted.
    ("Se llevaron a don Ramiro, a su esposa y a su nieto.", 3),
    ("Agentes arrestaron el martes a Juan y a María, ambos de Honduras.", 2),
    ("Agents arrested Maria Lopez and her son outside the clinic.", 2),
    ("Agents detained Juan and his wife, Maria, outside their home.", 2),
    # ... but not an agency's name ("Inmigración y Control de Aduanas") or a store ("a Home Depot").
    ("Agentes de Inmigración y Control de Aduanas detuvieron a seis jornaleros.", 6),
    ("Federal agents detained three men outside a Home Depot on Tuesday.", 3),
    # An age before the noun is one person: "ein 34-jähriger Mann und seine 29-jährige Frau".
    ("Festgenommen wurden ein 34-jähriger Mann und seine 29-jährige Frau.", 2),
    ("Those taken included a pastor, two of his congregants and a teenager.", 4),
    # Taken together: "junto con su primo", "along with his two brothers".
    ("Los agentes lo detuvieron en un campo al este del pueblo, junto con su primo.", 2),
    ("Agents detained a roofer on Elm Street along with his two brothers.", 3),
    # People there while it happened are not taken: "während seine beiden Kinder warteten".
    ("Beamte nahmen einen Vater fest, während seine beiden Kinder auf den Bus warteten.", 1),
    # German puts the auxiliary before a subject far from the participle.
    ("In Florida ist ein Vater nach einem Termin bei der Einwanderungsbehörde festgenommen worden.", 1),
    # Slang for a taking: "they got my boy".
    ("yo they got my boy Luis at the bus stop this morning, 2 ice trucks. he was going to work.", 1),
    # Owners and managers are people too; a possessive names someone else ("the owner's nephew").
    ("Agents arrested the owner and three of his employees on Tuesday.", 4),
    ("They took the owner's son and 2 guys who were just shopping.", 3),
]


@pytest.mark.parametrize(("text", "expected"), PEOPLE)
def test_people_taken_families(text: str, expected: int) -> None:
    assert _value(text, "people_taken") == expected
    _proposal_marks_its_words(text, "people_taken")


PLACES = [
    # German and Spanish agency datelines with a hyphen: the city told with the taking beats them.
    (
        "New York (dpa) - Im texanischen El Paso sind am Dienstag sechs Migranten festgenommen worden.",
        "El Paso",
        "TX",
    ),
    (
        "Chicago (dpa) - In der Kleinstadt Waukegan nahmen Beamte am Dienstag zwei Männer fest.",
        "Waukegan",
        "IL",
    ),
    (
        "LOS ÁNGELES, 5 mar (EFE).- Agentes detuvieron el martes a dos hombres en Santa Ana.",
        "Santa Ana",
        "CA",
    ),
    # "en un autolavado de Santa Ana", "in suburban Cicero": the place of the taking after a dateline.
    (
        "LOS ÁNGELES — Agentes detuvieron el martes a dos hombres en un autolavado de Santa Ana.",
        "Santa Ana",
        "CA",
    ),
    ("CHICAGO — Agents detained a man in suburban Cicero on Tuesday, his lawyer said.", "Cicero", "IL"),
    # A vigil "held in" another city is no taking; the bus stop in New Braunfels is the place.
    (
        "SAN ANTONIO (AP) — A woman was detained at a bus stop in New Braunfels on Monday. A vigil was held in San "
        "Antonio later.",
        "New Braunfels",
        "TX",
    ),
    # The city of the place of the taking beats the dateline: "im ICE-Büro in Miramar".
    (
        "Miami - Ein Vater ist nach einem Termin festgenommen worden. Er hatte sich seit Jahren im ICE-Büro in "
        "Miramar gemeldet, wo er am Donnerstag in Gewahrsam genommen wurde.",
        "Miramar",
        "FL",
    ),
    # A city named only as a reference point ("north of", "al este de", "nördlich von") loses to the city named
    # with the taking.
    (
        "Agents detained two men Tuesday in Garland, about 15 miles northeast of Dallas, a lawyer said.",
        "Garland",
        "TX",
    ),
]


@pytest.mark.parametrize(("text", "city", "state"), PLACES)
def test_city_families(text: str, city: str, state: str) -> None:
    assert _value(text, "city") == city
    assert _value(text, "state") == state


PLACE_NAMES = [
    # The name at the place of the taking, not one named before it in passing or where someone was moved.
    ("A vigil was held Sunday at St. Anne's Church. On Friday, agents had arrested two men at the Sunset Motel.",
     "Sunset Motel"),
    ("Organizers from Casa Latina Community Center said agents detained a woman outside the Greenway Apartments.",
     "Greenway Apartments"),
    ("La familia pidió ayuda en la Parroquia San Martín. El martes, agentes detuvieron al padre en el Mercado "
     "La Placita.", "Mercado La Placita"),
    ("He was taken to St. Joseph's Hospital. Agents had detained him outside Roosevelt High School that morning.",
     "Roosevelt High School"),
    # A Spanish kind word in lower case, then the name ("la lavandería La Burbuja"); not "la parroquia de X".
    ("Agentes de ICE detuvieron el martes a un hombre en la lavandería La Burbuja, en la calle Olive.",
     "lavandería La Burbuja"),
    ("Agentes detuvieron a un hombre en la taquería El Güero el martes.", "taquería El Güero"),
    # A German kind word in the genitive.
    ("Auf dem Parkplatz des Krankenhauses St. Joseph wurde am Dienstag eine Frau festgenommen.",
     "Krankenhauses St. Joseph"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), PLACE_NAMES)
def test_place_name_families(text: str, expected: str) -> None:
    assert _value(text, "place_name") == expected
    _proposal_marks_its_words(text, "place_name")


LOCATION_TYPES = [
    # German inflected place words: "des Supermarkts", "vor ihrer Wohnungstür", "der Baustellen", "im Wartezimmer".
    ("Auf dem Parkplatz eines Supermarkts wurde am Dienstag eine Frau festgenommen.", "commercial_retail"),
    ("Vor der Wohnungstür wurde am Dienstag eine Frau festgenommen.", "residence"),
    ("Im Wartezimmer einer Praxis wurde am Dienstag ein Mann festgenommen.", "healthcare"),
    # A stopped car told with a verb: "hielten sein Auto an", "his van was pulled over", "while driving".
    ("Beamte hielten sein Auto auf dem Highway an und nahmen ihn fest.", "vehicle_stop"),
    ("His van was pulled over on Route 9 and agents arrested him.", "vehicle_stop"),
    ("La migra lo detuvo mientras manejaba rumbo al trabajo.", "vehicle_stop"),
    # Chains by name are stores: "in front of the Dollar General on Main St".
    ("ICE took my uncle this morning in front of the Dollar General on Main St.", "commercial_retail"),
    ("Agents detained two men outside the Holiday Inn on the frontage road.", "hotel"),
    # A Spanish plant by its kind: "una planta avícola".
    ("Seis personas fueron detenidas en una redada en una planta avícola.", "worksite"),
    # Shelters for the homeless and soup kitchens are social services, not disaster relief.
    ("In einer Notunterkunft für Obdachlose wurden zwei Männer festgenommen.", "social_services"),
    ("A man was detained at a soup kitchen run by a parish group.", "social_services"),
    # Whom a speaker works for is not where it happened.
    ("Organizers from the Casa Latina Community Center said agents detained a woman outside her apartment.",
     "residence"),
    # A sentence about earlier operations elsewhere gives no location type.
    ("Beamte nahmen am Dienstag zwei Trauergäste am Rand des Friedhofs fest. In den vergangenen Monaten gab es "
     "mehrere Festnahmen im Umfeld von Kirchen.", "ceremony"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), LOCATION_TYPES)
def test_location_type_families(text: str, expected: str) -> None:
    assert _value(text, "location_type") == expected


FORCE = [
    # Blows and holds with the person as object.
    ("Agents detained a man Tuesday. One agent struck him twice, a neighbor said.", True),
    (
        "Agents detained a man Tuesday. An officer grabbed him by the neck and wrestled him into the van.",
        True,
    ),
    ("Agentes detuvieron a un hombre el martes. Le dieron un puñetazo, según su hermana.", True),
    ("Agentes detuvieron a un hombre el martes. Lo jalonearon y le dieron patadas.", True),
    ("Beamte nahmen am Dienstag einen Mann fest. Sie rissen ihn aus dem Auto.", True),
    ("Beamte nahmen am Dienstag einen Mann fest. Ein Beamter schlug ihm ins Gesicht.", True),
    ("Beamte nahmen am Dienstag einen Mann fest. Sie zerrten ihn in den Wagen.", True),
    # The taking told as calm: "the arrest was peaceful", "la detención fue pacífica", "verlief friedlich".
    ("Agents detained a man Tuesday. The arrest was peaceful, his lawyer said.", False),
    ("Agentes detuvieron a un hombre el martes. La detención fue pacífica, dijo su abogado.", False),
    ("Beamte nahmen am Dienstag einen Mann fest. Die Festnahme verlief ruhig.", False),
    # Nobody hurt, told the other way round or as a report, is an observation: no value.
    ("Beamte nahmen am Freitag fünf Angestellte fest. Verletzt wurde niemand.", None),
    ("Agents arrested 14 workers at the plant. No injuries were reported.", None),
    # A denial with more words between: "Gewalt wendeten die Beamten nach ihren Worten nicht an".
    ("Beamte nahmen einen Mann fest. Gewalt wendeten die Beamten nach ihren Worten nicht an.", False),
    # "roughly 40" is a number, not force.
    ("Agents detained roughly 40 workers on Tuesday.", None),
]


@pytest.mark.parametrize(("text", "expected"), FORCE)
def test_force_families(text: str, expected: bool | None) -> None:
    assert _value(text, "force") is expected


CLAIMS = [
    # A title and a name between the source and the verb; a parenthetical after the source.
    ("Agents detained a man Tuesday. ICE spokeswoman Jane Doe said the man had a final order of removal.", 1),
    (
        "Agents detained a man Tuesday. A DHS official, speaking on condition of anonymity, said it was planned.",
        1,
    ),
    (
        "Agents detained a man Tuesday. Police Chief Tom Ruiz told reporters his officers were not involved.",
        1,
    ),
    ("Agentes detuvieron a un hombre el martes. La portavoz de ICE, Ana Ruiz, dijo que tenía una orden.", 1),
    (
        "Beamte nahmen am Dienstag einen Mann fest. Eine ICE-Sprecherin, Maria Lopez, sagte, er sei vorbestraft.",
        1,
    ),
    # More sources and verbs: "el alguacil", "gaben an", "bestritt", "detalló".
    (
        "Agentes detuvieron a un hombre el martes. El alguacil del condado explicó que no colaboran con ICE.",
        1,
    ),
    ("Agentes detuvieron a un hombre el martes. ICE detalló que el hombre tenía antecedentes.", 1),
    ("Beamte nahmen am Dienstag einen Mann fest. Die Behörden gaben an, der Mann habe keine Papiere.", 1),
    ("Beamte nahmen am Dienstag einen Mann fest. Die Polizei bestritt, beteiligt gewesen zu sein.", 1),
    (
        "Beamte nahmen am Dienstag drei Männer fest. Die Highway Patrol erklärte, sie hätten keine Papiere gehabt.",
        1,
    ),
    # Present-tense and posting verbs, "de acuerdo con", "nach Darstellung", "per", a statement that "called".
    (
        "Agentes detuvieron a un hombre. Funcionarios federales sostienen que se trató de un operativo dirigido.",
        1,
    ),
    ("Agentes detuvieron a un hombre. La Patrulla Fronteriza publicó en redes que detuvo a 12 personas.", 1),
    ("Agentes detuvieron a un hombre. De acuerdo con ICE, el hombre tenía una orden de deportación.", 1),
    ("Beamte nahmen einen Mann fest. Nach Darstellung der Behörde hatte er eine Ausreiseverfügung.", 1),
    (
        "Beamte nahmen einen Mann fest. Die Grenzschutzbehörde CBP schrieb auf X, man habe zwölf Personen festgenommen.",
        1,
    ),
    ("Beamte nahmen einen Mann fest. Ein Vertreter der Einwanderungsbehörde bestätigte die Festnahme.", 1),
    ("Agents detained a man. Per ICE, the man had a final order of removal.", 1),
    ("Agents detained a man. An ICE statement called the man a public safety threat.", 1),
    # A label printed on vests is no statement: "chalecos que dicen ICE en la espalda".
    ("Llegaron seis agentes con chalecos que dicen ICE en la espalda y se llevaron a dos.", 0),
    # Not official: a lawyer.
    ("Agents detained a man Tuesday. His lawyer, Ana Ruiz, said he had no record.", 0),
]


@pytest.mark.parametrize(("text", "expected"), CLAIMS)
def test_claim_families(text: str, expected: int) -> None:
    claims = _value(text, "official_claims")
    assert len(claims or []) == expected  # type: ignore[arg-type]


def test_sheriffs_deputies_in_german() -> None:
    assert _value("Deputys des Sheriffs nahmen den Mann fest und übergaben ihn an ICE.", "agencies") == [
        "SHERIFF",
        "ICE_UNSPECIFIED",
    ]


def test_filming_with_a_phone_in_german() -> None:
    text = "Ein Mann wurde am Dienstag festgenommen. Eine Nachbarin hielt die Szene mit dem Handy fest."
    assert _value(text, "media_mentioned") is True


def test_ice_in_lower_case_before_a_vehicle_or_agents() -> None:
    text = "They got my boy Luis at the bus stop on 5th and Main this morning in Santa Ana, 2 ice trucks."
    assert _value(text, "agencies") == ["ICE_UNSPECIFIED"]
    assert _value("We had ice cream after the Sunday service in Santa Ana.", "agencies") is None


def test_a_spanish_place_described_by_its_town_is_no_name() -> None:
    text = "Agentes detuvieron a dos hombres frente a la parroquia de Castroville el martes."
    assert _value(text, "place_name") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An appeal for pictures, a photo the agents showed, "gibt es nicht": nothing says it was filmed.
        (
            "Agentes detuvieron a un hombre. Si usted vio lo ocurrido o tiene fotos, comuníquese con nosotros.",
            None,
        ),
        ("Officers detained a man Tuesday. They showed a paper with the man's photo.", None),
        ("Beamte nahmen einen Mann fest. Eine Aufnahme gibt es nicht.", None),
        # ... while "i got a pic of the trucks" is a picture taken there.
        ("border patrol took 4 people from the library. i got a pic of the trucks outside.", True),
    ],
)
def test_media_families(text: str, expected: bool | None) -> None:
    assert _value(text, "media_mentioned") is expected
