"""The 复核 results of a part of the unit tree in the shape :func:`jixiao.summary.summarize`
takes (``rechecks=``), and of one form for its page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from jixiao.summary import RecheckResult, RecheckRow, signed
from jixiao.web.models import EvaluationForm, Organisation, in_subtree
from jixiao.web.recheck.models import RecheckTask


def as_result(task: RecheckTask) -> RecheckResult:
    """One recorded 复核 as the summary's :class:`RecheckResult`."""
    assert task.recheck_total is not None
    obj = task.form
    return RecheckResult(
        project=obj.project,
        unit=obj.organisation.name,
        self_total=task.self_total,
        recheck_total=task.recheck_total,
        rows=tuple(RecheckRow(s.name, s.self_score, s.score) for s in task.scores.all()),
        conclusion=task.get_verdict_display(),
    )


def _done(tasks: QuerySet[RecheckTask]) -> QuerySet[RecheckTask]:
    return (
        tasks.filter(done_at__isnull=False, recheck_total__isnull=False)
        .select_related("form", "form__organisation")
        .prefetch_related("scores")
        .order_by("form__org_path", "form__project", "form_id", "-done_at", "-id")
    )


def recheck_results(
    node: Organisation, year: int | None = None, forms: Iterable[int] | None = None
) -> list[RecheckResult]:
    """The 复核 results of the forms under ``node`` (a 主管部门, a 预算单位, a 财政局), of
    ``year`` when given, and only of the forms with ids in ``forms`` when given (those a
    report counts): one per form, its latest recorded 复核 (a form drawn in two batches counts
    once). Pass them to ``summarize(..., rechecks=...)``."""
    tasks = RecheckTask.objects.filter(in_subtree(node.path, "form__org_path"))
    if year is not None:
        tasks = tasks.filter(form__year=year)
    if forms is not None:
        tasks = tasks.filter(form_id__in=list(forms))
    seen: set[int] = set()
    out = []
    for task in _done(tasks):
        if task.form_id in seen:
            continue
        seen.add(task.form_id)
        out.append(as_result(task))
    return out


def tasks_of(obj: EvaluationForm) -> list[RecheckTask]:
    """Every 复核 task of one form, newest draw first, with their scores and reviewers."""
    return list(
        obj.recheck_tasks.select_related("draw", "reviewer")
        .prefetch_related("scores")
        .order_by("-draw__created_at", "-id")
    )


def on_form_page(obj: EvaluationForm) -> list[dict[str, Any]]:
    """The form page's 抽查复核 section (jinja2/web/_recheck_section.jinja): each task with
    its signed gap, its rows with theirs, and whether the form changed since the 复核."""
    return [
        {
            "task": t,
            "gap": signed(t.gap),
            "rows": [(s, signed(s.gap)) for s in t.scores.all()],
            "stale": t.done and t.form_version not in (None, obj.version),
        }
        for t in tasks_of(obj)
    ]
