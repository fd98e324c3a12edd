"""Loading the demo observations and lessons through the services."""

from __future__ import annotations

import datetime
import random
from typing import Any

from missionsafety.core.demo import DemoContext
from missionsafety.deployments import services as dep_services
from missionsafety.deployments.demo import walk
from missionsafety.deployments.models import Deployment, Phase
from missionsafety.lessons import services
from missionsafety.lessons.demo.content import (
    EARLIER,
    FUZE_TITLE,
    MONTHS,
    PLACES,
    TEMPLATES,
    VEHICLES,
    R,
)
from missionsafety.lessons.models import Lesson, Observation
from missionsafety.risks.models import HazardCategory


def load(ctx: DemoContext) -> None:
    if Observation.objects.filter(title=FUZE_TITLE).exists():
        return
    rng = random.Random(13)
    users = {
        name: ctx.user(name)
        for name in (
            "jfc.safety",
            "jfc.lessons",
            "jfc.commander",
            "clas.commander",
            "clas.safety",
            "bde13.safety",
            "bde11.safety",
            "bn.safety",
        )
    }
    cats = {c.code: c for c in HazardCategory.objects.all()}
    orgs = {
        name: ctx.org(name)
        for name in (
            "NLD JFC",
            "Staf CLAS",
            "11 LMB",
            "12 INFBAT",
            "13 LBR",
            "42 BLJ",
            "17 PAINFBAT",
        )
    }
    deployments = [_earlier(ctx, users, orgs, spec) for spec in EARLIER]
    _special(ctx, users, orgs, cats, deployments)
    count = 0
    for dep, spec in zip(deployments, EARLIER, strict=True):
        submitter = users[spec[6]]
        start = dep.start_date
        verified: list[Observation] = []
        for i in range(40):
            template = TEMPLATES[(i + len(dep.code)) % len(TEMPLATES)]
            obs = _observation(
                rng, dep, submitter, template, cats, orgs, spec, start, i
            )
            count += 1
            if i % 5 != 4:
                obs = services.observation_transition(
                    actor=users["jfc.safety"], observation=obs, to_status="verified"
                )
                verified.append(obs)
            elif i % 10 == 9:
                services.observation_transition(
                    actor=users["jfc.safety"],
                    observation=obs,
                    to_status="rejected",
                    reason="Dubbel met een eerdere waarneming.",
                )
        _lessons(ctx, rng, dep, verified, users, orgs)
    _current(ctx, users, cats)
    ctx.say(f"{count + 4} observations, {Lesson.objects.count()} lessons")


def _earlier(ctx: DemoContext, users: dict, orgs: dict, spec: tuple) -> Deployment:
    code, name, theatre, years, brigade, battalion, _safety = spec
    start = ctx.days(-365 * years)
    dep = dep_services.deployment_create(
        actor=users["jfc.safety"],
        name=name,
        code=code,
        theatre=theatre,
        start_date=start,
        end_date=start + datetime.timedelta(days=180),
        description="Afgesloten eerdere inzet (demo).",
        parties=[
            (orgs["NLD JFC"], R.OPERATIONAL_COMMAND),
            (orgs["Staf CLAS"], R.FORCE_PROVIDER),
            (orgs[brigade], R.PARENT_BRIGADE),
            (orgs[battalion], R.DEPLOYED_UNIT),
        ],
    )
    walk(ctx, dep, "jfc.safety", Phase.CLOSED)
    dep.refresh_from_db()
    return dep


