"""Amparo settings: configuration only, from environment variables with safe defaults.

Every variable is documented in docs/configuration.md; tests/test_docs.py fails when one is missing there.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from amparo.env import envbool, envint, envlist, envsecret, envstr
from amparo.lib.keys import key_file

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(envstr("AMPARO_DATA_DIR", "amparo-data")).resolve()
# Keys outside the database; in production put them on other media than the data folder (amparo.W022).
KEYS_DIR = Path(envstr("AMPARO_KEYS_DIR", str(DATA_DIR / "keys"))).resolve()

# "embedded" (one machine, laptop or small server) or "production" (behind TLS; strict checks).
PRODUCTION = envbool("AMPARO_PRODUCTION", False)
DEBUG = envbool("AMPARO_DEBUG", False)

SECRET_KEY = envsecret("AMPARO_SECRET_KEY") or key_file(KEYS_DIR / "secret_key").decode("ascii")
ALLOWED_HOSTS = envlist("AMPARO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("AMPARO_CSRF_TRUSTED_ORIGINS")
SITE_URL = envstr("AMPARO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "amparo.accounts",
    "amparo.audit",
    "amparo.evidence",
    "amparo.intake",
    "amparo.incidents",
    "amparo.people",
    "amparo.legal",
    "amparo.public",
    "amparo.corroboration",
    "amparo.redaction",
    "amparo.outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "amparo.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "amparo.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "amparo.outage.OutageMiddleware",  # database or store not answering: 503 + Retry-After (amparo/outage.py)
]

ROOT_URLCONF = "amparo.urls"
WSGI_APPLICATION = "amparo.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amparo.accounts.context.membership",
            ],
            "builtins": [
                "amparo.templatetags.vocab"
            ],  # {{ code|label:"kind" }} on every page (amparo/vocab.py)
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envsecret("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'amparo.sqlite3'}",
        conn_max_age=envint("AMPARO_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA secure_delete=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions expire: after AMPARO_SESSION_HOURS of inactivity, and when the browser closes.
SESSION_COOKIE_AGE = envint("AMPARO_SESSION_HOURS", 8) * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token
# The session table holds only a digest of each key (a copied database file opens no session).
SESSION_ENGINE = "amparo.accounts.sessions"
# Cookies go only over HTTPS in production, and whenever the site address is https://.
SECURE_COOKIES = envbool("AMPARO_SECURE_COOKIES", PRODUCTION or SITE_URL.startswith("https://"))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = envbool("AMPARO_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = envint("AMPARO_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if envbool("AMPARO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Sign-in throttling (amparo/accounts/throttle.py): failures per account and client before delays start to grow.
SIGNIN_MAX_FAILURES = envint("AMPARO_SIGNIN_MAX_FAILURES", 5)
SIGNIN_WINDOW_MINUTES = envint("AMPARO_SIGNIN_WINDOW_MINUTES", 15)
INVITATION_DAYS = envint("AMPARO_INVITATION_DAYS", 7)

LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español"), ("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = envstr("AMPARO_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "files"},
    },
    # gzip and Brotli copies, and names with a content hash that browsers may keep for a year (`amparo serve` runs
    # collectstatic at every start; the tests use plain storage, conftest.py)
    "staticfiles": {"BACKEND": "amparo.static_storage.StaticStorage"},
}
# Evidence originals: a local folder by default; any S3-compatible store with AMPARO_EVIDENCE_S3_BUCKET.
EVIDENCE_DIR = DATA_DIR / "evidence"
# Thumbnails and viewing copies of evidence (a cache: safe to delete, made again on demand).
DERIVED_DIR = DATA_DIR / "derived"
EVIDENCE_S3_BUCKET = envstr("AMPARO_EVIDENCE_S3_BUCKET")
EVIDENCE_S3_ENDPOINT = envstr("AMPARO_EVIDENCE_S3_ENDPOINT")
# The published log tiles: DATA_DIR/log by default; an S3-compatible bucket (same endpoint) with AMPARO_LOG_S3_BUCKET.
LOG_S3_BUCKET = envstr("AMPARO_LOG_S3_BUCKET")
EVIDENCE_MAX_BYTES = envint("AMPARO_EVIDENCE_MAX_MB", 4096) * 1024 * 1024
LOG_ORIGIN = envstr("AMPARO_LOG_ORIGIN", "amparo.local/log")
LOG_SIGNING_KEY = envsecret("AMPARO_LOG_SIGNING_KEY")
PERSON_MASTER_KEY = envsecret("AMPARO_PERSON_MASTER_KEY")
PERSON_MASTER_KEY_PREVIOUS = envsecret("AMPARO_PERSON_MASTER_KEY_PREVIOUS")
BLIND_INDEX_KEY = envsecret("AMPARO_BLIND_INDEX_KEY")

# Intake limits (amparo/intake/conf.py).
INTAKE_MAX_FILE_BYTES = (
    envint("AMPARO_INTAKE_MAX_FILE_MB", envint("AMPARO_EVIDENCE_MAX_MB", 4096)) * 1024 * 1024
)
INTAKE_MAX_FORM_FILES = envint("AMPARO_INTAKE_MAX_FORM_FILES", 10)
INTAKE_UPLOAD_HOURS = envint("AMPARO_INTAKE_UPLOAD_HOURS", 24)
INTAKE_CONTACT_HOURS = envint("AMPARO_INTAKE_CONTACT_HOURS", 72)
INTAKE_REPORTS_PER_HOUR = envint("AMPARO_INTAKE_REPORTS_PER_HOUR", 20)
INTAKE_UPLOADS_PER_HOUR = envint("AMPARO_INTAKE_UPLOADS_PER_HOUR", 60)
INTAKE_FOLLOWUP_TRIES_PER_HOUR = envint("AMPARO_INTAKE_FOLLOWUP_TRIES_PER_HOUR", 20)
INTAKE_API_REQUESTS_PER_MINUTE = envint("AMPARO_INTAKE_API_REQUESTS_PER_MINUTE", 120)
INTAKE_MAX_PENDING_BYTES = envint("AMPARO_INTAKE_MAX_PENDING_GB", 50) * 1024**3
INTAKE_MAX_PENDING_PER_UPLOADER_BYTES = envint("AMPARO_INTAKE_MAX_PENDING_PER_UPLOADER_GB", 8) * 1024**3
INTAKE_FORM_REPORTS_PER_HOUR = envint("AMPARO_INTAKE_FORM_REPORTS_PER_HOUR", 400)
INTAKE_FORM_MIN_SECONDS = envint("AMPARO_INTAKE_FORM_MIN_SECONDS", 3)
# Reverse proxies (CIDR list) whose X-Forwarded-For names the client for rate limits (amparo/intake/privacy.py).
TRUSTED_PROXIES = envlist("AMPARO_TRUSTED_PROXIES")
# Private addresses or CIDR ranges an outgoing webhook may reach anyway (amparo/outbound.py; empty: none).
WEBHOOK_ALLOW = envlist("AMPARO_WEBHOOK_ALLOW")

# The public layer (amparo/public/anonymise.py): what may be published, and when.
AMPARO_PUBLIC_EMBARGO_HOURS = envint("AMPARO_PUBLIC_EMBARGO_HOURS", 24)
AMPARO_PUBLIC_RESIDENCE_EMBARGO_HOURS = envint("AMPARO_PUBLIC_RESIDENCE_EMBARGO_HOURS", 168)
AMPARO_PUBLIC_K = envint("AMPARO_PUBLIC_K", 3)
AMPARO_PUBLIC_CACHE_SECONDS = envint("AMPARO_PUBLIC_CACHE_SECONDS", 300)
AMPARO_PUBLIC_TILE_URL = envstr("AMPARO_PUBLIC_TILE_URL")
# The staff incident map's tiles: a {z}/{x}/{y} URL template of the network's own tile server (docs/incidents.md).
MAP_TILES = envstr("AMPARO_MAP_TILES")
MAP_TILES_ATTRIBUTION = envstr("AMPARO_MAP_TILES_ATTRIBUTION")
AMPARO_PUBLIC_TILE_ATTRIBUTION = envstr("AMPARO_PUBLIC_TILE_ATTRIBUTION")

# Background work: Django's task interface. "database" (embedded) or "rq" (Redis workers on several machines).
TASKS_BACKEND = envstr("AMPARO_TASKS_BACKEND", "database")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": envstr("REDIS_URL", "redis://127.0.0.1:6379/0")}}
    TASKS = {"default": {"BACKEND": "amparo.tasks_rq.RetryingRQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = envstr("AMPARO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("AMPARO_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("AMPARO_EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("AMPARO_EMAIL_USER")
EMAIL_HOST_PASSWORD = envsecret("AMPARO_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("AMPARO_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = envstr("AMPARO_EMAIL_FROM", "amparo@localhost")

# Logs never carry IP addresses, names or file names: request logging is off; errors go to stderr without request data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "amparo": {"handlers": ["console"], "level": envstr("AMPARO_LOG_LEVEL", "INFO")},
    },
}
