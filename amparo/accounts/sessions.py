"""Database sessions whose table holds only a digest of each session key.

The cookie carries the key; the ``django_session`` row is found by its SHA-256, so a copy of the table (a stolen
database file or backup) holds no value that works as a cookie. The digest is cut to the column's 40 characters
(160 bits): finding a key for a digest is still out of reach. Sessions made before this backend are not found and
their members sign in again once.

Sessions slide: each request moves the expiry forward (``SESSION_SAVE_EVERY_REQUEST``). A request that changed
nothing writes the row only when its stored expiry is more than ``REFRESH_SECONDS`` old, so staff paging through
triage do not queue for SQLite's one write lock behind witness submissions on every page (docs/scaling.md); the
inactivity limit is then kept to within that minute.

Settings: ``SESSION_ENGINE = "amparo.accounts.sessions"``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.utils import timezone

REFRESH_SECONDS = 60  # an unchanged session's row is rewritten at most this often


def stored_key(session_key: str) -> str:
    """What the table holds for a session key: never the key itself."""
    return hashlib.sha256(session_key.encode("ascii", "replace")).hexdigest()[:40]


class SessionStore(DatabaseSessionStore):
    _stored_expiry: datetime | None = None  # the loaded row's expire_date

    def _get_session_from_db(self) -> AbstractBaseSession | None:
        if self.session_key is None:
            return None
        row = self.model.objects.filter(
            session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
        ).first()
        if row is None:
            self._session_key = None
        self._stored_expiry = row.expire_date if row is not None else None
        return row

    def _fresh(self) -> bool:
        """Loaded, unchanged, and its stored expiry is within REFRESH_SECONDS of where this request would move it."""
        self._get_session()  # type: ignore[attr-defined]  # in Django, not in the stubs; loads the row and expiry
        if self.modified or self._stored_expiry is None or self.session_key is None:
            return False
        return self._stored_expiry >= self.get_expiry_date() - timedelta(seconds=REFRESH_SECONDS)

    def save(self, must_create: bool = False) -> None:
        if not must_create and self._fresh():
            return  # nothing to write: no change, and the expiry moved less than a minute
        super().save(must_create=must_create)

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
