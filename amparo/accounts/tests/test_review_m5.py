"""M5 of the December 2026 security review: a copied database file opens nothing."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyotp
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from amparo.accounts.sessions import stored_key
from amparo.checks import private_files
from amparo.testing import PASSWORD, Personas

AMPARO = [sys.executable, "-m", "amparo.cli"]


def run(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "AMPARO_DATA_DIR": str(data_dir), "DATABASE_URL": "", **env}
    return subprocess.run(
        [*AMPARO, *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
        preexec_fn=lambda: os.umask(0o022),  # the usual login umask: Amparo must not rely on a stricter one
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.django_db
def test_m5_a_copy_of_the_session_table_yields_no_working_cookie(personas: Personas) -> None:
    alice = Client()
    alice.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    alice.get(reverse("accounts:otp_setup"))
    code = pyotp.TOTP(alice.session["amparo_totp_setup"]).now()
    assert alice.post(reverse("accounts:otp_setup"), {"code": code}).status_code == 302
    assert alice.get("/audit/").status_code == 200  # control: the real cookie works
    with connection.cursor() as cursor:  # what a copied database file holds
        cursor.execute("SELECT session_key FROM django_session")
        stolen = [row[0] for row in cursor.fetchall()]
    assert stolen and alice.cookies["sessionid"].value not in stolen
    assert stored_key(alice.cookies["sessionid"].value) in stolen
    for key in stolen:
        thief = Client()
        thief.cookies["sessionid"] = key
        response = thief.get("/audit/")
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert alice.get("/audit/").status_code == 200


def test_m5_the_data_folder_is_private_from_the_first_start(tmp_path: Path) -> None:
    data = tmp_path / "first-start"  # not yet there: `amparo` makes it
    result = run(["createuser", "marta", "--network", "Red Costa", "--create-network"], data)
    assert result.returncode == 0, result.stderr
    assert mode(data) == 0o700
    made = list(data.rglob("*"))
    assert data / "amparo.sqlite3" in made and data / "keys" / "secret_key" in made
    for path in made:
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path
    check = run(["check"], data)
    assert check.returncode == 0 and "amparo.W02" not in check.stderr


def test_m5_check_warns_about_looser_modes(tmp_path: Path, settings: Any) -> None:
    data = tmp_path / "data"
    (data / "keys").mkdir(parents=True)
    (data / "keys" / "secret_key").write_text("x")
    (data / "amparo.sqlite3").write_text("")
    settings.DATA_DIR, settings.KEYS_DIR = data, data / "keys"
    for path, bits in ((data, 0o700), (data / "keys", 0o700), (data / "keys" / "secret_key", 0o600)):
        path.chmod(bits)
    (data / "amparo.sqlite3").chmod(0o644)
    assert [w.id for w in private_files()] == ["amparo.W021"]
    data.chmod(0o755)
    warnings = private_files()
    assert [w.id for w in warnings] == ["amparo.W020", "amparo.W021"]
    assert "amparo.sqlite3" in warnings[1].msg
    (data / "amparo.sqlite3").chmod(0o600)
    data.chmod(0o700)
    assert private_files() == []


def test_m5_check_warns_in_production_when_the_keys_sit_in_the_data_folder(tmp_path: Path) -> None:
    safe = {
        "AMPARO_PRODUCTION": "true",
        "AMPARO_SECRET_KEY": "k" * 10 + "abcdefghijklmnopqrstuvwxyz0123456789",
        "AMPARO_ALLOWED_HOSTS": "amparo.example.org",
        "AMPARO_SITE_URL": "https://amparo.example.org",
        "AMPARO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    (tmp_path / "data" / "keys").mkdir(parents=True, mode=0o700)
    (tmp_path / "data" / "keys" / "person_master_key").write_text("x")
    inside = run(["check"], tmp_path / "data", **safe)
    assert inside.returncode == 0 and "amparo.W022" in inside.stderr
    elsewhere = tmp_path / "usb-stick" / "keys"
    apart = run(["check"], tmp_path / "data", AMPARO_KEYS_DIR=str(elsewhere), **safe)
    assert apart.returncode == 0 and "amparo.W022" not in apart.stderr, apart.stderr
    embedded = run(["check"], tmp_path / "data")
    assert "amparo.W022" not in embedded.stderr


def test_info_cookies_are_secure_whenever_the_site_address_is_https(tmp_path: Path) -> None:
    show = ["manage", "shell", "-c", "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE)"]
    https = run(show, tmp_path, AMPARO_SITE_URL="https://amparo.example.org")
    assert https.stdout.split()[-1] == "True"
    assert run(show, tmp_path).stdout.split()[-1] == "False"  # http://127.0.0.1 in embedded mode
