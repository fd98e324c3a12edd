from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from missionsafety.audit.admin_base import AuditedAdminMixin, AuditedModelAdmin
from missionsafety.organisations import services
from missionsafety.organisations.models import ApiToken, Membership, Organisation, User
from missionsafety.organisations.scope import forget_memberships


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    readonly_fields = ["version"]
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Defence"), {"fields": ("rank", "phone")}),
    )
    inlines = [MembershipInline]
    search_fields = ["username", "first_name", "last_name", "email"]
    readonly_fields = ["last_login", "date_joined"]

    def save_related(
        self, request: Any, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        forget_memberships(form.instance)

    def user_change_password(self, request: Any, id: str, form_url: str = "") -> Any:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            # Recorded, and the user's tokens revoked, as on the user's own page.
            user = User.objects.get(pk=id)
            services.password_changed(user=user, actor=request.user)
        return response


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

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        forget_memberships(obj.user)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: tokens are made by their owner and revoked through the service."""

    list_display = [
        "user",
        "name",
        "hint",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: Any, queryset: Any) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            services.token_revoke(actor=request.user, token=token)
        messages.success(request, _("The tokens have been revoked."))
