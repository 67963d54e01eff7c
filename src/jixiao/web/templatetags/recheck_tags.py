"""``{% recheck_tasks %}``: the user's 复核 tasks at the top of 待办; ``{% recheck_section obj %}``:
the form's 抽查复核 results (自评 vs 复核 per row, and the gap) on its page."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.summary import signed
from jixiao.web.recheck.inbox import open_tasks, recently_done
from jixiao.web.recheck.results import tasks_of

register = template.Library()


@register.inclusion_tag("web/_recheck_tasks.html", takes_context=True)
def recheck_tasks(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"open": list(open_tasks(user)), "done": recently_done(user)}


@register.inclusion_tag("web/_recheck_section.html")
def recheck_section(obj: Any) -> dict[str, Any]:
    tasks = tasks_of(obj)
    return {
        "obj": obj,
        "tasks": [
            {
                "task": t,
                "gap": signed(t.gap),
                "rows": [(s, signed(s.gap)) for s in t.scores.all()],
                "stale": t.done and t.form_version not in (None, obj.version),
            }
            for t in tasks
        ],
    }
