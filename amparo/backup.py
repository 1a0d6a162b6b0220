"""One consistent, verifiable backup of an installation, and its restore on a fresh machine.

    amparo backup OUT [--keys-out FILE] [--passphrase-file F]
    amparo restore OUT [--keys FILE] [--passphrase-file F] [--check]

A backup is a folder:

    backup.json      what it holds: version, database engine, log origin and size, a count of rows per table
    database.sqlite3 a snapshot through SQLite's online backup API            (embedded installations)
    database.pgdump  ``pg_dump --format=custom``, one transaction snapshot     (PostgreSQL)
    evidence/ab/cd/<sha256>   every original, rehashed while it is copied
    log/             the tiles and entry bundles of the latest checkpoint recorded before the snapshot, and that
                     checkpoint; entries the snapshot holds beyond it are integrated again on restore, and
                     Ed25519's deterministic signatures make the same checkpoints
    SHA256SUMS       every file above, for ``sha256sum -c``

The keys folder (log signing key, person master key, blind-index key, secret key) is written separately, encrypted
under a passphrase (scrypt, then AES-256-GCM), to ``OUT.keys`` or ``--keys-out``: keep it on other media than the
backup. It also carries the SHA-256 of SHA256SUMS, so a backup whose files and sums were both rewritten is refused
by anyone who can open its keys.

Restore goes to the same engine, or from an embedded (SQLite) backup into an empty PostgreSQL database: the way from
one laptop to the pooled setup (``copy_sqlite_into_postgresql``).

Consistency: the database snapshot is the truth. Originals are content-addressed and never change, so copying them
after the snapshot gives a superset of what the snapshot refers to; log tiles of a checkpoint never change either.
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from amparo.cli import setup_django
from amparo.progress import Progress  # the bar of every long command (derive, verify --all too)

FORMAT = 1
MIN_PASSPHRASE = 12
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class BackupError(Exception):
    """A backup that cannot be written, checked or restored; the message says why."""


# --- keys under a passphrase ---------------------------------------------------------------------------------


def _kdf(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase.encode("utf-8"))


def seal_keys(files: dict[str, bytes], sums_sha256: str, passphrase: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(16), os.urandom(12)
    plain = json.dumps(
        {"sha256sums": sums_sha256, "files": {k: base64.b64encode(v).decode() for k, v in files.items()}}
    ).encode()
    sealed = AESGCM(_kdf(passphrase, salt)).encrypt(nonce, plain, b"amparo-backup-keys-v1")
    doc = {
        "format": "amparo-backup-keys-v1",
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P},
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "ciphertext": base64.b64encode(sealed).decode(),
    }
    return (json.dumps(doc, indent=1) + "\n").encode()


def open_keys(data: bytes, passphrase: str) -> tuple[dict[str, bytes], str]:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        doc = json.loads(data)
        if doc.get("format") != "amparo-backup-keys-v1":
            raise ValueError("not an Amparo keys file")
        salt, nonce = base64.b64decode(doc["salt"]), base64.b64decode(doc["nonce"])
        sealed = base64.b64decode(doc["ciphertext"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"the keys file is not an Amparo keys file ({exc})") from None
    try:
        plain = AESGCM(_kdf(passphrase, salt)).decrypt(nonce, sealed, b"amparo-backup-keys-v1")
    except InvalidTag:
        raise BackupError("wrong passphrase, or the keys file was changed") from None
    inner = json.loads(plain)
    return {k: base64.b64decode(v) for k, v in inner["files"].items()}, inner["sha256sums"]


def passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    if args.passphrase_file:
        value = Path(args.passphrase_file).read_text(encoding="utf-8").rstrip("\r\n")
    elif os.environ.get("AMPARO_BACKUP_PASSPHRASE"):
        value = os.environ["AMPARO_BACKUP_PASSPHRASE"]
    elif sys.stdin.isatty():
        value = getpass.getpass("Passphrase for the keys: ")
        if confirm and getpass.getpass("Again: ") != value:
            raise BackupError("the two passphrases differ")
    else:
        raise BackupError("give the keys passphrase with --passphrase-file or AMPARO_BACKUP_PASSPHRASE")
    if confirm and len(value) < MIN_PASSPHRASE:
        raise BackupError(f"the passphrase must have at least {MIN_PASSPHRASE} characters")
    return value


# --- files ---------------------------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _walk(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            raise BackupError(f"a symbolic link in the backup: {path.relative_to(root)}")
        if path.is_file():
            yield path


def write_sums(out: Path) -> str:
    files = [p for p in _walk(out) if p.name != "SHA256SUMS"]
    progress = Progress("checksums", len(files))
    lines = []
    for path in files:
        lines.append(f"{_sha256_file(path)}  {path.relative_to(out).as_posix()}\n")
        progress.step()
    progress.close()
    data = "".join(lines).encode()
    (out / "SHA256SUMS").write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def check_sums(out: Path, expected_sums_sha256: str | None = None) -> list[str]:
    """Every problem found in the backup folder ``out`` (empty when it is intact)."""
    problems: list[str] = []
    sums_path = out / "SHA256SUMS"
    if not sums_path.is_file():
        return ["SHA256SUMS is missing"]
    data = sums_path.read_bytes()
    if expected_sums_sha256 is not None and hashlib.sha256(data).hexdigest() != expected_sums_sha256:
        problems.append("SHA256SUMS differs from the one sealed with the keys (the backup was rewritten)")
    listed: dict[str, str] = {}
    for line in data.decode("utf-8", "replace").splitlines():
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or name.startswith("/") or ".." in Path(name).parts:
            problems.append(f"SHA256SUMS has a malformed line: {line[:80]!r}")
            continue
        listed[name] = digest
    present = {p.relative_to(out).as_posix() for p in _walk(out) if p.name != "SHA256SUMS"}
    for name in sorted(present - listed.keys()):
        problems.append(f"{name}: not listed in SHA256SUMS")
    progress = Progress("checking", len(listed))
    for name, digest in sorted(listed.items()):
        progress.step()
        path = out / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif _sha256_file(path) != digest:
            problems.append(f"{name}: changed (its SHA-256 differs from SHA256SUMS)")
    progress.close()
    return problems


# --- the log tiles of one checkpoint -------------------------------------------------------------------------


def tile_paths(size: int) -> Iterable[str]:
    """Every tile and entry bundle path that a log of ``size`` entries reads (C2SP tlog-tiles)."""
    from amparo.ledger.tiles import TILE_WIDTH, entries_path, tile_path

    def widths(count: int) -> Iterator[tuple[int, int]]:
        for index in range(count // TILE_WIDTH):
            yield index, TILE_WIDTH
        if count % TILE_WIDTH:
            yield count // TILE_WIDTH, count % TILE_WIDTH

    for index, width in widths(size):
        yield entries_path(index, width)
    level, count = 0, size
    while count > 0:
        for index, width in widths(count):
            yield tile_path(level, index, width)
        level, count = level + 1, count // TILE_WIDTH


# --- backup --------------------------------------------------------------------------------------------------


def _engine() -> str:
    from django.db import connection

    return connection.vendor  # "sqlite" or "postgresql"


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _snapshot_database(out: Path) -> str:
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        target = out / "database.sqlite3"
        src = sqlite3.connect(str(db["NAME"]))
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst, pages=1024)  # one consistent snapshot, even while Amparo writes
        finally:
            dst.close()
            src.close()
        return target.name
    if connection.vendor == "postgresql":
        target = out / "database.pgdump"
        subprocess.run(  # noqa: S603 (fixed arguments; the URL is the operator's own setting)
            [  # noqa: S607 (PostgreSQL's client tools, from PATH like psql)
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                _pg_url(db),
            ],
            check=True,
            env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
        )
        return target.name
    raise BackupError(f"backups of a {connection.vendor} database are not supported")


def _pg_url(db: Any) -> str:
    from urllib.parse import quote

    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{auth}{host}{port}/{quote(str(db['NAME']), safe='')}"


def backup(out: Path, keys_out: Path, secret: str) -> dict[str, Any]:
    from django.conf import settings

    from amparo import __version__
    from amparo.evidence import log, store
    from amparo.evidence.models import Checkpoint, EvidenceItem

    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} exists and is not empty")
    if keys_out.exists():
        raise BackupError(f"{keys_out} exists already")
    old_umask = os.umask(0o077)
    try:
        out.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        log.integrate_if_pending()
        latest = Checkpoint.objects.order_by("-size").first()  # read before the snapshot: it holds this one
        counts = _row_counts()
        database = _snapshot_database(out)

        # deleted originals are gone (only their tombstones, in the database and the log, are backed up)
        shas = sorted(
            set(EvidenceItem.objects.filter(deleted_at__isnull=True).values_list("sha256", flat=True))
        )
        progress = Progress("evidence", len(shas))
        total_bytes = 0
        for sha in shas:
            target = out / "evidence" / sha[:2] / sha[2:4] / sha
            target.parent.mkdir(parents=True, exist_ok=True)
            h = hashlib.sha256()
            with store.open_original(sha) as src, open(target, "wb") as dst:
                while chunk := src.read(1 << 20):
                    h.update(chunk)
                    dst.write(chunk)
                    total_bytes += len(chunk)
            if h.hexdigest() != sha:
                raise BackupError(
                    f"the stored original {sha} does not hash to its name: run amparo verify --all"
                )
            progress.step()
        progress.close()

        log_size = 0
        if latest is not None:
            log_size = latest.size
            tiles = log.tile_log().store  # a folder, or a bucket in a pool of servers
            paths = list(tile_paths(latest.size))
            progress = Progress("log tiles", len(paths))
            for rel in paths:
                data = tiles.read(rel)
                if data is None:
                    raise BackupError(f"the log tile {rel} of checkpoint {latest.size} is missing")
                target = out / "log" / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                progress.step()
            progress.close()
            (out / "log" / "checkpoint").write_text(latest.note, encoding="utf-8")

        manifest = {
            "format": FORMAT,
            "amparo": __version__,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "engine": _engine(),
            "database": database,
            "log_origin": settings.LOG_ORIGIN,
            "log_verifier_key": log.verifier_key(),
            "log_size": log_size,
            "originals": len(shas),
            "original_bytes": total_bytes,
            "rows_before_snapshot": counts,
        }
        (out / "backup.json").write_text(
            json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        sums = write_sums(out)

        keys_dir = Path(settings.KEYS_DIR)
        keys = (
            {p.name: p.read_bytes() for p in sorted(keys_dir.iterdir()) if p.is_file()}
            if keys_dir.is_dir()
            else {}
        )
        keys_out.write_bytes(seal_keys(keys, sums, secret))
        with open(Path(settings.DATA_DIR) / "backups.jsonl", "a", encoding="utf-8") as made:
            # read by an authorised deletion, which then says which earlier backups still hold the deleted bytes
            made.write(
                json.dumps({"at": time.time(), "out": str(out.resolve()), "originals": len(shas)}) + "\n"
            )
        manifest["seconds"] = round(time.monotonic() - started, 2)
        manifest["keys"] = sorted(keys)
        return manifest
    finally:
        os.umask(old_umask)


# --- restore -------------------------------------------------------------------------------------------------


def check(out: Path, keys_file: Path, secret: str) -> tuple[dict[str, Any], dict[str, bytes], list[str]]:
    if not (out / "backup.json").is_file():
        raise BackupError(f"{out} is not an Amparo backup (no backup.json)")
    keys, sums_sha = open_keys(keys_file.read_bytes(), secret)
    problems = check_sums(out, sums_sha)
    manifest = json.loads((out / "backup.json").read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        problems.append(f"backup format {manifest.get('format')} is not {FORMAT}")
    return manifest, keys, problems


def _data_in_use() -> list[str]:
    from django.conf import settings
    from django.db import connection

    found = []
    evidence = Path(settings.EVIDENCE_DIR)
    if evidence.is_dir() and any(p.is_file() for p in evidence.rglob("*")):
        found.append(str(evidence))
    if connection.introspection.table_names():
        found.append(f"the database {settings.DATABASES['default']['NAME']}")
    return found


# --- embedded -> pooled: a SQLite snapshot into an empty PostgreSQL database ----------------------------------

# Not copied: sessions only let members stay signed in; after the move everyone signs in once again.
NOT_MOVED = {"sessions.Session"}


def _moved_models() -> list[Any]:
    from django.apps import apps

    return [
        model
        for model in apps.get_models(include_auto_created=True)  # with the many-to-many tables
        if model._meta.managed and not model._meta.proxy and model._meta.label not in NOT_MOVED
    ]


def _check_same_migrations(snapshot: Path) -> None:
    """A SQLite backup moves only into the schema it was made with: the migrations of this version."""
    from django.db.migrations.loader import MigrationLoader

    src = sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)
    try:
        applied = set(src.execute("SELECT app, name FROM django_migrations").fetchall())
    finally:
        src.close()
    known = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    if applied != known:
        raise BackupError(
            "this SQLite backup was made by another version of Amparo (its migrations differ): restore it on "
            "SQLite with this version, back it up again, and move that backup to PostgreSQL"
        )


def _to_postgresql(kind: str, value: Any) -> Any:
    """One SQLite value as PostgreSQL's column of this Django field type takes it."""
    import datetime

    if value is None:
        return None
    if kind in ("BooleanField", "NullBooleanField"):
        return bool(value)
    if kind == "DateTimeField":  # Django keeps UTC without an offset in SQLite
        moment = datetime.datetime.fromisoformat(str(value))
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    if kind == "DurationField":  # microseconds in SQLite
        return datetime.timedelta(microseconds=int(value))
    if kind == "UUIDField":
        import uuid

        return uuid.UUID(str(value))
    return value  # text (JSON as its text, cast to jsonb by COPY), numbers, bytes, dates


