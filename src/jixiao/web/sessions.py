"""The session store: Django's database sessions, with the one read every signed-in request
makes (the session's data by its key, unexpired) as a statement written once instead of a
query the ORM compiles anew on each request. Writes, expiry and keys are Django's own."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

_SQL: dict[str, str] = {}


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        data = self._data_from_db()
        return self.decode(data) if data is not None else {}

    def _data_from_db(self) -> str | None:
        """The stored data of this session if it has not expired; else None, and the key is
        forgotten (a new session gets a new key), as Django's store does."""
        key = self.session_key
        if key is None:
            return None
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        sql = _SQL.get(alias)
        if sql is None:
            quote = connection.ops.quote_name
            sql = _SQL[alias] = (
                f"SELECT {quote('session_data')} FROM {quote(model._meta.db_table)} "
                f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
            )
        now = model._meta.get_field("expire_date").get_db_prep_value(
            timezone.now(), connection, prepared=False
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return str(row[0])
