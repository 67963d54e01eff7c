"""Django's admin, for superusers only (``adminsite``), everything in Chinese.

Units and users are managed on the 系统管理 pages (``administration``); here a superuser can
look at everything and repair what the pages cannot. Roles live in the Profile (no Django
groups or permissions): the user page shows the role and unit, not the permission list.
Forms and their history are read-only, so every change goes through the pages and is logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from jixiao.web.models import EvaluationForm, Event, Organisation, Profile


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "closed_at")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    readonly_fields = ("path",)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class JixiaoUserAdmin(UserAdmin):
    inlines = (ProfileInline,)
    list_display = ("username", "first_name", "role", "organisation", "is_active", "last_login")
    list_filter = ("is_active", "is_superuser", "profile__role")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("first_name", "last_name", "email")}),
        ("状态", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )

    @admin.display(description="角色")
    def role(self, user: Any) -> str:
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else "-"

    @admin.display(description="所属单位")
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
    list_display = ("at", "form", "plan", "user", "kind", "from_status", "to_status")
    list_filter = ("kind",)
    exclude = ("changes_json",)
