from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class RedactionConfig(AppConfig):
    name = "amparo.redaction"
    label = "redaction"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from amparo.accounts.models import Network

        post_save.connect(_network_created, sender=Network, dispatch_uid="redaction.c2pa_keys")


def _network_created(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A new network gets its C2PA signing key at setup (after the commit; signing makes one if this failed)."""
    if not created:
        return
    import logging

    from django.db import transaction

    from amparo.redaction.signing import ensure_keys

    def make() -> None:
        try:
            ensure_keys(instance)
        except OSError:  # a read-only key folder: the first signing tries again and reports it
            logging.getLogger("amparo.redaction").exception("no C2PA key made for a new network")

    transaction.on_commit(make)
