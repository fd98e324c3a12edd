"""Writes to risk matrices and acceptance rules (refused once in use)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.audit.versioning import update_versioned
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.risks.models import (
    AcceptanceRule,
    RiskMatrix,
)

# -- matrices -------------------------------------------------------------


def matrix_validate(matrix: RiskMatrix) -> None:
    """Refuse a matrix whose cells do not cover every probability × severity."""
    errors: dict[str, str] = {}
    levels = set(matrix.level_codes)
    if not matrix.probability_codes:
        errors["probabilities"] = _("Give at least one probability level.")
    if not matrix.severity_codes:
        errors["severities"] = _("Give at least one severity level.")
    if not levels:
        errors["levels"] = _("Give at least one risk level.")
    for severity in matrix.severity_codes:
        row = (matrix.cells or {}).get(severity) or {}
        for probability in matrix.probability_codes:
            if row.get(probability) not in levels:
                errors["cells"] = _(
                    "Cell %(s)s × %(p)s has no known risk level; every cell needs "
                    "one of %(levels)s."
                ) % {
                    "s": severity,
                    "p": probability,
                    "levels": ", ".join(matrix.level_codes),
                }
                break
    if errors:
        raise ValidationError(errors)


def matrix_refuse_if_in_use(matrix: RiskMatrix) -> None:
    if matrix.pk and matrix.in_use:
        raise ValidationError(
            {
                "__all__": _(
                    "This matrix is used by a deployment and can no longer be "
                    "changed. Make a new revision instead."
                )
            }
        )


def _require_admin(actor: Any) -> None:
    if not (getattr(actor, "is_superuser", False) or getattr(actor, "is_staff", False)):
        raise NotAllowed(_("Only administrators change risk matrices."))


@transaction.atomic
def matrix_update(
    *, actor: Any, matrix: RiskMatrix, version: int | None, **changes: Any
) -> RiskMatrix:
    """Change a matrix that no deployment uses yet."""
    _require_admin(actor)
    matrix_refuse_if_in_use(matrix)
    for name, value in changes.items():
        setattr(matrix, name, value)
    matrix_validate(matrix)
    matrix.refresh_from_db(fields=list(changes))
    return update_versioned(obj=matrix, actor=actor, version=version, changes=changes)


@transaction.atomic
def rule_update(*, actor: Any, rule: AcceptanceRule, **changes: Any) -> AcceptanceRule:
    """Change an acceptance rule of a matrix that no deployment uses yet."""
    _require_admin(actor)
    matrix_refuse_if_in_use(rule.matrix)
    before = snapshot(rule)
    for name, value in changes.items():
        setattr(rule, name, value)
    rule.full_clean()
    rule.save()
    record_change(
        actor=actor, obj=rule, action="update", before=before, after=snapshot(rule)
    )
    return rule


@transaction.atomic
def matrix_new_revision(*, actor: Any, matrix: RiskMatrix) -> RiskMatrix:
    """Copy a matrix and its rules as the next revision, free to edit."""
    _require_admin(actor)
    latest = RiskMatrix.objects.filter(code=matrix.code).aggregate(m=Max("revision"))[
        "m"
    ]
    copy = RiskMatrix.objects.create(
        code=matrix.code,
        revision=(latest or 0) + 1,
        name=matrix.name,
        description=matrix.description,
        probabilities=matrix.probabilities,
        severities=matrix.severities,
        levels=matrix.levels,
        cells=matrix.cells,
        is_default=False,
    )
    for rule in matrix.rules.all():
        AcceptanceRule.objects.create(
            matrix=copy,
            level=rule.level,
            chain=rule.chain,
            min_echelon=rule.min_echelon,
            authority=rule.authority,
            consult=rule.consult,
            validity_days=rule.validity_days,
        )
    record_change(actor=actor, obj=copy, action="new_revision", after=snapshot(copy))
    return copy
