"""The 财政项目支出绩效自评表 as exact, typed data.

Field names follow the canonical JSON of docs/form.md. Every value is what the form
*declares*; computed values live in :mod:`jixiao.scoring`, never here. Numbers are
``Decimal`` (JSON carries them as strings); "-" on the form is ``None``. What an importer
reads beyond the template's fields is declared too: ``extras`` (head fields, fund rows and
columns, indicator columns the template lacks), ``unmapped`` (cells placed nowhere, with
their place) and the source's pages and lines; each is left out of the JSON when empty.
Fields the model does not know are kept (``extra="allow"``) so nothing read is lost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Annotated, Any, ClassVar, Self, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from jixiao.limits import (
    BAD_TEXT,
    LimitExceeded,
    Limits,
    check_bytes,
    current,
    lone_surrogate,
    number_problem,
    text_problem,
)
from jixiao.messages import os_reason
from jixiao.values import EMPTY_VALUES, normalize, to_decimal


class _Checked:
    """Marks a field's type as checked by its model's one validator (:class:`OpenModel`):
    text (no control characters or lone surrogates, bounded length) or an amount (a sane
    magnitude). One check per model object, not one call per field, keeps reading fast."""

    def __init__(self, kind: str) -> None:
        self.kind = kind


TEXT_CHECK = _Checked("text")
AMOUNT_CHECK = _Checked("amount")
KEPT_CHECK = _Checked("kept")  # what an importer kept as written: checked as unknown keys are

# A Decimal that is written to JSON as its exact string ("1245.54", "10.00"), within the
# magnitude of :mod:`jixiao.limits` (1e999999999 would stall every computation).
Amount = Annotated[
    Decimal,
    Field(allow_inf_nan=False),
    AMOUNT_CHECK,
    PlainSerializer(lambda d: str(d), return_type=str, when_used="json"),
]
# Text without NUL or other control characters (tab and line breaks allowed; pydantic-core
# checks the characters, and refuses a lone surrogate as no valid string), bounded.
Text = Annotated[str, TEXT_CHECK]


def _check_kind(annotation: Any) -> str | None:
    """ "text" or "amount" when ``annotation`` (or a type inside it: ``Text | None``,
    ``list[Text]``) carries a check mark; else None."""
    for mark in getattr(annotation, "__metadata__", ()):
        if isinstance(mark, _Checked):
            return mark.kind
    for inner in get_args(annotation):
        kind = _check_kind(inner)
        if kind is not None:
            return kind
    return None


Place = tuple[int, ...]  # within a field: () for the value itself, (3,) for a list's 4th item


def _value_problem(kind: str, value: Any, limits: Limits) -> tuple[Place, str, Any] | None:
    """The first bad value in a checked field's ``value`` (a list's items one by one): its
    place within the field, the problem (Chinese) and the bad value; None when all is well."""
    if value is None:
        return None
    if kind == "kept":  # text in a mapping (``extras``): keys and values, as unknown keys
        problem = _extra_problem(value)
        return ((), problem, value) if problem else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _value_problem(kind, item, limits)
            if found is not None:
                return (i, *found[0]), found[1], found[2]
        return None
    problem = None
    if kind == "text":
        if isinstance(value, str):
            problem = text_problem(value, limits)
    elif isinstance(value, Decimal):
        bound = limits.max_number_exponent  # the usual case decided here, as number_problem
        if -bound <= value.adjusted() < bound and len(str(value)) <= limits.max_number_digits:
            return None
        problem = number_problem(value, limits)
    return ((), problem, value) if problem else None


def _refusal(field: str, place: Place, problem: str, value: Any) -> PydanticCustomError:
    """The error for a bad value of ``field``: ``describe_validation_error`` names the
    field's path and shows the value, as for any other field error."""
    return PydanticCustomError(
        "jixiao_value",
        "{field}: {problem}",
        # the value as shown in messages (its repr: a lone surrogate cannot be encoded)
        {"field": field, "place": list(place), "problem": problem, "shown": _shown(value)},
    )


def _extra_problem(value: Any, depth: int = 0) -> str | None:
    """The first bad text (or too deep nesting) in a value kept from an unknown field."""
    if depth > 20:
        return "嵌套层数过多"
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, dict):
        for key, item in value.items():
            problem = _extra_problem(key, depth + 1)
            if problem:
                return f"键名{problem}"
            problem = _extra_problem(item, depth + 1)
            if problem:
                return f"{key}: {problem}"
        return None
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            problem = _extra_problem(item, depth + 1)
            if problem:
                return f"[{i}]: {problem}"
    return None


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
# Indicator columns some layouts add that are numbers, typed on the row (河北's 折算得分);
# every other added column (指标性质, 度量单位 …) stays text in the row's ``extras``.
INDICATOR_NUMBER_LABELS: dict[str, str] = {
    "share": "权重占比",
    "adjusted_score": "折算得分",
}


