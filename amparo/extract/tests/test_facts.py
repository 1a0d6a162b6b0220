"""Location type, agencies, people taken, force, media and official claims in English, Spanish and German."""

from __future__ import annotations

import pytest

from amparo.extract import extract

LOCATION_CASES = [
    ("residence", "ICE agents arrested a father outside his home."),
    ("residence", "Agentes de ICE detuvieron a un padre frente a su casa."),
    ("residence", "ICE-Agenten nahmen einen Vater vor seiner Wohnung fest."),
    ("street_public", "Agents grabbed a man from the sidewalk."),
    ("street_public", "Agentes detuvieron a un hombre en la calle."),
    ("street_public", "Agenten nahmen einen Mann an der Bushaltestelle fest."),
    ("vehicle_stop", "Deputies detained a man during a traffic stop."),
    ("vehicle_stop", "Detuvieron a un hombre en una parada de tráfico."),
    ("vehicle_stop", "Bei einer Verkehrskontrolle wurde ein Mann festgenommen."),
    ("transit", "Agents detained two women at the bus station."),
    ("transit", "Detuvieron a dos mujeres en una estación de metro."),
    ("transit", "Am Bahnhof wurden zwei Frauen festgenommen."),
    ("day_labor_site", "Agents detained day laborers outside a Home Depot."),
    ("day_labor_site", "La migra se llevó a cinco jornaleros."),
    ("day_labor_site", "Vor einem Baumarkt wurden sechs Tagelöhner festgenommen."),
    ("commercial_retail", "Agents detained a shopper at a gas station."),
    ("commercial_retail", "Detuvieron a un cliente en una tienda."),
    ("commercial_retail", "In einem Supermarkt wurde ein Kunde festgenommen."),
    ("worksite", "Agents raided a meatpacking plant and detained 70 workers."),
    ("worksite", "Redada en una fábrica: detuvieron a 40 trabajadores."),
    ("worksite", "Bei einer Razzia auf einer Baustelle wurden Arbeiter festgenommen."),
    ("courthouse_immigration", "A man was arrested after his hearing at the immigration court."),
    ("courthouse_immigration", "Un joven fue arrestado en la corte de inmigración."),
    ("courthouse_immigration", "Vor dem Einwanderungsgericht wurde ein Mann festgenommen."),
    ("courthouse_criminal", "He was handed over to ICE at the criminal court."),
    ("courthouse_criminal", "Fue entregado a ICE en el tribunal penal."),
    ("courthouse_criminal", "Er wurde vor dem Strafgericht festgenommen."),
    ("courthouse_noncriminal", "A mother was detained at family court."),
    ("courthouse_noncriminal", "Una madre fue detenida en la corte familiar."),
    ("courthouse_noncriminal", "Eine Mutter wurde vor dem Familiengericht festgenommen."),
    ("ice_checkin", "Five men were detained at their check-in at the ICE field office."),
    ("ice_checkin", "Fueron detenidos en su cita de control en la oficina de ICE."),
    ("ice_checkin", "Beim Meldetermin wurden vier Männer festgenommen."),
    ("uscis_office", "He was arrested at his green card interview at USCIS."),
    ("uscis_office", "Fue arrestada en su entrevista de residencia."),
    ("uscis_office", "Beim Einbürgerungsgespräch wurde er verhaftet."),
    ("jail_transfer", "The county jail released him to ICE."),
    ("jail_transfer", "Lo entregaron a ICE al salir de la cárcel."),
    ("jail_transfer", "Das Gefängnis übergab ihn an ICE."),
    ("probation_parole", "He was arrested at the probation office."),
    ("probation_parole", "Fue arrestado en la oficina de libertad condicional."),
    ("probation_parole", "Er wurde beim Bewährungshelfer festgenommen."),
    ("school", "Agents detained a father outside the elementary school."),
    ("school", "Detuvieron a una madre frente a la escuela."),
    ("school", "Vor der Grundschule wurde ein Vater festgenommen."),
    ("children_gather", "Two teens were arrested near a playground."),
    ("children_gather", "Arrestaron a dos jóvenes cerca de un parque infantil."),
    ("children_gather", "Am Spielplatz wurden zwei Jugendliche festgenommen."),
    ("healthcare", "Agents detained a patient at the hospital."),
    ("healthcare", "Detuvieron a un paciente en la clínica."),
    ("healthcare", "Im Krankenhaus wurde eine Patientin verhaftet."),
    ("place_of_worship", "Agents detained a man outside the church."),
    ("place_of_worship", "Detuvieron a dos hombres frente a la iglesia."),
    ("place_of_worship", "Vor der Kirche wurden drei Männer festgenommen."),
    ("social_services", "Two men were detained at a food bank."),
    ("social_services", "Arrestaron a tres hombres en un albergue."),
    ("social_services", "Vor der Tafel wurden zwei Männer festgenommen."),
    ("disaster_relief", "Agents appeared at an emergency shelter after the floods."),
    ("disaster_relief", "Agentes llegaron a un centro de evacuación."),
    ("disaster_relief", "Agenten kamen in eine Notunterkunft für Waldbrandopfer."),
    ("ceremony", "Agents detained a man at a funeral."),
    ("ceremony", "Detuvieron a un hombre durante un velorio."),
    ("ceremony", "Auf einer Hochzeit wurde der Bräutigam festgenommen."),
    ("demonstration", "Twelve protesters were arrested at a rally."),
    ("demonstration", "Doce personas fueron arrestadas en una manifestación."),
    ("demonstration", "Bei einer Kundgebung wurden 15 Menschen festgenommen."),
    ("hotel", "Agents arrested eight people at a motel."),
    ("hotel", "Se llevaron a seis personas de un motel."),
    ("hotel", "In einem Hotel wurden acht Menschen festgenommen."),
    ("airport_port", "She was detained at the airport."),
    ("airport_port", "Fue detenido en el aeropuerto."),
    ("airport_port", "Am Flughafen wurde sie festgenommen."),
    ("other", "Agents detained two fishermen at the boat ramp."),
    ("other", "Detuvieron a un joven en una biblioteca."),
    ("other", "Auf einem Campingplatz wurden zwei Männer festgenommen."),
]


