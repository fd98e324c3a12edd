"""Demo registers (fictional): the closed R11, the deployed R12 (copied from R11
and grown in theatre), R13 in readiness with high risks still to accept, and
CBMI-R4 in preparation. Decisions at several levels, one expired acceptance,
one risk flagged stop, overdue controls owned by different parties."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from missionsafety.core.demo import DemoContext
from missionsafety.deployments.people import party_members
from missionsafety.risks import services
from missionsafety.risks.models import Decision, Hazard, HazardCategory, Risk
from missionsafety.risks.services import EDIT_ROLES

# residual levels on the ATP 5-19 matrix: (probability, severity)
L, M, H, EH = ("D", "III"), ("C", "III"), ("C", "II"), ("B", "I")

# A control: description, kind, owner organisation, due in days (or none).
ControlSpec = tuple[str, str, str, int | None]
INHERENT = {L: ("B", "III"), M: ("B", "II"), H: ("A", "II"), EH: ("A", "I")}


def _party(deployment: Any, short: str) -> Any:
    return next(p for p in deployment.party_list if p.organisation.short_name == short)


def _assess(
    ctx: DemoContext, risk: Risk, actor: str, level: tuple[str, str], **kw: Any
) -> None:
    inherent = INHERENT[level]
    services.assessment_record(
        actor=ctx.user(actor),
        risk=Risk.objects.get(pk=risk.pk),
        inherent_probability=inherent[0],
        inherent_severity=inherent[1],
        residual_probability=level[0],
        residual_severity=level[1],
        controls_considered=kw.pop("considered", ""),
        **kw,
    )


def _consult(ctx: DemoContext, risk: Risk, commander: str) -> str:
    """Ask the parties the rule names; whoever answers for a party agrees. For
    a party without anyone in the demo, the note of a consultation by phone."""
    from missionsafety.organisations.models import Membership
    from missionsafety.risks import authority

    requirement = authority.requirement_for(risk)
    if requirement is None:
        return ""
    actor = ctx.user(commander)
    organisation = authority.deciding_organisation(actor, requirement, risk.deployment)
    state = services.consultation_state(
        risk=risk, rule=requirement.rule, organisation=organisation
    )

    def answerer(party: Any) -> Any:
        found = (
            Membership.objects.current()
            .filter(
                organisation_id=party.organisation_id, role__in=services.ANSWER_ROLES
            )
            .select_related("user")
            .first()
        )
        return found.user if found else None

    missing = [row.party for row in state if not row.answered and not row.consultation]
    people = {p.pk: answerer(p) for p in missing}
    # Parties without anyone in the demo were consulted by phone (the note).
    unanswered = [p.organisation.short_name for p in missing if not people[p.pk]]
    ask = [p for p in missing if people[p.pk]]
    if ask:
        for consultation in services.consultation_request(
            actor=actor, risk=risk, parties=ask
        ):
            services.consultation_answer(
                actor=people[consultation.party_id],
                consultation=consultation,
                answer="agree",
            )
    if not unanswered:
        return ""
    names = ", ".join(unanswered)
    return f"Telefonisch overleg met de S3 van {names} op {ctx.today.isoformat()}."


def _accept(ctx: DemoContext, risk: Risk, commander: str, **kw: Any) -> Decision:
    risk = Risk.objects.select_related("deployment").get(pk=risk.pk)
    note = _consult(ctx, risk, commander)
    risk = Risk.objects.select_related("deployment").get(pk=risk.pk)
    return services.decision_accept(
        actor=ctx.user(commander),
        risk=risk,
        assessment=risk.current_assessment,
        consultation_note=note,
        rationale=kw.pop(
            "rationale", "Beheersmaatregelen afdoende; restrisico aanvaard."
        ),
        **kw,
    )


def _escalate(ctx: DemoContext, risk: Risk, commander: str, why: str) -> None:
    risk = Risk.objects.select_related("deployment").get(pk=risk.pk)
    services.decision_escalate(
        actor=ctx.user(commander),
        risk=risk,
        assessment=risk.current_assessment,
        rationale=why,
    )


def _library(codes: list[str]) -> list[Hazard]:
    found = {h.code: h for h in Hazard.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def _r11(ctx: DemoContext) -> list[Risk]:
    r11 = ctx.deployment("EFP-LTU-R11")
    risks = services.register_from_library(
        actor=ctx.user("bde13.safety"),
        deployment=r11,
        hazards=_library(
            [
                "vehicle-rollover",
                "cold-injury",
                "road-traffic",
                "weapon-handling",
                "ammo-handling-training",
                "fatigue",
                "fire-camp",
                "water-drowning",
            ]
        ),
        owner_party=_party(r11, "17 PAINFBAT"),
    )
    levels = [H, M, M, L, H, M, L, M]
    for risk, level in zip(risks, levels, strict=True):
        _assess(ctx, risk, "bde13.safety", level)
        commander = {L: "bde13.commander", M: "bde13.commander", H: "bde13.commander"}[
            level
        ]
        _accept(ctx, risk, commander)
        services.risk_transition(
            actor=ctx.user("bde13.safety"),
            risk=Risk.objects.get(pk=risk.pk),
            to_status=Risk.Status.CLOSED,
            note="Einde rotatie; overgedragen aan R12.",
        )
    return risks


R12_OWN: list[tuple[str, str, str, tuple[str, str], list[ControlSpec]]] = [
    (
        "Oversteken van de Neris tijdens oefening Iron Wolf",
        "Doorwaden en oversteken met CV90 en boten bij hoge waterstand.",
        "water",
        H,
        [
            (
                "Reddingsvesten en werplijnen bij elke oversteekplaats",
                "protect",
                "42 BLJ",
                10,
            ),
            ("Verkenning oversteekplaatsen door genie", "administrate", "13 LBR", -12),
        ],
    ),
    (
        "Nachtelijke wachtdiensten bij -20 °C in Pabradė",
        "Onderkoeling en bevriezing tijdens lange wachtdiensten.",
        "climate",
        M,
        [
            (
                "Extra koudekleding (ECWCS) voor alle wachtposten",
                "protect",
                "Staf CLAS",
                -20,
            ),
            ("Verwarmde wachtcontainer", "engineer", "42 BLJ", 14),
        ],
    ),
    (
        "Konvooien op de A1 Kaunas–Vilnius",
        "Verkeersongevallen met zwaar lokaal verkeer in winterse omstandigheden.",
        "traffic",
        M,
        [
            (
                "Konvooibriefing en maximumsnelheid 70 km/u",
                "administrate",
                "42 BLJ",
                None,
            ),
            (
                "Winterbanden en sneeuwkettingen op alle wielvoertuigen",
                "engineer",
                "Staf CLAS",
                -5,
            ),
        ],
    ),
    (
        "Gezamenlijk schieten met Litouwse en Duitse eenheden",
        "Afwijkende schietveiligheidsnormen en taalbarrière op de schietbaan.",
        "weapons-ammo",
        H,
        [
            (
                "Gezamenlijk schietveiligheidsplan, NL-norm leidend",
                "administrate",
                "42 BLJ",
                7,
            ),
        ],
    ),
    (
        "MEDEVAC-tijd vanaf oefenterrein Gaižiūnai",
        "Helikopter niet altijd beschikbaar; rijtijd naar Role 2 Kaunas ruim 60 minuten.",
        "medevac",
        H,
        [
            ("Role 1 met ambulance op het oefenterrein", "engineer", "1 GNKBAT", -3),
            (
                "MEDEVAC-afspraken met Litouwse luchtmacht",
                "administrate",
                "NLD JFC",
                -8,
            ),
        ],
    ),
    (
        "Tekenbeten en tekenencefalitis (TBE)",
        "Veel teken in de bossen rond Rukla in voorjaar en zomer.",
        "medical",
        L,
        [("TBE-vaccinatie voor vertrek", "administrate", "1 GNKBAT", None)],
    ),
    (
        "Vermoeidheid door hoog oefentempo",
        "Aaneengesloten oefenweken met nachtelijke verplaatsingen.",
        "human",
        M,
        [("Rustschema: na 2 oefenweken 48 uur rust", "administrate", "42 BLJ", None)],
    ),
    (
        "Hijsen van containers bij aankomst materieel",
        "Lossen van zeecontainers op het spoorterminal Šeštokai.",
        "work",
        L,
        [
            (
                "Hijsplan en gecertificeerde kraanmachinist",
                "administrate",
                "42 BLJ",
                None,
            )
        ],
    ),
]


def _r12(ctx: DemoContext, r11_risks: list[Risk]) -> None:
    r12 = ctx.deployment("EFP-LTU-R12")
    safety = ctx.user("bde13.safety")
    bn = _party(r12, "42 BLJ")
    copied = services.register_copy(
        actor=safety,
        deployment=r12,
        source=ctx.deployment("EFP-LTU-R11"),
        owner_party=bn,
    )
    added = services.register_from_library(
        actor=safety,
        deployment=r12,
        hazards=_library(
            ["indirect-fire", "electrical", "vehicle-movement-camp", "noise"]
        ),
        owner_party=bn,
    )
    own = []
    categories = {c.code: c for c in HazardCategory.objects.all()}
    for title, hazard, category, level, controls in R12_OWN:
        risk = services.risk_create(
            actor=ctx.user("bn.safety"),
            deployment=r12,
            title=title,
            hazard=hazard,
            category=categories.get(category),
            phases=["deployed"],
            owner_party=bn,
            owner=ctx.user("bn.commander"),
            controls=[
                {
                    "description": text,
                    "kind": kind,
                    "owner_party": _party(r12, owner),
                    "due_date": ctx.days(due) if due is not None else None,
                }
                for text, kind, owner, due in controls
            ],
        )
        own.append((risk, level))

    # Copied and library risks: assessed in theatre by the battalion.
    plan = [L, M, M, L, M, L, L, M, M, L, L, L]
    for risk, level in zip(copied + added, plan, strict=False):
        _assess(
            ctx, risk, "bn.safety", level, considered="Maatregelen uit R11 overgenomen."
        )
    for risk, level in own:
        _assess(ctx, risk, "bn.safety", level)

    # Decisions at the right level: company (L), battalion (M), NLD JFC (H).
    # One expired acceptance: the first M risk was accepted 96 days ago for the
    # longest validity (90 days), which ran out 6 days ago.
    awaiting = list(
        Risk.objects.filter(
            deployment=r12, status=Risk.Status.AWAITING_DECISION
        ).order_by("number")
    )
    old = next((r for r in awaiting if r.residual_level == "M"), None)
    for risk in awaiting:
        if risk.residual_level == "L":
            _accept(ctx, risk, "coy.commander")
        elif risk.residual_level == "M":
            earlier = (
                {
                    "decided_at": timezone.make_aware(
                        datetime.datetime.combine(ctx.days(-96), datetime.time(10))
                    ),
                    "valid_until": ctx.days(-6),
                }
                if risk is old
                else {}
            )
            _accept(
                ctx,
                risk,
                "bn.commander",
                conditions="Herbeoordelen na elke oefenweek.",
                **earlier,
            )
    highs = list(
        Risk.objects.filter(deployment=r12, residual_level="H").order_by("number")
    )
    # One escalated by the battalion and accepted by NLD JFC, one still awaiting.
    _escalate(
        ctx, highs[0], "bn.commander", "Restrisico hoog; besluit ligt bij C-NLD JFC."
    )
    _accept(
        ctx,
        highs[0],
        "jfc.commander",
        conditions="Alleen met reddingsploeg ter plaatse.",
    )
    _accept(ctx, highs[1], "jfc.commander")
    _escalate(ctx, highs[2], "coy.commander", "Boven mijn bevoegdheid.")

    # Accepted low risks whose controls are in place are monitored.
    for risk in Risk.objects.filter(
        deployment=r12, status=Risk.Status.ACCEPTED, residual_level="L"
    ).order_by("number")[:4]:
        services.risk_transition(
            actor=ctx.user("bn.safety"),
            risk=risk,
            to_status=Risk.Status.MONITORED,
            note="Maatregelen uitgevoerd; maandelijkse controle.",
        )

    # One risk flagged stop: accepted at M, reassessed higher after an occurrence.
    stop = next(r for r, level in own if level == M)
    _assess(
        ctx,
        stop,
        "bn.safety",
        H,
        reason="occurrence",
        note="Twee koudeletsels in één week; maatregelen onvoldoende.",
    )

    # Controls owned by different parties, some done — each by its own party.
    for control in r12_controls(r12)[:6]:
        owners = party_members([control.owner_party], EDIT_ROLES)
        if not owners:
            continue
        services.control_update(
            actor=owners[0],
            control=control,
            version=control.version,
            status="implemented",
            status_note="Uitgevoerd en gecontroleerd door S3.",
        )


def r12_controls(r12: Any) -> list[Any]:
    from missionsafety.risks.models import Control

    return list(
        Control.objects.filter(deployment=r12, due_date__isnull=True)
        .select_related("owner_party__organisation", "risk", "deployment")
        .order_by("pk")
    )


R13_OWN: list[tuple[str, str, tuple[str, str], list[ControlSpec], str | None]] = [
    (
        "Munitieopslag bij hoge temperaturen",
        "Munitie in zeecontainers op Rukla warmt in de zomer op boven 50 °C.",
        H,
        [
            ("Zonwering en gekoelde munitiecontainers", "engineer", "Staf CLAS", 100),
            (
                "Dagelijkse temperatuurregistratie met maximumthermometer",
                "administrate",
                "17 PAINFBAT",
                100,
            ),
        ],
        None,
    ),
    (
        "Schietoefeningen CV90 met scherpe munitie in Pabradė",
        "Schietveiligheid bij vuren met 30 mm boordkanon; ricochetgevaar.",
        H,
        [
            (
                "Schietveiligheidsplan en leider schietoefening",
                "administrate",
                "17 PAINFBAT",
                105,
            )
        ],
        "bde13.commander",
    ),
    (
        "Onvoldoende CV90-bestuurders met winterrijervaring",
        "Veel nieuwe bestuurders; eerste winter in Litouwen.",
        H,
        [
            (
                "Winterrijtraining in Noorwegen voor alle bestuurders",
                "administrate",
                "13 LBR",
                100,
            )
        ],
        None,
    ),
    (
        "Hitte tijdens zomeroefeningen",
        "Temperaturen tot 32 °C bij oefeningen in volle uitrusting.",
        M,
        [("Werk-rustschema op basis van WBGT", "administrate", "17 PAINFBAT", None)],
        None,
    ),
]


def _r13(ctx: DemoContext) -> None:
    r13 = ctx.deployment("EFP-LTU-R13")
    safety = ctx.user("bde13.safety")
    bn = _party(r13, "17 PAINFBAT")
    added = services.register_from_library(
        actor=safety,
        deployment=r13,
        hazards=_library(
            [
                "vehicle-rollover",
                "cold-injury",
                "road-traffic",
                "fatigue",
                "medevac-time",
                "stress",
            ]
        ),
        owner_party=bn,
    )
    for risk, level in zip(added, [M, M, M, L, H, L], strict=True):
        _assess(ctx, risk, "bde13.safety", level)
        if level in (L, M):
            _accept(ctx, risk, "bde13.commander")
    for title, hazard, level, controls, commander in R13_OWN:
        risk = services.risk_create(
            actor=safety,
            deployment=r13,
            title=title,
            hazard=hazard,
            phases=["readiness", "deployed"],
            owner_party=bn,
            controls=[
                {
                    "description": text,
                    "kind": kind,
                    "owner_party": _party(r13, owner),
                    "due_date": ctx.days(due) if due is not None else None,
                }
                for text, kind, owner, due in controls
            ],
        )
        _assess(ctx, risk, "bde13.safety", level)
        if commander:
            _accept(
                ctx,
                risk,
                commander,
                conditions="Alleen met gecertificeerde leider schietoefening.",
            )


def _cbmi(ctx: DemoContext) -> None:
    cbmi = ctx.deployment("CBMI-R4")
    safety = ctx.user("bde11.safety")
    bn = _party(cbmi, "12 INFBAT")
    added = services.register_from_library(
        actor=safety,
        deployment=cbmi,
        hazards=_library(
            [
                "heat-injury",
                "ied",
                "indirect-fire",
                "infectious-disease",
                "medevac-time",
                "ammo-storage-heat",
                "road-traffic",
                "aviation-transport",
                "hazardous-substances",
                "infrastructure-collapse",
            ]
        ),
        owner_party=bn,
    )
    levels = [H, EH, H, M, H, M, M, M, L, L]
    for risk, level in zip(added, levels, strict=True):
        _assess(ctx, risk, "bde11.safety", level, request_decision=level != EH)
    for risk in Risk.objects.filter(
        deployment=cbmi, status=Risk.Status.AWAITING_DECISION
    ):
        if risk.residual_level == "M":
            _accept(ctx, risk, "bde11.commander")
    heat = Risk.objects.get(deployment=cbmi, source_hazard__code="heat-injury")
    _accept(
        ctx, heat, "bde11.commander", conditions="Acclimatisatie van 10 dagen in Erbil."
    )


def load(ctx: DemoContext) -> None:
    if Risk.objects.filter(deployment__code="EFP-LTU-R12").exists():
        return
    r11 = _r11(ctx)
    _r12(ctx, r11)
    _r13(ctx)
    _cbmi(ctx)
    ctx.say(f"{Risk.objects.count()} risks in 4 registers")
