"""The edit page's fields ↔ the canonical form, with validation messages in Chinese.

Field names: ``year``, ``project`` …, ``funds.<row>.<column>``, ``goals.expected``, and one
list per indicator column (``ind_name`` …) whose order is the rows' order on the page.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import QueryDict

from jixiao.model import (
    FIELD_LABELS,
    FUND_COLUMN_LABELS,
    FUND_COLUMNS,
    FUND_PATHS,
    FUND_ROW_LABELS,
    FUND_ROWS,
    INDICATOR_LABELS,
    FormFileError,
    SelfEvaluation,
    form_from_dict,
    value_at,
)

TEXT_FIELDS = ("project", "department", "unit", "grade")
INDICATOR_TEXT = ("level1", "level2", "name", "target", "actual", "deviation")
INDICATOR_NUMBERS = ("weight", "score")
INDICATOR_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")
AMOUNT_UNITS = ("万元", "元")
MAX_TEXT = 4000
MAX_ROWS = 200


@dataclass
class Parsed:
    """The form built from the page (None when invalid) and the messages, by field."""

    form: SelfEvaluation | None
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field name, message)

    @property
    def ok(self) -> bool:
        return self.form is not None and not self.errors

    def messages(self) -> list[str]:
        return [m for _, m in self.errors]

    def fields(self) -> set[str]:
        return {f for f, _ in self.errors}


def _number(raw: str, label: str, name: str, errors: list[tuple[str, str]]) -> str | None:
    text = raw.strip().replace(",", "").replace("，", "")
    if text in ("", "-", "—"):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.append((name, f"{label}：“{raw.strip()[:30]}”不是有效的数字"))
        return None
    if not value.is_finite():
        errors.append((name, f"{label}：“{raw.strip()[:30]}”不是有效的数字"))
        return None
    if value < 0:
        errors.append((name, f"{label}：不能为负数"))
        return None
    if abs(value) >= Decimal("1e15"):
        errors.append((name, f"{label}：数值过大"))
        return None
    return str(value)


def _text(raw: str, label: str, name: str, errors: list[tuple[str, str]]) -> str:
    if len(raw) > MAX_TEXT:
        errors.append((name, f"{label}：不能超过 {MAX_TEXT} 个字"))
        return raw[:MAX_TEXT]
    return raw.replace("\r\n", "\n")


def parse(post: QueryDict, base: SelfEvaluation) -> Parsed:
    """The form the page describes, on top of ``base`` (fields the page lacks are kept)."""
    errors: list[tuple[str, str]] = []
    data: dict[str, Any] = copy.deepcopy(base.to_json_dict())

    year_raw = post.get("year", "").strip()
    if not year_raw:
        data["year"] = None
        errors.append(("year", "年度：请填写年度"))
    elif not year_raw.isdigit() or not 1990 <= int(year_raw) <= 2100:
        errors.append(("year", f"年度：“{year_raw[:10]}”不是有效的年份（1990–2100）"))
    else:
        data["year"] = int(year_raw)
    for name in TEXT_FIELDS:
        if name in post:
            data[name] = _text(post.get(name, ""), FIELD_LABELS[name], name, errors).strip()
    if not data.get("project"):
        errors.append(("project", "项目名称：不能为空"))
    if data.get("grade") == "":
        data["grade"] = None
    unit = post.get("amount_unit", data.get("amount_unit") or "万元")
    if unit not in AMOUNT_UNITS:
        errors.append(("amount_unit", "金额单位：只能是“万元”或“元”"))
    else:
        data["amount_unit"] = unit

    funds = data.setdefault("funds", {})
    for row in FUND_ROWS:
        cells = funds.setdefault(row, {})
        for col in FUND_COLUMNS:
            name = f"funds.{row}.{col}"
            if name in post:
                label = f"项目资金·{FUND_ROW_LABELS[row]}·{FUND_COLUMN_LABELS[col]}"
                cells[col] = _number(post.get(name, ""), label, name, errors)
    goals = data.setdefault("goals", {})
    for key in ("expected", "achieved"):
        name = f"goals.{key}"
        if name in post:
            goals[key] = _text(post.get(name, ""), FIELD_LABELS[name], name, errors)
    for name in ("total_weight", "total_score"):
        if name in post:
            data[name] = _number(post.get(name, ""), FIELD_LABELS[name], name, errors)

    if "ind_name" in post:
        data["indicators"] = _indicators(post, data.get("indicators") or [], errors)

    if errors:
        return Parsed(None, errors)
    try:
        form = form_from_dict(json.loads(json.dumps(data), parse_float=Decimal))
    except FormFileError as err:
        return Parsed(None, [("", f"表单内容有误：{err}")])
    return Parsed(form, [])


def _indicators(
    post: QueryDict, old_rows: list[dict[str, Any]], errors: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    columns = {k: post.getlist(f"ind_{k}") for k in INDICATOR_FIELDS}
    origins = post.getlist("ind_origin")
    count = len(columns["name"])
    if any(len(v) != count for v in columns.values()):
        errors.append(("indicators", "指标表：各列行数不一致，请刷新页面后重试"))
        return old_rows
    if count > MAX_ROWS:
        errors.append(("indicators", f"指标表：最多 {MAX_ROWS} 行"))
        return old_rows
    rows = []
    for i in range(count):
        origin = origins[i] if i < len(origins) else ""
        row: dict[str, Any] = {}
        if origin.isdigit() and int(origin) < len(old_rows):
            row = copy.deepcopy(old_rows[int(origin)])  # keep fields the page does not show
        for k in INDICATOR_TEXT:
            label = f"第{i + 1}行指标·{INDICATOR_LABELS[k]}"
            row[k] = _text(columns[k][i], label, f"ind_{k}.{i}", errors).strip()
        for k in INDICATOR_NUMBERS:
            label = f"第{i + 1}行指标·{INDICATOR_LABELS[k]}"
            row[k] = _number(columns[k][i], label, f"ind_{k}.{i}", errors)
        if not row["name"]:
            errors.append((f"ind_name.{i}", f"第{i + 1}行指标·三级指标：名称不能为空"))
        rows.append(row)
    return rows


# Every single field of the form the page edits: all the model names, but the fixed title.
HEADER_FIELDS = tuple(path for path in FIELD_LABELS if path != "title")


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def page_values(form: SelfEvaluation) -> dict[str, Any]:
    """What the edit page shows for ``form``: every field as text, rows in order."""
    values: dict[str, Any] = {
        path: _shown(value_at(form, path)) for path in (*HEADER_FIELDS, *FUND_PATHS)
    }
    values["rows"] = [
        {"origin": str(i), **{k: _shown(getattr(ind, k)) for k in INDICATOR_FIELDS}}
        for i, ind in enumerate(form.indicators)
    ]
    return values


def posted_values(post: QueryDict, form: SelfEvaluation) -> dict[str, Any]:
    """What the user sent, as typed (to show again beside the messages after a failed save)."""
    values = page_values(form)
    for name in (*HEADER_FIELDS, *FUND_PATHS):
        if name in post:
            values[name] = post.get(name, "")
    if "ind_name" in post:
        columns = {k: post.getlist(f"ind_{k}") for k in ("origin", *INDICATOR_FIELDS)}
        count = len(columns["name"])
        values["rows"] = [
            {k: (v[i] if i < len(v) else "") for k, v in columns.items()} for i in range(count)
        ]
    return values


def next_year(form: SelfEvaluation) -> SelfEvaluation:
    """Next year's form started from this one: same project, goals and indicators with
    their targets and 分值; this year's results (执行数, 完成值, 得分, 等级) left empty."""
    data = form.to_json_dict()
    data["year"] = (form.year + 1) if form.year else None
    for row in data.get("funds", {}).values():
        for col in ("initial", "adjusted", "executed", "rate", "score"):
            row[col] = None
    data["goals"] = {**data.get("goals", {}), "achieved": ""}
    for ind in data.get("indicators", []):
        ind["actual"] = ""
        ind["score"] = None
        ind["deviation"] = ""
    data["total_score"] = None
    data["grade"] = None
    for key in ("source", "gaps", "index"):
        data.pop(key, None)
    return form_from_dict(json.loads(json.dumps(data), parse_float=Decimal))


def blank(year: int, project: str, department: str, unit: str) -> SelfEvaluation:
    """A new empty form with the official indicator skeleton's 分值 left to the user."""
    return SelfEvaluation(
        year=year,
        project=project,
        department=department,
        unit=unit,
        total_weight=Decimal(100),
    )
