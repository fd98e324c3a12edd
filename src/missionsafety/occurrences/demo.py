"""Demo occurrences: every kind and category, one serious accident (fictional)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from missionsafety.core.demo import DemoContext
from missionsafety.occurrences import services
from missionsafety.occurrences.models import Occurrence

# The risk the serious accident bears on: found by title when the risk demo
# loaded it, otherwise created here so the demo works on its own.
RISK_TITLES = [
    "Verkeersongevallen bij verplaatsingen in de winter",
    "Verkeersongeval tijdens konvooi",
]


def _at(ctx: DemoContext, days: int, hour: int = 10) -> datetime.datetime:
    day = ctx.days(days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 15)))


def _risk(ctx: DemoContext, deployment: Any) -> Any:
    from missionsafety.risks.models import Risk

    for title in RISK_TITLES:
        risk = Risk.objects.filter(deployment=deployment, title__iexact=title).first()
        if risk is not None:
            return risk
    if Risk.objects.filter(deployment=deployment).exists():
        return (
            Risk.objects.filter(
                deployment=deployment, title__icontains="verkeer"
            ).first()
            or Risk.objects.filter(deployment=deployment)
            .order_by("-residual_rank")
            .first()
        )
    return _make_accepted_risk(ctx, deployment)


def _make_accepted_risk(ctx: DemoContext, deployment: Any) -> Any:
    """A minimal accepted risk on the risk models, for a demo without the register."""
    from missionsafety.audit.services import record_change, snapshot
    from missionsafety.risks.models import Assessment, Decision, Risk

    party = deployment.parties.get(organisation__short_name="42 BLJ")
    risk = Risk.objects.create(
        deployment=deployment,
        number=Risk.objects.filter(deployment=deployment).count() + 1,
        title=RISK_TITLES[0],
        hazard="Rijden met YPR's en vrachtwagens op besneeuwde, gladde wegen.",
        cause="Gladheid, duisternis, vermoeidheid na nachtoefeningen.",
        consequence="Kantelen of aanrijding met zwaar letsel.",
        activity="Verplaatsingen tussen Rukla en Pabradė",
        owner_party=party,
        owner=ctx.user("bn.commander"),
        status=Risk.Status.ACCEPTED,
        inherent_level="EH",
        residual_level="H",
        residual_rank=2,
    )
    assessment = Assessment.objects.create(
        risk=risk,
        deployment=deployment,
        sequence=1,
        inherent_probability="B",
        inherent_severity="I",
        inherent_level="EH",
        controls_considered="Winterbanden, rijvaardigheidstraining, rustregeling.",
        residual_probability="C",
        residual_severity="II",
        residual_level="H",
        residual_rank=2,
        reason=Assessment.Reason.INITIAL,
        assessor=ctx.user("bde13.safety"),
    )
    decision = Decision.objects.create(
        risk=risk,
        assessment=assessment,
        deployment=deployment,
        outcome=Decision.Outcome.ACCEPT,
        decided_by=ctx.user("jfc.commander"),
        decided_for=ctx.org("NLD JFC"),
        level="H",
        conditions="Geen verplaatsingen bij ijzel zonder toestemming CC.",
        valid_until=ctx.days(20),
        rationale="Operationeel noodzakelijk; maatregelen voldoende.",
    )
    Risk.objects.filter(pk=risk.pk).update(
        current_assessment=assessment,
        accepted_decision=decision,
        acceptance_expires_on=decision.valid_until,
    )
    risk.refresh_from_db()
    record_change(
        actor=ctx.user("bde13.safety"), obj=risk, action="create", after=snapshot(risk)
    )
    return risk


# kind, category actual/potential, days ago, title, place, unit, reporter, extra
OCCURRENCES: list[tuple[str, int, int, int, str, str, str, str, dict[str, Any]]] = [
    (
        "unsafe_situation",
        0,
        1,
        -58,
        "Nooduitgang legeringstent geblokkeerd door kisten",
        "Rukla, kamp Herkus",
        "B-CIE 42",
        "coy.leader",
        {},
    ),
    (
        "near_miss",
        0,
        3,
        -51,
        "Ketsschot bij ontladen op schietbaan",
        "Pabradė, schietbaan 3",
        "B-CIE 42",
        "coy.commander",
        {
            "ammunition_involved": True,
            "immediate_actions": "Schietbaan stilgelegd, wapen ingenomen.",
        },
    ),
    (
        "incident",
        1,
        2,
        -44,
        "Enkelblessure bij uitstappen CV90",
        "Gaižiūnai, oefenterrein",
        "B-CIE 42",
        "coy.leader",
        {"injuries": "Eén militair, verzwikte enkel, geen verzuim."},
    ),
    (
        "accident",
        2,
        2,
        -37,
        "Hand bekneld tussen luik YPR",
        "Rukla, technische dienst",
        "42 BLJ",
        "bn.commander",
        {"injuries": "Gekneusde hand, drie dagen licht dienst."},
    ),
    (
        "unsafe_situation",
        0,
        2,
        -30,
        "Koolmonoxidemelder ontbreekt in verwarmde tent",
        "Pabradė, bivak",
        "B-CIE 42",
        "coy.leader",
        {},
    ),
    (
        "near_miss",
        1,
        3,
        -22,
        "Oefengranaat niet ontploft, gevonden na oefening",
        "Pabradė, oefenterrein noord",
        "B-CIE 42",
        "coy.commander",
        {
            "ammunition_involved": True,
            "immediate_actions": "Gebied afgezet, EOD gewaarschuwd.",
        },
    ),
    (
        "incident",
        2,
        2,
        -15,
        "Onderkoeling tijdens nachtelijke observatiepost",
        "Gaižiūnai",
        "B-CIE 42",
        "coy.commander",
        {"injuries": "Eén militair onderkoeld, opgevangen in Role 1."},
    ),
    (
        "accident",
        4,
        4,
        -9,
        "Schade aan Boxer na aanrijding met vrachtwagen van bondgenoot",
        "Weg A6 bij Kaunas",
        "42 BLJ",
        "bn.commander",
        {
            "damage": "Boxer zwaar beschadigd, schade geschat op € 400.000.",
            "injuries": "Geen letsel.",
        },
    ),
]


def load(ctx: DemoContext) -> None:
    r12 = ctx.deployment("EFP-LTU-R12")
    if Occurrence.objects.filter(deployment=r12).exists():
        return
    created = 0
    for (
        kind,
        actual,
        potential,
        days,
        title,
        place,
        unit,
        reporter,
        extra,
    ) in OCCURRENCES:
        services.occurrence_report(
            actor=ctx.user(reporter),
            deployment=r12,
            occurred_at=_at(ctx, days),
            place=place,
            unit=ctx.org(unit),
            kind=kind,
            title=title,
            actual_category=actual,
            potential_category=potential,
            activity="Oefening / dagelijkse dienst",
            **extra,
        )
        created += 1

    # The serious one: coy.commander reports a category-3 accident on the
    # convoy risk; the risk goes up for reassessment, the loop closes.
    risk = _risk(ctx, r12)
    accident, _new = services.occurrence_report(
        actor=ctx.user("coy.commander"),
        deployment=r12,
        occurred_at=_at(ctx, -3, 5),
        place="Weg 141 bij Jonava",
        latitude="55.083100",
        longitude="24.279500",
        unit=ctx.org("B-CIE 42"),
        kind="accident",
        title="YPR gekanteld tijdens nachtelijke verplaatsing op gladde weg",
        actual_category=3,
        potential_category=4,
        activity="Verplaatsing Rukla – Pabradė",
        injuries="Twee gewonden; één opgenomen in ziekenhuis Kaunas (< 24 uur).",
        damage="YPR zwaar beschadigd.",
        immediate_actions="Eerste hulp, MEDEVAC, verplaatsingen bij ijzel stilgelegd.",
        description=(
            "Tijdens een nachtelijke verplaatsing raakte de YPR in een bocht van de "
            "weg door ijzel. De chauffeur had 18 uur dienst achter de rug."
        ),
        risks=[risk] if risk is not None else [],
        persons=[
            {
                "name": "Sld1 P. de Wit",
                "role_in_occurrence": "bestuurder",
                "medical_details": "Gebroken sleutelbeen; 20 uur opgenomen.",
            },
            {
                "name": "Kpl J. Aydin",
                "role_in_occurrence": "boordschutter",
                "medical_details": "Hoofdwond, gehecht in Role 1.",
            },
        ],
    )
    safety = ctx.user("bde13.safety")
    services.occurrence_triage(
        actor=safety,
        occurrence=accident,
        version=accident.version,
        actual_category=3,
        potential_category=4,
        investigation_level="board",
        risks=[risk] if risk is not None else [],
        note="Commissie van Onderzoek ingesteld door C-13 LBR.",
    )
    accident.refresh_from_db()
    accident = services.occurrence_transition(
        actor=safety, occurrence=accident, to_status="investigating"
    )
    services.action_add(
        actor=safety,
        occurrence=accident,
        description="Rustregeling chauffeurs herzien (max. 12 uur dienst voor rijden).",
        owner=ctx.user("bn.commander"),
        due_date=ctx.days(10),
    )
    services.action_add(
        actor=safety,
        occurrence=accident,
        description="Gladheidstraining voor alle YPR-chauffeurs.",
        owner=ctx.user("coy.commander"),
        due_date=ctx.days(-1),
    )

    # A few triaged and closed ones, so the list shows every state.
    older = list(Occurrence.objects.filter(deployment=r12).order_by("occurred_at")[:3])
    for occurrence in older:
        occurrence = services.occurrence_triage(
            actor=safety,
            occurrence=occurrence,
            version=occurrence.version,
            actual_category=occurrence.actual_category,
            potential_category=occurrence.potential_category,
            investigation_level="unit",
        )
        services.occurrence_transition(
            actor=safety, occurrence=occurrence, to_status="closed"
        )

    # The previous rotation and the Iraq mission in preparation.
    r11 = ctx.deployment("EFP-LTU-R11")
    services.occurrence_report(
        actor=ctx.user("bde13.safety"),
        deployment=r11,
        occurred_at=_at(ctx, -260),
        place="Rukla",
        unit=ctx.org("17 PAINFBAT"),
        kind="accident",
        title="Brand in verwarmingsunit legeringstent",
        actual_category=2,
        potential_category=4,
        damage="Tent en persoonlijke uitrusting verloren.",
    )
    cbmi = ctx.deployment("CBMI-R4")
    services.occurrence_report(
        actor=ctx.user("bde11.safety"),
        deployment=cbmi,
        occurred_at=_at(ctx, -6),
        place="Oirschot, oefenterrein",
        unit=ctx.org("12 INFBAT"),
        kind="incident",
        title="Hitte-uitputting tijdens gereedstellingsoefening",
        actual_category=1,
        potential_category=3,
        injuries="Twee militairen, herstel binnen een dag.",
    )
    ctx.say(f"{created + 3} occurrences")