def written_amount(text: str) -> Decimal | None:
    """A number as a fund cell writes it (``"1,245.54"``, ``"83.5%"``, ``"150万"``), without
    its % or unit sign; None when the text is empty or not such a number. The unit sign is
    dropped, not applied: the form's ``amount_unit`` says what the amounts count."""
    t = normalize(text)
    if t in EMPTY_VALUES:
        return None
    t = t.removesuffix("%").removesuffix("元").removesuffix("万")
    if not t or not (t[0].isdigit() or t[0] in "+-.") or "e" in t.lower():
        return None
    return to_decimal(t)


_Values = Callable[[dict[str, Any]], tuple[Any, ...]]


def texts_pass(texts: list[str]) -> bool:
    """Would every one of ``texts`` pass the model's text check (within the length, no bad
    character)? Decided for all of them at once (for :meth:`OpenModel.from_checked`)."""
    limits = current()
    joined = "".join(texts)
    most = limits.max_text_chars
    if len(joined) > most and max(map(len, texts)) > most:
        return False
    # every character BAD_TEXT finds is unprintable (a control or surrogate): printable text
    # (the usual case, told by one C pass, faster than the search) holds none of them
    return joined.isprintable() or BAD_TEXT.search(joined) is None


def amount_passes(value: Decimal) -> bool:
    """Would ``value`` pass as an amount (finite, within the magnitude)? (For
    :meth:`OpenModel.from_checked`.)"""
    return number_problem(value) is None


def _no_values(values: dict[str, Any]) -> tuple[Any, ...]:
    return ()


def _values_of(names: Sequence[str]) -> _Values:
    """The values of ``names`` in a model's ``__dict__``, as a tuple (one C call)."""
    if not names:
        return _no_values
    if len(names) == 1:
        name = names[0]
        return lambda values: (values[name],)
    return itemgetter(*names)


# The setters of the four slots of every pydantic object (its ``__dict__``, fields set,
# extra and private values), taken from pydantic's BaseModel once: what
# ``object.__setattr__(obj, name, value)`` calls after looking them up by name (which costs
# as much again). For the objects :meth:`OpenModel.from_checked` makes.
_SETTERS: tuple[Callable[[Any, Any], None], ...] = tuple(
    vars(BaseModel)[slot].__set__
    for slot in (
        "__dict__",
        "__pydantic_fields_set__",
        "__pydantic_extra__",
        "__pydantic_private__",
    )
)
_SET_DICT, _SET_FIELDS_SET, _SET_EXTRA, _SET_PRIVATE = _SETTERS


