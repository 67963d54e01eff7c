"""The review workflow: a district's chain of review levels and the one table of steps.

草稿 → 单位审核中 → 主管部门审核中 → 财政审核中 → 审核通过, one level at a time, through the levels
the district (the 财政 node above the form) switches on. The same chain, table and steps serve
a 自评表 (``EvaluationForm``) and a 绩效目标申报表 or 执行监控表 (``PlanRecord``): both have
``status``, ``org_path``, ``events``, ``findings`` and ``editable``; an Event belongs to one
of them (:func:`subject`). 退回 (with a comment) goes to 被退回 or
one level down, as the district says; 撤回 undoes one's own last step until the next level
acts; 财政 may reopen an approved form. 管理员 may take every step. Every step is an Event.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import router, transaction

from jixiao.web.access import role_of, scope_path
from jixiao.web.models import (
    IN_REVIEW,
    REVIEW_LEVELS,
    EvaluationForm,
    Event,
    Organisation,
    ReturnTo,
    Role,
    Status,
    in_subtree,
)
from jixiao.web.plans.models import PlanRecord
from jixiao.web.statements import columns, rows

# What goes through the chain: a 自评表, or a 申报表 / 监控表.
Reviewed = EvaluationForm | PlanRecord


def subject(obj: Reviewed) -> dict[str, Reviewed]:
    """The field of an Event or a 批注 that names ``obj``: ``form`` or ``plan``."""
    return {"plan": obj} if isinstance(obj, PlanRecord) else {"form": obj}


def _visible(user: Any, obj: Reviewed) -> Any:
    """The objects of ``obj``'s kind in the user's part of the tree."""
    model = type(obj)
    path = scope_path(user)
    return model.objects.none() if path is None else model.objects.filter(in_subtree(path))


@dataclass(frozen=True)
class Level:
    """One review level: the state a form waits in, the role that acts, the district's switch."""

    status: str
    role: str
    field: str

    @property
    def label(self) -> str:
        return str(Role(self.role).label)


LEVELS: tuple[Level, ...] = tuple(Level(*row) for row in REVIEW_LEVELS)
LEVEL_AT: dict[str, Level] = {level.status: level for level in LEVELS}


def _rank(status: str) -> int:
    """Order of states along the chain: 草稿/被退回 below every level, 审核通过 above."""
    if status in IN_REVIEW:
        return IN_REVIEW.index(status)
    return len(IN_REVIEW) if status == Status.APPROVED else -1


@dataclass(frozen=True)
class Chain:
    """A district's review levels (lowest first) and where its 退回 goes."""

    levels: tuple[Level, ...] = LEVELS
    return_to: str = ReturnTo.FILLER

    def first(self) -> str:
        return self.levels[0].status

    def after(self, state: str) -> str:
        """The next level above ``state``, or 审核通过 after the last."""
        return next(
            (lv.status for lv in self.levels if _rank(lv.status) > _rank(state)), Status.APPROVED
        )

    def below(self, state: str) -> str:
        """The level below ``state``, or 被退回 below the first."""
        lower = [lv.status for lv in self.levels if _rank(lv.status) < _rank(state)]
        return lower[-1] if lower else Status.RETURNED

    def back(self, state: str) -> str:
        """Where 退回 from ``state`` goes."""
        return self.below(state) if self.return_to == ReturnTo.PREVIOUS else Status.RETURNED

    @property
    def description(self) -> str:
        return " → ".join(lv.label for lv in self.levels)


