"""项目资金: the fund header row (columns by label, in any order) and the fund rows under it
(年度资金总额, 当年财政拨款, 上年结转资金, 其他资金; other rows into ``funds.extras``, other
columns into the row's ``extras``)."""

from __future__ import annotations

import re

from jixiao.ingest.grid import Cell, join_lines
from jixiao.ingest.mapper.draft import Column, Context, Row, looks_numeric
from jixiao.ingest.vocabulary import grid_label
from jixiao.model import FUND_COLUMN_LABELS, FUND_COLUMNS, amount_passes

_UNIT_YUAN = re.compile(r"[(（]元[)）]|单位[:：]?元|^元$")


def unit_of(text: str) -> str | None:
    """The amount unit a heading names: 项目资金（万元） → 万元, 项目资金（元） → 元."""
    t = grid_label(text)
    if "万元" in t:
        return "万元"
    if _UNIT_YUAN.search(t) or t.endswith("(元)"):
        return "元"
    return None


def fund_header(ctx: Context, row: Row) -> bool:
    """年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分, by label: the columns the
    fund rows below are read by. A second fund block in a form starts the next form."""
    b = ctx.draft
    if "funds" in b.seen and b.section != "funds":
        # A second fund block without a new title: a form without its own heading.
        b = ctx.new_form()
    b.touch(row)
    b.section = "funds"
    b.seen.add("funds")
    found: dict[str, Column] = {}
    extra: dict[str, Column] = {}
    for cell, label in zip(row.cells, row.labels, strict=True):
        key = label.fund_column
        if key is not None and key not in found:
            found[key] = Column(cell, row.grid)
        elif label.funds_block:
            unit = unit_of(cell.text)
            if unit:
                b.form.amount_unit = unit
        elif label.head is not None:
            continue  # 项目名称 over the rows' labels (the national layout)
        elif label.text and label.fund_row is None:
            extra[join_lines(cell.text)] = Column(cell, row.grid)
    b.fund_cols = found
    b.fund_extra_cols = extra
    b.funds_in_text = row.grid.flattened
    b.head_labels.extend(label.text for label in row.labels if label.text)  # layout signs
    b.use(row.cells)
    return True


def fund_row(ctx: Context, row: Row) -> bool:
    """A row of the fund block: its label (a known row, or another one kept in
    ``funds.extras`` with its values as written) and the values under the header's columns."""
    b = ctx.draft
    key = None
    label_cell = None
    for cell, label in zip(row.cells, row.labels, strict=True):
        if id(cell) in b.used:
            continue
        if label.fund_row is not None:
            key, label_cell = label.fund_row, cell
            break
        if label.text and not looks_numeric(cell):
            label_cell = cell
            break
    if label_cell is None:
        return False

    def free(col: Column) -> Cell | None:
        """The row's cell under ``col``, unless it is the label or already read."""
        cell = col.value_cell(row)
        return None if cell is None or cell is label_cell or id(cell) in b.used else cell

    cells = {name: c for name, col in b.fund_cols.items() if (c := free(col)) is not None}
    extra = {
        name: join_lines(value_cell.text)
        for name, col in b.fund_extra_cols.items()
        if (value_cell := free(col)) is not None
    }
    if key is None and not any(c.text.strip() for c in cells.values()) and not any(extra.values()):
        return False  # text with no value (年度 / 总体 / 目标 before 预期目标): not a fund row
    b.touch(row)
    raw = {name: join_lines(cell.text) for name, cell in cells.items()}
    values = {name: b.number(cell, FUND_COLUMN_LABELS[name], row) for name, cell in cells.items()}
    if key is None or key in b.seen_fund_rows():
        b.fund_extras[join_lines(label_cell.text)] = {**raw, **extra}
        return True
    fund = getattr(b.form.funds, key)
    numbers = [values.get(name) for name in FUND_COLUMNS]
    if all(v is None or amount_passes(v) for v in numbers):
        # what the validated assignments below do, at once: each value would pass, and
        # the row (read once a form) holds its defaults
        fund.__dict__.update(zip(FUND_COLUMNS, numbers, strict=True))
        fund.__pydantic_fields_set__.update(FUND_COLUMNS)
    else:
        for name, number in zip(FUND_COLUMNS, numbers, strict=True):
            setattr(fund, name, number)  # the first that would not pass is refused here
    if extra:
        fund.extras = extra
    b.seen.add("fund:" + key)
    return True
