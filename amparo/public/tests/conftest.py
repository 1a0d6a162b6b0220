from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings: object) -> None:
    """The personas' passwords play no part here; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
