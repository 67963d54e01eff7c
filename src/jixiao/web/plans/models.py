"""A stored 绩效目标申报表 or 绩效目标执行监控表 of one unit (canonical JSON, jixiao.plans).

Registered with the ``web`` app (imported at the end of :mod:`jixiao.web.models`).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models

from jixiao.plans import Monitoring, TargetDeclaration, document_from_dict


class PlanRecord(models.Model):
    """One 申报表 or 监控表 of a unit's project and year, as imported; a 申报表's ``stage``
    says whether it is as filed (申报), approved (批复) or an approved adjustment (调整)."""

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
    project = models.CharField("项目名称", max_length=300)
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices, blank=True)
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

    @property
    def doc(self) -> TargetDeclaration | Monitoring:
        return document_from_dict(json.loads(self.document), kind=self.kind)

    @property
    def approved(self) -> bool:
        return self.kind == self.Kind.DECLARATION and self.stage in (
            self.Stage.APPROVED,
            self.Stage.ADJUSTED,
        )
