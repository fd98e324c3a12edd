"""Database sessions read with one plain SQL statement.

Every signed-in request reads its session. Django's database session store
builds that query through the ORM each time, which costs several times more
than the database takes to answer it; this store sends the same ``SELECT`` as
plain SQL. Sessions are the same rows in the same table as Django's store
(``SESSION_ENGINE = "missionsafety.core.sessions"``); everything else — saving,
cycling keys, expiry, clearing — is Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if key is None:  # no cookie, or not a key: no session
            self._session_key = None
            return None
        model = self.model
        using = router.db_for_read(model)
        connection = connections[using]
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {quote('session_data')} FROM {quote(model._meta.db_table)} "
            f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0])
