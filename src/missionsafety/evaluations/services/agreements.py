"""Writing the cooperation agreement: its cells, setup, update and supersession."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change
from missionsafety.core.exceptions import ConflictError, ValidationError
from missionsafety.core.i18n import pick
from missionsafety.deployments.models import Deployment, Party
from missionsafety.deployments.visibility import require
from missionsafety.evaluations import defaults
from missionsafety.evaluations.models import Agreement, AgreementAssignment, ProcessStep
from missionsafety.evaluations.services.common import AGREEMENT_ROLES, S
from missionsafety.evaluations.services.schedule import evaluations_schedule


def _steps() -> list[ProcessStep]:
    return list(ProcessStep.objects.filter(active=True).order_by("order", "code"))


def default_cells(
    parties: list[Party], steps: list[ProcessStep]
) -> dict[tuple[int, int], tuple[str, str]]:
    """The default matrix for these parties: (step id, party id) → (raci, tasks)."""
    cells: dict[tuple[int, int], tuple[str, str]] = {}
    for step in steps:
        spec = defaults.DEFAULT_MATRIX.get(step.code, {})
        seen_a = False
        for party in parties:
            raci, nl, en = spec.get(party.role, ("", "", ""))
            if raci == "A":
                if seen_a:  # a second party of the same role
                    raci = "R"
                seen_a = True
            cells[(step.pk, party.pk)] = (raci, pick({"nl": nl, "en": en}))
        if not seen_a:
            for role in defaults.ACCOUNTABLE_FALLBACK:
                alt = next((p for p in parties if p.role == role), None)
                if alt is not None:
                    cells[(step.pk, alt.pk)] = ("A", cells[(step.pk, alt.pk)][1])
                    break
        if parties and not any(cells[(step.pk, p.pk)][0] == "R" for p in parties):
            for role in defaults.RESPONSIBLE_FALLBACK:
                alt = next(
                    (
                        p
                        for p in parties
                        if p.role == role and cells[(step.pk, p.pk)][0] != "A"
                    ),
                    None,
                )
                if alt is not None:
                    cells[(step.pk, alt.pk)] = ("R", cells[(step.pk, alt.pk)][1])
                    break
    return cells


def validate_cells(
    cells: dict[tuple[int, int], tuple[str, str]],
    steps: list[ProcessStep],
    parties: list[Party],
) -> None:
    """Exactly one Accountable and at least one Responsible per step."""
    errors: list[str] = []
    for step in steps:
        letters = [cells.get((step.pk, p.pk), ("", ""))[0] for p in parties]
        accountable = letters.count("A")
        if accountable != 1:
            errors.append(
                _("%(step)s: exactly one party must be Accountable (now %(n)s).")
                % {"step": step.name, "n": accountable}
            )
        if "R" not in letters:
            errors.append(
                _("%(step)s: at least one party must be Responsible.")
                % {"step": step.name}
            )
    for (_step, _party), (raci, tasks) in cells.items():
        if raci not in AgreementAssignment.Raci.values:
            errors.append(_("“%(value)s” is not R, A, C or I.") % {"value": raci})
        if len(tasks) > 500:
            errors.append(_("A tasks text is longer than 500 characters."))
    if errors:
        raise ValidationError({"assignments": errors})


def _write_cells(
    agreement: Agreement, cells: dict[tuple[int, int], tuple[str, str]]
) -> None:
    AgreementAssignment.objects.bulk_create(
        [
            AgreementAssignment(
                agreement=agreement,
                step_id=step,
                party_id=party,
                raci=raci,
                tasks=tasks,
            )
            for (step, party), (raci, tasks) in sorted(cells.items())
        ]
    )


def agreement_cells(agreement: Agreement) -> dict[tuple[int, int], tuple[str, str]]:
    return {
        (a.step_id, a.party_id): (a.raci, a.tasks) for a in agreement.assignments.all()
    }


def current_agreement(deployment: Deployment) -> Agreement | None:
    """The newest version that is not superseded."""
    return (
        Agreement.objects.filter(deployment=deployment)
        .exclude(status=S.SUPERSEDED)
        .order_by("-number")
        .first()
    )


@transaction.atomic
def agreement_setup(*, actor: Any, deployment: Deployment) -> Agreement:
    """Start the deployment's agreement, pre-filled from the default per party role."""
    require(actor, deployment, *AGREEMENT_ROLES)
    Deployment.objects.select_for_update(no_key=True).get(pk=deployment.pk)
    if Agreement.objects.filter(deployment=deployment).exists():
        raise ValidationError(
            {"__all__": _("This deployment already has an agreement; edit it.")}
        )
    parties = list(deployment.parties.select_related("organisation"))
    if not parties:
        raise ValidationError({"__all__": _("Add the parties first.")})
    steps = _steps()
    cells = default_cells(parties, steps)
    validate_cells(cells, steps, parties)
    agreement = Agreement.objects.create(
        deployment=deployment, number=1, created_by=actor
    )
    _write_cells(agreement, cells)
    record_change(
        actor=actor, obj=agreement, action="create", after=_agreement_json(agreement)
    )
    evaluations_schedule(actor=actor, deployment=deployment)
    return agreement


