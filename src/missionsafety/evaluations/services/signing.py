"""Submitting and signing an agreement, and who signs or is accountable for it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change
from missionsafety.core.events import publish
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.deployments.models import Deployment, Party
from missionsafety.deployments.visibility import require
from missionsafety.evaluations.models import Agreement, AgreementSignature
from missionsafety.evaluations.services.agreements import _supersede, current_agreement
from missionsafety.evaluations.services.common import AGREEMENT_ROLES, S
from missionsafety.organisations.models import Membership
from missionsafety.organisations.scope import current_memberships, require_writer


def agreement_parties(agreement: Agreement) -> list[Party]:
    ids = set(agreement.assignments.values_list("party_id", flat=True))
    return list(
        Party.objects.filter(pk__in=ids)
        .select_related("organisation", "point_of_contact")
        .order_by("role", "organisation__short_name")
    )


@transaction.atomic
def agreement_submit(*, actor: Any, agreement: Agreement) -> Agreement:
    """Send a draft for signature once every party has a named point of contact."""
    require(actor, agreement.deployment, *AGREEMENT_ROLES)
    agreement = Agreement.objects.select_for_update(no_key=True).get(pk=agreement.pk)
    if agreement.status != S.DRAFT:
        raise ValidationError({"__all__": _("Only a draft can be sent for signature.")})
    missing = [p for p in agreement_parties(agreement) if p.point_of_contact_id is None]
    if missing:
        raise ValidationError(
            {
                "__all__": _(
                    "Name a point of contact for every party first (missing: "
                    "%(parties)s)."
                )
                % {"parties": ", ".join(p.organisation.short_name for p in missing)}
            }
        )
    current_parties = set(agreement.deployment.parties.values_list("pk", flat=True))
    if {p.pk for p in agreement_parties(agreement)} != current_parties:
        raise ValidationError(
            {
                "__all__": _(
                    "The parties changed; edit the matrix so it covers them all."
                )
            }
        )
    agreement.status = S.IN_SIGNATURE
    agreement.submitted_at = timezone.now()
    agreement.save(update_fields=["status", "submitted_at", "updated_at"])
    record_change(
        actor=actor,
        obj=agreement,
        action="submit",
        before={"status": S.DRAFT},
        after={"status": agreement.status},
    )
    publish(
        "agreement.submitted",
        agreement=agreement,
        signatories=signatories(agreement),
        actor=actor,
    )
    return agreement


def signatories(agreement: Agreement) -> list[tuple[Party, list[Any]]]:
    """Per party of the agreement, the commanders who sign for it today."""
    parties = agreement_parties(agreement)
    by_org: dict[int, list[Any]] = {p.organisation_id: [] for p in parties}
    for membership in (
        Membership.objects.current()
        .filter(organisation_id__in=by_org, role="commander", user__is_active=True)
        .select_related("user")
    ):
        by_org[membership.organisation_id].append(membership.user)
    return [(p, by_org[p.organisation_id]) for p in parties]


def commander_of(user: Any, party: Party) -> Membership | None:
    """The user's current commander membership of the party's own organisation."""
    for membership in current_memberships(user):
        if (
            membership.role == "commander"
            and membership.organisation_id == party.organisation_id
        ):
            return membership
    return None


def signable_parties(user: Any, agreement: Agreement) -> list[Party]:
    """Parties the user may sign for now (their commander, not yet signed)."""
    if agreement.status != S.IN_SIGNATURE:
        return []
    signed = set(agreement.signatures.values_list("party_id", flat=True))
    return [
        p
        for p in agreement_parties(agreement)
        if p.pk not in signed and commander_of(user, p) is not None
    ]


@transaction.atomic
def agreement_sign(*, actor: Any, agreement: Agreement, party: Party) -> Agreement:
    """Sign for one party as its commander; in force once every party signed."""
    require_writer(actor)
    agreement = Agreement.objects.select_for_update(no_key=True).get(pk=agreement.pk)
    if agreement.status == S.SUPERSEDED:
        raise ValidationError(
            {
                "__all__": _("Version %(n)s is superseded; sign the current version.")
                % {"n": agreement.number}
            }
        )
    if agreement.status != S.IN_SIGNATURE:
        raise ValidationError(
            {
                "__all__": _("Version %(n)s is not in signature.")
                % {"n": agreement.number}
            }
        )
    parties = agreement_parties(agreement)
    if party.pk not in {p.pk for p in parties}:
        raise ValidationError({"party": _("This party is not in the agreement.")})
    membership = commander_of(actor, party)
    if membership is None:
        raise NotAllowed(
            _("Only the commander of %(org)s signs for that party.")
            % {"org": party.organisation.short_name},
            party=party.pk,
        )
    if agreement.signatures.filter(party=party).exists():
        raise ValidationError(
            {
                "party": _("%(org)s has already signed.")
                % {"org": party.organisation.short_name}
            }
        )
    signature = AgreementSignature.objects.create(
        agreement=agreement,
        party=party,
        signed_by=actor,
        signed_as=(membership.title or str(membership))[:200],
    )
    record_change(
        actor=actor,
        obj=agreement,
        action="sign",
        after={
            "party": party.pk,
            "signed_by": actor.pk,
            "signed_as": signature.signed_as,
        },
    )
    if agreement.signatures.count() == len(parties):
        for old in Agreement.objects.filter(
            deployment_id=agreement.deployment_id, status=S.IN_FORCE
        ):
            _supersede(actor, old)
        agreement.status = S.IN_FORCE
        agreement.in_force_at = timezone.now()
        agreement.save(update_fields=["status", "in_force_at", "updated_at"])
        record_change(
            actor=actor,
            obj=agreement,
            action="in_force",
            before={"status": S.IN_SIGNATURE},
            after={"status": S.IN_FORCE},
        )
    return agreement


def accountable_party(deployment: Deployment) -> Party | None:
    """The party Accountable for deciding on risk, or the operational command."""
    agreement = Agreement.objects.filter(
        deployment=deployment, status=S.IN_FORCE
    ).first() or current_agreement(deployment)
    if agreement is not None:
        cell = (
            agreement.assignments.filter(step__code="decide", raci="A")
            .select_related("party__organisation")
            .first()
        )
        if cell is not None:
            return cell.party
    return (
        deployment.parties.select_related("organisation")
        .filter(role=Party.PartyRole.OPERATIONAL_COMMAND)
        .first()
    )
