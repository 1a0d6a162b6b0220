"""``amparo extract`` through argparse, and ``python -m amparo.extract`` in a real subprocess."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from amparo.extract.command import register

REPO = Path(__file__).resolve().parents[3]
TEXT = "Agentes de ICE detuvieron ayer a dos hombres frente a un Home Depot en Houston, Texas."


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="amparo")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    args = parser.parse_args(["extract", *argv])
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_it_prints_one_json_object_with_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    code, out, err = run_cli([str(path), "--published", "2026-03-05"], capsys)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert out.count("\n") == 1
    assert data["language"] == {"value": "es", "detected": True}
    assert data["date"]["value"] == "2026-03-04"
    assert data["people_taken"]["value"] == 2
    assert data["city"]["value"] == "Houston" and data["state"]["value"] == "TX"
    assert data["location_type"]["value"] == "day_labor_site"
    s, e = data["place_name"]["span"]
    assert TEXT[s:e] == data["place_name"]["text"] == "Home Depot"


def test_lang_option_overrides_detection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.txt"
    path.write_text("Agents detained a man on 3/2/2026.", encoding="utf-8")
    code, out, _ = run_cli([str(path), "--lang", "es"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["language"] == {"value": "es", "detected": False}
    assert data["date"]["value"] == "2026-02-03"


def test_it_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    class FakeStdin:
        buffer = __import__("io").BytesIO(TEXT.encode("utf-8"))

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    code, out, _ = run_cli(["-"], capsys)
    assert code == 0
    assert json.loads(out)["people_taken"]["value"] == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["{missing}"], "no such file"),
        (["{dir}"], "is a directory"),
        (["{good}", "--published", "2026-02-30"], "--published must be a date"),
        (["{good}", "--published", "yesterday"], "--published must be a date"),
        (["{bad}"], "not valid UTF-8"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ICE detuvo a \xff\xfe dos hombres")
    paths = {"missing": str(tmp_path / "nope.txt"), "dir": str(tmp_path), "good": str(good), "bad": str(bad)}
    code, out, err = run_cli([a.format(**paths) for a in argv], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("amparo extract: ") and message in err
    assert "Traceback" not in err


def test_a_byte_order_mark_keeps_offsets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    code, out, _ = run_cli([str(path)], capsys)
    assert code == 0
    s, e = json.loads(out)["city"]["span"]
    assert (" " + TEXT)[s:e] == "Houston"


def test_python_dash_m_runs_the_command(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(
        "Fünf Menschen wurden gestern in Chicago festgenommen. Laut DHS waren sie vorbestraft.", "utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "amparo.extract", str(path), "--published", "2026-01-01"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["language"]["value"] == "de"
    assert data["date"]["value"] == "2025-12-31"
    assert data["people_taken"]["value"] == 5
    assert data["official_claims"]["value"] == ["Laut DHS waren sie vorbestraft."]


def test_python_dash_m_reports_a_missing_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "amparo.extract", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "no such file" in done.stderr and done.stdout == ""


def test_importing_the_command_does_not_compile_the_patterns() -> None:
    code = "import sys, amparo.extract.command; print('amparo.extract.core' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"
