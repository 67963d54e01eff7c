"""What the web system stores: the organisation tree, users' roles, forms and their history.

A form is kept as its canonical JSON text (exact decimals on every database) plus summary
columns for lists and dashboards; money and scores in those columns are integer hundredths
(``8525`` = 85.25), computed by the core, never used for arithmetic that goes back into a form.
"""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.db.models.signals import post_delete

from jixiao.model import SelfEvaluation, form_from_stored


class ReturnTo(models.TextChoices):
    """Where a district's 退回 sends a form."""

    FILLER = "filler", "退回填报人"
    PREVIOUS = "previous", "退回下一级审核"


class Organisation(models.Model):
    """A node of the tree 财政局 → 主管部门 → 预算单位."""

    class Kind(models.TextChoices):
        FINANCE = "finance", "财政局"
        DEPARTMENT = "department", "主管部门"
        UNIT = "unit", "预算单位"

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    # 单位编码: unique; required on the pages (rows made before it existed got one in 0003).
    code = models.CharField(
        "单位编码",
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9A-Za-z]+$", "单位编码只能由数字和英文字母组成，如 301001。")
        ],
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级单位",
    )
    # Materialised path "/1/4/9/": a node's subtree is every path starting with its own.
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")
    # 已撤销: no new forms or users; kept with its forms and history, can be reopened.
    closed_at = models.DateTimeField("撤销时间", null=True, blank=True)
    # The review chain of a district, read on its 财政 node (see workflow.py).
    review_unit = models.BooleanField("单位审核", default=True)
    review_department = models.BooleanField("主管部门审核", default=True)
    review_finance = models.BooleanField("财政审核", default=True)
    return_to = models.CharField(
        "退回到", max_length=20, choices=ReturnTo.choices, default=ReturnTo.FILLER
    )

    class Meta:
        ordering = ("path",)
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.name

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    def clean(self) -> None:
        message = kind_fit_error(self.kind, self.parent)
        if message:
            raise ValidationError({"parent": message})
        if self.parent is not None and self.parent.closed and self._parent_changed():
            raise ValidationError({"parent": f"上级单位“{self.parent.name}”已撤销"})

    def _parent_changed(self) -> bool:
        if self.pk is None:
            return True
        old = Organisation.objects.filter(pk=self.pk).values_list("parent_id", flat=True).first()
        return bool(old != self.parent_id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; the kind must fit the parent. A new parent moves the whole subtree: the
        nodes' paths and their forms' ``org_path`` follow in the same transaction."""
        message = kind_fit_error(self.kind, self.parent)
        if message:
            raise ValidationError({"parent": message})
        nodes = Organisation.objects
        with transaction.atomic():
            # Paths as stored now, not as this (perhaps stale) instance remembers them.
            old = nodes.filter(pk=self.pk).values_list("path", flat=True).first() if self.pk else ""
            above = nodes.filter(pk=self.parent_id).values_list("path", flat=True).first()
            self.path = old or ""
            super().save(*args, **kwargs)
            path = f"{above or '/'}{self.pk}/"
            if old and old != path:
                _move_paths(old, path)
            elif not old:
                nodes.filter(pk=self.pk).update(path=path)
            self.path = path

    def ancestors(self) -> list[Organisation]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        by_id = Organisation.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def subtree(self) -> models.QuerySet[Organisation]:
        return Organisation.objects.filter(in_subtree(self.path, "path"))

    @property
    def department(self) -> Organisation | None:
        """The 主管部门 this node belongs to (itself, for a department; by ``PARENT_KIND`` a
        预算单位's parent is its 主管部门)."""
        if self.kind == self.Kind.DEPARTMENT:
            return self
        return self.parent if self.kind == self.Kind.UNIT else None


# Where each kind of node may stand: the kind its parent must have (None: at the top).
PARENT_KIND: dict[str, str | None] = {
    Organisation.Kind.FINANCE: None,
    Organisation.Kind.DEPARTMENT: Organisation.Kind.FINANCE,
    Organisation.Kind.UNIT: Organisation.Kind.DEPARTMENT,
}


def kind_fit_error(kind: str, parent: Organisation | None) -> str | None:
    """Why a node of ``kind`` cannot stand under ``parent`` (Chinese), or None when it can."""
    if kind not in PARENT_KIND:
        return "请选择单位类型"
    label = Organisation.Kind(kind).label
    wanted = PARENT_KIND[kind]
    if wanted is None:
        return f"{label}只能是最上级单位，不能有上级单位" if parent is not None else None
    wanted_label = Organisation.Kind(wanted).label
    if parent is None:
        return f"{label}必须设在某个{wanted_label}之下"
    if parent.kind != wanted:
        return f"{label}只能设在{wanted_label}之下，“{parent.name}”是{parent.get_kind_display()}"
    return None


def _move_paths(old: str, new: str) -> None:
    """Replace the path prefix ``old`` by ``new`` for every node of the subtree and every
    row that carries an ``org_path`` in it (forms, their findings)."""
    cut = len(old) + 1

    def moved(field: str) -> Concat:
        return Concat(Value(new), Substr(field, cut), output_field=models.CharField())

    Organisation.objects.filter(in_subtree(old, "path")).update(path=moved("path"))
    for model in (EvaluationForm, FormFinding):
        model.objects.filter(in_subtree(old)).update(org_path=moved("org_path"))


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


# Where each role may stand in the tree.
ROLE_KINDS: dict[str, tuple[str, ...]] = {
    Role.FILLER: (Organisation.Kind.UNIT,),
    Role.UNIT_REVIEWER: (Organisation.Kind.UNIT,),
    Role.DEPARTMENT_REVIEWER: (Organisation.Kind.DEPARTMENT,),
    Role.FINANCE_REVIEWER: (Organisation.Kind.FINANCE,),
    Role.ADMIN: (Organisation.Kind.FINANCE,),
}


def role_fit_error(role: str, organisation: Organisation | None) -> str | None:
    """Why ``role`` cannot be held at ``organisation`` (Chinese), or None when it can."""
    if organisation is None:
        return "每个用户都必须有所属单位"
    if role not in ROLE_KINDS:
        return "请选择角色"
    kinds = ROLE_KINDS[role]
    if organisation.kind in kinds:
        return None
    where = "或".join(Organisation.Kind(k).label for k in kinds)
    return (
        f"角色“{Role(role).label}”只能设在{where}，"
        f"“{organisation.name}”是{organisation.get_kind_display()}"
    )


class Profile(models.Model):
    """A user's place in the tree and role; they see that node's subtree only.

    The role must fit the node (``ROLE_KINDS``); ``save`` checks it, so no path — the pages,
    the demo data, the tests, Django's admin — stores a 财政审核 under a 预算单位."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name="用户",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name="所属单位"
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = "角色与所属单位"
        verbose_name_plural = "角色与所属单位"

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.get_role_display()}，{self.organisation}）"

    def clean(self) -> None:
        organisation = (
            Organisation.objects.filter(pk=self.organisation_id).first()
            if self.organisation_id
            else None
        )
        message = role_fit_error(self.role, organisation)
        if message:
            raise ValidationError({"role" if organisation else "organisation": message})
        assert organisation is not None
        if organisation.closed and self._organisation_changed():
            raise ValidationError({"organisation": f"“{organisation.name}”已撤销，不能再添加用户"})

    def _organisation_changed(self) -> bool:
        if self.pk is None:
            return True
        old = Profile.objects.filter(pk=self.pk).values_list("organisation_id", flat=True).first()
        return bool(old != self.organisation_id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.clean()
        super().save(*args, **kwargs)


PROJECT_LENGTH = 300  # a project name as stored and looked up


def stored_project(name: str) -> str:
    """A project name as the records store it: the 自评表 and the plans of a project are
    stored and found under the same (cut) name."""
    return name[:PROJECT_LENGTH]


class Status(models.TextChoices):
    """A form's state; the steps between them are the table in workflow.py."""

    DRAFT = "draft", "草稿"
    UNIT_REVIEW = "unit_review", "单位审核中"
    DEPARTMENT_REVIEW = "department_review", "主管部门审核中"
    FINANCE_REVIEW = "finance_review", "财政审核中"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "被退回"


# A form's review levels, lowest first: the state in which it waits there, the role that acts
# there, and the field of the district's 财政 node that switches the level on (workflow.py).
REVIEW_LEVELS: tuple[tuple[str, str, str], ...] = (
    (Status.UNIT_REVIEW, Role.UNIT_REVIEWER, "review_unit"),
    (Status.DEPARTMENT_REVIEW, Role.DEPARTMENT_REVIEWER, "review_department"),
    (Status.FINANCE_REVIEW, Role.FINANCE_REVIEWER, "review_finance"),
)
# The states in which a form waits at a review level (审核中), lowest level first.
IN_REVIEW: tuple[str, ...] = tuple(status for status, _, _ in REVIEW_LEVELS)


# A form "stands out" as inflated when its indicators claim at least this many percentage
# points more completion than its budget execution supports (the audit's inflation figure).
INFLATED_POINTS = 10
INFLATED = INFLATED_POINTS * 100  # in hundredths, as stored


def form_from_document(document: str) -> SelfEvaluation:
    """A stored canonical JSON text as the form (exact decimals); a text stored before the
    model refused control characters is read without them (:func:`document_notes`)."""
    return form_from_stored(json.loads(document, parse_float=Decimal))[0]


# What a stored document shows of a control character or a lone surrogate: a JSON escape
# (\u0000 … \u001f, \b, \f, \ud800 …) or the character itself (DEL and C1 are not escaped).
_SUSPECT = re.compile(
    r"\\(?:u00[01]|u007f|u008|u009|ud[89ab]|[bf])|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", re.I
)


def document_notes(document: str) -> list[str]:
    """What was left out to read a stored document (Chinese, one note per text); empty for
    every document stored since the model refuses such characters (a quick scan decides)."""
    if _SUSPECT.search(document) is None:
        return []
    return form_from_stored(json.loads(document, parse_float=Decimal))[1]


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


NEWEST_INDEX = "web_form_year_newest_idx"


class EvaluationForm(models.Model):
    """One 财政项目支出绩效自评表 of one unit, with its summary columns."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="forms", verbose_name="实施单位"
    )
    org_path = models.CharField("单位路径", max_length=255, db_index=True, editable=False)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Summary columns, recomputed from the document on every save.
    year = models.IntegerField("年度", null=True, db_index=True)
    project = models.CharField("项目名称", max_length=PROJECT_LENGTH, db_index=True)
    unit_name = models.CharField("实施单位（表上）", max_length=200, blank=True)
    # In hundredths: 总分 declared and computed, 执行率, 全年预算数 (total), self-score inflation.
    declared_total = models.IntegerField("总分（自评，×100）", null=True)
    computed_total = models.IntegerField("总分（计算，×100）", null=True, db_index=True)
    rate = models.IntegerField("执行率（计算，×100）", null=True, db_index=True)
    budget = models.BigIntegerField("全年预算数（×100）", null=True)
    inflation = models.IntegerField("自评虚高（×100）", null=True, db_index=True)
    declared_grade = models.CharField("评分等级（自评）", max_length=10, blank=True)
    computed_grade = models.CharField("评分等级（计算）", max_length=10, blank=True, db_index=True)
    errors = models.IntegerField("错误数", default=0, db_index=True)
    warnings = models.IntegerField("警告数", default=0)
    findings_count = models.IntegerField("问题数", default=0, db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True, db_index=True)
    # Raised by one on every saved edit; a save names the version it was made from
    # (records.update), so a save made from an older version is refused, not applied.
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="修改人",
    )

    class Meta:
        verbose_name = "自评表"
        verbose_name_plural = "自评表"
        ordering = ("-year", "project", "id")
        indexes = (
            models.Index(fields=["org_path", "year"]),
            models.Index(fields=["status", "org_path"]),
            models.Index(fields=["org_path", "updated_at"]),
            # the list's default page (one year, newest first) from the index alone, however
            # wide the user's part of the tree: no row is read to sort
            models.Index(fields=["year", "org_path", "updated_at"]),
            # and for a wide part of the tree, the page found walking the year newest first,
            # nothing sorted (views.NewestFirst chooses between the two)
            models.Index(fields=["year", "updated_at", "id", "org_path"], name=NEWEST_INDEX),
        )

    def __str__(self) -> str:
        return f"{self.year or ''} {self.project}"

    @property
    def document(self) -> str:
        """The canonical JSON text of the form."""
        return self.body.document

    @property
    def form(self) -> SelfEvaluation:
        return form_from_document(self.document)

    @property
    def document_notes(self) -> list[str]:
        """Control characters left out when the stored document was read (see
        :func:`document_notes`); gone at the next save."""
        return document_notes(self.document)

    @property
    def findings(self) -> list[dict[str, Any]]:
        """The audit findings stored when the form was last saved (Finding.to_dict)."""
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
        EvaluationForm,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="body",
        verbose_name="自评表",
    )
    document = models.TextField("表单（规范 JSON）")
    findings_json = models.TextField("审核发现（JSON）", default="[]")

    class Meta:
        verbose_name = "表单内容"
        verbose_name_plural = "表单内容"


class FormView(models.Model):
    """The parts of the form page drawn from the stored form (web/form_cache.py): its official
    layout with the reviewer's notes and the panel of computed results, each zlib-compressed
    UTF-8, under the digest of what they are drawn from (``key``: the document, findings and
    inflation stored, the forced policy and the package's code). Written with the form
    (records); a page whose key differs draws them anew. Derived data: not in backups."""

    form = models.OneToOneField(
        EvaluationForm,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="view",
        verbose_name="自评表",
    )
    key = models.BinaryField("摘要", max_length=20)
    official = models.BinaryField("官方格式（审核视图）")
    panel = models.BinaryField("计算结果")

    class Meta:
        verbose_name = "表单页面"
        verbose_name_plural = "表单页面"


class FormFinding(models.Model):
    """One audit finding of a form, kept for the dashboard's counts (rule, severity)."""

    form = models.ForeignKey(
        EvaluationForm, on_delete=models.CASCADE, related_name="finding_rows", verbose_name="自评表"
    )
    org_path = models.CharField("单位路径", max_length=255)
    rule = models.CharField("规则", max_length=10, db_index=True)
    severity = models.CharField("严重程度", max_length=10)
    title = models.CharField("问题", max_length=200)

    class Meta:
        verbose_name = "审核发现"
        verbose_name_plural = "审核发现"
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
        EVIDENCE = "evidence", "佐证材料"
        RECHECK = "recheck", "抽查复核"

    # A form's, or (its review) a 申报表's or 监控表's: exactly one of the two.
    form = models.ForeignKey(
        EvaluationForm,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name="自评表",
    )
    plan = models.ForeignKey(
        "web.PlanRecord",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name="绩效目标表",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="操作人",
    )
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    from_status = models.CharField("原状态", max_length=20, blank=True, choices=Status.choices)
    to_status = models.CharField("新状态", max_length=20, blank=True, choices=Status.choices)
    # The workflow step (workflow.TRANSITIONS' name) of a transition.
    action = models.CharField("步骤", max_length=20, blank=True)
    comment = models.TextField("意见", blank=True)
    # [{"field": path, "label": Chinese label, "old": str|None, "new": str|None}, ...]
    changes_json = models.TextField("修改内容", default="[]")
    # 送审: the 说明 written for each 错误 [{"rule", "place", "message", "explanation"}, ...]
    explanations_json = models.TextField("错误说明", default="[]")

    class Meta:
        verbose_name = "历史记录"
        verbose_name_plural = "历史记录"
        ordering = ("-at", "-id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(form__isnull=False, plan__isnull=True)
                | models.Q(form__isnull=True, plan__isnull=False),
                name="event_form_or_plan",
            ),
        )

    @property
    def changes(self) -> list[dict[str, Any]]:
        return list(json.loads(self.changes_json))

    @property
    def explanations(self) -> list[dict[str, Any]]:
        return list(json.loads(self.explanations_json))


class RowComment(models.Model):
    """A 批注 on one indicator row of a form, or an answer to one (``reply_to``)."""

    form = models.ForeignKey(
        EvaluationForm,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="row_comments",
        verbose_name="自评表",
    )
    plan = models.ForeignKey(
        "web.PlanRecord",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="row_comments",
        verbose_name="绩效目标表",
    )
    position = models.PositiveIntegerField("行")  # 1-based indicator row
    indicator = models.CharField("三级指标", max_length=300, blank=True)  # name at the time
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="批注人",
    )
    text = models.TextField("批注")
    created = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name="回复的批注",
    )

    class Meta:
        verbose_name = "批注"
        verbose_name_plural = "批注"
        ordering = ("position", "created", "id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(form__isnull=False, plan__isnull=True)
                | models.Q(form__isnull=True, plan__isnull=False),
                name="row_comment_form_or_plan",
            ),
        )

    # As an entry of the form's history beside its events.
    kind = "row_comment"

    @property
    def at(self) -> Any:
        return self.created