def copy_sqlite_into_postgresql(snapshot: Path) -> dict[str, int]:
    """Migrate the empty PostgreSQL database, then replace every table's rows by the snapshot's, in one transaction.

    TRUNCATE empties the tables first, seeded rows included (vocabulary terms, facilities, content types: the
    backup's rows are the truth and keep their ids); it fires no row trigger, so the append-only tables need no
    unlocking, and INSERT is all they ever see. Foreign keys are DEFERRABLE INITIALLY DEFERRED on PostgreSQL, so
    tables are filled in any order and checked at commit. Columns that are not model fields (the generated search
    document) are filled by PostgreSQL itself. Sequences are set past the copied ids at the end.
    """
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction

    call_command("migrate", interactive=False, verbosity=0)
    models = _moved_models()
    src = sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)
    copied: dict[str, int] = {}
    try:
        source_tables = {
            row[0] for row in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        }
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            tables = ", ".join(quote(m._meta.db_table) for m in models)
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            progress = Progress("tables", len(models))
            for model in models:
                table = model._meta.db_table
                fields = list(model._meta.local_concrete_fields)
                if table not in source_tables:
                    raise BackupError(f"the SQLite backup has no table {table}")
                have = {row[1] for row in src.execute(f"PRAGMA table_info({quote(table)})")}
                missing = [f.column for f in fields if f.column not in have]
                if missing:
                    raise BackupError(f"the SQLite backup's table {table} lacks {', '.join(missing)}")
                kinds = [f.get_internal_type() for f in fields]
                columns = ", ".join(quote(f.column) for f in fields)
                rows = src.execute(f"SELECT {columns} FROM {quote(table)}")  # noqa: S608 (names from models)
                count = 0
                with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([_to_postgresql(k, v) for k, v in zip(kinds, row, strict=True)])
                        count += 1
                copied[model._meta.label] = count
                progress.step()
            progress.close()
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            for model in models:  # what PostgreSQL holds now, before the commit makes it so
                cursor.execute(f"SELECT COUNT(*) FROM {quote(model._meta.db_table)}")  # noqa: S608
                if cursor.fetchone()[0] != copied[model._meta.label]:
                    raise BackupError(f"{model._meta.label}: the copy into PostgreSQL lost rows")
    finally:
        src.close()
    return copied


