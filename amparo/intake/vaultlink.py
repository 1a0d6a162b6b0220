"""Intake's two doors to other parts: evidence bytes go only to the evidence vault, contacts only sealed.

Kept in one module so a change of either signature touches one place.
"""

from __future__ import annotations

from typing import IO, Any

from amparo.accounts.models import Network


def store(fileobj: IO[bytes], *, filename: str, claimed_type: str) -> Any:
    """The file work of an ingest (hash, store, probe), done before the report's transaction."""
    from amparo.evidence import vault

    return vault.store_original(fileobj, filename=filename, claimed_type=claimed_type)


def ingest_stored(
    stored: Any,
    *,
    network: Network,
    actor: Any,
    report: Any,
    consent: str,
    source: str,
    consent_uses: list[str] | None = None,
) -> Any:
    """The evidence item for a file :func:`store` stored: database rows only, inside the report's transaction."""
    from amparo.evidence import vault

    return vault.ingest_stored(
        stored,
        network=network,
        actor=actor,
        report=report,
        consent=consent,
        consent_uses=consent_uses,
        source=source,
    )


CONTACT_PURPOSE = "report.contact"


def seal_contact(plaintext: str) -> str:
    from amparo.lib import crypto

    sealed = crypto.seal(plaintext, CONTACT_PURPOSE)
    return sealed if isinstance(sealed, str) else sealed.decode("ascii")


def unseal_contact(sealed: str) -> str:
    from amparo.lib import crypto

    plain = crypto.unseal(sealed, CONTACT_PURPOSE)
    return plain if isinstance(plain, str) else plain.decode("utf-8")
