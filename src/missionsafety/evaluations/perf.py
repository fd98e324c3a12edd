"""Agreements and evaluation moments in bulk, for the reference data set.

Registers an ``evaluations`` step with ``missionsafety generate`` (after the
occurrences, whose most serious ones call for a hot wash). Per deployment:

* a cooperation agreement by phase — none or a draft while planning; a draft,
  in signature (some signatures) or in force while preparing; in force from
  readiness on, a quarter of them after a first version that was superseded —
  with the default cells per party role and, once in force, a signature of
  every party;
* the scheduled moments as ``evaluations_schedule`` plans them (dates and
  periodic reviews), plus after-action reviews on demand while preparing and a
  hot wash after every occurrence of category 4; each held, reported, closed,
  skipped or still open as it fell due: older ones mostly closed, recent ones
  often still open, about one in four held late, what a closed deployment
  never held skipped; held ones with their participants, some findings and
  actions on them.

Rows are imported, not audited: ``bulk_create`` with explicit ids, no change
records, no events. Deterministic for the seed.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from missionsafety.core.generation import LAST_NAMES
from missionsafety.deployments.models import Deployment, Party
from missionsafety.evaluations import services
from missionsafety.evaluations.models import (
    Action,
    Agreement,
    AgreementAssignment,
    AgreementSignature,
    Evaluation,
    EvaluationParticipant,
    EvaluationTemplate,
    Finding,
)

E = Evaluation.Status
T = EvaluationTemplate.Trigger
DAY = datetime.timedelta(days=1)
PREPARING = {"preparation", "readiness"}

ANSWERS: dict[str, list[str]] = {
    "context": [
        "Winterperiode; matrix ATP 5-19 vastgesteld, aanvaarding per niveau besproken.",
        "Hot and dusty theatre; ATP 5-19 matrix agreed, acceptance levels confirmed.",
    ],
    "lessons": [
        "Lessen vorige rotatie over koudeletsel en verkeer op ijzel besproken.",
        "Lessons on convoy fatigue and heat injuries of the last rotation reviewed.",
    ],
    "board": [
        "Board met NLD JFC, Staf CLAS, brigade en eenheid; register doorgelopen.",
        "Joint board; register, acceptances and open controls reviewed item by item.",
    ],
    "register": [
        "Register met open risico's en maatregelen overgedragen aan de opvolger.",
        "Register, open controls and owners handed over to the incoming unit.",
    ],
    "happened": [
        "Voertuig raakte in de berm bij nachtrit; geen gewonden.",
        "Negligent discharge at the clearing bay; nobody hurt.",
        "Militair met hitteklachten afgevoerd tijdens patrouille.",
    ],
}
GENERIC = [
    "Besproken met alle betrokken partijen; geen nieuwe risico's.",
    "Twee risico's herbeoordeeld; één maatregel aangescherpt.",
    "Trend in bijna-ongevallen met voertuigen besproken; actie belegd.",
    "Reviewed with the parties; controls on track, one new hazard recorded.",
]
FINDINGS = [
    "Strooicapaciteit schiet tekort bij ijzel op de kazerne.",
    "Rustperiodes van chauffeurs worden bij hoog tempo niet nageleefd.",
    "Goede praktijk: buddy-check op koudeletsel bij nachtoefeningen.",
    "Evacuatietijd naar de Role 2 langer dan gepland bij slecht weer.",
    "Gehoorbescherming niet overal beschikbaar op de schietbaan.",
    "Ground guides not assigned when reversing in the vehicle park.",
    "Heat-stress monitoring worked well; keep the wet-bulb readings.",
    "Fuel storage too close to the accommodation area.",
]
ACTIONS = [
    "Strooiroute en -capaciteit afspreken met het gastland.",
    "Rusttijden chauffeurs opnemen in het konvooibevel.",
    "Gehoorbescherming bijbestellen en uitgifte controleren.",
    "Assign a ground guide in the vehicle park standing orders.",
    "Move the fuel point and update the camp layout.",
]
REPORTS = [
    "Verslag gedeeld met alle partijen; acties belegd en in het register verwerkt.",
    "Report shared with the parties; actions assigned and register updated.",
]
NO_GO = (
    "Niet gereed: aanvaarding van een hoog risico ontbreekt nog op het juiste niveau."
)
GO = [
    "Gereed: register volledig, aanvaardingen geldig, maatregelen gereed.",
    "Ready: register complete, acceptances valid, controls in place.",
]
SKIPPED = "Vervallen wegens wijziging van de planning."
CLOSED_UNHELD = "De inzet is afgesloten voordat dit moment is gehouden."
RANKS = ["MAJ", "KAP", "AOO", "LKOL", "ELT"]


def _weighted(rng: random.Random, options: list[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _w in options], weights=[w for _v, w in options])[0]


def _agreement_plan(rng: random.Random, phase: str) -> list[str]:
    """The statuses of the deployment's agreement versions, oldest first."""
    if phase == "planning":
        return [] if rng.random() < 0.5 else [Agreement.Status.DRAFT]
    if phase == "preparation":
        return [
            _weighted(
                rng,
                [
                    (Agreement.Status.DRAFT, 20),
                    (Agreement.Status.IN_SIGNATURE, 40),
                    (Agreement.Status.IN_FORCE, 40),
                ],
            )
        ]
    if rng.random() < 0.25:
        return [Agreement.Status.SUPERSEDED, Agreement.Status.IN_FORCE]
    return [Agreement.Status.IN_FORCE]


