"""A 绩效目标申报表 or 绩效目标执行监控表 from its cell grid (a worksheet or a table).

Read by labels, never by fixed positions, as the 自评表's mapper does: the head's
label–value pairs (项目名称, 主管部门(及代码), 实施单位; 项目属性, 项目周期 … into ``extras``),
the fund block by its row labels (资金总额, 其中：财政拨款, 上年结转资金, 其他资金) and, for
the 监控表, its column headings (年初预算数, 1-7月执行数, 1-7月执行率, 全年预计执行数), the
goals by their headings (中期目标 / 年度目标; 年度总体目标) and the indicator table by its
header (one or two rows; a 申报表's 中期 and 年度 halves side by side; a 监控表's 偏差原因
categories and 完成目标可能性 ticked per row). What a table lacks is a gap; a number that is
not one is a gap with its place, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jixiao.ingest.amounts import NotANumber, parse_amount
from jixiao.ingest.grid import Cell, Grid, join_lines
from jixiao.ingest.kinds import grid_title
from jixiao.ingest.mapper.funds import unit_of
from jixiao.ingest.mapper.header import title_text
from jixiao.ingest.mapper.labels import Label, label_of
from jixiao.ingest.vocabulary import grid_label
from jixiao.model import Source, Unmapped
from jixiao.plans import (
    CAUSES,
    LIKELIHOODS,
    MonitorFundRow,
    MonitorIndicator,
    Monitoring,
    PlanFunds,
    TargetDeclaration,
    TargetIndicator,
)
from jixiao.values import EMPTY_VALUES

_PERIOD = re.compile(r"^(\d{1,2}[-—~至]\d{1,2}月)")
_EXECUTED = re.compile(r"^\d{1,2}[-—~至]\d{1,2}月(执行数|完成(情况|值|数)?|实际完成值?)$")
_RATE = re.compile(r"^\d{1,2}[-—~至]\d{1,2}月执行率(\(%\))?$")
_FORECAST = re.compile(r"^全年预计(执行数|完成(情况|值|数)?)$")
_MEDIUM_TOTAL = re.compile(r"^中期资金总额$")
_ANNUAL_TOTAL = re.compile(r"^(年度)?资金总额$")
_NOT_TICKED = frozenset({"否", "×", "✗", "✘", "□", "☐", "0", "不"})


def _text(cell: Cell | None) -> str:
    return join_lines(cell.text) if cell is not None else ""


def ticked(cell: Cell | None) -> bool:
    """A check-box cell that is ticked: any mark but an empty value, 否, ×, □ or 0."""
    text = _text(cell)
    return bool(text) and text not in EMPTY_VALUES and text not in _NOT_TICKED


@dataclass
class _Reading:
    """The rows of one grid with their labels, and what was read or left over."""

    grid: Grid
    name: str
    gaps: list[str]
    used: set[int]

    @classmethod
    def of(cls, grid: Grid, name: str) -> _Reading:
        return cls(grid, name, [], set())

    def rows(self) -> list[tuple[int, list[Cell], list[Label]]]:
        out = []
        for r in self.grid.row_numbers():
            cells = [c for c in self.grid.row_cells(r) if c.text.strip() or c.rowspan > 1]
            out.append((r, cells, [label_of(c.text) for c in cells]))
        return out

    def number(self, cell: Cell | None, what: str) -> Decimal | None:
        if cell is None:
            return None
        self.used.add(id(cell))
        if cell.value is not None:
            return cell.value
        try:
            return parse_amount(cell.text)
        except NotANumber:
            self.gaps.append(
                f"{self.grid.place(cell.row, cell.col)}：{what}“{_text(cell)}”不是数字，未读入"
            )
            return None

    def right_of(self, cell: Cell) -> Cell | None:
        """The next cell to the right on the cell's first row."""
        for other in self.grid.row_cells(cell.row):
            if other.col > cell.last_col:
                return other
        return None

    def below(self, cell: Cell) -> Cell | None:
        return self.grid.at(cell.last_row + 1, cell.col)

    def unmapped(self) -> list[Unmapped]:
        """Cells with text that no field took, with their place."""
        return [
            Unmapped(place=self.grid.place(c.row, c.col), text=_text(c))
            for c in self.grid.cells
            if c.text.strip() and id(c) not in self.used
        ]


