"""Who may see and do what: every query goes through the user's part of the tree.

A user belongs to one organisation with one role and sees that node's subtree (a 财政局
user sees every 主管部门 and 预算单位 under it). Forms outside the subtree do not exist for
them (404); an action their role may not take on a form they can see is refused (403).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from jixiao.web.models import (
    IN_REVIEW,
    REVIEW_LEVELS,
    EvaluationForm,
    FormDocument,
    Organisation,
    Profile,
    Role,
    Status,
    in_subtree,
)
from jixiao.web.statements import columns, rows

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
    """The years of the forms ``user`` may see, newest first (for the year filters): what
    ``visible_forms(user).exclude(year=None).order_by("-year").values_list("year",
    flat=True).distinct()[:most]`` gives, by a statement written once (every list page).
    The statement walks the years, not the forms: the years of all forms one by one from the
    index on ``year`` (each the greatest below the one before), each kept when a form of the
    user's subtree has it (one look in the index ``(year, org_path, …)``). The DISTINCT over
    the subtree's forms read every one of them (5,000 for a 财政局 user: about 0.5 ms)."""
    path = scope_path(user)
    if path is None:
        return []
    alias = router.db_for_read(EvaluationForm)

    def write(quote: Callable[[str], str]) -> str:
        year, org_path = quote("year"), quote("org_path")
        table = quote(EvaluationForm._meta.db_table)
        return (
            f"WITH RECURSIVE years(y) AS (SELECT MAX({year}) FROM {table} UNION ALL "
            f"SELECT (SELECT MAX({year}) FROM {table} WHERE {year} < years.y) FROM years "
            f"WHERE years.y IS NOT NULL) "
            f"SELECT y FROM years WHERE y IS NOT NULL AND EXISTS (SELECT 1 FROM {table} f "
            f"WHERE f.{year} = years.y AND f.{org_path} >= %s AND f.{org_path} < %s) "
            f"ORDER BY y DESC LIMIT {int(most)}"
        )

    return [row[0] for row in rows(alias, ("years", int(most)), write, _bounds(path))]


def _bounds(path: str) -> list[str]:
    """The index range of a subtree's paths (models.in_subtree) as a statement's parameters."""
    return [path, path[:-1] + "0"]


def unit_choices(user: Any) -> list[tuple[int, str, str]]:
    """The units of the list's unit filter: (id, kind, name) of every 主管部门 and 预算单位 the
    user sees, in tree order (``visible_organisations(user).exclude(kind=FINANCE)``), by a
    statement written once (a 财政局 user's list page reads hundreds on every request)."""
    path = scope_path(user)
    if path is None:
        return []
    alias = router.db_for_read(Organisation)

    def write(quote: Callable[[str], str]) -> str:
        return (
            f"SELECT o.{quote(Organisation._meta.pk.column)}, o.{quote('kind')}, "
            f"o.{quote('name')} FROM {quote(Organisation._meta.db_table)} o "
            f"WHERE o.{quote('path')} >= %s AND o.{quote('path')} < %s "
            f"AND NOT (o.{quote('kind')} = %s) ORDER BY o.{quote('path')} ASC"
        )

    found = rows(alias, ("unit choices",), write, [*_bounds(path), Organisation.Kind.FINANCE])
    return [(pk, kind, name) for pk, kind, name in found]


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
    ``also``: further relations the page reads, in the same query. With its unit, document
    and last editor (and ``organisation__parent``, the editor's 主管部门) it is read by a
    statement written once (:func:`_form_with_relations`): every form page, editor and save
    reads it, and the ORM compiled the joins anew each time (about 1 ms)."""
    path = scope_path(user)
    if path is not None and set(also) <= {"organisation__parent"}:
        key = parse_id(pk)  # not a row's id: found nowhere, as the ORM finds it
        found = None if key is None else _form_with_relations(key, path, bool(also))
        if found is None:
            raise Http404("没有找到这张表，或您无权查看")
        return found
    try:
        forms = visible_forms(user).select_related("organisation", "body", "updated_by", *also)
        return forms.get(pk=pk)
    except (EvaluationForm.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到这张表，或您无权查看") from None


def _form_with_relations(pk: int, path: str, parent: bool) -> EvaluationForm | None:
    """What ``visible_forms(user).select_related("organisation", "body", "updated_by")
    .get(pk=pk)`` gives (with ``organisation__parent`` too when ``parent``), or None: one
    statement written once (web/statements.py), the related rows attached as
    ``select_related`` attaches them (None where there is none)."""
    user_model = get_user_model()
    alias = router.db_for_read(EvaluationForm)
    forms, units = columns(EvaluationForm, alias), columns(Organisation, alias)
    bodies, users = columns(FormDocument, alias), columns(user_model, alias)

    def write(quote: Callable[[str], str]) -> str:
        unit_pk = quote(Organisation._meta.pk.column)
        above = f", {units.select('p')}" if parent else ""
        join_above = (
            f"LEFT JOIN {quote(Organisation._meta.db_table)} p "
            f"ON p.{unit_pk} = o.{quote(Organisation.parent.field.column)} "
            if parent
            else ""
        )
        return (
            f"SELECT {forms.select('f')}, {units.select('o')}, {bodies.select('b')}, "
            f"{users.select('u')}{above} "
            f"FROM {quote(EvaluationForm._meta.db_table)} f "
            f"INNER JOIN {quote(Organisation._meta.db_table)} o "
            f"ON o.{unit_pk} = f.{quote(EvaluationForm.organisation.field.column)} "
            f"LEFT JOIN {quote(FormDocument._meta.db_table)} b "
            f"ON b.{quote(FormDocument.form.field.column)} = f.{quote('id')} "
            f"LEFT JOIN {quote(user_model._meta.db_table)} u "
            f"ON u.{quote(user_model._meta.pk.column)} = "
            f"f.{quote(EvaluationForm.updated_by.field.column)} "
            f"{join_above}"
            f"WHERE f.{quote('id')} = %s AND f.{quote('org_path')} >= %s "
            f"AND f.{quote('org_path')} < %s"
        )

    found = rows(alias, ("form page", parent), write, [pk, *_bounds(path)])
    if not found:
        return None
    row = found[0]
    cut = [0]
    for part in (forms, units, bodies, users):
        cut.append(cut[-1] + len(part))
    obj = forms.instance(row[: cut[1]])
    unit = units.instance(row[cut[1] : cut[2]])
    body = bodies.instance(row[cut[2] : cut[3]]) if row[cut[2]] is not None else None
    editor = users.instance(row[cut[3] : cut[4]]) if row[cut[3]] is not None else None
    EvaluationForm.organisation.field.set_cached_value(obj, unit)
    EvaluationForm.body.related.set_cached_value(obj, body)
    if body is not None:
        FormDocument.form.field.set_cached_value(body, obj)
    EvaluationForm.updated_by.field.set_cached_value(obj, editor)
    if parent:
        above = units.instance(row[cut[4] :]) if row[cut[4]] is not None else None
        Organisation.parent.field.set_cached_value(unit, above)
    return obj


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
