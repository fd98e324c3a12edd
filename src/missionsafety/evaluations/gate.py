"""The readiness safety gate's checklist, computed live from the register.

Reads risk state from the risk models only (status, current assessment,
accepted decision, expiry, stop flag, reassessment flag; decision authority
and consultation; controls with owners), so it stays right whatever service
wrote them.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from importlib import import_module
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from missionsafety.deployments.models import OPERATIONAL_PHASES, Deployment, Party

OK, OPEN, NOT_AVAILABLE = "ok", "open", "not_available"


@dataclass
class Item:
    key: str
    label: str
    status: str
    detail: str = ""
    rows: list[str] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


@dataclass
class Checklist:
    items: list[Item]

    @property
    def open_items(self) -> list[Item]:
        return [i for i in self.items if i.is_open]

    @property
    def clear(self) -> bool:
        return not self.open_items

    def as_json(self) -> list[dict[str, Any]]:
        return [asdict(i) for i in self.items]


def checklist_both_languages(deployment: Any) -> list[dict[str, Any]]:
    """The checklist as the board saw it, its words in Dutch and English
    (``{"nl": …, "en": …}``), so that it reads in each reader's language."""
    with translation.override("nl"):
        dutch = compute_checklist(deployment).as_json()
    with translation.override("en"):
        english = compute_checklist(deployment).as_json()
    return [
        {
            "key": nl["key"],
            "status": nl["status"],
            **{k: {"nl": nl[k], "en": en[k]} for k in ("label", "detail", "rows")},
        }
        for nl, en in zip(dutch, english, strict=True)
    ]


def _chain_at(moment: datetime.datetime, changes: list[Any]) -> str:
    """The decision chain (army / operational) in force at a moment."""
    phase = "planning"
    for change in changes:
        if change.changed_at <= moment:
            phase = change.to_phase
    return "operational" if phase in OPERATIONAL_PHASES else "army"


def _required_parties(
    consult: str, parties: list[Party], control_owner_ids: set[int]
) -> set[int]:
    if consult == "all":
        return {p.pk for p in parties}
    required = set(control_owner_ids) if consult != "none" else set()
    if consult == "brigade_army_controls":
        required |= {
            p.pk
            for p in parties
            if p.role
            in (Party.PartyRole.PARENT_BRIGADE, Party.PartyRole.FORCE_PROVIDER)
        }
    return required


def acceptance_problems(
    risk: Any,
    *,
    today: datetime.date,
    rules: dict[tuple[str, str], Any],
    matrix: Any,
    parties: list[Party],
    changes: list[Any],
) -> list[str]:
    """Why a risk's acceptance is not valid (empty list: valid)."""
    decision = risk.accepted_decision
    if decision is None or risk.status not in ("accepted", "monitored"):
        return [_("no valid acceptance")]
    problems = []
    if decision.assessment_id != risk.current_assessment_id:
        problems.append(_("the acceptance is of an earlier assessment"))
    if matrix is not None and matrix.rank(decision.level) < risk.residual_rank:
        problems.append(
            _("accepted at %(accepted)s, residual level is now %(level)s")
            % {"accepted": decision.level, "level": risk.residual_level}
        )
    expires = risk.acceptance_expires_on or decision.valid_until
    if expires and expires < today:
        problems.append(_("expired on %(date)s") % {"date": expires.isoformat()})
    rule = rules.get((decision.level, _chain_at(decision.decided_at, changes)))
    if rule is not None:
        if decision.decided_for is None or not decision.authority_required:
            problems.append(_("the authority of the decision is not recorded"))
        elif decision.decided_for.echelon < rule.min_echelon:
            from missionsafety.core.i18n import pick

            problems.append(
                _("decided by %(org)s; needs %(authority)s")
                % {
                    "org": decision.decided_for.short_name,
                    "authority": pick(rule.authority),
                }
            )
        owners = {c.owner_party_id for c in risk.controls.all()}
        required = _required_parties(rule.consult, parties, owners)
        required.discard(risk.owner_party_id)
        required -= {
            p.pk for p in parties if p.organisation_id == decision.decided_for_id
        }
        consulted = {p.pk for p in decision.parties_consulted.all()}
        missing = [p for p in parties if p.pk in required - consulted]
        if missing:
            problems.append(
                _("not consulted: %(parties)s")
                % {"parties": ", ".join(p.organisation.short_name for p in missing)}
            )
    return problems


