"""Generation steps: the risk register (risks, assessments, controls, decisions)."""

import datetime
import random
from typing import Any

from django.db import models, transaction

from missionsafety.core.generation import DeploymentInfo, GenContext, register
from missionsafety.perf import text
from missionsafety.perf.generate import weighted

RISK_STATUS = {
    "planning": [("identified", 50), ("assessed", 40), ("awaiting_decision", 10)],
    "preparation": [
        ("identified", 15),
        ("assessed", 25),
        ("awaiting_decision", 25),
        ("accepted", 30),
        ("rejected", 5),
    ],
    "deployed": [
        ("identified", 5),
        ("assessed", 10),
        ("awaiting_decision", 10),
        ("accepted", 45),
        ("rejected", 5),
        ("monitored", 25),
    ],
    "redeployment": [("accepted", 30), ("monitored", 50), ("closed", 20)],
    "closed": [("accepted", 10), ("monitored", 20), ("closed", 70)],
}
RISK_STATUS["readiness"] = RISK_STATUS["preparation"]
RISK_STATUS["post_deployment"] = RISK_STATUS["redeployment"]
CONTROL_STATUS = {
    "early": [("planned", 90), ("implemented", 10)],
    "running": [
        ("planned", 35),
        ("implemented", 35),
        ("verified", 25),
        ("ineffective", 5),
    ],
    "done": [
        ("planned", 5),
        ("implemented", 30),
        ("verified", 60),
        ("ineffective", 5),
    ],
}
PREPARATION = {"planning", "preparation", "readiness"}
PROBABILITY_WEIGHTS = [0.07, 0.18, 0.30, 0.25, 0.20]  # A..E
SEVERITY_WEIGHTS = [0.08, 0.22, 0.40, 0.30]  # I..IV
CONTROLS_PER_RISK = [0.05, 0.12, 0.20, 0.25, 0.20, 0.12, 0.06]  # 0..6, mean ≈ 3


