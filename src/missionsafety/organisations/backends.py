"""Log-in and the signed-in user of each request.

``UserBackend`` is Django's model backend (passwords, active flag,
permissions) with one change: the user every signed-in request names in its
session is read with plain SQL by primary key. Built through the ORM the query
costs several times what the database takes to answer it, on every request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)  # type: ignore[union-attr]
        except ValidationError:
            return None
        quote = connections[router.db_for_read(model)].ops.quote_name
        table, column = model._meta.db_table, str(model._meta.pk.column)  # type: ignore[union-attr]
        rows = model._default_manager.raw(
            f"SELECT * FROM {quote(table)} WHERE {quote(column)} = %s", [pk]
        )
        user = next(iter(rows), None)
        return user if user is not None and self.user_can_authenticate(user) else None
