from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from missionsafety.audit.admin_base import AuditedModelAdmin
from missionsafety.deployments.models import Deployment, Party
from missionsafety.deployments.services import deployment_matrix_in_use


class PartyInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Party
    extra = 0


@admin.register(Deployment)
class DeploymentAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "theatre", "phase", "start_date", "end_date"]
    list_filter = ["phase"]
    search_fields = ["code", "name", "theatre"]
    # The phase moves only through its service (with its guards and record).
    readonly_fields = ["phase", "phase_changed_at", "version"]
    inlines = [PartyInline]

    def get_form(
        self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)

        class Checked(form):  # type: ignore[misc, valid-type]
            def clean_matrix(self) -> Any:
                matrix = self.cleaned_data.get("matrix")
                current = self.instance
                if (
                    current.pk is not None
                    and matrix is not None
                    and matrix.pk != current.matrix_id
                    and deployment_matrix_in_use(current)
                ):
                    # Its assessments were made on the old matrix: switching
                    # would empty its heat maps and orphan its levels.
                    raise ValidationError(
                        _(
                            "Risks of this deployment have been assessed on its "
                            "matrix; it cannot be switched to another one."
                        )
                    )
                return matrix

        return Checked
