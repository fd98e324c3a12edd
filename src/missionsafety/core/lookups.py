"""``__in`` on an integer column matches nothing for an integer the column
cannot hold, as Django's ``=``, ``<`` and ``>`` already do.

Without it, a form or API choice of ``9223372036854775808`` (2^63) failed in
SQL (SQLite: OverflowError) instead of being an unknown choice.
"""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerIn)
