"""``amparo backup`` of a demo that keeps taking evidence, ``amparo restore`` in another folder, and tampering.

Runs the real command in subprocesses, on SQLite or (in the PostgreSQL pass) on databases of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[1]
AMPARO = [sys.executable, "-m", "amparo.cli"]
PASSPHRASE = "a long backup passphrase"

# Counts every model's rows and every original's hash, as the database of AMPARO_DATA_DIR sees them.
STATE = """
import hashlib, json
from amparo.cli import setup_django
setup_django()
from django.apps import apps
from amparo.evidence import log, store
from amparo.evidence.models import EvidenceItem, LogEntry
from amparo.ledger import verify_receipt
counts = {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed}
shas = {}
for sha in EvidenceItem.objects.values_list("sha256", flat=True):
    with store.open_original(sha) as fh:
        shas[sha] = hashlib.sha256(fh.read()).hexdigest()
receipts = 0
for index in EvidenceItem.objects.values_list("log_index", flat=True):
    leaf = bytes(LogEntry.objects.get(index=index).leaf)
    verify_receipt(log.receipt(index), leaf, log.verifier_key())
    receipts += 1
print(json.dumps({"counts": counts, "shas": shas, "receipts": receipts}))
"""

# Keeps adding evidence (as witnesses would while the backup runs) until killed.
WRITER = """
import io, os, sys, time
from amparo.cli import setup_django
setup_django()
from amparo.accounts.models import Network
from amparo.evidence import log, vault
network = Network.objects.order_by("name").first()
n = 0
while True:
    vault.ingest(io.BytesIO(os.urandom(50_000) + str(n).encode()), network=network, filename="w.bin", source="cli")
    log.integrate_pending()
    n += 1
    print(n, flush=True)
"""


def _fresh_database(label: str) -> Iterator[str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield ""
        return
    import psycopg

    name = f"{dj_database_url.parse(url)['NAME']}_backup_{label}_{os.getpid()}_{secrets.token_hex(3)}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def source_db() -> Iterator[str]:
    yield from _fresh_database("src")


@pytest.fixture
def target_db() -> Iterator[str]:
    yield from _fresh_database("dst")


def _env(data_dir: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "AMPARO_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "AMPARO_TASKS_BACKEND": "immediate",
    }


def amparo(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*AMPARO, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def state(env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", STATE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.slow
def test_backup_of_a_running_demo_restores_whole_elsewhere(
    tmp_path: Path, source_db: str, target_db: str
) -> None:
    source = _env(tmp_path / "source", source_db)
    demo = amparo(source, "demo")
    assert demo.returncode == 0, demo.stderr
    (tmp_path / "pass").write_text(PASSPHRASE + "\n", encoding="utf-8")
    backup_dir = tmp_path / "backup"

    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER], cwd=ROOT, env=source, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "1"
        made = amparo(source, "backup", str(backup_dir), "--passphrase-file", str(tmp_path / "pass"))
    finally:
        writer.kill()
        writer.wait()
    assert made.returncode == 0, made.stderr
    assert "Backup written to" in made.stdout and "sealed under your passphrase" in made.stdout
    manifest = json.loads((backup_dir / "backup.json").read_text())
    assert manifest["originals"] > 10 and manifest["log_size"] > 0
    assert manifest["engine"] == ("postgresql" if source_db else "sqlite")
    assert (backup_dir / manifest["database"]).is_file()
    keys_file = Path(str(backup_dir) + ".keys")
    assert keys_file.is_file() and b"person_master_key" not in keys_file.read_bytes(), "keys must be sealed"
    # The backup verifies with standard tools alone.
    sums = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=backup_dir, check=False)
    assert sums.returncode == 0

    checked = amparo(
        source, "restore", "--check", str(backup_dir), "--passphrase-file", str(tmp_path / "pass")
    )
    assert checked.returncode == 0 and checked.stdout.startswith("OK:"), checked.stdout + checked.stderr

    target = _env(tmp_path / "target", target_db)
    restored = amparo(target, "restore", str(backup_dir), "--passphrase-file", str(tmp_path / "pass"))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "FAILED" not in restored.stdout
    verify = amparo(target, "verify", "--all")
    assert verify.returncode == 0, verify.stdout + verify.stderr

    after = state(target)
    # Every record the snapshot held is there, and nothing else: compare with the snapshot itself.
    if manifest["engine"] == "sqlite":
        snap = sqlite3.connect(backup_dir / "database.sqlite3")
        items = snap.execute("SELECT COUNT(*) FROM evidence_evidenceitem").fetchone()[0]
        people = snap.execute("SELECT COUNT(*) FROM people_person").fetchone()[0]
        snap.close()
        assert after["counts"]["evidence.EvidenceItem"] == items
        assert after["counts"]["people.Person"] == people
    for label, before in manifest["rows_before_snapshot"].items():
        assert after["counts"].get(label, 0) >= before, label
    # Every original byte for byte, and a receipt for each that verifies against the restored log.
    assert after["shas"] and all(sha == digest for sha, digest in after["shas"].items())
    assert after["receipts"] == after["counts"]["evidence.EvidenceItem"]
    # A restored installation refuses a second restore over its data.
    again = amparo(target, "restore", str(backup_dir), "--passphrase-file", str(tmp_path / "pass"))
    assert again.returncode == 1 and "needs an empty installation" in again.stderr


# Every person's legal name, decrypted with the restored keys, and whether the blind index of their name finds them.
PEOPLE = """
import json
from amparo.cli import setup_django
setup_django()
from amparo.people.actions import find_by_name
from amparo.people.models import Person
found = {}
for person in Person.objects.select_related("network").order_by("case_code"):
    name = person.identity()["legal_name"]
    hits = find_by_name(Person.objects.all(), person.network, name) if name else []
    found[person.case_code] = [name, person in hits]