@register(
    "risks",
    order=40,
    models=("risks.Risk", "risks.Assessment", "risks.Control", "risks.Decision"),
)
def gen_risks(ctx: GenContext) -> dict[str, int]:
    """Risks with their assessments, controls and decisions, per deployment."""
    from missionsafety.risks.models import (
        AcceptanceRule,
        Assessment,
        Control,
        Decision,
        HazardCategory,
        Risk,
        RiskMatrix,
    )

    rng = ctx.rng("risks")
    matrix = RiskMatrix.objects.filter(is_default=True).order_by("-revision").first()
    assert matrix is not None, "the default risk matrix is missing"
    probs, sevs = matrix.probability_codes, matrix.severity_codes
    rules = {
        (r.level, r.chain): r for r in AcceptanceRule.objects.filter(matrix=matrix)
    }
    categories = dict(HazardCategory.objects.values_list("code", "pk"))
    hazards = [h for h in text.HAZARDS if h.category in categories]
    consulted = Decision.parties_consulted.through
    day = datetime.timedelta(days=1)
    counts = {"risks": 0, "assessments": 0, "controls": 0, "decisions": 0}
    buffers: dict[type[models.Model], list[Any]] = {
        Risk: [],
        Assessment: [],
        Control: [],
        Decision: [],
        consulted: [],
    }

    def flush() -> None:
        with transaction.atomic():
            for model, rows in buffers.items():
                ctx.bulk(model, rows)
                rows.clear()

    def assess(p: int, s: int) -> tuple[str, str, str, int]:
        level = matrix.level_for(probs[p], sevs[s])
        return probs[p], sevs[s], level, matrix.rank(level)

    for dep in ctx.deployments:
        open_dep = dep.phase != "closed"
        stage = (
            "early"
            if dep.phase in PREPARATION
            else "running"
            if dep.phase == "deployed"
            else "done"
        )
        chain = "army" if dep.phase in PREPARATION else "operational"
        party_roles = list(dep.parties)
        window_end = min(dep.end, ctx.today)
        window_start = dep.start - 150 * day
        window = max((window_end - window_start).days, 1)
        for number in range(1, dep.size + 1):
            lang = text.EN if rng.random() < 0.25 else text.NL
            hz = rng.choice(hazards)
            words = text.risk_text(rng, hz, lang)
            status = weighted(rng, RISK_STATUS[dep.phase])
            owner_role = weighted(
                rng,
                [
                    ("deployed_unit", 50),
                    ("parent_brigade", 30),
                    ("force_provider", 10),
                    ("operational_command", 10),
                ],
            )
            owner_party, owner_org = dep.parties[owner_role]
            people = ctx.users_by_org.get(owner_org) or ctx.users
            risk_id = ctx.next_id(Risk)
            created = window_start + day * rng.randint(0, max(window // 2, 0))
            risk = Risk(
                pk=risk_id,
                deployment_id=dep.id,
                number=number,
                title=words["title"],
                hazard=words["hazard"],
                cause=words["cause"],
                consequence=words["consequence"],
                category_id=categories[hz.category],
                activity=words["activity"],
                phases=["deployed"]
                if rng.random() < 0.7
                else ["preparation", "deployed"],
                owner_party_id=owner_party,
                owner_id=rng.choice(people) if rng.random() < 0.6 else None,
                status=status,
                created_at=ctx.now_at(created, rng),
                updated_at=ctx.now_at(created, rng),
            )
            buffers[Risk].append(risk)
            counts["risks"] += 1
            # Assessments: none while identified; otherwise one to three.
            assessments: list[Assessment] = []
            if status != "identified":
                p = rng.choices(range(5), weights=PROBABILITY_WEIGHTS)[0]
                s = rng.choices(range(4), weights=SEVERITY_WEIGHTS)[0]
                rounds = rng.choices([1, 2, 3], weights=[70, 22, 8])[0]
                when = created
                for seq in range(1, rounds + 1):
                    rp = min(4, p + rng.choices([0, 1, 2], weights=[25, 50, 25])[0])
                    rs = min(3, s + (1 if rng.random() < 0.2 else 0))
                    ip, is_, il, _ir = assess(p, s)
                    rp_, rs_, rl, rr = assess(rp, rs)
                    when = min(
                        when + day * rng.randint(0, 60), max(window_end, created)
                    )
                    assessments.append(
                        Assessment(
                            pk=ctx.next_id(Assessment),
                            risk_id=risk_id,
                            deployment_id=dep.id,
                            sequence=seq,
                            inherent_probability=ip,
                            inherent_severity=is_,
                            inherent_level=il,
                            controls_considered="; ".join(
                                c[1 + lang] for c in hz.controls[:2]
                            ),
                            residual_probability=rp_,
                            residual_severity=rs_,
                            residual_level=rl,
                            residual_rank=rr,
                            reason="initial"
                            if seq == 1
                            else rng.choice(["periodic", "changed", "occurrence"]),
                            assessor_id=rng.choice(people),
                            assessed_at=ctx.now_at(when, rng),
                        )
                    )
                buffers[Assessment].extend(assessments)
                counts["assessments"] += len(assessments)
                current = assessments[-1]
                risk.current_assessment_id = current.pk
                risk.inherent_level = current.inherent_level
                risk.residual_level = current.residual_level
                risk.residual_rank = current.residual_rank
            # Decisions on the current assessment (and sometimes a rejected first).
            if assessments and status in {"accepted", "monitored", "closed"}:
                current = assessments[-1]
                if len(assessments) > 1 and rng.random() < 0.15:
                    buffers[Decision].append(
                        _decision(ctx, rng, dep, rules, chain, assessments[0], "reject")
                    )
                    counts["decisions"] += 1
                decision = _decision(ctx, rng, dep, rules, chain, current, "accept")
                buffers[Decision].append(decision)
                counts["decisions"] += 1
                risk.accepted_decision_id = decision.pk
                risk.acceptance_expires_on = decision.valid_until
                if current.residual_level in {"H", "EH"}:
                    for party_id in dep.party_ids:
                        buffers[consulted].append(
                            consulted(decision_id=decision.pk, party_id=party_id)
                        )
                if open_dep and rng.random() < 0.005:
                    risk.stop_flag = True
            elif assessments and status == "rejected":
                buffers[Decision].append(
                    _decision(ctx, rng, dep, rules, chain, assessments[-1], "reject")
                )
                counts["decisions"] += 1
            elif assessments and status == "awaiting_decision" and rng.random() < 0.2:
                buffers[Decision].append(
                    _decision(ctx, rng, dep, rules, chain, assessments[-1], "escalate")
                )
                counts["decisions"] += 1
            if open_dep and assessments and rng.random() < 0.01:
                risk.reassessment_required = True
                risk.reassessment_reason = "Voorval categorie 3 gemeld."
            # Controls, owned mostly by the risk's party, sometimes by another.
            for _ in range(rng.choices(range(7), weights=CONTROLS_PER_RISK)[0]):
                kind, nl, en = rng.choice(hz.controls)
                c_status = weighted(rng, CONTROL_STATUS[stage])
                due = dep.start + day * rng.randint(-90, (dep.end - dep.start).days)
                buffers[Control].append(
                    Control(
                        pk=ctx.next_id(Control),
                        risk_id=risk_id,
                        deployment_id=dep.id,
                        description=en if lang == text.EN else nl,
                        kind=kind,
                        owner_party_id=owner_party
                        if rng.random() < 0.7
                        else dep.parties[rng.choice(party_roles)][0],
                        implementer_id=rng.choice(people)
                        if rng.random() < 0.5
                        else None,
                        due_date=due,
                        status=c_status,
                        status_changed_at=None
                        if c_status == "planned"
                        else ctx.now_at(min(due, ctx.today), rng),
                        status_note=rng.choice(text.STATUS_NOTES)[lang],
                        created_at=risk.created_at,
                        updated_at=risk.created_at,
                    )
                )
                counts["controls"] += 1
        if len(buffers[Control]) >= 20 * ctx.batch_size:
            flush()
    flush()
    return counts


def _decision(
    ctx: GenContext,
    rng: random.Random,
    dep: DeploymentInfo,
    rules: dict[tuple[str, str], Any],
    chain: str,
    assessment: Any,
    outcome: str,
) -> Any:
    from missionsafety.risks.models import Decision

    rule = rules.get((assessment.residual_level, chain))
    min_echelon = rule.min_echelon if rule else 30
    # The lowest party organisation with enough echelon; Defence staff above all.
    candidates = sorted(
        (ctx.org_echelon[org], org)
        for _pid, org in dep.parties.values()
        if ctx.org_echelon[org] >= min_echelon
    )
    decided_for = candidates[0][1] if candidates else ctx.orgs["DS"]
    decided_by = ctx.commanders.get(decided_for) or rng.choice(ctx.users)
    decided_at = assessment.assessed_at + datetime.timedelta(days=rng.randint(1, 14))
    valid_until = None
    if outcome == "accept" and rule:
        valid_until = decided_at.date() + datetime.timedelta(days=rule.validity_days)
    lang = rng.random() < 0.25
    rationale = rng.choice(
        text.RATIONALES[:2] if outcome == "accept" else text.RATIONALES[2:]
    )
    return Decision(
        pk=ctx.next_id(Decision),
        risk_id=assessment.risk_id,
        assessment_id=assessment.pk,
        deployment_id=dep.id,
        outcome=outcome,
        decided_by_id=decided_by,
        decided_at=decided_at,
        decided_for_id=decided_for,
        level=assessment.residual_level,
        authority_required=rule.authority if rule else {},
        authority_held="Commandant" if outcome != "escalate" else "",
        escalated_to_id=ctx.org_parent.get(decided_for)
        if outcome == "escalate"
        else None,
        conditions="Herbeoordelen bij wijziging van de dreiging."
        if outcome == "accept" and rng.random() < 0.4
        else "",
        valid_until=valid_until,
        rationale=rationale[1 if lang else 0],
    )
