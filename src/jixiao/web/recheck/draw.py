"""Drawing a 抽查批次: the forms a draw may take, the sample by :func:`jixiao.sampling.draw_sample`
(or the forms ticked by hand), the tasks for the named reviewer and their notification.

The population is the year's forms under the 财政局 that the units have sent up (in review or
approved; drafts and returned forms are still the unit's), optionally only the units of one
填报任务. Each 主管部门 of the tree is drawn on its own, by the core sampler on the forms as
stored (their findings and inflation as of their last save), with the one recorded seed: the
same seed over the same forms draws the same sample, in the web and in ``jixiao sample``.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from jixiao.audit import FormAudit
from jixiao.sampling import draw_sample
from jixiao.web import core
from jixiao.web.models import IN_REVIEW, EvaluationForm, Organisation, Role, Status, in_subtree
from jixiao.web.notifications import notify
from jixiao.web.recheck.models import MANUAL, Draw, DrawDepartment, RecheckTask
from jixiao.web.rounds.models import Round

SUBMITTED = (*IN_REVIEW, Status.APPROVED)  # forms the units have sent up
# Who may be named 复核人: 财政审核 and 管理员 of the 财政局, 主管部门审核 of another department.
REVIEWER_ROLES = (Role.FINANCE_REVIEWER, Role.DEPARTMENT_REVIEWER, Role.ADMIN)


def population(node: Organisation, year: int, rnd: Round | None = None) -> QuerySet[EvaluationForm]:
    """The forms a draw under the 财政局 ``node`` may take (see the module's docstring)."""
    forms = EvaluationForm.objects.filter(in_subtree(node.path), year=year, status__in=SUBMITTED)
    if rnd is not None:
        forms = forms.filter(organisation__in=rnd.units.values("organisation"))
    return forms.select_related("organisation", "organisation__parent").order_by(
        "organisation__path", "project", "id"
    )


@dataclass
class DepartmentDraw:
    """One 主管部门's forms and the ones drawn, in the order drawn."""

    department: Organisation
    forms: list[EvaluationForm]
    drawn: list[EvaluationForm] = field(default_factory=list)

    @property
    def population(self) -> int:
        return len(self.forms)


def by_department(forms: Sequence[EvaluationForm]) -> list[DepartmentDraw]:
    """The forms grouped by the 主管部门 above their unit, departments in tree order."""
    groups: dict[int, DepartmentDraw] = {}
    for obj in forms:
        dept = obj.organisation.department
        if dept is None:
            continue
        groups.setdefault(dept.pk, DepartmentDraw(dept, [])).forms.append(obj)
    return sorted(groups.values(), key=lambda g: g.department.path)


def _audits(dept: Organisation, forms: Sequence[EvaluationForm]) -> list[FormAudit]:
    """The forms as the core sampler reads them: each form as stored, under the department's
    name in the tree, with its stored findings and inflation."""
    stored = EvaluationForm.objects.select_related("body").in_bulk([f.pk for f in forms])
    out = []
    for obj in forms:
        body = stored[obj.pk]
        form = body.form
        form.department = dept.name
        a = core.stored_assessment(form, body.findings, obj.inflation_value)
        out.append(a.audit(form))
    return out


def draw(
    groups: list[DepartmentDraw],
    method: str,
    *,
    count: int | None = None,
    share: Decimal | None = None,
    seed: int | None = None,
    chosen: Sequence[int] = (),
) -> int | None:
    """Fill each group's ``drawn``: by ``draw_sample`` (``share`` a fraction, 0.2 = 20 %), or
    the forms with ids in ``chosen`` (by hand). Returns the seed of a random draw."""
    if method == MANUAL:
        wanted = set(chosen)
        for g in groups:
            g.drawn = [obj for obj in g.forms if obj.pk in wanted]
        return None
    if method == "random" and seed is None:
        seed = secrets.randbelow(10**9)
    for g in groups:
        audits = _audits(g.department, g.forms)
        sample = draw_sample(audits, method, count=count, share=share, seed=seed)  # type: ignore[arg-type]
        g.drawn = [g.forms[x.index] for d in sample.departments for x in d.drawn]
    return seed if method == "random" else None


def eligible_reviewers(node: Organisation) -> QuerySet[Any]:
    """Active users under the 财政局 ``node`` who may be named 复核人."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__role__in=REVIEWER_ROLES,
            profile__organisation__path__startswith=node.path,
        )
        .select_related("profile", "profile__organisation")
        .order_by("profile__organisation__path", "username")
    )


def conflict(reviewer: Any, department: Organisation) -> str | None:
    """Why ``reviewer`` may not re-check forms of ``department`` (回避), or None."""
    profile = getattr(reviewer, "profile", None)
    if profile is None:
        return "复核人没有所属单位"
    if profile.organisation.path.startswith(department.path):
        name = reviewer.get_full_name() or reviewer.get_username()
        return f"复核人“{name}”属于“{department.name}”，不能复核本部门的自评表（回避）"
    return None


@transaction.atomic
def create(
    node: Organisation,
    user: Any,
    *,
    title: str,
    year: int,
    rnd: Round | None,
    method: str,
    groups: list[DepartmentDraw],
    seed: int | None,
    count: int | None,
    share_percent: Decimal | None,
    reviewer: Any,
    token: uuid.UUID | None = None,
) -> Draw:
    """Store the draw, each department's population and one task per drawn form for
    ``reviewer``; tell the reviewer."""
    d = Draw.objects.create(
        organisation=node,
        title=title,
        year=year,
        round=rnd,
        method=method,
        seed=seed,
        count=count,
        share=share_percent,
        created_by=user,
        token=token,
    )
    DrawDepartment.objects.bulk_create(
        [DrawDepartment(draw=d, department=g.department, population=g.population) for g in groups]
    )
    tasks = [
        RecheckTask(
            draw=d,
            form=obj,
            department=g.department,
            rank=rank,
            reviewer=reviewer,
            inflation=obj.inflation,
            errors=obj.errors,
        )
        for g in groups
        for rank, obj in enumerate(g.drawn, start=1)
    ]
    RecheckTask.objects.bulk_create(tasks)
    if tasks:
        notify.send(
            [reviewer],
            f"抽查批次“{title}”：请您复核 {len(tasks)} 张自评表。",
            reverse("inbox") + "#recheck-tasks",
        )
    return d


def reassign(task: RecheckTask, reviewer: Any) -> None:
    """Name another 复核人 for an open task and tell them."""
    task.reviewer = reviewer
    task.save(update_fields=["reviewer"])
    obj = task.form
    notify.send(
        [reviewer],
        f"请您复核{obj.year or ''}年度“{obj.project}”（{obj.organisation.name}）"
        f"（抽查批次“{task.draw.title}”）。",
        reverse("recheck-task", args=[task.pk]),
        form=obj,
    )