class LoginFailure(models.Model):
    """A failed log-in, for throttling (by user name and by address)."""

    username = models.CharField("用户名", max_length=150, db_index=True)
    address = models.CharField("地址", max_length=64, db_index=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"


class Job(models.Model):
    """A piece of background work one user started (an export of many forms, an import of
    many files): its state and progress for the pages, and its result file in storage.

    The work itself runs as a task of the database queue (``task_id``, web/jobs.py); each
    run of the job (the first and every 重试) has its own ``attempt`` number, and only the
    run holding the current number may write to the job.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", "导出"
        IMPORT = "import", "导入"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"
        INTERRUPTED = "interrupted", "已中断"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="用户"
    )
    org_path = models.CharField("范围", max_length=255, editable=False, default="")  # user's
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("任务", max_length=300)
    runner = models.CharField("执行函数", max_length=200)  # dotted path of the function
    params = models.JSONField("参数", default=dict)
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.QUEUED, db_index=True
    )
    done = models.IntegerField("已完成", default=0)
    total = models.IntegerField("总数", default=0)
    message = models.CharField("当前步骤", max_length=300, blank=True)
    error = models.TextField("错误", blank=True)  # why it failed, Chinese
    report = models.JSONField("导入结果", default=list)  # an import's account of each file
    result = models.FileField("结果文件", max_length=300, blank=True)  # storages["default"]
    result_name = models.CharField("下载文件名", max_length=200, blank=True)
    task_id = models.CharField("队列任务编号", max_length=64, blank=True)
    attempt = models.IntegerField("第几次执行", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["user", "created_at"]),)
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.INTERRUPTED)

    @property
    def retryable(self) -> bool:
        return self.state in (self.State.FAILED, self.State.INTERRUPTED)


# Models of other parts, in their own modules and registered with this app.
from jixiao.web.notifications import models as _notifications  # noqa: E402, F401
from jixiao.web.plans import models as _plans  # noqa: E402, F401
from jixiao.web.recheck import models as _recheck  # noqa: E402, F401
from jixiao.web.rounds import models as _rounds  # noqa: E402, F401


def evidence_path(attachment: Attachment, filename: str) -> str:
    """Where an attachment's file is stored: under its form, by a random name with the
    suffix of its kind (the name the user gave is kept in the row, never in the path)."""
    suffix = filename.rpartition(".")[2] if "." in filename else "bin"
    return f"evidence/{attachment.form_id}/{uuid.uuid4().hex}.{suffix.lower()[:8]}"


class Attachment(models.Model):
    """A 佐证材料 file of a form, for the whole form or for one indicator row."""

    form = models.ForeignKey(
        EvaluationForm, on_delete=models.CASCADE, related_name="attachments", verbose_name="表单"
    )
    # The indicator row (1-based) and its 三级指标 when the file came, so the file finds its row
    # again after rows are reordered; None: the whole form.
    row = models.PositiveIntegerField("指标行", null=True, blank=True)
    indicator = models.CharField("三级指标", max_length=200, blank=True)
    name = models.CharField("文件名", max_length=120)
    kind = models.CharField("类型", max_length=10)
    content_type = models.CharField("内容类型", max_length=100)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA256 摘要", max_length=64, db_index=True)
    file = models.FileField("文件", upload_to=evidence_path, max_length=255)
    note = models.CharField("说明", max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="上传人",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ("row", "uploaded_at", "id")
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.name


def scan_crop_path(cell: UncertainCell, filename: str) -> str:
    """Where an uncertain cell's crop is stored: under its form, by a random name."""
    return f"scans/{cell.form_id}/{uuid.uuid4().hex}.png"


class UncertainCell(models.Model):
    """A cell of a scanned form that OCR read uncertainly (:class:`jixiao.model.ScanCell`):
    the field it fed (``path``: ``project``, ``funds.total.executed``,
    ``indicators.3.actual``; empty when none), its page and box in the page's pixels, what
    was read and how sure, and a small PNG of it. The editor marks the field, with the
    crop beside it, until the cell is checked: ticked 已核对, or its field changed, at a
    save (:mod:`jixiao.web.scan_cells`)."""

    form = models.ForeignKey(
        EvaluationForm,
        on_delete=models.CASCADE,
        related_name="uncertain_cells",
        verbose_name="表单",
    )
    path = models.CharField("字段", max_length=300, blank=True)
    page = models.PositiveIntegerField("页")
    x0 = models.PositiveIntegerField("左")
    y0 = models.PositiveIntegerField("上")
    x1 = models.PositiveIntegerField("右")
    y1 = models.PositiveIntegerField("下")
    text = models.TextField("识别结果", blank=True)
    confidence = models.FloatField("置信度")
    note = models.TextField("说明")
    crop = models.FileField("截图", upload_to=scan_crop_path, max_length=255, blank=True)
    checked_at = models.DateTimeField("核对时间", null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="核对人",
    )

    class Meta:
        ordering = ("page", "y0", "x0", "id")
        verbose_name = "待核对的识别结果"
        verbose_name_plural = "待核对的识别结果"

    def __str__(self) -> str:
        return self.note


def _delete_stored_file(sender: type, instance: Attachment | UncertainCell, **kwargs: Any) -> None:
    """Whenever an attachment row (or an uncertain cell's crop) goes, by itself or with its
    form, its stored file goes too, once the deletion is committed (a rolled-back deletion
    keeps the file)."""
    stored = instance.crop if isinstance(instance, UncertainCell) else instance.file
    name, storage = stored.name, stored.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name), using=kwargs.get("using"))


post_delete.connect(_delete_stored_file, sender=Attachment, dispatch_uid="attachment-file")
post_delete.connect(_delete_stored_file, sender=UncertainCell, dispatch_uid="scan-crop-file")
