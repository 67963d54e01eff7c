"""A layout (版式) declaration: one TOML file per template, validated by pydantic.

A declaration says what a template has and how it is read, recognised and scored: its
head fields, fund rows and columns, indicator columns (each with the model field it fills,
or none: kept in ``extras`` under its label), which fields exist, the execution 分值 it
allows, the policy it is scored by. A declaration may name a ``base`` and state only what
differs (tables merged key by key, lists replaced). No code per province: a new layout is
a new file (docs/layouts.md).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jixiao.messages import os_reason
from jixiao.model import (
    FUND_COLUMNS,
    FUND_ROWS,
    INDICATOR_LABELS,
    INDICATOR_NUMBER_LABELS,
    describe_validation_error,
)
from jixiao.policy import PolicyError, load_policy, merge_tables, read_toml
from jixiao.values import normalize

Kind = Literal["project", "transfer", "department"]
KIND_LABELS: dict[str, str] = {
    "project": "项目支出绩效自评表",
    "transfer": "转移支付绩效目标自评表",
    "department": "部门整体支出绩效自评表",
}
# The document a layout is of: the 自评表, or the two before it in a project's year
# (jixiao.plans): the 绩效目标申报表 and the 绩效目标执行监控表.
Document = Literal["self_evaluation", "declaration", "monitoring"]
SELF_EVALUATION: Document = "self_evaluation"
DOCUMENT_LABELS: dict[str, str] = {
    "self_evaluation": "绩效自评表",
    "declaration": "绩效目标申报表",
    "monitoring": "绩效目标执行监控表",
}
# The fallback layout of each document: chosen where no other is recognised.
FALLBACKS: dict[str, str] = {
    "self_evaluation": "national-2020",
    "declaration": "national-declaration",
    "monitoring": "national-monitoring",
}

HEAD_FIELDS = ("project", "department", "unit")
INDICATOR_FIELDS = (*INDICATOR_LABELS, *INDICATOR_NUMBER_LABELS)
# The model fields a plan layout's rows and columns fill (jixiao.plans), by document.
PLAN_FUND_COLUMNS: dict[str, tuple[str, ...]] = {
    "declaration": ("medium", "annual"),  # 中期 / 年度 资金 (PlanFunds of each)
    "monitoring": ("initial", "executed", "rate", "forecast"),  # MonitorFundRow
}
PLAN_INDICATOR_FIELDS: dict[str, tuple[str, ...]] = {
    "declaration": ("level1", "level2", "name", "target"),
    "monitoring": (
        "level1",
        "level2",
        "name",
        "target",
        "executed",
        "forecast",
        "reason",
        "note",
    ),
}
# A 部门整体支出 申报表's 年度主要任务 columns: each task's name and content, and its budget
# (jixiao.plans.PlanTask; the 金额合计 row is the 年度 funds).
TASK_FIELDS = ("name", "content", "total", "fiscal", "carryover", "other")
PLAN_GOAL_FIELDS: dict[str, tuple[str, ...]] = {
    "declaration": ("medium_goal", "annual_goal"),
    "monitoring": ("goal",),
}
_ID = r"^[a-z0-9][a-z0-9_-]*$"
_BRACKETS = re.compile(r"[（(][^（()）]*[)）]")


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """A label as compared: NFKC, no whitespace, no bracketed part (``年度指标值(A)`` →
    ``年度指标值``, ``产出指标（50分）`` → ``产出指标``), no trailing colon or ``其中``."""
    t = _BRACKETS.sub("", normalize(text)).rstrip(":：")
    return t.removeprefix("其中:").removeprefix("其中")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    """A row or column of a layout: its id, the form's word for it and the other words forms
    use; ``field`` is the model field it fills (``initial``, ``target``, ``total``, ``unit``
    …), or none: its cells are kept in the form's ``extras`` under ``label``."""

    id: str = Field(pattern=_ID)
    label: str = Field(min_length=1)
    synonyms: list[str] = Field(default_factory=list)
    field: str | None = None
    note: str = ""  # what it holds, in words (docs/layouts.md)

    def words(self) -> list[str]:
        return [self.label, *self.synonyms]

    def matches(self, text: str) -> bool:
        """``text`` (a header cell, an extras key) names this row or column."""
        key = label_key(text)
        return bool(key) and any(label_key(w) == key for w in self.words())