def _outcome(rng: random.Random, age: int, closed: bool) -> str:
    """What became of a moment that fell due ``age`` days ago."""
    held = 0.92 if age > 60 else 0.8 if age > 14 else 0.5
    if rng.random() < held:
        if age > 60:
            return _weighted(rng, [(E.CLOSED, 80), (E.REPORTED, 15), (E.HELD, 5)])
        if age > 14:
            return _weighted(rng, [(E.CLOSED, 30), (E.REPORTED, 40), (E.HELD, 30)])
        return _weighted(rng, [(E.HELD, 80), (E.REPORTED, 20)])
    if closed or rng.random() < 0.3:
        return E.SKIPPED
    return E.SCHEDULED  # overdue


def _serious_occurrences(
    category: int,
) -> dict[int, list[tuple[int, str, datetime.datetime]]]:
    """(id, title, moment) of the occurrences of at least ``category``, per
    deployment."""
    from missionsafety.occurrences.models import Occurrence

    found: dict[int, list[tuple[int, str, datetime.datetime]]] = {}
    for pk, dep, title, when in (
        Occurrence.objects.filter(actual_category__gte=category)
        .order_by("deployment_id", "occurred_at", "pk")
        .values_list("pk", "deployment_id", "title", "occurred_at")
    ):
        found.setdefault(dep, []).append((pk, title, when))
    return found


# A moment to write: template, slot, due date, title, trigger reference.
Moment = tuple[EvaluationTemplate, int | None, datetime.date, str, str]


