"""Generation steps: organisations, people and deployments."""

import datetime

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from missionsafety.core.generation import (
    FIRST_NAMES,
    LAST_NAMES,
    DeploymentInfo,
    GenContext,
    register,
)
from missionsafety.perf.generate import (
    GENERATED_PASSWORD,
    GENERATED_PREFIX,
    USERNAME_PREFIX,
    weighted,
    zipf_sizes,
)

TOP = [
    ("DS", "Defensiestaf", "other", 90, None),
    ("NLD JFC", "Netherlands Joint Force Command", "joint_hq", 80, "DS"),
    ("Staf CLAS", "Staf Commando Landstrijdkrachten", "army_staff", 70, "DS"),
    ("IVD", "Inspectie Veiligheid Defensie", "inspectorate", 90, "DS"),
]
BRIGADES = [
    ("11 LMB", "11 Luchtmobiele Brigade"),
    ("13 LBR", "13 Lichte Brigade"),
    ("43 MECHBRIG", "43 Gemechaniseerde Brigade"),
    ("KCT", "Korps Commandotroepen"),
    ("OOCL", "Operationeel Ondersteuningscommando Land"),
    ("1 CMI CDO", "1 Civiel en Militair Interactie Commando"),
    ("JISTARC", "Joint ISTAR Commando"),
    ("DGLC", "Defensie Grondgebonden Luchtverdedigingscommando"),
    ("21 INFBRIG", "21 Infanteriebrigade"),
    ("31 GNBRIG", "31 Geniebrigade"),
]
BATTALION_KINDS = [
    ("INFBAT", "Infanteriebataljon"),
    ("PAINFBAT", "Pantserinfanteriebataljon"),
    ("GNKBAT", "Geneeskundig Bataljon"),
    ("BEVOBAT", "Bevoorradings- en Transportbataljon"),
    ("GNBAT", "Geniebataljon"),
    ("AFDVA", "Afdeling Veldartillerie"),
    ("HRSTBAT", "Herstelbataljon"),
    ("VERKBAT", "Verkenningsbataljon"),
]


@register("organisations", order=10, models=("organisations.Organisation",))
def gen_organisations(ctx: GenContext) -> dict[str, int]:
    from missionsafety.organisations.models import Organisation

    existing = {o.short_name: o for o in Organisation.objects.all()}
    spec: list[tuple[str, str, str, int, str | None]] = list(TOP)
    for i, (short, name) in enumerate(BRIGADES):
        spec.append((short, name, "brigade", 50, "Staf CLAS"))
        for j in range(3):
            number = 110 + i * 10 + j
            abbr, long = BATTALION_KINDS[(i + j) % len(BATTALION_KINDS)]
            bn = f"{number} {abbr}"
            spec.append((bn, f"{number} {long}", "battalion", 40, short))
            for letter in "ABC":
                spec.append(
                    (
                        f"{letter}-CIE {number}",
                        f"{letter}-Compagnie {number} {abbr}",
                        "company",
                        30,
                        bn,
                    )
                )
    now = timezone.now()
    rows = []
    paths: dict[str, str] = {}
    for short, name, kind, echelon, parent in spec:
        org = existing.get(short)
        if org is None:
            pk = ctx.next_id(Organisation)
            path = f"{paths[parent] if parent else '/'}{pk}/"
            org = Organisation(
                pk=pk,
                name=name,
                short_name=short,
                kind=kind,
                echelon=echelon,
                parent_id=ctx.orgs[parent] if parent else None,
                path=path,
                created_at=now,
                updated_at=now,
            )
            rows.append(org)
        paths[short] = org.path
        ctx.orgs[short] = org.pk
        ctx.org_echelon[org.pk] = org.echelon
        ctx.org_parent[org.pk] = org.parent_id
        if kind == "brigade":
            ctx.brigades.append(org.pk)
        elif kind == "battalion":
            ctx.battalions.append(org.pk)
    ctx.bulk(Organisation, rows)
    return {"organisations": len(rows)}


RANKS = {
    "commander": ["KOL", "LKOL", "MAJ", "KAP"],
    "safety_officer": ["MAJ", "KAP", "AOO"],
    "lessons_officer": ["KAP", "ELT", "SMI"],
    "contributor": ["SGT", "SGT1", "ELT", "TLT", "KPL"],
    "viewer": ["KPL", "SLD1", "SGT"],
    "auditor": ["", "LKOL"],
    "administrator": [""],
}
TITLES = {
    "commander": ("Commandant", "Commander"),
    "safety_officer": ("Veiligheidsfunctionaris", "Safety officer"),
    "lessons_officer": ("Lessons learned officer", "Lessons learned officer"),
    "auditor": ("Inspecteur", "Inspector"),
}