def _head(reading: _Reading) -> tuple[str, int | None, dict[str, str], dict[str, str]]:
    """Title, year, the model's head fields (project/department/unit) and other head
    fields (label → value) of a 申报表 or 监控表."""
    grid = reading.grid
    raw_title = grid_title(grid)
    title, year = title_text(raw_title) if raw_title else ("", None)
    fields: dict[str, str] = {}
    extras: dict[str, str] = {}
    line_year = None
    for r, texts, text_labels in reading.rows():
        if len(texts) == 1:
            if raw_title and _text(texts[0]) == raw_title:
                reading.used.add(id(texts[0]))
            elif text_labels[0].year is not None:
                line_year = line_year or text_labels[0].year
                reading.used.add(id(texts[0]))
            continue
        cells = grid.row_cells(r)  # empty values keep their place beside their labels
        labels = [label_of(c.text) for c in cells]
        if not texts or not (text_labels[0].head or text_labels[0].other_head):
            continue
        cells = cells[cells.index(texts[0]) :]
        labels = labels[len(labels) - len(cells) :]
        i = 0
        while i + 1 < len(cells):
            label, value = cells[i], cells[i + 1]
            key = labels[i].head
            if key is None and not labels[i].other_head and not _HEAD_EXTRA.match(labels[i].text):
                i += 1
                continue
            if labels[i + 1].head is not None:
                value_text = ""
                step = 1
            else:
                value_text = _text(value)
                reading.used.add(id(value))
                step = 2
            reading.used.add(id(label))
            if key is not None:
                fields.setdefault(key, value_text)
            else:
                extras[_text(label)] = value_text
            i += step
    return title, line_year or year, fields, extras


_HEAD_EXTRA = re.compile(r"^项目(属性|周期|类别|期限|代码|编码)$|^项目开始年份$")


def _finish_common(doc: TargetDeclaration | Monitoring, reading: _Reading, index: int) -> None:
    doc.gaps = [*doc.gaps, *reading.gaps]
    doc.unmapped = reading.unmapped()
    doc.source = Source(file=reading.name, page=reading.grid.page)
    doc.index = index


def _apply_head(doc: TargetDeclaration | Monitoring, reading: _Reading) -> list[str]:
    """Title, year and head fields onto ``doc``; the head parts it lacks, named."""
    title, year, fields, extras = _head(reading)
    if title:
        doc.title = title
    doc.year = year
    for key, value in fields.items():
        setattr(doc, key, value)
    doc.extras = extras
    lacks = [
        label
        for key, label in (
            ("project", "项目名称"),
            ("department", "主管部门"),
            ("unit", "实施单位"),
        )
        if key not in fields
    ]
    if year is None:
        lacks.append("年度")
    for cell in reading.grid.cells:  # 项目资金（万元） names the amount unit
        if label_of(cell.text).funds_block:
            unit = unit_of(cell.text)
            if unit:
                doc.amount_unit = unit
            reading.used.add(id(cell))
    return lacks


# ---------------------------------------------------------------------- 绩效目标申报表


def _plan_funds(reading: _Reading, total_cell: Cell) -> PlanFunds:
    """A 申报表's fund column: 资金总额 at ``total_cell``, its parts in the rows below
    (label in the same column, amount to the right)."""
    funds = PlanFunds()
    reading.used.add(id(total_cell))
    funds.total = reading.number(reading.right_of(total_cell), "资金总额")
    cell = reading.below(total_cell)
    while cell is not None:
        key = label_of(cell.text).fund_row
        if key is None or key == "total":
            break
        reading.used.add(id(cell))
        setattr(funds, key, reading.number(reading.right_of(cell), _text(cell)))
        cell = reading.below(cell)
    return funds


def _indicator_header(reading: _Reading, extra: re.Pattern[str] | None = None) -> int | None:
    """The first row holding 三级指标 (and another indicator column)."""
    for r, _cells, labels in reading.rows():
        keys = [lab.indicator_column for lab in labels]
        if "name" in keys and len({k for k in keys if k}) >= 2:
            return r
        if extra is not None and any(extra.match(lab.text) for lab in labels) and "name" in keys:
            return r
    return None