class Recognition(_Strict):
    """How a form of this layout is told from the others (:func:`jixiao.layouts.recognise`).
    Each sign found adds its points; the layout with the most points, at least
    ``min_points``, is the form's; ``national-2020`` where none reaches it."""

    title: list[str] = Field(default_factory=list)  # words of the title (3 points each)
    labels: list[str] = Field(default_factory=list)  # header labels, compared whole (2 each)
    regions: list[str] = Field(default_factory=list)  # regexes on 主管部门 / 实施单位 (1 each)
    execution_weight: bool = False  # an execution 分值 only this family allows (2)
    min_points: int = Field(default=2, ge=1)


class Execution(_Strict):
    """预算执行: the 分值 the layout allows (the first is its default), the column 执行率
    divides by, and whether the form scores it at all."""

    weights: list[Decimal] = Field(default_factory=lambda: [Decimal(10)], min_length=1)
    budget: Literal["adjusted", "initial"] = "adjusted"
    scored: bool = True
    # The fund rows (ids of ``fund_rows``) that add up to 年度资金总额, one list per way the
    # template breaks the total down (by source; 转移支付 also 中央补助 / 地方资金): where the
    # total row is 0, 执行率 is read from the first of them that holds amounts. A row
    # nested in another (其中：… under 财政拨款) is in none: it would count twice.
    sources: list[list[str]] = Field(
        default_factory=lambda: [["fiscal", "carryover", "other"]], min_length=1
    )
    formula: str = "得分 = 执行率 × 分值（执行率超过 100% 按 100% 计）"

    @property
    def default_weight(self) -> Decimal:
        return self.weights[0]

    def allows(self, weight: Decimal | None) -> bool:
        return weight is not None and weight in self.weights


class Fields(_Strict):
    """Which parts of the model the layout has (the rest a form of it never fills)."""

    goals: bool = True  # 年度总体目标: 预期目标 / 实际完成情况
    row_weights: bool = True  # a 分值 on every indicator row
    level1_weights: bool = False  # 一级 weights printed in the label: 产出指标(50分)
    row_scores: bool = True  # a 得分 on every indicator row
    total: bool = True  # 总分
    grade: bool = False  # 评分等级
    adjusted_scores: bool = False  # 折算得分 (河北): the total adds the 折算得分


class RegionPolicy(_Strict):
    """A region whose forms of this layout are scored by another policy."""

    regions: list[str] = Field(min_length=1)  # regexes on 主管部门 / 实施单位
    policy: str
    reason: str = Field(min_length=1)


