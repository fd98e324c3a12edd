from __future__ import annotations

from django.contrib import admin

from missionsafety.core.admin import AuditedModelAdmin
from missionsafety.deployments.models import Deployment, Party


class PartyInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Party
    extra = 0


@admin.register(Deployment)
class DeploymentAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "theatre", "phase", "start_date", "end_date"]
    list_filter = ["phase"]
    search_fields = ["code", "name", "theatre"]
    readonly_fields = ["phase", "version"]
    inlines = [PartyInline]
