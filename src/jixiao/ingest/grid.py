"""Tables as cell grids: what the PDF, Excel and HTML readers produce for the mapper.

A :class:`Grid` is a table as cells with spans: ``(row, col, rowspan, colspan, text)``.
Spans stay rectangles: a grid indexes the cells covering each row, so a merge of 10,000
rows is one cell, never 10,000 positions. :func:`check_extent` and :func:`span_limit`
refuse a table beyond :mod:`jixiao.limits` before a reader spends on it. The label mapper
(:mod:`jixiao.ingest.mapper`) turns grids into forms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

from jixiao.limits import LimitExceeded, current

# ---------------------------------------------------------------------------- grid model


@dataclass(slots=True)
class Cell:
    """One (possibly merged) cell: top-left position, spans and its text.

    ``value`` is set when the source stores a number (Excel); ``text`` is then the
    number as the cell shows it.
    """

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str = ""
    value: Decimal | None = None

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


_col = attrgetter("col")  # (a key made in C: a call a cell of every row sorted)


def _default_address(row: int, col: int) -> str:
    return f"第{row + 1}行第{col + 1}列"


@dataclass
class Grid:
    """A table of cells. ``origin`` names it for messages ("第2页表格", "工作表“自评表”")."""

    cells: list[Cell]
    origin: str = ""
    page: int | None = None
    # Maps a grid position to a place in the source ("B7", "第3行第2列").
    address: Callable[[int, int], str] = _default_address
    is_text: bool = False  # a line of text outside any table
    flattened: bool = False  # laid out from a flattened text's cells (ingest/rows.py)
    row_pages: list[int] | None = None  # page of each row, for a table over several pages
    # Row → the cells covering it, by column: spans stay rectangles (a merge of 10,000
    # rows is listed once per row, never once per covered position).
    _by_row: dict[int, list[Cell]] = field(default_factory=dict, repr=False)
    nrows: int = 0
    ncols: int = 0

    def __post_init__(self) -> None:
        self.index()

    def index(self) -> None:
        """(Re)build the row → covering cells index."""
        # (last_row / last_col spelled out: the properties cost a call a cell; lists, not
        # generators, to take the greatest of; a cell of one row, most cells, not spanned)
        self.nrows = max([c.row + c.rowspan for c in self.cells], default=0)
        self.ncols = max([c.col + c.colspan for c in self.cells], default=0)
        by_row: dict[int, list[Cell]] = {}
        for cell in self.cells:
            if cell.rowspan == 1:
                row = by_row.get(cell.row)
                if row is None:
                    by_row[cell.row] = [cell]
                else:
                    row.append(cell)
                continue
            for r in range(cell.row, cell.row + cell.rowspan):
                by_row.setdefault(r, []).append(cell)
        for cells in by_row.values():
            if len(cells) > 1:
                cells.sort(key=_col)  # stable: the first given wins an overlap
        self._by_row = dict(sorted(by_row.items()))

    @classmethod
    def from_rows(
        cls, rows: Sequence[Sequence[str | None]], origin: str = "", **kw: object
    ) -> Grid:
        """A grid from a pdfplumber-style matrix: ``None`` continues the cell to the left
        (or above when the left neighbour is not the same row's cell). For tests and
        hand-made grids; spans are inferred the simple way."""
        cells: list[Cell] = []
        owner: dict[tuple[int, int], Cell] = {}
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text is not None:
                    cell = Cell(r, c, text=text)
                    cells.append(cell)
                    owner[(r, c)] = cell
                    continue
                left = owner.get((r, c - 1))
                up = owner.get((r - 1, c))
                if left is not None and left.row == r and left.last_col == c - 1:
                    left.colspan += 1
                    owner[(r, c)] = left
                elif up is not None and up.last_row == r - 1 and up.col == c:
                    up.rowspan += 1
                    for cc in range(up.col, up.last_col + 1):
                        owner[(r, cc)] = up
                elif up is not None:
                    owner[(r, c)] = up
        return cls(cells, origin=origin, **kw)  # type: ignore[arg-type]

    @classmethod
    def text_line(cls, text: str, origin: str = "", page: int | None = None) -> Grid:
        return cls([Cell(0, 0, text=text)], origin=origin, page=page, is_text=True)

    def at(self, row: int, col: int) -> Cell | None:
        """The cell covering position (row, col), if any."""
        for cell in self._by_row.get(row, ()):
            if cell.col > col:
                return None
            if cell.col + cell.colspan > col:  # (cell.last_col >= col)
                return cell
        return None

    def row_cells(self, row: int) -> list[Cell]:
        """The distinct cells covering ``row``, left to right."""
        out: list[Cell] = []
        end = -1
        for cell in self._by_row.get(row, ()):
            if cell.col > end:  # a cell overlapping the one before it is hidden by it
                out.append(cell)
                end = cell.col + cell.colspan - 1
        return out

    def row_numbers(self) -> list[int]:
        """The rows that hold a cell, top to bottom."""
        return list(self._by_row)

    def page_of(self, row: int) -> int | None:
        if self.row_pages:
            return self.row_pages[min(row, len(self.row_pages) - 1)]
        return self.page

    def place(self, row: int, col: int) -> str:
        if self.is_text:
            return self.origin
        return f"{self.origin}{self.address(row, col)}"

    def matrix(self) -> list[list[str | None]]:
        """Rows of text with ``None`` where a merged cell covers the position (for tests)."""
        out: list[list[str | None]] = [[None] * self.ncols for _ in range(self.nrows)]
        for cell in self.cells:
            out[cell.row][cell.col] = cell.text
        return out


def span_limit(name: str, origin: str, first: str, last: str, rows: int, cols: int) -> None:
    """Refuse one merged range (``first``:``last``, e.g. K1:XFD1048576) larger than allowed."""
    limit = current().max_span_cells
    if rows * cols > limit:
        raise LimitExceeded(
            f"{name}: {origin}合并单元格 {first}:{last} 超过上限（最多 {limit} 个单元格）"
        )


def check_extent(
    cells: Sequence[Cell],
    name: str,
    origin: str,
    address: Callable[[int, int], str] = _default_address,
) -> None:
    """Refuse a table beyond :mod:`jixiao.limits`: its cells (those a span covers count
    too), rows, columns and the area of each span. Cheap: one pass over the cells."""
    lim = current()
    covered = 0
    for cell in cells:
        if cell.row + cell.rowspan > lim.max_rows:
            raise LimitExceeded(
                f"{name}: {origin}单元格 {address(cell.row, cell.col)} 超出行数上限"
                f"（最多 {lim.max_rows} 行）"
            )
        if cell.col + cell.colspan > lim.max_cols:
            raise LimitExceeded(
                f"{name}: {origin}单元格 {address(cell.row, cell.col)} 超出列数上限"
                f"（最多 {lim.max_cols} 列）"
            )
        if cell.rowspan > 1 or cell.colspan > 1:
            span_limit(
                name,
                origin,
                address(cell.row, cell.col),
                address(cell.last_row, cell.last_col),
                cell.rowspan,
                cell.colspan,
            )
        covered += cell.rowspan * cell.colspan
        if covered > lim.max_cells:
            raise LimitExceeded(
                f"{name}: {origin}的单元格超过上限（最多 {lim.max_cells} 个，含合并单元格覆盖的）"
            )


# ----------------------------------------------------------------------------- text helpers


@lru_cache(maxsize=8192)  # a cell's text is joined by each builder that reads it
def join_lines(text: str) -> str:
    """Wrapped cell text: lines joined with nothing (CJK has no spaces), ends trimmed."""
    return "".join(part.strip() for part in text.splitlines()).strip()


def source_and_name(
    source: str | Path | bytes, name: str | None, unnamed: str
) -> tuple[Path | bytes, str]:
    """A reader's input (bytes, or a path) and the name its messages give it: ``name``,
    else the path, else ``unnamed`` ("<PDF>") for bytes."""
    if isinstance(source, bytes):
        return source, name or unnamed
    return Path(source), name or str(source)
