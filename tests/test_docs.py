"""Documentation is a tested artifact: every variable the code reads and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from amparo.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
ENV_CALL = re.compile(
    r"""(?:env(?:str|bool|int|secret|list)\(|os\.environ(?:\.get)?[(\[]|os\.getenv\(|getattr\(settings,\s*)["']((?:AMPARO|DATABASE|REDIS)_[A-Z0-9_]+)["']"""
)
IGNORED = {"AMPARO_MERKLE_VECTORS"}  # a test-only override of the test-vector folder


def variables_read_by_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "amparo").rglob("*.py"):
        if "tests" in path.parts:
            continue
        names.update(ENV_CALL.findall(path.read_text(encoding="utf-8")))
    return names - IGNORED


def test_every_environment_variable_is_documented() -> None:
    documented = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    found = variables_read_by_code()
    assert "AMPARO_DATA_DIR" in found and "DATABASE_URL" in found  # the scan itself works
    missing = sorted(name for name in found if f"`{name}`" not in documented)
    assert not missing, f"document these in docs/configuration.md: {missing}"


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]  # argparse internals
    missing = sorted(name for name in commands if f"amparo {name}" not in readme)
    assert not missing, f"document these commands in README.md: {missing}"


# docs/security.md is a threat model that names checks, settings, commands and tests: each must exist (issue 12).
SECURITY = ROOT / "docs" / "security.md"
CHECK_ID = re.compile(r"""id=["'](amparo\.(?:[a-z]+\.)?[EW]\d{3})["']""")


def checks_in_code() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "amparo").rglob("*.py"):
        if "tests" not in path.parts:
            found.update(CHECK_ID.findall(path.read_text(encoding="utf-8")))
    return found


def checks_named_in(text: str) -> set[str]:
    """Full ids (`amparo.E001`, `amparo.evidence.W001`), ranges (`amparo.E001` to `E007`, with an en dash) and short ids (`W021`, which
    the page uses for the core checks)."""
    named = set(re.findall(r"amparo\.(?:[a-z]+\.)?[EW]\d{3}", text))
    for kind, low, high in re.findall(r"amparo\.([EW])(\d{3})`?\s*[\u2013-]\s*`?[EW](\d{3})", text):
        named.update(f"amparo.{kind}{n:03d}" for n in range(int(low), int(high) + 1))
    named.update(f"amparo.{short}" for short in re.findall(r"`([EW]\d{3})`", text))
    return named


def test_every_check_the_security_model_names_exists() -> None:
    existing = checks_in_code()
    assert {"amparo.E001", "amparo.W022", "amparo.evidence.E001"} <= existing  # the scan itself works
    named = checks_named_in(SECURITY.read_text(encoding="utf-8"))
    assert "amparo.W022" in named and "amparo.E004" in named
    missing = sorted(named - existing)
    assert not missing, f"docs/security.md names checks that do not exist: {missing}"


def test_every_variable_the_security_model_names_is_read_by_the_code() -> None:
    read = variables_read_by_code()
    named = set(re.findall(r"\b(?:AMPARO|DATABASE|REDIS)_[A-Z0-9_]+", SECURITY.read_text(encoding="utf-8")))
    assert "AMPARO_TRUSTED_PROXIES" in named  # the scan itself works
    missing = []
    for name in sorted(named):
        if name.endswith("_"):  # a family, written `AMPARO_INTAKE_MAX_PENDING_*`
            ok = any(v.startswith(name) for v in read)
        else:  # a secret may be given as NAME_FILE (amparo.env.envsecret)
            ok = name in read or (name.endswith("_FILE") and name.removesuffix("_FILE") in read)
        if not ok:
            missing.append(name)
    assert not missing, f"docs/security.md names variables no code reads: {missing}"


def test_every_command_the_security_model_names_exists() -> None:
    commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr,arg-type]  # argparse internals
    named = set(re.findall(r"`amparo ([a-z]+)", SECURITY.read_text(encoding="utf-8")))
    assert {"check", "backup"} <= named
    missing = sorted(named - commands)
    assert not missing, f"docs/security.md names commands that do not exist: {missing}"


def test_every_test_the_security_model_names_exists() -> None:
    """The findings table points at tests as `path::name`; a renamed or deleted test must change the page too."""
    text = SECURITY.read_text(encoding="utf-8")
    named = re.findall(r"`?([\w/]+\.py)::(test_\w+)", text)
    assert len(named) >= 20  # the table is there
    missing = []
    for path, name in named:
        source = ROOT / path
        if not source.is_file() or not re.search(rf"^def {name}\(", source.read_text(encoding="utf-8"), re.M):
            missing.append(f"{path}::{name}")
    assert not missing, f"docs/security.md names tests that do not exist: {missing}"


def test_every_section_the_security_model_points_to_exists() -> None:
    """`see "Cookies"` and the like must name a heading of the page, so a renamed section cannot leave readers lost."""
    text = SECURITY.read_text(encoding="utf-8")
    headings = {line.lstrip("#").strip() for line in text.splitlines() if line.startswith(("## ", "### "))}
    pointed = {
        " ".join(name.split())
        for name in re.findall(r"""(?:[Ss]ee|\(see) (?:the section )?"([^"]+)\"""", text)
    }
    assert {"Cookies", "A copied database file"} <= pointed  # the scan itself works
    missing = sorted(pointed - headings)
    assert not missing, f"docs/security.md points to sections it does not have: {missing}"