@pytest.mark.parametrize(("code", "text"), LOCATION_CASES)
def test_it_finds_every_location_type_in_three_languages(code: str, text: str) -> None:
    proposal = extract(text)["location_type"]
    assert proposal.value == code
    assert text[proposal.span[0] : proposal.span[1]] == proposal.text


def test_the_place_in_the_sentence_about_the_arrest_wins() -> None:
    text = "She had just left the church. Agents detained her at a bus stop."
    assert extract(text)["location_type"].value == "street_public"
    assert (
        extract("A man was detained outside a Home Depot near his home.")["location_type"].value
        == "day_labor_site"
    )


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("ICE and Border Patrol agents detained two men.", ["ICE_UNSPECIFIED", "CBP_USBP"]),
        ("Homeland Security Investigations agents raided a plant.", ["ICE_HSI"]),
        ("ICE ERO officers arrested a man.", ["ICE_ERO"]),
        ("CBP officers at the airport detained a student.", ["CBP_OFO"]),
        ("Federal agents and the Los Angeles police were there.", ["UNKNOWN_FEDERAL", "LOCAL_POLICE"]),
        ("U.S. Marshals and the FBI joined the operation.", ["USMS", "FBI"]),
        ("The National Guard and state troopers blocked the road.", ["NATIONAL_GUARD_STATE", "STATE_POLICE"]),
        (
            "Sheriff's deputies handed him to ICE under a 287(g) agreement.",
            ["SHERIFF_287G", "ICE_UNSPECIFIED"],
        ),
        ("La migra y la Patrulla Fronteriza detuvieron a dos hombres.", ["ICE_UNSPECIFIED", "CBP_USBP"]),
        ("Agentes federales y la policía local llegaron.", ["UNKNOWN_FEDERAL", "LOCAL_POLICE"]),
        ("Beamte der Einwanderungsbehörde ICE nahmen zwei Männer fest.", ["ICE_UNSPECIFIED"]),
        ("Der Grenzschutz und die Polizei nahmen zwei Männer fest.", ["CBP_USBP", "LOCAL_POLICE"]),
    ],
)
def test_it_finds_agencies(text: str, codes: list[str]) -> None:
    proposal = extract(text)["agencies"]
    assert proposal.value == codes
    assert [part.value for part in proposal.parts] == codes
    for part in proposal.parts:
        assert text[part.span[0] : part.span[1]] == part.text


