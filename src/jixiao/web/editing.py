"""The edit page's fields ↔ the canonical form, validated by Django forms with their
messages in Chinese: :class:`HeaderForm` (表头, 目标, 总分), :class:`FundsForm` (项目资金) and
:data:`IndicatorFormSet` (one :class:`IndicatorForm` per row).

Field names: ``year``, ``project`` …, ``funds.<row>.<column>``, ``goals.expected``, and one
list per indicator column (``ind_name`` …) whose order is the rows' order on the page (rows
move without renumbering); :func:`parse` hands those lists to the formset as its rows.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.http import QueryDict

from jixiao.model import (
    FIELD_LABELS,
    FUND_COLUMN_LABELS,
    FUND_PATHS,
    FUND_ROW_LABELS,
    FUND_ROWS,
    INDICATOR_LABELS,
    FormFileError,
    SelfEvaluation,
    form_from_dict,
    value_at,
)
from jixiao.values import EMPTY_VALUES

TEXT_FIELDS = ("project", "department", "unit", "grade")
INDICATOR_TEXT = ("level1", "level2", "name", "target", "actual", "deviation")
INDICATOR_NUMBERS = ("weight", "score")
INDICATOR_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")
AMOUNT_UNITS = ("万元", "元")
MAX_TEXT = 4000
MAX_ROWS = 200
YEARS = (1990, 2100)
NULL_CHARACTER = "含控制字符（\\x00），请删除后再保存"


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


# --- fields ---------------------------------------------------------------------------------


class AmountField(forms.CharField):
    """A number as typed on the form: thousands separators dropped, an empty value
    (``EMPTY_VALUES``: "", "-", "—", "/", "无" …) empty;
    cleaned to its exact decimal text (never a float), non-negative, below 10¹⁵."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s”不是有效的数字",
        "negative": "不能为负数",
        "too_big": "数值过大",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, strip=True, **kwargs)

    def to_python(self, value: Any) -> str | None:  # type: ignore[override]
        text = str(super().to_python(value)).replace(",", "").replace("，", "")
        if text in EMPTY_VALUES:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise forms.ValidationError(
                self.error_messages["invalid"], "invalid", {"value": str(value).strip()[:30]}
            )
        if number < 0:
            raise forms.ValidationError(self.error_messages["negative"], "negative")
        if abs(number) >= Decimal("1e15"):
            raise forms.ValidationError(self.error_messages["too_big"], "too_big")
        return str(number)


def _text(required: bool = False, strip: bool = True) -> forms.CharField:
    return forms.CharField(
        required=required,
        strip=strip,
        max_length=MAX_TEXT,
        error_messages={
            "required": "不能为空",
            "max_length": f"不能超过 {MAX_TEXT} 个字",
            "null_characters_not_allowed": NULL_CHARACTER,
        },
    )


def check_year(year: int) -> int:
    """A 年度 typed on a page (填报任务, 抽查批次): within YEARS, or refused in Chinese."""
    if not YEARS[0] <= year <= YEARS[1]:
        raise forms.ValidationError(f"年度：请填写有效的年份（{YEARS[0]}–{YEARS[1]}）")
    return year


def one_line(text: object, required: str) -> str:
    """A title typed on a page, its white space folded to single spaces; ``required`` is
    the message when nothing is left."""
    title = " ".join(str(text).split())
    if not title:
        raise forms.ValidationError(required)
    return title


class YearField(forms.CharField):
    """年度: an integer in YEARS, with the typed text named in the message."""

    def __init__(self) -> None:
        super().__init__(error_messages={"required": "请填写年度"})

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = str(super().to_python(value))
        if not text:
            return None
        if not text.isdigit() or not YEARS[0] <= int(text) <= YEARS[1]:
            raise forms.ValidationError(
                "“%(value)s”不是有效的年份（%(low)s–%(high)s）",
                "invalid",
                {"value": text[:10], "low": YEARS[0], "high": YEARS[1]},
            )
        return int(text)


# --- forms (field names are the page's: "funds.total.rate", "goals.expected" …) ---------------

HeaderForm: type[forms.Form] = type(
    "HeaderForm",
    (forms.Form,),
    {
        "__doc__": "表头, 年度总体目标 and 总分: the form's single fields.",
        "year": YearField(),
        "project": _text(required=True),
        "department": _text(),
        "unit": _text(),
        "grade": _text(),
        "amount_unit": forms.ChoiceField(
            choices=[(u, u) for u in AMOUNT_UNITS],
            error_messages={"invalid_choice": "只能是“万元”或“元”", "required": "请选择"},
        ),
        "goals.expected": _text(strip=False),
        "goals.achieved": _text(strip=False),
        "total_weight": AmountField(),
        "total_score": AmountField(),
    },
)

FundsForm: type[forms.Form] = type(
    "FundsForm",
    (forms.Form,),
    {
        "__doc__": "项目资金: every cell of the block.",
        **{path: AmountField() for path in FUND_PATHS},
    },
)


class IndicatorForm(forms.Form):
    """One row of the indicator table; ``origin`` is the row's index when the page was
    opened (its fields the page does not show are kept), empty for a new row."""

    origin = forms.CharField(required=False)
    level1 = _text()
    level2 = _text()
    name = forms.CharField(
        max_length=MAX_TEXT,
        error_messages={
            "required": "名称不能为空",
            "max_length": f"不能超过 {MAX_TEXT} 个字",
            "null_characters_not_allowed": NULL_CHARACTER,
        },
    )
    target = _text()
    actual = _text()
    weight = AmountField()
    score = AmountField()
    deviation = _text()


