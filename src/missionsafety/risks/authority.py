"""Who may decide on a risk: acceptance rules, chains of command and consultation.

The rule, in one place (docs/user-guide.md, "Risk register, decisions and authority", repeats it):

1. **Chain.** The deployment's phase picks the chain: planning, preparation and
   readiness → the army chain; deployed and redeployment → the operational chain.
   After return (post-deployment, closed) the unit is back under the army, so the
   army chain decides again.
2. **Rule.** The acceptance rule of the deployment's matrix for the residual level
   and that chain gives the minimum echelon, the authority text, whom to consult
   and how long an acceptance stays valid. An escalation raises the echelon
   required to that of the organisation escalated to.
3. **Authority: the line of command.** The actor holds role *commander* in an
   organisation, with the membership valid today (acting windows count), whose
   echelon is at least the required one, and that organisation is on the
   deployed unit's line of command in the chain (``on_line``, the one rule
   behind who can decide, the refusal, escalation targets, notifications and
   *Awaiting my decision*): the deployed unit itself; a unit below it, at its
   own echelon; the chain's parties above it (army chain: parent brigade and
   force provider; operational chain: operational command). Without a
   deployed unit (planning) the lowest chain party is the line's foot, and
   nothing below it counts. Never a sibling unit, never a supporting party,
   never an organisation that is neither. The defence staff (echelon *defence
   staff*, not the inspectorate) stands above both chains: it decides the
   matrix's highest level and what is escalated past the chain's parties.
4. **Consultation.** The parties the rule names (``none``; ``control_owners``:
   owner parties of the risk's controls; ``brigade_army_controls``: the parent
   brigade, the force provider and the control owners; ``all``: every party)
   are asked and answer (``services/consultations.py``); an acceptance waits
   for their answers on the current assessment. The decider's own party counts
   as answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from missionsafety.core.i18n import pick
from missionsafety.deployments.models import (
    OPERATIONAL_PHASES,
    Deployment,
    Party,
)
from missionsafety.organisations.models import Membership, Organisation
from missionsafety.risks.models import AcceptanceRule, Risk, RiskMatrix

ARMY = AcceptanceRule.Chain.ARMY
OPERATIONAL = AcceptanceRule.Chain.OPERATIONAL
R = Party.PartyRole

CHAIN_ROLES: dict[str, set[str]] = {
    ARMY: {R.FORCE_PROVIDER, R.PARENT_BRIGADE, R.DEPLOYED_UNIT},
    OPERATIONAL: {R.OPERATIONAL_COMMAND, R.DEPLOYED_UNIT},
}
DEFENCE = Organisation.Echelon.DEFENCE
FORMATION = Organisation.Echelon.BRIGADE


def chain_for(deployment: Deployment) -> str:
    """The chain that decides on risk in the deployment's current phase."""
    return OPERATIONAL if deployment.phase in OPERATIONAL_PHASES else ARMY


def matrix_of(deployment: Deployment) -> RiskMatrix:
    """The deployment's matrix, or the default one when none was chosen."""
    if deployment.matrix_id is not None:
        return deployment.matrix  # type: ignore[return-value]
    cached = getattr(deployment, "_default_matrix", None)
    if cached is None:
        cached = (
            RiskMatrix.objects.filter(is_default=True).order_by("-revision").first()
            or RiskMatrix.objects.order_by("-revision").first()
        )
        deployment._default_matrix = cached  # type: ignore[attr-defined]
    return cached  # type: ignore[return-value]


def rules_of(matrix: RiskMatrix) -> list[AcceptanceRule]:
    """The matrix's rules, loaded once per matrix object."""
    cached = getattr(matrix, "_rule_list", None)
    if cached is None:
        cached = list(matrix.rules.all())
        matrix._rule_list = cached  # type: ignore[attr-defined]
    return cached


def rule_for(matrix: RiskMatrix, level: str, chain: str) -> AcceptanceRule | None:
    for rule in rules_of(matrix):
        if rule.level == level and rule.chain == chain:
            return rule
    return None


@dataclass
class Requirement:
    """The authority a decision on a risk needs now."""

    level: str
    chain: str
    echelon: int
    authority: dict[str, str]
    rule: AcceptanceRule
    top_level: bool
    escalated_to: Organisation | None = None
    holders: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return pick(self.authority)

    @property
    def chain_label(self) -> str:
        return str(AcceptanceRule.Chain(self.chain).label)

    def as_details(self) -> dict[str, Any]:
        """For a refusal (403 body) and the decision record."""
        return {
            "authority_required": self.text,
            "level": self.level,
            "chain": self.chain,
            "min_echelon": self.echelon,
            "escalated_to": str(self.escalated_to) if self.escalated_to else None,
            "holders": self.holders,
        }

    def as_record(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "chain": self.chain,
            "min_echelon": self.echelon,
            "authority": self.authority,
            "escalated_to": self.escalated_to.pk if self.escalated_to else None,
        }


