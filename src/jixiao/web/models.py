"""What the web system stores: the organisation tree, users' roles, forms and their history.

A form is kept as its canonical JSON text (exact decimals on every database) plus summary
columns for lists and dashboards; money and scores in those columns are integer hundredths
(``8525`` = 85.25), computed by the core, never used for arithmetic that goes back into a form.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from jixiao.model import SelfEvaluation, form_from_dict


class Organisation(models.Model):
    """A node of the tree 财政局 → 主管部门 → 预算单位."""

    class Kind(models.TextChoices):
        FINANCE = "finance", "财政局"
        DEPARTMENT = "department", "主管部门"
        UNIT = "unit", "预算单位"

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path "/1/4/9/": a node's subtree is every path starting with its own.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        ordering = ("path",)
        verbose_name = "组织"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            Organisation.objects.filter(pk=self.pk).update(path=path)

    def ancestors(self) -> list[Organisation]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        by_id = Organisation.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def subtree(self) -> models.QuerySet[Organisation]:
        return Organisation.objects.filter(in_subtree(self.path, "path"))

    @property
    def department(self) -> Organisation | None:
        """The 主管部门 this node belongs to (itself, for a department)."""
        return next((a for a in self.ancestors() if a.kind == self.Kind.DEPARTMENT), None)


def in_subtree(path: str, field: str = "org_path") -> models.Q:
    """Rows whose materialised path starts with ``path`` ("/1/4/"), as an index range:
    every such path lies in [path, path with its last "/" raised to "0") because "/" < "0"."""
    return models.Q(**{f"{field}__gte": path, f"{field}__lt": path[:-1] + "0"})


class Role(models.TextChoices):
    FILLER = "filler", "填报人"
    UNIT_REVIEWER = "unit_reviewer", "单位审核"
    DEPARTMENT_REVIEWER = "department_reviewer", "主管部门审核"
    FINANCE_REVIEWER = "finance_reviewer", "财政审核"
    ADMIN = "admin", "管理员"


class Profile(models.Model):
    """A user's place in the tree and role; they see that node's subtree only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    role = models.CharField("角色", max_length=30, choices=Role.choices)

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.get_role_display()}，{self.organisation}）"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已送审"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "被退回"


# A form "stands out" as inflated when its indicators claim at least this many percentage
# points more completion than its budget execution supports (the audit's inflation figure).
INFLATED_POINTS = 10
INFLATED = INFLATED_POINTS * 100  # in hundredths, as stored


def hundredths(value: Decimal | None) -> int | None:
    """A Decimal as integer hundredths (85.25 → 8525), half-up; None stays None."""
    if value is None:
        return None
    return int((value * 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def from_hundredths(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-2)


def _decimal(column: str) -> property:
    """A read-only property: the integer-hundredths ``column`` as a Decimal (None stays None)."""
    return property(lambda obj: from_hundredths(getattr(obj, column)))


class EvaluationForm(models.Model):
    """One 财政项目支出绩效自评表 of one unit, with its summary columns."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="forms", verbose_name="实施单位"
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Summary columns, recomputed from the document on every save.
    year = models.IntegerField("年度", null=True, db_index=True)
    project = models.CharField("项目名称", max_length=300, db_index=True)
    unit_name = models.CharField("实施单位（表上）", max_length=200, blank=True)
    declared_total = models.IntegerField(null=True)  # 总分 declared, hundredths
    computed_total = models.IntegerField(null=True, db_index=True)  # 总分 computed
    rate = models.IntegerField(null=True, db_index=True)  # 执行率 computed, hundredths
    budget = models.BigIntegerField(null=True)  # 全年预算数 (total), hundredths
    inflation = models.IntegerField(null=True, db_index=True)  # self-score inflation
    declared_grade = models.CharField(max_length=10, blank=True)
    computed_grade = models.CharField(max_length=10, blank=True, db_index=True)
    errors = models.IntegerField(default=0, db_index=True)
    warnings = models.IntegerField(default=0)
    findings_count = models.IntegerField(default=0, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-year", "project", "id")
        indexes = (
            models.Index(fields=["org_path", "year"]),
            models.Index(fields=["status", "org_path"]),
            models.Index(fields=["org_path", "updated_at"]),
        )

    def __str__(self) -> str:
        return f"{self.year or ''} {self.project}"

    @property
    def document(self) -> str:
        """The canonical JSON text of the form."""
        return self.body.document

    @property
    def form(self) -> SelfEvaluation:
        return form_from_dict(json.loads(self.document, parse_float=Decimal))

    @property
    def findings(self) -> list[dict[str, Any]]:
        return list(json.loads(self.body.findings_json))

    # The summary columns as Decimals (8525 → 85.25), for the templates.
    declared_total_value = _decimal("declared_total")
    computed_total_value = _decimal("computed_total")
    rate_value = _decimal("rate")
    inflation_value = _decimal("inflation")

    @property
    def is_inflated(self) -> bool:
        return self.inflation is not None and self.inflation >= INFLATED

    @property
    def editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)


class FormDocument(models.Model):
    """The form's canonical JSON and its findings, apart from the summary row so that lists
    and dashboards scan small rows only."""

    form = models.OneToOneField(
        EvaluationForm, primary_key=True, on_delete=models.CASCADE, related_name="body"
    )
    document = models.TextField("表单（规范 JSON）")
    findings_json = models.TextField(default="[]")


class FormFinding(models.Model):
    """One audit finding of a form, kept for the dashboard's counts (rule, severity)."""

    form = models.ForeignKey(EvaluationForm, on_delete=models.CASCADE, related_name="finding_rows")
    org_path = models.CharField(max_length=255)
    rule = models.CharField(max_length=10, db_index=True)
    severity = models.CharField(max_length=10)
    title = models.CharField(max_length=200)

    class Meta:
        # (org_path, rule) covers the dashboard's count by rule within a subtree
        indexes = (models.Index(fields=["org_path", "rule"]),)


class Event(models.Model):
    """One entry of a form's history: a transition, an edit, an import, a comment."""

    class Kind(models.TextChoices):
        CREATE = "create", "新建"
        IMPORT = "import", "导入"
        EDIT = "edit", "修改"
        TRANSITION = "transition", "状态变更"
        COMMENT = "comment", "意见"

    form = models.ForeignKey(EvaluationForm, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=20, blank=True, choices=Status.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=Status.choices)
    comment = models.TextField(blank=True)
    # [{"field": path, "label": Chinese label, "old": str|None, "new": str|None}, ...]
    changes_json = models.TextField(default="[]")

    class Meta:
        ordering = ("-at", "-id")

    @property
    def changes(self) -> list[dict[str, Any]]:
        return list(json.loads(self.changes_json))


class LoginFailure(models.Model):
    """A failed log-in, for throttling (by user name and by address)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)


# Models of other parts, in their own modules and registered with this app.
from jixiao.web.notifications import models as _notifications  # noqa: E402, F401
from jixiao.web.rounds import models as _rounds  # noqa: E402, F401
