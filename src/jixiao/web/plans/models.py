"""A stored 绩效目标申报表 or 绩效目标执行监控表 of one unit (canonical JSON, jixiao.plans), and
where it stands in the review chain (the 自评表's, workflow.py).

Registered with the ``web`` app (imported at the end of :mod:`jixiao.web.models`).
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from jixiao.audit.monitoring import audit_monitoring
from jixiao.plans import Monitoring, TargetDeclaration, document_from_dict
from jixiao.web.models import PROJECT_LENGTH, Status


class PlanRecord(models.Model):
    """One 申报表 or 监控表 of a unit's project and year; a 申报表's ``stage`` says whether it
    is as filed (申报), approved (批复) or an approved adjustment (调整). Each goes through
    the district's review chain (``status``, as a 自评表 does); a 申报表 reaching 审核通过 is
    approved (批复, or 调整 when it ``adjusts`` an approved one)."""

    class Kind(models.TextChoices):
        DECLARATION = "declaration", "绩效目标申报表"
        MONITORING = "monitoring", "绩效目标执行监控表"

    class Stage(models.TextChoices):
        FILED = "申报", "申报"
        APPROVED = "批复", "批复"
        ADJUSTED = "调整", "调整"

    organisation = models.ForeignKey(
        "web.Organisation", on_delete=models.PROTECT, related_name="plans", verbose_name="实施单位"
    )
    org_path = models.CharField("单位路径", max_length=255, db_index=True, editable=False)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    year = models.IntegerField("年度", null=True)
    project = models.CharField("项目名称", max_length=PROJECT_LENGTH)
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # An 调整 (adjusted targets) filed by the unit: the approved 申报表 it adjusts, and why.
    adjusts = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
        verbose_name="调整的申报表",
    )
    reason = models.TextField("调整说明", blank=True)
    document = models.TextField("内容（规范 JSON）")
    source = models.CharField("来源文件", max_length=300, blank=True)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="导入人",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="修改人",
    )
    approved_at = models.DateTimeField("批复时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="批复人",
    )

    class Meta:
        verbose_name = "绩效目标表"
        verbose_name_plural = "绩效目标表"
        ordering = ("-year", "project", "kind", "id")
        indexes = (models.Index(fields=["organisation", "project", "year"]),)

    def __str__(self) -> str:
        return f"{self.year or ''} {self.project} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("plan-detail", args=[self.pk])

    @property
    def doc(self) -> TargetDeclaration | Monitoring:
        return document_from_dict(json.loads(self.document), kind=self.kind)

    @property
    def approved(self) -> bool:
        return self.kind == self.Kind.DECLARATION and self.stage in (
            self.Stage.APPROVED,
            self.Stage.ADJUSTED,
        )

    @property
    def editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)

    @property
    def stage_label(self) -> str:
        """批复 / 调整 / 申报, and 调整申请 for an adjustment not yet approved."""
        if self.adjusts_id and not self.approved:
            return "调整申请"
        return str(self.get_stage_display()) if self.stage else ""

    # What the review chain reads of a reviewed object (workflow.py, review.py), as of a
    # 自评表: its findings (M01–M03 of a 监控表; a 申报表 has none), counted.
    @cached_property
    def findings(self) -> list[dict[str, Any]]:
        doc = self.doc
        if not isinstance(doc, Monitoring):
            return []
        return [f.to_dict() for f in audit_monitoring(doc)]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.get("severity") == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.get("severity") == "warning")

    inflation_value = None

    def indicator_names(self) -> list[str]:
        """The 三级指标 of the document, in order (the rows a 批注 goes on)."""
        return [i.name for i in self.doc.indicators]

    def after_step(self, before: str, after: str, user: Any) -> None:
        """A 申报表 reaching 审核通过 is approved: 批复, or 调整 when it adjusts an approved one;
        one reopened from 审核通过 is as filed again (its targets no longer count)."""
        if self.kind != self.Kind.DECLARATION:
            return
        if after == Status.APPROVED:
            stage = self.Stage.ADJUSTED if self.adjusts_id else self.Stage.APPROVED
            self.approved_by, self.approved_at = user, timezone.now()
        elif before == Status.APPROVED:
            stage = self.Stage.FILED
            self.approved_by, self.approved_at = None, None
        else:
            return
        doc = self.doc
        assert isinstance(doc, TargetDeclaration)
        doc.stage = str(stage)  # type: ignore[assignment]
        self.stage = stage
        self.document = json.dumps(doc.to_json_dict(), ensure_ascii=False)
        self.save(update_fields=["stage", "document", "approved_by", "approved_at"])
