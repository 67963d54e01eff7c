"""The Jinja2 environment of the web's Jinja2 templates (``jinja2/``): the site's layout
(``web/base.jinja``) and the pages the users open most (the form list, a form's page and its
editor, with their parts), where Django's template engine took most of a request's time.

Django's Jinja2 backend escapes every value and gives each page ``request``, ``csrf_input``
and ``csrf_token``. The globals and filters here are the few Django tags and filters these
templates need, with the same output: ``url`` (Django's ``reverse``), ``static``,
``messages``, ``header`` (the header's links and counts, web/header.py), ``unit_options``;
``date`` (Django's date format, in local time), ``default_if_none``, ``filesizeformat``
(Django's, in Chinese), and for the rows of a list or a history ``who`` (a user's full name
or else user name), ``id_url`` (``pk|id_url("form-detail")``: a row's link), ``shown`` (a
number or "-"), ``status_label`` and ``event_kind`` (a status's or a history event's Chinese
name, as ``get_status_display`` / ``get_kind_display``): filters, which Jinja2 calls
directly, where a function or a method goes through the context (about 2 µs a call; Django's
``get_FOO_display`` also builds its field's choices anew on each call).
Numbers are shown unlocalised, as the Django templates did inside ``{% localize off %}``.

A Django template includes a Jinja2 one with ``{% jinja "web/x.jinja" %}`` (templatetags/
jinja.py), and ``web/base.html`` lays a Django page out in ``web/base.jinja``: one layout.
In tests the templates report their rendering as Django's do (``response.context``)."""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import jinja2
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.template.defaultfilters import filesizeformat
from django.templatetags.static import static
from django.test.signals import template_rendered
from django.urls import get_script_prefix, reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString
from markupsafe import Markup

from jixiao.render import compiled
from jixiao.render.compiled import writer
from jixiao.web.header import header
from jixiao.web.models import Event, Status
from jixiao.web.templatetags.unit_options import unit_options


def shown(value: Decimal | int | None) -> str:
    """A number as the Django templates show it unlocalised ("85.25"); "-" for None."""
    return "-" if value is None else str(value)


STATUS_LABELS = dict(Status.choices)
EVENT_KINDS = dict(Event.Kind.choices)


def status_label(status: str) -> str:
    """A form's status in Chinese, as ``EvaluationForm.get_status_display`` gives it."""
    return str(STATUS_LABELS.get(status, status))


def event_kind(kind: str) -> str:
    """A history event's kind in Chinese, as ``Event.get_kind_display`` gives it."""
    return str(EVENT_KINDS.get(kind, kind))


_MARK = 987654321987654321  # an id no page has, where a path's id goes


@functools.lru_cache(maxsize=64)
def _around_id(name: str, prefix: str, rest: tuple[str, ...]) -> tuple[str, str] | None:
    """The path of ``name`` with the arguments ``(id, *rest)`` cut where the id goes; None
    when the id's digits are not there once (a path that does not show its id as given)."""
    parts = reverse(name, args=[_MARK, *rest]).split(str(_MARK))
    return (parts[0], parts[1]) if len(parts) == 2 else None


@functools.lru_cache(maxsize=256)
def _fixed_url(name: str, prefix: str) -> str:
    return reverse(name)


# The key under which a page's context holds the script prefix (Template.render): Django
# keeps it per request in an asgiref Local, whose every read (a context manager and a lock)
# cost a few microseconds, and a list page builds sixty paths.
SCRIPT_PREFIX = "_script_prefix"


def _prefix(context: jinja2.runtime.Context) -> str:
    prefix = context.parent.get(SCRIPT_PREFIX)
    return get_script_prefix() if prefix is None else str(prefix)


@jinja2.pass_context
def url(context: jinja2.runtime.Context, name: str, args: Any = None) -> str:
    """Django's ``reverse``; a path without arguments (the header's links) resolved once, a
    path with one integer id by ``id_url``, and one with an id and texts (a form page's
    ``form-export``, ``form-review`` links) once per name and texts, its id put in."""
    if args:
        rest = tuple(args[1:])
        if type(args[0]) is int and all(type(a) is str for a in rest):
            return _id_url(name, args[0], _prefix(context), rest)
        return reverse(name, args=args)
    return _fixed_url(name, _prefix(context))


