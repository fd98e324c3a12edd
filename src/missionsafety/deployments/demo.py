"""Demo deployments with their parties and phase history (fictional)."""

from __future__ import annotations

from missionsafety.core.demo import DemoContext, before_phase
from missionsafety.deployments import services
from missionsafety.deployments.models import Deployment, Party, Phase

R = Party.PartyRole


def walk(ctx: DemoContext, deployment: Deployment, actor: str, to: str) -> None:
    """Move a deployment phase by phase up to ``to``."""
    order = [p for p, _label in Phase.choices]
    user = ctx.user(actor)
    while deployment.phase != to:
        target = order[order.index(deployment.phase) + 1]
        # E.g. the readiness safety gate is held (open items waived) before
        # deployed, by the app that owns the gate.
        before_phase(target, deployment, user)
        deployment = services.deployment_move_phase(
            actor=user,
            deployment=deployment,
            to_phase=target,
            note="Demo",
            early_reason="Demo" if target == Phase.DEPLOYED else "",
        )


def load(ctx: DemoContext) -> None:
    if Deployment.objects.filter(code="EFP-LTU-R12").exists():
        return
    jfc = ctx.user("jfc.safety")
    r11 = services.deployment_create(
        actor=jfc,
        name="enhanced Forward Presence Litouwen — rotatie 11",
        code="EFP-LTU-R11",
        theatre="Litouwen (Rukla)",
        start_date=ctx.days(-400),
        end_date=ctx.days(-220),
        description="Vorige rotatie van de Nederlandse bijdrage aan de eFP-battlegroup.",
        parties=[
            (ctx.org("NLD JFC"), R.OPERATIONAL_COMMAND),
            (ctx.org("Staf CLAS"), R.FORCE_PROVIDER),
            (ctx.org("13 LBR"), R.PARENT_BRIGADE),
            (ctx.org("17 PAINFBAT"), R.DEPLOYED_UNIT),
        ],
    )
    walk(ctx, r11, "jfc.safety", Phase.CLOSED)

    r12 = services.deployment_create(
        actor=jfc,
        name="enhanced Forward Presence Litouwen — rotatie 12",
        code="EFP-LTU-R12",
        theatre="Litouwen (Rukla)",
        start_date=ctx.days(-75),
        end_date=ctx.days(105),
        predecessor=r11,
        description=(
            "Gemechaniseerde compagnie en staf van 42 BLJ in de multinationale "
            "battlegroup. Oefenterreinen Pabradė en Gaižiūnai; winterperiode."
        ),
        parties=[
            (ctx.org("NLD JFC"), R.OPERATIONAL_COMMAND),
            (ctx.org("Staf CLAS"), R.FORCE_PROVIDER),
            (ctx.org("13 LBR"), R.PARENT_BRIGADE),
            (ctx.org("42 BLJ"), R.DEPLOYED_UNIT),
            (ctx.org("1 GNKBAT"), R.SUPPORTING),
        ],
    )
    _set_contacts(
        ctx,
        r12,
        {
            "NLD JFC": "jfc.safety",
            "Staf CLAS": "clas.safety",
            "13 LBR": "bde13.safety",
            "42 BLJ": "bn.safety",
        },
    )
    walk(ctx, r12, "jfc.safety", Phase.DEPLOYED)

    r13 = services.deployment_create(
        actor=ctx.user("bde13.safety"),
        name="enhanced Forward Presence Litouwen — rotatie 13",
        code="EFP-LTU-R13",
        theatre="Litouwen (Rukla)",
        start_date=ctx.days(100),
        end_date=ctx.days(280),
        predecessor=r12,
        description="Volgende rotatie; gereedstelling door 17 PAINFBAT.",
        parties=[
            (ctx.org("NLD JFC"), R.OPERATIONAL_COMMAND),
            (ctx.org("Staf CLAS"), R.FORCE_PROVIDER),
            (ctx.org("13 LBR"), R.PARENT_BRIGADE),
            (ctx.org("17 PAINFBAT"), R.DEPLOYED_UNIT),
        ],
    )
    _set_contacts(ctx, r13, {"NLD JFC": "jfc.safety", "13 LBR": "bde13.safety"})
    walk(ctx, r13, "bde13.safety", Phase.READINESS)

    cbmi = services.deployment_create(
        actor=ctx.user("bde11.safety"),
        name="Capacity Building Mission Irak — rotatie 4",
        code="CBMI-R4",
        theatre="Irak (Erbil)",
        start_date=ctx.days(160),
        end_date=ctx.days(340),
        description="Trainingsteam van 11 LMB voor Koerdische eenheden; hitte, IED-dreiging.",
        parties=[
            (ctx.org("NLD JFC"), R.OPERATIONAL_COMMAND),
            (ctx.org("Staf CLAS"), R.FORCE_PROVIDER),
            (ctx.org("11 LMB"), R.PARENT_BRIGADE),
            (ctx.org("12 INFBAT"), R.DEPLOYED_UNIT),
        ],
    )
    walk(ctx, cbmi, "bde11.safety", Phase.PREPARATION)
    ctx.say("4 deployments")


def _set_contacts(
    ctx: DemoContext, deployment: Deployment, contacts: dict[str, str]
) -> None:
    for party in deployment.parties.select_related("organisation"):
        username = contacts.get(party.organisation.short_name)
        if username:
            services.party_update(
                actor=ctx.user("jfc.safety"),
                party=party,
                point_of_contact=ctx.user(username),
                contact_note=f"{username}@mil.example",
            )