def _agreement_json(agreement: Agreement) -> dict[str, Any]:
    return {
        "number": agreement.number,
        "status": agreement.status,
        # One row per cell: step and party by number (the history names them in
        # the reader's language; see audit.presentation.register_rows), role, tasks.
        "cells": [
            [a.step_id, a.party_id, a.raci, a.tasks]
            for a in agreement.assignments.order_by("step_id", "party_id")
        ],
    }


@transaction.atomic
def agreement_update(
    *,
    actor: Any,
    agreement: Agreement,
    version: int | None,
    cells: dict[tuple[int, int], tuple[str, str]],
    note: str = "",
) -> Agreement:
    """Change the matrix. A draft changes in place; any other version makes a new
    draft version that needs signing again (the old one stays readable)."""
    deployment = agreement.deployment
    require(actor, deployment, *AGREEMENT_ROLES)
    Deployment.objects.select_for_update(no_key=True).get(pk=deployment.pk)
    # Locked, so a submission at the same moment is seen: a draft just sent for
    # signature is no longer changed in place.
    agreement = Agreement.objects.select_for_update(no_key=True).get(pk=agreement.pk)
    if version is not None and version != agreement.number:
        raise ConflictError(
            _(
                "You edited version %(yours)s; the agreement is now at version "
                "%(current)s. Reload and apply your change again."
            )
            % {"yours": version, "current": agreement.number},
            current_version=agreement.number,
        )
    newest = Agreement.objects.filter(deployment=deployment).order_by("-number").first()
    assert newest is not None  # the agreement being edited is one of them
    if agreement.status == S.SUPERSEDED or newest.number != agreement.number:
        raise ConflictError(
            _(
                "Version %(yours)s is not the current version (now %(current)s); "
                "edit the current one."
            )
            % {"yours": agreement.number, "current": newest.number},
            current_version=newest.number,
        )
    parties = list(deployment.parties.select_related("organisation"))
    steps = _steps()
    old = agreement_cells(agreement)
    party_ids = {p.pk for p in parties}
    step_ids = {s.pk for s in steps}
    for step_id, party_id in cells:
        if step_id not in step_ids or party_id not in party_ids:
            raise ValidationError(
                {
                    "assignments": _(
                        "A cell names a step or party that is not in the agreement."
                    )
                }
            )
    merged = {
        (s.pk, p.pk): cells.get((s.pk, p.pk), old.get((s.pk, p.pk), ("", "")))
        for s in steps
        for p in parties
    }
    merged = {k: (v[0], v[1].strip()) for k, v in merged.items()}
    validate_cells(merged, steps, parties)
    if merged == old:
        return agreement
    if agreement.status == S.DRAFT:
        before = _agreement_json(agreement)
        agreement.assignments.all().delete()
        _write_cells(agreement, merged)
        if note:
            agreement.note = note
            agreement.save(update_fields=["note", "updated_at"])
        record_change(
            actor=actor,
            obj=agreement,
            action="update",
            before=before,
            after=_agreement_json(agreement),
        )
        return agreement
    new = Agreement.objects.create(
        deployment=deployment,
        number=agreement.number + 1,
        created_by=actor,
        note=note,
    )
    _write_cells(new, merged)
    if agreement.status == S.IN_SIGNATURE:
        _supersede(actor, agreement)
    record_change(
        actor=actor,
        obj=new,
        action="new_version",
        before={"from_version": agreement.number},
        after=_agreement_json(new),
    )
    return new


def _supersede(actor: Any, agreement: Agreement) -> None:
    before = agreement.status
    agreement.status = S.SUPERSEDED
    agreement.superseded_at = timezone.now()
    agreement.save(update_fields=["status", "superseded_at", "updated_at"])
    record_change(
        actor=actor,
        obj=agreement,
        action="supersede",
        before={"status": before},
        after={"status": agreement.status},
    )
