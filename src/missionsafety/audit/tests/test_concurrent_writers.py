"""Writers in parallel still form one unbroken chain (the head row is the lock)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from missionsafety.audit.models import ChangeRecord
from missionsafety.audit.services import record_change, verify_chain


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a server database; SQLite serialises writers anyway",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_writers_chain_one_after_the_other() -> None:
    from missionsafety.organisations.models import Organisation

    org = Organisation.objects.create(name="Concurrent", short_name="CC", kind="other")
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                record_change(
                    actor=None, obj=org, action="update", after={"n": n, "i": i}
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert ChangeRecord.objects.count() == 40
    result = verify_chain()
    assert result.ok, result.problem
