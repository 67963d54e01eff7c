"""The Jinja2 environment of the web's few Jinja2 templates (``jinja2/``: the form table on
every list page, where Django's template engine took most of the request's time). Django's
Jinja2 backend escapes every value; ``url`` is Django's ``reverse``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from jinja2 import Environment


def shown(value: Decimal | int | None) -> str:
    """A number as the Django templates show it unlocalised ("85.25"); "-" for None."""
    return "-" if value is None else str(value)


def environment(**options: Any) -> Environment:
    env = Environment(**options)
    env.globals.update(url=reverse, shown=shown)
    return env
