"""System checks that refuse unsafe configuration. Ids are stable: documented in docs/configuration.md."""

from __future__ import annotations

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


@register(Tags.database)
def database_engine(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
        return [Error(f"Unsupported database engine {engine}; use SQLite or PostgreSQL.", id="amparo.E010")]
    return []
