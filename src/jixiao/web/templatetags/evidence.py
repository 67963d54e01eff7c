"""``{% evidence_section obj %}``: the 佐证材料 section of a form's page and of its editor."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.model import SelfEvaluation
from jixiao.web import evidence

register = template.Library()


@register.inclusion_tag("web/_evidence.html", takes_context=True)
def evidence_section(context: template.Context, obj: Any, back: str = "") -> dict[str, Any]:
    request = context["request"]
    form = context.get("form")  # the page's parsed form, when it has one: not parsed twice
    return {
        "obj": obj,
        "ev": evidence.section(
            request.user, obj, form if isinstance(form, SelfEvaluation) else None
        ),
        "back": back,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
