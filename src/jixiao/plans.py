"""The two documents before the 自评表: 绩效目标申报表 and 绩效目标执行监控表, as exact data.

A project's year has three performance documents, linked by project and year
(:func:`link_key`): the **绩效目标申报表** (targets 批复 with the budget: 中期 / 年度 funds,
goals and indicators with their 指标值), the **绩效目标执行监控表** (mid-year: 年初预算数,
1–7月执行数 / 执行率, 全年预计执行数; per indicator 1–7月 完成, 全年预计, 偏差原因 by
category, 完成目标可能性, 备注) and the 自评表 (:mod:`jixiao.model`). Values are declared,
as written (Decimal for money, ``None`` for "-"); the model's text and number checks apply
(:class:`jixiao.model.OpenModel`). The canonical JSON is documented in docs/form.md; a file
holds ``{"forms": [...], "declarations": [...], "monitorings": [...]}``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, ValidationError

from jixiao.limits import check_bytes, current
from jixiao.model import (
    FUND_ROWS,
    Amount,
    Extras,
    FormFileError,
    Indicator,
    OpenModel,
    SelfEvaluation,
    Source,
    Text,
    Unmapped,
    describe_validation_error,
    form_from_dict,
    json_file_text,
    json_walk,
)

DECLARATION_TITLE = "项目支出绩效目标申报表"
MONITORING_TITLE = "项目支出绩效目标执行监控表"

# 偏差原因分析: the categories a 监控表 ticks, in the form's column order.
CAUSES: tuple[str, ...] = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
Cause = Literal["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"]
# 完成目标可能性, from sure to impossible.
LIKELIHOODS: tuple[str, ...] = ("确定能", "有可能", "完全不可能")
Likelihood = Literal["确定能", "有可能", "完全不可能"]

PLAN_FUND_LABELS: dict[str, str] = {
    "total": "资金总额",
    "fiscal": "其中：财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
}
MONITOR_FUND_COLUMNS: dict[str, str] = {
    "initial": "年初预算数",
    "executed": "执行数",  # 1-7月执行数: the period is the document's
    "rate": "执行率",
    "forecast": "全年预计执行数",
}
# A 监控表 indicator's columns beyond the 自评表's (finding places: 第2行“…” 原因说明).
MONITOR_INDICATOR_LABELS: dict[str, str] = {
    "executed": "执行数",
    "forecast": "全年预计",
    "causes": "偏差原因",
    "reason": "原因说明",
    "likelihood": "完成目标可能性",
    "note": "备注",
}

_SPACE = re.compile(r"\s+")


def link_key(project: str, year: int | None) -> tuple[str, int | None]:
    """What links a project's 申报表, 监控表 and 自评表: its name without whitespace, and
    the year."""
    return _SPACE.sub("", project or ""), year


class PlanFunds(OpenModel):
    """项目资金 of a 申报表, for 中期 or 年度: 资金总额 and its parts (one amount each).
    ``extras``: the rows a layout has beyond these four (中央补助, 地方资金 …), by the
    layout's label."""

    total: Amount | None = None
    fiscal: Amount | None = None
    carryover: Amount | None = None
    other: Amount | None = None
    extras: dict[str, Annotated[Decimal, Field(allow_inf_nan=False)] | None] = Field(
        default_factory=dict
    )


class PlanTask(OpenModel):
    """One 年度主要任务 of a 部门（单位）整体支出 申报表: its name, content and budget
    (预算金额: 总额, 财政拨款, 其他资金)."""

    name: Text = ""
    content: Text = ""
    funds: PlanFunds = Field(default_factory=PlanFunds)
    extras: Extras = Field(default_factory=dict)


class TargetIndicator(OpenModel):
    """One 三级指标 of a 申报表 with its 指标值, as written."""

    level1: Text = ""
    level2: Text = ""
    name: Text = ""
    target: Text = ""
    extras: Extras = Field(default_factory=dict)


class MonitorFundRow(OpenModel):
    """One fund row of a 监控表: 年初预算数, 1–7月执行数 / 执行率, 全年预计执行数."""

    initial: Amount | None = None
    executed: Amount | None = None
    rate: Amount | None = None
    forecast: Amount | None = None
    extras: Extras = Field(default_factory=dict)