class Layout(_Strict):
    """One template, as data."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    base: str | None = None
    document: Document = SELF_EVALUATION
    title: str = ""  # the title printed on the form (plans; "" for a 自评表: its own)
    kind: Kind = "project"
    where: list[str] = Field(default_factory=list)  # where it is used, in words
    source: str = ""  # the document or the published forms it is taken from
    differs: str = ""  # what differs from the national 2020 template, in words
    recognise: Recognition = Field(default_factory=Recognition)
    head: list[Label] = Field(default_factory=list)
    fund_rows: list[Label] = Field(default_factory=list)
    fund_columns: list[Label] = Field(default_factory=list)
    indicator_columns: list[Label] = Field(default_factory=list)
    level1: list[Label] = Field(default_factory=list)
    level2: list[Label] = Field(default_factory=list)
    checkboxes: list[str] = Field(default_factory=list)  # head fields written as check boxes
    # Plans only (document "declaration" / "monitoring"): the goal headings (中期目标 /
    # 年度目标; 年度总体目标), and a 监控表's 偏差原因 categories and 完成目标可能性 choices
    # as printed (each label one of jixiao.plans.CAUSES / LIKELIHOODS).
    goals: list[Label] = Field(default_factory=list)
    causes: list[Label] = Field(default_factory=list)
    likelihoods: list[Label] = Field(default_factory=list)
    # The headings of a plan's blocks: 项目资金（万元）, 总体目标 (over 中期目标 / 年度目标),
    # 绩效指标 (beside the indicator table).
    fund_block: str = "项目资金"
    goal_block: str = "总体目标"
    indicator_block: str = "绩效指标"
    # A 部门整体支出 申报表's 年度主要任务 table (its columns; the amounts under
    # ``task_amounts``) and the 金额合计 row under it, which holds the 年度 funds.
    tasks: list[Label] = Field(default_factory=list)
    task_block: str = "年度主要任务"
    task_amounts: str = "预算金额"
    task_total: str = "金额合计"
    execution: Execution = Field(default_factory=Execution)
    fields: Fields = Field(default_factory=Fields)
    policy: str = "mof-2020"
    region_policies: list[RegionPolicy] = Field(default_factory=list)
    scoring: str = ""  # how it is scored, in words (docs/layouts.md)

    @model_validator(mode="after")
    def _consistent(self) -> Layout:
        def fields_of(labels: list[Label], allowed: tuple[str, ...], key: str) -> None:
            ids = [lab.id for lab in labels]
            if len(set(ids)) != len(ids):
                raise ValueError(f"{key} 的 id 有重复")
            for lab in labels:
                if lab.field is not None and lab.field not in allowed:
                    known = "、".join(allowed)
                    got = lab.field
                    raise ValueError(f"{key}.{lab.id}.field 应为 {known} 之一（收到 {got!r}）")

        fields_of(self.head, HEAD_FIELDS, "head")
        fields_of(self.fund_rows, FUND_ROWS, "fund_rows")
        if self.document == SELF_EVALUATION:
            fields_of(self.fund_columns, FUND_COLUMNS, "fund_columns")
            fields_of(self.indicator_columns, INDICATOR_FIELDS, "indicator_columns")
            if self.goals or self.causes or self.likelihoods:
                raise ValueError("goals、causes、likelihoods 只用于申报表和监控表的版式")
        else:
            fields_of(self.fund_columns, PLAN_FUND_COLUMNS[self.document], "fund_columns")
            fields_of(
                self.indicator_columns, PLAN_INDICATOR_FIELDS[self.document], "indicator_columns"
            )
            fields_of(self.goals, PLAN_GOAL_FIELDS[self.document], "goals")
            fields_of(self.tasks, TASK_FIELDS, "tasks")
            self._plan_choices()
        for key in ("regions",):
            for pattern in getattr(self.recognise, key):
                _compile(pattern, f"recognise.{key}")
        for rp in self.region_policies:
            for pattern in rp.regions:
                _compile(pattern, "region_policies.regions")
        rows = {r.id for r in self.fund_rows}
        if "sources" in self.execution.model_fields_set:  # as declared (the default: by field)
            for row_id in (i for breakdown in self.execution.sources for i in breakdown):
                if row_id not in rows:
                    known = "、".join(sorted(rows))
                    raise ValueError(f"execution.sources 的 {row_id!r} 不是声明的资金行（{known}）")
        return self

    def _plan_choices(self) -> None:
        from jixiao.plans import CAUSES, LIKELIHOODS

        if self.document != "monitoring" and (self.causes or self.likelihoods):
            raise ValueError("causes、likelihoods 只用于监控表的版式")
        for key, allowed in (("causes", CAUSES), ("likelihoods", LIKELIHOODS)):
            for lab in getattr(self, key):
                if lab.label not in allowed:
                    known = "、".join(allowed)
                    raise ValueError(
                        f"{key}.{lab.id}.label 应为 {known} 之一（收到 {lab.label!r}）"
                    )
        fields = {c.field for c in self.fund_columns}
        if self.tasks and self.document != "declaration":
            raise ValueError("tasks 只用于申报表的版式")
        if self.document == "declaration" and "annual" not in fields and not self.tasks:
            raise ValueError(
                '申报表的版式应有年度资金列（fund_columns 中 field = "annual"）'
                "或年度主要任务（tasks）"
            )

    # --- what the layout has -------------------------------------------------------------

    @property
    def printed_title(self) -> str:
        """The title the form prints (a plan's ``title``; else the layout's name)."""
        return self.title or self.name

    @property
    def has_medium(self) -> bool:
        """A 申报表 with 中期 funds, goals and indicators beside the 年度 ones."""
        return any(c.field == "medium" for c in self.fund_columns)

    def goal(self, text: str) -> Label | None:
        """The goal heading a label names (plans), or None."""
        return next((g for g in self.goals if g.matches(text)), None)

    def head_label(self, text: str) -> Label | None:
        """The head field a label names (项目名称, 转移支付名称 …), or None."""
        return next((h for h in self.head if h.matches(text)), None)

    def fund_row(self, text: str) -> Label | None:
        """The declared fund row a label names (``本年财政拨款`` → fiscal), or None."""
        return next((r for r in self.fund_rows if r.matches(text)), None)

    def fund_column(self, text: str) -> Label | None:
        return next((c for c in self.fund_columns if c.matches(text)), None)

    def indicator_column(self, text: str) -> Label | None:
        return next((c for c in self.indicator_columns if c.matches(text)), None)

    def column(self, column_id: str) -> Label | None:
        """An indicator column by its id (``nature``, ``measure_unit``), or None."""
        return next((c for c in self.indicator_columns if c.id == column_id), None)

    def has(self, path: str) -> bool:
        """Whether a form of this layout has the field at ``path`` (the model's paths:
        ``funds.total.initial``, ``goals.expected``, ``indicators.weight``, ``unit``,
        ``total_score``, ``grade``). Completeness rules ask only for what the layout has."""
        parts = path.split(".")
        if parts[0] == "funds" and len(parts) == 3:
            rows = {r.field for r in self.fund_rows}
            cols = {c.field for c in self.fund_columns}
            return parts[1] in rows and parts[2] in cols
        if parts[0] == "goals":
            return self.fields.goals
        if parts[0] == "indicators" and len(parts) == 2:
            if parts[1] == "weight" and not self.fields.row_weights:
                return False
            if parts[1] == "score" and not self.fields.row_scores:
                return False
            return parts[1] in {c.field for c in self.indicator_columns}
        if parts[0] in HEAD_FIELDS:
            return parts[0] in {h.field for h in self.head}
        if parts[0] in ("total_score", "total_weight"):
            return self.fields.total
        if parts[0] == "grade":
            return self.fields.grade
        return True

    def level2_label(self, text: str) -> str | None:
        """The national 二级 label a regional one stands for (``进度指标`` → ``时效指标``)."""
        found = next((lab for lab in self.level2 if lab.matches(text)), None)
        return found.label if found else None

    def level1_label(self, text: str) -> str | None:
        found = next((lab for lab in self.level1 if lab.matches(text)), None)
        return found.label if found else None

    def policy_for(self, department: str, unit: str) -> tuple[str, str] | None:
        """The policy a region of this layout is scored by, and why; None: the layout's own."""
        for rp in self.region_policies:
            if any(re.search(p, t) for p in rp.regions for t in (department, unit)):
                return rp.policy, rp.reason
        return None


