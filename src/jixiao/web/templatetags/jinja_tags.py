"""Django templates drawing Jinja2 ones (web/jinja.py): ``{% jinja "web/_pager.jinja" %}``
draws a Jinja2 template with the page's context, and ``{% layout %}`` (web/base.html) lays a
Django page out in the site's one layout, ``web/base.jinja``: each ``{% slot name %}`` (its
``{% block %}`` inside) is drawn by Django and handed to the layout as ``slots.name``."""

from __future__ import annotations

from typing import Any

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def draw(name: str, values: dict[str, Any], request: Any) -> SafeString:
    """The Jinja2 template ``name`` with ``values`` (Jinja2 has escaped every value)."""
    return mark_safe(engines["jinja2"].get_template(name).render(values, request))


@register.simple_tag(takes_context=True)
def jinja(context: template.Context, name: str) -> SafeString:
    return draw(name, context.flatten(), context.get("request"))


class SlotNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, name: str, nodelist: template.NodeList) -> None:
        self.name, self.nodelist = name, nodelist

    def render(self, context: template.Context) -> str:
        return self.nodelist.render(context)


class LayoutNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        slots = {
            node.name: mark_safe(node.render(context))
            for node in self.nodelist
            if isinstance(node, SlotNode)
        }
        return draw("web/base.jinja", {"slots": slots}, context.get("request"))


@register.tag
def layout(parser: template.base.Parser, token: template.base.Token) -> LayoutNode:
    nodelist = parser.parse(("endlayout",))
    parser.delete_first_token()
    return LayoutNode(nodelist)


@register.tag
def slot(parser: template.base.Parser, token: template.base.Token) -> SlotNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% slot name %}")
    nodelist = parser.parse(("endslot",))
    parser.delete_first_token()
    return SlotNode(bits[1].strip("\"'"), nodelist)
