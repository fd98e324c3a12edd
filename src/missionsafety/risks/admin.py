"""Administration of matrices, acceptance rules and the hazard library.

A matrix that a deployment uses, and its rules, are read-only here: the
services refuse the change and the admin offers a new revision instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _

from missionsafety.audit.admin_base import AuditedModelAdmin
from missionsafety.risks import services
from missionsafety.risks.models import (
    AcceptanceRule,
    Hazard,
    HazardCategory,
    RiskMatrix,
)


class RuleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = AcceptanceRule
    extra = 0

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not (
            obj is not None and obj.in_use
        )

    has_add_permission = has_change_permission  # type: ignore[assignment]
    has_delete_permission = has_change_permission


@admin.register(RiskMatrix)
class RiskMatrixAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "revision", "is_default", "used"]
    readonly_fields = ["version"]
    inlines = [RuleInline]
    actions = ["new_revision"]

    @admin.display(boolean=True, description=_("in use"))
    def used(self, obj: RiskMatrix) -> bool:
        return obj.in_use

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not (
            obj is not None and obj.in_use
        )

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if change:
            services.matrix_refuse_if_in_use(RiskMatrix.objects.get(pk=obj.pk))
        services.matrix_validate(obj)
        super().save_model(request, obj, form, change)

    def get_form(
        self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)

        class Checked(form):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                data = super().clean()
                candidate = RiskMatrix(
                    probabilities=data.get("probabilities") or [],
                    severities=data.get("severities") or [],
                    levels=data.get("levels") or [],
                    cells=data.get("cells") or {},
                )
                try:
                    services.matrix_validate(candidate)
                except DjangoValidationError as exc:
                    raise DjangoValidationError(exc.messages) from exc
                return data

        return Checked

    @admin.action(description=_("Make a new, editable revision"))
    def new_revision(self, request: Any, queryset: Any) -> None:
        for matrix in queryset:
            copy = services.matrix_new_revision(actor=request.user, matrix=matrix)
            messages.success(request, _("Made %(m)s.") % {"m": copy})


@admin.register(AcceptanceRule)
class AcceptanceRuleAdmin(AuditedModelAdmin):
    list_display = [
        "matrix",
        "level",
        "chain",
        "min_echelon",
        "consult",
        "validity_days",
    ]
    list_filter = ["matrix", "chain"]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not (
            obj is not None and obj.matrix.in_use
        )

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        services.matrix_refuse_if_in_use(obj.matrix)
        super().save_model(request, obj, form, change)


@admin.register(HazardCategory)
class HazardCategoryAdmin(AuditedModelAdmin):
    list_display = ["code", "name_nl", "name_en"]


@admin.register(Hazard)
class HazardAdmin(AuditedModelAdmin):
    list_display = ["code", "name_nl", "name_en", "category", "active"]
    list_filter = ["category", "active"]
    search_fields = ["code", "name_nl", "name_en"]
