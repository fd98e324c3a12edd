from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from missionsafety.core.admin import AuditedModelAdmin
from missionsafety.organisations.models import ApiToken, Membership, Organisation, User


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Defence"), {"fields": ("rank", "phone")}),
    )
    inlines = [MembershipInline]
    search_fields = ["username", "first_name", "last_name", "email"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["short_name", "name", "kind", "echelon", "parent", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["short_name", "name"]
    readonly_fields = ["path", "version"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
        if obj.path != path:
            Organisation.objects.filter(pk=obj.pk).update(path=path)
            obj.path = path


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = [
        "user",
        "organisation",
        "role",
        "title",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__short_name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "name", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "hint", "created_at", "last_used_at"]
