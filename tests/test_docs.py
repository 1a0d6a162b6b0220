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