def district_of(path: str) -> Organisation | None:
    """The 财政 node nearest above (or at) the node with materialised ``path``: of the
    nodes on the path, the 财政 one with the longest path (a statement written once for
    each depth, web/statements.py: every form's page reads it)."""
    ids = [int(p) for p in path.strip("/").split("/") if p]
    if not ids:
        return None
    alias = router.db_for_read(Organisation)
    nodes = columns(Organisation, alias)

    def write(quote: Callable[[str], str]) -> str:
        marks = ", ".join(["%s"] * len(ids))
        return (
            f"SELECT {nodes.select('o')} FROM {quote(Organisation._meta.db_table)} o "
            f"WHERE o.{quote('id')} IN ({marks}) AND o.{quote('kind')} = %s "
            f"ORDER BY o.{quote('path')} DESC, o.{quote('id')} ASC"
        )

    found = rows(alias, ("district", len(ids)), write, [*ids, Organisation.Kind.FINANCE])
    return nodes.instance(found[0]) if found else None


def chain_of(district: Organisation | None) -> Chain:
    """The chain a district configured (the default one without a district)."""
    if district is None:
        return Chain()
    levels = tuple(lv for lv in LEVELS if getattr(district, lv.field)) or LEVELS[-1:]
    return Chain(levels, district.return_to)


def chain_for(form: Reviewed) -> Chain:
    return chain_of(district_of(form.org_path))


# Who may take a step: roles, or these (管理员 may take every step).
AT_LEVEL = "@level"  # the role of the level the form waits at
LAST_STEP = "@last"  # whoever took the step that brought the form where it is
EDITABLE = (Status.DRAFT, Status.RETURNED)


@dataclass(frozen=True)
class Transition:
    """One kind of step. ``target``: first (the chain's first level), next (the level above or
    审核通过), back (退回 per the district), undo (where the last step came from), returned."""

    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    who: frozenset[str]
    needs_comment: bool = False
    needs_explanations: bool = False  # every 错误 needs a written 说明
    bulk: bool = False  # offered on several forms at once in 待办


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit",
            "送审",
            EDITABLE,
            "first",
            frozenset({Role.FILLER, Role.UNIT_REVIEWER}),
            needs_explanations=True,
            bulk=True,
        ),
        Transition("approve", "审核通过", IN_REVIEW, "next", frozenset({AT_LEVEL}), bulk=True),
        Transition(
            "return",
            "退回",
            IN_REVIEW,
            "back",
            frozenset({AT_LEVEL}),
            needs_comment=True,
            bulk=True,
        ),
        Transition("withdraw", "撤回", IN_REVIEW, "undo", frozenset({LAST_STEP})),
        Transition(
            "reopen",
            "重新打开",
            (Status.APPROVED,),
            "returned",
            frozenset({Role.FINANCE_REVIEWER}),
            needs_comment=True,
        ),
    )
}


class WorkflowError(ValueError):
    """A step that cannot be taken now (the message is for the user)."""


RECENT_STEPS = 30


def latest_events(obj: Reviewed, most: int, kind: str | None = None) -> list[Event]:
    """``obj``'s latest ``most`` events (of ``kind``, when given), newest first, each with its
    user: what ``obj.events.select_related("user")[:most]`` gives, by a statement written
    once (web/statements.py; every form's page reads the history, the editor the steps)."""
    subjects = (Event.form.field, Event.plan.field)
    subject = next(f for f in subjects if isinstance(obj, f.related_model))
    user_model = get_user_model()
    alias = router.db_for_read(Event)
    events, users = columns(Event, alias), columns(user_model, alias)

    def write(quote: Callable[[str], str]) -> str:
        user_pk = quote(user_model._meta.pk.column)
        of_kind = f"AND e.{quote('kind')} = %s " if kind is not None else ""
        return (
            f"SELECT {events.select('e')}, {users.select('u')} "
            f"FROM {quote(Event._meta.db_table)} e "
            f"LEFT JOIN {quote(user_model._meta.db_table)} u "
            f"ON u.{user_pk} = e.{quote(Event.user.field.column)} "
            f"WHERE e.{quote(subject.column)} = %s {of_kind}"
            f"ORDER BY e.{quote('at')} DESC, e.{quote('id')} DESC LIMIT {int(most)}"
        )

    out = []
    n = len(events)
    key = ("history", subject.column, int(most), kind is not None)
    params = [obj.pk] if kind is None else [obj.pk, kind]
    seen: dict[Any, Any] = {}  # a user's events share one instance of them (few users, many events)
    for row in rows(alias, key, write, params):
        event = events.instance(row[:n])
        user = None
        if row[n] is not None:
            user = seen.get(row[n])
            if user is None:
                user = seen[row[n]] = users.instance(row[n:])
        Event.user.field.set_cached_value(event, user)
        subject.set_cached_value(event, obj)
        out.append(event)
    return out


