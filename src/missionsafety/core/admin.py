"""Admin base: changes made in the Django admin land in the audit trail too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction

from missionsafety.audit.services import record_change, snapshot


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Record every admin save and delete as a change record."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            record_change(
                actor=request.user,
                obj=obj,
                action="admin_update" if change else "admin_create",
                before=before,
                after=snapshot(obj),
            )

    def delete_model(self, request: Any, obj: Any) -> None:
        with transaction.atomic():
            record_change(
                actor=request.user, obj=obj, action="admin_delete", before=snapshot(obj)
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                record_change(
                    actor=request.user,
                    obj=obj,
                    action="admin_delete",
                    before=snapshot(obj),
                )
            super().delete_queryset(request, queryset)
