"""Who may decide on a risk: acceptance rules, chains of command and consultation.

The rule, in one place (README "Decisions and authority" repeats it):

1. **Chain.** The deployment's phase picks the chain: planning, preparation and
   readiness → the army chain; deployed and redeployment → the operational chain.
   After return (post-deployment, closed) the unit is back under the army, so the
   army chain decides again.
2. **Rule.** The acceptance rule of the deployment's matrix for the residual level
   and that chain gives the minimum echelon, the authority text, whom to consult
   and how long an acceptance stays valid. An escalation raises the echelon
   required to that of the organisation escalated to.
3. **Authority.** The actor holds role *commander* in an organisation, with the
   membership valid today (acting windows count), whose echelon is at least the
   required one, and that organisation belongs to the chain: it is a party to
   the deployment in one of the chain's party roles (army chain: force provider,
   parent brigade, deployed unit; operational chain: operational command,
   deployed unit), or lies below such a party within the formation rule of
   ``core.permissions`` (a company of the deployed battalion). The defence staff
   (an organisation of echelon *defence staff*, not the inspectorate) stands
   above both chains: it holds authority for the matrix's highest level and for
   anything escalated beyond what the chain's parties can decide.
4. **Consultation.** An acceptance is refused while a party that the rule names
   (``none``; ``control_owners``: owner parties of the risk's controls;
   ``brigade_army_controls``: the parent brigade, the force provider and the
   control owners; ``all``: every party) is not among the parties consulted. The
   deciding commander's own parties count as consulted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
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


class _Tree:
    """Echelons and kinds of organisations, to walk scopes without more queries."""

    def __init__(self, org_ids: Iterable[int]):
        self.info: dict[int, tuple[int, str]] = {
            pk: (echelon, kind)
            for pk, echelon, kind in Organisation.objects.filter(
                pk__in=set(org_ids)
            ).values_list("pk", "echelon", "kind")
        }

    def scope(self, org: Organisation) -> list[int]:
        """The organisation and its ancestors up to the nearest formation."""
        chain: list[int] = []
        for org_id in reversed(org.ancestor_ids):
            chain.append(org_id)
            if self.info.get(org_id, (0, ""))[0] >= FORMATION:
                break
        return chain


def _chain_party_orgs(deployment: Deployment, chain: str) -> list[Organisation]:
    roles = CHAIN_ROLES[chain]
    return [p.organisation for p in deployment.party_list if p.role in roles]


def _is_defence_staff(org: Organisation) -> bool:
    return org.echelon >= DEFENCE and org.kind != Organisation.Kind.INSPECTORATE.value


def _qualifies(
    org: Organisation,
    requirement: Requirement,
    chain_orgs: list[Organisation],
    tree: _Tree,
) -> bool:
    if org.echelon < requirement.echelon:
        return False
    chain_ids = {o.pk for o in chain_orgs}
    if chain_ids.intersection(tree.scope(org)):
        return True
    if _is_defence_staff(org):
        beyond = requirement.echelon > max((o.echelon for o in chain_orgs), default=0)
        return requirement.top_level or beyond
    return False


def deciding_organisation(
    user: Any, requirement: Requirement, deployment: Deployment
) -> Organisation | None:
    """The organisation in whose name the user may decide, or None."""
    from missionsafety.core.permissions import current_memberships

    commands = [m for m in current_memberships(user) if m.role == "commander"]
    if not commands:
        return None
    chain_orgs = _chain_party_orgs(deployment, requirement.chain)
    # One tree per user and request: the awaiting page checks many risks.
    tree = getattr(user, "_ms_command_tree", None)
    if tree is None:
        tree = _Tree(i for m in commands for i in m.organisation.ancestor_ids)
        user._ms_command_tree = tree
    for membership in sorted(commands, key=lambda m: m.organisation.echelon):
        if _qualifies(membership.organisation, requirement, chain_orgs, tree):
            return membership.organisation
    return None


def holders_of(requirement: Requirement, deployment: Deployment) -> list[str]:
    """Names of the commanders who could take the decision today."""
    chain_orgs = _chain_party_orgs(deployment, requirement.chain)
    # Only a chain party, a unit under one, or the defence staff can qualify:
    # asking for those leaves out the thousands of other commanders.
    near = Q(organisation__echelon__gte=DEFENCE)
    for org in chain_orgs:
        near |= Q(organisation__path__startswith=org.path)
    memberships = list(
        Membership.objects.current()
        .filter(
            near,
            role="commander",
            user__is_active=True,
            organisation__echelon__gte=requirement.echelon,
        )
        .select_related("user", "organisation")
    )
    tree = _Tree(i for m in memberships for i in m.organisation.ancestor_ids)
    names = [
        f"{m.user.display_name} ({m.organisation.short_name})"
        for m in sorted(memberships, key=lambda m: m.organisation.echelon)
        if _qualifies(m.organisation, requirement, chain_orgs, tree)
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
    """The lowest organisation of the chain (or the defence staff) at the echelon."""
    candidates = [
        o for o in _chain_party_orgs(deployment, chain) if o.echelon >= echelon
    ]
    if candidates:
        return min(candidates, key=lambda o: o.echelon)
    ancestor_ids = {
        i for p in deployment.party_list for i in p.organisation.ancestor_ids
    }
    tops = Organisation.objects.filter(
        pk__in=ancestor_ids, echelon__gte=echelon
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
