"""``{% round_deadlines %}``: the user's open 填报任务 at the top of 待办."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.web.rounds.inbox import open_rounds

register = template.Library()


@register.inclusion_tag("web/_round_deadlines.html", takes_context=True)
def round_deadlines(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = open_rounds(user) if user is not None else []
    return {"rows": rows, "csrf_token": context.get("csrf_token")}
