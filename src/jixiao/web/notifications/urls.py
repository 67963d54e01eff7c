"""URLs of the notifications (under /notifications/)."""

from django.urls import path

from jixiao.web.notifications import views

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("read/", views.notification_read, name="notifications-read"),
    path("<id:pk>/", views.notification_open, name="notification-open"),
]
