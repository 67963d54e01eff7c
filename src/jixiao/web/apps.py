"""The web app's configuration (its name in Django's admin, the ``<id:…>`` URL converter)."""

from django.apps import AppConfig
from django.urls import register_converter


class WebConfig(AppConfig):
    name = "jixiao.web"
    label = "web"
    verbose_name = "绩效自评"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jixiao.web.access import IdConverter

        register_converter(IdConverter, "id")