def recent_steps(form: Reviewed, most: int = RECENT_STEPS) -> list[Event]:
    """The form's latest ``most`` transitions, newest first, with their users: what
    :func:`last_step`, :func:`standing_steps` and the functions on them read, fetched once
    when a page needs several of them (``recent=``)."""
    return latest_events(form, most, Event.Kind.TRANSITION)


def last_step(form: Reviewed, recent: list[Event] | None = None) -> Event | None:
    """The transition that brought the form where it is (None: none recorded)."""
    if recent is not None:
        event = recent[0] if recent else None
    else:
        event = form.events.filter(kind=Event.Kind.TRANSITION).order_by("-at", "-id").first()
    return event if event is not None and event.to_status == form.status else None


def _undo_target(last: Event | None) -> str | None:
    """Where 撤回 goes: back before the last step, unless that step was itself a 撤回."""
    if last is None or last.action == "withdraw" or not last.from_status:
        return None
    return last.from_status


def _may(t: Transition, user: Any, state: str, last: Event | None) -> bool:
    """Whether ``user``'s role lets them take ``t`` on a form in ``state``."""
    role = role_of(user)
    if role == Role.ADMIN or role in t.who:
        return True
    if AT_LEVEL in t.who and state in LEVEL_AT:
        return LEVEL_AT[state].role == role
    if LAST_STEP in t.who and last is not None:
        return last.user_id == user.pk
    return False


def role_may(t: Transition, role: str | None) -> bool:
    """Whether ``role`` may take ``t`` on some form (before looking at the form)."""
    if role is None:
        return False
    if role == Role.ADMIN or role in t.who:
        return True
    if AT_LEVEL in t.who and role in {lv.role for lv in LEVELS}:
        return True
    return LAST_STEP in t.who


def target_of(t: Transition, chain: Chain, state: str, last: Event | None) -> str | None:
    """Where ``t`` takes a form in ``state`` (None: nowhere now)."""
    if t.target == "first":
        return chain.first()
    if t.target == "next":
        return chain.after(state)
    if t.target == "back":
        return chain.back(state)
    if t.target == "undo":
        return _undo_target(last)
    return Status.RETURNED


def available(user: Any, form: Reviewed, recent: list[Event] | None = None) -> list[Transition]:
    """The steps this user may take on this form now (``recent``: :func:`recent_steps`)."""
    role = role_of(user)
    if role is None:
        return []
    candidates = [t for t in TRANSITIONS.values() if form.status in t.sources]
    if not candidates:
        return []
    last = last_step(form, recent)
    out = []
    for t in candidates:
        if not _may(t, user, form.status, last):
            continue
        if t.target == "undo" and _undo_target(last) is None:
            continue
        out.append(t)
    return out


def errors_of(form: Reviewed) -> list[dict[str, Any]]:
    """The form's stored 错误 findings, in order (each needs a 说明 to be sent up)."""
    return [f for f in form.findings if f.get("severity") == "error"]


def _explanations(form: Reviewed, texts: Sequence[str]) -> list[dict[str, Any]]:
    errors = errors_of(form)
    texts = [str(t).strip() for t in texts]
    missing = sum(1 for i in range(len(errors)) if i >= len(texts) or not texts[i])
    if missing:
        raise WorkflowError(f"表单有 {len(errors)} 个错误，其中 {missing} 个尚未填写说明，不能送审")
    return [
        {
            "rule": f.get("rule", ""),
            "place": f.get("place", ""),
            "message": f.get("message", ""),
            "explanation": texts[i][:2000],
        }
        for i, f in enumerate(errors)
    ]


