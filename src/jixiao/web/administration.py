"""系统管理: the pages where units and users are managed, in Chinese, under ``/manage/``.

A 管理员 (or a superuser) manages the whole system; a 财政审核 manages their own 财政局's
tree, may not grant the 管理员 role, and does not see 管理员 or superuser accounts. A unit or
user outside the manager's part answers 404; anyone else gets 403 on every page here.
The forms and steps are in ``units`` (the tree) and ``accounts`` (users).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.web import access, accounts, auth, units
from jixiao.web.models import PARENT_KIND, Organisation, Role, in_subtree

User = get_user_model()
PAGE_SIZE = 50


@dataclass(frozen=True)
class Scope:
    """The part of the system a manager manages: ``root``'s subtree, or everything."""

    root: Organisation | None  # None: the whole system (管理员, superuser)

    @property
    def grants_admin(self) -> bool:
        return self.root is None

    def organisations(self) -> QuerySet[Organisation]:
        if self.root is None:
            return Organisation.objects.all()
        return Organisation.objects.filter(in_subtree(self.root.path, "path"))

    def users(self) -> QuerySet[Any]:
        qs = User.objects.select_related("profile__organisation")
        if self.root is None:
            return qs
        return qs.filter(
            in_subtree(self.root.path, "profile__organisation__path"), is_superuser=False
        ).exclude(profile__role=Role.ADMIN)

    def roles(self) -> list[tuple[str, str]]:
        return [(v, label) for v, label in Role.choices if self.grants_admin or v != Role.ADMIN]

    def unit(self, pk: int) -> Organisation:
        try:
            return self.organisations().get(pk=pk)
        except Organisation.DoesNotExist:
            raise Http404("没有找到这个单位，或不在您的管理范围内") from None

    def user(self, pk: int) -> Any:
        try:
            return self.users().get(pk=pk)
        except User.DoesNotExist:
            raise Http404("没有找到这个用户，或不在您的管理范围内") from None

    def fixed(self, node: Organisation) -> bool:
        """The manager's own root stays where it is (not moved, closed or deleted by them)."""
        return self.root is not None and node.pk == self.root.pk


def scope_of(user: Any) -> Scope:
    """The manager's scope; 403 for a user who manages nothing."""
    if not access.can_manage(user):
        raise PermissionDenied("系统管理仅限管理员和财政审核人员")
    profile = access.profile_of(user)
    if user.is_superuser or profile is None or profile.role == Role.ADMIN:
        return Scope(None)
    return Scope(profile.organisation)


# The tree ------------------------------------------------------------------------------


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    show_closed = request.GET.get("closed") != "hide"
    nodes = scope.organisations()
    if not show_closed:
        nodes = nodes.filter(closed_at=None)
    return render(
        request,
        "web/manage/units.html",
        {"rows": units.rows(nodes), "scope": scope, "show_closed": show_closed},
    )


def _child_kind(parent: Organisation | None) -> str | None:
    kind = parent.kind if parent else None
    return next((k for k, above in PARENT_KIND.items() if above == kind), None)


@require_http_methods(["GET", "POST"])
def unit_new(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    parents = scope.organisations().exclude(kind=Organisation.Kind.UNIT)
    top = scope.root is None
    if request.method == "POST":
        form = units.UnitForm(request.POST, parents=parents, top=top)
        if form.is_valid():
            node = form.save()
            messages.success(request, f"已新建{node.get_kind_display()}“{node.name}”。")
            return redirect("manage-units")
        return _render_form(request, "新建单位", form, status=400)
    parent_id = access.parse_id(request.GET.get("parent"))
    parent = scope.unit(parent_id) if parent_id is not None else None
    initial = {"parent": parent, "kind": _child_kind(parent)}
    form = units.UnitForm(initial=initial, parents=parents, top=top)
    return _render_form(request, "新建单位", form)


@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request.user)
    node = scope.unit(pk)
    old_name = node.name
    form = units.UnitForm(_posted(request), instance=node)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, f"已保存“{old_name}”的名称和单位编码。")
            return redirect("manage-units")
        return _render_form(request, f"修改单位：{old_name}", form, node=node, status=400)
    return _render_form(request, f"修改单位：{old_name}", form, node=node)


@require_http_methods(["GET", "POST"])
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request.user)
    node = scope.unit(pk)
    title = f"移动单位：{node.name}"
    if scope.fixed(node) or node.kind == Organisation.Kind.FINANCE:
        messages.error(request, f"“{node.name}”是最上级单位，不能移动")
        return redirect("manage-units")
    form = units.MoveForm(_posted(request), node=node, parents=scope.organisations())
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(
                request, f"已将“{node.name}”及其下级单位、自评表移到“{node.parent}”之下。"
            )
            return redirect("manage-units")
        return _render_form(request, title, form, node=node, status=400)
    return _render_form(request, title, form, node=node)


UNIT_STEPS = {"close": (units.close, "已撤销"), "reopen": (units.reopen, "已恢复")}


@require_POST
def unit_step(request: HttpRequest, pk: int) -> HttpResponse:
    """撤销 / 恢复 / 删除 a node."""
    scope = scope_of(request.user)
    node = scope.unit(pk)
    action = request.POST.get("action", "")
    if action not in ("close", "reopen", "delete"):
        messages.error(request, "未知的操作")
    elif scope.fixed(node):
        messages.error(request, f"“{node.name}”是您所在的单位，不能撤销或删除")
    else:
        try:
            if action == "delete":
                units.delete(node)
                messages.success(request, f"已删除“{node.name}”。")
            else:
                step, done = UNIT_STEPS[action]
                step(node)
                messages.success(request, f"“{node.name}”{done}。")
        except units.UnitError as err:
            messages.error(request, str(err))
    return redirect("manage-units")