def _lessons_item(deployment: Deployment) -> Item:
    label = _("Lessons of earlier rotations reviewed")
    try:
        selectors = import_module("missionsafety.lessons.selectors")
    except ImportError:
        selectors = None
    review = getattr(selectors, "earlier_lessons_review", None)
    if review is None:
        return Item("lessons", label, NOT_AVAILABLE, _("not available"))
    counts = review(deployment) or {}
    reviewed, relevant = int(counts.get("reviewed", 0)), int(counts.get("relevant", 0))
    detail = _("%(reviewed)s of %(relevant)s relevant lessons reviewed") % {
        "reviewed": reviewed,
        "relevant": relevant,
    }
    return Item("lessons", label, OK if reviewed >= relevant else OPEN, detail)


def compute_checklist(deployment: Deployment) -> Checklist:
    """Every gate item, computed now."""
    from missionsafety.evaluations.models import Agreement
    from missionsafety.risks.models import AcceptanceRule, Control, Risk

    today = timezone.localdate()
    parties = list(deployment.parties.select_related("organisation"))
    changes = list(deployment.phase_changes.order_by("changed_at"))
    matrix = deployment.matrix
    rules = {
        (r.level, r.chain): r
        for r in AcceptanceRule.objects.filter(matrix_id=deployment.matrix_id)
    }
    items: list[Item] = []

    agreement = (
        Agreement.objects.filter(deployment=deployment)
        .exclude(status=Agreement.Status.SUPERSEDED)
        .order_by("-number")
        .first()
    )
    in_force = Agreement.objects.filter(
        deployment=deployment, status=Agreement.Status.IN_FORCE
    ).exists()
    if in_force:
        detail = _("in force")
    elif agreement is None:
        detail = _("no agreement set up yet")
    else:
        detail = _("version %(n)s is %(status)s") % {
            "n": agreement.number,
            "status": agreement.get_status_display(),
        }
    items.append(
        Item(
            "agreement",
            _("Cooperation agreement in force"),
            OK if in_force else OPEN,
            detail,
        )
    )

    risks = list(
        Risk.objects.filter(deployment=deployment)
        .exclude(status=Risk.Status.CLOSED)
        .select_related("accepted_decision__decided_for")
        .prefetch_related(
            Prefetch("accepted_decision__parties_consulted"),
            Prefetch(
                "controls",
                queryset=Control.objects.only("id", "risk_id", "owner_party_id"),
            ),
        )
        .order_by("number")
    )
    unassessed = [
        r for r in risks if r.current_assessment_id is None or r.reassessment_required
    ]
    items.append(
        Item(
            "assessed",
            _("Every open risk assessed"),
            OPEN if unassessed else OK,
            _("%(n)s of %(total)s open risks need an assessment")
            % {"n": len(unassessed), "total": len(risks)}
            if unassessed
            else _("%(total)s open risks assessed") % {"total": len(risks)},
            [f"{r.reference} {r.title}" for r in unassessed],
        )
    )
    bad: list[str] = []
    for risk in risks:
        problems = acceptance_problems(
            risk,
            today=today,
            rules=rules,
            matrix=matrix,
            parties=parties,
            changes=changes,
        )
        if problems:
            level = f" [{risk.residual_level}]" if risk.residual_level else ""
            bad.append(f"{risk.reference}{level} {risk.title}: {'; '.join(problems)}")
    items.append(
        Item(
            "acceptance",
            _(
                "Every acceptance at the right level, valid, with the required parties consulted"
            ),
            OPEN if bad else OK,
            _("%(n)s risks without a valid acceptance") % {"n": len(bad)}
            if bad
            else _("all acceptances valid"),
            bad,
        )
    )
    stopped = [f"{r.reference} {r.title}" for r in risks if r.stop_flag]
    items.append(
        Item(
            "stop",
            _("No risk flagged stop"),
            OPEN if stopped else OK,
            _("%(n)s risks flagged stop: re-approval needed") % {"n": len(stopped)}
            if stopped
            else _("none"),
            stopped,
        )
    )
    controls = list(
        Control.objects.filter(deployment=deployment, status__in=Control.OPEN_STATUSES)
        .select_related("owner_party__organisation", "implementer", "risk")
        .order_by("due_date", "id")
    )
    late = [
        c for c in controls if c.due_date is None or c.due_date <= deployment.start_date
    ]
    # Outside the f-string, where makemessages finds it.
    no_due_date = _("no due date")
    items.append(
        Item(
            "controls",
            _("Controls due before departure done, open controls owned"),
            OPEN if late else OK,
            _("%(late)s of %(n)s open controls are due before departure")
            % {"late": len(late), "n": len(controls)}
            if late
            else _("%(n)s open controls, none due before departure")
            % {"n": len(controls)},
            [
                f"{c.risk.reference}: {c.description[:80]} — "
                f"{c.owner_party.organisation.short_name}"
                f"{' / ' + str(c.implementer) if c.implementer else ''}"
                f" ({c.due_date.isoformat() if c.due_date else no_due_date})"
                for c in controls
            ],
        )
    )
    items.append(_lessons_item(deployment))
    return Checklist(items)
