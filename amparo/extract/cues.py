"""Word lists shared by several extractors: detention verbs and number words in English, Spanish and German."""

from __future__ import annotations

import re

from amparo.extract.text import lowered

# Patterns marked re.IGNORECASE are recompiled by lowered() to run on same_length_lower() text.
__all__ = ["DETENTION", "NUMBER_PATTERN", "NUMBER_WORDS", "number_value"]

# Verbs and nouns that say people were taken. Used to find the sentence that describes the event.
DETENTION = re.compile(
    r"\b(?:"
    r"detain(?:ed|s|ing)?|detention|arrest(?:ed|s|ing)?|taken\s+into\s+custody|taken\s+away|taken|took|"
    r"picked\s+up|apprehended|seized|grabbed|rounded\s+up|raid(?:ed|s)?|handcuff(?:ed|s)|led\s+(?:\w+\s+){0,3}away|"
    r"(?:handed|turned)\s+(?:\w+\s+){0,3}over\s+to|entregad[oa]s?\s+a|entreg[óo]\s+a|esposad[oa]s?|"
    r"detenid[oa]s?|detuvieron|detuvo|detenci[oó]n(?:es)?|arrestad[oa]s?|arrestaron|arrest[oó]|"
    r"se\s+(?:lo|la|los|las)?\s*llevaron|se\s+llevaron|capturad[oa]s?|capturaron|aprehendid[oa]s?|redada|"
    r"festgenommen|festnahmen?|verhaftet|verhaftung(?:en)?|in\s+gewahrsam|abgef[üu]hrt|mitgenommen|"
    r"nahmen\s+(?:\S+\s+){0,8}?fest|razzia|abgeholt|geholt|aufgegriffen|[üu]bergeben|in\s+die\s+obhut|"
    r"in\s+handschellen|snatch(?:ed|ing)?|cuffed|handed\s+to|held\s+(?:at|in|for)|agarr(?:aron|[óo])|esposaron|"
    r"en\s+esposas|sacaron|dragged\s+(?:\w+\s+){0,3}?out|arrastraron|bajaron\s+del\s+(?:carro|auto|coche)|"
    r"festgehalten|setzten\s+(?:ihn|sie)\s+in|llevad[oa]s?|entregaron|[üu]bergab|[üu]bergaben|in\s+(?:ein\s+)?abschiebe\w+|abschiebehaft|"
    r"put\s+(?:\w+\s+){0,3}?in(?:to)?\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?(?:vans?|cars?|trucks?|suvs?|buses)|"
    r"(?:go|went|got)\s+in(?:to)?\s+the\s+(?:van|car|suv|truck)|"
    r"pull(?:ed|s|ing)?\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?(?:out\s+of|from)\s+(?:the|his|her|their|a)\s+|"
    r"in\s+(?:einen?|ein)\s+(?:\w+\s+)?(?:van|auto|wagen|fahrzeug)\s+gesetzt"
    r")\b",
    re.IGNORECASE,
)

DETENTION = lowered(DETENTION)

NUMBER_WORDS: dict[str, int] = {
    # English
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "a dozen": 12, "a couple of": 2, "a pair of": 2,
    # Spanish
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
    "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "treinta": 30,
    "cuarenta": 40, "cincuenta": 50, "una docena de": 12,
    # German
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17,
    "achtzehn": 18, "neunzehn": 19, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50,
    "ein dutzend": 12, "beiden": 2,
    # "both", "ambos": two
    "both": 2, "ambos": 2, "ambas": 2,
}  # fmt: skip

_TENS = r"twenty|thirty|forty|fifty"
_UNITS = r"one|two|three|four|five|six|seven|eight|nine"
_WORDS = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in NUMBER_WORDS), key=len, reverse=True))
# A count: digits, "twenty-five", or a number word.
NUMBER_PATTERN = rf"(?:\d{{1,4}}|(?:{_TENS})-(?:{_UNITS})|{_WORDS})"


def number_value(token: str) -> int | None:
    """The integer a count token stands for, or None."""
    token = " ".join(token.lower().split())
    if token.isdigit():
        return int(token)
    if "-" in token:
        tens, _, unit = token.partition("-")
        if tens in NUMBER_WORDS and unit in NUMBER_WORDS:
            return NUMBER_WORDS[tens] + NUMBER_WORDS[unit]
        return None
    return NUMBER_WORDS.get(token)