class MonitorFunds(OpenModel):
    """项目资金 of a 监控表: 年度资金总额 and its parts."""

    total: MonitorFundRow = Field(default_factory=MonitorFundRow)
    fiscal: MonitorFundRow = Field(default_factory=MonitorFundRow)
    carryover: MonitorFundRow = Field(default_factory=MonitorFundRow)
    other: MonitorFundRow = Field(default_factory=MonitorFundRow)
    # The rows a layout has beyond these four (中央补助, 地方资金 …), by the layout's label.
    extras: dict[str, MonitorFundRow] = Field(default_factory=dict)


class MonitorIndicator(OpenModel):
    """One 三级指标 of a 监控表: the 年度指标值, what was done by the monitoring date and
    what is expected for the year (text as written: "20集", "一般", "100%"), the 偏差原因
    ticked by category with the 原因说明, the 完成目标可能性 ticked, and the 备注."""

    level1: Text = ""
    level2: Text = ""
    name: Text = ""
    target: Text = ""
    executed: Text = ""
    forecast: Text = ""
    causes: list[Cause] = Field(default_factory=list)
    reason: Text = ""
    likelihood: Likelihood | None = None
    note: Text = ""
    extras: Extras = Field(default_factory=dict)


class _Document(OpenModel):
    """What the three documents share: head, source and what an importer kept."""

    kind: ClassVar[str] = ""
    title: Text = ""
    # The layout (版式) the document is written in: a declaration's id in jixiao.layouts
    # of this document (national-declaration, transfer-monitoring …); None: the national
    # one, or placed by its content on import.
    layout: Text | None = None
    year: int | None = None
    project: Text = ""
    department: Text = ""
    unit: Text = ""
    amount_unit: Text = "万元"
    index: int | None = None
    source: Source | None = None
    gaps: list[Text] = Field(default_factory=list)
    extras: Extras = Field(default_factory=dict)
    unmapped: list[Unmapped] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return self.project or (f"第{self.index}张表" if self.index else "（未命名表）")

    @property
    def key(self) -> tuple[str, int | None]:
        return link_key(self.project, self.year)

    def to_json_dict(self) -> dict[str, Any]:
        """The canonical JSON object: decimals as strings; empty gaps, extras, unmapped,
        index and source left out (as for the 自评表)."""
        data = self.model_dump(mode="json")
        for key in ("gaps", "extras", "unmapped", "tasks"):
            if key in data and not data[key]:
                data.pop(key, None)
        for key in ("source", "index", "layout"):
            if not data.get(key):
                data.pop(key, None)
        _drop_empty_extras(data)
        return {"kind": self.kind, **data}


def plan_layout_of(doc: TargetDeclaration | Monitoring) -> Any:
    """The declared layout (:class:`jixiao.layouts.Layout`) of a 申报表 or 监控表: the one it
    names, else its document's national one."""
    from jixiao.layouts import FALLBACKS, get_layout, named_layout

    return named_layout(doc.layout, doc.kind) or get_layout(FALLBACKS[doc.kind])  # type: ignore[arg-type]


def _drop_empty_extras(data: Any) -> None:
    """Empty ``extras`` inside rows and indicators left out of the JSON."""
    if isinstance(data, dict):
        for key in list(data):
            if key == "extras" and not data[key]:
                del data[key]
            else:
                _drop_empty_extras(data[key])
    elif isinstance(data, list):
        for item in data:
            _drop_empty_extras(item)


class TargetDeclaration(_Document):
    """One 项目支出绩效目标申报表 (绩效目标表): the targets approved with the budget.

    ``stage`` says what the document is in the budget cycle when known: 申报 (as the unit
    filed it), 批复 (approved with the budget) or 调整 (an approved adjustment)."""

    kind: ClassVar[str] = "declaration"
    title: Text = DECLARATION_TITLE
    stage: Literal["申报", "批复", "调整"] | None = None
    medium_funds: PlanFunds = Field(default_factory=PlanFunds)
    annual_funds: PlanFunds = Field(default_factory=PlanFunds)
    medium_goal: Text = ""
    annual_goal: Text = ""
    medium_indicators: list[TargetIndicator] = Field(default_factory=list)
    indicators: list[TargetIndicator] = Field(default_factory=list)
    # 部门整体支出 申报表: the 年度主要任务 with their budgets (its 金额合计 is annual_funds).
    tasks: list[PlanTask] = Field(default_factory=list)