@register("users", order=20, models=("organisations.User", "organisations.Membership"))
def gen_users(ctx: GenContext) -> dict[str, int]:
    from missionsafety.organisations.models import Membership, User

    rng = ctx.rng("users")
    total = ctx.n("users", minimum=10)
    password = make_password(GENERATED_PASSWORD)
    org_ids = list(ctx.orgs.values())
    # Key posts first, from the top of the tree down, while people last.
    posts: list[tuple[int, str]] = [
        (ctx.orgs["IVD"], "auditor"),
        (ctx.orgs["DS"], "administrator"),
    ]
    for short in ("NLD JFC", "Staf CLAS", "DS"):
        posts += [(ctx.orgs[short], "safety_officer"), (ctx.orgs[short], "commander")]
    for brigade in ctx.brigades:
        posts += [(brigade, "safety_officer"), (brigade, "commander")]
    posts += [(bn, "commander") for bn in ctx.battalions]
    posts += [(bn, "safety_officer") for bn in ctx.battalions]
    weights = [
        {90: 1, 80: 6, 70: 6, 50: 3, 40: 2, 30: 1}.get(ctx.org_echelon[o], 1)
        for o in org_ids
    ]
    now = timezone.now()
    users, memberships = [], []
    for i in range(total):
        if i < len(posts):
            org, role = posts[i]
        else:
            org = rng.choices(org_ids, weights=weights)[0]
            role = (
                "auditor"
                if org == ctx.orgs["IVD"]
                else weighted(
                    rng,
                    [
                        ("viewer", 35),
                        ("contributor", 45),
                        ("safety_officer", 7),
                        ("lessons_officer", 8),
                        ("commander", 5),
                    ],
                )
            )
        uid = ctx.next_id(User)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        username = f"{USERNAME_PREFIX}{i + 1:05d}"
        users.append(
            User(
                pk=uid,
                username=username,
                password=password,
                first_name=first,
                last_name=last,
                email=f"{username}@mil.example",
                rank=rng.choice(RANKS[role]),
                is_superuser=False,
                is_staff=role == "administrator",
                is_active=True,
                date_joined=now,
            )
        )
        ctx.users.append(uid)
        ctx.users_by_org.setdefault(org, []).append(uid)
        title = TITLES.get(role, ("", ""))[0]
        memberships.append(
            Membership(
                pk=ctx.next_id(Membership),
                user_id=uid,
                organisation_id=org,
                role=role,
                title=title,
                created_at=now,
                updated_at=now,
            )
        )
        if role == "commander":
            ctx.commanders.setdefault(org, uid)
        # Some people also act one level up for a while (an acting commander).
        parent = ctx.org_parent.get(org)
        if i >= len(posts) and parent and rng.random() < 0.08:
            start = ctx.today - datetime.timedelta(days=rng.randint(0, 120))
            memberships.append(
                Membership(
                    pk=ctx.next_id(Membership),
                    user_id=uid,
                    organisation_id=parent,
                    role="commander" if role == "commander" else "contributor",
                    title="Waarnemend commandant" if role == "commander" else "",
                    valid_from=start,
                    valid_until=start + datetime.timedelta(days=rng.randint(14, 180)),
                    created_at=now,
                    updated_at=now,
                )
            )
    ctx.bulk(User, users)
    ctx.bulk(Membership, memberships)
    return {"users": len(users), "memberships": len(memberships)}


OPERATIONS = [
    ("EFP-LTU", "eFP Litouwen", "Litouwen"),
    ("CBMI", "CBMI Irak", "Irak"),
    ("UNIFIL", "UNIFIL Libanon", "Libanon"),
    ("KFOR", "KFOR Kosovo", "Kosovo"),
    ("EUFOR", "EUFOR Althea", "Bosnië-Herzegovina"),
    ("MINUSMA", "MINUSMA Mali", "Mali"),
    ("RSM", "Resolute Support", "Afghanistan"),
    ("EUTM", "EUTM Mali", "Mali"),
    ("UNMISS", "UNMISS Zuid-Soedan", "Zuid-Soedan"),
    ("FLF-SVK", "NATO FLF Slowakije", "Slowakije"),
    ("FLF-ROU", "NATO FLF Roemenië", "Roemenië"),
    ("OIR-JOR", "OIR Jordanië", "Jordanië"),
    ("CARIB", "Noodhulp Caribisch gebied", "Caribisch gebied"),
    ("ATALANTA", "EUNAVFOR Atalanta (VPD)", "Golf van Aden"),
]


