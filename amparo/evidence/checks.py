"""System checks for the vault's configuration (ids ``amparo.evidence.*``, listed in docs/evidence.md)."""

from __future__ import annotations

import importlib.util
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from amparo.ledger import LedgerError, NoteSigner


@register()
def evidence_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if settings.EVIDENCE_S3_BUCKET and importlib.util.find_spec("storages") is None:
        problems.append(
            Error(
                "AMPARO_EVIDENCE_S3_BUCKET is set but django-storages is not installed.",
                hint="pip install 'amparo[s3]', or unset AMPARO_EVIDENCE_S3_BUCKET to keep evidence on disk.",
                id="amparo.evidence.E001",
            )
        )
    if settings.LOG_SIGNING_KEY:
        try:
            NoteSigner.from_skey(settings.LOG_SIGNING_KEY)
        except LedgerError as exc:
            problems.append(
                Error(
                    f"AMPARO_LOG_SIGNING_KEY is not a signer key: {exc}",
                    hint="Make one with: python -m amparo.ledger keygen <name>",
                    id="amparo.evidence.E002",
                )
            )
    if settings.PRODUCTION and settings.LOG_ORIGIN == "amparo.local/log":
        problems.append(
            Warning(
                "The transparency log still has the default origin 'amparo.local/log'.",
                hint="Set AMPARO_LOG_ORIGIN to your site, e.g. example.org/log, before the first evidence arrives.",
                id="amparo.evidence.W001",
            )
        )
    if settings.EVIDENCE_MAX_BYTES <= 0:
        problems.append(Error("AMPARO_EVIDENCE_MAX_MB must be positive.", id="amparo.evidence.E003"))
    return problems
