"""Demo agreements and evaluation history (fictional)."""

from __future__ import annotations

import datetime
from typing import Any

from missionsafety.core.demo import DEMO_PASSWORD, DemoContext
from missionsafety.deployments import services as dep_services
from missionsafety.evaluations import services
from missionsafety.evaluations.models import Agreement, Evaluation, EvaluationTemplate
from missionsafety.organisations import services as org_services
from missionsafety.organisations.models import User


def _person(
    ctx: DemoContext, username: str, org: str, role: str, title: str, **names: str
) -> Any:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = org_services.user_create(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            email=f"{username}@mil.example",
            **names,
        )
        org_services.membership_create(
            actor=None,
            user=user,
            organisation=ctx.org(org),
            role=role,
            title=title,
        )
    return user


def _contact(ctx: DemoContext, deployment: Any, org: str, user: Any) -> None:
    party = deployment.parties.get(organisation__short_name=org)
    if party.point_of_contact_id is None:
        dep_services.party_update(
            actor=ctx.user("jfc.safety"),
            party=party,
            point_of_contact=user,
            contact_note=f"{user.username}@mil.example",
        )


def _sign(ctx: DemoContext, agreement: Agreement, signers: dict[str, str]) -> Agreement:
    for org, username in signers.items():
        party = agreement.deployment.parties.get(organisation__short_name=org)
        agreement = services.agreement_sign(
            actor=ctx.user(username), agreement=agreement, party=party
        )
    return agreement


def _moment(deployment: Any, code: str, slot: int = 1) -> Evaluation:
    return Evaluation.objects.get(deployment=deployment, template__code=code, slot=slot)


def _hold(
    ctx: DemoContext,
    evaluation: Evaluation,
    actor: str,
    days_from_due: int,
    names: dict[str, str],
    answers: dict[str, str],
    findings: list[str] | None = None,
) -> Evaluation:
    parties = {
        p.organisation.short_name: p.pk
        for p in evaluation.deployment.parties.select_related("organisation")
    }
    return services.evaluation_hold(
        actor=ctx.user(actor),
        evaluation=evaluation,
        version=evaluation.version,
        held_on=min(
            ctx.today,
            evaluation.due_date + datetime.timedelta(days=days_from_due),
        ),
        participants={parties[org]: who for org, who in names.items()},
        answers=answers,
        findings=findings or [],
    )