def read_declaration(grid: Grid, name: str, index: int = 1) -> TargetDeclaration:
    """A 绩效目标申报表 from its grid; gaps name what it lacks (indicator rows left empty
    are said to be empty)."""
    reading = _Reading.of(grid, name)
    doc = TargetDeclaration()
    lacks = _apply_head(doc, reading)
    medium = annual = None
    goal_cells: dict[str, Cell] = {}
    for cell in grid.cells:
        text = grid_label(cell.text)
        if _MEDIUM_TOTAL.match(text) and medium is None:
            medium = cell
        elif _ANNUAL_TOTAL.match(text) and annual is None:
            annual = cell
        elif text in ("中期目标", "年度目标") and text not in goal_cells:
            goal_cells[text] = cell
        elif text in ("总体目标", "年度总体目标", "绩效目标", "绩效指标"):
            reading.used.add(id(cell))
    if medium is not None:
        doc.medium_funds = _plan_funds(reading, medium)
    if annual is not None:
        doc.annual_funds = _plan_funds(reading, annual)
    if medium is None and annual is None:
        lacks.append("项目资金")
    for heading, attr in (("中期目标", "medium_goal"), ("年度目标", "annual_goal")):
        goal_cell = goal_cells.get(heading)
        if goal_cell is None:
            continue
        reading.used.add(id(goal_cell))
        text_cell = reading.below(goal_cell)
        if text_cell is not None and text_cell is not goal_cell:
            reading.used.add(id(text_cell))
            setattr(doc, attr, _text(text_cell))
    if not goal_cells:
        lacks.append("总体目标")
    header = _indicator_header(reading)
    if header is None:
        lacks.append("绩效指标")
    else:
        medium_rows, annual_rows = _declaration_indicators(reading, header)
        doc.medium_indicators = medium_rows
        doc.indicators = annual_rows
        if not medium_rows and not annual_rows:
            doc.gaps.append("绩效指标：表中只有表头，指标行为空")
    if lacks:
        doc.gaps.insert(0, "表中未找到：" + "、".join(lacks))
    _finish_common(doc, reading, index)
    return doc


def _declaration_indicators(
    reading: _Reading, header: int
) -> tuple[list[TargetIndicator], list[TargetIndicator]]:
    """The 中期 and 年度 indicators: the header's columns split where a column repeats
    (中期 first); a lone set is 年度. 一级指标 given once serves both halves."""
    grid = reading.grid
    groups: list[dict[str, Cell]] = [{}]
    for cell in grid.row_cells(header):
        key = label_of(cell.text).indicator_column
        if key is None:
            continue
        reading.used.add(id(cell))
        if key in groups[-1]:
            groups.append({})
        groups[-1][key] = cell
    if len(groups) == 1:
        groups = [{}, groups[0]]
    level1_cell = groups[0].get("level1") or groups[1].get("level1")
    last_header = max(c.last_row for cols in groups for c in cols.values())
    halves: list[list[TargetIndicator]] = [[], []]
    for r in grid.row_numbers():
        if r <= last_header:
            continue
        for half, cols in enumerate(groups):
            if "name" not in cols and "target" not in cols:
                continue
            values: dict[str, str] = {}
            for key in ("level1", "level2", "name", "target"):
                col = cols.get(key) or (level1_cell if key == "level1" else None)
                if col is None:
                    continue
                found = grid.at(r, col.col)
                if found is not None:
                    reading.used.add(id(found))
                    values[key] = _text(found)
            if values.get("name") or values.get("target"):
                halves[half].append(TargetIndicator.model_validate(values))
    return halves[0], halves[1]


# ------------------------------------------------------------------ 绩效目标执行监控表


def read_monitoring(grid: Grid, name: str, index: int = 1) -> Monitoring:
    """A 绩效目标执行监控表 from its grid; gaps name what it lacks."""
    reading = _Reading.of(grid, name)
    doc = Monitoring()
    lacks = _apply_head(doc, reading)
    if not _monitor_funds(reading, doc):
        lacks.append("项目资金")
    goal = next((c for c in grid.cells if label_of(c.text).goals_block), None)
    if goal is None:
        lacks.append("年度总体目标")
    else:
        reading.used.add(id(goal))
        text_cell = reading.right_of(goal)
        if text_cell is not None:
            reading.used.add(id(text_cell))
            doc.goal = _text(text_cell)
    header = _indicator_header(reading, _EXECUTED)
    if header is None:
        lacks.append("绩效指标")
    else:
        doc.indicators = _monitor_indicators(reading, header, doc)
        if not doc.indicators:
            doc.gaps.append("绩效指标：表中只有表头，指标行为空")
    if lacks:
        doc.gaps.insert(0, "表中未找到：" + "、".join(lacks))
    _finish_common(doc, reading, index)
    return doc


