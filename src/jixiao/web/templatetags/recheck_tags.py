"""``{% recheck_tasks %}``: the user's 复核 tasks at the top of 待办."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.web.recheck.inbox import open_tasks, recently_done

register = template.Library()


@register.inclusion_tag("web/_recheck_tasks.html", takes_context=True)
def recheck_tasks(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"open": list(open_tasks(user)), "done": recently_done(user)}
