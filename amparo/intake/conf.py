"""Intake limits, read from Django settings with safe defaults (the integrator maps them to environment variables).

Every value here is documented in docs/intake.md.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings


def max_file_bytes() -> int:
    """Largest single file (form or tus upload)."""
    return int(getattr(settings, "INTAKE_MAX_FILE_BYTES", getattr(settings, "EVIDENCE_MAX_BYTES", 4 << 30)))


def max_form_files() -> int:
    return int(getattr(settings, "INTAKE_MAX_FORM_FILES", 10))


def upload_lifetime() -> timedelta:
    """An unfinished or unattached tus upload is removed this long after its last write."""
    return timedelta(hours=int(getattr(settings, "INTAKE_UPLOAD_HOURS", 24)))


def contact_lifetime() -> timedelta:
    """A witness contact or hotline callback number is deleted this long after the report arrived."""
    return timedelta(hours=int(getattr(settings, "INTAKE_CONTACT_HOURS", 72)))


def reports_per_hour() -> int:
    """Public reports accepted per hour from one (salted, hashed) address."""
    return int(getattr(settings, "INTAKE_REPORTS_PER_HOUR", 20))


def uploads_per_hour() -> int:
    """tus uploads created per hour from one (salted, hashed) address."""
    return int(getattr(settings, "INTAKE_UPLOADS_PER_HOUR", 60))


def form_reports_per_hour() -> int:
    """Reports per hour from one address that carry a fresh, unused form token (witnesses of one raid often share
    one address: a church's wifi, a carrier's NAT). Junk costs ``JUNK_COST`` of this budget."""
    return int(getattr(settings, "INTAKE_FORM_REPORTS_PER_HOUR", 400))


def form_min_seconds() -> int:
    """A form token younger than this is refused as junk: no person reads and fills the form faster."""
    return int(getattr(settings, "INTAKE_FORM_MIN_SECONDS", 3))


def form_lifetime() -> timedelta:
    """A form token older than this no longer counts (the page is reloaded for a fresh one)."""
    return timedelta(hours=12)


JUNK_COST = (
    10  # a honeypot hit, a repeated body, a reused or too young token, a refused body: ten reports' worth
)
UPLOADS_PER_FORM = 30  # tus creations one form token (or browser) may make in an hour


def followup_tries_per_hour() -> int:
    """Follow-up code attempts per hour from one (salted, hashed) address."""
    return int(getattr(settings, "INTAKE_FOLLOWUP_TRIES_PER_HOUR", 20))


def api_requests_per_minute() -> int:
    return int(getattr(settings, "INTAKE_API_REQUESTS_PER_MINUTE", 120))


def uploads_dir() -> object:
    path = settings.DATA_DIR / "uploads"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


ALLOWED_TYPES = (
    "image/jpeg",
    "image/png",
    "image/heic",
    "image/heif",
    "image/webp",
    "image/gif",
    "video/mp4",
    "video/quicktime",
    "video/webm",
    "video/3gpp",
    "video/x-matroska",
    "audio/mpeg",
    "audio/mp4",
    "audio/aac",
    "audio/ogg",
    "audio/wav",
    "audio/x-wav",
    "audio/webm",
    "application/pdf",
)


def max_pending_bytes() -> int:
    """Total bytes received for unattached uploads the server holds at once; beyond it new bytes wait (507).

    Anonymous uploads may fill ``ANONYMOUS_SHARE`` of it, so partners keep room under a flood of witness uploads."""
    return int(getattr(settings, "INTAKE_MAX_PENDING_BYTES", 50 << 30))


ANONYMOUS_SHARE = 0.8


def max_pending_per_uploader() -> int:
    """Bytes received and not yet attached for one uploader (one form or browser, or one partner token)."""
    return int(getattr(settings, "INTAKE_MAX_PENDING_PER_UPLOADER_BYTES", 8 << 30))
