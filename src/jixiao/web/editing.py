"""The edit page's fields ↔ the canonical form, validated by Django form fields with their
messages in Chinese: :data:`HEADER_INPUTS` (表头, 目标, 总分), :data:`FUND_INPUTS` (项目资金)
and :data:`ROW_INPUTS` (one indicator row), each field cleaned as a Django form of
them would clean it (:func:`_clean`).

Field names: ``year``, ``project`` …, ``funds.<row>.<column>``, ``goals.expected``, and one
list per indicator column (``ind_name`` …) whose order is the rows' order on the page (rows
move without renumbering); :func:`parse` hands those lists to the formset as its rows.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.http import QueryDict

from jixiao.layouts import all_layouts, builtin_ids, label_key
from jixiao.model import (
    FIELD_LABELS,
    FUND_COLUMN_LABELS,
    FUND_PATHS,
    FUND_ROW_LABELS,
    FUND_ROWS,
    INDICATOR_LABELS,
    INDICATOR_NUMBER_LABELS,
    FormFileError,
    SelfEvaluation,
    checkbox_from_text,
    form_from_dict,
    value_at,
)
from jixiao.values import EMPTY_VALUES
from jixiao.web import layout_fields
from jixiao.web.layout_fields import Fields

TEXT_FIELDS = ("project", "department", "unit", "grade")
INDICATOR_TEXT = ("level1", "level2", "name", "target", "actual", "deviation")
INDICATOR_NUMBERS = ("weight", "score")
INDICATOR_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")
# every indicator column the page may send (河北's 权重占比 / 折算得分 where the layout has them)
ROW_FIELDS = (*INDICATOR_FIELDS, "share", "adjusted_score")
AMOUNT_UNITS = ("万元", "元")
# 版式: the declared layouts by name; "" places the form by its content
LAYOUT_CHOICES: tuple[tuple[str, str], ...] = tuple((x.id, x.name) for x in all_layouts())
MAX_TEXT = 4000
MAX_ROWS = 200
YEARS = (1990, 2100)
NULL_CHARACTER = "含控制字符（\\x00），请删除后再保存"
CHECKBOX_HINT = "请用 ☑ 标出选中的选项、□ 标出未选的（如 ☑经常性项目 □一次性项目）"


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


# --- fields (their names are the page's: "funds.total.rate", "goals.expected" …) ------------

# 表头, 年度总体目标 and 总分: the form's single fields
HEADER_INPUTS: dict[str, forms.Field] = {
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
}

# 项目资金: every cell of the block
FUND_INPUTS: dict[str, forms.Field] = {path: AmountField() for path in FUND_PATHS}

# one row of the indicator table; ``origin`` is the row's index when the page was opened
# (its fields the page does not show are kept), empty for a new row
ROW_INPUTS: dict[str, forms.Field] = {
    "origin": forms.CharField(required=False),
    "level1": _text(),
    "level2": _text(),
    "name": forms.CharField(
        max_length=MAX_TEXT,
        error_messages={
            "required": "名称不能为空",
            "max_length": f"不能超过 {MAX_TEXT} 个字",
            "null_characters_not_allowed": NULL_CHARACTER,
        },
    ),
    "target": _text(),
    "actual": _text(),
    "weight": AmountField(),
    "score": AmountField(),
    "deviation": _text(),
    "share": AmountField(),
    "adjusted_score": AmountField(),
}


@dataclass
class Cleaned:
    """What a Django form of some fields, bound to some values, gives: ``cleaned_data``
    (the fields that passed) and ``errors`` (field → its messages, in the fields' order)."""

    data: dict[str, Any]
    errors: dict[str, list[str]]


def _clean(fields: dict[str, forms.Field], values: Any) -> Cleaned:
    """Each field's ``clean`` of its value (``values.get(name)``, as a text input reads it),
    as a Django form of ``fields`` cleans them (these have no ``clean_<name>`` or
    ``clean`` of their own), without the form: a save checks about 170 fields (the header,
    the funds, every indicator row's), and the form's machinery (a bound field made for each,
    the formset's forms) cost more than the fields' own cleaning."""
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, one in fields.items():
        try:
            data[name] = one.clean(values.get(name))
        except forms.ValidationError as err:
            errors[name] = err.messages
    return Cleaned(data, errors)


def _row(values: dict[str, str]) -> Cleaned | None:
    """An indicator row cleaned as the formset cleaned it, or None for a row left wholly
    empty (nothing typed: a formset's added form with nothing changed is not checked)."""
    if not any(f.has_changed(None, values.get(n)) for n, f in ROW_INPUTS.items()):
        return None
    return _clean(ROW_INPUTS, values)


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
        return [m for _, m in _form_errors(self.errors, labels.__getitem__, str)]


def _labels(name: str) -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    if name.startswith("funds."):
        _, row, col = name.split(".")
        return f"项目资金·{FUND_ROW_LABELS[row]}·{FUND_COLUMN_LABELS[col]}"
    return name


def _form_errors(errors: Any, label: Any, key: Any) -> list[tuple[str, str]]:
    """A form's (or :class:`Cleaned`'s) errors, each message naming its field's place."""
    return [
        (key(name), f"{label(name)}：{message}")
        for name, messages in errors.items()
        for message in messages
    ]


def _posted_columns(post: QueryDict) -> list[str]:
    """The indicator columns the page sent (``ind_<field>``, ``ind_x_<id>``), by key."""
    keys = [k.removeprefix("ind_") for k in post if k.startswith("ind_") and k != "ind_origin"]
    return [k for k in keys if k in ROW_FIELDS or k.startswith("x_")]


def _rows_data(post: QueryDict) -> list[dict[str, str]] | None:
    """The page's parallel row lists (ind_name …, in the rows' order on the page) as one
    mapping a row; None when the lists differ in length. A column the page does not show
    is cleaned empty (and kept from the row as it was: :func:`_indicators`)."""
    sent = [k for k in _posted_columns(post) if k in ROW_FIELDS]
    columns = {k: post.getlist(f"ind_{k}") for k in sent}
    extras = [post.getlist(f"ind_{k}") for k in _posted_columns(post) if k.startswith("x_")]
    origins = post.getlist("ind_origin")
    count = len(columns["name"])
    if any(len(v) != count for v in [*columns.values(), *extras]):
        return None
    return [
        {
            "origin": origins[i] if i < len(origins) else "",
            **{k: columns[k][i] if k in columns else "" for k in ROW_FIELDS},
        }
        for i in range(count)
    ]


def parse(post: QueryDict, base: SelfEvaluation) -> Parsed:
    """The form the page describes, on top of ``base`` (fields the page lacks are kept),
    through the Django fields above; their messages name the field in the form's words."""
    errors: list[tuple[str, str]] = []
    data: dict[str, Any] = base.to_json_dict()  # built anew at each call: ours to change
    fields = layout_fields.fields_of(base)

    defaults = {name: _shown(value_at(base, name)) for name in HEADER_INPUTS}
    header = _clean(HEADER_INPUTS, {**defaults, **{k: post[k] for k in HEADER_INPUTS if k in post}})
    funds = _clean(FUND_INPUTS, post)
    errors += _form_errors(header.errors, _labels, str)
    errors += _form_errors(funds.errors, _labels, str)
    for name, value in header.data.items():  # the fields that passed
        _set(data, name, value)
    for name, value in funds.data.items():
        if name in post:  # a cell the page did not send keeps its value
            _set(data, name, value)
    if data.get("grade") == "":
        data["grade"] = None
    errors += _layout_cells(post, fields, data)
    if "layout" in post:
        chosen = post["layout"].strip()
        if chosen and chosen not in builtin_ids() and chosen != base.layout:
            errors.append(("layout", "版式：请选择已声明的版式"))
        else:
            data["layout"] = chosen or None

    if "ind_name" in post:
        rows_data = _rows_data(post)
        if rows_data is None:
            errors.append(("indicators", "指标表：各列行数不一致，请刷新页面后重试"))
        else:
            # at most one row beyond the limit is checked (so many rows are refused anyway)
            rows = [_row(values) for values in rows_data[: MAX_ROWS + 1]]
            labels = {**INDICATOR_LABELS, **INDICATOR_NUMBER_LABELS}
            labels |= {c.key: c.caption for c in fields.indicator_columns}
            too_many = len(rows_data) > MAX_ROWS
            if too_many or any(row is not None and row.errors for row in rows):
                if too_many:
                    errors.append(("indicators", f"指标表：最多 {MAX_ROWS} 行"))
                for i, row in enumerate(rows):
                    errors += _form_errors(
                        row.errors if row is not None else {},
                        lambda name, i=i: f"第{i + 1}行指标·{labels.get(name, name)}",
                        lambda name, i=i: f"ind_{name}.{i}",
                    )
            else:
                sent = _posted_columns(post)
                data["indicators"] = _indicators(rows, data.get("indicators") or [], sent)
                errors += _indicator_extras(post, fields, data["indicators"], sent)
                data["indicators"], unnamed = _without_empty_rows(rows, data["indicators"])
                errors += [
                    (f"ind_name.{i}", f"第{i + 1}行指标·三级指标：名称不能为空") for i in unnamed
                ]

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


def _indicators(
    rows: list[Cleaned | None], old_rows: list[dict[str, Any]], sent: list[str]
) -> list[dict[str, Any]]:
    """The rows as the page sent them, each on top of the row it was when the page was
    opened (its ``origin``: fields the page does not show are kept). ``old_rows`` are the
    parse's own (``to_json_dict`` builds them anew), so a row is taken as it is, and copied
    only when two rows of the page name the same origin."""
    origins = [(row.data.get("origin") or "") if row is not None else "" for row in rows]
    twice = {origin for origin, n in Counter(origins).items() if n > 1}
    out = []
    for cleaned_row, origin in zip(rows, origins, strict=True):
        cleaned = cleaned_row.data if cleaned_row is not None else {}
        row: dict[str, Any] = {}
        if origin.isdigit() and int(origin) < len(old_rows):
            old = old_rows[int(origin)]
            row = copy.deepcopy(old) if origin in twice else old
        for k in ROW_FIELDS:
            if k not in sent:
                continue
            value = cleaned.get(k)
            row[k] = value.replace("\r\n", "\n") if isinstance(value, str) else value
        out.append(row)
    return out


def _clean_text(value: str, where: str) -> tuple[str | None, str | None]:
    """A typed text cell (line ends as ``\n``), or the message why it cannot be kept."""
    if "\x00" in value:
        return None, f"{where}：{NULL_CHARACTER}"
    if len(value) > MAX_TEXT:
        return None, f"{where}：不能超过 {MAX_TEXT} 个字"
    return value.strip().replace("\r\n", "\n"), None


def _without_empty_rows(
    rows: list[Cleaned | None], out: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[int]]:
    """The rows but those added on the page and left wholly empty (not checked: their
    fields are None), and the indexes of such rows that have only an added column typed
    (a row with no name)."""
    kept, unnamed = [], []
    for i, (cleaned, row) in enumerate(zip(rows, out, strict=True)):
        if cleaned is not None:
            kept.append(row)
        elif row.get("extras"):
            unnamed.append(i)
    return kept, unnamed


def _indicator_extras(
    post: QueryDict, fields: Fields, rows: list[dict[str, Any]], sent: list[str]
) -> list[tuple[str, str]]:
    """The layout's added text columns (指标性质, 度量单位 …) into each row's ``extras``."""
    errors = []
    for column in fields.indicator_columns:
        if column.extra is None or column.key not in sent:
            continue
        for i, value in enumerate(post.getlist(f"ind_{column.key}")):
            text, problem = _clean_text(value, f"第{i + 1}行指标·{column.caption}")
            if problem is not None:
                errors.append((f"ind_{column.key}.{i}", problem))
                continue
            extras = rows[i].setdefault("extras", {})
            if text:
                extras[column.extra] = text
            else:
                extras.pop(column.extra, None)
    return errors


def _amount(value: str, where: str, name: str) -> tuple[Any, list[tuple[str, str]]]:
    """A typed number cell through :class:`AmountField` (its messages, naming the place)."""
    try:
        return AmountField().clean(value), []
    except forms.ValidationError as err:
        return None, [(name, f"{where}：{m}") for m in err.messages]


def _layout_cells(post: QueryDict, fields: Fields, data: dict[str, Any]) -> list[tuple[str, str]]:
    """The fund cells, 一级 weights and check boxes the layout adds, into ``data``."""
    errors: list[tuple[str, str]] = []
    funds = data.setdefault("funds", {})
    added = funds.setdefault("extras", {})
    n = 0
    for spec in fields.fund_rows:
        label: str | None = None
        if spec.key is None:
            label = next((k for k in added if label_key(k) == label_key(spec.caption)), None)
            row = added.get(label or spec.caption, {})
        else:
            row = funds[spec.key]
        touched = False
        for col in fields.fund_columns:
            if spec.key is not None and col.extra is None:
                continue  # the four rows' model cells: FUND_INPUTS
            name = layout_fields.fund_name(spec, n, col)
            if name not in post:
                continue
            touched = True
            where = f"项目资金·{spec.caption}·{col.caption}"
            if col.extra is not None:
                text, problem = _clean_text(post[name], where)
                if problem is not None:
                    errors.append((name, problem))
                elif text:
                    row.setdefault("extras", {})[col.extra] = text
                else:
                    row.setdefault("extras", {}).pop(col.extra, None)
            else:
                value, bad = _amount(post[name], where, name)
                errors += bad
                row[col.key] = value
        if spec.key is None:
            n += 1
            filled = any(v not in (None, {}, "") for v in row.values())
            if touched and (label is not None or filled):
                added[label or spec.caption] = row
    if not added:
        funds.pop("extras", None)
    if "l1w_label" in post:
        errors += _level1_weights(post, data)
    if "cb_label" in post:
        errors += _checkboxes(post, data)
    return errors


def _level1_weights(post: QueryDict, data: dict[str, Any]) -> list[tuple[str, str]]:
    """一级指标分值: each label with a weight typed (an empty weight: none printed)."""
    errors: list[tuple[str, str]] = []
    out = []
    labels, weights = post.getlist("l1w_label"), post.getlist("l1w_weight")
    for i, (label, typed) in enumerate(zip(labels, weights, strict=False)):
        name = f"l1w_weight.{i}"
        weight, bad = _amount(typed, f"一级指标分值·{label.strip() or f'第{i + 1}项'}", name)
        errors += bad
        if label.strip() and weight is not None:
            out.append({"label": label.strip(), "weight": weight})
    data["level1_weights"] = out
    return errors


def _checkboxes(post: QueryDict, data: dict[str, Any]) -> list[tuple[str, str]]:
    """The head's check boxes: the options ticked of a box the form has; a box it lacks
    typed as text (☑经常性项目 □一次性项目)."""
    errors: list[tuple[str, str]] = []
    boxes = list(data.get("checkboxes") or [])
    for n, label in enumerate(post.getlist("cb_label")):
        key = label_key(label)
        at = next((i for i, b in enumerate(boxes) if label_key(b.get("label", "")) == key), None)
        if at is not None:
            options = boxes[at].get("options") or []
            ticked = set(post.getlist(f"cb.{n}"))
            boxes[at] = {**boxes[at], "checked": [o for o in options if o in ticked]}
            continue
        text = post.get(f"cb_text.{n}", "").strip()
        if not text:
            continue
        box = checkbox_from_text(label, text)
        if box is None:
            errors.append((f"cb_text.{n}", f"{label}：{CHECKBOX_HINT}"))
            continue
        boxes.append(box.model_dump(mode="json"))
    data["checkboxes"] = boxes
    return errors


# Every single field of the form the page edits: all the model names, but the fixed title.
HEADER_FIELDS = tuple(path for path in FIELD_LABELS if path != "title")


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def page_values(form: SelfEvaluation, fields: Fields | None = None) -> dict[str, Any]:
    """What the edit page shows for ``form``: every field as text, rows in order, and the
    cells its layout adds (``fields``: :func:`jixiao.web.layout_fields.fields_of`)."""
    fields = fields or layout_fields.fields_of(form)
    values: dict[str, Any] = {
        path: _shown(value_at(form, path)) for path in (*HEADER_FIELDS, *FUND_PATHS)
    }
    values.update(layout_fields.fund_values(form, fields))
    columns = fields.indicator_columns
    values["rows"] = [
        {"origin": str(i), **{c.key: layout_fields.indicator_value(ind, c) for c in columns}}
        for i, ind in enumerate(form.indicators)
    ]
    values["layout"] = form.layout or ""
    values["level1_weights"] = layout_fields.level1_values(form)
    values["checkboxes"] = layout_fields.checkbox_values(form, fields)
    return values


def posted_values(
    post: QueryDict, form: SelfEvaluation, fields: Fields | None = None
) -> dict[str, Any]:
    """What the user sent, as typed (to show again beside the messages after a failed save)."""
    fields = fields or layout_fields.fields_of(form)
    values = page_values(form, fields)
    for name in list(values):
        if name in post and name not in ("rows", "level1_weights", "checkboxes"):
            values[name] = post.get(name, "")
    if "ind_name" in post:
        keys = ("origin", *_posted_columns(post))
        columns = {k: post.getlist(f"ind_{k}") for k in keys}
        count = len(columns["name"])
        values["rows"] = [
            {k: (v[i] if i < len(v) else "") for k, v in columns.items()} for i in range(count)
        ]
    if "l1w_label" in post:
        values["level1_weights"] = [
            {"label": label, "weight": weight}
            for label, weight in zip(
                post.getlist("l1w_label"), post.getlist("l1w_weight"), strict=False
            )
        ]
    for n, box in enumerate(values["checkboxes"]):
        if f"cb_text.{n}" in post:
            box["text"] = post.get(f"cb_text.{n}", "")
        elif "cb_label" in post and box["options"]:
            box["checked"] = post.getlist(f"cb.{n}")
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
        ind.pop("adjusted_score", None)  # 河北's 折算得分 is this year's result; 权重占比 stays
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