def requirement_for(risk: Risk, *, level: str | None = None) -> Requirement | None:
    """The authority needed to decide on the risk's residual level (None: no rule)."""
    deployment = risk.deployment
    matrix = matrix_of(deployment)
    level = level or risk.residual_level
    if not level:
        return None
    chain = chain_for(deployment)
    rule = rule_for(matrix, level, chain)
    if rule is None:
        return None
    echelon = rule.min_echelon
    authority = dict(rule.authority)
    if risk.escalation_echelon and risk.escalation_echelon > echelon:
        echelon = risk.escalation_echelon
        higher = [r for r in rules_of(matrix) if r.chain == chain]
        match = next((r for r in higher if r.min_echelon == echelon), None)
        if match is not None:
            authority = dict(match.authority)
        elif risk.escalated_to is not None:
            authority = {
                "nl": f"commandant {risk.escalated_to.short_name}",
                "en": f"commander {risk.escalated_to.short_name}",
            }
    codes = matrix.level_codes
    return Requirement(
        level=level,
        chain=chain,
        echelon=echelon,
        authority=authority,
        rule=rule,
        top_level=bool(codes) and level == codes[-1],
        escalated_to=risk.escalated_to,
    )


@dataclass
class Line:
    """The deployed unit's line of command in one chain of one deployment."""

    foot: Organisation | None
    # Units below the foot decide too (at their own echelon) only when the foot
    # is the deployed unit; a brigade planning alone has no units on its line.
    below: bool
    above: list[Organisation]

    @property
    def organisations(self) -> list[Organisation]:
        return ([self.foot] if self.foot is not None else []) + self.above

    @property
    def top_echelon(self) -> int:
        return max((o.echelon for o in self.organisations), default=0)


def line_of_command(deployment: Deployment, chain: str) -> Line:
    """The foot of the line (the deployed unit, or the lowest chain party when
    there is none yet) and the chain's parties above it."""
    roles = CHAIN_ROLES[chain]
    parties = [p for p in deployment.party_list if p.role in roles]
    deployed = [p.organisation for p in parties if p.role == R.DEPLOYED_UNIT]
    if deployed:
        foot: Organisation | None = min(deployed, key=lambda o: o.echelon)
        below = True
    else:
        orgs = [p.organisation for p in parties]
        foot = min(orgs, key=lambda o: o.echelon) if orgs else None
        below = False
    above = [
        p.organisation for p in parties if foot is None or p.organisation.pk != foot.pk
    ]
    return Line(foot=foot, below=below, above=above)


def _is_defence_staff(org: Organisation) -> bool:
    return org.echelon >= DEFENCE and org.kind != Organisation.Kind.INSPECTORATE.value


def on_line(org: Organisation, requirement: Requirement, line: Line) -> bool:
    """Whether a commander of the organisation may take the decision: the one
    rule behind who can decide, the refusal, escalation and the awaiting page."""
    if org.echelon < requirement.echelon:
        return False
    if any(org.pk == o.pk for o in line.organisations):
        return True
    foot = line.foot
    if line.below and foot is not None and foot.pk in org.ancestor_ids:
        return True
    if _is_defence_staff(org):
        return requirement.top_level or requirement.echelon > line.top_echelon
    return False


def deciding_organisation(
    user: Any, requirement: Requirement, deployment: Deployment
) -> Organisation | None:
    """The organisation in whose name the user may decide, or None."""
    from missionsafety.organisations.scope import current_memberships

    commands = [m for m in current_memberships(user) if m.role == "commander"]
    if not commands:
        return None
    line = line_of_command(deployment, requirement.chain)
    for membership in sorted(commands, key=lambda m: m.organisation.echelon):
        if on_line(membership.organisation, requirement, line):
            return membership.organisation
    return None


def line_organisation(
    user: Any, requirement: Requirement, deployment: Deployment
) -> Organisation | None:
    """The organisation on the line in whose name the user may reject or
    escalate: the one that may decide, else one on the line at any echelon."""
    held = deciding_organisation(user, requirement, deployment)
    if held is not None:
        return held
    anywhere = replace(requirement, echelon=0, top_level=False)
    return deciding_organisation(user, anywhere, deployment)