def _compile(pattern: str, key: str) -> None:
    try:
        re.compile(pattern)
    except re.error as err:
        raise ValueError(f"{key} 的正则表达式 {pattern!r} 无效（{err}）") from None


class LayoutError(ValueError):
    """A declaration that cannot be loaded; the message (Chinese) names the file and key."""


def _folder() -> Any:
    return resources.files("jixiao") / "layouts"


@cache
def _file_ids() -> tuple[str, ...]:
    return tuple(
        sorted(
            p.name.removesuffix(".toml") for p in _folder().iterdir() if p.name.endswith(".toml")
        )
    )


@cache
def builtin_ids(document: Document = SELF_EVALUATION) -> list[str]:
    """The ids of the declared layouts of one document (one TOML file each; the 自评表's
    unless told), sorted."""
    return [i for i in _file_ids() if get_layout(i).document == document]


def _raw(layout_id: str) -> dict[str, Any]:
    path = _folder() / f"{layout_id}.toml"
    if not path.is_file():
        raise LayoutError(f"未知的版式 {layout_id!r}（已声明：{'、'.join(_file_ids())}）")
    return read_toml(path.read_text(encoding="utf-8"), f"layouts/{layout_id}.toml", LayoutError)


def _resolve(raw: dict[str, Any], where: str, seen: tuple[str, ...]) -> dict[str, Any]:
    base = raw.get("base")
    if base is None:
        return raw
    if not isinstance(base, str):
        raise LayoutError(f"{where}: base 应为已声明的版式 id")
    if base in seen:
        raise LayoutError(f"{where}: base 循环引用（{' → '.join((*seen, base))}）")
    parent = _resolve(_raw(base), f"layouts/{base}.toml", (*seen, base))
    parent = {k: v for k, v in parent.items() if k not in ("id", "recognise")}
    return merge_tables(parent, raw)


