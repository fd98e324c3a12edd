"""A field decision on an assessment superseded at home; numbers never collide."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from missionsafety.field.models import Conflict
from missionsafety.field.services import bundle_apply
from missionsafety.field.tests.helpers import export, forge, register
from missionsafety.field.travel import Codec, Identities
from missionsafety.risks import services
from missionsafety.risks.models import Decision, Risk


def test_field_decision_on_superseded_assessment_is_kept_and_flagged(
    world: Any,
) -> None:
    w = world
    risks = register(w)
    _data, package = export(w)
    waiting = Risk.objects.get(pk=risks["waiting"].pk)
    first = waiting.current_assessment
    assert first is not None
    # What the field decided, in the form its bundle carries it.
    with transaction.atomic():
        decision = services.decision_accept(
            actor=w.bn_commander,
            risk=waiting,
            assessment=first,
            rationale="In het veld besloten.",
        )
        state = Codec(Identities(w.dep, None)).encode(decision)
        transaction.set_rollback(True)
    # Meanwhile at home: a new assessment supersedes the one decided on.
    services.assessment_record(
        actor=w.bde13_safety,
        risk=Risk.objects.get(pk=waiting.pk),
        inherent_probability="C",
        inherent_severity="III",
        residual_probability="E",
        residual_severity="III",
        reason="periodic",
    )
    change = {
        "m": "risks.decision",
        "id": str(uuid.uuid4()),
        "pk": 100000001,
        "op": "create",
        "v": state,
        "a": "bn.commander",
        "t": "2026-01-01T00:00:00+00:00",
    }
    result = bundle_apply(data=forge(package, [change]))
    kept = Decision.objects.get(rationale="In het veld besloten.")
    assert kept.assessment_id == first.pk
    flag = Conflict.objects.get(kind=Conflict.Kind.SUPERSEDED)
    assert flag.object_id == kept.pk and flag.status == Conflict.Status.OPEN
    assert result.flagged == [flag.pk]


def test_field_instance_numbers_its_risks_in_its_own_block(world: Any) -> None:
    w = world
    register(w)  # R-001 … R-003 at home
    with override_settings(FIELD_INSTANCE_NUMBER=1):
        made = services.risk_create(
            actor=w.bde13_safety,
            deployment=w.dep,
            title="Veld",
            hazard="Gevaar",
            owner_party=w.party_bn,
        )
        assert made.reference == "R-10001"
    # Home goes on below the field's block, even with R-10001 in its register.
    after = services.risk_create(
        actor=w.bde13_safety,
        deployment=w.dep,
        title="Thuis",
        hazard="Gevaar",
        owner_party=w.party_bn,
    )
    assert after.number == 4


def test_package_holds_nothing_of_other_deployments(world: Any, tmp_path: Any) -> None:
    w = world
    register(w)
    services.risk_create(
        actor=w.bde43_safety,
        deployment=w.other,
        title="Kosovo-risico",
        hazard="Gevaar",
        owner_party=w.other_party,
    )
    out = tmp_path / "p.msf"
    call_command(
        "field",
        "export",
        "--deployment",
        "EFP-R12",
        "--user",
        "bde13.safety",
        "--out",
        str(out),
    )
    from missionsafety.field.package import package_read

    package = package_read(out.read_bytes())
    titles = {c["v"].get("title") for c in package["changes"]}
    assert "Kosovo-risico" not in titles
    assert {"Munitieopslag", "Wachtpost", "Patrouille"} <= titles
    codes = {
        c["v"].get("code") for c in package["changes"] if c["m"].endswith("deployment")
    }
    assert codes == {"EFP-R12"}
    assert '"bde43.safety"' not in package["reference"]
    assert '"bde13.safety"' in package["reference"]
    # No password travels.
    assert '"password": "!"' in package["reference"]
