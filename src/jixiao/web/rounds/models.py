"""What a 填报任务 stores: the round, the units in scope and each unit's project list.

Registered with the ``web`` app (imported at the end of :mod:`jixiao.web.models`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models


def project_key(name: str) -> str:
    """A 项目名称 as compared with the forms' 项目名称: every whitespace removed (CJK has none
    of its own; wrapped cells and typing add it)."""
    return "".join(name.split())


class Round(models.Model):
    """A 自评 round opened by a 财政局: the year, a deadline and the units that must report;
    the same projects' 绩效目标申报表 and 执行监控表 go through the review chain too, each by
    its own deadline where one is set."""

    organisation = models.ForeignKey(
        "web.Organisation", on_delete=models.PROTECT, related_name="rounds", verbose_name="财政局"
    )
    title = models.CharField("任务名称", max_length=200)
    year = models.IntegerField("年度", db_index=True)
    deadline = models.DateField("截止日期")
    declaration_deadline = models.DateField("申报截止", null=True, blank=True)
    monitoring_deadline = models.DateField("监控截止", null=True, blank=True)
    closed = models.BooleanField("已结束", default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        ordering = ("closed", "-year", "deadline", "-id")
        verbose_name = "填报任务"
        verbose_name_plural = "填报任务"

    def __str__(self) -> str:
        return self.title


class RoundUnit(models.Model):
    """A 预算单位 in a round's scope, with its own deadline where 财政 set one."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="units", verbose_name="填报任务"
    )
    organisation = models.ForeignKey(
        "web.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="预算单位"
    )
    deadline = models.DateField("本单位截止日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "任务单位"
        constraints = (
            models.UniqueConstraint(fields=("round", "organisation"), name="round_unit_once"),
        )

    def effective_deadline(self, round_deadline: datetime.date) -> datetime.date:
        return self.deadline or round_deadline


class RoundProject(models.Model):
    """One project a unit must report in a round."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="projects", verbose_name="填报任务"
    )
    organisation = models.ForeignKey(
        "web.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="预算单位"
    )
    name = models.CharField("项目名称", max_length=300)
    key = models.CharField("项目名称（比对用）", max_length=300, editable=False)  # project_key
    code = models.CharField("项目编码", max_length=60, blank=True)
    amount = models.BigIntegerField("金额（万元，百分之一）", null=True, blank=True)  # hundredths
    position = models.IntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "任务项目"
        ordering = ("position", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("round", "organisation", "key"), name="round_project_once"
            ),
        )

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.key = project_key(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def amount_value(self) -> Decimal | None:
        return None if self.amount is None else Decimal(self.amount).scaleb(-2)
