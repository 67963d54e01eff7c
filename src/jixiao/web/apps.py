"""The web app's configuration (its name in Django's admin)."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jixiao.web"
    label = "web"
    verbose_name = "绩效自评"
    default_auto_field = "django.db.models.BigAutoField"
