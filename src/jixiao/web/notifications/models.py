"""An in-app notification, and the hook that sends them when a form changes state.

Registered with the ``web`` app (imported at the end of :mod:`jixiao.web.models`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver


class Notification(models.Model):
    """A message to one user: what happened, and where to look."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="接收人",
    )
    text = models.CharField("内容", max_length=500)
    url = models.CharField("链接", max_length=300, blank=True)
    form = models.ForeignKey(
        "web.EvaluationForm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="自评表",
    )
    read = models.BooleanField("已读", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["recipient", "read"]),)
        verbose_name = "通知"
        verbose_name_plural = "通知"

    def __str__(self) -> str:
        return self.text


@receiver(post_save, sender="web.Event", dispatch_uid="jixiao-notify-transition")
def _on_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Every recorded state change notifies whoever must act next (see notify.py)."""
    if created and instance.kind == "transition":
        from jixiao.web.notifications import notify  # its imports need the models loaded

        notify.on_transition(instance)
