"""URLs of the 填报任务 (under /rounds/)."""

from django.urls import path

from jixiao.web.rounds import views

urlpatterns = [
    path("", views.round_list, name="round-list"),
    path("new/", views.round_new, name="round-new"),
    path("template.xlsx", views.round_template, name="round-template"),
    path("<id:pk>/", views.round_progress, name="round-progress"),
    path("<id:pk>/edit/", views.round_edit, name="round-edit"),
    path("<id:pk>/export.xlsx", views.round_export, name="round-export"),
    path("<id:pk>/remind/", views.round_remind, name="round-remind"),
    path("<id:pk>/close/", views.round_close, name="round-close"),
    path("<id:pk>/units/<id:org>/", views.round_unit, name="round-unit"),
]
