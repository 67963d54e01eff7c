"""``{% unit_options units chosen %}``: the ``<option>`` elements of a unit filter, written in
one pass (a 财政局 user's list holds hundreds of units on every list page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from markupsafe import escape

from jixiao.web.models import Organisation

register = template.Library()

DEPTH = {Organisation.Kind.FINANCE: 0, Organisation.Kind.DEPARTMENT: 1, Organisation.Kind.UNIT: 2}


@register.simple_tag
def unit_options(units: Any, chosen: Any = "") -> SafeString:
    """One option per unit (value: its id), indented by its level below the highest level in
    the list (a full-width space a level), the one whose id is ``chosen`` selected.
    ``units``: a query of units, or their (id, kind, name) rows (access.unit_choices)."""
    rows = list(units) if isinstance(units, list) else list(units.values_list("pk", "kind", "name"))
    top = min((DEPTH.get(kind, 0) for _, kind, _ in rows), default=0)
    chosen = str(chosen or "")
    return mark_safe(  # the names escaped; ids are integers
        "".join(
            f'<option value="{pk}"{" selected" if str(pk) == chosen else ""}>'
            f"{chr(0x3000) * (DEPTH.get(kind, 0) - top)}{escape(name)}</option>"
            for pk, kind, name in rows
        )
    )
