"""What 抽查复核 stores: a draw (抽查批次) with its rule and seed, each department's population,
one 复核 task per sampled form for a named reviewer, and the reviewer's score per row.

Registered with the ``web`` app (imported at the end of :mod:`jixiao.web.models`). Scores are
DecimalFields of two places (exact on SQLite and PostgreSQL alike); the pages refuse a
复核得分 with more places than that or than the policy's.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from jixiao.sampling import METHODS

MANUAL = "manual"
METHOD_CHOICES = [*METHODS.items(), (MANUAL, "手工勾选")]
EXECUTION_ROW = 0  # RecheckScore.position of the 预算执行率 row (indicators are 1, 2, …)


class Draw(models.Model):
    """A 抽查批次: which forms 财政 drew for 复核, by which rule, with which seed."""

    organisation = models.ForeignKey(
        "web.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="财政局"
    )
    title = models.CharField("批次名称", max_length=200)
    year = models.IntegerField("年度", db_index=True)
    round = models.ForeignKey(
        "web.Round",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="填报任务",
    )
    method = models.CharField("抽取方式", max_length=20, choices=METHOD_CHOICES)
    seed = models.BigIntegerField("随机种子", null=True, blank=True)
    count = models.PositiveIntegerField("每个主管部门抽取张数", null=True, blank=True)
    share = models.DecimalField(
        "每个主管部门抽取比例（%）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="抽取人",
    )
    created_at = models.DateTimeField("抽取时间", auto_now_add=True)
    # The preview page's one-time key: 确认 clicked twice (or a resent POST) stores one draw.
    token = models.UUIDField("提交标识", null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = verbose_name_plural = "抽查批次"

    def __str__(self) -> str:
        return self.title

    @property
    def size_label(self) -> str:
        """每个主管部门抽几张: "2 张", "20% （向上取整，至少 1 张）" or "手工勾选"."""
        if self.count is not None:
            return f"每个主管部门 {self.count} 张"
        if self.share is not None:
            return f"每个主管部门 {self.share.normalize():f}%（向上取整，至少 1 张）"
        return "手工勾选"


class DrawDepartment(models.Model):
    """One 主管部门 of a draw: how many forms it had to draw from."""

    draw = models.ForeignKey(
        Draw, on_delete=models.CASCADE, related_name="departments", verbose_name="抽查批次"
    )
    department = models.ForeignKey(
        "web.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="主管部门"
    )
    population = models.PositiveIntegerField("可抽表数")

    class Meta:
        ordering = ("department__path", "id")
        verbose_name = verbose_name_plural = "抽查部门"
        constraints = (
            models.UniqueConstraint(fields=("draw", "department"), name="draw_department_once"),
        )


class Verdict(models.TextChoices):
    AGREE = "agree", "认可自评结果"
    ADJUST = "adjust", "部分认可，复核调整得分"
    DISAGREE = "disagree", "不认可自评结果"


class RecheckTask(models.Model):
    """One sampled form, to be re-scored by a named reviewer."""

    draw = models.ForeignKey(
        Draw, on_delete=models.CASCADE, related_name="tasks", verbose_name="抽查批次"
    )
    form = models.ForeignKey(
        "web.EvaluationForm",
        on_delete=models.CASCADE,
        related_name="recheck_tasks",
        verbose_name="自评表",
    )
    department = models.ForeignKey(
        "web.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="主管部门"
    )
    rank = models.PositiveIntegerField("抽中顺序", default=1)  # within its department
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="recheck_tasks",
        verbose_name="复核人",
    )
    # What the form showed when drawn: inflation (hundredths) and 错误 (the rule's figures).
    inflation = models.IntegerField("抽取时自评虚高（×100）", null=True, blank=True)
    errors = models.IntegerField("抽取时错误数", default=0)
    assigned_at = models.DateTimeField("分派时间", auto_now_add=True)
    done_at = models.DateTimeField("复核时间", null=True, blank=True, db_index=True)
    verdict = models.CharField("复核结论", max_length=20, choices=Verdict.choices, blank=True)
    conclusion = models.TextField("复核意见", blank=True)
    self_total = models.DecimalField(
        "自评总分", max_digits=9, decimal_places=2, null=True, blank=True
    )
    recheck_total = models.DecimalField(
        "复核总分", max_digits=9, decimal_places=2, null=True, blank=True
    )
    form_version = models.PositiveIntegerField("复核时表单版本", null=True, blank=True)

    class Meta:
        ordering = ("draw", "department__path", "rank", "id")
        verbose_name = verbose_name_plural = "复核任务"
        constraints = (models.UniqueConstraint(fields=("draw", "form"), name="recheck_form_once"),)
        indexes = (models.Index(fields=["reviewer", "done_at"]),)

    def __str__(self) -> str:
        return f"复核：{self.form}"

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def inflation_value(self) -> Decimal | None:
        return None if self.inflation is None else Decimal(self.inflation).scaleb(-2)

    @property
    def gap(self) -> Decimal | None:
        """复核总分 − 自评总分 (negative: the unit scored itself higher)."""
        if self.recheck_total is None or self.self_total is None:
            return None
        return self.recheck_total - self.self_total


class RecheckScore(models.Model):
    """The reviewer's 复核得分 and 复核意见 on one row, beside the unit's 自评得分 then."""

    task = models.ForeignKey(
        RecheckTask, on_delete=models.CASCADE, related_name="scores", verbose_name="复核任务"
    )
    position = models.PositiveIntegerField("行")  # 0: 预算执行率; 1, 2, …: indicator rows
    name = models.CharField("指标", max_length=300)
    weight = models.DecimalField("分值", max_digits=9, decimal_places=2, null=True, blank=True)
    self_score = models.DecimalField(
        "自评得分", max_digits=9, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField("复核得分", max_digits=9, decimal_places=2)
    opinion = models.TextField("复核意见", blank=True)

    class Meta:
        ordering = ("task", "position")
        verbose_name = verbose_name_plural = "复核得分"
        constraints = (
            models.UniqueConstraint(fields=("task", "position"), name="recheck_row_once"),
        )

    @property
    def gap(self) -> Decimal | None:
        return None if self.self_score is None else self.score - self.self_score
