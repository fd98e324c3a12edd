"""The reference data set of DESIGN.md section 5, scaled, deterministic for a seed.

Generated rows are *imported*, not audited: they are written with
``bulk_create`` in batches, with primary keys assigned here, and without a
change record per row. One change record (action ``generate``) summarises the
whole run. Generated deployments carry codes starting with ``GEN-`` so that a
database holding real deployments is recognised (and refused without --force).

The generator is a registry of per-concept steps that run in order and share a
``GenContext``. A step declares the models it needs; a step whose models are
not installed is skipped. To add a concept when its app lands (occurrences at
1,000,000 × scale, observations and lessons at 100,000 × scale, evaluations)::

    from missionsafety.perf.generate import GenContext, register

    @register("occurrences", order=60, models=("occurrences.Occurrence",))
    def occurrences(ctx: GenContext) -> dict[str, int]:
        rng = ctx.rng("occurrences")
        for dep in ctx.deployments: ...          # ids, phases, dates, parties
        ctx.bulk(Occurrence, rows)               # explicit ids, batched
        return {"occurrences": n}

and import that module from ``STEP_MODULES`` below (or from the app's own
``perf.py``, which is imported when it exists).
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from missionsafety.perf import text

GENERATED_PREFIX = "GEN-"
GENERATED_PASSWORD = "missie-veilig"  # same as the demo; documented in the README
USERNAME_PREFIX = "gen."

# Per concept at scale 1 (DESIGN.md section 5).
REFERENCE = {
    "users": 5_000,
    "deployments": 1_000,
    "risks": 100_000,
    "controls": 300_000,
    "occurrences": 1_000_000,
    "observations": 100_000,
    "lessons": 100_000,
}


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------
@dataclass
class Step:
    name: str
    order: int
    models: tuple[str, ...]
    run: Callable[[GenContext], dict[str, int]]

    def available(self) -> bool:
        for label in self.models:
            try:
                apps.get_model(label)
            except LookupError:
                return False
        return True


STEPS: dict[str, Step] = {}

# Modules with more steps (another app's ``missionsafety.<app>.perf`` is found too).
STEP_MODULES: list[str] = []


def register(
    name: str, *, order: int, models: tuple[str, ...] = ()
) -> Callable[[Callable[[GenContext], dict[str, int]]], Any]:
    """Add a generation step; steps run by ``order``."""

    def wrap(func: Callable[[GenContext], dict[str, int]]) -> Any:
        STEPS[name] = Step(name=name, order=order, models=models, run=func)
        return func

    return wrap


def steps() -> list[Step]:
    for module in STEP_MODULES:
        import_module(module)
    for app in settings.INSTALLED_APPS:
        if app.startswith("missionsafety."):
            try:
                import_module(f"{app}.perf")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.perf":
                    raise
    return sorted(STEPS.values(), key=lambda s: s.order)


# --------------------------------------------------------------------------
# Shared context
# --------------------------------------------------------------------------
@dataclass
class DeploymentInfo:
    id: int
    code: str
    phase: str
    start: datetime.date
    end: datetime.date
    # party role -> (party id, organisation id)
    parties: dict[str, tuple[int, int]] = field(default_factory=dict)
    size: int = 0

    @property
    def party_ids(self) -> list[int]:
        return [pid for pid, _org in self.parties.values()]


@dataclass
class GenContext:
    scale: float
    seed: int
    today: datetime.date
    out: Callable[[str], None] = print
    batch_size: int = 2000
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    # Filled by the steps, read by later ones.
    orgs: dict[str, int] = field(default_factory=dict)  # short name -> id
    org_echelon: dict[int, int] = field(default_factory=dict)
    org_parent: dict[int, int | None] = field(default_factory=dict)
    brigades: list[int] = field(default_factory=list)
    battalions: list[int] = field(default_factory=list)
    users_by_org: dict[int, list[int]] = field(default_factory=dict)
    commanders: dict[int, int] = field(default_factory=dict)  # org id -> user id
    users: list[int] = field(default_factory=list)
    deployments: list[DeploymentInfo] = field(default_factory=list)
    _next_ids: dict[type[models.Model], int] = field(default_factory=dict)

    def n(self, concept: str, minimum: int = 1) -> int:
        """How many rows of a concept at this scale."""
        return max(minimum, round(REFERENCE[concept] * self.scale))

    def rng(self, name: str) -> random.Random:
        """A random source per step, so adding a step changes no other step."""
        return random.Random(f"{self.seed}:{name}")

    def next_id(self, model: type[models.Model]) -> int:
        if model not in self._next_ids:
            top = model._default_manager.aggregate(m=models.Max("pk"))["m"]
            self._next_ids[model] = (top or 0) + 1
        value = self._next_ids[model]
        self._next_ids[model] = value + 1
        return value

    def bulk(self, model: type[models.Model], rows: list[Any]) -> None:
        if rows:
            model._default_manager.bulk_create(rows, batch_size=self.batch_size)
            key = model._meta.label_lower
            self.counts[key] = self.counts.get(key, 0) + len(rows)

    def now_at(self, day: datetime.date, rng: random.Random) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(7, 0)) + (
            datetime.timedelta(minutes=rng.randint(0, 11 * 60))
        )
        return timezone.make_aware(moment, datetime.UTC)


@contextmanager
def manual_timestamps() -> Iterator[None]:
    """Let generated rows carry their own (past) creation times.

    ``auto_now``/``auto_now_add`` would stamp every row with the moment of
    generation; for this process only, the generator sets them itself.
    """
    changed: list[tuple[models.Field[Any, Any], bool, bool]] = []
    for model in apps.get_models():
        if not model.__module__.startswith("missionsafety."):
            continue
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                changed.append((f, f.auto_now, f.auto_now_add))  # type: ignore[attr-defined]
                f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f, now, now_add in changed:
            f.auto_now, f.auto_now_add = now, now_add  # type: ignore[attr-defined]


def weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    values = [v for v, _w in options]
    weights = [w for _v, w in options]
    return rng.choices(values, weights=weights)[0]


def zipf_sizes(n: int, total: int, rng: random.Random, minimum: int = 1) -> list[int]:
    """``n`` sizes summing to about ``total``: a few large, many small."""
    weights = [1 / (i + 5) ** 0.9 for i in range(1, n + 1)]
    scale = total / sum(weights)
    sizes = [max(minimum, round(w * scale)) for w in weights]
    return sizes  # largest first; the caller decides who gets which


# --------------------------------------------------------------------------
# State of the database
# --------------------------------------------------------------------------
def database_state() -> dict[str, int]:
    from missionsafety.deployments.models import Deployment

    generated = Deployment.objects.filter(code__startswith=GENERATED_PREFIX).count()
    return {
        "generated": generated,
        "other": Deployment.objects.exclude(code__startswith=GENERATED_PREFIX).count(),
    }


def reset_sequences() -> None:
    """Explicit primary keys leave PostgreSQL sequences behind; move them on."""
    if connection.vendor != "postgresql":
        return
    models_ = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(sql)


def run(
    *,
    scale: float,
    seed: int = 1,
    out: Callable[[str], None] = print,
    today: datetime.date | None = None,
) -> GenContext:
    """Generate every available concept; return counts and timings."""
    from missionsafety.audit.services import record_change
    from missionsafety.core.defaults import install_defaults
    from missionsafety.organisations.models import Organisation

    ctx = GenContext(
        scale=scale, seed=seed, today=today or timezone.localdate(), out=out
    )
    install_defaults()  # matrices, categories, templates (gone after a flush)
    started = time.perf_counter()
    with manual_timestamps():
        for step in steps():
            if not step.available():
                out(f"  {step.name:<14} skipped: its models are not installed")
                continue
            t0 = time.perf_counter()
            produced = step.run(ctx)
            ctx.timings[step.name] = time.perf_counter() - t0
            summary = ", ".join(f"{v:,} {k}" for k, v in produced.items())
            out(f"  {step.name:<14} {ctx.timings[step.name]:7.1f} s  {summary}")
    reset_sequences()
    ctx.timings["total"] = time.perf_counter() - started
    root = Organisation.objects.get(pk=ctx.orgs["DS"])
    record_change(
        actor=f"generate (scale {scale}, seed {seed})",
        obj=root,
        action="generate",
        after={
            "scale": scale,
            "seed": seed,
            "counts": ctx.counts,
            "seconds": {k: round(v, 1) for k, v in ctx.timings.items()},
            "note": "Imported reference data set; rows carry no change records.",
        },
    )
    if connection.vendor == "postgresql":
        # What autovacuum would do a minute after a bulk load: without it the
        # planner (and the search's date windows) work from empty statistics.
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        out(f"  {'analyze':<14} {time.perf_counter() - t0:7.1f} s")
    return ctx


# --------------------------------------------------------------------------
# Steps: organisations, people, deployments, the risk register
# --------------------------------------------------------------------------
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


FIRST_NAMES = [
    "Sanne", "Pieter", "Marco", "Anouk", "Daan", "Fleur", "Joris", "Lotte", "Bram",
    "Eva", "Thijs", "Iris", "Ruben", "Noor", "Sem", "Lisa", "Youssef", "Fatima",
    "Kevin", "Mila", "Jeroen", "Esther", "Bas", "Wendy", "Niels", "Priya",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs",
    "El Amrani", "Yilmaz", "Haddou",
]  # fmt: skip
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


def level_distribution() -> dict[str, int]:
    """Open risks per residual level (for the summary)."""
    from missionsafety.risks.models import Risk

    rows = (
        Risk.objects.values_list("residual_level")
        .annotate(n=models.Count("id"))
        .order_by()
    )
    return {level or "-": n for level, n in rows}


def describe(ctx: GenContext) -> str:
    largest = max((d.size for d in ctx.deployments), default=0)
    sizes = sorted(d.size for d in ctx.deployments)
    median = sizes[len(sizes) // 2] if sizes else 0
    return (
        f"largest register {largest:,} risks, median {median:,}; "
        f"levels {level_distribution()}; total {ctx.timings['total']:.1f} s"
    )
