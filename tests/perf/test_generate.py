"""``missionsafety generate`` fills a database deterministically and safely."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from missionsafety.audit.models import ChangeRecord
from missionsafety.deployments.models import Deployment
from missionsafety.evaluations.models import Evaluation
from missionsafety.organisations.models import Membership, User
from missionsafety.risks.models import Assessment, Control, Decision, Risk

# serialized_rollback: later tests keep what the data migrations installed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def snapshot() -> dict[str, Any]:
    first = Risk.objects.order_by("pk").first()
    return {
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "deployments": Deployment.objects.count(),
        "risks": Risk.objects.count(),
        "assessments": Assessment.objects.count(),
        "controls": Control.objects.count(),
        "decisions": Decision.objects.count(),
        "first risk": first.title if first else None,
        "moments": list(
            Evaluation.objects.order_by("pk").values_list(
                "title", "status", "due_date", "held_on"
            )
        ),
    }


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate", "--scale", "0.005", *args, stdout=out)
    return out.getvalue()


def test_same_seed_gives_the_same_data_set() -> None:
    log = generate("--seed", "7")
    first = snapshot()
    generate("--seed", "7", "--reset")
    assert snapshot() == first
    assert first["deployments"] == 5
    assert first["users"] == 25
    assert first["risks"] >= 500
    assert first["controls"] > first["risks"]
    assert len(first["moments"]) > 5 * first["deployments"]
    assert "risks" in log and " s " in log  # each part is timed


def test_generated_risks_carry_levels_from_the_default_matrix() -> None:
    generate()
    risk = Risk.objects.filter(current_assessment__isnull=False).first()
    assert risk is not None
    matrix = risk.deployment.matrix
    current = risk.current_assessment
    assert risk.residual_level == matrix.level_for(
        current.residual_probability, current.residual_severity
    )
    assert risk.residual_rank == matrix.rank(risk.residual_level)
    levels = Risk.objects.exclude(residual_level="").values_list(
        "residual_level", flat=True
    )
    assert list(levels).count("L") > list(levels).count("EH")


def test_one_change_record_summarises_the_import() -> None:
    generate()
    records = ChangeRecord.objects.filter(action="generate")
    assert records.count() == 1
    assert records.get().after["counts"]["risks.risk"] == Risk.objects.count()
    assert ChangeRecord.objects.count() == 1  # generated rows are not audited


def test_generated_users_have_the_documented_password() -> None:
    from missionsafety.perf.generate import GENERATED_PASSWORD

    generate()
    user = User.objects.filter(memberships__role="safety_officer").first()
    assert user.check_password(GENERATED_PASSWORD)


def test_refuses_a_database_with_real_deployments(world: Any) -> None:
    with pytest.raises(CommandError, match="not generated"):
        generate()
    with pytest.raises(CommandError, match="not generated"):
        generate("--reset")
    assert Deployment.objects.count() == 2


def test_force_adds_to_a_database_with_real_deployments(world: Any) -> None:
    generate("--force")
    assert Deployment.objects.filter(code__startswith="GEN-").count() == 5
    assert Deployment.objects.filter(code="EFP-R12").exists()


def test_refuses_to_generate_twice_without_reset() -> None:
    generate()
    with pytest.raises(CommandError, match="--reset"):
        generate()


def test_rows_created_after_generation_get_fresh_ids() -> None:
    """Generated rows carry explicit ids; PostgreSQL sequences must move past them."""
    from missionsafety.organisations.models import Organisation

    generate()
    top = Risk.objects.order_by("-pk").first()
    risk = Risk.objects.create(
        deployment=top.deployment,
        number=top.number + 10_000,
        title="Nieuw risico na import",
        hazard="Gevaar",
        owner_party=top.owner_party,
    )
    org = Organisation.objects.create(name="Nieuw", short_name="NIEUW", kind="other")
    assert risk.pk > top.pk
    assert org.pk > Organisation.objects.exclude(pk=org.pk).order_by("-pk").first().pk
