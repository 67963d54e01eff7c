"""URLs of the jixiao web system."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jixiao.web import administration, auth, dashboard, transfer, views

urlpatterns = [
    # 管理员 log in through the throttled page like everyone else.
    path("admin/login/", auth.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("", views.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", auth.PasswordChangeView.as_view(), name="password-change"),
    path("forms/", views.form_list, name="form-list"),
    path("forms/inbox/", views.inbox, name="inbox"),
    path("forms/new/", views.form_new, name="form-new"),
    path("forms/export/", transfer.export_many, name="form-export-many"),
    path("forms/<int:pk>/", views.form_detail, name="form-detail"),
    path("forms/<int:pk>/edit/", views.form_edit, name="form-edit"),
    path("forms/<int:pk>/preview/", views.form_preview, name="form-preview"),
    path("forms/<int:pk>/transition/", views.form_transition, name="form-transition"),
    path("forms/<int:pk>/next-year/", views.form_next_year, name="form-next-year"),
    path("forms/<int:pk>/export/<str:to>/", transfer.export_one, name="form-export"),
    path("import/", transfer.import_view, name="import"),
    path("import/file/", transfer.import_one, name="import-one"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("rounds/", include("jixiao.web.rounds.urls")),
    path("notifications/", include("jixiao.web.notifications.urls")),
    path("manage/", include(administration.urlpatterns)),
]
