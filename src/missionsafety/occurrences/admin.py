from __future__ import annotations

from django.contrib import admin

from missionsafety.audit.admin_base import AuditedModelAdmin
from missionsafety.occurrences.models import OccurrenceCategory


@admin.register(OccurrenceCategory)
class OccurrenceCategoryAdmin(AuditedModelAdmin):
    """Administrators adjust the definitions (thresholds) of the 0–4 scale."""

    list_display = ["number", "name_nl", "name_en", "definition_nl"]
    ordering = ["number"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
