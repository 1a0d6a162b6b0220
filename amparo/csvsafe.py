"""Every CSV that leaves Amparo is written here, so no cell can run as a spreadsheet formula (review findings L1, L2).

Excel, LibreOffice and Google Sheets run a cell as a formula when it starts with ``=``, ``+``, ``-`` or ``@`` (and some
treat a leading tab or carriage return the same way); ``=HYPERLINK(...)`` leaks data to another site and DDE payloads
(``=cmd|' /C calc'!A0``) run programs. Spreadsheets also skip leading blanks before they look, and not only ASCII
spaces: a no-break space (U+00A0) or an ideographic space (U+3000) in front of ``=`` still gives a formula, and a
full-width equals sign (U+FF1D) becomes ``=`` under Unicode compatibility normalisation (NFKC). So a *text* cell whose
first character after any leading whitespace or invisible format character, NFKC-normalised, is one of those is
written with a single quote in front (OWASP's advice; spreadsheets show the text and do not run it).
A leading tab or CR counts by itself.

Numbers stay numbers: ``int``, ``float`` and ``Decimal`` cells are written as they are, so a negative longitude is not
turned into text. A *string* that happens to look like ``-87.6`` is a text cell and is neutralised; callers that mean a
number pass a number (a ``Decimal`` keeps a fixed number of decimals). ``None`` is an empty cell and ``bool`` is written
``true``/``false``.

``writer()`` is the only CSV writer in Amparo; tests/test_csv_sweep.py fails when any other module writes CSV itself.
Plain Python: no Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

# U+2212 MINUS SIGN is not changed by NFKC; it is treated like "-" to be safe.
FORMULA_CHARS = frozenset("=+-@\u2212")
CONTROL_STARTS = frozenset("\t\r")
QUOTE = "'"


def blank(ch: str) -> bool:
    """Whitespace (every Unicode Zs, Zl and Zp, and \\t \\n \\r \\v \\f \\x1c-\\x1f \\x85) or an invisible format
    character (zero-width space, word joiner, byte-order mark; category Cf) that a reader's eye and some spreadsheets
    skip."""
    return ch.isspace() or unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cf")


def lead(text: str) -> str:
    """The first character of ``text`` that is not blank, NFKC-normalised ('' when there is none)."""
    for ch in text:
        if not blank(ch):
            return unicodedata.normalize("NFKC", ch)[:1]
    return ""


def is_formula(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` as a formula: it starts with tab or CR, or its first non-blank
    character is ``= + - @`` (also in a compatibility form such as full-width equals sign (U+FF1D))."""
    if not text:
        return False
    if text[0] in CONTROL_STARTS:
        return True
    return lead(text) in FORMULA_CHARS


def neutralise(text: str) -> str:
    """``text`` with a single quote in front when a spreadsheet could run it; otherwise unchanged. Idempotent: a
    neutralised cell starts with the quote, which no spreadsheet runs."""
    return QUOTE + text if is_formula(text) else text


def cell(value: Any) -> Any:
    """One value as a CSV cell: numbers as numbers, dates in ISO 8601, booleans as true/false, None empty, and any
    other value as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return neutralise(str(value))


class _Target(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeWriter:
    """``csv.writer`` whose every cell has passed ``cell()``. Use ``writer()`` to make one."""

    def __init__(self, target: _Target, **options: Any) -> None:
        # Rows end in CRLF (RFC 4180) and nothing else: the csv module quotes a cell only for the characters of the
        # line terminator, so with "\n" alone a bare CR inside a cell went out unquoted, and a spreadsheet starts a
        # new row there, whose first cell could be a formula.
        if options.setdefault("lineterminator", "\r\n") != "\r\n":
            raise ValueError("csvsafe writes CRLF line ends only")
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(target: _Target, **options: Any) -> SafeWriter:
    """The CSV writer for everything Amparo writes (open data, exports, tools); options as for ``csv.writer``."""
    return SafeWriter(target, **options)
