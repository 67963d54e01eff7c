"""URLs of 抽查复核 (under /recheck/)."""

from django.urls import path

from jixiao.web.recheck import views

urlpatterns = [
    path("", views.draw_list, name="recheck-list"),
    path("new/", views.draw_new, name="recheck-new"),
    path("<id:pk>/", views.draw_detail, name="recheck-draw"),
    path("tasks/<id:pk>/", views.task_detail, name="recheck-task"),
    path("tasks/<id:pk>/reviewer/", views.task_reassign, name="recheck-reassign"),
    path("tasks/<id:pk>/evidence/<id:aid>/", views.task_evidence, name="recheck-evidence"),
]
