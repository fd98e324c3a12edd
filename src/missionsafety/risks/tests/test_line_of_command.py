"""Who may decide follows the deployed unit's line of command (DESIGN §3): the
same rule for who can decide, the refusal, escalation and the awaiting page."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from missionsafety.deployments import services as dep_services
from missionsafety.deployments.models import Party, Phase
from missionsafety.organisations import services as org_services
from missionsafety.organisations.models import Organisation
from missionsafety.risks import authority, services
from missionsafety.risks.models import Decision, Risk
from missionsafety.risks.tests.factories import assess, fresh, make_risk
from missionsafety.testing import make_user, walk

E = Organisation.Echelon
K = Organisation.Kind
R = Party.PartyRole
M = ("C", "III")
L = ("D", "III")
H = ("C", "II")


def _org(short: str, kind: str, echelon: int, parent: Organisation) -> Organisation:
    return org_services.organisation_create(
        actor=None,
        name=short,
        short_name=short,
        kind=kind,
        echelon=echelon,
        parent=parent,
    )


@pytest.fixture
def r13(world: Any) -> SimpleNamespace:
    """EFP-LTU-R13 in readiness: 17 PAINFBAT, a sibling of 42 BLJ under 13 LBR,
    is the deployed unit; 1 GNKBAT supports."""
    w = world
    n = SimpleNamespace(w=w)
    n.bn17 = _org("17 PAINFBAT", K.BATTALION, E.BATTALION, w.bde13)
    n.coy17 = _org("A-CIE 17", K.COMPANY, E.COMPANY, n.bn17)
    n.gnk = _org("1 GNKBAT", K.BATTALION, E.BATTALION, w.clas)
    n.bn17_commander = make_user("bn17.commander", n.bn17, "commander")
    n.coy17_commander = make_user("coy17.commander", n.coy17, "commander")
    n.gnk_commander = make_user("gnk.commander", n.gnk, "commander")
    today = w.today
    n.dep = dep_services.deployment_create(
        actor=w.bde13_safety,
        name="eFP Litouwen R13",
        code="EFP-R13",
        theatre="Litouwen",
        start_date=today + datetime.timedelta(days=100),
        end_date=today + datetime.timedelta(days=280),
        parties=[
            (w.jfc, R.OPERATIONAL_COMMAND),
            (w.clas, R.FORCE_PROVIDER),
            (w.bde13, R.PARENT_BRIGADE),
            (n.bn17, R.DEPLOYED_UNIT),
            (n.gnk, R.SUPPORTING),
        ],
    )
    n.dep = walk(n.dep, w.bde13_safety, Phase.READINESS)
    n.party_bn17 = n.dep.parties.get(organisation=n.bn17)
    return n


def _risk(w: Any, deployment: Any, owner: Any, level: tuple[str, str]) -> Risk:
    risk = make_risk(w, deployment=deployment, owner_party=owner)
    assess(w, risk, residual=level)
    return fresh(risk)


def _decides(user: Any, risk: Risk) -> Organisation | None:
    requirement = authority.requirement_for(risk)
    assert requirement is not None
    return authority.deciding_organisation(user, requirement, risk.deployment)


def _holders(risk: Risk) -> list[str]:
    requirement = authority.requirement_for(risk)
    assert requirement is not None
    return authority.holders_of(requirement, risk.deployment)


def test_sibling_battalion_is_refused_and_named_nowhere(
    r13: Any, api_for: Any, client_for: Any
) -> None:
    w = r13.w
    risk = _risk(w, r13.dep, r13.party_bn17, M)
    assert _decides(r13.bn17_commander, risk) == r13.bn17
    assert _decides(w.bde13_commander, risk) == w.bde13
    assert _decides(w.clas_commander, risk) == w.clas
    assert _decides(w.bn_commander, risk) is None
    holders = _holders(risk)
    assert any("(17 PAINFBAT)" in h for h in holders)
    assert not any("(42 BLJ)" in h for h in holders)

    refused = api_for(w.bn_commander).post(
        f"/api/v1/risks/{risk.pk}/decisions",
        {"outcome": "accept", "assessment_id": risk.current_assessment_id},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert any("17 PAINFBAT" in h for h in refused.json()["holders"])
    for outcome in ("reject", "escalate"):
        other = api_for(w.bn_commander).post(
            f"/api/v1/risks/{risk.pk}/decisions",
            {
                "outcome": outcome,
                "assessment_id": risk.current_assessment_id,
                "rationale": "Niet mijn bataljon.",
            },
            content_type="application/json",
        )
        assert other.status_code == 403, outcome
        assert any("17 PAINFBAT" in h for h in other.json()["holders"])
    assert not Decision.objects.filter(risk=risk).exists()
    page = client_for(w.bn_commander).get(reverse("risks:awaiting"))
    assert risk.title not in page.content.decode()
    detail = client_for(w.bn_commander).get(reverse("risks:detail", args=[risk.pk]))
    decide_url = reverse("risks:decide", args=[risk.pk])
    assert f'action="{decide_url}"' not in detail.content.decode()


def test_company_of_the_deployed_battalion_decides_at_its_own_echelon(
    r13: Any,
) -> None:
    w = r13.w
    low = _risk(w, r13.dep, r13.party_bn17, L)
    assert _decides(r13.coy17_commander, low) == r13.coy17
    # A company of the sibling battalion is not on the line.
    assert _decides(w.coy_commander, low) is None
    assert not any("(B-CIE 42)" in h for h in _holders(low))
    medium = _risk(w, r13.dep, r13.party_bn17, M)
    assert _decides(r13.coy17_commander, medium) is None


def test_supporting_party_commander_decides_nothing(r13: Any) -> None:
    w = r13.w
    for level in (L, M):
        risk = _risk(w, r13.dep, r13.party_bn17, level)
        assert _decides(r13.gnk_commander, risk) is None
        assert not any("(1 GNKBAT)" in h for h in _holders(risk))


def test_acting_commander_decides_while_the_window_is_open(r13: Any) -> None:
    w = r13.w
    today = w.today
    acting = make_user("acting.bn17", r13.coy17, "contributor")
    org_services.membership_create(
        actor=None,
        user=acting,
        organisation=r13.bn17,
        role="commander",
        valid_from=today - datetime.timedelta(days=2),
        valid_until=today + datetime.timedelta(days=5),
    )
    later = make_user("later.bn17", r13.coy17, "contributor")
    org_services.membership_create(
        actor=None,
        user=later,
        organisation=r13.bn17,
        role="commander",
        valid_from=today + datetime.timedelta(days=6),
        valid_until=today + datetime.timedelta(days=12),
    )
    risk = _risk(w, r13.dep, r13.party_bn17, M)
    assert _decides(acting, risk) == r13.bn17
    assert _decides(later, risk) is None
    holders = _holders(risk)
    assert any(acting.display_name in h for h in holders)
    assert not any(later.display_name in h for h in holders)


def test_operational_chain_leaves_the_brigade_out(world: Any) -> None:
    w = world  # w.dep is deployed: 42 BLJ under NLD JFC
    high = _risk(w, w.dep, w.party_bn, H)
    assert _decides(w.jfc_commander, high) == w.jfc
    assert _decides(w.bde13_commander, high) is None
    assert _decides(w.clas_commander, high) is None
    holders = _holders(high)
    assert holders and all("(NLD JFC)" in h for h in holders)
    medium = _risk(w, w.dep, w.party_bn, M)
    assert _decides(w.bn_commander, medium) == w.bn
    assert _decides(w.bde13_commander, medium) is None


def test_escalation_past_the_chain_reaches_the_defence_staff(world: Any) -> None:
    w = world
    high = _risk(w, w.dep, w.party_bn, H)
    # Not top level and within the chain: the defence staff does not take it.
    assert _decides(w.cds, high) is None
    decision = services.decision_escalate(
        actor=w.jfc_commander, risk=high, assessment=high.current_assessment
    )
    assert decision.escalated_to == w.ds
    assert _decides(w.cds, fresh(high)) == w.ds
    assert _decides(w.jfc_commander, fresh(high)) is None
    assert any("(DS)" in h for h in _holders(fresh(high)))


def test_escalation_by_a_company_goes_up_the_same_line(r13: Any) -> None:
    w = r13.w
    medium = _risk(w, r13.dep, r13.party_bn17, M)
    decision = services.decision_escalate(
        actor=r13.coy17_commander,
        risk=medium,
        assessment=medium.current_assessment,
        rationale="Boven mijn bevoegdheid.",
    )
    assert decision.escalated_to == r13.bn17


def test_planning_without_deployed_unit_starts_at_the_lowest_party(
    world: Any,
) -> None:
    w = world
    today = w.today
    dep = dep_services.deployment_create(
        actor=w.bde13_safety,
        name="Verkenning",
        code="PLAN-1",
        theatre="Litouwen",
        start_date=today + datetime.timedelta(days=200),
        end_date=today + datetime.timedelta(days=380),
        parties=[(w.clas, R.FORCE_PROVIDER), (w.bde13, R.PARENT_BRIGADE)],
    )
    assert dep.phase == Phase.PLANNING
    party = dep.parties.get(organisation=w.bde13)
    medium = _risk(w, dep, party, M)
    line = authority.line_of_command(dep, authority.ARMY)
    assert line.foot == w.bde13
    # 42 BLJ lies under 13 LBR but is no party: not on the line.
    assert _decides(w.bn_commander, medium) is None
    assert _decides(w.coy_commander, _risk(w, dep, party, L)) is None
    assert _decides(w.bde13_commander, medium) == w.bde13
    assert not any("(42 BLJ)" in h for h in _holders(medium))
