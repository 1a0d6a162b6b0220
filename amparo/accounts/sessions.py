"""Database sessions whose table holds only a digest of each session key.

The cookie carries the key; the ``django_session`` row is found by its SHA-256, so a copy of the table (a stolen
database file or backup) holds no value that works as a cookie. The digest is cut to the column's 40 characters
(160 bits): finding a key for a digest is still out of reach. Sessions made before this backend are not found and
their members sign in again once.

Settings: ``SESSION_ENGINE = "amparo.accounts.sessions"``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.utils import timezone


def stored_key(session_key: str) -> str:
    """What the table holds for a session key: never the key itself."""
    return hashlib.sha256(session_key.encode("ascii", "replace")).hexdigest()[:40]


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> AbstractBaseSession | None:
        if self.session_key is None:
            return None
        row = self.model.objects.filter(
            session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
        ).first()
        if row is None:
            self._session_key = None
        return row

    async def _aget_session_from_db(self) -> AbstractBaseSession | None:
        if self.session_key is None:
            return None
        row = await self.model.objects.filter(
            session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
        ).afirst()
        if row is None:
            self._session_key = None
        return row

    def exists(self, session_key: str) -> bool:
        return bool(self.model.objects.filter(session_key=stored_key(session_key)).exists())

    async def aexists(self, session_key: str) -> bool:
        return bool(await self.model.objects.filter(session_key=stored_key(session_key)).aexists())

    def create_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        return self.model(  # type: ignore[no-any-return]  # the session model class
            session_key=stored_key(self._get_or_create_session_key()),  # type: ignore[attr-defined]  # in Django, not in the stubs
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
        )

    async def acreate_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        return self.model(  # type: ignore[no-any-return]  # the session model class
            session_key=stored_key(await self._aget_or_create_session_key()),  # type: ignore[attr-defined]  # in Django, not in the stubs
            session_data=self.encode(data),
            expire_date=await self.aget_expiry_date(),
        )

    def delete(self, session_key: str | None = None) -> None:
        key = self.session_key if session_key is None else session_key
        if key is not None:
            self.model.objects.filter(session_key=stored_key(key)).delete()

    async def adelete(self, session_key: str | None = None) -> None:
        key = self.session_key if session_key is None else session_key
        if key is not None:
            await self.model.objects.filter(session_key=stored_key(key)).adelete()
