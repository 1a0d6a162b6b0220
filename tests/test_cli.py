"""The amparo command, run as a real subprocess the way an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from amparo.cli import build_parser

# Runs Amparo's embedded SQLite setup whatever DATABASE_URL says: the SQLite pass runs it, the PostgreSQL pass skips it.
pytestmark = pytest.mark.embedded

AMPARO = [sys.executable, "-m", "amparo.cli"]


def run(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "AMPARO_DATA_DIR": str(data_dir), "DATABASE_URL": "", **env}
    return subprocess.run(
        [*AMPARO, *args], capture_output=True, text=True, env=environment, timeout=120, check=False
    )


def test_every_subcommand_has_help(tmp_path: Path) -> None:
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]  # argparse internals
    assert {"serve", "demo", "createuser", "check", "version"} <= set(commands)
    for name, sub in commands.items():
        if name == "manage":
            continue
        assert sub.format_help().startswith("usage: amparo " + name), name


def test_version(tmp_path: Path) -> None:
    result = run(["version"], tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("amparo ")


def test_createuser_prints_a_working_one_time_link(tmp_path: Path) -> None:
    result = run(
        ["createuser", "marta", "--network", "Red Costa", "--role", "caseworker", "--create-network"],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "/accounts/link/" in result.stdout
    again = run(["createuser", "marta", "--network", "Red Costa", "--role", "caseworker"], tmp_path)
    assert again.returncode == 2 and "already a member" in again.stderr
    bad = run(["createuser", "x", "--network", "Red Costa", "--role", "boss"], tmp_path)
    assert bad.returncode == 2 and "Unknown role" in bad.stderr


@pytest.mark.slow
def test_demo_then_check(tmp_path: Path) -> None:
    first = run(["demo", "--if-empty"], tmp_path, AMPARO_TASKS_BACKEND="immediate")
    assert first.returncode == 0, first.stderr
    assert "coordinadora" in first.stdout
    previews = list(tmp_path.glob("derived/*/*.view.mp4"))  # the demo videos' copies, made right after ingest
    assert len(previews) == 2 and all(p.stat().st_size > 1000 for p in previews)
    second = run(["demo", "--if-empty"], tmp_path, AMPARO_TASKS_BACKEND="immediate")
    assert second.returncode == 0 and "already present" in second.stdout
    assert run(["check"], tmp_path).returncode == 0


def test_production_mode_refuses_unsafe_settings(tmp_path: Path) -> None:
    result = run(
        ["check"],
        tmp_path,
        AMPARO_PRODUCTION="true",
        AMPARO_DEBUG="true",
        AMPARO_SECRET_KEY="changeme",
        AMPARO_ALLOWED_HOSTS="*",
        AMPARO_SECURE_COOKIES="false",
        AMPARO_SSL_REDIRECT="false",
        AMPARO_HSTS_SECONDS="0",
    )
    assert result.returncode == 1
    for check_id in (
        "amparo.E001",
        "amparo.E002",
        "amparo.E003",
        "amparo.E004",
        "amparo.E005",
        "amparo.E006",
        "amparo.E007",
    ):
        assert check_id in result.stderr, check_id
    serve = run(["serve", "--port", "0"], tmp_path, AMPARO_PRODUCTION="true", AMPARO_DEBUG="true")
    assert serve.returncode == 1 and "refuses to start" in serve.stderr


def test_production_mode_accepts_a_safe_configuration(tmp_path: Path) -> None:
    result = run(
        ["check"],
        tmp_path,
        AMPARO_PRODUCTION="true",
        AMPARO_SECRET_KEY="k" * 10 + "abcdefghijklmnopqrstuvwxyz0123456789",
        AMPARO_ALLOWED_HOSTS="amparo.example.org",
        AMPARO_SITE_URL="https://amparo.example.org",
        AMPARO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    assert result.returncode == 0, result.stderr


def test_a_bad_variable_is_named_in_the_error(tmp_path: Path) -> None:
    result = run(["version"], tmp_path)
    assert result.returncode == 0
    bad = run(["check"], tmp_path, AMPARO_SESSION_HOURS="eight")
    assert bad.returncode != 0 and "AMPARO_SESSION_HOURS" in bad.stderr


# What each subcommand is given on a brand-new data folder (no database yet): enough arguments to reach the database.
FRESH_ARGS: dict[str, list[str]] = {
    "createuser": ["ana", "--network", "Red Nueva", "--role", "coordinator"],
    "evidence": ["bundle", "00000000-0000-0000-0000-000000000000", "-o", "out.zip"],
    "verify": ["--all"],
    "import": ["rows.jsonl"],
    "extract": ["-"],
    "public": ["rebuild"],
    "facilities": ["import", "none.csv"],
    "people": ["rewrap"],
    "intake": ["purge"],
    "backup": ["bk", "--passphrase-file", "pass"],
    "restore": ["--check", "bk", "--passphrase-file", "pass"],
    "log": ["--help"],
    "check": [],
    "version": [],
}
LONG_RUNNING = {
    "serve",
    "worker",
    "manage",
    "demo",
}  # start servers, or migrate by themselves (tested elsewhere)


def test_every_subcommand_on_a_new_data_folder_says_what_to_run_never_a_traceback(tmp_path: Path) -> None:
    """Review 2026-12 (newcomer): every `amparo` subcommand on a new data folder migrates or says what to run."""
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]  # argparse internals
    missing = set(commands) - set(FRESH_ARGS) - LONG_RUNNING
    assert not missing, f"add these subcommands to FRESH_ARGS: {sorted(missing)}"
    (tmp_path / "pass").write_text("a long enough passphrase")
    (tmp_path / "rows.jsonl").write_text(
        '{"text": "Agentes en la esquina", "source_url": "https://news.example/a"}\n'
    )
    for name, args in FRESH_ARGS.items():
        data = tmp_path / f"data-{name}"
        result = subprocess.run(
            [*AMPARO, name, *args],
            capture_output=True,
            text=True,
            env={**os.environ, "AMPARO_DATA_DIR": str(data), "DATABASE_URL": ""},
            cwd=tmp_path,
            input="",
            timeout=120,
            check=False,
        )
        assert "Traceback" not in result.stderr, f"amparo {name}: {result.stderr[-1500:]}"
        if result.returncode == 2 and "no tables yet" in result.stderr:
            assert "amparo manage migrate" in result.stderr


def test_evidence_add_then_match_finds_the_same_picture(tmp_path: Path) -> None:
    """`amparo evidence add` makes the fingerprints at once, so `amparo evidence match` right after finds the file."""
    import io
    import json

    from PIL import Image, ImageDraw

    img = Image.new("RGB", (640, 480), (40, 60, 90))
    draw = ImageDraw.Draw(img)
    for k in range(12):
        draw.rectangle([k * 50, 300 - k * 15, k * 50 + 40, 480], fill=(200, 30 + k * 15, 60))
    buf = io.BytesIO()
    img.save(buf, "JPEG")
    photo = tmp_path / "escena.jpg"
    photo.write_bytes(buf.getvalue())
    copy = tmp_path / "reenvio.jpg"  # the same scene, sent again smaller
    img.resize((320, 240)).save(copy, "JPEG", quality=70)
    data = tmp_path / "data"
    assert run(["manage", "migrate", "--verbosity", "0"], data).returncode == 0
    assert (
        run(
            ["createuser", "ana", "--network", "Red Costa", "--role", "coordinator", "--create-network"], data
        ).returncode
        == 0
    )
    added = run(["evidence", "add", str(photo), "--network", "Red Costa"], data)
    assert added.returncode == 0, added.stderr
    item = json.loads(added.stdout.strip().splitlines()[-1])["id"]
    matched = run(["evidence", "match", str(copy)], data)
    assert matched.returncode == 0, matched.stderr
    assert item in matched.stdout, matched.stdout