class OpenModel(BaseModel):
    """Base of every document model (the 自评表 here, the 申报表 and 监控表 in
    :mod:`jixiao.plans`): unknown fields are kept; assignment is validated.

    Text and amount fields (``Text``, ``Amount``) are checked by one validator per model
    object after pydantic has built it, and an assigned value before it is set."""

    model_config = ConfigDict(extra="allow", validate_assignment=True)
    # field name → "text" or "amount", from the fields' types (set for every subclass)
    _checked: ClassVar[dict[str, str]] = {}

    _texts: ClassVar[tuple[tuple[str, Any], ...]] = ()  # (name, default): a default is fine
    _amounts: ClassVar[tuple[str, ...]] = ()
    _kept: ClassVar[tuple[str, ...]] = ()
    # the values (from ``__dict__``) of the text fields that hold one text (or None), and of
    # the amount fields; the names of the text fields that hold a list (``_check_values``)
    _values: ClassVar[tuple[_Values, _Values]] = (_no_values, _no_values)
    _text_lists: ClassVar[tuple[str, ...]] = ()
    # every field's default in field order (None where a factory makes it), and the factories
    _defaults: ClassVar[dict[str, Any]] = {}
    _factories: ClassVar[tuple[tuple[str, Callable[[], Any]], ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        kinds = {
            name: _check_kind(Annotated[f.annotation, *f.metadata] if f.metadata else f.annotation)
            for name, f in cls.model_fields.items()
        }
        cls._checked = {name: kind for name, kind in kinds.items() if kind is not None}
        cls._texts = tuple(
            (name, cls.model_fields[name].default)
            for name, kind in cls._checked.items()
            if kind == "text"
        )
        cls._amounts = tuple(name for name, kind in cls._checked.items() if kind == "amount")
        cls._kept = tuple(name for name, kind in cls._checked.items() if kind == "kept")
        lists = tuple(
            name for name, _ in cls._texts if get_origin(cls.model_fields[name].annotation) is list
        )
        cls._text_lists = lists
        scalars = [name for name, _ in cls._texts if name not in lists]
        cls._values = (_values_of(scalars), _values_of(cls._amounts))
        fields = cls.model_fields
        cls._defaults = {n: None if f.default_factory else f.default for n, f in fields.items()}
        cls._factories = tuple(
            (n, f.default_factory)  # type: ignore[misc]  # (no factory takes the data)
            for n, f in fields.items()
            if f.default_factory is not None
        )

    @classmethod
    def from_checked(cls, values: dict[str, Any]) -> Self:
        """The object of ``values`` built without validating them again: for an importer
        that made them already as validation would (each of its field's type: a model
        object, a ``Decimal``, an ``int``; only fields the model declares) and checked them
        (:func:`texts_pass`, :func:`amount_passes`). The same object as
        ``model_validate(values)`` — fields set, defaults, order (``tests/test_model.py``) —
        at a fraction of the cost; any other caller validates."""
        obj = cls.__new__(cls)
        data = cls._defaults.copy()  # every field, in order
        for name, factory in cls._factories:
            if name not in values:
                data[name] = factory()
        data.update(values)
        _SET_DICT(obj, data)
        _SET_FIELDS_SET(obj, set(values))
        _SET_EXTRA(obj, {})
        _SET_PRIVATE(obj, None)
        return obj

    @classmethod
    def checked_maker(cls, names: tuple[str, ...]) -> Callable[[dict[str, Any]], Self]:
        """:meth:`from_checked` for objects whose values always come under ``names`` (an
        importer's rows, all of one shape: the caller sees to it), with what does not
        change from one object to the next worked out once. (It repeats :meth:`from_checked`'s
        body rather than calling a shared helper: the extra call per object made the seed
        import 6–9 % slower, measured alternately.)"""
        given = set(names)  # (each object's fields set: a copy of it, faster than set(names))
        factories = tuple((n, f) for n, f in cls._factories if n not in given)
        defaults = cls._defaults
        new = cls.__new__
        set_dict, set_fields, set_extra, set_private = _SETTERS

        def make(values: dict[str, Any]) -> Any:  # (an object of cls)
            obj = new(cls)
            data = defaults.copy()  # every field, in order
            for name, factory in factories:
                data[name] = factory()
            data.update(values)
            set_dict(obj, data)
            set_fields(obj, given.copy())
            set_extra(obj, {})
            set_private(obj, None)
            return obj

        return make

    @classmethod
    def whole_maker(cls, given: tuple[str, ...]) -> Callable[[dict[str, Any]], Self]:
        """:meth:`checked_maker` for values that hold every field of the model in its
        order, those beyond ``given`` (the fields set) at their defaults (a new object where
        a factory makes one): the caller's dict becomes the object's own, not copied onto
        the defaults (``tests/test_ingest_fast_paths.py`` compares such objects with those
        validation makes, field order and fields set included)."""
        new = cls.__new__
        set_dict, set_fields, set_extra, set_private = _SETTERS
        fields = set(given)  # (each object's fields set: a copy of it, faster than set(given))

        def make(values: dict[str, Any]) -> Any:  # (an object of cls)
            obj = new(cls)
            set_dict(obj, values)
            set_fields(obj, fields.copy())
            set_extra(obj, {})
            set_private(obj, None)
            return obj

        return make

    def set_checked(self, name: str, value: str) -> None:
        """Set the text field ``name`` to ``value`` as a validated assignment does (the
        field's value, and among the fields set), at once when ``value`` passes the text
        check (:func:`texts_pass`: an id of the program's own, a layout's, a text an
        importer read) and every other value of the object passes its checks (each set by
        validation or checked so, as the importers set them: the assignment's check of the
        whole object would find nothing); else by that assignment."""
        if texts_pass([value]):
            self.__dict__[name] = value
            self.__pydantic_fields_set__.add(name)
        else:
            setattr(self, name, value)

    @model_validator(mode="after")
    def _check_values(self) -> OpenModel:
        """Text within its length and amounts within their magnitude (the usual case
        decided inline, fast; :func:`_value_problem` names the problem); fields kept from the
        file (``extras``, unknown keys) obey the text rules too."""
        limits = current()
        values = self.__dict__
        most = limits.max_text_chars
        bad = BAD_TEXT.search
        # The usual case in one test: every text of the object joined is within the length
        # (so each one is) and holds no bad character (so none does); else field by field.
        text_values, amount_values = self._values
        texts = [*filter(None, text_values(values))]
        for name in self._text_lists:
            texts += values[name] or ()
        joined = "".join(texts)
        if len(joined) > most or bad(joined) is not None:
            for name, default in self._texts:
                value = values[name]
                if value is None or value is default:
                    continue
                found = _value_problem("text", value, limits)
                if found is not None:
                    raise _refusal(name, *found)
        bound, digits = limits.max_number_exponent, limits.max_number_digits
        for value in amount_values(values):
            if value is not None and not (
                -bound <= value.adjusted() < bound and len(str(value)) <= digits
            ):
                self._refuse_amount(limits)
        for name in self._kept:
            value = values[name]
            if value:
                found = _value_problem("kept", value, limits)
                if found is not None:
                    raise _refusal(name, *found)
        for key, value in (self.__pydantic_extra__ or {}).items():
            problem = _extra_problem(value)
            if problem:
                raise ValueError(f"{key}: {problem}")
        return self

    def _refuse_amount(self, limits: Limits) -> None:
        """The refusal of the first amount field beyond the limits (``_check_values``
        found one the quick test could not pass)."""
        for name in self._amounts:
            found = _value_problem("amount", self.__dict__[name], limits)
            if found is not None:
                raise _refusal(name, *found)

    def __setattr__(self, name: str, value: Any) -> None:
        """A bad value is refused before it is set (the model's validator runs after)."""
        kind = self._checked.get(name)
        found = _value_problem(kind, value, current()) if kind else None
        if found is not None:
            error = _refusal(name, *found)
            raise ValidationError.from_exception_data(
                type(self).__name__, [{"type": error, "loc": (), "input": value}]
            )
        super().__setattr__(name, value)


# What a form holds beyond the template's fields, as written: its label → its text.
Extras = Annotated[dict[str, str], KEPT_CHECK]


class FundRow(OpenModel):
    """One row of the 项目资金 block: 年初预算数 … 得分 (None where the form shows "-").
    ``extras``: the row's cells under columns the template lacks (原因, 得分计算方法)."""

    initial: Amount | None = None
    adjusted: Amount | None = None
    executed: Amount | None = None
    weight: Amount | None = None
    rate: Amount | None = None
    score: Amount | None = None
    extras: Extras = Field(default_factory=dict)


def _fund_row_as_written(row: dict[str, Any]) -> dict[str, Any]:
    """A fund row kept as written (``{"initial": "0.00", "原因": ""}``, as importers and JSON
    of before the typed rows wrote it) as a :class:`FundRow`'s fields: a number under a
    known column typed, a text that is no number kept in ``extras`` under the column's
    words, a cell under another column in ``extras`` by its header."""
    out: dict[str, Any] = {}
    given = row.get("extras")
    kept: dict[str, Any] = dict(given) if isinstance(given, dict) else {}
    for key, value in row.items():
        if key == "extras":
            if not isinstance(value, dict):
                out[key] = value  # refused by the row's validation, naming the place
            continue
        if key in FUND_COLUMN_LABELS and isinstance(value, str):
            number = written_amount(value)
            if number is None and normalize(value) not in EMPTY_VALUES:
                kept[FUND_COLUMN_LABELS[key]] = value
            else:
                out[key] = number
        elif key in FUND_COLUMN_LABELS or not isinstance(value, str):
            out[key] = value
        else:
            kept[key] = value
    if kept:
        out["extras"] = kept
    return out


def fund_row_from_written(row: dict[str, str]) -> FundRow:
    """A fund row an importer kept as written (cells by column name or header) as a typed
    :class:`FundRow` (what ``Funds.extras`` holds)."""
    return FundRow.model_validate(_fund_row_as_written(row))


class Funds(OpenModel):
    """项目资金: 年度资金总额 and its parts 当年财政拨款 / 上年结转资金 / 其他资金.
    ``extras``: the fund rows a layout has beyond these four (财政专户管理资金, 单位资金,
    中央补助, 地方资金 …), by the form's label, each a typed :class:`FundRow`. A row written
    as text (``{"initial": "0.00", "原因": ""}``, JSON of before 2026-12) still loads: its
    numbers are typed, the rest kept in the row's ``extras``."""

    total: FundRow = Field(default_factory=FundRow)
    fiscal: FundRow = Field(default_factory=FundRow)
    carryover: FundRow = Field(default_factory=FundRow)
    other: FundRow = Field(default_factory=FundRow)
    extras: Annotated[dict[str, FundRow], KEPT_CHECK] = Field(default_factory=dict)

    @field_validator("extras", mode="before")
    @classmethod
    def _rows_as_written(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {
            label: _fund_row_as_written(row) if isinstance(row, dict) else row
            for label, row in value.items()
        }

    def rows(self) -> list[tuple[str, FundRow]]:
        """Every fund row the form has, with its label: the four, then the layout's others."""
        fixed = [(FUND_ROW_LABELS[name], getattr(self, name)) for name in FUND_ROWS]
        return [*fixed, *self.extras.items()]


class Goals(OpenModel):
    """年度总体目标: 预期目标 and 实际完成情况."""

    expected: Text = ""
    achieved: Text = ""


class Indicator(OpenModel):
    """One 三级指标 row of the indicator table, as written on the form."""

    level1: Text = ""
    level2: Text = ""
    name: Text = ""
    target: Text = ""
    actual: Text = ""
    weight: Amount | None = None
    score: Amount | None = None
    deviation: Text = ""
    # Number columns a layout adds (INDICATOR_NUMBER_LABELS): 河北's 权重占比 (%) and
    # 单项指标折算得分; None where the layout has no such column.
    share: Amount | None = None
    adjusted_score: Amount | None = None
    # Columns the template lacks (指标性质, 度量单位, 佐证资料 …), by header, as written.
    extras: Extras = Field(default_factory=dict)


class Source(OpenModel):
    """Where a form came from: file, and the line (text) or page (PDF) span inside it,
    1-based; ``end_page`` only when the form runs onto a later page than ``page``."""

    file: Text | None = None
    start_line: int | None = None
    end_line: int | None = None
    page: int | None = None
    end_page: int | None = None


class Unmapped(OpenModel):
    """A cell an importer read but could place in no field: where it is ("工作表“自评表”B7",
    "第2页表格第3行第1列") and its text. JSON of before 2026 wrote it as one string
    "place：text", which still loads."""

    place: Text = ""
    text: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            place, sep, text = data.partition("：")
            return {"place": place, "text": text} if sep else {"place": "", "text": data}
        return data

    def __str__(self) -> str:
        return f"{self.place}：{self.text}" if self.place else self.text


class ScanCell(OpenModel):
    """A cell of a scan the OCR read uncertainly (:mod:`jixiao.ingest.scan`): the field it
    fed (``path``: ``project``, ``funds.total.executed``, ``indicators.3.actual`` …; empty
    when no field took it), its page, its box in the page's pixels (the deskewed page at
    the scan's resolution, x0, y0, x1, y1), what was read and its confidence (the least
    sure character), the gap that names it, and a small PNG of the cell with a margin
    (``crop``). Kept on the form by the importer for the caller (the web stores them with
    the form); never written in the canonical JSON."""

    path: str = ""
    page: int = 0
    box: tuple[int, int, int, int] = (0, 0, 0, 0)
    text: Text = ""
    confidence: float = 1.0
    note: Text = ""
    crop: bytes = Field(default=b"", repr=False)


class Level1Weight(OpenModel):
    """A 一级指标's weight as the form prints it (``产出指标(60分)``)."""

    label: Text = ""
    weight: Amount | None = None


class Checkbox(OpenModel):
    """A check-box field of the head (项目类别: ☑经常性项目 □一次性项目): its options in
    order and those ticked."""

    label: Text = ""
    options: list[Text] = Field(default_factory=list)
    checked: list[Text] = Field(default_factory=list)


_TICKS = "☑✓✔√■▣☒"
_BOXES = "□☐"
CHECKBOX_MARKS = _TICKS + _BOXES  # a box or a tick: a text holding none is no check box
_MARKED_OPTION = re.compile(rf"([{_TICKS}{_BOXES}])([^{_TICKS}{_BOXES}]*)")
_SPACE = re.compile(r"\s+")


def checkbox_from_text(label: str, text: str) -> Checkbox | None:
    """The check box a head cell writes (``☑经常性项目 □一次性项目``, ``经常性项目√ 一次性项目``),
    or None when the text has no box or tick. A text that opens with a mark puts each mark
    before its option, so the options need no space between them (``☑经常性项目□一次性项目``,
    a flattening that glued the cell) and a line break inside an option is no new option."""
    marks = _TICKS + _BOXES
    if not any(ch in text for ch in marks):
        return None
    options: list[str] = []
    checked: list[str] = []
    if text.lstrip()[:1] in marks:
        for mark, name in _MARKED_OPTION.findall(text):
            if name := _SPACE.sub("", name):
                options.append(name)
                if mark in _TICKS:
                    checked.append(name)
        return Checkbox(label=label, options=options, checked=checked)
    for part in re.findall(rf"[{marks}]?[^{marks}\s]+[{_TICKS}]?|[{marks}]", text):
        name = part.strip(marks)
        if not name:
            continue
        options.append(name)
        if part[0] in _TICKS or part[-1] in _TICKS:
            checked.append(name)
    return Checkbox(label=label, options=options, checked=checked)


def checkbox_text(box: Checkbox) -> str:
    """A check box as the form prints it (``☑经常性项目 □一次性项目``), the inverse of
    :func:`checkbox_from_text`."""
    return " ".join(("☑" if o in box.checked else "□") + o for o in box.options)


# 产出指标(60分), 效益指标（30 分）: a 一级 label with its weight printed in brackets (the
# closing one may be lost: a scan's OCR drops it, and marks the cell uncertain for that).
_LEVEL1_WEIGHT = re.compile(
    r"^(?P<label>\S{1,10}?指标)\s*[（(]\s*(?P<weight>\d+(?:\.\d+)?)\s*分\s*[)）]?$"
)


def split_level1(text: str) -> tuple[str, Decimal | None]:
    """A 一级 label as the template names it and the weight printed in it, if any
    (``产出指标(60分)`` → ``产出指标``, 60; ``产出指标`` → itself, None)."""
    m = _LEVEL1_WEIGHT.match(normalize(text))
    if m is None:
        return text, None
    return m.group("label"), Decimal(m.group("weight"))


def level1_caption(label: str, weights: list[Level1Weight]) -> str:
    """A 一级 label as the form prints it, with its weight where ``weights`` (the form's
    ``level1_weights``) has one (``产出指标`` → ``产出指标(60分)``)."""
    weight = next((w.weight for w in weights if w.label == label), None)
    return label if weight is None else f"{label}({weight}分)"


class SelfEvaluation(OpenModel):
    """One 财政项目支出绩效自评表 (declared values only)."""

    title: Text = "财政项目支出绩效自评表"
    year: int | None = None
    project: Text = ""
    department: Text = ""
    unit: Text = ""
    amount_unit: Text = "万元"
    funds: Funds = Field(default_factory=Funds)
    goals: Goals = Field(default_factory=Goals)
    indicators: list[Indicator] = Field(default_factory=list)
    total_weight: Amount | None = None
    total_score: Amount | None = None
    grade: Text | None = None
    index: int | None = None
    source: Source | None = None
    # What an importer could not find or place; empty for a complete form.
    gaps: list[Text] = Field(default_factory=list)
    # Head fields the template lacks (项目类别, 联系电话 …), by label, as written.
    extras: Extras = Field(default_factory=dict)
    # Cells an importer read and placed nowhere, with their place.
    unmapped: list[Unmapped] = Field(default_factory=list)
    # The layout (template) the form is written in: a declaration's id in jixiao.layouts
    # ("national-2020", "hubei-20" …); None: not named, placed by its content (recognise).
    layout: Text | None = None
    # 一级指标 weights as printed (产出指标(60分)), in order; empty where none are printed.
    level1_weights: list[Level1Weight] = Field(default_factory=list)
    # Check boxes of the head (项目类别, 项目属性), typed; empty where the layout has none.
    checkboxes: list[Checkbox] = Field(default_factory=list)
    # Cells of a scan read uncertainly, for the web editor; import-time only: not in the
    # canonical JSON (the gaps name them in words).
    scan_cells: list[ScanCell] = Field(default_factory=list, exclude=True)

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
        """The canonical JSON object (decimals as strings); what an importer keeps
        (gaps, extras, unmapped, the source's end page) and index left out when empty, so
        a form without them is written as before they were declared."""
        data = self.model_dump(mode="json", exclude_none=False)
        for key in ("gaps", "extras", "unmapped", "level1_weights", "checkboxes", "layout"):
            if not data.get(key):
                data.pop(key, None)
        if data.get("source") is None:
            data.pop("source", None)
        elif data["source"].get("end_page") is None:
            data["source"].pop("end_page", None)
        if data.get("index") is None:
            data.pop("index", None)
        funds = data["funds"]
        if not funds.get("extras"):
            funds.pop("extras", None)
        for row in FUND_ROWS:
            if not funds[row].get("extras"):
                funds[row].pop("extras", None)
        for label, row in (funds.get("extras") or {}).items():  # only what the row holds
            funds["extras"][label] = {k: v for k, v in row.items() if v not in (None, {})}
        for indicator in data["indicators"]:
            for key in ("extras", *INDICATOR_NUMBER_LABELS):
                if indicator.get(key) in (None, {}):
                    indicator.pop(key, None)
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


def field_values(form: SelfEvaluation) -> Iterator[tuple[str, Any]]:
    """Every field of ``form`` the editor shows, by the path :class:`ScanCell` names:
    the head (``project``, ``goals.expected`` …), ``funds.<row>.<column>`` and a fund row's
    added columns ``funds.<row>.extras.<label>``, the rows a layout adds
    ``funds.extras.<row label>.<column>`` (``….extras.<label>`` for their added columns),
    ``indicators.<i>.<field>`` and a row's added columns ``indicators.<i>.extras.<label>``."""
    for path in (*FIELD_LABELS, *FUND_PATHS):
        yield path, value_at(form, path)
    for row in FUND_ROWS:
        for label, value in getattr(form.funds, row).extras.items():
            yield f"funds.{row}.extras.{label}", value
    for row_label, added in form.funds.extras.items():
        for column in FUND_COLUMNS:
            yield f"funds.extras.{row_label}.{column}", getattr(added, column)
        for label, value in added.extras.items():
            yield f"funds.extras.{row_label}.extras.{label}", value
    for i, ind in enumerate(form.indicators):
        for key, value in ind.__dict__.items():
            if key == "extras":
                for label, extra in value.items():
                    yield f"indicators.{i}.extras.{label}", extra
            else:
                yield f"indicators.{i}.{key}", value


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


def _shown(value: Any) -> str:
    """A value for a message: its repr, cut after 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def describe_validation_error(err: ValidationError, prefix: str = "") -> str:
    """Chinese, one line per problem: the field path and what was wrong."""
    lines = []
    for e in err.errors():
        where = _loc(prefix, tuple(e["loc"]))
        what = _PYDANTIC_MESSAGES.get(e["type"], e["msg"].removeprefix("Value error, "))
        got = e.get("input")
        if e["type"] == "jixiao_value":  # a model's check of its text and amounts
            ctx = e.get("ctx") or {}
            where = _loc(prefix, (*e["loc"], ctx["field"], *ctx["place"]))
            lines.append(f"{where or '（根）'}: {ctx['problem']}（值为 {ctx['shown']}）")
            continue
        shown = "" if isinstance(got, dict | list) or got is None else f"（值为 {_shown(got)}）"
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


# Objects and lists one form may hold (a form of 60 indicators has about 70): tiny
# containers cost ~60 bytes each once parsed, so their number bounds the memory.
JSON_CONTAINERS_PER_FORM = 100


def json_walk(data: Any, name: str) -> None:
    """Refuse JSON (of any document kind) nested deeper than the limit or holding a lone
    surrogate ("\\ud800"), naming the place; iterative, so that depth cannot exhaust the
    stack."""
    max_depth = current().max_json_depth
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, str):
            at = lone_surrogate(value)
            if at is not None:
                raise FormFileError(
                    f"{name}: {where or '（根）'}: 含孤立代理字符 U+{ord(value[at]):04X}"
                    f"（第 {at + 1} 个字符），不是有效的 Unicode 文本"
                )
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > max_depth:
            shown = where if len(where) <= 60 else where[:60] + "…"
            raise LimitExceeded(
                f"{name}: {shown or '（根）'}处 JSON 嵌套层数超过上限（最多 {max_depth} 层）"
            )
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str):
                place = f"{where}.{key}" if where else key
                stack.append((key, f"{place}（键名）", depth))
            else:
                place = f"{where}[{key}]"
            stack.append((item, place, depth + 1))


def forms_from_json_text(text: str, name: str = "<json>") -> list[SelfEvaluation]:
    """Read one form object or ``{"forms": [...]}``; numbers never pass through float.
    Every error names ``name`` and the field path. The size, depth and number of forms
    are bounded by :mod:`jixiao.limits`."""
    limits = current()
    if len(text) > limits.max_json_bytes:  # characters: at most as many as bytes
        check_bytes(
            len(text.encode("utf-8", "surrogatepass")), limits.max_json_bytes, name, "JSON 文件"
        )
    containers = text.count("{") + text.count("[")  # fast; over-counts braces in strings
    if containers > limits.max_forms * JSON_CONTAINERS_PER_FORM:
        raise LimitExceeded(
            f"{name}: JSON 中有约 {containers} 个对象和列表，超过上限（最多 "
            f"{limits.max_forms} 张表 × 每张 {JSON_CONTAINERS_PER_FORM} 个）"
        )
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as err:
        raise FormFileError(
            f"{name}: 不是有效的 JSON（第 {err.lineno} 行第 {err.colno} 列：{err.msg}）"
        ) from None
    except RecursionError:
        raise LimitExceeded(
            f"{name}: JSON 嵌套层数超过上限（最多 {limits.max_json_depth} 层）"
        ) from None
    except ValueError as err:  # an integer of thousands of digits
        raise FormFileError(f"{name}: 不是有效的 JSON（{err}）") from None
    wrapped = isinstance(data, dict) and "forms" in data
    if wrapped and not isinstance(data["forms"], list):
        raise FormFileError(f"{name}: forms 应为列表")
    if wrapped and len(data["forms"]) > limits.max_forms:
        count = len(data["forms"])
        raise LimitExceeded(
            f"{name}: 文件中有 {count} 张表，超过上限（每个文件最多 {limits.max_forms} 张）"
        )
    json_walk(data, name)
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


def json_file_text(path: str | Path) -> str:
    """The text of a canonical JSON file (UTF-8, with or without BOM); :class:`FormFileError`
    names the file when it cannot be read or decoded."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise FormFileError(f"{p}: 无法读取文件（{os_reason(err)}）") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormFileError(f"{p}: 不是 UTF-8 编码的 JSON 文件") from None


def load_forms(path: str | Path) -> list[SelfEvaluation]:
    """Load a canonical JSON file; :class:`FormFileError` names the file and field."""
    return forms_from_json_text(json_file_text(path), str(path))


def _path_label(path: tuple[int | str, ...]) -> str:
    """A text field's place in the form's own words (``项目名称``, ``第2行指标·三级指标``)."""
    if len(path) == 3 and path[0] == "indicators" and isinstance(path[1], int):
        return f"第{path[1] + 1}行指标·{INDICATOR_LABELS.get(str(path[2]), str(path[2]))}"
    dotted = ".".join(str(p) for p in path)
    return FIELD_LABELS.get(dotted, _loc("", path))


def _without_bad_text(value: Any, path: tuple[int | str, ...], notes: list[str]) -> Any:
    """``value`` (parsed JSON) with control characters and lone surrogates taken out of every
    text, one note per text changed."""
    if isinstance(value, str):
        found = sorted(set(BAD_TEXT.findall(value)), key=value.index)
        if not found:
            return value
        chars = "、".join(f"U+{ord(ch):04X}" for ch in found)
        kind = "控制字符" if all(not "\ud800" <= ch <= "\udfff" for ch in found) else "不允许的字符"
        notes.append(f"{_path_label(path)}：去掉了{kind} {chars}")
        return BAD_TEXT.sub("", value)
    if isinstance(value, dict):
        return {k: _without_bad_text(v, (*path, k), notes) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_bad_text(v, (*path, i), notes) for i, v in enumerate(value)]
    return value


def form_from_stored(data: Any) -> tuple[SelfEvaluation, list[str]]:
    """A form as a system stored it (parsed canonical JSON), and what had to be left out to
    read it: a form stored before the model refused control characters is read with them
    taken out, each text's place and characters named (Chinese); any other problem is a
    :class:`FormFileError` as in :func:`form_from_dict`."""
    try:
        return form_from_dict(data), []
    except FormFileError:
        notes: list[str] = []
        cleaned = _without_bad_text(data, (), notes)
        if not notes:
            raise
    return form_from_dict(cleaned), notes


def dump_forms(forms: list[SelfEvaluation]) -> str:
    """The canonical ``{"forms": [...]}`` document, UTF-8, indented."""
    return json.dumps({"forms": [f.to_json_dict() for f in forms]}, ensure_ascii=False, indent=1)
