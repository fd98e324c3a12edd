"""A dumpdata/loaddata move into an empty database keeps the chain verifiable.

The dump is loaded into a database of its own, by the product in a process of
its own: a scratch database on the run's PostgreSQL server, dropped afterwards,
or a second SQLite file. The test's own database is never emptied, so nothing
is left behind for the tests after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from missionsafety.audit.models import ChangeRecord
from missionsafety.audit.services import record_change
from missionsafety.deployments import services as dep_services
from missionsafety.organisations.models import User
from missionsafety.testing import product, scratch_databases


@contextmanager
def empty_database() -> Iterator[str]:
    """A database URL on the run's PostgreSQL server; "" (a SQLite file in the
    data directory) when the run uses SQLite."""
    if connection.vendor == "postgresql":
        with scratch_databases("load") as (url,):
            yield url
    else:
        with nullcontext(""):
            yield ""


@pytest.mark.django_db
def test_dump_and_load_into_an_empty_database_keeps_the_chain(
    world: Any, tmp_path: Path
) -> None:
    # A person whose id follows a gap (someone deleted; on PostgreSQL also any
    # id a rolled-back insert used): a move must not number them afresh.
    gone = User.objects.create_user(username="gone")
    latecomer = User.objects.create_user(username="latecomer")
    User.objects.filter(pk=gone.pk).delete()
    record_change(actor=latecomer, obj=world.dep, action="update")
    for i in range(3):
        dep_services.deployment_update(
            actor=world.jfc_safety,
            deployment=world.dep,
            version=None,
            description=f"change {i}",
        )
    before = list(ChangeRecord.objects.values_list("seq", "hash"))
    dump = tmp_path / "dump.json"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        "--exclude=contenttypes",
        "--exclude=auth.permission",
        "--exclude=sessions",
        "--exclude=axes",
        "--output",
        str(dump),
        verbosity=0,
    )

    with empty_database() as url:
        target = tmp_path / "target"

        def run(*args: str) -> str:
            # The chain is keyed: the database moves to a server with the same
            # audit key.
            return product(
                target,
                *args,
                database_url=url,
                timeout=1800,
                extra_env={"AUDIT_KEY": settings.AUDIT_KEY},
            )

        run("migrate", "-v0")
        # What the migrations seeded comes back with the dump, under its own ids.
        run("flush", "--no-input", "-v0")
        run("loaddata", str(dump), "-v0")
        loaded = run(
            "shell",
            "--no-imports",
            "-c",
            "from missionsafety.audit.models import ChangeRecord as C;"
            "from missionsafety.organisations.models import User;"
            "print(list(C.objects.values_list('seq', 'hash')));"
            f"print(User.objects.get(pk={latecomer.pk}).username)",
        )
        verified = run("verify_audit")

    assert loaded.splitlines() == [str(before), "latecomer"]
    # nl or en, as the process's language falls
    assert re.search(rf"\b{len(before)}\b", verified), verified
    assert ChangeRecord.objects.count() == len(before)  # this database untouched
