"""URLs of the jixiao web system."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jixiao.web import (
    administration,
    auth,
    dashboard,
    deletion,
    evidence,
    job_views,
    review,
    scan_cells,
    summaries,
    transfer,
    views,
)

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
    path("forms/inbox/step/", review.bulk_step, name="bulk-step"),
    path("forms/new/", views.form_new, name="form-new"),
    path("forms/export/", transfer.export_many, name="form-export-many"),
    path("forms/<id:pk>/", views.form_detail, name="form-detail"),
    path("forms/<id:pk>/edit/", views.form_edit, name="form-edit"),
    path("forms/<id:pk>/scan/<id:cid>.png", scan_cells.scan_crop, name="scan-crop"),
    path("forms/<id:pk>/preview/", views.form_preview, name="form-preview"),
    path("forms/<id:pk>/transition/", review.transition, name="form-transition"),
    path("forms/<id:pk>/notes/", review.row_comment, name="row-comment"),
    path("forms/<id:pk>/next-year/", views.form_next_year, name="form-next-year"),
    path("forms/<id:pk>/export/<str:to>/", transfer.export_one, name="form-export"),
    path("forms/<id:pk>/delete/", deletion.form_delete, name="form-delete"),
    path("forms/<id:pk>/evidence/", evidence.evidence_list, name="evidence-list"),
    path("forms/<id:pk>/evidence/upload/", evidence.evidence_upload, name="evidence-upload"),
    path("forms/<id:pk>/evidence/<id:aid>/", evidence.evidence_download, name="evidence-download"),
    path(
        "forms/<id:pk>/evidence/<id:aid>/delete/",
        evidence.evidence_delete,
        name="evidence-delete",
    ),
    path(
        "forms/<id:pk>/export-evidence/",
        evidence.export_with_evidence,
        name="form-export-evidence",
    ),
    path("forms/<id:pk>/review/<str:kind>/", transfer.review_document, name="form-review"),
    path("forms/<id:pk>/print/", views.form_print, name="form-print"),
    path("import/", transfer.import_view, name="import"),
    path("jobs/", job_views.job_list, name="job-list"),
    path("jobs/<id:pk>/", job_views.job_detail, name="job-detail"),
    path("jobs/<id:pk>/download/", job_views.job_download, name="job-download"),
    path("jobs/<id:pk>/retry/", job_views.job_retry, name="job-retry"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("summary/", summaries.summary_page, name="summary"),
    path("review-chain/", review.chain_settings, name="review-chain"),
    path("review-chain/<id:pk>/", review.chain_settings, name="review-chain-of"),
    path("rounds/", include("jixiao.web.rounds.urls")),
    path("recheck/", include("jixiao.web.recheck.urls")),
    path("notifications/", include("jixiao.web.notifications.urls")),
    path("plans/", include("jixiao.web.plans.urls")),
    path("manage/", include(administration.urlpatterns)),
]
