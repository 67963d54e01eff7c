"""URLs of the 绩效目标申报表 / 执行监控表 pages (under /plans/)."""

from django.urls import path

from jixiao.web.plans import views, year

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("year/<id:unit>/<int:year>/", year.year_page, name="plan-year"),
    path("<id:pk>/", views.plan_detail, name="plan-detail"),
    path("<id:pk>/transition/", views.plan_transition, name="plan-transition"),
    path("<id:pk>/notes/", views.plan_note, name="plan-note"),
    path("<id:pk>/targets/", views.plan_targets, name="plan-targets"),
    path("<id:pk>/start/", views.plan_start, name="plan-start"),
]
