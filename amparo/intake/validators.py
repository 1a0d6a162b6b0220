"""Checks on untrusted text from every channel: valid UTF-8, no markup or script, nothing a spreadsheet would run.

Each check raises django.forms.ValidationError with a message in the user's language; forms and the API call
``clean_text`` on every free-text field, the importer on every row.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo import csvsafe

_SCRIPT = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|svg|img|link|meta|form)\b|javascript\s*:|\bon[a-z]+\s*=\s*[\"']",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Spreadsheets run a cell starting with = + - @ (or tab, CR) as a formula, after any leading blanks (CSV/formula
# injection, OWASP; review findings L1, L2). A value made only of digits, blanks and ( ) . - / with one leading sign is
# allowed: a phone number such as "+1 (555) 123-4567" or "-5" is arithmetic at worst and can never call a function or
# reach another cell. Every CSV writer neutralises such cells anyway (amparo/csvsafe.py); this check is the first wall.
_PLAIN_NUMBER = re.compile(r"[-+\u2212]?[\d\s().\-/]*\d[\d\s().\-/]*")


def normalise(value: str) -> str:
    """``value`` in Unicode NFKC form with leading blanks (all Unicode whitespace and invisible format characters) and
    trailing whitespace removed. The checks look at this form and it is what gets stored, so no later step can turn an
    accepted value into a formula (a full-width equals sign becomes "=", a no-break space before "=" goes)."""
    text = unicodedata.normalize("NFKC", value)
    start = 0
    while start < len(text) and csvsafe.blank(text[start]):
        start += 1
    return text[start:].rstrip()


def check_utf8(value: str) -> None:
    if "\ufffd" in value or any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise ValidationError(
            _("This text is not valid UTF-8. Please type it again or copy it from another app."), code="utf8"
        )


def check_no_script(value: str) -> None:
    if _SCRIPT.search(value):
        raise ValidationError(
            _("Please remove the HTML or script code from this text; plain words are enough."), code="script"
        )
    if _CONTROL.search(value):
        raise ValidationError(_("This text contains invisible control characters."), code="control")


def check_no_formula(value: str) -> None:
    """Refuse text a spreadsheet would run, looking at its normalised form (``normalise``)."""
    text = normalise(value)
    if csvsafe.is_formula(text) and not _PLAIN_NUMBER.fullmatch(text):
        raise ValidationError(
            _(
                "Text may not start with =, +, - or @, even after spaces or a line break "
                "(spreadsheets would run it as a formula)."
            ),
            code="formula",
        )


def clean_text(value: str) -> str:
    """Validate one free-text value and return its normalised form (``normalise``): exactly the text the checks saw,
    which is the text to store."""
    check_utf8(value)
    text = normalise(value)
    check_no_script(text)
    check_no_formula(text)
    return text


def check_text(value: str) -> None:
    """clean_text as a Django field validator."""
    clean_text(value)


def is_valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class CleanTextField(forms.CharField):
    """A CharField whose cleaned value is ``clean_text`` of the input: normalised, checked, and stored as checked.
    Use it for every free-text field of a form (incidents, sources, intake)."""

    def to_python(self, value: Any) -> str:
        text: str = super().to_python(value) or ""
        return clean_text(text) if text else text
