"""``{% notification_bell %}``: the header's link to 通知 with the unread count."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.web.notifications.models import Notification

register = template.Library()


@register.inclusion_tag("web/_bell.html", takes_context=True)
def notification_bell(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = Notification.objects.filter(recipient=user, read=False).count()
    return {"unread": unread}
