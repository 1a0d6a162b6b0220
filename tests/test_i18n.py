"""Spanish and German catalogues are complete and compiled: every page works in three languages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import po  # noqa: E402  (the catalogue tool lives in tools/, not in the package)


@pytest.mark.parametrize("lang", ["es", "de"])
def test_every_message_is_translated(lang: str) -> None:
    entries = po.parse(ROOT / "amparo" / "locale" / lang / "LC_MESSAGES" / "django.po")
    assert len(entries) > 50
    missing = [
        e["msgid"] for e in entries if e["msgid"] and (not all(e["msgstr"].values()) or "fuzzy" in e["flags"])
    ]
    assert not missing, f"{len(missing)} untranslated in {lang}, e.g. {missing[:5]}"
    header = next(e["msgstr"][0] for e in entries if e["msgid"] == "")
    nplurals = int(header.split("nplurals=")[1].split(";")[0])
    short = [e["msgid"] for e in entries if e["msgid_plural"] is not None and len(e["msgstr"]) != nplurals]
    assert not short, f"plural messages without all {nplurals} forms in {lang}: {short[:5]}"


@pytest.mark.parametrize("lang", ["es", "de"])
def test_compiled_catalogue_matches_the_source(lang: str, tmp_path: Path) -> None:
    source = ROOT / "amparo" / "locale" / lang / "LC_MESSAGES" / "django.po"
    fresh = tmp_path / "django.mo"
    po.compile_mo(po.parse(source), fresh)
    assert fresh.read_bytes() == source.with_suffix(".mo").read_bytes(), "run: python tools/po.py compile"
