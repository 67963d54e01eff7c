"""Recording a 复核: the reviewer's score and opinion per row, the 复核总分 and the gap, kept
beside the form's 自评 as it stood, with a line in the form's history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jixiao.policy import Policy, quantize
from jixiao.scoring import score_form
from jixiao.summary import signed
from jixiao.web.models import EvaluationForm, Event
from jixiao.web.notifications import notify
from jixiao.web.recheck.forms import Row
from jixiao.web.recheck.models import RecheckScore, RecheckTask, Verdict

ZERO = Decimal(0)


def self_total(obj: EvaluationForm, policy: Policy) -> Decimal | None:
    """The form's 自评总分: the 总分 it declares, else the sum of its declared scores."""
    form = obj.form
    if form.total_score is not None:
        return form.total_score
    return score_form(form, policy).declared_sum


@transaction.atomic
def record(
    task: RecheckTask,
    rows: list[Row],
    data: dict[str, Any],
    user: Any,
    policy: Policy,
) -> RecheckTask:
    """Store the 复核 of ``task`` from the cleaned :class:`RecordForm` data (replacing an
    earlier one): every row's 复核得分 beside its 自评得分 now, the 复核总分 (Σ 复核得分, in the
    policy's score rounding), the 自评总分 and the form's version."""
    obj = EvaluationForm.objects.select_related("body", "organisation").get(pk=task.form_id)
    task.scores.all().delete()
    RecheckScore.objects.bulk_create(
        [
            RecheckScore(
                task=task,
                position=row.position,
                name=row.name[:300],
                weight=row.weight,
                self_score=row.self_score,
                score=data[f"score_{row.position}"],
                opinion=data[f"opinion_{row.position}"][:2000],
            )
            for row in rows
        ]
    )
    total = sum((data[f"score_{row.position}"] for row in rows), ZERO)
    task.recheck_total = quantize(
        total, policy.indicators.score_places, policy.indicators.score_rounding
    )
    task.self_total = self_total(obj, policy)
    task.verdict = data["verdict"]
    task.conclusion = data["conclusion"].strip()
    task.form_version = obj.version
    first = task.done_at is None
    task.done_at = timezone.now()
    task.save()
    verdict = Verdict(task.verdict).label
    declared = "-" if task.self_total is None else task.self_total
    Event.objects.create(
        form=obj,
        user=user,
        kind=Event.Kind.RECHECK,
        comment=(
            f"{'完成' if first else '修改'}抽查复核（批次“{task.draw.title}”）：复核总分 "
            f"{task.recheck_total} 分，自评总分 {declared} 分，"
            f"差 {signed(task.gap)} 分。{verdict}。{task.conclusion}"
        )[:4000],
    )
    creator = task.draw.created_by
    if first and creator is not None and creator.is_active and creator.pk != user.pk:
        notify.send(
            [creator],
            f"“{obj.project}”（{obj.organisation.name}）已完成抽查复核：复核总分 "
            f"{task.recheck_total} 分，差 {signed(task.gap)} 分。",
            reverse("recheck-draw", args=[task.draw_id]),
            form=obj,
        )
    return task
