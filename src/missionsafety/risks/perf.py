"""Reference-like registers in bulk, for benchmarks and the reference data set.

Two entry points:

* ``fill_registers(deployments, risks=...)`` fills existing deployments (with
  their parties) with risks, assessments, controls and decisions — what a
  data-set generator that already made deployments and users calls;
* ``generate(...)`` also makes the deployments (over given organisations) and
  then fills them.

Rows are written with ``bulk_create`` and explicit ids in one transaction
(foreign keys are checked at commit), so the denormalised fields of a risk
(current assessment, levels, accepted decision, acceptance expiry) are right
without a second pass. Not audited: generated data is imported, not decided.
Deterministic for a seed. Register sizes are Zipf-like (a few large, many
small); residual levels mostly low, a few extremely high.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.risks.models import (
    Assessment,
    Control,
    Decision,
    HazardCategory,
    Risk,
    RiskMatrix,
)

S = Risk.Status
BATCH = 2000

# Share of residual levels among assessed risks (lowest first, by rank).
LEVEL_WEIGHTS = {"L": 70, "M": 20, "H": 8.5, "EH": 1.5}
STATUS_WEIGHTS = [
    (S.IDENTIFIED, 4),
    (S.ASSESSED, 12),
    (S.AWAITING_DECISION, 4),
    (S.ACCEPTED, 20),
    (S.REJECTED, 2),
    (S.MONITORED, 38),
    (S.CLOSED, 20),
]
CONTROL_STATUS_WEIGHTS = [
    (Control.Status.PLANNED, 30),
    (Control.Status.IMPLEMENTED, 35),
    (Control.Status.VERIFIED, 30),
    (Control.Status.INEFFECTIVE, 5),
]
THEATRES = [
    ("Litouwen", "eFP Litouwen"),
    ("Mali", "MINUSMA"),
    ("Irak", "CBMI Irak"),
    ("Jordanië", "Air Task Force Jordanië"),
    ("Afghanistan", "RSM Afghanistan"),
    ("Roemenië", "NRF Roemenië"),
    ("Slowakije", "eVA Slowakije"),
    ("Bosnië", "EUFOR Althea"),
    ("Noorwegen", "Cold Response"),
    ("Libanon", "UNIFIL"),
]
HAZARDS = [
    ("Verkeersongeval bij konvooi", "Vehicle accident during convoy movement"),
    ("Hitte-uitputting tijdens patrouille", "Heat exhaustion on foot patrol"),
    ("Onderkoeling bij nachtoefening", "Hypothermia during night exercise"),
    ("Ongeval met munitie in opslag", "Ammunition storage accident"),
    ("Blindganger op schietbaan", "Unexploded ordnance on the range"),
    ("Vallend object bij laden", "Falling load while loading"),
    ("Elektrocutie aggregaat", "Electrocution at the generator"),
    ("Koolmonoxide in verwarmde tent", "Carbon monoxide in heated tent"),
    ("Verdrinking bij rivierovergang", "Drowning at river crossing"),
    ("Gehoorschade door schietoefening", "Hearing damage on live firing"),
    ("Voedselvergiftiging in veldkeuken", "Food poisoning in field kitchen"),
    ("Beet van zwerfhond", "Stray dog bite"),
    ("Brand in brandstofopslag", "Fire in fuel storage"),
    ("Kantelen van pantservoertuig", "Armoured vehicle rollover"),
    ("Letsel bij heliladingsoperatie", "Injury during helicopter sling load"),
    ("Vermoeidheid chauffeurs", "Driver fatigue on long moves"),
    ("Medische evacuatie vertraagd", "Delayed medical evacuation"),
    ("Besmettelijke ziekte in kamp", "Infectious disease in camp"),
    ("Struikelen in donker kampterrein", "Trips and falls in unlit camp"),
    ("Bevriezing bij wintertraining", "Frostbite during winter training"),
]
ACTIVITIES = [
    "konvooi naar voorwaartse basis",
    "schietoefening scherpe munitie",
    "nachtpatrouille",
    "laden en lossen van containers",
    "onderhoud van voertuigen",
    "kampbeveiliging",
    "rivierovergang",
    "live firing exercise",
    "logistic resupply run",
    "route clearance",
]
CAUSES = [
    "Slecht zicht, vermoeide chauffeurs en onverharde wegen.",
    "Hoge temperaturen (boven 40 °C) en zware bepakking.",
    "Onvoldoende verlichting en ongelijk terrein op het kamp.",
    "Verouderd materieel en een tekort aan gecertificeerde monteurs.",
    "Poor road conditions and mixed traffic with local vehicles.",
    "Insufficient rest between shifts during the high-tempo phase.",
]
CONSEQUENCES = [
    "Ernstig letsel of overlijden van personeel; uitval van een voertuig.",
    "Uitval van één of meer militairen voor dagen tot weken.",
    "Beschadiging van materieel en vertraging van de operatie.",
    "Serious injury and loss of a mission-critical vehicle.",
]
CONTROLS = [
    ("administrate", "Rijtijdenregeling en rustperiodes handhaven"),
    ("protect", "Persoonlijke beschermingsmiddelen verplicht dragen"),
    ("engineer", "Verlichting en afzetting plaatsen rond het werkterrein"),
    ("administrate", "Veiligheidsbriefing voor vertrek van elke patrouille"),
    ("engineer", "Drinkwatervoorziening en schaduw op de posten"),
    ("eliminate", "Nachtelijke verplaatsingen schrappen waar mogelijk"),
    ("substitute", "Lichter materieel inzetten voor het laatste deel van de route"),
    ("administrate", "Medic assigned to every convoy of more than four vehicles"),
    ("protect", "Hearing protection issued and checked before firing"),
    ("engineer", "CO detectors installed in every heated tent"),
]


@dataclass
class Generated:
    """What was made, for the caller to print and to pick benchmark targets."""

    deployments: list[Deployment] = field(default_factory=list)
    risks: int = 0
    assessments: int = 0
    controls: int = 0
    decisions: int = 0
    largest: Deployment | None = None


def register_sizes(total: int, n: int, rng: random.Random) -> list[int]:
    """``total`` risks over ``n`` registers, Zipf-like (weight 1/(i+10)), shuffled."""
    weights = [1 / (i + 10) for i in range(n)]
    scale = total / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    sizes[0] += total - sum(sizes)  # rounding to the largest register
    order = list(range(n))
    rng.shuffle(order)
    return [sizes[i] for i in order]


def _next_ids(*models_: type[models.Model]) -> dict[type[models.Model], int]:
    result = {}
    for model in models_:
        last = (
            model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
        )
        result[model] = (last or 0) + 1
    return result


def _cells_by_level(matrix: RiskMatrix) -> dict[str, list[tuple[str, str]]]:
    cells: dict[str, list[tuple[str, str]]] = {c: [] for c in matrix.level_codes}
    for s in matrix.severity_codes:
        for p in matrix.probability_codes:
            cells.setdefault(matrix.level_for(p, s), []).append((p, s))
    return cells


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


@transaction.atomic
def fill_registers(
    deployments: Sequence[Deployment],
    *,
    risks: int = 100_000,
    controls_per_risk: float = 3.0,
    seed: int = 1,
    users: Sequence[Any] = (),
    sizes: Sequence[int] | None = None,
) -> Generated:
    """Fill the deployments' registers in bulk (their parties must exist).

    ``users`` are used as assessors, risk owners, implementers and deciders
    (any users will do; none leaves those fields empty). ``sizes`` overrides
    the Zipf-like register sizes (one per deployment).
    """
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    default_matrix = (
        RiskMatrix.objects.filter(is_default=True).order_by("-revision").first()
    )
    parties: dict[int, list[Party]] = {}
    for party in Party.objects.filter(deployment__in=list(deployments)).order_by(
        "deployment_id", "role"
    ):
        parties.setdefault(party.deployment_id, []).append(party)
    categories: list[HazardCategory | None]
    categories = list(HazardCategory.objects.all()) or [None]
    sizes = (
        list(sizes)
        if sizes is not None
        else register_sizes(risks, len(deployments), rng)
    )
    ids = _next_ids(Risk, Assessment, Control, Decision)
    user_ids = [u.pk for u in users] or [None]
    out = Generated(deployments=list(deployments))
    risk_rows: list[Risk] = []
    assessment_rows: list[Assessment] = []
    control_rows: list[Control] = []
    decision_rows: list[Decision] = []
    matrices: dict[int, tuple[RiskMatrix, dict[str, list[tuple[str, str]]]]] = {}
    largest = 0

    def flush(final: bool = False) -> None:
        # Parents before children; ids are explicit, and the risk's references
        # to its assessment and decision are checked at commit.
        if final or len(risk_rows) >= BATCH:
            Risk.objects.bulk_create(risk_rows, batch_size=BATCH)
            Assessment.objects.bulk_create(assessment_rows, batch_size=BATCH)
            Decision.objects.bulk_create(decision_rows, batch_size=BATCH)
            Control.objects.bulk_create(control_rows, batch_size=BATCH)
            out.risks += len(risk_rows)
            out.assessments += len(assessment_rows)
            out.decisions += len(decision_rows)
            out.controls += len(control_rows)
            for rows in (risk_rows, assessment_rows, decision_rows, control_rows):
                rows.clear()

    for deployment, size in zip(deployments, sizes, strict=True):
        if size > largest:
            largest, out.largest = size, deployment
        matrix = deployment.matrix or default_matrix
        if matrix is None:
            raise ValueError("No risk matrix: load the default matrices first.")
        if matrix.pk not in matrices:
            matrices[matrix.pk] = (matrix, _cells_by_level(matrix))
        matrix, cells = matrices[matrix.pk]
        levels = [c for c in matrix.level_codes if cells.get(c)]
        level_weights = [LEVEL_WEIGHTS.get(c, 1) for c in levels]
        dep_parties = parties.get(deployment.pk) or []
        if not dep_parties:
            raise ValueError(f"Deployment {deployment.code} has no parties.")
        start = deployment.start_date
        for number in range(1, size + 1):
            risk_id = ids[Risk]
            ids[Risk] += 1
            nl, en = HAZARDS[rng.randrange(len(HAZARDS))]
            activity = ACTIVITIES[rng.randrange(len(ACTIVITIES))]
            status = _pick(rng, STATUS_WEIGHTS)
            if deployment.phase == Phase.CLOSED and rng.random() < 0.95:
                status = S.CLOSED  # a closed deployment closed its register
            risk = Risk(
                id=risk_id,
                deployment_id=deployment.pk,
                number=number,
                title=(nl if rng.random() < 0.75 else en)[:200],
                hazard=f"{nl} tijdens {activity}. {en}.",
                cause=CAUSES[rng.randrange(len(CAUSES))],
                consequence=CONSEQUENCES[rng.randrange(len(CONSEQUENCES))],
                category=categories[rng.randrange(len(categories))],
                activity=activity,
                phases=[deployment.phase if deployment.phase else Phase.DEPLOYED],
                owner_party_id=dep_parties[rng.randrange(len(dep_parties))].pk,
                owner_id=user_ids[rng.randrange(len(user_ids))],
                status=status,
                created_at=now,
                updated_at=now,
            )
            risk_rows.append(risk)
            if status != S.IDENTIFIED:
                n_assessments = 1 + (rng.random() < 0.25) + (rng.random() < 0.05)
                for sequence in range(1, n_assessments + 1):
                    level = rng.choices(levels, level_weights)[0]
                    rp, rs = rng.choice(cells[level])
                    higher = levels[matrix.rank(level) :]
                    ilevel = higher[min(len(higher) - 1, int(rng.random() * 2))]
                    ip, isv = rng.choice(cells[ilevel])
                    assessment = Assessment(
                        id=ids[Assessment],
                        risk_id=risk_id,
                        deployment_id=deployment.pk,
                        sequence=sequence,
                        inherent_probability=ip,
                        inherent_severity=isv,
                        inherent_level=ilevel,
                        controls_considered="Zie de beheersmaatregelen.",
                        residual_probability=rp,
                        residual_severity=rs,
                        residual_level=level,
                        residual_rank=matrix.rank(level),
                        reason="initial" if sequence == 1 else "periodic",
                        assessor_id=user_ids[rng.randrange(len(user_ids))],
                    )
                    ids[Assessment] += 1
                    assessment_rows.append(assessment)
                risk.current_assessment_id = assessment.id
                risk.inherent_level = assessment.inherent_level
                risk.residual_level = assessment.residual_level
                risk.residual_rank = assessment.residual_rank
                risk.stop_flag = rng.random() < 0.004
                if status in (S.ACCEPTED, S.MONITORED) or (
                    status == S.CLOSED and rng.random() < 0.5
                ):
                    valid = today + datetime.timedelta(days=rng.randint(-20, 180))
                    decision = Decision(
                        id=ids[Decision],
                        risk_id=risk_id,
                        assessment_id=assessment.id,
                        deployment_id=deployment.pk,
                        outcome=Decision.Outcome.ACCEPT,
                        decided_by_id=user_ids[rng.randrange(len(user_ids))],
                        level=assessment.residual_level,
                        authority_required={"nl": "commandant", "en": "commander"},
                        authority_held="commandant",
                        valid_until=valid,
                        rationale="Restrisico aanvaardbaar met de genomen maatregelen.",
                    )
                    ids[Decision] += 1
                    decision_rows.append(decision)
                    risk.accepted_decision_id = decision.id
                    risk.acceptance_expires_on = valid
            for _n in range(_poisson(rng, controls_per_risk)):
                kind, text = CONTROLS[rng.randrange(len(CONTROLS))]
                control_status = _pick(rng, CONTROL_STATUS_WEIGHTS)
                control_rows.append(
                    Control(
                        id=ids[Control],
                        risk_id=risk_id,
                        deployment_id=deployment.pk,
                        description=text,
                        kind=kind,
                        owner_party_id=dep_parties[rng.randrange(len(dep_parties))].pk,
                        implementer_id=user_ids[rng.randrange(len(user_ids))],
                        due_date=start + datetime.timedelta(days=rng.randint(-30, 200)),
                        status=control_status,
                        status_changed_at=now,
                        created_at=now,
                        updated_at=now,
                    )
                )
                ids[Control] += 1
            flush()
    flush(final=True)
    _reset_sequences(Risk, Assessment, Control, Decision)
    _after_fill(out.deployments)
    return out


def _poisson(rng: random.Random, mean: float) -> int:
    # Small counts: Knuth's method is fast enough and needs no numpy.
    import math

    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _reset_sequences(*models_: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _after_fill(deployments: Iterable[Deployment]) -> None:
    """Hook for derived data of registers written in bulk (counters)."""
    return None


@transaction.atomic
def generate(
    *,
    deployments: int = 1000,
    risks: int = 100_000,
    controls_per_risk: float = 3.0,
    seed: int = 1,
    command: Any,
    provider: Any,
    formations: Sequence[tuple[Any, Sequence[Any]]],
    users: Sequence[Any] = (),
    code_prefix: str = "GEN",
) -> Generated:
    """Make ``deployments`` deployments and fill their registers.

    Each has ``command`` as operational command, ``provider`` as force provider,
    and one of ``formations`` — ``(brigade, [battalions])`` — as parent brigade
    with one of its battalions as deployed unit. Phases are spread, most of them
    running (deployed) or closed.
    """
    rng = random.Random(seed)
    today = timezone.localdate()
    matrix = RiskMatrix.objects.filter(is_default=True).order_by("-revision").first()
    phases = [
        (Phase.PLANNING, 5),
        (Phase.PREPARATION, 8),
        (Phase.READINESS, 4),
        (Phase.DEPLOYED, 20),
        (Phase.REDEPLOYMENT, 3),
        (Phase.POST_DEPLOYMENT, 5),
        (Phase.CLOSED, 55),
    ]
    rows = []
    for i in range(deployments):
        theatre, name = THEATRES[i % len(THEATRES)]
        start = today + datetime.timedelta(days=rng.randint(-3000, 200))
        rows.append(
            Deployment(
                name=f"{name} R{i // len(THEATRES) + 1}",
                code=f"{code_prefix}-{i + 1:05d}",
                theatre=theatre,
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.randint(90, 240)),
                phase=_pick(rng, phases),
                matrix=matrix,
            )
        )
    made = Deployment.objects.bulk_create(rows, batch_size=BATCH)
    if any(d.pk is None for d in made):  # databases without RETURNING
        made = list(
            Deployment.objects.filter(code__startswith=f"{code_prefix}-").order_by(
                "code"
            )
        )
    R = Party.PartyRole
    party_rows = []
    for i, deployment in enumerate(made):
        brigade, battalions = formations[i % len(formations)]
        party_rows += [
            Party(
                deployment=deployment, organisation=command, role=R.OPERATIONAL_COMMAND
            ),
            Party(deployment=deployment, organisation=provider, role=R.FORCE_PROVIDER),
            Party(deployment=deployment, organisation=brigade, role=R.PARENT_BRIGADE),
        ]
        if battalions:
            party_rows.append(
                Party(
                    deployment=deployment,
                    organisation=battalions[rng.randrange(len(battalions))],
                    role=R.DEPLOYED_UNIT,
                )
            )
    Party.objects.bulk_create(party_rows, batch_size=BATCH)
    return fill_registers(
        made,
        risks=risks,
        controls_per_risk=controls_per_risk,
        seed=seed,
        users=users,
    )