def _observation(
    rng: random.Random,
    dep: Deployment,
    submitter: Any,
    template: tuple[str, ...],
    cats: dict,
    orgs: dict,
    spec: tuple,
    start: datetime.date,
    i: int,
) -> Observation:
    category, kind, title, observation, discussion, conclusion, recommendation = (
        template[:7]
    )
    values = {
        "place": rng.choice(PLACES[dep.theatre]),
        "n": rng.randint(2, 60),
        "vehicle": rng.choice(VEHICLES),
        "month": rng.choice(MONTHS),
        "unit": spec[5],
    }
    roll = rng.random()
    releasability, released_to = "parties", []
    if roll < 0.45:
        releasability = "defence"
    elif roll < 0.6:
        releasability, released_to = "organisations", [orgs[spec[4]], orgs["Staf CLAS"]]
    phases = [Phase.PREPARATION, Phase.DEPLOYED, Phase.DEPLOYED, Phase.REDEPLOYMENT]
    return services.observation_submit(
        actor=submitter,
        deployment=dep,
        title=title.format(**values),
        observation=observation.format(**values),
        discussion=discussion.format(**values),
        conclusion=conclusion.format(**values),
        recommendation=recommendation.format(**values),
        source=rng.choice(["aar", "hot_wash", "review", "evaluation", "occurrence"]),
        kind=kind,
        phase=phases[i % len(phases)],
        observed_on=start + datetime.timedelta(days=(i * 4) % 180),
        tags=[values["place"].split()[-1].lower()],
        categories=[cats[category]],
        releasability=releasability,
        released_to=released_to,
    )


def _lessons(
    ctx: DemoContext,
    rng: random.Random,
    dep: Deployment,
    verified: list[Observation],
    users: dict,
    orgs: dict,
) -> None:
    """Group verified observations by template into lessons at every stage."""
    by_title: dict[str, list[Observation]] = {}
    for obs in verified:
        template = next(t for t in TEMPLATES if _same_template(t, obs))
        by_title.setdefault(template[7], []).append(obs)
    brigade = next(p.organisation for p in dep.party_list if p.role == R.PARENT_BRIGADE)
    for n, (title, group) in enumerate(sorted(by_title.items())):
        template = next(t for t in TEMPLATES if t[7] == title)
        authority = orgs["Staf CLAS"] if n % 2 else orgs["NLD JFC"]
        commander = users["clas.commander"] if n % 2 else users["jfc.commander"]
        body = [brigade, orgs["Staf CLAS"], brigade][n % 3]
        implementer = (
            users["clas.safety"]
            if body == orgs["Staf CLAS"]
            else users[
                "bde13.safety" if body.short_name == "13 LBR" else "bde11.safety"
            ]
        )
        stage = (
            n % 6
        )  # 0-1 validated, 2 implemented, 3 tasked (overdue), 4 endorsed, 5 identified
        due = dep.end_date + datetime.timedelta(days=90)
        if stage == 3:
            due = ctx.days(-rng.randint(5, 60))
        lesson = services.lesson_create(
            actor=users["jfc.lessons"],
            title=title,
            observations=group[:4],
            root_cause=template[8] or "Goede praktijk; geen oorzaak.",
            remedial_action=template[9],
            action_body=body,
            tasking_authority=authority,
            due_date=due,
            identified_on=dep.end_date,
        )
        if stage == 5:
            continue
        lesson = services.lesson_transition(
            actor=commander, lesson=lesson, to_status="endorsed"
        )
        if stage == 4:
            continue
        lesson = services.lesson_transition(
            actor=users["jfc.lessons"], lesson=lesson, to_status="tasked"
        )
        if stage == 3:
            continue
        lesson = services.lesson_transition(
            actor=implementer, lesson=lesson, to_status="implemented"
        )
        if stage == 2:
            continue
        services.lesson_transition(
            actor=users["jfc.lessons"],
            lesson=lesson,
            to_status="validated",
            validation_evidence=f"Gecontroleerd tijdens de volgende rotatie na {dep.code}.",
        )


def _same_template(template: tuple[str, ...], obs: Observation) -> bool:
    head = template[2].split("{")[0].strip()
    return obs.title.startswith(head)


