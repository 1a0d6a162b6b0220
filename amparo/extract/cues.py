"""Word lists shared by several extractors: detention verbs and number words in English, Spanish and German."""

from __future__ import annotations

import re

from amparo.extract.text import lowered

# Patterns marked re.IGNORECASE are recompiled by lowered() to run on same_length_lower() text.
__all__ = ["DETENTION", "NUMBER_PATTERN", "NUMBER_WORDS", "TAKEN", "number_value"]

# Verbs and nouns that say people were taken. Used to find the sentence that describes the event.
DETENTION = re.compile(
    r"\b(?:"
    r"detain(?:ed|s|ing)?|detention|arrest(?:ed|s|ing)?|taken\s+into\s+custody|taken\s+away|taken|took|"
    r"picked\s+up|apprehended|seized|grabbed|rounded\s+up|raid(?:ed|s)?|handcuff(?:ed|s)|led\s+(?:\w+\s+){0,3}away|"
    r"(?:handed|turned)\s+(?:\w+\s+){0,3}over\s+to|entregad[oa]s?\s+a|entreg[óo]\s+a|esposad[oa]s?|"
    r"detenid[oa]s?|detuvieron|detuvo|detenci[oó]n(?:es)?|arrestad[oa]s?|arrestaron|arrest[oó]|arrestos?|"
    r"se\s+(?:lo|la|los|las)?\s*llevaron|se\s+llevaron|capturad[oa]s?|capturaron|aprehendid[oa]s?|redada|"
    r"festgenommen|festnahmen?|verhaftet(?:e|en)?|verhaftung(?:en)?|in\s+gewahrsam|abgef[üu]hrt|mitgenommen|"
    r"nahm(?:en)?\s+(?:\S+\s+){0,12}?fest|nahm(?:en)?\s+(?:\S+\s+){1,12}?mit(?=\s*[.,;:])|razzia|abgeholt|geholt|aufgegriffen|[üu]bergeben|in\s+die\s+obhut|"
    r"in\s+handschellen|snatch(?:ed|ing)?|cuffed|handed\s+to|held\s+(?:there|for\s+(?:ice|immigration|federal|deportation|(?:[\w-]+\s+){0,2}?(?:hours?|days?|nights?))|"
    # "held in a county jail", "held at the processing center"; not "a vigil was held in San Antonio".
    r"(?:at|in)\s+(?:(?:a|an|the|his|her)\s+)?(?:[\w'-]+\s+){0,3}?(?:jail|custody|detention|facility|cent(?:er|re)|"
    r"prison|cell|processing|lockup|holding|station|van|truck|car))|agarr(?:aron|[óo])|esposaron|"
    r"en\s+esposas|sacaron|dragged\s+(?:\w+\s+){0,3}?out|arrastraron|bajaron\s+del\s+(?:carro|auto|coche)|"
    r"festgehalten|setzten\s+(?:ihn|sie)\s+in|llevad[oa]s?|entregaron|[üu]bergab|[üu]bergaben|in\s+(?:ein\s+)?abschiebe\w+|abschiebehaft|"
    r"put\s+(?:\w+\s+){0,3}?in(?:to)?\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?(?:vans?|cars?|trucks?|suvs?|buses|sedans?|minivans?|"
    r"pickups?|vehicles?|tahoes?|suburbans?|durangos?|explorers?)|"
    r"(?:go|went|got)\s+in(?:to)?\s+the\s+(?:van|car|suv|truck)|"
    r"pull(?:ed|s|ing)?\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?(?:out\s+of|from|off)\s+(?:the|his|her|their|a)\s+|"
    r"in\s+(?:einen?|ein)\s+(?:\w+\s+)?(?:van|auto|wagen|fahrzeug)\s+gesetzt|"
    # Taken off a bus or train ("bajaron a dos señores del tren"), held in custody, or gone after an appointment
    # ("ya no regresó", "did not come out", "kehrte nicht mehr zurück"): the taking said without an arrest word.
    r"baj(?:ar|aron|[óo])\s+(?:a\s+)?(?:\S+\s+){0,4}?del?\s+(?:tren|autob[uú]s|bus|cami[oó]n|carro|auto|coche|vag[oó]n)|"
    r"se\s+(?:lo|la|los|las)\s+llev[oó]|se\s+llev[oó]|"
    # Slang: "they got my boy", "ICE picked up my cousin" (the subject is part of the cue).
    r"(?:they|ice|agents|immigration|cops|la\s+migra)\s+(?:just\s+)?got(?=\s+(?:my|his|her|our|their|him|them|"
    r"\d|two|three|four|five|six)\b)|"
    # "se acaban de llevar a mi vecino", "están deteniendo a", "acaba de arrestar a": told as it happens.
    r"se\s+(?:(?:lo|la|los|las)\s+)?(?:acaban?\s+de\s+llevar|est[áa]n\s+llevando|llevan\s+a)|"
    r"acaban?\s+de\s+(?:detener|arrestar|llevarse|agarrar|levantar)|est[áa]n\s+(?:deteniendo|arrestando|agarrando)|released\s+(?:\w+\s+){0,2}?to\s+(?:ice|immigration|federal|border)|"
    r"(?:ya\s+)?no\s+(?:sali[óo]|regres[óo]|volvi[óo])|(?:did\s+not|didn['\u2019]t|never)\s+(?:come\s+(?:out|back|home)|return)|"
    r"kam\s+(?:er\s+|sie\s+)?nicht\s+(?:mehr\s+)?(?:heraus|zur[üu]ck|nach\s+hause)|"
    r"kehrte\s+(?:er\s+|sie\s+)?nicht\s+(?:mehr\s+)?(?:nach\s+hause\s+)?zur[üu]ck|"
    # "los subieron a una camioneta", "subieron a dos señores a una camioneta blanca": put into a vehicle.
    r"subieron\s+(?:a\s+)?(?:\S+\s+){0,4}?(?:a|en)\s+(?:una?|la|el|las|los)\s+(?:\w+\s+)?(?:camionetas?|van|vans|carros?|"
    r"patrullas?|trocas?|autos?|veh[íi]culos?|minivan|suv)"
    r")\b",
    re.IGNORECASE,
)

