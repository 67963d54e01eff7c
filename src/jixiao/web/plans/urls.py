"""URLs of the 绩效目标申报表 / 执行监控表 pages (under /plans/)."""

from django.urls import path

from jixiao.web.plans import views

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("<id:pk>/", views.plan_detail, name="plan-detail"),
    path("<id:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("<id:pk>/start/", views.plan_start, name="plan-start"),
]