def holder_memberships(
    requirement: Requirement, deployment: Deployment
) -> list[Membership]:
    """The current commander memberships that could take the decision today,
    lowest echelon first."""
    line = line_of_command(deployment, requirement.chain)
    # Only the line's organisations, the units under its foot, or the defence
    # staff can qualify: asking for those leaves out every other commander.
    near = Q(organisation__echelon__gte=DEFENCE) | Q(
        organisation__in=[o.pk for o in line.organisations]
    )
    if line.below and line.foot is not None:
        near |= Q(organisation__path__startswith=line.foot.path)
    memberships = (
        Membership.objects.current()
        .filter(
            near,
            role="commander",
            user__is_active=True,
            organisation__echelon__gte=requirement.echelon,
        )
        .select_related("user", "organisation")
    )
    return [
        m
        for m in sorted(
            memberships, key=lambda m: (m.organisation.echelon, m.organisation.path)
        )
        if on_line(m.organisation, requirement, line)
    ]


def holders_of(requirement: Requirement, deployment: Deployment) -> list[str]:
    """Names of the commanders who could take the decision today."""
    names = [
        f"{m.user.display_name} ({m.organisation.short_name})"
        for m in holder_memberships(requirement, deployment)
    ]
    requirement.holders = names
    return names


def escalation_target(
    requirement: Requirement, deployment: Deployment, *, actor_holds: bool
) -> tuple[int, Organisation | None]:
    """Where an escalation goes: the required level if the actor lacks it, else
    the next rule up the chain (or the defence staff past the last)."""
    if actor_holds:
        matrix = matrix_of(deployment)
        higher = sorted(
            r.min_echelon
            for r in rules_of(matrix)
            if r.chain == requirement.chain and r.min_echelon > requirement.echelon
        )
        echelon = higher[0] if higher else int(DEFENCE)
    else:
        echelon = requirement.echelon
    return echelon, organisation_at(deployment, requirement.chain, echelon)


def organisation_at(
    deployment: Deployment, chain: str, echelon: int
) -> Organisation | None:
    """The lowest organisation of the line (or the defence staff) at the echelon."""
    line = line_of_command(deployment, chain)
    candidates = [o for o in line.organisations if o.echelon >= echelon]
    if candidates:
        return min(candidates, key=lambda o: o.echelon)
    ancestor_ids = {i for o in line.organisations for i in o.ancestor_ids}
    tops = Organisation.objects.filter(
        pk__in=ancestor_ids, echelon__gte=max(echelon, DEFENCE)
    ).exclude(kind=Organisation.Kind.INSPECTORATE)
    return tops.order_by("echelon").first()


def required_consultation(risk: Risk, rule: AcceptanceRule) -> list[Party]:
    """Parties that must be consulted before the rule's acceptance."""
    parties = risk.deployment.party_list
    consult = rule.consult
    C = AcceptanceRule.Consult
    if consult == C.NONE:
        return []
    if consult == C.ALL:
        return list(parties)
    owner_ids = {c.owner_party_id for c in risk.controls.all()}
    wanted = {p.pk for p in parties if p.pk in owner_ids}
    if consult == C.BRIGADE_ARMY_CONTROLS:
        wanted |= {
            p.pk for p in parties if p.role in (R.PARENT_BRIGADE, R.FORCE_PROVIDER)
        }
    return [p for p in parties if p.pk in wanted]


def consultation_hint(rule: AcceptanceRule) -> str:
    return str(AcceptanceRule.Consult(rule.consult).label)


def refusal_message(requirement: Requirement) -> str:
    return _(
        "You cannot accept this risk: a %(level)s residual risk in the %(chain)s "
        "needs the %(authority)s. Who can decide: %(holders)s. Escalate it instead."
    ) % {
        "level": requirement.level,
        "chain": requirement.chain_label,
        "authority": requirement.text,
        "holders": ", ".join(requirement.holders) or _("nobody at the moment"),
    }


def off_line_message(requirement: Requirement) -> str:
    return _(
        "You are not on the line of command of this deployment's unit: a "
        "%(level)s residual risk in the %(chain)s needs the %(authority)s. Who "
        "can decide: %(holders)s."
    ) % {
        "level": requirement.level,
        "chain": requirement.chain_label,
        "authority": requirement.text,
        "holders": ", ".join(requirement.holders) or _("nobody at the moment"),
    }
