"""The review workflow: 草稿 → 已送审 → 审核通过 | 被退回 (→ 修改后再送审).

Which role may take which step is data here, in one place; every step is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from jixiao.web.access import role_of
from jixiao.web.models import EvaluationForm, Event, Role, Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    needs_comment: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit",
            "送审",
            (Status.DRAFT, Status.RETURNED),
            Status.SUBMITTED,
            frozenset({Role.FILLER, Role.UNIT_REVIEWER, Role.ADMIN}),
        ),
        Transition(
            "approve",
            "审核通过",
            (Status.SUBMITTED,),
            Status.APPROVED,
            frozenset({Role.DEPARTMENT_REVIEWER, Role.FINANCE_REVIEWER, Role.ADMIN}),
        ),
        Transition(
            "return",
            "退回修改",
            (Status.SUBMITTED,),
            Status.RETURNED,
            frozenset({Role.DEPARTMENT_REVIEWER, Role.FINANCE_REVIEWER, Role.ADMIN}),
            needs_comment=True,
        ),
        Transition(
            "reopen",
            "撤销审核",
            (Status.APPROVED,),
            Status.RETURNED,
            frozenset({Role.FINANCE_REVIEWER, Role.ADMIN}),
            needs_comment=True,
        ),
    )
}


class WorkflowError(ValueError):
    """A step that cannot be taken now (the message is for the user)."""


def available(user: Any, form: EvaluationForm) -> list[Transition]:
    """The steps this user may take on this form now."""
    role = role_of(user)
    return [t for t in TRANSITIONS.values() if form.status in t.sources and role in t.roles]


@transaction.atomic
def apply(user: Any, form: EvaluationForm, name: str, comment: str = "") -> Event:
    """Take step ``name``; PermissionDenied for a role that may not, WorkflowError otherwise."""
    t = TRANSITIONS.get(name)
    if t is None:
        raise WorkflowError("未知的操作")
    if role_of(user) not in t.roles:
        raise PermissionDenied(f"您的角色不能执行“{t.label}”")
    locked = EvaluationForm.objects.select_for_update().get(pk=form.pk)
    if locked.status not in t.sources:
        raise WorkflowError(f"表单当前状态为“{locked.get_status_display()}”，不能“{t.label}”")
    comment = comment.strip()
    if t.needs_comment and not comment:
        raise WorkflowError(f"“{t.label}”需要填写意见")
    before = locked.status
    locked.status = t.target
    locked.updated_by = user
    locked.save(update_fields=["status", "updated_by", "updated_at"])
    form.status = t.target
    return Event.objects.create(
        form=locked,
        user=user,
        kind=Event.Kind.TRANSITION,
        from_status=before,
        to_status=t.target,
        comment=comment[:4000],
    )


def comment(user: Any, form: EvaluationForm, text: str) -> Event:
    """An opinion on the form without changing its state (anyone who can see the form)."""
    text = text.strip()
    if not text:
        raise WorkflowError("请填写意见")
    return Event.objects.create(form=form, user=user, kind=Event.Kind.COMMENT, comment=text[:4000])
