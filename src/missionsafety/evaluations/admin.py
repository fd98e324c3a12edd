from __future__ import annotations

from django.contrib import admin

from missionsafety.audit.admin_base import AuditedModelAdmin
from missionsafety.evaluations.forms import EvaluationTemplateAdminForm
from missionsafety.evaluations.models import EvaluationTemplate, ProcessStep


@admin.register(ProcessStep)
class ProcessStepAdmin(AuditedModelAdmin):
    list_display = [
        "order",
        "code",
        "name_nl",
        "name_en",
        "iso_stage",
        "rm_step",
        "active",
    ]
    list_display_links = ["code"]
    list_editable = ["order", "active"]


@admin.register(EvaluationTemplate)
class EvaluationTemplateAdmin(AuditedModelAdmin):
    form = EvaluationTemplateAdminForm
    list_display = ["order", "code", "name_nl", "phase", "trigger", "is_gate", "active"]
    list_display_links = ["code"]
    list_filter = ["phase", "trigger", "active"]
