"""What the section builders share: a row of a grid with its labels, a header column, and
the form being built (:class:`Draft`) with what it has seen, read and left over."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Protocol

from jixiao.ingest.amounts import NotANumber, parse_amount
from jixiao.ingest.grid import Cell, Grid, join_lines
from jixiao.ingest.mapper.labels import Label, label_of
from jixiao.model import SelfEvaluation


@dataclass(slots=True)
class Row:
    """One row of a grid: the distinct cells covering it, left to right, and their labels."""

    grid: Grid
    index: int
    cells: list[Cell]
    labels: tuple[Label, ...]

    @classmethod
    def of(cls, grid: Grid, index: int) -> Row:
        cells = grid.row_cells(index)
        return cls(grid, index, cells, tuple([label_of(c.text) for c in cells]))

    def place(self, cell: Cell | None = None) -> str:
        """Where ``cell`` (or the row) is: "工作表“自评表”B7", "第2页表格第3行第1列"."""
        return self.grid.place(self.index, cell.col if cell is not None else 0)

    def cell_at(self, col: int) -> Cell | None:
        return self.grid.at(self.index, col)


@dataclass(slots=True)
class Column:
    """A header cell and the columns it spans: the cells under it are its values."""

    cell: Cell
    grid: Grid

    def value_cell(self, row: Row) -> Cell | None:
        """The cell of ``row`` under this header (None if it is the header itself)."""
        grid = row.grid  # (``grid.at`` called here, not through ``row.cell_at``: a call a
        # cell of every indicator row)
        if grid is not self.grid:
            # A continued table that kept its columns (pages joined upstream by x).
            return grid.at(row.index, self.cell.col) if grid.ncols == self.grid.ncols else None
        cell = grid.at(row.index, self.cell.col)
        if cell is self.cell:
            return None
        return cell


def looks_numeric(cell: Cell) -> bool:
    """A cell holding a number or an empty value ("-", "/", "")."""
    return cell.value is not None or _amount(cell.text)[0]


@lru_cache(maxsize=8192)  # (a form's numbers repeat from form to form: 5.00, 100.00, -)
def _amount(text: str) -> tuple[bool, Decimal | None]:
    """Whether ``text`` is a number or an empty value (:func:`parse_amount`), and its
    value (a ``Decimal`` is immutable: the one object may stand in many forms)."""
    try:
        return True, parse_amount(text)
    except NotANumber:
        return False, None


@dataclass
class Draft:
    """The form being built and the mapper's notes on it.

    ``section`` is the part of the form the rows below belong to (head, funds, goals,
    indicators, end); ``seen`` the parts found (keys of :data:`~.finish.PARTS`, and
    ``fund:<row>``); ``used`` the cells already read (by ``id``), so a merged cell
    covering several rows is read once.
    """

    form: SelfEvaluation = field(default_factory=SelfEvaluation)
    section: str = "head"
    started: bool = False
    seen: set[str] = field(default_factory=set)
    fund_cols: dict[str, Column] = field(default_factory=dict)
    funds_in_text = False  # the fund block read from a flattened text's grid
    fund_extra_cols: dict[str, Column] = field(default_factory=dict)
    goal_cols: dict[str, Column] = field(default_factory=dict)
    ind_cols: dict[str, Column] = field(default_factory=dict)
    ind_extra_cols: dict[str, Column] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    first_page: int | None = None
    last_page: int | None = None
    extras: dict[str, str] = field(default_factory=dict)
    fund_extras: dict[str, dict[str, str]] = field(default_factory=dict)
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # (place, text)
    goal_parts: dict[str, list[str]] = field(default_factory=dict)
    last_level: tuple[str, str] = ("", "")
    head_labels: list[str] = field(default_factory=list)  # 主管部门及代码 …: layout signs

    def seen_fund_rows(self) -> set[str]:
        return {k.removeprefix("fund:") for k in self.seen if k.startswith("fund:")}

    def touch(self, row: Row) -> None:
        """``row`` belongs to this form: it has started, and its pages reach the row's."""
        self.started = True
        page = row.grid.page_of(row.index)
        if page is not None:
            self.first_page = page if self.first_page is None else self.first_page
            self.last_page = page

    def use(self, cells: list[Cell]) -> None:
        self.used.update(id(c) for c in cells)

    def gap(self, message: str) -> None:
        if message not in self.form.gaps:
            self.form.gaps.append(message)

    def unmap(self, row: Row, cell: Cell, text: str | None = None) -> None:
        """Keep a cell no field takes, with its place."""
        self.unmapped.append((row.place(cell), join_lines(cell.text) if text is None else text))

    def number(self, cell: Cell | None, what: str, row: Row) -> Decimal | None:
        """A declared number; text that is not one is a gap (with its place) and kept."""
        if cell is None:
            return None
        if cell.value is not None:
            return cell.value
        number, value = _amount(cell.text)
        if not number:
            place = row.place(cell)
            self.gap(f"{place}：{what}“{cell.text}”不是数字，未读入")
            self.unmapped.append((place, f"{what}：{cell.text}"))
        return value


class Context(Protocol):
    """What a builder sees of the walk over the rows: the draft, and a way to close it and
    start the next form (a second title or 项目名称)."""

    @property
    def draft(self) -> Draft: ...

    def new_form(self) -> Draft: ...
