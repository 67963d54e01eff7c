"""Label classification: what a cell's text is, and what a row of such cells may be.

Pure and driven by the vocabulary (:mod:`jixiao.ingest.vocabulary`, the ``GRID_*`` tables):
:func:`label_of` tells, for one cell's text, every part of the form it could name (a head
field, a fund column or row, a goal heading, an indicator column, 总分, 评分等级 …);
:func:`row_roles` tells, for a row's labels, which section builders may read it, most
specific first. Which one does is decided by the form being built (a builder may decline).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import Enum
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from jixiao.ingest.vocabulary import (
    GRID_FUND_COLUMNS,
    GRID_FUND_ROWS,
    GRID_FUNDS_BLOCK,
    GRID_GOAL_ACHIEVED,
    GRID_GOAL_EXPECTED,
    GRID_GOALS_BLOCK,
    GRID_GRADE_LABELS,
    GRID_GRADES,
    GRID_HEAD_LABELS,
    GRID_INDICATOR_COLUMNS,
    GRID_OTHER_HEAD_LABELS,
    GRID_TITLE,
    GRID_TOTAL_LABELS,
    GRID_UNIT_LINE,
    GRID_YEAR_LINE,
    PAGE_DECORATION,
    grid_label,
)


def _compiled(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(patterns) + ")$")


def _keyed(table: dict[str, tuple[str, ...]]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((key, _compiled(patterns)) for key, patterns in table.items())


_HEAD = _keyed(GRID_HEAD_LABELS)
_OTHER_HEAD = _compiled(GRID_OTHER_HEAD_LABELS)
_FUND_COLUMN = _keyed(GRID_FUND_COLUMNS)
_FUND_ROW = _keyed(GRID_FUND_ROWS)
_GOAL_EXPECTED = _compiled(GRID_GOAL_EXPECTED)
_GOAL_ACHIEVED = _compiled(GRID_GOAL_ACHIEVED)
_INDICATOR_COLUMN = _keyed(GRID_INDICATOR_COLUMNS)
_TOTAL = _compiled(GRID_TOTAL_LABELS)
_GRADE = _compiled(GRID_GRADE_LABELS)
# Every pattern :func:`_label` matches from the text's start, as one pattern: a text that
# matches none of them (a value: a number, a target, a goal's text) is told at once.
NAMES_A_PART_PATTERNS: tuple[re.Pattern[str], ...] = (
    *(pattern for _, pattern in (*_HEAD, *_FUND_COLUMN, *_INDICATOR_COLUMN)),
    _OTHER_HEAD,
    re.compile("^(?:其中)?(?:" + "|".join(p for ps in GRID_FUND_ROWS.values() for p in ps) + ")$"),
    GRID_FUNDS_BLOCK,
    _GOAL_EXPECTED,
    _GOAL_ACHIEVED,
    GRID_GOALS_BLOCK,
    _TOTAL,
    _GRADE,
    GRID_YEAR_LINE,
    PAGE_DECORATION,
)
_NAMES_A_PART = re.compile("|".join(f"(?:{p.pattern})" for p in NAMES_A_PART_PATTERNS))
# Headings over the indicator columns that name no column of their own.
INDICATOR_BLOCK = re.compile(r"^绩效指标$|^指标$")

TITLE_MAX = 40  # a longer single cell that mentions 自评表 is text, not the title
UNIT_LINE_MAX = 20  # "单位：万元" stands alone; a sentence that mentions it does not


def _key(table: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> str | None:
    """The key of the first pattern of ``table`` that ``text`` matches in full."""
    if not text:
        return None
    for key, pattern in table:
        if pattern.match(text):
            return key
    return None


class Label(NamedTuple):
    """Everything a cell's text could name. ``text`` is the text as matched
    (:func:`~jixiao.ingest.vocabulary.grid_label`: no whitespace, no colons, folded).
    (A named tuple: made for each cell a form holds, it is made faster than a frozen
    dataclass.)"""

    text: str
    head: str | None = None  # project / department / unit
    other_head: bool = False  # a head field the model has no place for (项目类别 …)
    fund_column: str | None = None  # initial / adjusted / executed / weight / rate / score
    fund_row: str | None = None  # total / fiscal / carryover / other (其中 … too)
    funds_block: bool = False  # 项目资金（万元）, 预算执行情况
    goal_expected: bool = False  # 预期目标, 年初设定目标 …
    goal_achieved: bool = False  # 实际完成情况, 年度总体目标完成情况综述 …
    goals_block: bool = False  # 年度总体目标
    indicator_column: str | None = None  # level1 … deviation, share, adjusted_score
    total: bool = False  # 总分, 合计
    grade: bool = False  # 评分等级
    grade_value: bool = False  # 优, 良, 中, 差, 优秀 …
    title: bool = False  # …自评表 (as a line of its own)
    year: int | None = None  # a year line: （2024年度）
    amount_unit: str | None = None  # a unit line: 单位：万元
    decoration: bool = False  # page chrome: 第 1 页, 2/5, -3-
    # whether the label says more than a value's (a number, a target, a goal's text: most
    # cells) would: a row of values' labels has no role of a header (:func:`row_roles`)
    names: bool = False

    @property
    def money_column(self) -> bool:
        return self.fund_column in ("initial", "adjusted", "executed")


# Cell texts up to this length are classified once per process (labels and short values
# repeat from form to form); longer ones, never a heading, are not kept in the cache.
CACHED_TEXT_MAX = 64


def label_of(raw: str) -> Label:
    """What the text of one cell (as written, line breaks and all) may name."""
    return _cached_label(raw) if len(raw) <= CACHED_TEXT_MAX else _label(raw)


def _label(raw: str) -> Label:
    text = grid_label(raw)
    if not text:
        return _BLANK
    unit = GRID_UNIT_LINE.search(text) if len(text) <= UNIT_LINE_MAX else None
    amount_unit = unit.group(1) if unit else None
    title = len(text) <= TITLE_MAX and GRID_TITLE.search(text) is not None
    if _NAMES_A_PART.match(text) is None and text not in GRID_GRADES:
        return Label(text=text, title=title, amount_unit=amount_unit)  # a value (most cells)
    year = GRID_YEAR_LINE.match(text)
    label = Label(
        text=text,
        head=_key(_HEAD, text),
        other_head=bool(_OTHER_HEAD.match(text)),
        fund_column=_key(_FUND_COLUMN, text),
        fund_row=_key(_FUND_ROW, text.removeprefix("其中")) or _key(_FUND_ROW, text),
        funds_block=bool(GRID_FUNDS_BLOCK.match(text)),
        goal_expected=bool(_GOAL_EXPECTED.match(text)),
        goal_achieved=bool(_GOAL_ACHIEVED.match(text)),
        goals_block=bool(GRID_GOALS_BLOCK.match(text)),
        indicator_column=_key(_INDICATOR_COLUMN, text),
        total=bool(_TOTAL.match(text)),
        grade=bool(_GRADE.match(text)),
        grade_value=text in GRID_GRADES,
        title=title,
        year=int(year.group(1)) if year else None,
        amount_unit=amount_unit,
        decoration=bool(PAGE_DECORATION.match(text)),
    )
    plain = Label(text, title=title, amount_unit=amount_unit)  # all a value's label says
    return label if label == plain else label._replace(names=True)


_BLANK = Label("")
_cached_label = lru_cache(maxsize=1 << 16)(_label)


class Role(Enum):
    """What a row may be; each role has its builder (``mapper/__init__.py``)."""

    BLANK = "blank"  # a single empty cell
    DECORATION = "decoration"  # page chrome on a line of its own
    TITLE = "title"  # …自评表: starts a form
    YEAR = "year"  # （2024年度）
    AMOUNT_UNIT = "amount_unit"  # 单位：万元
    FLAT_LIST = "flat_list"  # 项目名称 | 一级指标 | … | 三级指标: a list of many projects
    HEAD = "head"  # 项目名称 | x, 主管部门 | y | 实施单位 | z, 项目类别 | …
    FUND_HEADER = "fund_header"  # 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
    GOAL_HEADER = "goal_header"  # 年度总体目标 | 预期目标 | 实际完成情况
    INDICATOR_HEADER = "indicator_header"  # 一级指标 | 二级指标 | 三级指标 | 年度指标值 …
    INDICATOR_PRELUDE = "indicator_prelude"  # the first row of a two-row indicator header
    TOTAL = "total"  # 总分 | 100 | 95
    GRADE = "grade"  # 评分等级 | 优


def row_roles(labels: Sequence[Label]) -> tuple[Role, ...]:
    """The roles a row of cells with these labels may play, most specific first. A row
    that plays none of them is read by the section it is in (a fund row, a goal text, an
    indicator row) or kept as unmapped."""
    roles: list[Role] = []
    if len(labels) == 1:
        only = labels[0]
        if not only.text:
            return (Role.BLANK,)
        if only.decoration:
            return (Role.DECORATION,)
        if only.title:
            roles.append(Role.TITLE)
        elif only.year is not None:
            roles.append(Role.YEAR)
        elif only.amount_unit is not None:
            roles.append(Role.AMOUNT_UNIT)
    if labels and not any(map(_NAMES, labels)):  # values only: none of the roles below
        return tuple(roles)
    return _header_roles(labels, roles)


_NAMES = attrgetter("names")


def _header_roles(labels: Sequence[Label], roles: list[Role]) -> tuple[Role, ...]:
    """:func:`row_roles` after a single cell's roles (``roles``): those of a row that may
    name parts of the form."""
    columns: set[str] = set()  # the indicator columns named
    heads: set[str | None] = set()
    funds: set[str] = set()  # the fund columns named
    money = goal = False  # a money column (年初预算数 …) named; a goal heading
    first: Label | None = None  # the first label with text
    for lab in labels:  # (one pass: most rows are values, and name nothing)
        if lab.indicator_column:
            columns.add(lab.indicator_column)
        heads.add(lab.head)
        if lab.fund_column:
            funds.add(lab.fund_column)
            money = money or lab.money_column
        goal = goal or lab.goal_expected or lab.goal_achieved or lab.goals_block
        if first is None and lab.text:
            first = lab
    if "project" in heads and {"name", "level1"} <= columns:
        return (Role.FLAT_LIST,)
    if heads != {None} or (labels and labels[0].other_head):
        roles.append(Role.HEAD)
    if money and len(funds) >= 2 and "name" not in columns:
        roles.append(Role.FUND_HEADER)
    if "name" not in columns and goal:
        roles.append(Role.GOAL_HEADER)
    if "name" in columns and columns & {"target", "actual", "weight", "score"}:
        roles.append(Role.INDICATOR_HEADER)
    if len(columns - {"name"}) >= 2:
        roles.append(Role.INDICATOR_PRELUDE)
    if first is not None and first.total:
        roles.append(Role.TOTAL)
    if first is not None and first.grade:
        roles.append(Role.GRADE)
    return tuple(roles)