def test_ice_means_the_agency_only_in_capitals() -> None:
    assert "agencies" not in extract("The roads were covered in ice when agents arrived.")


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Agents detained three men outside a store.", 3),
        ("Agents detained two men and a woman.", 3),
        ("At least 70 workers were detained.", 70),
        ("ICE arrested twenty-five people.", 25),
        ("A man was detained by ICE.", 1),
        ("Agents arrested a 41-year-old father.", 1),
        ("About 200 people gathered after agents detained a church volunteer.", 1),
        ("A mother who came to family court in Salem for a custody hearing was detained by two agents.", 1),
        ("Eine Mutter wurde nach einer Anhörung vor dem Familiengericht in Austin festgenommen.", 1),
        ("Agentes se llevaron a cinco jornaleros.", 5),
        ("Dos personas fueron detenidas.", 2),
        ("Más de 40 trabajadores fueron detenidos.", 40),
        ("Un joven fue arrestado en la corte.", 1),
        ("ICE detuvo a una docena de trabajadores.", 12),
        ("Fünf Menschen wurden festgenommen.", 5),
        ("Agenten nahmen am 29. Dezember zwei Männer fest.", 2),
        ("Mindestens 15 Demonstranten wurden verhaftet.", 15),
        ("No one was detained, officials said.", 0),
        ("No hubo detenciones.", 0),
        ("Es gab keine Festnahmen.", 0),
    ],
)
def test_it_counts_people_taken(text: str, count: int) -> None:
    proposal = extract(text)["people_taken"]
    assert proposal.value == count
    assert text[proposal.span[0] : proposal.span[1]] == proposal.text


@pytest.mark.parametrize(
    "text",
    [
        "Three agents arrived in two vehicles.",
        "Tres agentes llegaron en dos camionetas.",
        "Drei Agenten kamen in zwei Fahrzeugen.",
        "Five people watched from across the street.",
        "A woman who recorded the arrest of her neighbours across the street was interviewed later.",
    ],
)
def test_counts_of_agents_vehicles_or_onlookers_are_not_people_taken(text: str) -> None:
    assert "people_taken" not in extract(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Agents tackled a man and used pepper spray.", True),
        ("The agents had their guns drawn.", True),
        ("Los agentes lo tiraron al suelo.", True),
        ("Los agentes llevaban armas largas.", True),
        ("Die Beamten setzten Tränengas ein.", True),
        ("Die Agenten stießen ihn zu Boden.", True),
        ("DHS said the man was arrested without incident.", False),
        ("Fue detenido sin violencia.", False),
        ("Er wurde ohne Gewalt festgenommen.", False),
    ],
)
def test_it_notes_force(text: str, value: bool) -> None:
    assert extract(text)["force"].value is value


def test_no_mention_of_force_leaves_force_absent() -> None:
    assert "force" not in extract("Agents detained a man outside a store.")
    assert "force" not in extract("A task force met on Monday.")


@pytest.mark.parametrize(
    "text",
    [
        "A neighbor filmed the arrest.",
        "Video posted to Facebook shows the arrest.",
        "Un testigo grabó la redada.",
        "Varias personas transmitieron en vivo.",
        "Passanten filmten die Festnahme.",
        "Fotos zeigen die Agenten.",
    ],
)
def test_it_notes_media(text: str) -> None:
    assert extract(text)["media_mentioned"].value is True


def test_no_media_leaves_media_absent() -> None:
    assert "media_mentioned" not in extract("Agents detained a man outside a store.")


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("Agents detained a man. DHS said he had a removal order.", "DHS said he had a removal order."),
        (
            "A man was detained. According to ICE, he was a gang member.",
            "According to ICE, he was a gang member.",
        ),
        (
            "Agents detained a man. An ICE spokesperson said he had a record.",
            "An ICE spokesperson said he had a record.",
        ),
        (
            "Detuvieron a un hombre. Según ICE, tenía una orden de deportación.",
            "Según ICE, tenía una orden de deportación.",
        ),
        ("Detuvieron a un hombre. El DHS afirmó que era peligroso.", "El DHS afirmó que era peligroso."),
        (
            "Ein Mann wurde festgenommen. Laut DHS hatte er eine Vorstrafe.",
            "Laut DHS hatte er eine Vorstrafe.",
        ),
        (
            "Ein Mann wurde festgenommen. Ein Sprecher sagte, er sei vorbestraft.",
            "Ein Sprecher sagte, er sei vorbestraft.",
        ),
    ],
)
def test_it_finds_official_claims(text: str, claim: str) -> None:
    proposal = extract(text)["official_claims"]
    assert proposal.value == [claim]
    part = proposal.parts[0]
    assert text[part.span[0] : part.span[1]] == claim


def test_witness_statements_are_not_official_claims() -> None:
    assert "official_claims" not in extract("A neighbor said the agents wore masks.")
    assert "official_claims" not in extract("Según testigos, los agentes llevaban máscaras.")
