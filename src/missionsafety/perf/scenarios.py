"""What the benchmark measures: named requests, resolved by URL name.

A scenario names a URL (``app:name``), how to fill its arguments from the
targets found in the generated database, who sends it (a persona) and, for a
write, the body. A URL name that does not resolve yet is reported as
"skipped: not available yet", so pages of apps that have not landed are
measured as soon as they exist. When an app lands with other URL names or
arguments, correct its entries here (or add ones with ``scenario(...)``).

Targets (``t``) come from ``bench.probe_targets()``: ``deployment`` (the
largest register of a deployment that runs now), ``deployment_typical``
(a median one), ``organisation`` (its parent brigade), ``risk`` (an assessed
risk of it), ``assessment``, ``party``, ``write_risks`` (open assessed risks of
it, those awaiting a decision first); personas are usernames by role
(``line_commander``: the deployed unit's, who decides in the deployment
phases).

A write names, with ``each``, what the i-th request acts on: concurrent
requests then change different rows (their own risk, their own monthly count
of occurrences) and the figures measure the write, not requests waiting for
one another's row locks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse

Targets = dict[str, Any]


@dataclass
class Scenario:
    name: str
    url_name: str
    kwargs: Callable[[Targets], dict[str, Any]] = lambda t: {}
    params: dict[str, str] = field(default_factory=dict)
    persona: str = "brigade"
    method: str = "GET"
    # Body of a write for the i-th request (a form, or JSON for the API).
    body: Callable[[Targets, int], dict[str, Any]] | None = None
    expect: tuple[int, ...] = (200,)
    # An unmeasured API write sent before each request, e.g. the reassessment
    # that puts a risk up for the decision being measured: (url name, url
    # kwargs, JSON body). Its JSON answer is in the targets as ``setup``.
    setup: (
        Callable[[Targets, int], tuple[str, dict[str, Any], dict[str, Any]]] | None
    ) = None
    # The targets of the i-th request, e.g. its own risk (see ``own_risk``).
    each: Callable[[Targets, int], Targets] | None = None
    # Server-time p95 budget at concurrency 1 (DESIGN.md section 5), if any.
    budget_ms: float | None = 50.0

    @property
    def is_api(self) -> bool:
        return self.url_name.startswith("api:")

    def url(self, targets: Targets) -> str:
        """The path to request; NoReverseMatch when the page does not exist yet."""
        try:
            kwargs = self.kwargs(targets)
        except KeyError as exc:
            raise NoReverseMatch(f"no target {exc}") from exc
        path = reverse(self.url_name, kwargs=kwargs)
        if self.params:
            from urllib.parse import urlencode

            path = f"{path}?{urlencode(self.params)}"
        return path

    def for_request(self, targets: Targets, i: int) -> tuple[Targets, str]:
        """The targets and the path of the i-th request."""
        if self.each is None:
            return targets, self.url(targets)
        mine = self.each(targets, i)
        return mine, self.url(mine)


SCENARIOS: list[Scenario] = []


def scenario(name: str, url_name: str, **options: Any) -> Scenario:
    """Add a scenario to the registry (replacing one of the same name)."""
    item = Scenario(name=name, url_name=url_name, **options)
    for i, existing in enumerate(SCENARIOS):
        if existing.name == name:
            SCENARIOS[i] = item
            return item
    SCENARIOS.append(item)
    return item


def dep(t: Targets) -> dict[str, Any]:
    return {"pk": t["deployment"]}


def dep_pk(t: Targets) -> dict[str, Any]:
    return {"deployment_pk": t["deployment"]}


def risk_pk(t: Targets) -> dict[str, Any]:
    return {"pk": t["risk"]}


# -- foundation (available now) ------------------------------------------------
scenario("home (my deployments)", "home", persona="jfc")
scenario("deployment page", "deployments:detail", kwargs=dep)
scenario("deployment page (typical)", "deployments:detail",
         kwargs=lambda t: {"pk": t["deployment_typical"]})  # fmt: skip
scenario("API deployments list", "api:list_deployments", persona="jfc")
scenario("API deployment detail", "api:get_deployment",
         kwargs=lambda t: {"deployment_id": t["deployment"]})  # fmt: skip
scenario("organisation tree", "organisations:tree")
scenario("organisation page", "organisations:detail",
         kwargs=lambda t: {"pk": t["organisation"]})  # fmt: skip
scenario("deployment history", "audit:history", persona="auditor",
         kwargs=lambda t: {"model": "deployments.deployment", "pk": t["deployment"]})  # fmt: skip

# -- risk register (risks app) ---------------------------------------------------
scenario("register page", "risks:register", kwargs=dep_pk)
scenario("register page filtered", "risks:register", kwargs=dep_pk,
         params={"level": "H", "status": "accepted"})  # fmt: skip
scenario("API register", "api:list_risks",
         kwargs=lambda t: {"deployment_id": t["deployment"]})  # fmt: skip
scenario("risk page", "risks:detail", kwargs=risk_pk)
scenario("API risk detail", "api:get_risk", kwargs=lambda t: {"risk_id": t["risk"]})
scenario("heat map", "api:get_heatmap",
         kwargs=lambda t: {"deployment_id": t["deployment"]})  # fmt: skip
scenario("awaiting my decision", "risks:awaiting", persona="commander")
scenario("dashboard", "reports:dashboard", persona="jfc")

# -- occurrences, feedback, lessons ----------------------------------------------
scenario("occurrence list filtered", "occurrences:list", kwargs=dep_pk,
         params={"kind": "near_miss", "category": "2"})  # fmt: skip
scenario("my occurrences", "occurrences:mine", persona="company")
scenario("inbox", "feedback:inbox")
for query in ("hitte", "IED route", "vermoeidheid chauffeur", "heat injury"):
    scenario(f"lesson search '{query}'", "lessons:search", params={"q": query},
             persona="jfc")  # fmt: skip

# -- evaluations -------------------------------------------------------------------
scenario("evaluation compliance", "evaluations:compliance", persona="jfc")
scenario("evaluation moments", "evaluations:deployment", kwargs=dep_pk)


# -- writes ------------------------------------------------------------------------
def own_risk(t: Targets, i: int) -> Targets:
    """Request i acts on its own risk, round-robin over ``write_risks``.

    With some hundred risks in turn, no two of 16 concurrent requests lock the
    same risk (a risk comes round again only some hundred requests later)."""
    risks = t.get("write_risks") or [[t["risk"], t.get("assessment")]]
    risk, assessment = risks[i % len(risks)]
    return {**t, "risk": risk, "assessment": assessment}


def _assessment(i: int) -> dict[str, Any]:
    return {
        "inherent_probability": "C",
        "inherent_severity": "II",
        "residual_probability": "D",
        "residual_severity": "II" if i % 2 else "III",
        "controls_considered": f"Bench-herbeoordeling {i}",
        "reason": "periodic",
    }


scenario(
    "write: assessment",
    "api:create_assessment",
    kwargs=lambda t: {"risk_id": t["risk"]},
    method="POST",
    each=own_risk,
    body=lambda t, i: _assessment(i),
    expect=(201,),
)
# A decision needs a risk awaiting one: each is preceded by a reassessment of
# the request's own risk (unmeasured) and decides on the assessment that it
# created.
scenario(
    "write: decision",
    "api:create_decision",
    kwargs=lambda t: {"risk_id": t["risk"]},
    persona="line_commander",
    method="POST",
    each=own_risk,
    setup=lambda t, i: (
        "api:create_assessment",
        {"risk_id": t["risk"]},
        _assessment(i),
    ),
    body=lambda t, i: {
        "outcome": "escalate",
        "assessment_id": t.get("setup", {}).get("id", t.get("assessment")),
        "rationale": f"Bench {i}: boven mijn bevoegdheid",
    },
    expect=(201,),
)
OCCURRENCE_KINDS = ("near_miss", "unsafe_situation", "incident", "accident")


def _occurrence(t: Targets, i: int) -> dict[str, Any]:
    """A report whose monthly count (deployment, month, kind) is its own among
    48 consecutive requests: 4 kinds by 12 months of 2025."""
    month = 1 + (i // len(OCCURRENCE_KINDS)) % 12
    return {
        "kind": OCCURRENCE_KINDS[i % len(OCCURRENCE_KINDS)],
        "title": f"Bijna-aanrijding bij achteruitrijden ({i})",
        "description": "Voertuig reed achteruit zonder uitwijzer op het voertuigpark.",
        "occurred_at": f"2025-{month:02d}-{1 + i % 28:02d}T10:00:00+01:00",
        "place": "Rukla",
        "unit_id": t["unit"],
        "actual_category": 0,
        "potential_category": 2,
    }


scenario(
    "write: occurrence report",
    "api:create_occurrence",
    kwargs=lambda t: {"deployment_id": t["deployment"]},
    persona="company",
    method="POST",
    body=_occurrence,
    expect=(201,),
)
