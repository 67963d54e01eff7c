"""The 财政项目支出绩效自评表 as exact, typed data.

Field names follow the canonical JSON of DESIGN.md §3. Every value is what the form
*declares*; computed values live in :mod:`jixiao.scoring`, never here. Numbers are
``Decimal`` (JSON carries them as strings); "-" on the form is ``None``. Fields the
model does not know are kept (``extra="allow"``) so nothing read from a file is lost.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, ValidationError

from jixiao.messages import os_reason

# A Decimal that is written to JSON as its exact string ("1245.54", "10.00").
Amount = Annotated[
    Decimal,
    Field(allow_inf_nan=False),
    PlainSerializer(lambda d: str(d), return_type=str, when_used="json"),
]

FUND_ROWS: tuple[str, ...] = ("total", "fiscal", "carryover", "other")
FUND_ROW_LABELS: dict[str, str] = {
    "total": "年度资金总额",
    "fiscal": "当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
}
FUND_COLUMNS: tuple[str, ...] = ("initial", "adjusted", "executed", "weight", "rate", "score")
FUND_COLUMN_LABELS: dict[str, str] = {
    "initial": "年初预算数",
    "adjusted": "全年预算数",
    "executed": "全年执行数",
    "weight": "分值",
    "rate": "执行率",
    "score": "得分",
}

# Every cell of the 项目资金 block by its canonical JSON path (funds.total.initial …).
FUND_PATHS: tuple[str, ...] = tuple(f"funds.{r}.{c}" for r in FUND_ROWS for c in FUND_COLUMNS)

# The form's own words for its single fields, by canonical JSON path.
FIELD_LABELS: dict[str, str] = {
    "title": "标题",
    "year": "年度",
    "project": "项目名称",
    "department": "主管部门",
    "unit": "实施单位",
    "amount_unit": "金额单位",
    "goals.expected": "年度总体目标·预期目标",
    "goals.achieved": "年度总体目标·实际完成情况",
    "total_weight": "总分·分值",
    "total_score": "总分·得分",
    "grade": "评分等级",
}

INDICATOR_LABELS: dict[str, str] = {  # the indicator table's header, in column order
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "deviation": "偏差原因分析及改进措施",
}


class _Open(BaseModel):
    """Base: unknown fields are kept; assignment is validated."""

    model_config = ConfigDict(extra="allow", validate_assignment=True)


class FundRow(_Open):
    """One row of the 项目资金 block: 年初预算数 … 得分 (None where the form shows "-")."""

    initial: Amount | None = None
    adjusted: Amount | None = None
    executed: Amount | None = None
    weight: Amount | None = None
    rate: Amount | None = None
    score: Amount | None = None


class Funds(_Open):
    """项目资金: 年度资金总额 and its parts 当年财政拨款 / 上年结转资金 / 其他资金."""

    total: FundRow = Field(default_factory=FundRow)
    fiscal: FundRow = Field(default_factory=FundRow)
    carryover: FundRow = Field(default_factory=FundRow)
    other: FundRow = Field(default_factory=FundRow)


class Goals(_Open):
    """年度总体目标: 预期目标 and 实际完成情况."""

    expected: str = ""
    achieved: str = ""


class Indicator(_Open):
    """One 三级指标 row of the indicator table, as written on the form."""

    level1: str = ""
    level2: str = ""
    name: str = ""
    target: str = ""
    actual: str = ""
    weight: Amount | None = None
    score: Amount | None = None
    deviation: str = ""


class Source(_Open):
    """Where a form came from: file, and the line (or page) span inside it, 1-based."""

    file: str | None = None
    start_line: int | None = None
    end_line: int | None = None
    page: int | None = None


class SelfEvaluation(_Open):
    """One 财政项目支出绩效自评表 (declared values only)."""

    title: str = "财政项目支出绩效自评表"
    year: int | None = None
    project: str = ""
    department: str = ""
    unit: str = ""
    amount_unit: str = "万元"
    funds: Funds = Field(default_factory=Funds)
    goals: Goals = Field(default_factory=Goals)
    indicators: list[Indicator] = Field(default_factory=list)
    total_weight: Amount | None = None
    total_score: Amount | None = None
    grade: str | None = None
    index: int | None = None
    source: Source | None = None
    # What an importer could not find or place; empty for a complete form.
    gaps: list[str] = Field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.gaps)

    @property
    def label(self) -> str:
        """A short name for messages: the project, else the index, else the source."""
        if self.project:
            return self.project
        if self.index is not None:
            return f"第{self.index}张表"
        return "（未命名表）"

    def source_dict(self) -> dict[str, Any] | None:
        """Where the form came from, only the parts known; None without a source."""
        return self.source.model_dump(exclude_none=True) if self.source else None

    def to_json_dict(self) -> dict[str, Any]:
        """The canonical JSON object (decimals as strings, empty extras omitted)."""
        data = self.model_dump(mode="json", exclude_none=False)
        if not data.get("gaps"):
            data.pop("gaps", None)
        if data.get("source") is None:
            data.pop("source", None)
        if data.get("index") is None:
            data.pop("index", None)
        return data


def value_at(obj: BaseModel | None, path: str) -> Any:
    """The value at a dotted field path (``funds.total.rate``, ``source.file``); None
    where a model on the way is missing."""
    value: Any = obj
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value


class FormFileError(ValueError):
    """A canonical JSON file that cannot be read; the message is for the user (Chinese)."""


_PYDANTIC_MESSAGES = {
    "decimal_parsing": "不是有效的数字",
    "decimal_type": "应为数字（字符串形式的小数）",
    "finite_number": "数字不能是无穷大或 NaN",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "model_type": "应为对象",
    "dict_type": "应为对象",
    "missing": "缺少此字段",
    "bool_type": "应为 true/false",
    "extra_forbidden": "不认识的键",
    "literal_error": "取值不在允许范围内",
    "greater_than": "取值过小",
    "greater_than_equal": "取值过小",
    "less_than": "取值过大",
    "less_than_equal": "取值过大",
    "too_short": "不能为空",
}


def _loc(prefix: str, loc: tuple[int | str, ...]) -> str:
    out = prefix
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe_validation_error(err: ValidationError, prefix: str = "") -> str:
    """Chinese, one line per problem: the field path and what was wrong."""
    lines = []
    for e in err.errors():
        where = _loc(prefix, tuple(e["loc"]))
        what = _PYDANTIC_MESSAGES.get(e["type"], e["msg"].removeprefix("Value error, "))
        got = e.get("input")
        shown = "" if isinstance(got, dict | list) or got is None else f"（值为 {got!r}）"
        lines.append(f"{where or '（根）'}: {what}{shown}")
    return "；".join(lines)


def form_from_dict(data: Any, where: str = "") -> SelfEvaluation:
    """Validate one canonical form object; errors name the field path."""
    if not isinstance(data, dict):
        raise FormFileError(f"{where or '（根）'}: 应为表单对象")
    if data.keys().isdisjoint(SelfEvaluation.model_fields):
        raise FormFileError(
            f"{where or '（根）'}: 不是自评表（没有项目名称、项目资金、绩效指标等任何栏目）"
        )
    try:
        return SelfEvaluation.model_validate(data)
    except ValidationError as err:
        raise FormFileError(describe_validation_error(err, where)) from None


def forms_from_json_text(text: str, name: str = "<json>") -> list[SelfEvaluation]:
    """Read one form object or ``{"forms": [...]}``; numbers never pass through float.
    Every error names ``name`` and the field path."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as err:
        raise FormFileError(
            f"{name}: 不是有效的 JSON（第 {err.lineno} 行第 {err.colno} 列：{err.msg}）"
        ) from None
    wrapped = isinstance(data, dict) and "forms" in data
    if wrapped and not isinstance(data["forms"], list):
        raise FormFileError(f"{name}: forms 应为列表")
    try:
        if wrapped:
            forms = [form_from_dict(item, f"forms[{i}]") for i, item in enumerate(data["forms"])]
        else:
            forms = [form_from_dict(data)]
    except FormFileError as err:
        raise FormFileError(f"{name}: {err}") from None
    for form in forms:
        if form.source is None:
            form.source = Source(file=name)
        elif form.source.file is None:
            form.source.file = name
    return forms


def load_forms(path: str | Path) -> list[SelfEvaluation]:
    """Load a canonical JSON file; :class:`FormFileError` names the file and field."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise FormFileError(f"{p}: 无法读取文件（{os_reason(err)}）") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormFileError(f"{p}: 不是 UTF-8 编码的 JSON 文件") from None
    return forms_from_json_text(text, str(p))


def dump_forms(forms: list[SelfEvaluation]) -> str:
    """The canonical ``{"forms": [...]}`` document, UTF-8, indented."""
    return json.dumps({"forms": [f.to_json_dict() for f in forms]}, ensure_ascii=False, indent=1)