class Monitoring(_Document):
    """One 项目支出绩效目标执行监控表: execution and targets at the monitoring date
    (``period``, 1-7月 in the central layout)."""

    kind: ClassVar[str] = "monitoring"
    title: Text = MONITORING_TITLE
    period: Text = "1-7月"
    funds: MonitorFunds = Field(default_factory=MonitorFunds)
    goal: Text = ""
    indicators: list[MonitorIndicator] = Field(default_factory=list)


PlanDocument = TargetDeclaration | Monitoring
_KINDS: dict[str, type[TargetDeclaration] | type[Monitoring]] = {
    "declaration": TargetDeclaration,
    "monitoring": Monitoring,
}
_LISTS = {"declarations": "declaration", "monitorings": "monitoring"}


@dataclass
class Documents:
    """What one file holds: 自评表, 申报表 and 监控表, and the tables skipped with why
    ("项目支出计划：不是绩效表，已跳过")."""

    forms: list[SelfEvaluation] = field(default_factory=list)
    declarations: list[TargetDeclaration] = field(default_factory=list)
    monitorings: list[Monitoring] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.forms) + len(self.declarations) + len(self.monitorings)

    def extend(self, other: Documents) -> None:
        self.forms.extend(other.forms)
        self.declarations.extend(other.declarations)
        self.monitorings.extend(other.monitorings)
        self.skipped.extend(other.skipped)

    def to_json_dict(self) -> dict[str, Any]:
        """``{"forms": [...], "declarations": [...], "monitorings": [...]}``; the plan
        lists only when not empty (a file of 自评表 alone is written as before)."""
        data: dict[str, Any] = {"forms": [f.to_json_dict() for f in self.forms]}
        if self.declarations:
            data["declarations"] = [d.to_json_dict() for d in self.declarations]
        if self.monitorings:
            data["monitorings"] = [m.to_json_dict() for m in self.monitorings]
        return data

    def dumps(self) -> str:
        return json.dumps(self.to_json_dict(), ensure_ascii=False, indent=1)

    def declaration_for(self, project: str, year: int | None) -> TargetDeclaration | None:
        """The 申报表 of a project and year: the latest 调整, else the 批复, else any."""
        return latest_declaration(self.declarations, project, year)


def latest_declaration(
    declarations: list[TargetDeclaration], project: str, year: int | None
) -> TargetDeclaration | None:
    """Among ``declarations``, the one that holds the approved targets of this project and
    year: the last 调整, else the last 批复, else the last of any stage. A year on only one
    side does not keep them apart."""
    name = link_key(project, year)[0]
    found = [
        d
        for d in declarations
        if d.key[0] == name and (d.year is None or year is None or d.year == year)
    ]
    for stage in ("调整", "批复"):
        staged = [d for d in found if d.stage == stage]
        if staged:
            return staged[-1]
    return found[-1] if found else None


def document_from_dict(data: Any, where: str = "", kind: str | None = None) -> PlanDocument:
    """Validate one 申报表 or 监控表 object (by its ``kind``, or the list it is in)."""
    if not isinstance(data, dict):
        raise FormFileError(f"{where or '（根）'}: 应为对象")
    kind = data.get("kind", kind)
    model = _KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise FormFileError(f"{where or '（根）'}.kind: 应为 declaration 或 monitoring")
    body = {k: v for k, v in data.items() if k != "kind"}
    try:
        return model.model_validate(body)
    except ValidationError as err:
        raise FormFileError(describe_validation_error(err, where)) from None


