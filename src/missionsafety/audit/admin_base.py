"""Admin base: changes made in the Django admin land in the audit trail too.

Every admin that can change data uses ``AuditedAdminMixin``: each save, each
inline row added, changed or deleted, and each delete writes a change record
holding, for every changed field, its value before and after. Admins of models
whose changes have rules of their own route through the services or refuse.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction

from missionsafety.audit.services import record_change, snapshot

# Never written to the trail, not even as a hash.
SECRET_FIELDS = {"password", "key_hash"}


def _values(obj: models.Model) -> dict[str, Any]:
    # Time stamps the save itself sets (updated_at) are not the admin's change.
    skip = SECRET_FIELDS | {
        f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)
    }
    return {k: v for k, v in snapshot(obj).items() if k not in skip}


def _difference(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def _fresh(obj: models.Model) -> models.Model | None:
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).first()


class AuditedAdminMixin:
    """Record every admin save, inline change and delete as a change record."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            old = _fresh(obj) if change else None
            before = _values(old) if old is not None else {}
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            _record(request, obj, before, _values(obj), created=not change)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            befores = {}
            for inline_form in formset.initial_forms:
                old = _fresh(inline_form.instance)
                if old is not None:
                    befores[old.pk] = _values(old)
            super().save_formset(request, form, formset, change)  # type: ignore[misc]
            for obj in formset.new_objects:
                _record(request, obj, {}, _values(obj), created=True)
            for obj, _fields in formset.changed_objects:
                _record(request, obj, befores.get(obj.pk, {}), _values(obj))
            for obj in formset.deleted_objects:
                record_change(
                    actor=request.user,
                    obj=obj,
                    action="admin_delete",
                    before=befores.get(obj.pk) or _values(obj),
                )

    def save_related(
        self, request: Any, form: Any, formsets: Any, change: bool
    ) -> None:
        obj = form.instance
        fields = [f.name for f in obj._meta.many_to_many if f.name in form.cleaned_data]

        def related() -> dict[str, Any]:
            return {
                name: sorted(getattr(obj, name).values_list("pk", flat=True))
                for name in fields
            }

        with transaction.atomic():
            before = related() if change else {}
            super().save_related(request, form, formsets, change)  # type: ignore[misc]
            if change and fields:
                _record(request, obj, before, related())

    def delete_model(self, request: Any, obj: Any) -> None:
        with transaction.atomic():
            record_change(
                actor=request.user, obj=obj, action="admin_delete", before=_values(obj)
            )
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                record_change(
                    actor=request.user,
                    obj=obj,
                    action="admin_delete",
                    before=_values(obj),
                )
            super().delete_queryset(request, queryset)  # type: ignore[misc]


def _record(
    request: Any,
    obj: models.Model,
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    created: bool = False,
) -> None:
    if created:
        record_change(actor=request.user, obj=obj, action="admin_create", after=after)
        return
    changed_before, changed_after = _difference(before, after)
    if changed_after:
        record_change(
            actor=request.user,
            obj=obj,
            action="admin_update",
            before=changed_before,
            after=changed_after,
        )


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """A model admin whose every change is in the audit trail."""
