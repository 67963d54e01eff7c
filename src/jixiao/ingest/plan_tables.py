"""A 绩效目标申报表 or 绩效目标执行监控表 from its cell grid (a worksheet or a table).

The grid's layout is recognised first among the document's declarations
(:func:`jixiao.layouts.recognise_plan`: the national 中央部门 table unless another's signs
show, e.g. the 转移支付 区域 table's 中央补助 / 地方资金) and written into ``layout``; the
words are then the layout's (``src/jixiao/layouts/*.toml``). Read by labels, never by fixed
positions, as the 自评表's mapper does: the head's label–value pairs (the declared head
fields; others a 项目库 prints, 项目类别 …, into ``extras``), the fund block by its declared
row labels (资金总额, 其中：财政拨款 …; rows without a model field, 中央补助, into the funds'
``extras``) and columns (中期 / 年度; a 监控表's 年初预算数, 1-7月执行数, 1-7月执行率,
全年预计执行数), the goals by their declared headings and the indicator table by its header
(one or two rows; a 申报表's 中期 and 年度 halves side by side; a 监控表's 偏差原因 categories
and 完成目标可能性 ticked per row). What a table lacks is a gap; a number that is not one is
a gap with its place, never a guess.
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
from jixiao.layouts import Label as Declared
from jixiao.layouts import Layout, label_key, recognise_plan
from jixiao.model import Source, Unmapped
from jixiao.plans import (
    CAUSES,
    MonitorFundRow,
    MonitorIndicator,
    Monitoring,
    PlanFunds,
    PlanTask,
    TargetDeclaration,
    TargetIndicator,
)
from jixiao.values import EMPTY_VALUES

_PERIOD = re.compile(r"^(\d{1,2}[-—~至]\d{1,2}月)")
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


def period_word(text: str) -> tuple[str, str]:
    """A 监控表 column heading parted into its monitoring period and its word
    (``1-7月执行数`` → ``("1-7月", "执行数")``; no period: ``""``)."""
    label = grid_label(text)
    m = _PERIOD.match(label)
    if m is None:
        return "", text
    return m.group(1).replace("—", "-").replace("~", "-"), label[m.end() :]


def _fund_block(text: str, layout: Layout) -> bool:
    """The heading of the fund block: 项目资金（万元）, or the layout's own (资金情况; a
    部门整体 申报表's 预算金额（万元） over its tasks' amounts)."""
    word = grid_label(text)
    return (
        label_of(text).funds_block
        or word.startswith(grid_label(layout.fund_block))
        or bool(layout.tasks and word.startswith(grid_label(layout.task_amounts)))
    )


def _head(
    reading: _Reading, layout: Layout
) -> tuple[str, int | None, dict[str, str], dict[str, str]]:
    """Title, year, the model's head fields (project/department/unit) and other head
    fields (label → value) of a 申报表 or 监控表, by the layout's head labels (and the
    other head fields a 项目库 prints: 项目类别, 项目代码 …)."""
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
        declared = [layout.head_label(c.text) for c in cells]
        if not texts or not (_head_like(texts[0], layout)):
            continue
        at = cells.index(texts[0])
        cells, declared = cells[at:], declared[at:]
        i = 0
        while i + 1 < len(cells):
            label, value = cells[i], cells[i + 1]
            own = declared[i]
            if own is None and not _other_head(label.text):
                i += 1
                continue
            if declared[i + 1] is not None or _other_head(value.text):
                value_text = ""
                step = 1
            else:
                value_text = _text(value)
                reading.used.add(id(value))
                step = 2
            reading.used.add(id(label))
            if own is not None and own.field is not None:
                fields.setdefault(own.field, value_text)
            else:
                extras[own.label if own is not None else _text(label)] = value_text
            i += step
    return title, line_year or year, fields, extras


_HEAD_EXTRA = re.compile(r"^项目(属性|周期|类别|期限|代码|编码)$|^项目开始年份$")


def _other_head(text: str) -> bool:
    """A head field no layout declares that a 项目库 prints (项目类别, 项目代码 …)."""
    label = label_of(text)
    return label.other_head or bool(_HEAD_EXTRA.match(label.text))


def _head_like(cell: Cell, layout: Layout) -> bool:
    return layout.head_label(cell.text) is not None or _other_head(cell.text)


def _finish_common(doc: TargetDeclaration | Monitoring, reading: _Reading, index: int) -> None:
    doc.gaps = [*doc.gaps, *reading.gaps]
    doc.unmapped = reading.unmapped()
    doc.source = Source(file=reading.name, page=reading.grid.page)
    doc.index = index


def _apply_head(
    doc: TargetDeclaration | Monitoring, reading: _Reading, layout: Layout
) -> list[str]:
    """Layout, title, year and head fields onto ``doc``; the head parts it lacks, named
    (by the layout's words)."""
    doc.layout = layout.id
    title, year, fields, extras = _head(reading, layout)
    if title:
        doc.title = title
    doc.year = year
    for key, value in fields.items():
        setattr(doc, key, value)
    doc.extras = extras
    lacks = [h.label for h in layout.head if h.field is not None and h.field not in fields]
    if year is None:
        lacks.append("年度")
    for cell in reading.grid.cells:  # 项目资金（万元） names the amount unit
        if _fund_block(cell.text, layout):
            unit = unit_of(cell.text)
            if unit:
                doc.amount_unit = unit
            reading.used.add(id(cell))
    return lacks


def _block_heading(text: str, layout: Layout) -> bool:
    """A heading over a block (总体目标, 绩效指标, 偏差原因分析 …): read as nothing."""
    word = grid_label(text)
    return word in (
        "总体目标",
        "年度总体目标",
        "绩效目标",
        "绩效指标",
        "偏差原因分析",
        "偏差原因",
        "完成目标可能性",
        grid_label(layout.goal_block),
        grid_label(layout.indicator_block),
    )


# ---------------------------------------------------------------------- 绩效目标申报表


def _set_amount(funds: PlanFunds, row: Declared, value: Decimal | None) -> None:
    if row.field is not None:
        setattr(funds, row.field, value)
    else:
        funds.extras = {**funds.extras, label_key(row.label): value}


def _plan_funds(reading: _Reading, total_cell: Cell, layout: Layout) -> PlanFunds:
    """A 申报表's fund column: 资金总额 at ``total_cell``, its parts in the rows below
    (label in the same column, amount to the right), by the layout's row labels."""
    funds = PlanFunds()
    reading.used.add(id(total_cell))
    funds.total = reading.number(reading.right_of(total_cell), _text(total_cell).rstrip("：:"))
    cell = reading.below(total_cell)
    while cell is not None:
        row = layout.fund_row(cell.text)
        if row is None or row.field == "total":
            break
        reading.used.add(id(cell))
        _set_amount(funds, row, reading.number(reading.right_of(cell), _text(cell)))
        cell = reading.below(cell)
    return funds


def _indicator_header(reading: _Reading, layout: Layout) -> int | None:
    """The first row holding 三级指标 and another of the layout's indicator columns."""
    for r, cells, _labels in reading.rows():
        fields = [_column(layout, c.text)[1] for c in cells]
        keys = {f.field or f.id for f in fields if f is not None}
        if "name" in keys and len(keys) >= 2:
            return r
    return None


def _column(layout: Layout, text: str) -> tuple[str, Declared | None]:
    """An indicator column heading: its monitoring period (``1-7月``, or "") and the
    layout's column it names."""
    period, word = period_word(text)
    return period, layout.indicator_column(word)


def read_declaration(grid: Grid, name: str, index: int = 1) -> TargetDeclaration:
    """A 绩效目标申报表 from its grid, in its recognised layout; gaps name what it lacks
    (indicator rows left empty are said to be empty)."""
    layout = recognise_plan((c.text for c in grid.cells), "declaration").layout
    reading = _Reading.of(grid, name)
    doc = TargetDeclaration()
    lacks = _apply_head(doc, reading, layout)
    columns: dict[str, Cell] = {}
    goal_cells: dict[str, Cell] = {}
    for cell in grid.cells:
        column = layout.fund_column(cell.text)
        goal = layout.goal(cell.text)
        if column is not None and column.field is not None:
            columns.setdefault(column.field, cell)
        elif goal is not None and goal.field is not None:
            goal_cells.setdefault(goal.field, cell)
        elif _block_heading(cell.text, layout):
            reading.used.add(id(cell))
    if "medium" in columns:
        doc.medium_funds = _plan_funds(reading, columns["medium"], layout)
    if "annual" in columns:
        doc.annual_funds = _plan_funds(reading, columns["annual"], layout)
    if layout.tasks:
        if not _read_tasks(reading, doc, layout):
            lacks.append(layout.task_block)
    elif not columns:
        lacks.append(layout.fund_block)
    for attr, goal_cell in goal_cells.items():
        reading.used.add(id(goal_cell))
        text_cell = _goal_text(reading, goal_cell, layout)
        if text_cell is not None:
            reading.used.add(id(text_cell))
            setattr(doc, attr, _text(text_cell))
    if not goal_cells:
        lacks.append("、".join(g.label for g in layout.goals))
    header = _indicator_header(reading, layout)
    if header is None:
        lacks.append(layout.indicator_block)
    else:
        medium_rows, annual_rows = _declaration_indicators(reading, header, layout)
        doc.medium_indicators = medium_rows
        doc.indicators = annual_rows
        if not medium_rows and not annual_rows:
            doc.gaps.append(f"{layout.indicator_block}：表中只有表头，指标行为空")
    if lacks:
        doc.gaps.insert(0, "表中未找到：" + "、".join(lacks))
    _finish_common(doc, reading, index)
    return doc


def _read_tasks(reading: _Reading, doc: TargetDeclaration, layout: Layout) -> bool:
    """A 部门整体支出 申报表's 年度主要任务 (header by the layout's task columns, one or two
    rows) into ``tasks``, and its 金额合计 row into the 年度 funds; whether the table was
    found."""
    grid = reading.grid
    named = next((t for t in layout.tasks if t.field == "name"), None)
    start = next((c for c in grid.cells if named is not None and named.matches(c.text)), None)
    if start is None:
        return False
    header: list[tuple[Cell, Declared]] = []
    for r in range(start.row, start.last_row + 1):
        for cell in grid.row_cells(r):
            if cell.row != r:
                continue
            col = next((t for t in layout.tasks if t.matches(cell.text)), None)
            if col is not None:
                header.append((cell, col))
            if (
                col is not None
                or _fund_block(cell.text, layout)
                or _block_heading(cell.text, layout)
                or grid_label(cell.text) == grid_label(layout.task_block)
            ):
                reading.used.add(id(cell))
    last = max(c.last_row for c, _ in header)
    total = label_key(layout.task_total)
    for r in range(last + 1, grid.nrows):
        cells = [c for c in grid.row_cells(r) if c.text.strip()]
        if any(label_key(c.text) == total for c in cells):
            for c in cells:
                if label_key(c.text) == total:
                    reading.used.add(id(c))
            for cell, col in header:
                if col.field not in ("name", "content"):
                    found = grid.at(r, cell.col)
                    _set_amount(doc.annual_funds, col, reading.number(found, layout.task_total))
            return True
        task = PlanTask()
        for cell, col in header:
            found = grid.at(r, cell.col)
            if found is None or found.row != r:
                continue
            if col.field in ("name", "content"):
                reading.used.add(id(found))
                setattr(task, col.field, _text(found))
            elif col.field is not None:
                _set_amount(task.funds, col, reading.number(found, f"{_text(cell)}"))
        if task.name or task.content:
            doc.tasks.append(task)
    return True


def _goal_text(reading: _Reading, heading: Cell, layout: Layout) -> Cell | None:
    """The text of a goal: to the right of its heading (年度总体目标 | …), or below it
    where the heading stands over its column beside another (中期目标 | 年度目标)."""
    right = reading.right_of(heading)
    if right is not None and right.row == heading.row and layout.goal(right.text) is None:
        return right
    below = reading.below(heading)
    return below if below is not heading else None


def _declaration_indicators(
    reading: _Reading, header: int, layout: Layout
) -> tuple[list[TargetIndicator], list[TargetIndicator]]:
    """The 中期 and 年度 indicators: the header's columns split where a column repeats
    (中期 first); a lone set is 年度. 一级指标 given once serves both halves."""
    grid = reading.grid
    groups: list[dict[str, tuple[Cell, Declared]]] = [{}]
    for cell in grid.row_cells(header):
        col = layout.indicator_column(cell.text)
        if col is None:
            continue
        reading.used.add(id(cell))
        if col.id in groups[-1]:
            groups.append({})
        groups[-1][col.id] = (cell, col)
    if len(groups) == 1:
        groups = [{}, groups[0]]
    level1 = next(
        (pair for cols in groups for pair in cols.values() if pair[1].field == "level1"), None
    )
    last_header = max(c.last_row for cols in groups for c, _ in cols.values())
    halves: list[list[TargetIndicator]] = [[], []]
    for r in grid.row_numbers():
        if r <= last_header:
            continue
        for half, cols in enumerate(groups):
            fields = {col.field for _, col in cols.values()}
            if "name" not in fields and "target" not in fields:
                continue
            pairs = list(cols.values())
            if level1 is not None and "level1" not in fields:
                pairs.insert(0, level1)
            values: dict[str, str] = {}
            extras: dict[str, str] = {}
            for cell, col in pairs:
                found = grid.at(r, cell.col)
                if found is None:
                    continue
                reading.used.add(id(found))
                if col.field is not None:
                    values[col.field] = _text(found)
                elif _text(found):
                    extras[col.label] = _text(found)
            if values.get("name") or values.get("target"):
                halves[half].append(TargetIndicator.model_validate({**values, "extras": extras}))
    return halves[0], halves[1]


# ------------------------------------------------------------------ 绩效目标执行监控表


def read_monitoring(grid: Grid, name: str, index: int = 1) -> Monitoring:
    """A 绩效目标执行监控表 from its grid, in its recognised layout; gaps name what it
    lacks."""
    layout = recognise_plan((c.text for c in grid.cells), "monitoring").layout
    reading = _Reading.of(grid, name)
    doc = Monitoring()
    lacks = _apply_head(doc, reading, layout)
    if not _monitor_funds(reading, doc, layout):
        lacks.append(layout.fund_block)
    goal = next((c for c in grid.cells if layout.goal(c.text) is not None), None)
    if goal is None:
        lacks.append(layout.goals[0].label if layout.goals else "年度总体目标")
    else:
        reading.used.add(id(goal))
        text_cell = reading.right_of(goal)
        if text_cell is not None:
            reading.used.add(id(text_cell))
            doc.goal = _text(text_cell)
    header = _indicator_header(reading, layout)
    if header is None:
        lacks.append(layout.indicator_block)
    else:
        doc.indicators = _monitor_indicators(reading, header, doc, layout)
        if not doc.indicators:
            doc.gaps.append(f"{layout.indicator_block}：表中只有表头，指标行为空")
    if lacks:
        doc.gaps.insert(0, "表中未找到：" + "、".join(lacks))
    _finish_common(doc, reading, index)
    return doc


def _monitor_funds(reading: _Reading, doc: Monitoring, layout: Layout) -> bool:
    """The fund header (年初预算数, 1-7月执行数 …, by the layout's column words) and the
    rows below it (by its row labels)."""
    grid = reading.grid
    for _r, cells, _labels in reading.rows():
        columns: dict[str, Cell] = {}
        for cell in cells:
            period, word = period_word(cell.text)
            col = layout.fund_column(word)
            if col is None or col.field is None:
                continue
            columns[col.field] = cell
            if period and col.field == "executed":
                doc.period = period
        if "initial" not in columns or "executed" not in columns:
            continue
        reading.used.update(id(c) for c in columns.values())
        row = max(c.last_row for c in columns.values()) + 1
        while row < grid.nrows:
            label_cell = next(
                (
                    c
                    for c in grid.row_cells(row)
                    if c.text.strip() and not _fund_block(c.text, layout)
                ),
                None,
            )
            declared = layout.fund_row(label_cell.text) if label_cell is not None else None
            if label_cell is None or declared is None:
                break
            reading.used.add(id(label_cell))
            fund = MonitorFundRow()
            for field, heading in columns.items():
                found = grid.at(row, heading.col)
                if found is not None and found is not heading:
                    what = f"{_text(label_cell)}·{_text(heading)}"
                    setattr(fund, field, reading.number(found, what))
            if declared.field is not None:
                setattr(doc.funds, declared.field, fund)
            else:
                doc.funds.extras = {**doc.funds.extras, label_key(declared.label): fund}
            row = label_cell.last_row + 1
        return True
    return False


@dataclass
class _MonitorColumns:
    named: dict[str, tuple[Cell, Declared]]
    causes: dict[str, Cell]
    likelihoods: dict[str, Cell]


def _monitor_columns(reading: _Reading, header: int, layout: Layout) -> tuple[_MonitorColumns, int]:
    """The columns of a 监控表's indicator header (one or two rows) and its last row."""
    grid = reading.grid
    top = grid.row_cells(header)
    last = max(c.last_row for c in top)
    cells = list(top)
    for r in range(header + 1, last + 1):
        cells.extend(c for c in grid.row_cells(r) if c.row == r)
    named: dict[str, tuple[Cell, Declared]] = {}
    causes: dict[str, Cell] = {}
    likelihoods: dict[str, Cell] = {}
    for cell in cells:
        cause = next((lab for lab in layout.causes if lab.matches(cell.text)), None)
        likely = next((lab for lab in layout.likelihoods if lab.matches(cell.text)), None)
        _period, col = _column(layout, cell.text)
        if cause is not None:
            causes[cause.label] = cell
        elif likely is not None:
            likelihoods[likely.label] = cell
        elif col is not None:
            named[col.id] = (cell, col)
        elif not _block_heading(cell.text, layout):
            continue
        reading.used.add(id(cell))
    return _MonitorColumns(named, causes, likelihoods), last


def _monitor_indicators(
    reading: _Reading, header: int, doc: Monitoring, layout: Layout
) -> list[MonitorIndicator]:
    grid = reading.grid
    columns, last = _monitor_columns(reading, header, layout)
    rows: list[MonitorIndicator] = []
    for r in grid.row_numbers():
        if r <= last:
            continue
        values: dict[str, str] = {}
        extras: dict[str, str] = {}
        for col_cell, col in columns.named.values():
            cell = grid.at(r, col_cell.col)
            if cell is not None and cell.row <= r:
                reading.used.add(id(cell))
                if col.field is not None:
                    values[col.field] = _text(cell)
                elif _text(cell):
                    extras[col.label] = _text(cell)
        if not values.get("name") and not values.get("target"):
            continue
        causes = [name for name, at in columns.causes.items() if ticked(grid.at(r, at.col))]
        chosen = [name for name, at in columns.likelihoods.items() if ticked(grid.at(r, at.col))]
        for at in (*columns.causes.values(), *columns.likelihoods.values()):
            cell = grid.at(r, at.col)
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
                    "extras": extras,
                    "causes": sorted(causes, key=order.__getitem__),
                    "likelihood": chosen[0] if len(chosen) == 1 else None,
                }
            )
        )
    return rows