def _monitor_funds(reading: _Reading, doc: Monitoring) -> bool:
    """The fund header (年初预算数, 1-7月执行数 …, by label) and the rows below it."""
    grid = reading.grid
    for _r, cells, labels in reading.rows():
        columns: dict[str, Cell] = {}
        for cell, label in zip(cells, labels, strict=True):
            if label.fund_column == "initial":
                columns["initial"] = cell
            elif _RATE.match(label.text):
                columns["rate"] = cell
            elif _EXECUTED.match(label.text):
                columns["executed"] = cell
                period = _PERIOD.match(label.text)
                if period:
                    doc.period = period.group(1).replace("—", "-").replace("~", "-")
            elif _FORECAST.match(label.text):
                columns["forecast"] = cell
        if "initial" not in columns or "executed" not in columns:
            continue
        reading.used.update(id(c) for c in columns.values())
        row = max(c.last_row for c in columns.values()) + 1
        while row < grid.nrows:
            label_cell = next(
                (
                    c
                    for c in grid.row_cells(row)
                    if c.text.strip() and not label_of(c.text).funds_block
                ),
                None,
            )
            key = label_of(label_cell.text).fund_row if label_cell is not None else None
            if label_cell is None or key is None:
                break
            reading.used.add(id(label_cell))
            fund = MonitorFundRow()
            for name, col in columns.items():
                found = grid.at(row, col.col)
                if found is not None and found is not col:
                    what = f"{_text(label_cell)}·{_text(col)}"
                    setattr(fund, name, reading.number(found, what))
            setattr(doc.funds, key, fund)
            row = label_cell.last_row + 1
        return True
    return False


@dataclass
class _MonitorColumns:
    named: dict[str, Cell]
    causes: dict[str, Cell]
    likelihoods: dict[str, Cell]


def _monitor_columns(reading: _Reading, header: int) -> tuple[_MonitorColumns, int]:
    """The columns of a 监控表's indicator header (one or two rows) and its last row."""
    grid = reading.grid
    top = grid.row_cells(header)
    last = max(c.last_row for c in top)
    cells = list(top)
    for r in range(header + 1, last + 1):
        cells.extend(c for c in grid.row_cells(r) if c.row == r)
    named: dict[str, Cell] = {}
    causes: dict[str, Cell] = {}
    likelihoods: dict[str, Cell] = {}
    for cell in cells:
        label = label_of(cell.text)
        text = label.text
        if text in CAUSES:
            causes[text] = cell
        elif text in LIKELIHOODS:
            likelihoods[text] = cell
        elif text == "原因说明":
            named["reason"] = cell
        elif text == "备注":
            named["note"] = cell
        elif _EXECUTED.match(text):
            named["executed"] = cell
        elif _FORECAST.match(text):
            named["forecast"] = cell
        elif label.indicator_column in ("level1", "level2", "name", "target"):
            named[label.indicator_column] = cell
        else:
            continue
        reading.used.add(id(cell))
    for cell in cells:  # block headings over the sub-columns
        if grid_label(cell.text) in ("偏差原因分析", "完成目标可能性", "绩效指标", "偏差原因"):
            reading.used.add(id(cell))
    return _MonitorColumns(named, causes, likelihoods), last


def _monitor_indicators(reading: _Reading, header: int, doc: Monitoring) -> list[MonitorIndicator]:
    grid = reading.grid
    columns, last = _monitor_columns(reading, header)
    rows: list[MonitorIndicator] = []
    for r in grid.row_numbers():
        if r <= last:
            continue
        values: dict[str, str] = {}
        for key, col in columns.named.items():
            cell = grid.at(r, col.col)
            if cell is not None and cell.row <= r:
                reading.used.add(id(cell))
                values[key] = _text(cell)
        if not values.get("name") and not values.get("target"):
            continue
        causes = [name for name, col in columns.causes.items() if ticked(grid.at(r, col.col))]
        chosen = [name for name, col in columns.likelihoods.items() if ticked(grid.at(r, col.col))]
        for col in (*columns.causes.values(), *columns.likelihoods.values()):
            cell = grid.at(r, col.col)
            if cell is not None:
                reading.used.add(id(cell))
        if len(chosen) > 1:
            doc.gaps.append(
                f"{grid.place(r, 0)}：“{values.get('name', '')}”的完成目标可能性勾选了"
                f"{'、'.join(chosen)}，未读入"
            )
        order = {c: i for i, c in enumerate(CAUSES)}
        rows.append(
            MonitorIndicator.model_validate(
                {
                    **values,
                    "causes": sorted(causes, key=order.__getitem__),
                    "likelihood": chosen[0] if len(chosen) == 1 else None,
                }
            )
        )
    return rows