# Users -----------------------------------------------------------------------------------


@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    g = request.GET
    params = {k: g.get(k, "").strip() for k in ("q", "unit", "role", "active", "misplaced")}
    qs = scope.users()
    misplaced = qs.filter(accounts.misplaced())
    if params["misplaced"] == "yes":
        qs = misplaced
    if params["q"]:
        q = params["q"]
        qs = qs.filter(Q(username__icontains=q) | Q(first_name__icontains=q))
    if (unit := access.parse_id(params["unit"])) is not None:
        node = scope.organisations().filter(pk=unit).first()
        qs = qs.filter(in_subtree(node.path, "profile__organisation__path")) if node else qs.none()
    if params["role"] in Role.values:
        qs = qs.filter(profile__role=params["role"])
    if params["active"] in ("yes", "no"):
        qs = qs.filter(is_active=params["active"] == "yes")
    page = Paginator(qs.order_by("username"), PAGE_SIZE).get_page(g.get("page"))
    keys = auth.locked_keys()
    locked = {u.pk for u in page.object_list if auth.throttle_key(u.username) in keys}
    return render(
        request,
        "web/manage/users.html",
        {
            "page": page,
            "params": params,
            "query": urlencode({k: v for k, v in params.items() if v}),
            "units": scope.organisations(),
            "roles": scope.roles(),
            "locked": locked,
            "misplaced": set(misplaced.values_list("pk", flat=True)[:1000]),
        },
    )


@require_http_methods(["GET", "POST"])
def user_new(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    kwargs = {"units": scope.organisations(), "roles": scope.roles()}
    if request.method == "POST":
        form = accounts.UserCreateForm(request.POST, **kwargs)
        if form.is_valid():
            user = form.save()
            messages.success(request, f"已新建用户“{user.username}”。")
            return redirect("manage-users")
        return _render_form(request, "新建用户", form, status=400)
    initial = {}
    unit_id = access.parse_id(request.GET.get("unit"))
    if unit_id is not None:
        initial["organisation"] = scope.unit(unit_id)
    return _render_form(request, "新建用户", accounts.UserCreateForm(initial=initial, **kwargs))


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request.user)
    person = scope.user(pk)
    profile = access.profile_of(person)
    kwargs = {"units": scope.organisations(), "roles": scope.roles(), "user": person}
    title = f"用户：{person.username}"
    if request.method == "POST":
        form = accounts.UserEditForm(request.POST, **kwargs)
        if form.is_valid():
            form.save()
            messages.success(request, f"已保存用户“{person.username}”。")
            return redirect("manage-users")
        return _render_form(request, title, form, person=person, status=400)
    initial = {
        "first_name": person.first_name,
        "organisation": profile.organisation if profile else None,
        "role": profile.role if profile else "",
    }
    return _render_form(
        request, title, accounts.UserEditForm(initial=initial, **kwargs), person=person
    )


@require_http_methods(["GET", "POST"])
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    """重置密码: typed, or generated and shown once on this response (never in a message)."""
    scope = scope_of(request.user)
    person = scope.user(pk)
    title = f"重置密码：{person.username}"
    form = accounts.PasswordSetForm(_posted(request), user=person)
    if request.method == "POST":
        if form.is_valid():
            password, generated = form.save()
            auth.unlock(person.username)
            if not generated:
                messages.success(request, f"已为“{person.username}”设置新密码。")
                return redirect("manage-user", pk=person.pk)
            response = render(
                request, "web/manage/password_done.html", {"person": person, "password": password}
            )
            response["Cache-Control"] = "no-store"
            return response
        return _render_form(request, title, form, person=person, status=400)
    return _render_form(request, title, form, person=person)


@require_POST
def user_step(request: HttpRequest, pk: int) -> HttpResponse:
    """解除锁定 / 停用 / 启用 a user."""
    scope = scope_of(request.user)
    person = scope.user(pk)
    action = request.POST.get("action", "")
    try:
        if action == "unlock":
            auth.unlock(person.username)
            messages.success(request, f"已解除“{person.username}”的登录锁定。")
        elif action in ("deactivate", "activate"):
            accounts.set_active(request.user, person, action == "activate")
            done = "启用" if action == "activate" else "停用"
            messages.success(request, f"已{done}用户“{person.username}”。")
        else:
            messages.error(request, "未知的操作")
    except accounts.AccountError as err:
        messages.error(request, str(err))
    return redirect("manage-user", pk=person.pk)


def _posted(request: HttpRequest) -> Any:
    """The POST data for a form (bound even when empty), None for a GET."""
    return request.POST if request.method == "POST" else None


def _render_form(
    request: HttpRequest,
    title: str,
    form: Any,
    *,
    node: Organisation | None = None,
    person: Any = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"title": title, "form": form, "node": node, "person": person}
    if person is not None:
        context["person_locked"] = auth.throttle_key(person.username) in auth.locked_keys()
        context["person_profile"] = access.profile_of(person)
    return render(request, "web/manage/form.html", context, status=status)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    scope_of(request.user)
    return redirect("manage-units")


urlpatterns = [
    path("", home, name="manage"),
    path("units/", unit_list, name="manage-units"),
    path("units/new/", unit_new, name="manage-unit-new"),
    path("units/<id:pk>/", unit_edit, name="manage-unit"),
    path("units/<id:pk>/move/", unit_move, name="manage-unit-move"),
    path("units/<id:pk>/step/", unit_step, name="manage-unit-step"),
    path("users/", user_list, name="manage-users"),
    path("users/new/", user_new, name="manage-user-new"),
    path("users/<id:pk>/", user_edit, name="manage-user"),
    path("users/<id:pk>/password/", user_password, name="manage-user-password"),
    path("users/<id:pk>/step/", user_step, name="manage-user-step"),
]
