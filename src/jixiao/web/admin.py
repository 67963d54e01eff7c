"""Django admin for 管理员: organisations, users with their role and place, forms read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from jixiao.web.models import EvaluationForm, Event, Organisation, Profile

admin.site.site_header = "jixiao 绩效 · 系统管理"
admin.site.site_title = "jixiao 系统管理"
admin.site.index_title = "组织、用户与表单"


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "path")
    list_filter = ("kind",)
    search_fields = ("name",)
    readonly_fields = ("path",)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    verbose_name_plural = "角色与所属组织"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class JixiaoUserAdmin(UserAdmin):
    inlines = (ProfileInline,)
    list_display = ("username", "first_name", "role", "organisation", "is_active", "last_login")

    @admin.display(description="角色")
    def role(self, user: Any) -> str:
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else "-"

    @admin.display(description="所属组织")
    def organisation(self, user: Any) -> str:
        profile = getattr(user, "profile", None)
        return profile.organisation.name if profile else "-"


class ReadOnly(admin.ModelAdmin):
    """Forms and their history change only through the pages (so every change is logged)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EvaluationForm)
class EvaluationFormAdmin(ReadOnly):
    list_display = ("id", "year", "project", "organisation", "status", "findings_count")
    list_filter = ("status", "year")
    search_fields = ("project", "unit_name")


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ("at", "form", "user", "kind", "from_status", "to_status")
    list_filter = ("kind",)
    exclude = ("changes_json",)
