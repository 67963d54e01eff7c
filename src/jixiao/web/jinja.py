"""The Jinja2 environment of the web's Jinja2 templates (``jinja2/``): the site's layout
(``web/base.jinja``) and the pages the users open most (the form list, a form's page and its
editor, with their parts), where Django's template engine took most of a request's time.

Django's Jinja2 backend escapes every value and gives each page ``request``, ``csrf_input``
and ``csrf_token``. The globals and filters here are the few Django tags and filters these
templates need, with the same output: ``url`` (Django's ``reverse``), ``static``, ``who``
(a user's full name or else user name), ``messages``, ``header`` (the header's links and
counts, web/header.py); ``date`` (Django's date format, in local time), ``default_if_none``,
``filesizeformat`` (Django's, in Chinese). Numbers are shown unlocalised, as the Django
templates did inside ``{% localize off %}``.

A Django template includes a Jinja2 one with ``{% jinja "web/x.jinja" %}`` (templatetags/
jinja.py), and ``web/base.html`` lays a Django page out in ``web/base.jinja``: one layout.
In tests the templates report their rendering as Django's do (``response.context``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import jinja2
from django.contrib.messages import get_messages
from django.template.defaultfilters import filesizeformat
from django.templatetags.static import static
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import dateformat, timezone

from jixiao.web.header import header
from jixiao.web.templatetags.unit_options import unit_options


def shown(value: Decimal | int | None) -> str:
    """A number as the Django templates show it unlocalised ("85.25"); "-" for None."""
    return "-" if value is None else str(value)


def who(user: Any) -> str:
    """A user as the pages name them: the full name, else the user name."""
    return str(user.get_full_name() or user.username)


def local_date(value: Any, fmt: str) -> str:
    """Django's ``date`` filter as Django templates apply it: an aware time in local time."""
    if not isinstance(value, date):
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return str(dateformat.format(value, fmt))


def plain(value: Any) -> Any:
    """Each value as Django templates show it with ``{% localize off %}``: a Decimal in
    positional notation ("100", never "1E+2"), anything else as it is."""
    return format(value, "f") if isinstance(value, Decimal) else value


def default_if_none(value: Any, default: Any = "") -> Any:
    return default if value is None else value


class Template(jinja2.Template):
    """A Jinja2 template that, while Django's test client listens (tests only), reports its
    rendering as Django templates do, so tests read ``response.context``."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        if template_rendered.receivers and args and isinstance(args[0], dict):
            template_rendered.send(sender=self, template=self, context=args[0])
        return super().render(*args, **kwargs)


def environment(**options: Any) -> jinja2.Environment:
    options.setdefault("finalize", plain)
    env = jinja2.Environment(**options)
    env.template_class = Template
    env.globals.update(
        url=reverse,
        shown=shown,
        static=static,
        who=who,
        messages=get_messages,
        header=header,
        unit_options=unit_options,
    )
    env.filters.update(
        date=local_date,
        default_if_none=default_if_none,
        filesizeformat=filesizeformat,
    )
    return env
