"""System checks that refuse unsafe configuration. Ids are stable: documented in docs/configuration.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

WEAK_SECRETS = {"", "changeme", "secret", "insecure", "django-insecure", "amparo"}


@register(Tags.security, deploy=False)
def production_settings(app_configs: Any = None, **kwargs: Any) -> list[Error | Warning]:
    problems: list[Error | Warning] = []
    if not settings.PRODUCTION:
        return problems
    if settings.DEBUG:
        problems.append(Error("AMPARO_DEBUG is on in production mode.", id="amparo.E001"))
    secret = settings.SECRET_KEY
    if (
        secret.lower() in WEAK_SECRETS
        or secret.startswith("django-insecure")
        or len(set(secret)) < 10
        or len(secret) < 40
    ):
        problems.append(
            Error(
                "The secret key is a default or too weak.",
                hint="Set AMPARO_SECRET_KEY (or AMPARO_SECRET_KEY_FILE) to a random value of at least 40 characters.",
                id="amparo.E002",
            )
        )
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        problems.append(
            Error(
                "Cookies are sent over plain HTTP in production mode.",
                hint="AMPARO_SECURE_COOKIES=true",
                id="amparo.E003",
            )
        )
    if not settings.SECURE_SSL_REDIRECT and not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        problems.append(
            Error(
                "Plain HTTP is accepted in production mode.",
                hint="AMPARO_SSL_REDIRECT=true, or AMPARO_BEHIND_PROXY=true behind a TLS-terminating proxy.",
                id="amparo.E004",
            )
        )
    if settings.SECURE_HSTS_SECONDS < 86400:
        problems.append(
            Error("HSTS is off or shorter than a day.", hint="AMPARO_HSTS_SECONDS", id="amparo.E005")
        )
    if "*" in settings.ALLOWED_HOSTS:
        problems.append(Error("AMPARO_ALLOWED_HOSTS allows any host.", id="amparo.E006"))
    if not settings.SITE_URL.startswith("https://"):
        problems.append(Error("AMPARO_SITE_URL is not an https:// address.", id="amparo.E007"))
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        problems.append(
            Warning(
                "E-mail is printed to the console, not sent.",
                hint="Set AMPARO_EMAIL_BACKEND and AMPARO_EMAIL_HOST.",
                id="amparo.W001",
            )
        )
    return problems


PUBLIC_FOLDERS = {"static"}  # collected static files: the same bytes every visitor gets


def _open_to_others(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & 0o077)
    except OSError:
        return False


@register(Tags.security)
def private_files(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """A copied or shared data folder must not open to other users of the machine (review finding M5)."""
    problems: list[Warning] = []
    data, keys = Path(settings.DATA_DIR), Path(settings.KEYS_DIR)
    loose_folders = [str(d) for d in dict.fromkeys([data, keys]) if d.is_dir() and _open_to_others(d)]
    if loose_folders:
        problems.append(
            Warning(
                f"Other users of this machine can open {', '.join(loose_folders)}.",
                hint="chmod 700 the folder; `amparo serve` creates everything private (umask 077).",
                id="amparo.W020",
            )
        )
    loose_files = sorted(
        entry.name
        for folder in dict.fromkeys([data, keys])
        if folder.is_dir()
        for entry in folder.iterdir()
        if entry.name not in PUBLIC_FOLDERS and _open_to_others(entry)
    )
    if loose_files:
        problems.append(
            Warning(
                f"Files or folders readable by other users in the data or keys folder: {', '.join(loose_files[:8])}.",
                hint="chmod -R go-rwx the data folder (files 0600, folders 0700); a copy keeps these modes.",
                id="amparo.W021",
            )
        )
    inside = keys == data or data in keys.parents
    if settings.PRODUCTION and inside and keys.is_dir() and any(keys.iterdir()):
        problems.append(
            Warning(
                "The keys folder is inside the data folder: one copy of the data folder holds the keys that open it.",
                hint="Set AMPARO_KEYS_DIR to a folder on other media, or pass every key as a secret (docs/security.md).",
                id="amparo.W022",
            )
        )
    return problems


@register(Tags.security)
def trusted_proxies(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from amparo.intake.privacy import invalid_networks

    bad = invalid_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if bad:
        return [
            Error(
                f"AMPARO_TRUSTED_PROXIES has entries that are not addresses or CIDR ranges: {', '.join(bad)}",
                hint="Give addresses or ranges such as 10.0.0.5 or 10.0.0.0/24, separated by commas.",
                id="amparo.E011",
            )
        ]
    return []


@register(Tags.security)
def webhook_allow(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from amparo.intake.privacy import invalid_networks

    bad = invalid_networks(tuple(getattr(settings, "WEBHOOK_ALLOW", ())))
    if bad:
        return [
            Error(
                f"AMPARO_WEBHOOK_ALLOW has entries that are not addresses or CIDR ranges: {', '.join(bad)}",
                hint="Give private gateway addresses or ranges such as 10.0.0.5 or 192.168.1.0/24, separated by commas.",
                id="amparo.E012",
            )
        ]
    return []


@register(Tags.database)
def database_engine(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
        return [Error(f"Unsupported database engine {engine}; use SQLite or PostgreSQL.", id="amparo.E010")]
    return []


@register(deploy=False)
def map_tiles_file(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """AMPARO_MAP_TILES naming a local PMTiles file that cannot be served: the map falls back to the outlines."""
    from amparo.incidents import tiles

    value = str(getattr(settings, "MAP_TILES", "") or "").strip()
    if not tiles.is_local(value):
        return []
    reason = tiles.check(value)
    if not reason:
        return []
    return [
        Warning(
            f"AMPARO_MAP_TILES cannot be used: {reason}. The staff map shows the state and county outlines.",
            hint="Give a readable PMTiles v3 file of raster tiles (PNG, JPEG, WebP), or a {z}/{x}/{y} tile server URL.",
            id="amparo.W030",
        )
    ]