DETENTION = lowered(DETENTION)
# Also "was in ICE custody", "bajo custodia de ICE": a state, not the taking, so it does not pick the date's sentence,
# but it lets the people in that sentence be counted.
TAKEN = re.compile(
    DETENTION.pattern[: -len(")\\b")]
    + r"|in\s+(?:ice|cbp|federal|immigration|border\s+patrol)\s+custody|(?:bajo|en)\s+(?:la\s+)?custodia\s+de|"
    # People named by their taking: "von einunddreißig Festgenommenen", "the detainees", "los detenidos".
    r"festgenommenen|verhafteten|inhaftierten|detainees|arrestees)\b"
)

NUMBER_WORDS: dict[str, int] = {
    # English
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a dozen": 12, "a couple of": 2, "a pair of": 2, "half a dozen": 6, "a half-dozen": 6, "a half dozen": 6,
    "two dozen": 24, "three dozen": 36,
    # Spanish
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
    "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "treinta": 30,
    "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
    "una docena de": 12, "media docena de": 6, "una decena de": 10, "una veintena de": 20, "dos docenas de": 24, "veintiuno": 21, "veintiún": 21, "veintidós": 22, "veintidos": 22, "veintitrés": 23,
    "veintitres": 23, "veinticuatro": 24, "veinticinco": 25, "veintiséis": 26, "veintiseis": 26, "veintisiete": 27,
    "veintiocho": 28, "veintinueve": 29,
    # German
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17,
    "achtzehn": 18, "neunzehn": 19, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50,
    "ein dutzend": 12, "einem dutzend": 12, "ein halbes dutzend": 6, "einem halben dutzend": 6, "zwei dutzend": 24,
    "beiden": 2, "beide": 2, "dreissig": 30, "fuenf": 5, "zwoelf": 12, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
    # "both", "ambos": two
    "both": 2, "ambos": 2, "ambas": 2,
}  # fmt: skip

_TENS = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = r"one|two|three|four|five|six|seven|eight|nine"
# Spanish "treinta y dos" and German "dreiundzwanzig", "einunddreißig": tens and units written as one number.
_ES_TENS = r"treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa"
_ES_UNITS = r"uno|un|dos|tres|cuatro|cinco|seis|siete|ocho|nueve"
_DE_UNITS = r"ein|zwei|drei|vier|f[üu]nf|sechs|sieben|acht|neun"
_DE_TENS = r"zwanzig|drei[ßs]ig|vierzig|f[üu]nfzig|sechzig|siebzig|achtzig|neunzig"
_DE_UNIT_VALUE = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "funf": 5, "sechs": 6, "sieben": 7, "acht": 8,
                  "neun": 9}  # fmt: skip
_DE_COMPOUND = re.compile(rf"({_DE_UNITS})und({_DE_TENS})")
_ES_COMPOUND = re.compile(rf"({_ES_TENS})\s+y\s+({_ES_UNITS})")
_WORDS = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in NUMBER_WORDS), key=len, reverse=True))
# A count: digits, "twenty-five", "treinta y dos", "dreiundzwanzig", or a number word.
NUMBER_PATTERN = (
    rf"(?:\d{{1,4}}|(?:{_TENS})-(?:{_UNITS})|(?:{_ES_TENS})\s+y\s+(?:{_ES_UNITS})|(?:{_DE_UNITS})und(?:{_DE_TENS})|"
    rf"{_WORDS})"
)


def number_value(token: str) -> int | None:
    """The integer a count token stands for, or None."""
    token = " ".join(token.lower().split())
    if token.isdigit():
        return int(token)
    if m := _DE_COMPOUND.fullmatch(token):
        return _DE_UNIT_VALUE[m[1]] + NUMBER_WORDS[m[2].replace("ss", "ß").replace("funf", "fünf")]
    if m := _ES_COMPOUND.fullmatch(token):
        return NUMBER_WORDS[m[1]] + (1 if m[2] == "un" else NUMBER_WORDS[m[2]])
    if "-" in token:
        tens, _, unit = token.partition("-")
        if tens in NUMBER_WORDS and unit in NUMBER_WORDS:
            return NUMBER_WORDS[tens] + NUMBER_WORDS[unit]
        return None
    return NUMBER_WORDS.get(token)
