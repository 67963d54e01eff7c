"""``{% unit_options units chosen %}``: the ``<option>`` elements of a unit filter, written in
one pass (a 财政局 user's list holds hundreds of units on every list page)."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from jixiao.render.compiled import escape_text
from jixiao.web.models import Organisation

register = template.Library()

DEPTH = {Organisation.Kind.FINANCE: 0, Organisation.Kind.DEPARTMENT: 1, Organisation.Kind.UNIT: 2}


@register.simple_tag
def unit_options(units: Any, chosen: Any = "") -> SafeString:
    """One option per unit (value: its id), indented by its level below the highest level in
    the list (a full-width space a level), the one whose id is ``chosen`` selected.
    ``units``: a query of units, or their (id, kind, name) rows (access.unit_choices).
    A 财政局 user's list draws 210 options on every page: the options are kept for the
    last lists of units and choices given (:func:`_options`)."""
    rows = (
        tuple(units) if isinstance(units, list) else tuple(units.values_list("pk", "kind", "name"))
    )
    return _options(rows, str(chosen or ""))


@functools.lru_cache(maxsize=64)
def _options(rows: tuple[tuple[int, str, str], ...], chosen: str) -> SafeString:
    """The options of ``rows`` with ``chosen`` selected. Kept under the rows themselves (the
    units read for this request) and the choice, so a unit renamed, moved, added or closed
    is a new key and shows at once, and two users get the same text only for the same
    units; each name escaped by ``compiled.escape_text`` (``escape`` without its Markup
    object)."""
    top = min((DEPTH.get(kind, 0) for _, kind, _ in rows), default=0)
    indent = {kind: chr(0x3000) * (DEPTH.get(kind, 0) - top) for _, kind, _ in rows}
    return mark_safe(  # the names escaped; ids are integers
        "".join(
            [
                f'<option value="{pk}"{" selected" if str(pk) == chosen else ""}>'
                f"{indent[kind]}{escape_text(name)}</option>"
                for pk, kind, name in rows
            ]
        )
    )
