"""Who may see and do what: every query goes through the user's part of the tree.

A user belongs to one organisation with one role and sees that node's subtree (a 财政局
user sees every 主管部门 and 预算单位 under it). Forms outside the subtree do not exist for
them (404); an action their role may not take on a form they can see is refused (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from jixiao.web.models import (
    IN_REVIEW,
    REVIEW_LEVELS,
    EvaluationForm,
    Organisation,
    Profile,
    Role,
    Status,
    in_subtree,
)

User = AbstractBaseUser | AnonymousUser

# Who reviews forms (at a level of the chain, or 管理员 at every level); who fills and sends them.
REVIEWER_ROLES = frozenset({role for _, role, _ in REVIEW_LEVELS} | {Role.ADMIN})
# The state in which forms wait for each reviewer role (workflow.py has the chain).
WAITING_FOR = {role: status for status, role, _ in REVIEW_LEVELS}
EDITOR_ROLES = frozenset({Role.FILLER, Role.UNIT_REVIEWER, Role.ADMIN})
# Who opens the 系统管理 pages (a 财政审核 for their own tree; see administration.Scope).
MANAGER_ROLES = frozenset({Role.ADMIN, Role.FINANCE_REVIEWER})


# The largest id a row can have (a signed 64-bit integer, on SQLite and PostgreSQL alike).
MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """A row's id as a request gives it: ASCII digits from 1 to ``MAX_ID``; anything else
    (empty, "①", "1e9", an id beyond any row) is None, so it finds nothing instead of
    reaching the database as a number it cannot hold."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Iterable[object]) -> list[int]:
    """The valid ids among ``values`` (see :func:`parse_id`), in order, once each."""
    return list(dict.fromkeys(n for n in map(parse_id, values) if n is not None))


class IdConverter:
    """``<id:pk>`` in URLs: like ``<id:pk>``, but an id no row can have does not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def profile_of(user: Any) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile  # type: ignore[no-any-return]
    except Profile.DoesNotExist:
        return None


def scope_path(user: Any) -> str | None:
    """The materialised path of the user's subtree; None: the user sees nothing."""
    p = profile_of(user)
    return p.organisation.path if p else None


def visible_forms(user: Any) -> QuerySet[EvaluationForm]:
    path = scope_path(user)
    if path is None:
        return EvaluationForm.objects.none()
    return EvaluationForm.objects.filter(in_subtree(path))


def visible_years(user: Any, most: int = 30) -> list[int]:
    """The years of the forms ``user`` may see, newest first (for the year filters)."""
    years = (
        visible_forms(user)
        .exclude(year=None)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return list(years[:most])


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    path = scope_path(user)
    if path is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(in_subtree(path, "path"))


def units_for(user: Any) -> QuerySet[Organisation]:
    """The 预算单位 a user may create or import forms for (open ones: 已撤销 takes no forms)."""
    return visible_organisations(user).filter(kind=Organisation.Kind.UNIT, closed_at=None)


def get_form(user: Any, pk: int, *also: str) -> EvaluationForm:
    """The form with id ``pk`` if the user may see it; 404 otherwise (no existence leak).
    ``also``: further relations the page reads, in the same query."""
    try:
        forms = visible_forms(user).select_related("organisation", "body", "updated_by", *also)
        return forms.get(pk=pk)
    except (EvaluationForm.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到这张表，或您无权查看") from None


def role_of(user: Any) -> str | None:
    p = profile_of(user)
    return p.role if p else None


def can_edit(user: Any, form: EvaluationForm) -> bool:
    """Only the unit's own editors, only while the form is a draft or returned."""
    return role_of(user) in EDITOR_ROLES and form.editable


def can_create(user: Any) -> bool:
    return role_of(user) in EDITOR_ROLES and units_for(user).exists()


def require_create(
    user: Any, action: str = "新建", organisation: Organisation | None = None
) -> None:
    """PermissionDenied (its message naming ``action``) unless ``user`` may create forms
    (for ``organisation``, when given: not one that is 已撤销)."""
    if not can_create(user):
        raise PermissionDenied(f"您的角色不能{action}表单")
    if organisation is not None and organisation.closed:
        raise PermissionDenied(f"“{organisation.name}”已撤销，不能{action}表单")


def require_edit(user: Any, form: EvaluationForm) -> None:
    if role_of(user) not in EDITOR_ROLES:
        raise PermissionDenied("您的角色不能修改表单")
    if not form.editable:
        raise PermissionDenied(f"表单状态为“{form.get_status_display()}”，不能修改")


def can_manage(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or role_of(user) in MANAGER_ROLES


def is_reviewer(user: Any) -> bool:
    return role_of(user) in REVIEWER_ROLES


def inbox_states(role: str | None) -> tuple[str, ...]:
    """The states of the forms waiting for ``role``: its review level (管理员: every level);
    for a 填报人 their returned forms and drafts."""
    if role in WAITING_FOR:
        return (WAITING_FOR[role],)
    if role == Role.ADMIN:
        return IN_REVIEW
    if role == Role.FILLER:
        return (Status.RETURNED, Status.DRAFT)
    return ()


def inbox(user: Any) -> QuerySet[EvaluationForm]:
    """What waits for this user in their subtree (see inbox_states)."""
    return visible_forms(user).filter(status__in=inbox_states(role_of(user)))


def context(request: HttpRequest) -> dict[str, Any]:
    """Django template context: the user's profile, whether they may manage or create forms
    (from the header's one query, web/header.py, which the layout draws anyway)."""
    from jixiao.web.header import header  # header reads this module

    h = header(request)
    return {"profile": h.profile, "can_manage": h.can_manage, "can_create": h.can_create}
