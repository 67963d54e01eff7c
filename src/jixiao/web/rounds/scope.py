"""Who sees which 填报任务 and which of its units; who may open and change one.

财政 (财政审核 or 管理员 at a 财政局 node) opens rounds and sees all of them under its node;
a 主管部门 sees a round's units under it; a unit only its own list. Anything else is 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from jixiao.web import access
from jixiao.web.models import Organisation, Role, in_subtree
from jixiao.web.rounds.models import Round, RoundUnit

MANAGER_ROLES = frozenset({Role.FINANCE_REVIEWER, Role.ADMIN})


def finance_node(user: Any) -> Organisation | None:
    """The 财政局 node of a user who may open rounds; None for everyone else."""
    p = access.profile_of(user)
    if p is None or p.role not in MANAGER_ROLES:
        return None
    return p.organisation if p.organisation.kind == Organisation.Kind.FINANCE else None


def can_open(user: Any) -> bool:
    return finance_node(user) is not None


def can_manage(user: Any, rnd: Round) -> bool:
    """财政 of the round's own 财政局 (or one above it) may change, close and remind."""
    node = finance_node(user)
    return node is not None and rnd.organisation.path.startswith(node.path)


def require_manage(user: Any, rnd: Round) -> None:
    if not can_manage(user, rnd):
        raise PermissionDenied("只有财政部门可以修改填报任务")


def visible_rounds(user: Any) -> QuerySet[Round]:
    """Rounds opened under the user's node, or with a unit in the user's part of the tree."""
    path = access.scope_path(user)
    if path is None:
        return Round.objects.none()
    units = RoundUnit.objects.filter(round=OuterRef("pk")).filter(
        in_subtree(path, "organisation__path")
    )
    return Round.objects.filter(Q(in_subtree(path, "organisation__path")) | Exists(units))


def get_round(user: Any, pk: int) -> Round:
    try:
        return visible_rounds(user).select_related("organisation").get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到这个填报任务，或您无权查看") from None


def round_units(user: Any, rnd: Round) -> QuerySet[RoundUnit]:
    """The round's units the user may see (all of them for the round's 财政)."""
    path = access.scope_path(user)
    units = rnd.units.select_related("organisation", "organisation__parent")
    if path is None:
        return units.none()
    return units.filter(in_subtree(path, "organisation__path"))


def get_round_unit(user: Any, rnd: Round, org_pk: int) -> RoundUnit:
    try:
        return round_units(user, rnd).get(organisation_id=org_pk)
    except (RoundUnit.DoesNotExist, ValueError, TypeError):
        raise Http404("这个单位不在此填报任务中，或您无权查看") from None


def tree_choices(node: Organisation) -> QuerySet[Organisation]:
    """The open 主管部门 and 预算单位 under a 财政局, in tree order (the scope picker)."""
    return (
        node.subtree()
        .exclude(pk=node.pk)
        .exclude(kind=Organisation.Kind.FINANCE)
        .filter(closed_at=None)
    )


def open_units(node: Organisation) -> QuerySet[Organisation]:
    """The 预算单位 (not 已撤销) under ``node``: what a round's scope and list may name."""
    return node.subtree().filter(kind=Organisation.Kind.UNIT, closed_at=None)