IndicatorFormSet = forms.formset_factory(
    IndicatorForm, extra=0, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS + 1
)
INDICATOR_PREFIX = "ind"


class NewForm(forms.Form):
    """新建表单: the unit (one of ``units``), 年度 and 项目名称."""

    unit = forms.ModelChoiceField(
        queryset=None,
        error_messages={
            "required": "请选择您管辖范围内的预算单位",
            "invalid_choice": "请选择您管辖范围内的预算单位",
        },
    )
    year = YearField()
    project = forms.CharField(
        max_length=300,
        error_messages={
            "required": "不能为空",
            "max_length": "不能超过 300 个字",
            "null_characters_not_allowed": NULL_CHARACTER,
        },
    )

    def __init__(self, data: Any, units: Any) -> None:
        super().__init__(data)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def messages(self) -> list[str]:
        labels = {"unit": "预算单位", "year": "年度", "project": "项目名称"}
        return [m for _, m in _form_errors(self, labels.__getitem__, str)]


def _labels(name: str) -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    if name.startswith("funds."):
        _, row, col = name.split(".")
        return f"项目资金·{FUND_ROW_LABELS[row]}·{FUND_COLUMN_LABELS[col]}"
    return name


def _form_errors(form: forms.Form, label: Any, key: Any) -> list[tuple[str, str]]:
    return [
        (key(name), f"{label(name)}：{message}")
        for name, messages in form.errors.items()
        for message in messages
    ]


def _rows_data(post: QueryDict) -> dict[str, Any] | None:
    """The page's parallel row lists (ind_name …, in the rows' order on the page) as the
    formset's data; None when the lists differ in length."""
    columns = {k: post.getlist(f"ind_{k}") for k in INDICATOR_FIELDS}
    origins = post.getlist("ind_origin")
    count = len(columns["name"])
    if any(len(v) != count for v in columns.values()):
        return None
    data: dict[str, Any] = {
        f"{INDICATOR_PREFIX}-TOTAL_FORMS": str(count),
        f"{INDICATOR_PREFIX}-INITIAL_FORMS": "0",
    }
    for i in range(count):
        data[f"{INDICATOR_PREFIX}-{i}-origin"] = origins[i] if i < len(origins) else ""
        for k in INDICATOR_FIELDS:
            data[f"{INDICATOR_PREFIX}-{i}-{k}"] = columns[k][i]
    return data


def parse(post: QueryDict, base: SelfEvaluation) -> Parsed:
    """The form the page describes, on top of ``base`` (fields the page lacks are kept),
    through the Django forms above; their messages name the field in the form's words."""
    errors: list[tuple[str, str]] = []
    data: dict[str, Any] = copy.deepcopy(base.to_json_dict())

    defaults = {name: _shown(value_at(base, name)) for name in HeaderForm.base_fields}
    header = HeaderForm({**defaults, **{k: post[k] for k in HeaderForm.base_fields if k in post}})
    funds = FundsForm(post)
    errors += _form_errors(header, _labels, str)
    errors += _form_errors(funds, _labels, str)
    for name, value in header.cleaned_data.items():  # the fields that passed
        _set(data, name, value)
    for name, value in funds.cleaned_data.items():
        if name in post:  # a cell the page did not send keeps its value
            _set(data, name, value)
    if data.get("grade") == "":
        data["grade"] = None

    if "ind_name" in post:
        rows_data = _rows_data(post)
        if rows_data is None:
            errors.append(("indicators", "指标表：各列行数不一致，请刷新页面后重试"))
        else:
            rows = IndicatorFormSet(rows_data, prefix=INDICATOR_PREFIX)
            if not rows.is_valid():
                if rows.non_form_errors():
                    errors.append(("indicators", f"指标表：最多 {rows.max_num} 行"))
                for i, row in enumerate(rows.forms):
                    errors += _form_errors(
                        row,
                        lambda name, i=i: f"第{i + 1}行指标·{INDICATOR_LABELS[name]}",
                        lambda name, i=i: f"ind_{name}.{i}",
                    )
            else:
                data["indicators"] = _indicators(rows, data.get("indicators") or [])

    if errors:
        return Parsed(None, errors)
    try:
        form = form_from_dict(json.loads(json.dumps(data), parse_float=Decimal))
    except FormFileError as err:
        return Parsed(None, [("", f"表单内容有误：{err}")])
    return Parsed(form, [])


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at a dotted path of the canonical JSON dict (line ends as ``\\n``)."""
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value.replace("\r\n", "\n") if isinstance(value, str) else value


def _indicators(rows: Any, old_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row_form in rows.forms:
        cleaned = row_form.cleaned_data
        origin = cleaned.get("origin") or ""
        row: dict[str, Any] = {}
        if origin.isdigit() and int(origin) < len(old_rows):
            row = copy.deepcopy(old_rows[int(origin)])  # keep fields the page does not show
        for k in INDICATOR_FIELDS:
            value = cleaned.get(k)
            row[k] = value.replace("\r\n", "\n") if isinstance(value, str) else value
        out.append(row)
    return out


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
    for name in FUND_ROWS:  # funds.extras (other rows, as written) are kept as they are
        row = data["funds"][name]
        for col in ("initial", "adjusted", "executed", "rate", "score"):
            row[col] = None
    data["goals"] = {**data.get("goals", {}), "achieved": ""}
    for ind in data.get("indicators", []):
        ind["actual"] = ""
        ind["score"] = None
        ind["deviation"] = ""
    data["total_score"] = None
    data["grade"] = None
    for key in ("source", "gaps", "index", "unmapped"):  # this year's file, not the form
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