def documents_from_json_text(text: str, name: str = "<json>") -> Documents:
    """Read ``{"forms": [...], "declarations": [...], "monitorings": [...]}`` or one
    object (a 自评表, or a document with its ``kind``); numbers never pass through float.
    Sizes, depth and counts are bounded as for forms (:mod:`jixiao.limits`)."""
    limits = current()
    check_bytes(
        len(text.encode("utf-8", "surrogatepass")), limits.max_json_bytes, name, "JSON 文件"
    )
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as err:
        raise FormFileError(
            f"{name}: 不是有效的 JSON（第 {err.lineno} 行第 {err.colno} 列：{err.msg}）"
        ) from None
    except (RecursionError, ValueError) as err:
        raise FormFileError(f"{name}: 不是有效的 JSON（{type(err).__name__}）") from None
    json_walk(data, name)
    out = Documents()
    try:
        if isinstance(data, dict) and ("forms" in data or data.keys() & _LISTS.keys()):
            for key in ("forms", *_LISTS):
                items = data.get(key, [])
                if not isinstance(items, list):
                    raise FormFileError(f"{key} 应为列表")
                if len(items) > limits.max_forms:
                    raise FormFileError(
                        f"{key} 中有 {len(items)} 张表，超过上限（最多 {limits.max_forms} 张）"
                    )
                for i, item in enumerate(items):
                    where = f"{key}[{i}]"
                    if key == "forms":
                        out.forms.append(form_from_dict(item, where))
                    else:
                        _add(out, document_from_dict(item, where, _LISTS[key]))
        elif isinstance(data, dict) and "kind" in data:
            _add(out, document_from_dict(data))
        else:
            out.forms.append(form_from_dict(data))
    except FormFileError as err:
        raise FormFileError(f"{name}: {err}") from None
    every: list[SelfEvaluation | TargetDeclaration | Monitoring] = [
        *out.forms,
        *out.declarations,
        *out.monitorings,
    ]
    for doc in every:
        if doc.source is None:
            doc.source = Source(file=name)
        elif doc.source.file is None:
            doc.source.file = name
    return out


def _add(out: Documents, doc: PlanDocument) -> None:
    if isinstance(doc, TargetDeclaration):
        out.declarations.append(doc)
    else:
        out.monitorings.append(doc)


def load_documents(path: str | Path) -> Documents:
    """Read a canonical JSON file of documents; :class:`FormFileError` names the file."""
    return documents_from_json_text(json_file_text(path), str(path))


def self_evaluation_from(declaration: TargetDeclaration) -> SelfEvaluation:
    """A new 自评表 started from an approved 申报表: its project, year, 年度资金 as 年初预算数,
    年度目标 as 预期目标, and its 年度 indicators with their 指标值 (the rest left to fill)."""
    form = SelfEvaluation(
        year=declaration.year,
        project=declaration.project,
        department=declaration.department,
        unit=declaration.unit,
        amount_unit=declaration.amount_unit,
    )
    for key in FUND_ROWS:
        getattr(form.funds, key).initial = getattr(declaration.annual_funds, key)
    form.goals.expected = declaration.annual_goal
    form.indicators = [
        Indicator(level1=i.level1, level2=i.level2, name=i.name, target=i.target)
        for i in declaration.indicators
    ]
    return form


def keep_approved_targets(form: SelfEvaluation, declaration: TargetDeclaration) -> list[str]:
    """Set each indicator's 年度指标值 back to the approved one (matched by 三级指标, whitespace
    ignored); the names of the indicators whose value was changed and so restored."""
    approved = {_SPACE.sub("", i.name): i.target for i in declaration.indicators}
    restored = []
    for indicator in form.indicators:
        target = approved.get(_SPACE.sub("", indicator.name))
        if target is not None and indicator.target != target:
            indicator.target = target
            restored.append(indicator.name)
    return restored


__all__ = [
    "CAUSES",
    "FUND_ROWS",
    "LIKELIHOODS",
    "Documents",
    "MonitorFundRow",
    "MonitorFunds",
    "MonitorIndicator",
    "Monitoring",
    "PlanDocument",
    "PlanFunds",
    "PlanTask",
    "TargetDeclaration",
    "TargetIndicator",
    "documents_from_json_text",
    "keep_approved_targets",
    "latest_declaration",
    "link_key",
    "load_documents",
    "plan_layout_of",
    "self_evaluation_from",
]