def phase_on(today: datetime.date, start: datetime.date, end: datetime.date) -> str:
    if start > today + datetime.timedelta(days=180):
        return "planning"
    if start > today + datetime.timedelta(days=90):
        return "preparation"
    if start > today:
        return "readiness"
    if end >= today:
        return "deployed"
    if end + datetime.timedelta(days=30) >= today:
        return "redeployment"
    if end + datetime.timedelta(days=120) >= today:
        return "post_deployment"
    return "closed"


@register(
    "deployments",
    order=30,
    models=("deployments.Deployment", "deployments.Party", "risks.RiskMatrix"),
)
def gen_deployments(ctx: GenContext) -> dict[str, int]:
    from missionsafety.deployments.models import Deployment, Party
    from missionsafety.risks.models import RiskMatrix

    rng = ctx.rng("deployments")
    matrix = RiskMatrix.objects.filter(is_default=True).order_by("-revision").first()
    total = ctx.n("deployments", minimum=3)
    span = 15 * 365
    starts = sorted(
        ctx.today + datetime.timedelta(days=rng.randint(-span, 365))
        for _ in range(total)
    )
    # The few large registers go to the deployments running now (the hot ones).
    sizes = zipf_sizes(total, ctx.n("risks"), rng, minimum=5)
    now = timezone.now()
    rotations: dict[str, tuple[int, int]] = {}  # op -> (last id, number)
    deployments, parties = [], []
    for start in starts:
        op, name, theatre = rng.choice(OPERATIONS)
        end = start + datetime.timedelta(days=rng.choice([120, 150, 180, 180, 240]))
        predecessor, number = rotations.get(op, (None, 0))
        number += 1
        pk = ctx.next_id(Deployment)
        rotations[op] = (pk, number)
        code = f"{GENERATED_PREFIX}{op}-R{number}"
        phase = phase_on(ctx.today, start, end)
        deployments.append(
            Deployment(
                pk=pk,
                name=f"{name} R{number}",
                code=code,
                theatre=theatre,
                description=f"Rotatie {number} van {name}.",
                start_date=start,
                end_date=end,
                phase=phase,
                phase_changed_at=now,
                predecessor_id=predecessor,
                matrix_id=matrix.pk if matrix else None,
                created_at=now,
                updated_at=now,
            )
        )
        info = DeploymentInfo(id=pk, code=code, phase=phase, start=start, end=end)
        battalion = rng.choice(ctx.battalions)
        brigade = ctx.org_parent[battalion]
        assert brigade is not None  # every battalion of the spec sits under a brigade
        chosen = [
            ("operational_command", ctx.orgs["NLD JFC"]),
            ("force_provider", ctx.orgs["Staf CLAS"]),
            ("parent_brigade", brigade),
            ("deployed_unit", battalion),
        ]
        if rng.random() < 0.3:
            support = rng.choice([b for b in ctx.battalions if b != battalion])
            chosen.append(("supporting", support))
        for role, org in chosen:
            party_id = ctx.next_id(Party)
            contacts = ctx.users_by_org.get(org)
            parties.append(
                Party(
                    pk=party_id,
                    deployment_id=pk,
                    organisation_id=org,
                    role=role,
                    point_of_contact_id=rng.choice(contacts) if contacts else None,
                    created_at=now,
                    updated_at=now,
                )
            )
            info.parties[role] = (party_id, org)
        ctx.deployments.append(info)
    # Largest registers first to the deployments that run now, then the rest.
    running = {"deployed": 0, "readiness": 1, "preparation": 2, "redeployment": 3}
    order = sorted(
        range(total),
        key=lambda i: (running.get(ctx.deployments[i].phase, 9), rng.random()),
    )
    for size, index in zip(sizes, order, strict=True):
        ctx.deployments[index].size = size
    ctx.bulk(Deployment, deployments)
    ctx.bulk(Party, parties)
    return {"deployments": len(deployments), "parties": len(parties)}