def restore(out: Path, keys_file: Path, secret: str) -> dict[str, Any]:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from amparo.evidence import log, store
    from amparo.evidence.checkall import verify_all

    started = time.monotonic()
    manifest, keys, problems = check(out, keys_file, secret)
    if problems:
        raise BackupError("the backup does not check out:\n  " + "\n  ".join(problems))
    moving = manifest["engine"] == "sqlite" and connection.vendor == "postgresql"  # embedded -> pooled
    if manifest["engine"] != connection.vendor and not moving:
        raise BackupError(
            f"this backup is of a {manifest['engine']} database and the target is {connection.vendor}: "
            "restore it on the same engine, or an embedded (SQLite) backup into PostgreSQL (docs/operations.md)"
        )
    if moving:
        _check_same_migrations(out / manifest["database"])
    in_use = _data_in_use()
    if in_use:
        raise BackupError(
            "restore needs an empty installation; these hold data already: " + ", ".join(in_use)
        )

    keys_dir = Path(settings.KEYS_DIR)
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(keys_dir, 0o700)
    for name, data in keys.items():
        if "/" in name or name.startswith("."):
            raise BackupError(f"the keys file names an unsafe key file {name!r}")
        target = keys_dir / name  # a key made when this empty installation started protects nothing yet
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)

    db = settings.DATABASES["default"]
    connection.close()
    if connection.vendor == "sqlite":
        db_file = Path(str(db["NAME"]))
        db_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        for suffix in ("-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        src = sqlite3.connect(str(out / manifest["database"]))
        dst = sqlite3.connect(str(db_file))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        os.chmod(db_file, 0o600)
    elif moving:
        import psycopg
        from django.db import Error as DatabaseError

        try:
            copy_sqlite_into_postgresql(out / manifest["database"])
        except (DatabaseError, psycopg.Error, BackupError) as exc:
            raise BackupError(
                f"the copy into PostgreSQL failed and was rolled back ({exc}); the database now holds "
                "Amparo's freshly migrated tables: drop it and create it again before another restore"
            ) from exc
    else:
        subprocess.run(  # noqa: S603 (fixed arguments; the URL is the operator's own setting)
            [  # noqa: S607 (PostgreSQL's client tools, from PATH like psql)
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                _pg_url(db),
                str(out / manifest["database"]),
            ],
            check=True,
        )

    originals = (
        sorted(p for p in (out / "evidence").rglob("*") if p.is_file()) if (out / "evidence").is_dir() else []
    )
    progress = Progress("evidence", len(originals))
    for path in originals:
        with open(path, "rb") as original, store.receive(original) as received:
            if received.sha256 != path.name:
                raise BackupError(f"evidence/{path.name} does not hash to its name")
            store.commit(received)
        progress.step()
    progress.close()

    tiles = log.tile_log().store
    if (out / "log").is_dir():
        for path in sorted((out / "log").rglob("*")):
            if path.is_file() and path.name != "checkpoint":
                tiles.write(path.relative_to(out / "log").as_posix(), path.read_bytes())
        if (out / "log" / "checkpoint").is_file():  # last: the checkpoint is the commit point
            tiles.write("checkpoint", (out / "log" / "checkpoint").read_bytes())

    call_command("migrate", interactive=False, verbosity=0)  # a backup of an older version
    log.integrate_pending()
    report = verify_all()
    return {
        "seconds": round(time.monotonic() - started, 2),
        "originals": len(originals),
        "log_size": log.fresh_tile_log().size,
        "failures": report.failures,
        "checked": report.checked,
    }


# --- command line --------------------------------------------------------------------------------------------


def _backup_command(args: argparse.Namespace) -> int:
    setup_django()
    out = Path(args.out)
    keys_out = Path(args.keys_out) if args.keys_out else out.with_name(out.name + ".keys")
    try:
        secret = passphrase(args, confirm=True)
        manifest = backup(out, keys_out, secret)
    except (BackupError, subprocess.CalledProcessError, OSError) as exc:
        print(f"amparo backup: {exc}", file=sys.stderr)
        return 1
    print(
        f"Backup written to {out} in {manifest['seconds']} s: {manifest['originals']} originals "
        f"({manifest['original_bytes']} bytes), log of {manifest['log_size']} entries, "
        f"database {manifest['database']}."
    )
    print(f"Keys ({', '.join(manifest['keys']) or 'none'}) sealed under your passphrase in {keys_out}.")
    print(
        "Keep the keys file on other media than the backup. Check it any time: amparo restore --check "
        + str(out)
    )
    from django.conf import settings

    if settings.LOG_SIGNING_KEY or settings.PERSON_MASTER_KEY or settings.BLIND_INDEX_KEY:
        print("Some keys come from environment variables: they are not in the keys file; keep them too.")
    return 0


def _restore_command(args: argparse.Namespace) -> int:
    setup_django()
    out = Path(args.out)
    keys_file = Path(args.keys) if args.keys else out.with_name(out.name + ".keys")
    try:
        secret = passphrase(args, confirm=False)
        if args.check:
            manifest, keys, problems = check(out, keys_file, secret)
            for problem in problems:
                print(f"FAILED: {problem}")
            if problems:
                return 1
            print(
                f"OK: {manifest['originals']} originals, log of {manifest['log_size']} entries, "
                f"{len(keys)} keys, made {manifest['created']} by Amparo {manifest['amparo']}."
            )
            return 0
        result = restore(out, keys_file, secret)
    except (BackupError, subprocess.CalledProcessError, OSError) as exc:
        print(f"amparo restore: {exc}", file=sys.stderr)
        return 1
    for line in result["checked"]:
        print(f"ok: {line}")
    for failure in result["failures"]:
        print(f"FAILED: {failure}")
    print(
        f"Restored {result['originals']} originals and a log of {result['log_size']} entries "
        f"in {result['seconds']} s."
    )
    return 1 if result["failures"] else 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "backup", help="write one consistent, verifiable backup (keys sealed separately)"
    )
    p.add_argument("out", help="a new folder for the backup")
    p.add_argument("--keys-out", help="where to write the sealed keys (default: OUT.keys)")
    p.add_argument("--passphrase-file", help="read the keys passphrase from this file")
    p.set_defaults(func=_backup_command)
    r = subparsers.add_parser("restore", help="bring a backup up in an empty installation, then verify it")
    r.add_argument("out", help="the backup folder")
    r.add_argument("--keys", help="the sealed keys file (default: OUT.keys)")
    r.add_argument("--passphrase-file", help="read the keys passphrase from this file")
    r.add_argument(
        "--check", action="store_true", help="only check the backup's files and keys; restore nothing"
    )
    r.set_defaults(func=_restore_command)
