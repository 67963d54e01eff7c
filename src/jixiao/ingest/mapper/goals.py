"""年度总体目标: the 预期目标 | 实际完成情况 headings and their text in the rows below, or a
lone 年度总体目标 label with its text beside it or below it."""

from __future__ import annotations

from jixiao.ingest.grid import Cell, join_lines
from jixiao.ingest.mapper.draft import Column, Context, Row
from jixiao.ingest.mapper.labels import label_of
from jixiao.ingest.vocabulary import FUND_COLUMN_VALUE, grid_label


def goal_header(ctx: Context, row: Row) -> bool:
    """The goal headings of a row: the columns whose cells below are the goal texts."""
    found: dict[str, Column] = {}
    block: Cell | None = None
    for cell, label in zip(row.cells, row.labels, strict=True):
        if label.goal_expected and "expected" not in found:
            found["expected"] = Column(cell, row.grid)
        elif label.goal_achieved and "achieved" not in found:
            found["achieved"] = Column(cell, row.grid)
        elif label.goals_block and block is None:
            block = cell
    if not found and block is None:
        return False
    b = ctx.draft
    if not found and block is not None:
        if id(block) in b.used:
            return False  # the merged label of rows already read
        found["expected"] = Column(block, row.grid)
    b.touch(row)
    b.section = "goals"
    b.seen.add("goals")
    b.goal_cols = found
    headers = {id(col.cell) for col in found.values()} | ({id(block)} if block else set())
    b.used |= headers
    # A label with its text in the same row ("年度总体目标 | text"): read it now.
    if len(found) == 1:
        [(key, col)] = found.items()
        right = row.cell_at(col.cell.last_col + 1)
        if right is not None and id(right) not in b.used:
            label = label_of(right.text)
            if label.text and label.indicator_column is None:
                b.goal_parts.setdefault(key, []).append(join_lines(right.text))
                b.used.add(id(right))
    b.use(row.cells)
    return True


def goal_row(ctx: Context, row: Row) -> bool:
    """The goal texts under the headings; other text in the row is kept as unmapped."""
    b = ctx.draft
    took = False
    for key, col in b.goal_cols.items():
        cell = col.value_cell(row)
        if cell is None or id(cell) in b.used:
            continue
        if FUND_COLUMN_VALUE.match(grid_label(cell.text).replace(" ", "")):
            b.gap(
                f"{row.place(cell)}：项目资金的一栏“{join_lines(cell.text)}”印在年度总体目标处，"
                "属于哪一行无法确定，未读入"
            )
            b.unmap(row, cell)
            b.used.add(id(cell))
            continue
        b.goal_parts.setdefault(key, []).append(join_lines(cell.text))
        b.used.add(id(cell))
        took = True
    if took:
        b.touch(row)
        for cell, label in zip(row.cells, row.labels, strict=True):
            if id(cell) not in b.used and label.text and not label.goals_block:
                b.unmap(row, cell)
            b.used.add(id(cell))
    return took