class _Generator:
    """Rows with explicit ids, buffered and written in batches."""

    MODELS: tuple[type[models.Model], ...] = (
        Agreement,
        AgreementAssignment,
        AgreementSignature,
        Evaluation,
        EvaluationParticipant,
        Finding,
        Action,
    )

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.rng: random.Random = ctx.rng("evaluations")
        self.today: datetime.date = ctx.today
        self.rows: dict[type[models.Model], list[Any]] = {m: [] for m in self.MODELS}
        self.steps = services._steps()
        templates = list(EvaluationTemplate.objects.filter(active=True))
        self.scheduled = [t for t in templates if t.trigger in (T.DATE, T.PERIODIC)]
        self.aar = next((t for t in templates if t.trigger == T.ON_DEMAND), None)
        self.hot_wash = next((t for t in templates if t.trigger == T.OCCURRENCE), None)
        self.serious = _serious_occurrences(4) if self.hot_wash else {}
        self.names = {pk: short for short, pk in ctx.orgs.items()}

    def add(self, model: type[models.Model], **fields: Any) -> int:
        pk = self.ctx.next_id(model)
        self.rows[model].append(model(pk=pk, **fields))
        return pk

    def flush(self, *, final: bool = False) -> None:
        if not final and len(self.rows[Evaluation]) < 10 * self.ctx.batch_size:
            return
        with transaction.atomic():
            for model, rows in self.rows.items():
                self.ctx.bulk(model, rows)
                rows.clear()

    def person(self, org: int) -> int:
        return self.rng.choice(self.ctx.users_by_org.get(org) or self.ctx.users)

    def at(self, day: datetime.date) -> datetime.datetime:
        """A moment during the working day, never after today."""
        return self.ctx.now_at(min(day, self.today), self.rng)

    def deployment(self, dep: Any) -> None:
        parties = [
            Party(pk=pid, deployment_id=dep.id, organisation_id=org, role=role)
            for role, (pid, org) in dep.parties.items()
        ]
        officer = self.person(dep.parties["parent_brigade"][1])
        started = min(dep.start - 170 * DAY, self.today)
        versions = _agreement_plan(self.rng, dep.phase)
        if versions:
            self.agreement(dep, parties, versions, officer, started)
        elif dep.phase == "planning":
            return  # nothing is scheduled before the agreement is set up
        for moment in self.moments(dep, started):
            self.moment(dep, parties, officer, moment)

    def agreement(
        self,
        dep: Any,
        parties: list[Party],
        versions: list[str],
        officer: int,
        started: datetime.date,
    ) -> None:
        cells = services.default_cells(parties, self.steps)
        for number, status in enumerate(versions, start=1):
            created = min(started + 40 * (number - 1) * DAY, self.today)
            sent = status != Agreement.Status.DRAFT
            in_force = status in (
                Agreement.Status.IN_FORCE,
                Agreement.Status.SUPERSEDED,
            )
            agreement = self.add(
                Agreement,
                deployment_id=dep.id,
                number=number,
                status=status,
                note="" if number == 1 else "Bijgewerkt na wijziging van de partijen.",
                created_by_id=officer,
                submitted_at=self.at(created + 10 * DAY) if sent else None,
                in_force_at=self.at(created + 20 * DAY) if in_force else None,
                superseded_at=self.at(created + 40 * DAY)
                if status == Agreement.Status.SUPERSEDED
                else None,
                created_at=self.at(created),
                updated_at=self.at(created),
            )
            for (step, cell_party), (raci, tasks) in sorted(cells.items()):
                self.add(
                    AgreementAssignment,
                    agreement_id=agreement,
                    step_id=step,
                    party_id=cell_party,
                    raci=raci,
                    tasks=tasks,
                )
            signing = parties if sent else []
            if status == Agreement.Status.IN_SIGNATURE:
                signing = self.rng.sample(
                    parties, self.rng.randint(0, len(parties) - 1)
                )
            for party in signing:
                org = party.organisation_id
                self.add(
                    AgreementSignature,
                    agreement_id=agreement,
                    party_id=party.pk,
                    signed_by_id=self.ctx.commanders.get(org) or self.person(org),
                    signed_as=f"Commandant {self.names.get(org, '')}".strip(),
                    signed_at=self.at(created + self.rng.randint(11, 20) * DAY),
                )

    def moments(self, dep: Any, started: datetime.date) -> list[Moment]:
        """The scheduled moments, reviews after exercises and hot washes."""
        planned = services.planned_moments(
            Deployment(
                pk=dep.id,
                start_date=dep.start,
                end_date=dep.end,
                created_at=self.at(started),
            ),
            self.scheduled,
        )
        moments: list[Moment] = [
            (template, slot, due, title, "")
            for (_t, slot), (template, due, title) in planned.items()
        ]
        if self.aar is not None and dep.phase not in ("planning", "preparation"):
            for n in range(self.rng.choices([0, 1, 2, 3], weights=[30, 35, 25, 10])[0]):
                due = dep.start - self.rng.randint(20, 120) * DAY
                moments.append((self.aar, None, due, f"{self.aar.name_nl} {n + 1}", ""))
        if self.hot_wash is not None:
            wash = self.hot_wash
            for pk, title, when in self.serious.get(dep.id, []):
                due = timezone.localdate(when) + wash.due_within_days * DAY
                ref = f"occurrences.occurrence:{pk}"
                moments.append((wash, None, due, f"{wash.name_nl}: {title}", ref))
        return moments

    def moment(self, dep: Any, parties: list[Party], officer: int, m: Moment) -> None:
        """One moment with what became of it: participants, findings, actions."""
        template, slot, due, title, ref = m
        rng = self.rng
        status: str = E.SCHEDULED
        if due <= self.today:
            status = _outcome(rng, (self.today - due).days, dep.phase == "closed")
        held_on = None
        if status in Evaluation.DONE:
            late = rng.random() < 0.25
            held_on = min(
                due + rng.randint(1, 30) * DAY
                if late
                else due - rng.randint(0, 7) * DAY,
                self.today,
            )
        reported = (
            self.at(held_on + rng.randint(1, 14) * DAY)
            if held_on and status in (E.REPORTED, E.CLOSED)
            else None
        )
        gate = template.is_gate and held_on is not None
        go = rng.random() < 0.93
        english = rng.random() < 0.25
        answers = {}
        if held_on is not None:
            answers = {
                q["key"]: rng.choice(ANSWERS.get(q["key"], GENERIC))
                for q in (template.form or {}).get("questions", [])
                if q.get("required") or rng.random() < 0.5
            }
        evaluation = self.add(
            Evaluation,
            deployment_id=dep.id,
            template_id=template.pk,
            slot=slot,
            title=title[:200],
            phase=template.phase,
            due_date=due,
            status=status,
            trigger_ref=ref,
            held_on=held_on,
            held_by_id=officer if held_on else None,
            answers=answers,
            gate_decision=("go" if go else "no_go") if gate else "",
            gate_rationale=(GO[english] if go else NO_GO) if gate else "",
            report=REPORTS[english] if reported else "",
            reported_at=reported,
            closed_at=reported + rng.randint(1, 30) * DAY
            if reported and status == E.CLOSED
            else None,
            skipped_reason=(CLOSED_UNHELD if dep.phase == "closed" else SKIPPED)
            if status == E.SKIPPED
            else "",
            version=1 if status == E.SCHEDULED else 2 + (reported is not None),
            created_at=self.at(due - 60 * DAY),
            updated_at=self.at(held_on or due - 60 * DAY),
        )
        if held_on is not None:
            self.held(dep, parties, officer, template, evaluation, held_on)

    def held(
        self,
        dep: Any,
        parties: list[Party],
        officer: int,
        template: EvaluationTemplate,
        evaluation: int,
        held_on: datetime.date,
    ) -> None:
        rng = self.rng
        roles = template.participant_roles
        for party in parties:
            if not roles or party.role in roles:
                self.add(
                    EvaluationParticipant,
                    evaluation_id=evaluation,
                    party_id=party.pk,
                    names=f"{rng.choice(RANKS)} {rng.choice(LAST_NAMES)}",
                )
        unit_party, unit = dep.parties.get("deployed_unit", (parties[0].pk, 0))
        for number in range(
            1, rng.choices([0, 1, 2, 3], weights=[50, 25, 15, 10])[0] + 1
        ):
            finding = self.add(
                Finding,
                evaluation_id=evaluation,
                deployment_id=dep.id,
                number=number,
                text=rng.choice(FINDINGS),
                created_at=self.at(held_on),
                updated_at=self.at(held_on),
            )
            if rng.random() < 0.4:
                due = held_on + rng.randint(14, 60) * DAY
                self.add(
                    Action,
                    deployment_id=dep.id,
                    finding_id=finding,
                    description=rng.choice(ACTIONS),
                    owner_party_id=unit_party,
                    owner_id=self.person(unit),
                    due_date=due,
                    status=Action.Status.DONE
                    if due < self.today and rng.random() < 0.8
                    else Action.Status.OPEN,
                    created_by_id=officer,
                    created_at=self.at(held_on),
                    updated_at=self.at(due),
                )


def gen_evaluations(ctx: Any) -> dict[str, int]:
    """Agreements and evaluation moments of every generated deployment."""
    generator = _Generator(ctx)
    for dep in ctx.deployments:
        generator.deployment(dep)
        generator.flush()
    generator.flush(final=True)
    counts = ctx.counts
    return {
        "agreements": counts.get("evaluations.agreement", 0),
        "evaluations": counts.get("evaluations.evaluation", 0),
        "findings": counts.get("evaluations.finding", 0),
        "actions": counts.get("evaluations.action", 0),
    }


def _register_with_reference_generator() -> None:
    """Add an ``evaluations`` step to ``missionsafety generate``."""
    from missionsafety.core.generation import register

    register(
        "evaluations",
        order=65,
        models=("evaluations.Agreement", "evaluations.Evaluation"),
    )(gen_evaluations)


_register_with_reference_generator()
