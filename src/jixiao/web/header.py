"""The header of every page: which links the user gets and the counts beside 待办 and 通知.

The numbers it needs (forms and 申报表 / 监控表 waiting in 待办, open 复核 tasks, unread
notifications, whether the user may create forms) are read in one SQL statement, each count
a subquery, once per request (kept on the request), and only when a page draws the header:
always current, for the price of one query. The statement is compiled once per user, role
and part of the tree (they alone decide it), not on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest

from jixiao.web import access
from jixiao.web.models import Profile
from jixiao.web.notifications.models import Notification
from jixiao.web.recheck.inbox import open_tasks
from jixiao.web.templatetags.plan_tags import waiting_plans


@dataclass(frozen=True)
class Header:
    profile: Profile | None
    can_manage: bool
    can_create: bool
    waiting: int  # 待办: forms, 申报表 / 监控表 waiting for the user and open 复核 tasks
    unread: int  # unread notifications


def header(request: HttpRequest) -> Header:
    """The header of ``request``'s page (computed once per request)."""
    known = getattr(request, "_jixiao_header", None)
    if known is None:
        known = _read(getattr(request, "user", None))
        request._jixiao_header = known  # type: ignore[attr-defined]
    return known


# The statement for each (user, role, part of the tree): what its querysets compile to
# depends on these alone, and compiling them cost more than running it.
_STATEMENTS: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = {}
_MOST_STATEMENTS = 2000


def counts(user: Any) -> tuple[int, int, int, bool]:
    """(forms and 申报表 / 监控表 in 待办, open 复核 tasks, unread notifications, may create
    forms) in one query."""
    profile = access.profile_of(user)
    key = (
        connection.alias,
        user.pk,
        profile.role if profile else None,
        profile.organisation.path if profile else None,
    )
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _statement(user)
        if len(_STATEMENTS) >= _MOST_STATEMENTS:
            _STATEMENTS.clear()
        _STATEMENTS[key] = statement
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        row = cursor.fetchone()
    return int(row[0]) + int(row[1]), int(row[2]), int(row[3]), bool(row[4])


def _statement(user: Any) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters of :func:`counts` for ``user``."""
    editor = access.role_of(user) in access.EDITOR_ROLES
    parts: list[QuerySet[Any] | None] = [
        access.inbox(user).order_by().values("pk"),
        waiting_plans(user).order_by().values("pk"),
        open_tasks(user).order_by().values("pk"),
        Notification.objects.filter(recipient=user, read=False).order_by().values("pk"),
        access.units_for(user).order_by().values("pk")[:1] if editor else None,
    ]
    selects: list[str] = []
    params: list[Any] = []
    for qs in parts:
        try:
            if qs is None:
                raise EmptyResultSet
            sql, p = qs.query.sql_with_params()
        except EmptyResultSet:  # not asked, or an empty queryset (.none())
            selects.append("0")
            continue
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")
        params.extend(p)
    return "SELECT " + ", ".join(selects), tuple(params)


def _read(user: Any) -> Header:
    if not getattr(user, "is_authenticated", False):
        return Header(None, False, False, 0, 0)
    inbox, tasks, unread, create = counts(user)
    return Header(access.profile_of(user), access.can_manage(user), create, inbox + tasks, unread)
