"""Who may read a lesson or observation (releasability), its sources and kinds."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from missionsafety.deployments.visibility import visible_deployment_ids
from missionsafety.organisations.scope import current_memberships, user_scope_ids


class Releasability(models.TextChoices):
    PARTIES = "parties", _("the deployment's parties")
    DEFENCE = "defence", _("all of defence")
    ORGANISATIONS = "organisations", _("named organisations (and the parties)")


class Source(models.TextChoices):
    AAR = "aar", _("after action review")
    HOT_WASH = "hot_wash", _("hot wash")
    OCCURRENCE = "occurrence", _("occurrence")
    REVIEW = "review", _("periodic review")
    EVALUATION = "evaluation", _("evaluation")
    FEEDBACK = "feedback", _("feedback thread")
    OTHER = "other", _("other")


class Kind(models.TextChoices):
    ISSUE = "issue", _("issue")
    GOOD_PRACTICE = "good_practice", _("good practice")


def released_q(
    user: Any, *, through: Any, fk: str, extra_org_fields: tuple[str, ...] = ()
) -> Q:
    """The rows a user may see by deployment, releasability or named audience."""
    scope = user_scope_ids(user)
    q = Q(deployment_id__in=visible_deployment_ids(user))
    if current_memberships(user):
        q |= Q(releasability=Releasability.DEFENCE)
    if scope:
        q |= Q(
            releasability=Releasability.ORGANISATIONS,
            id__in=through.objects.filter(organisation_id__in=scope).values(fk),
        )
        for name in extra_org_fields:
            q |= Q(**{f"{name}_id__in": scope})
    return q


class Released(models.Model):
    """Hazard categories and who the row is released to beyond the parties."""

    categories = models.ManyToManyField(
        "risks.HazardCategory",
        verbose_name=_("hazard categories"),
        blank=True,
        related_name="%(class)ss",
    )
    releasability = models.CharField(
        _("releasability"),
        max_length=20,
        choices=Releasability.choices,
        default=Releasability.PARTIES,
    )
    released_to = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("released to"),
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
