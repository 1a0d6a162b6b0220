"""Checks on untrusted text from every channel: valid UTF-8, no markup or script, nothing a spreadsheet would run.

Each check raises django.forms.ValidationError with a message in the user's language; forms and the API call
``clean_text`` on every free-text field, the importer on every row.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SCRIPT = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|svg|img|link|meta|form)\b|javascript\s*:|\bon[a-z]+\s*=\s*[\"']",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Spreadsheets treat these first characters as a formula (CSV/formula injection, OWASP). A leading "+" or "-" is
# only a risk when what follows is not a plain number (a phone number), a space or a list item.
_FORMULA_START = ("=", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff20")
_SAFE_SIGN = re.compile(r"[-+](\s|\d|$)")


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
    stripped = value.lstrip(" ")
    if stripped.startswith(_FORMULA_START) or (
        stripped[:1] in "+-" and stripped and not _SAFE_SIGN.match(stripped)
    ):
        raise ValidationError(
            _("Text may not start with =, +, - or @ (spreadsheets would run it as a formula)."),
            code="formula",
        )


def clean_text(value: str) -> str:
    """Validate one free-text value and return it with outer whitespace removed."""
    check_utf8(value)
    check_no_script(value)
    check_no_formula(value)
    return value.strip()


def check_text(value: str) -> None:
    """clean_text as a Django field validator."""
    clean_text(value)


def is_valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