print(json.dumps(found))
"""


# One more original and one more audit event on the restored installation.
GROW = """
import io, json, os
from amparo.cli import setup_django
setup_django()
from django.db.models import Max
from amparo.accounts.models import Network
from amparo.evidence import log, vault
from amparo.evidence.models import EvidenceItem
max_before = EvidenceItem.objects.aggregate(m=Max("pk"))["m"]
item = vault.ingest(io.BytesIO(os.urandom(5_000)), network=Network.objects.first(), filename="n.bin", source="cli")
log.integrate_pending()
item.refresh_from_db()
print(json.dumps({"item": item.pk, "max_before": max_before, "log_index": item.log_index}))
"""


def _script(env: dict[str, str], script: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
def test_an_embedded_backup_restores_into_postgresql(tmp_path: Path, target_db: str) -> None:
    """Embedded -> pooled: a demo made on SQLite, backed up, restored into an empty PostgreSQL database."""
    if not target_db:
        pytest.skip("runs in the PostgreSQL pass (DATABASE_URL=postgres://...)")
    source = _env(tmp_path / "source", "")
    demo = amparo(source, "demo")
    assert demo.returncode == 0, demo.stderr
    (tmp_path / "pass").write_text(PASSPHRASE + "\n", encoding="utf-8")
    backup_dir = tmp_path / "backup"
    made = amparo(source, "backup", str(backup_dir), "--passphrase-file", str(tmp_path / "pass"))
    assert made.returncode == 0, made.stderr
    assert json.loads((backup_dir / "backup.json").read_text())["engine"] == "sqlite"
    before = state(source)
    people_before = _script(source, PEOPLE)

    target = _env(tmp_path / "target", target_db)
    restored = amparo(target, "restore", str(backup_dir), "--passphrase-file", str(tmp_path / "pass"))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "FAILED" not in restored.stdout
    verify = amparo(target, "verify", "--all")
    assert verify.returncode == 0, verify.stdout + verify.stderr

    after = state(target)
    # Every model holds exactly the snapshot's rows (seeded terms and facilities replaced, not doubled); sessions
    # are not moved.
    snap = sqlite3.connect(backup_dir / "database.sqlite3")
    expected = {}
    from django.apps import apps

    for label in after["counts"]:
        table = apps.get_model(label)._meta.db_table
        expected[label] = snap.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
    snap.close()
    expected["sessions.Session"] = 0
    assert after["counts"] == expected
    assert after["counts"]["evidence.EvidenceItem"] >= 10 and after["counts"]["people.Person"] > 0
    assert after["counts"] == {**before["counts"], "sessions.Session": 0}
    # Originals byte for byte, and every receipt verifies against the log on PostgreSQL.
    assert after["shas"] == before["shas"] and all(sha == digest for sha, digest in after["shas"].items())
    assert after["receipts"] == before["receipts"] == after["counts"]["evidence.EvidenceItem"]
    # Encrypted people still decrypt with the restored keys, and their blind-indexed names still find them.
    people_after = _script(target, PEOPLE)
    assert people_after == people_before
    assert any(name for name, _ in people_after.values())
    assert all(hit for name, hit in people_after.values() if name)
    # PostgreSQL generated the stored search document of every copied report and incident.
    import psycopg

    with psycopg.connect(target_db) as conn:
        for table in ("incidents_report", "incidents_incident"):
            rows, documented = conn.execute(
                f"SELECT COUNT(*), COUNT(*) FILTER (WHERE length(search_document) > 0) FROM {table}"  # noqa: S608
            ).fetchone()
            assert rows > 0 and documented == rows, table
    # The sequences were reset: new records after the move get fresh ids instead of colliding with copied ones.
    grown = _script(target, GROW)
    assert grown["item"] > grown["max_before"] and grown["log_index"] == before["counts"]["evidence.LogEntry"]
    verify = amparo(target, "verify", "--all")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def _small_backup(tmp_path: Path) -> tuple[dict[str, str], Path]:
    env = _env(tmp_path / "small", "")
    add = tmp_path / "photo.bin"
    add.write_bytes(os.urandom(20_000))
    created = amparo(
        env, "createuser", "ana", "--network", "Red Costa", "--role", "coordinator", "--create-network"
    )
    assert created.returncode == 0, created.stderr
    assert amparo(env, "evidence", "add", str(add), "--network", "Red Costa").returncode == 0
    (tmp_path / "pass").write_text(PASSPHRASE, encoding="utf-8")
    out = tmp_path / "b"
    made = amparo(env, "backup", str(out), "--passphrase-file", str(tmp_path / "pass"))
    assert made.returncode == 0, made.stderr
    return env, out


def test_a_changed_byte_in_a_backup_is_named(tmp_path: Path) -> None:
    env, out = _small_backup(tmp_path)
    original = next(p for p in (out / "evidence").rglob("*") if p.is_file())
    data = bytearray(original.read_bytes())
    data[len(data) // 2] ^= 0x01
    original.write_bytes(bytes(data))
    checked = amparo(env, "restore", "--check", str(out), "--passphrase-file", str(tmp_path / "pass"))
    assert checked.returncode == 1
    assert f"FAILED: evidence/{original.relative_to(out / 'evidence').as_posix()}: changed" in checked.stdout
    # Rewriting SHA256SUMS to match does not help: its hash is sealed with the keys.
    rel = original.relative_to(out).as_posix()
    lines = (out / "SHA256SUMS").read_text().splitlines()
    digest = hashlib.sha256(bytes(data)).hexdigest()
    forged = [f"{digest}  {rel}" if line.endswith("  " + rel) else line for line in lines]
    (out / "SHA256SUMS").write_text("\n".join(forged) + "\n")
    checked = amparo(env, "restore", "--check", str(out), "--passphrase-file", str(tmp_path / "pass"))
    assert checked.returncode == 1 and "the backup was rewritten" in checked.stdout
    restored = amparo(
        _env(tmp_path / "t", ""), "restore", str(out), "--passphrase-file", str(tmp_path / "pass")
    )
    assert restored.returncode == 1 and "does not check out" in restored.stderr
    assert not (tmp_path / "t" / "evidence").exists() or not any((tmp_path / "t" / "evidence").rglob("*.*"))


def test_a_wrong_passphrase_or_a_short_one_is_refused(tmp_path: Path) -> None:
    env, out = _small_backup(tmp_path)
    (tmp_path / "wrong").write_text("not the passphrase at all")
    checked = amparo(env, "restore", "--check", str(out), "--passphrase-file", str(tmp_path / "wrong"))
    assert checked.returncode == 1 and "wrong passphrase" in checked.stderr
    (tmp_path / "short").write_text("short")
    made = amparo(env, "backup", str(tmp_path / "c"), "--passphrase-file", str(tmp_path / "short"))
    assert made.returncode == 1 and "at least 12 characters" in made.stderr
    assert not (tmp_path / "c").exists()


def test_an_embedded_backup_of_another_version_is_not_moved(tmp_path: Path) -> None:
    """SQLite -> PostgreSQL copies into this version's schema only: a snapshot with other migrations is refused."""
    from django.db.migrations.loader import MigrationLoader

    from amparo.backup import BackupError, _check_same_migrations

    known = sorted(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    snapshot = tmp_path / "database.sqlite3"
    db = sqlite3.connect(snapshot)
    db.execute("CREATE TABLE django_migrations (app TEXT, name TEXT)")
    db.executemany("INSERT INTO django_migrations VALUES (?, ?)", known)
    db.commit()
    _check_same_migrations(snapshot)  # this version's own: accepted
    db.execute("DELETE FROM django_migrations WHERE app = ? AND name = ?", known[-1])
    db.commit()
    db.close()
    with pytest.raises(BackupError, match="made by another version of Amparo"):
        _check_same_migrations(snapshot)