@transaction.atomic
def apply(
    user: Any,
    form: Reviewed,
    name: str,
    comment: str = "",
    *,
    explanations: Sequence[str] = (),
    expected: str | None = None,
) -> Event:
    """Take step ``name``; PermissionDenied for a role that may not, WorkflowError otherwise.
    ``explanations``: the 说明 of each 错误 (送审); ``expected``: the state the user saw."""
    t = TRANSITIONS.get(name)
    if t is None:
        raise WorkflowError("未知的操作")
    if not role_may(t, role_of(user)):
        raise PermissionDenied(f"您的角色不能{t.label}")
    locked = _visible(user, form).select_for_update().filter(pk=form.pk).first()
    if locked is None:
        raise PermissionDenied("这张表不在您的管辖范围内")
    state = locked.status
    if expected and expected != state:
        raise WorkflowError(
            f"表单状态已变为“{locked.get_status_display()}”，请重新确认后再{t.label}"
        )
    if state not in t.sources:
        raise WorkflowError(f"表单当前状态为“{locked.get_status_display()}”，不能{t.label}")
    last = last_step(locked)
    if not _may(t, user, state, last):
        if t.target == "undo":
            raise PermissionDenied("只有上一步的操作人可以撤回")
        raise PermissionDenied(f"表单正在“{locked.get_status_display()}”，您的角色不能{t.label}")
    target = target_of(t, chain_for(locked), state, last)
    if target is None:
        raise WorkflowError("下一级已经处理，不能撤回")
    comment = comment.strip()
    if t.needs_comment and not comment:
        raise WorkflowError(f"{t.label}需要填写意见")
    explained = _explanations(locked, explanations) if t.needs_explanations else []
    locked.status = target
    locked.updated_by = user
    locked.save(update_fields=["status", "updated_by", "updated_at"])
    if isinstance(locked, PlanRecord):  # a 申报表 approved (批复 / 调整) or reopened
        locked.after_step(state, target, user)
        form.stage = locked.stage  # type: ignore[union-attr]
        from jixiao.web.plans.store import recheck_after_monitoring

        recheck_after_monitoring(locked)  # a 监控表 sent up: M04 on the year's 自评表
    form.status = target
    return Event.objects.create(
        **subject(locked),
        user=user,
        kind=Event.Kind.TRANSITION,
        action=t.name,
        from_status=state,
        to_status=target,
        comment=comment[:4000],
        explanations_json=json.dumps(explained, ensure_ascii=False),
    )


def comment(user: Any, form: Reviewed, text: str) -> Event:
    """An opinion on the form without changing its state (anyone who can see the form)."""
    text = text.strip()
    if not text:
        raise WorkflowError("请填写意见")
    return Event.objects.create(
        **subject(form), user=user, kind=Event.Kind.COMMENT, comment=text[:4000]
    )


def standing_steps(
    form: Reviewed, most: int = 30, recent: list[Event] | None = None
) -> list[Event]:
    """The form's latest transitions, newest first, without those undone by 撤回."""
    out, undone = [], 0
    for event in recent if recent is not None else recent_steps(form, most):
        if event.action == "withdraw":
            undone += 1
        elif undone:
            undone -= 1
        else:
            out.append(event)
    return out


def latest_return(form: Reviewed, recent: list[Event] | None = None) -> Event | None:
    """The last 退回 or 重新打开 of the form while it stands: not undone, and neither sent up
    again (送审) nor passed (审核通过) since."""
    steps = standing_steps(form, recent=recent)
    return steps[0] if steps and steps[0].action in ("return", "reopen") else None


def latest_submission(form: Reviewed, recent: list[Event] | None = None) -> Event | None:
    """The 送审 that sent the form up (its 说明 of each 错误), while the form is under review or
    approved; None while it is back with the unit."""
    if form.editable:
        return None
    return next((e for e in standing_steps(form, recent=recent) if e.action == "submit"), None)
