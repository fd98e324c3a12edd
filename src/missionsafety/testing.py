"""A shared multi-party world for tests: a joint HQ, an army staff, two
brigades, a deployed battalion and company, an inspectorate, and people at
each level. Built through the services, like real data."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

from django.utils import timezone

from missionsafety.deployments import services as dep_services
from missionsafety.deployments.models import Party, Phase
from missionsafety.organisations import services as org_services
from missionsafety.organisations.models import Organisation

E = Organisation.Echelon
K = Organisation.Kind
R = Party.PartyRole


def make_user(username: str, org: Organisation, role: str, **extra: Any) -> Any:
    user = org_services.user_create(
        actor=None,
        username=username,
        password="test-pass-123",
        first_name=username.split(".")[0].title(),
        last_name="Tester",
        email=f"{username}@mil.example",
    )
    org_services.membership_create(
        actor=None, user=user, organisation=org, role=role, **extra
    )
    return user


def walk(deployment: Any, actor: Any, to: str, **options: Any) -> Any:
    order = [p for p, _label in Phase.choices]
    while deployment.phase != to:
        target = order[order.index(deployment.phase) + 1]
        if target == Phase.DEPLOYED:
            # The readiness safety gate: hold a "go" board (and have the
            # accountable commander waive what is still open).
            from missionsafety.evaluations.services import gate_pass_for_walk

            gate_pass_for_walk(deployment, actor)
        # Tests walk deployments of any dates; an early move needs a reason.
        deployment = dep_services.deployment_move_phase(
            actor=actor,
            deployment=deployment,
            to_phase=target,
            early_reason="Walked in a test." if target == Phase.DEPLOYED else "",
            **options,
        )
    return deployment


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    today = timezone.localdate()
    w.today = today

    def org(
        short: str, kind: str, echelon: int, parent: Organisation | None
    ) -> Organisation:
        return org_services.organisation_create(
            actor=None,
            name=f"{short} (test)",
            short_name=short,
            kind=kind,
            echelon=echelon,
            parent=parent,
        )

    w.ds = org("DS", K.OTHER, E.DEFENCE, None)
    w.jfc = org("NLD JFC", K.JOINT_HQ, E.JOINT, w.ds)
    w.clas = org("Staf CLAS", K.ARMY_STAFF, E.SERVICE, w.ds)
    w.ivd = org("IVD", K.INSPECTORATE, E.DEFENCE, w.ds)
    w.bde13 = org("13 LBR", K.BRIGADE, E.BRIGADE, w.clas)
    w.bn = org("42 BLJ", K.BATTALION, E.BATTALION, w.bde13)
    w.coy = org("B-CIE 42", K.COMPANY, E.COMPANY, w.bn)
    w.bde43 = org("43 MECHBRIG", K.BRIGADE, E.BRIGADE, w.clas)
    w.bn43 = org("45 PAINFBAT", K.BATTALION, E.BATTALION, w.bde43)

    w.cds = make_user("cds.commander", w.ds, "commander")
    w.jfc_commander = make_user("jfc.commander", w.jfc, "commander")
    w.jfc_safety = make_user("jfc.safety", w.jfc, "safety_officer")
    w.jfc_lessons = make_user("jfc.lessons", w.jfc, "lessons_officer")
    w.clas_commander = make_user("clas.commander", w.clas, "commander")
    w.clas_safety = make_user("clas.safety", w.clas, "safety_officer")
    w.bde13_commander = make_user("bde13.commander", w.bde13, "commander")
    w.bde13_safety = make_user("bde13.safety", w.bde13, "safety_officer")
    w.bn_commander = make_user("bn.commander", w.bn, "commander")
    w.coy_commander = make_user("coy.commander", w.coy, "commander")
    w.coy_leader = make_user("coy.leader", w.coy, "contributor")
    w.viewer = make_user("viewer", w.bde13, "viewer")
    w.bde43_safety = make_user("bde43.safety", w.bde43, "safety_officer")
    w.bde43_commander = make_user("bde43.commander", w.bde43, "commander")
    w.inspector = make_user("ivd.inspector", w.ivd, "auditor")

    # The deployment of 42 BLJ, deployed now, with 13 LBR as parent brigade.
    w.dep = dep_services.deployment_create(
        actor=w.jfc_safety,
        name="eFP Litouwen R12",
        code="EFP-R12",
        theatre="Litouwen",
        start_date=today - datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=120),
        parties=[
            (w.jfc, R.OPERATIONAL_COMMAND),
            (w.clas, R.FORCE_PROVIDER),
            (w.bde13, R.PARENT_BRIGADE),
            (w.bn, R.DEPLOYED_UNIT),
        ],
    )
    w.dep = walk(w.dep, w.jfc_safety, Phase.DEPLOYED)
    w.parties = {
        p.organisation.short_name: p
        for p in w.dep.parties.select_related("organisation")
    }
    w.party_jfc = w.parties["NLD JFC"]
    w.party_clas = w.parties["Staf CLAS"]
    w.party_bde13 = w.parties["13 LBR"]
    w.party_bn = w.parties["42 BLJ"]

    # A second deployment, in preparation, of 43 MECHBRIG only (foreign to 13 LBR).
    w.other = dep_services.deployment_create(
        actor=w.bde43_safety,
        name="Kosovo KFOR liaison",
        code="KFOR-1",
        theatre="Kosovo",
        start_date=today + datetime.timedelta(days=90),
        end_date=today + datetime.timedelta(days=270),
        parties=[(w.bde43, R.PARENT_BRIGADE), (w.bn43, R.DEPLOYED_UNIT)],
    )
    w.other_party = w.other.parties.get(organisation=w.bde43)
    return w


# -- the product in processes of its own, on scratch databases --------------------


def product_env(data_dir: Path, database_url: str = "") -> dict[str, str]:
    """The environment of a product process on its own data directory (and
    database, when given), without the test run's settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MISSIONSAFETY_", "DATABASE_URL", "SECRET_KEY", "AUDIT_"))
    }
    env.update(
        MISSIONSAFETY_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="missionsafety.settings",
        LOG_LEVEL="WARNING",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def product(
    data_dir: Path,
    *args: str,
    database_url: str = "",
    timeout: float = 300,
    extra_env: dict[str, str] | None = None,
) -> str:
    """Run ``missionsafety ARGS`` in a process of its own; its output."""
    result = subprocess.run(
        [sys.executable, "-m", "missionsafety", *args],
        env=product_env(data_dir, database_url) | (extra_env or {}),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def server_url(name: str) -> str:
    """A URL for database ``name`` on the PostgreSQL server the test run uses."""
    from django.db import connection

    db = connection.settings_dict
    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{name}"


@contextmanager
def scratch_databases(*roles: str) -> Iterator[list[str]]:
    """New, empty databases on the test run's PostgreSQL server, named after the
    run's own test database and dropped afterwards; their URLs."""
    import psycopg
    from django.db import connection

    base = str(connection.settings_dict["NAME"])[:30]
    names = [f"{base}_scratch_{uuid.uuid4().hex[:10]}_{role}" for role in roles]
    admin = server_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [server_url(name) for name in names]
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