def layout_from_dict(raw: dict[str, Any], where: str) -> Layout:
    """Validate a declaration (its ``base`` merged in); errors name the file and the key.
    A declaration's own ``recognise`` is never inherited: a variant says how it is told."""
    merged = _resolve(raw, where, (str(raw.get("id", "")),))
    base = raw.get("base")
    if isinstance(base, str):
        parent = _resolve(_raw(base), f"layouts/{base}.toml", (base,))
        document = raw.get("document", SELF_EVALUATION)
        if parent.get("document", SELF_EVALUATION) != document:
            raise LayoutError(f"{where}: base {base!r} 是另一种表的版式")
    try:
        layout = Layout.model_validate(merged)
    except ValidationError as err:
        raise LayoutError(f"{where}: {describe_validation_error(err)}") from None
    names = [layout.policy, *(rp.policy for rp in layout.region_policies)]
    for name in names:
        try:
            load_policy(name)
        except PolicyError as err:
            raise LayoutError(f"{where}: policy {name!r} 无法使用（{err}）") from None
    return layout


def load_layout_file(path: str | Path) -> Layout:
    """A declaration from a TOML file outside the package (a user's own layout)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise LayoutError(f"{p}: 无法读取版式文件（{os_reason(err)}）") from None
    raw = read_toml(text, str(p), LayoutError)
    raw.setdefault("id", p.stem)
    return layout_from_dict(raw, str(p))


@cache
def get_layout(layout_id: str) -> Layout:
    """A declared layout by id (validated once per process; layouts are frozen)."""
    raw = _raw(layout_id)
    where = f"layouts/{layout_id}.toml"
    if raw.get("id") != layout_id:
        raise LayoutError(f"{where}: id 应与文件名相同（{layout_id!r}）")
    return layout_from_dict(raw, where)


@cache
def all_layouts(document: Document = SELF_EVALUATION) -> tuple[Layout, ...]:
    """Every declared layout of one document (the 自评表's unless told), in id order."""
    return tuple(get_layout(i) for i in builtin_ids(document))


def plan_layouts() -> tuple[Layout, ...]:
    """The layouts of the 申报表 and the 监控表, 申报表 first, each in id order."""
    return (*all_layouts("declaration"), *all_layouts("monitoring"))
