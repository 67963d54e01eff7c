"""``{% plan_inbox %}``: the 申报表 and 监控表 waiting for the user (at the top of 待办);
``{% year_url unit year project %}``: a project's year page (plans/year.py)."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.web import access
from jixiao.web.models import in_subtree
from jixiao.web.plans.models import PlanRecord
from jixiao.web.plans.year import year_url as _year_url

register = template.Library()

PLAN_INBOX_MOST = 100


def waiting_plans(user: Any) -> Any:
    """The 申报表 and 监控表 in the user's part of the tree at the user's level (for the
    填报人: returned ones and drafts), as 待办 holds the forms."""
    path = access.scope_path(user)
    states = access.inbox_states(access.role_of(user))
    if path is None or not states:
        return PlanRecord.objects.none()
    return (
        PlanRecord.objects.filter(in_subtree(path), status__in=states)
        .select_related("organisation")
        .order_by("status", "year", "project", "id")
    )


@register.inclusion_tag("web/_plan_inbox.html", takes_context=True)
def plan_inbox(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    plans = waiting_plans(user) if user is not None else PlanRecord.objects.none()
    return {"plans": list(plans[:PLAN_INBOX_MOST])}


@register.simple_tag
def year_url(unit: int, year: int | None, project: str) -> str:
    return _year_url(unit, year, project)
