"""Django's admin site for superusers only, titled in Chinese.

Units and users are managed on the 系统管理 pages (``administration``); Django's admin stays
as a tool for the superuser. This module imports no models: settings name its app config.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SuperuserAdminSite(admin.AdminSite):
    site_header = "jixiao 绩效 · 后台数据维护（超级用户）"
    site_title = "jixiao 后台数据维护"
    index_title = "单位、用户与表单"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class SuperuserAdminConfig(AdminConfig):
    default_site = "jixiao.web.adminsite.SuperuserAdminSite"
