"""The search index: one row per lesson or observation to find."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from missionsafety.deployments.visibility import visible_deployment_ids
from missionsafety.lessons.models.lessons import Lesson
from missionsafety.lessons.models.observations import Observation
from missionsafety.lessons.models.releasability import Releasability
from missionsafety.organisations.scope import (
    current_memberships,
    sees_everything,
    user_scope_ids,
)


class SearchEntryQuerySet(models.QuerySet["SearchEntry"]):
    def visible_to(self, user: Any) -> SearchEntryQuerySet:
        """Entries of observations and lessons the user may see (same rules)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if sees_everything(user):
            return self
        scope = user_scope_ids(user)
        q = Q(deployment_id__in=visible_deployment_ids(user))
        if current_memberships(user):
            q |= Q(releasability=Releasability.DEFENCE)
        if scope:
            # The audience holds named organisations (if released to them) and
            # a lesson's action body and tasking authority.
            q |= Q(
                id__in=SearchEntry.audience.through.objects.filter(
                    organisation_id__in=scope
                ).values("searchentry_id")
            )
        return self.filter(q)


class SearchEntry(models.Model):
    """One observation or lesson as the search sees it, with its visibility.

    The full-text index is kept by the database: on SQLite an FTS5 table
    filled by triggers, on PostgreSQL a generated, GIN-indexed ``document``
    column (both created in migration 0002).
    """

    class Type(models.TextChoices):
        OBSERVATION = "observation", _("observation")
        LESSON = "lesson", _("lesson")

    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    observation = models.OneToOneField(
        Observation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
    )
    lesson = models.OneToOneField(
        Lesson,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
    )
    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.CASCADE, related_name="+"
    )
    deployment_code = models.CharField(max_length=40)
    theatre = models.CharField(max_length=120)
    theatre_key = models.CharField(max_length=60, db_index=True)
    phase = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, blank=True)
    categories = models.CharField(max_length=400, blank=True)  # "|code|code|"
    date = models.DateField()
    releasability = models.CharField(max_length=20)
    audience = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    text = models.TextField()
    terms = models.TextField()

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["deployment"], name="search_dep_idx"),
            models.Index(fields=["releasability"], name="search_rel_idx"),
            # Date windows of a common word's matches (PostgreSQL: ANDed with
            # the full-text index's bitmap; the list index is too wide).
            models.Index(fields=["date"], name="search_date_idx"),
            # The newest first with the columns of facets, filters and
            # visibility: a search without words reads only this index.
            models.Index(
                fields=[
                    "date",
                    "id",
                    "type",
                    "kind",
                    "phase",
                    "status",
                    "theatre",
                    "theatre_key",
                    "deployment",
                    "releasability",
                    "categories",
                ],
                name="search_list_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title
