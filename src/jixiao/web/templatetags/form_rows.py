"""``{% form_rows forms "export-form" %}``: the table of forms (the Jinja2 template
``web/form_rows.jinja``) inside a Django template."""

from __future__ import annotations

from typing import Any

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def form_rows(forms: Any, selectable: str = "") -> SafeString:
    table = engines["jinja2"].get_template("web/form_rows.jinja")
    # Jinja2 has escaped every value (autoescape is on in Django's Jinja2 backend)
    return mark_safe(table.render({"forms": forms, "selectable": selectable}))