def load(ctx: DemoContext) -> None:
    r12 = ctx.deployment("EFP-LTU-R12")
    if Agreement.objects.filter(deployment=r12).exists():
        return
    gnk = _person(
        ctx,
        "gnk.commander",
        "1 GNKBAT",
        "commander",
        first_name="Mirjam",
        last_name="Claassen",
        rank="LKOL",
        title="Commandant 1 Geneeskundig Bataljon",
    )
    _contact(ctx, r12, "1 GNKBAT", gnk)

    # R12: version 1 signed by two commanders, then changed (medical support
    # made Responsible for implementing) — version 2 signed by all.
    jfc = ctx.user("jfc.safety")
    v1 = services.agreement_setup(actor=jfc, deployment=r12)
    v1 = services.agreement_submit(actor=jfc, agreement=v1)
    v1 = _sign(ctx, v1, {"NLD JFC": "jfc.commander", "13 LBR": "bde13.commander"})
    steps = {s.code: s.pk for s in services._steps()}
    gnk_party = r12.parties.get(organisation__short_name="1 GNKBAT")
    v2 = services.agreement_update(
        actor=jfc,
        agreement=v1,
        version=v1.number,
        cells={
            (steps["supervise"], gnk_party.pk): (
                "C",
                "Wordt geraadpleegd over medische dekking en evacuatietijden (10-1-2).",
            )
        },
        note="Medische ondersteuning geraadpleegd bij herbeoordeling, na twijfel over evacuatietijden.",
    )
    v2 = services.agreement_submit(actor=jfc, agreement=v2)
    _sign(
        ctx,
        v2,
        {
            "NLD JFC": "jfc.commander",
            "Staf CLAS": "clas.commander",
            "13 LBR": "bde13.commander",
            "42 BLJ": "bn.commander",
            "1 GNKBAT": "gnk.commander",
        },
    )

    everyone = {
        "NLD JFC": "MAJ Bakker",
        "Staf CLAS": "LKOL Visser",
        "13 LBR": "KAP de Boer",
        "42 BLJ": "LKOL Peters, AOO Hendriks",
    }
    _hold(
        ctx,
        _moment(r12, "kickoff"),
        "jfc.safety",
        -3,
        everyone,
        {
            "context": "Winterperiode, oefenterreinen Pabradė en Gaižiūnai; matrix ATP 5-19 vastgesteld.",
            "lessons": "R11: koudeletsel bij nachtoefeningen, onderhoud YPR-remmen, evacuatietijden.",
        },
    )
    _hold(
        ctx,
        _moment(r12, "toa_handover"),
        "bn.safety",
        5,
        {"NLD JFC": "MAJ Bakker", "13 LBR": "KAP de Boer", "42 BLJ": "AOO Hendriks"},
        {
            "register": "27 open risico's overgedragen van 17 PAINFBAT.",
            "controls": "4 open maatregelen (o.a. winterbanden CV90-transport) met eigenaar overgedragen.",
            "lessons": "Lessen R11 over koude en schietveiligheid Pabradė besproken.",
        },
    )
    review = _hold(
        ctx,
        _moment(r12, "periodic_review", 1),
        "bn.safety",
        0,
        {"NLD JFC": "MAJ Bakker", "42 BLJ": "AOO Hendriks, KAP Willems"},
        {
            "reassessment": "Verkeer op ijzel, koudeletsel en schietveiligheid herbeoordeeld.",
            "trends": "Twee bijna-ongevallen met voertuigen op ijzel in drie weken.",
        },
        [
            "Strooicapaciteit op de kazerne Rukla schiet tekort bij ijzel.",
            "Goede praktijk: buddy-check op koudeletsel bij nachtoefeningen.",
        ],
    )
    finding = review.findings.order_by("number").first()
    assert finding is not None  # the review above recorded two findings
    services.action_create(
        actor=ctx.user("bn.safety"),
        finding=finding,
        description="Strooiroute en -capaciteit afspreken met het gastland (HNS).",
        owner_party=r12.parties.get(organisation__short_name="42 BLJ"),
        owner=ctx.user("bn.safety"),
        due_date=ctx.days(14),
    )
    review = services.evaluation_report(
        actor=ctx.user("bn.safety"),
        evaluation=review,
        version=review.version,
        report="Review gehouden met NLD JFC via VTC. Eén actie belegd, één goede praktijk.",
    )
    hot_wash = EvaluationTemplate.objects.get(code="hot_wash")
    wash = services.evaluation_create(
        actor=ctx.user("bn.safety"),
        deployment=r12,
        template=hot_wash,
        # The moment's name reads in each reader's language; the rest as written.
        title=f"{hot_wash.name_nl}: YPR van de weg geraakt bij nachtrit Pabradė",
        due_date=ctx.days(-20),
    )
    _hold(
        ctx,
        wash,
        "bn.safety",
        -1,
        {"42 BLJ": "KAP Willems, SGT1 El Amrani"},
        {
            "happened": "YPR gleed bij nachtrit op ijzel in de berm; geen gewonden.",
            "immediate": "Snelheid bij ijzel maximaal 30 km/u; extra rijinstructie.",
            "follow_up": "Herbeoordeling risico wegverkeer; AAR met de compagnie.",
        },
    )
    # The second monthly review (15 days ago) was not held: it shows as overdue.

    # R13 in readiness: agreement in signature, gate not yet held.
    r13 = ctx.deployment("EFP-LTU-R13")
    bn17 = _person(
        ctx,
        "bn17.safety",
        "17 PAINFBAT",
        "safety_officer",
        first_name="Ruud",
        last_name="Meijer",
        rank="AOO",
        title="Veiligheidsfunctionaris 17 PAINFBAT",
    )
    _contact(ctx, r13, "Staf CLAS", ctx.user("clas.safety"))
    _contact(ctx, r13, "17 PAINFBAT", bn17)
    a13 = services.agreement_setup(actor=jfc, deployment=r13)
    a13 = services.agreement_submit(actor=jfc, agreement=a13)
    _sign(ctx, a13, {"NLD JFC": "jfc.commander", "13 LBR": "bde13.commander"})
    ctx.say("2 agreements, evaluation history for EFP-LTU-R12")