def _special(ctx: DemoContext, users: dict, orgs: dict, cats: dict, deps: list) -> None:
    """The fuze observation everybody may learn from, and one for 11 LMB only."""
    mali, cbmi = deps[0], deps[3]
    fuzes = services.observation_submit(
        actor=users["bde11.safety"],
        deployment=mali,
        title=FUZE_TITLE,
        observation=(
            "Munitie werd opgeslagen in een niet-gekoelde zeecontainer op Camp Castor. "
            "In juli liep de temperatuur binnen op tot 61 graden. Bij de maandelijkse "
            "controle bleken ontstekers van 81mm-mortiergranaten door de hitte "
            "aangetast; twee partijen zijn afgekeurd."
        ),
        discussion=(
            "Het kampontwerp voorzag niet in gekoelde munitieopslag; de container "
            "stond in de volle zon. De fabrikant geeft een maximum van 52 graden."
        ),
        conclusion="Munitieopslag zonder koeling is in hete inzetgebieden onveilig.",
        recommendation=(
            "Gekoelde munitiecontainers met temperatuurlogger voorschrijven; "
            "munitie na blootstelling boven 52 graden laten keuren (ammunition "
            "storage in heat)."
        ),
        source="aar",
        kind="issue",
        phase=Phase.DEPLOYED,
        observed_on=mali.start_date + datetime.timedelta(days=70),
        tags=["munitie", "hitte", "container"],
        categories=[cats["weapons-ammo"], cats["climate"]],
        releasability="defence",
    )
    fuzes = services.observation_transition(
        actor=users["jfc.safety"], observation=fuzes, to_status="verified"
    )
    lesson = services.lesson_create(
        actor=users["jfc.lessons"],
        title="Munitie gekoeld opslaan in hete inzetgebieden",
        observations=[fuzes],
        root_cause="Kampontwerp zonder eis voor gekoelde munitieopslag.",
        remedial_action="Gekoelde munitiecontainers met logger in de standaard kampset.",
        action_body=orgs["Staf CLAS"],
        tasking_authority=orgs["NLD JFC"],
        due_date=mali.end_date + datetime.timedelta(days=120),
        identified_on=mali.end_date,
    )
    lesson = services.lesson_transition(
        actor=users["jfc.commander"], lesson=lesson, to_status="endorsed"
    )
    lesson = services.lesson_transition(
        actor=users["jfc.lessons"], lesson=lesson, to_status="tasked"
    )
    lesson = services.lesson_transition(
        actor=users["clas.safety"], lesson=lesson, to_status="implemented"
    )
    services.lesson_transition(
        actor=users["jfc.lessons"],
        lesson=lesson,
        to_status="validated",
        validation_evidence="Gekoelde containers aanwezig en gelogd tijdens MINUSMA-R5.",
    )
    services.observation_submit(
        actor=users["bde11.safety"],
        deployment=cbmi,
        title="Munitieopslag bij hitte: afwijking van de opslagvoorschriften",
        observation=(
            "In Erbil werd munitie tijdelijk opgeslagen in een tent bij 48 graden, "
            "afwijkend van de opslagvoorschriften, op last van de lokale commandant."
        ),
        source="hot_wash",
        phase=Phase.DEPLOYED,
        observed_on=cbmi.start_date + datetime.timedelta(days=40),
        categories=[cats["weapons-ammo"]],
        releasability="organisations",
        released_to=[orgs["11 LMB"]],
    )


def _current(ctx: DemoContext, users: dict, cats: dict) -> None:
    """A few fresh observations on the current rotation, and reviewed lessons."""
    r12 = ctx.deployment("EFP-LTU-R12")
    for title, text, cat in [
        (
            "Gladheid op de oefenterreinen Pabradė",
            "Twee Boxers gleden bij ijzel van de tankbaan.",
            "vehicle",
        ),
        (
            "Generator in de sporthal te dicht bij brandstof",
            "Jerrycans stonden op 3 m van het aggregaat.",
            "fire",
        ),
        (
            "Slaaptekort na nachtoefening",
            "Chauffeurs reden na 20 uur wakker terug naar Rukla.",
            "human",
        ),
    ]:
        services.observation_submit(
            actor=users["bn.safety"],
            deployment=r12,
            title=title,
            observation=text,
            source="hot_wash",
            categories=[cats[cat]],
        )
    r13 = ctx.deployment("EFP-LTU-R13")
    for lesson in Lesson.objects.filter(deployment__code="EFP-LTU-R10")[:3]:
        services.lesson_review_add(
            actor=users["bde13.safety"],
            deployment=r13,
            lesson=lesson,
            note="Besproken in de risico-kick-off.",
        )