def id_url(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a path whose one argument is an integer id, without
    resolving it again for each of a page's fifty rows."""
    return _id_url(name, pk, get_script_prefix())


def _id_url(name: str, pk: int, prefix: str, rest: tuple[str, ...] = ()) -> str:
    """The path of ``name`` with the id ``pk`` (and the texts ``rest`` after it): the parts
    around the id resolved once per name, prefix and texts, the id put in."""
    around = _around_id(name, prefix, rest)
    if around is None:
        return reverse(name, args=[pk, *rest])
    return f"{around[0]}{int(pk)}{around[1]}"


@jinja2.pass_context
def id_url_filter(context: jinja2.runtime.Context, pk: int, name: str) -> str:
    """``pk|id_url(name)``: :func:`id_url` as a filter."""
    return _id_url(name, pk, _prefix(context))


_STATIC: dict[str, str] = {}


def static_url(path: str) -> str:
    """Django's ``static``: a static file's URL (its hashed name after collectstatic), looked
    up once per path; forgotten when the static files' settings change (tests)."""
    known = _STATIC.get(path)
    if known is None:
        known = _STATIC[path] = static(path)
    return known


@receiver(setting_changed)
def _static_settings_changed(setting: str, **kwargs: Any) -> None:
    if setting in ("STATIC_URL", "STATIC_ROOT", "STORAGES", "STATICFILES_STORAGE", "DEBUG"):
        _STATIC.clear()


def who(user: Any) -> str:
    """A user as the pages name them: the full name, else the user name."""
    return str(user.get_full_name() or user.username)


def local_date(value: Any, fmt: str) -> str:
    """Django's ``date`` filter as Django templates apply it: an aware time in local time.
    The formats the pages use most are written directly (Django's formatter costs some tens
    of microseconds a date, and a form's history shows up to 200)."""
    if not isinstance(value, date):
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    quick = _QUICK_FORMATS.get(fmt) if isinstance(value, datetime) else None
    return quick(value) if quick is not None else str(dateformat.format(value, fmt))


# Django's date formats ("Y": the year in 4 digits, "m", "d", "H", "i", "s": two) written
# directly for a datetime; the same text as dateformat.format (tests/web/test_page_cost.py).
_QUICK_FORMATS = {
    "Y-m-d H:i:s": lambda v: (
        f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:{v.second:02d}"
    ),
    "Y-m-d H:i": lambda v: f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}",
    "Y-m-d": lambda v: f"{v.year:04d}-{v.month:02d}-{v.day:02d}",
}


def plain(value: Any) -> Any:
    """Each value as Django templates show it with ``{% localize off %}``: a Decimal in
    positional notation ("100", never "1E+2"), anything else as it is."""
    return format(value, "f") if isinstance(value, Decimal) else value


def default_if_none(value: Any, default: Any = "") -> Any:
    return default if value is None else value


CSRF_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'  # as Django's


class Template(jinja2.Template):
    """A Jinja2 template whose page masks its CSRF token once, as a Django template does
    (Django's Jinja2 backend hands lazy values that mask it anew for every form on the page
    and for the htmx header), and that, while Django's test client listens (tests only),
    reports its rendering as Django templates do, so tests read ``response.context``."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        if args and isinstance(args[0], dict):
            context = args[0]
            context[SCRIPT_PREFIX] = get_script_prefix()  # read once a page (url, id_url)
            if context.get("request") is not None and "csrf_token" in context:
                token = get_token(context["request"])  # letters and digits
                context["csrf_token"] = token
                context["csrf_input"] = Markup(CSRF_INPUT.format(token))
            if template_rendered.receivers:
                template_rendered.send(sender=self, template=self, context=context)
        return super().render(*args, **kwargs)


# What ``{{ value }}`` writes on a page, in one call (render/compiled.py): the text of
# ``escape(plain(value))``, a Decimal in positional notation, Django's safe texts as they are.
output = writer(plain, decimal=lambda value: format(value, "f"), safe=(SafeString,))


_DICT_ATTRIBUTES = frozenset(dir(dict))


class Environment(compiled.Environment):
    """Jinja2's environment, with ``x.name`` on a plain dict read as its key at once.
    Jinja2 tries ``getattr(x, "name")`` first and, when that raises AttributeError, the key:
    a page's values are mostly dicts (the editor's fields, its fund cells, the score panel),
    and the exception raised and caught for each (about 400 on an edit page) cost more than
    the rest of the lookup. A dict has no attributes but its class's (``items``, ``get`` …),
    which are still looked up as attributes, so every lookup gives what Jinja2's gives.
    Anything else is looked up as Jinja2 does (its code, not a call of it: a list's rows
    are objects, a thousand lookups a page, and the call cost more than the lookup).
    Templates are compiled by render/compiled.py's code generator (a value written in one
    call, the pieces between two tags given out joined)."""

    output = staticmethod(output)
    output_finalize = staticmethod(plain)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)


def environment(**options: Any) -> jinja2.Environment:
    options.setdefault("finalize", plain)
    env = Environment(**options)
    env.template_class = Template
    env.globals.update(
        url=url,
        static=static_url,
        messages=get_messages,
        header=header,
        unit_options=unit_options,
    )
    env.filters.update(
        date=local_date,
        default_if_none=default_if_none,
        filesizeformat=filesizeformat,
        id_url=id_url_filter,
        shown=shown,
        status_label=status_label,
        event_kind=event_kind,
        who=who,
    )
    return env
