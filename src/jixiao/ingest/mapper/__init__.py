"""The label mapper: cell grids (PDF, Excel, HTML tables) → forms.

:func:`map_forms` walks the rows of the grids and builds
:class:`~jixiao.model.SelfEvaluation` objects keyed on the *labels* it finds (项目名称,
年初预算数, 三级指标, 分值 …), never on fixed positions, so column order, extra columns
(指标性质, 度量单位, 佐证资料 …) and row labels may vary between provinces.

What cannot be mapped is kept: extra indicator columns in ``Indicator.extras``, extra
head fields and fund rows in ``SelfEvaluation.extras`` / ``Funds.extras``, unplaced
cells in ``SelfEvaluation.unmapped`` (with their place), and whatever the form lacks in
``SelfEvaluation.gaps``. Declared values are taken as written; nothing is recomputed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from jixiao.ingest.amounts import NotANumber, parse_amount
from jixiao.ingest.errors import GridImportError
from jixiao.ingest.grid import Cell, Grid, join_lines
from jixiao.ingest.vocabulary import (
    DEPARTMENT_LABEL,
    FUNDS_LABEL,
    GOALS_LABEL,
    GRADE_LABEL,
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
    GRID_YEAR,
    GRID_YEAR_LINE,
    PAGE_DECORATION,
    PROJECT_LABEL,
    TOTAL_LABEL,
    UNIT_LABEL,
)
from jixiao.ingest.vocabulary import grid_label as norm
from jixiao.limits import LimitExceeded, current
from jixiao.model import FUND_COLUMN_LABELS, FUND_COLUMNS, Indicator, SelfEvaluation, Source

__all__ = ["map_forms", "require_forms"]


def _compiled(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(patterns) + ")$")


_HEAD = {key: _compiled(p) for key, p in GRID_HEAD_LABELS.items()}
_OTHER_HEAD = _compiled(GRID_OTHER_HEAD_LABELS)
_FUND_COL = {key: _compiled(p) for key, p in GRID_FUND_COLUMNS.items()}
_FUND_ROW = {key: _compiled(p) for key, p in GRID_FUND_ROWS.items()}
_GOAL_EXPECTED = _compiled(GRID_GOAL_EXPECTED)
_GOAL_ACHIEVED = _compiled(GRID_GOAL_ACHIEVED)
_IND_COL = {key: _compiled(p) for key, p in GRID_INDICATOR_COLUMNS.items()}
_TOTAL = _compiled(GRID_TOTAL_LABELS)
_GRADE = _compiled(GRID_GRADE_LABELS)


_TABLES: dict[int, dict[str, re.Pattern[str]]] = {
    id(t): t for t in (_HEAD, _FUND_COL, _FUND_ROW, _IND_COL)
}


def _match(table: dict[str, re.Pattern[str]], label: str) -> str | None:
    """The key of the first pattern of ``table`` that ``label`` matches in full."""
    if not label:
        return None
    return _match_cached(id(table), label)


@lru_cache(maxsize=65536)
def _match_cached(table_id: int, label: str) -> str | None:
    for key, pattern in _TABLES[table_id].items():
        if pattern.match(label):
            return key
    return None


def _strip_prefix(label: str) -> str:
    return re.sub(r"^其中", "", label)


# ------------------------------------------------------------------------------- mapping


@dataclass
class _Row:
    grid: Grid
    index: int
    cells: list[Cell]

    def place(self, cell: Cell | None = None) -> str:
        col = cell.col if cell is not None else 0
        return self.grid.place(self.index, col)

    def cell_at(self, col: int) -> Cell | None:
        return self.grid.at(self.index, col)

    def labels(self) -> list[str]:
        return [norm(c.text) for c in self.cells]


def _rows(grids: Iterable[Grid]) -> Iterator[_Row]:
    for grid in grids:
        for r in grid.row_numbers():
            cells = grid.row_cells(r)
            if cells:
                yield _Row(grid, r, cells)


@dataclass
class _Column:
    """A mapped header column: the header cell and the columns it spans."""

    cell: Cell
    grid: Grid

    def value_cell(self, row: _Row) -> Cell | None:
        """The cell of ``row`` under this header (None if it is the header itself)."""
        if row.grid is not self.grid:
            # A continued table that kept its columns (pages joined upstream by x).
            return row.cell_at(self.cell.col) if row.grid.ncols == self.grid.ncols else None
        cell = row.cell_at(self.cell.col)
        if cell is self.cell:
            return None
        return cell


@dataclass
class _FormBuilder:
    form: SelfEvaluation = field(default_factory=SelfEvaluation)
    section: str = "head"
    started: bool = False
    seen: set[str] = field(default_factory=set)
    fund_cols: dict[str, _Column] = field(default_factory=dict)
    fund_extra_cols: dict[str, _Column] = field(default_factory=dict)
    goal_cols: dict[str, _Column] = field(default_factory=dict)
    ind_cols: dict[str, _Column] = field(default_factory=dict)
    ind_extra_cols: dict[str, _Column] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)  # id() of header/label cells
    first_page: int | None = None
    last_page: int | None = None
    extras: dict[str, str] = field(default_factory=dict)
    fund_extras: dict[str, dict[str, str]] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    goal_parts: dict[str, list[str]] = field(default_factory=dict)
    last_level: tuple[str, str] = ("", "")

    # -- bookkeeping
    def seen_fund_rows(self) -> set[str]:
        return {k.removeprefix("fund:") for k in self.seen if k.startswith("fund:")}

    def touch(self, row: _Row) -> None:
        self.started = True
        page = row.grid.page_of(row.index)
        if page is not None:
            self.first_page = page if self.first_page is None else self.first_page
            self.last_page = page

    def gap(self, message: str) -> None:
        if message not in self.form.gaps:
            self.form.gaps.append(message)

    def number(self, cell: Cell | None, what: str, row: _Row) -> Decimal | None:
        if cell is None:
            return None
        if cell.value is not None:
            return cell.value
        try:
            return parse_amount(cell.text)
        except NotANumber:
            place = row.place(cell)
            self.gap(f"{place}：{what}“{cell.text}”不是数字，未读入")
            self.unmapped.append(f"{place}：{what}：{cell.text}")
            return None


def _year_of(text: str) -> int | None:
    m = GRID_YEAR.search(text)
    return int(m.group(1)) if m else None


def _unit_of(text: str) -> str | None:
    t = norm(text)
    if "万元" in t:
        return "万元"
    if re.search(r"[(（]元[)）]|单位[:：]?元|^元$", t) or t.endswith("(元)"):
        return "元"
    return None


# The parts of a form a gap names when the tables lack them (keys of ``_FormBuilder.seen``).
_PARTS = {
    "project": PROJECT_LABEL,
    "department": DEPARTMENT_LABEL,
    "unit": UNIT_LABEL,
    "year": "年度",
    "funds": FUNDS_LABEL,
    "goals": GOALS_LABEL,
    "indicators": "绩效指标",
    "total": TOTAL_LABEL,
    "grade": GRADE_LABEL,
}


class _Mapper:
    def __init__(self, file: str) -> None:
        self.file = file
        self.forms: list[SelfEvaluation] = []
        self.b = _FormBuilder()
        self.flat_grid: Grid | None = None

    # ---- form boundaries
    def new_form(self) -> None:
        if self.b.started:
            self.finish()
        self.b = _FormBuilder()

    def finish(self) -> None:
        b = self.b
        form = b.form
        if not b.started:
            return
        for key in ("expected", "achieved"):
            if key in b.goal_parts:
                setattr(form.goals, key, "".join(b.goal_parts[key]))
        if b.extras:
            form.extras = dict(b.extras)  # type: ignore[attr-defined]
        if b.fund_extras:
            form.funds.extras = dict(b.fund_extras)  # type: ignore[attr-defined]
        if b.unmapped:
            form.unmapped = list(b.unmapped)  # type: ignore[attr-defined]
        lacks = [label for key, label in _PARTS.items() if key not in b.seen]
        if lacks:
            form.gaps.insert(0, "表中未找到：" + "、".join(lacks))
        form.source = Source(file=self.file, page=b.first_page)
        if b.last_page is not None and b.first_page is not None and b.last_page != b.first_page:
            form.source.end_page = b.last_page  # type: ignore[attr-defined]
        form.index = len(self.forms) + 1
        self.forms.append(form)
        if len(self.forms) > current().max_forms:
            raise LimitExceeded(
                f"{self.file}: 文件中的自评表超过上限（每个文件最多 {current().max_forms} 张）"
            )

    # ---- row dispatch
    def feed(self, row: _Row) -> None:
        if self.flat_grid is not None:
            if row.grid is self.flat_grid or row.grid.is_text:
                return  # the flat list and text around it (e.g. cells running past it)
            self.flat_grid = None
        labels = row.labels()
        if self.flat_list(row, labels):
            return
        if len(row.cells) == 1 and self.text_row(row, row.cells[0].text, labels[0]):
            return
        if self.head_row(row, labels):
            return
        if self.fund_header(row, labels):
            return
        if self.goal_header(row, labels):
            return
        if self.indicator_header(row, labels):
            return
        if self.indicator_prelude(row, labels):
            return
        if self.total_or_grade(row, labels):
            return
        sec = self.b.section
        if sec == "funds" and self.fund_row(row, labels):
            return
        if sec == "goals" and self.goal_row(row):
            return
        if sec == "indicators" and self.indicator_row(row, labels):
            return
        self.other_row(row)

    def flat_list(self, row: _Row, labels: list[str]) -> bool:
        """A header "项目名称 | 一级指标 | 二级指标 | 三级指标 …": a flat indicator list (one row
        per indicator of many projects), not a form; its table is skipped."""
        keys = self._ind_keys(labels)
        if "project" in {_match(_HEAD, lab) for lab in labels} and {"name", "level1"} <= keys:
            self.flat_grid = row.grid
            return True
        return False

    def text_row(self, row: _Row, text: str, label: str) -> bool:
        """A line outside the tables or a single full-width cell: title, year, unit."""
        if not label:
            return True
        if PAGE_DECORATION.match(label):
            return True
        b = self.b
        if GRID_TITLE.search(label) and len(label) <= 40:
            if b.started and ("project" in b.seen or b.form.indicators):
                self.new_form()
            b = self.b
            b.touch(row)
            title = re.sub(r"^附件\s*\d*", "", join_lines(text)).strip()
            year = _year_of(title)
            if GRID_YEAR_LINE.search(title[-10:] if len(title) > 10 else title) or year:
                # "2024年度项目支出绩效自评表" or "…自评表（2024年度）"
                tail = re.sub(r"[(（]\s*(?:19|20)\d{2}\s*年度?\s*[)）]$", "", title)
                title = tail or title
            b.form.title = title
            if year is not None:
                b.form.year = year
                b.seen.add("year")
            return True
        m = GRID_YEAR_LINE.match(label)
        if m:
            if b.started and "project" in b.seen and "year" in b.seen:
                self.new_form()
            b = self.b
            b.touch(row)
            b.form.year = int(m.group(1))
            b.seen.add("year")
            return True
        unit = GRID_UNIT_LINE.search(label)
        if unit and len(label) <= 20:
            b.form.amount_unit = unit.group(1)
            return True
        return False

    def head_row(self, row: _Row, labels: list[str]) -> bool:
        """Label/value pairs: 项目名称 | x, 主管部门 | y | 实施单位 | z, other head fields."""
        keys = [_match(_HEAD, lab) for lab in labels]
        if not any(keys):
            if self.b.section == "head" and labels and _OTHER_HEAD.match(labels[0]):
                keys = [None] * len(labels)
            else:
                return False
        if "project" in keys and "project" in self.b.seen:
            self.new_form()
        b = self.b
        b.touch(row)
        i = 0
        while i < len(row.cells):
            cell, label, key = row.cells[i], labels[i], keys[i]
            is_label = key is not None or bool(_OTHER_HEAD.match(label))
            if not is_label:
                if label:
                    b.unmapped.append(f"{row.place(cell)}：{join_lines(cell.text)}")
                i += 1
                continue
            # the cell after a label is its value, unless it is a head label itself
            takes = i + 1 < len(row.cells) and _match(_HEAD, labels[i + 1]) is None
            value = join_lines(row.cells[i + 1].text) if takes else ""
            if key is not None:
                setattr(b.form, key, value)
                b.seen.add(key)
            else:
                b.extras[join_lines(cell.text)] = value
            i += 2 if takes else 1
        return True

    def fund_header(self, row: _Row, labels: list[str]) -> bool:
        found, others = _header_columns(row, labels, _FUND_COL)
        money = {"initial", "adjusted", "executed"} & found.keys()
        if not money or len(found) < 2 or "name" in self._ind_keys(labels):
            return False
        b = self.b
        if "funds" in b.seen and b.section != "funds":
            # A second fund block without a new title: a form without its own heading.
            self.new_form()
            b = self.b
        b.touch(row)
        b.section = "funds"
        b.seen.add("funds")
        extra: dict[str, _Column] = {}
        for cell, label in others:
            if GRID_FUNDS_BLOCK.match(label):
                unit = _unit_of(cell.text)
                if unit:
                    b.form.amount_unit = unit
                b.used.add(id(cell))
            elif label and not any(p.match(label) for p in _FUND_ROW.values()):
                extra[join_lines(cell.text)] = _Column(cell, row.grid)
        b.fund_cols = found
        b.fund_extra_cols = extra
        for cell in row.cells:
            b.used.add(id(cell))
        return True

    @staticmethod
    def _ind_keys(labels: list[str]) -> set[str]:
        return {k for k in (_match(_IND_COL, lab) for lab in labels) if k}

    def fund_row(self, row: _Row, labels: list[str]) -> bool:
        b = self.b
        key = None
        label_cell = None
        for cell, label in zip(row.cells, labels, strict=True):
            if id(cell) in b.used:
                continue
            k = _match(_FUND_ROW, _strip_prefix(label)) or _match(_FUND_ROW, label)
            if k is not None:
                key, label_cell = k, cell
                break
            if label and label_cell is None and not _looks_numeric(cell):
                label_cell = cell
                break
        if label_cell is None:
            return False
        b.touch(row)

        def free(col: _Column) -> Cell | None:
            """The row's cell under ``col``, unless it is the label or already read."""
            cell = col.value_cell(row)
            return None if cell is None or cell is label_cell or id(cell) in b.used else cell

        values: dict[str, Decimal | None] = {}
        raw: dict[str, str] = {}
        for name, col in b.fund_cols.items():
            if (value_cell := free(col)) is not None:
                raw[name] = join_lines(value_cell.text)
                values[name] = b.number(value_cell, FUND_COLUMN_LABELS[name], row)
        extra = {
            name: join_lines(value_cell.text)
            for name, col in b.fund_extra_cols.items()
            if (value_cell := free(col)) is not None
        }
        if key is None or key in b.seen_fund_rows():
            label = join_lines(label_cell.text)
            b.fund_extras[label] = {**raw, **extra}
            return True
        fund_row = getattr(b.form.funds, key)
        for name in FUND_COLUMNS:
            setattr(fund_row, name, values.get(name))
        if extra:
            fund_row.extras = extra  # type: ignore[attr-defined]
        b.seen.add("fund:" + key)
        return True

    def goal_header(self, row: _Row, labels: list[str]) -> bool:
        """预期目标 | 实际完成情况 headings (their text in the rows below), or a lone
        年度总体目标 label with its text beside it or below it."""
        found: dict[str, _Column] = {}
        block: Cell | None = None
        for cell, label in zip(row.cells, labels, strict=True):
            if _GOAL_EXPECTED.match(label) and "expected" not in found:
                found["expected"] = _Column(cell, row.grid)
            elif _GOAL_ACHIEVED.match(label) and "achieved" not in found:
                found["achieved"] = _Column(cell, row.grid)
            elif GRID_GOALS_BLOCK.match(label) and block is None:
                block = cell
        if (not found and block is None) or "name" in self._ind_keys(labels):
            return False
        b = self.b
        if not found and block is not None:
            if id(block) in b.used:
                return False  # the merged label of rows already read
            found["expected"] = _Column(block, row.grid)
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
            if (
                right is not None
                and id(right) not in b.used
                and norm(right.text)
                and _match(_IND_COL, norm(right.text)) is None
            ):
                b.goal_parts.setdefault(key, []).append(join_lines(right.text))
                b.used.add(id(right))
        for cell in row.cells:
            b.used.add(id(cell))
        return True

    def goal_row(self, row: _Row) -> bool:
        b = self.b
        took = False
        for key, col in b.goal_cols.items():
            cell = col.value_cell(row)
            if cell is None or id(cell) in b.used:
                continue
            text = join_lines(cell.text)
            b.goal_parts.setdefault(key, []).append(text)
            b.used.add(id(cell))
            took = True
        if took:
            b.touch(row)
            for cell in row.cells:
                if (
                    id(cell) not in b.used
                    and norm(cell.text)
                    and not GRID_GOALS_BLOCK.match(norm(cell.text))
                ):
                    b.unmapped.append(f"{row.place(cell)}：{join_lines(cell.text)}")
                b.used.add(id(cell))
        return took

    def indicator_header(self, row: _Row, labels: list[str]) -> bool:
        found, others = _header_columns(row, labels, _IND_COL)
        if "name" not in found or not ({"target", "actual", "weight", "score"} & found.keys()):
            return False
        b = self.b
        b.touch(row)
        b.section = "indicators"
        b.seen.add("indicators")
        b.ind_cols = found
        extra = {join_lines(cell.text): _Column(cell, row.grid) for cell, label in others if label}
        b.ind_extra_cols = {
            k: v for k, v in extra.items() if not re.match(r"^绩效指标$|^指标$", norm(k))
        }
        for cell in row.cells:
            b.used.add(id(cell))
        return True

    def indicator_prelude(self, row: _Row, labels: list[str]) -> bool:
        """The first row of a two-row indicator header (绩效指标 | 年度指标值 | 实际完成值 …
        over 一级 | 二级 | 三级 | 指标值 | 度量单位): its cells that span down are read
        with the next row; the row itself holds no values."""
        keys = self._ind_keys(labels) - {"name"}
        if len(keys) < 2 or self.b.section not in ("head", "funds", "goals"):
            return False
        self.b.touch(row)
        return True

    def total_or_grade(self, row: _Row, labels: list[str]) -> bool:
        b = self.b
        first = next(
            ((c, lab) for c, lab in zip(row.cells, labels, strict=True) if lab), (None, "")
        )
        cell, label = first
        if cell is None:
            return False
        if _TOTAL.match(label) and b.section in ("indicators", "goals", "funds", "end"):
            if b.section == "funds" and not b.ind_cols:
                return False  # 合计 as a fund row
            b.touch(row)
            b.seen.add("total")
            weight = b.ind_cols.get("weight")
            score = b.ind_cols.get("score")
            wc = weight.value_cell(row) if weight else None
            sc = score.value_cell(row) if score else None
            wc = None if wc is cell else wc
            sc = None if sc is cell else sc
            b.form.total_weight = b.number(wc, "总分分值", row)
            b.form.total_score = b.number(sc, "总分得分", row)
            for other in row.cells:
                if other in (cell, wc, sc):
                    continue
                text = norm(other.text)
                if text in GRID_GRADES:
                    b.form.grade = join_lines(other.text)
                    b.seen.add("grade")
                elif _GRADE.match(text):
                    pass
                elif text:
                    b.unmapped.append(f"{row.place(other)}：{join_lines(other.text)}")
            self._grade_in_row(row, labels)
            b.section = "end"
            return True
        if _GRADE.match(label) and b.started:
            self._grade_in_row(row, labels)
            return True
        return False

    def _grade_in_row(self, row: _Row, labels: list[str]) -> None:
        b = self.b
        for i, label in enumerate(labels):
            if _GRADE.match(label):
                value = next((c for c in row.cells[i + 1 :] if norm(c.text)), None)
                b.touch(row)
                b.form.grade = join_lines(value.text) if value is not None else ""
                b.seen.add("grade")
                b.section = "end"

    def indicator_row(self, row: _Row, labels: list[str]) -> bool:
        b = self.b
        texts: dict[str, str] = {}
        cells: dict[str, Cell | None] = {}
        for key, col in b.ind_cols.items():
            cell = col.value_cell(row)
            if cell is not None and id(cell) in b.used and key not in ("level1", "level2"):
                cell = None
            cells[key] = cell
            texts[key] = join_lines(cell.text) if cell is not None else ""
        for key in ("level1", "level2"):
            cell = cells.get(key)
            if cell is not None and id(cell) in b.used and cell.rowspan == 1:
                texts[key] = ""
        content = [texts.get(k, "") for k in ("name", "target", "actual", "weight", "score")]
        if not any(content):
            return bool(texts.get("level1") or texts.get("level2")) or not any(labels)
        b.touch(row)
        level1 = texts.get("level1", "")
        level2 = texts.get("level2", "")
        if not level1 and not level2 and b.form.indicators:
            level1, level2 = b.last_level
        elif not level2 and level1 == b.last_level[0] and "level2" not in b.ind_cols:
            level2 = ""
        b.last_level = (level1, level2)
        ind = Indicator(
            level1=level1,
            level2=level2,
            name=texts.get("name", ""),
            target=texts.get("target", ""),
            actual=texts.get("actual", ""),
            weight=b.number(cells.get("weight"), "分值", row),
            score=b.number(cells.get("score"), "得分", row),
            deviation=texts.get("deviation", ""),
        )
        extras = {}
        for name, col in b.ind_extra_cols.items():
            cell = col.value_cell(row)
            if cell is not None and id(cell) not in b.used:
                extras[name] = join_lines(cell.text)
        if extras:
            ind.extras = extras  # type: ignore[attr-defined]
        b.form.indicators.append(ind)
        return True

    def other_row(self, row: _Row) -> None:
        b = self.b
        if not b.started:
            return  # text before the first form (site chrome, headings)
        for cell in row.cells:
            text = join_lines(cell.text)
            decoration = row.grid.is_text and PAGE_DECORATION.match(norm(text))
            if text and id(cell) not in b.used and not decoration:
                b.unmapped.append(f"{row.place(cell)}：{text}")
                b.used.add(id(cell))


def _header_columns(
    row: _Row, labels: list[str], table: dict[str, re.Pattern[str]]
) -> tuple[dict[str, _Column], list[tuple[Cell, str]]]:
    """The columns of a header row by the first cell matching each key of ``table``, and
    the row's other cells with their labels."""
    found: dict[str, _Column] = {}
    others: list[tuple[Cell, str]] = []
    for cell, label in zip(row.cells, labels, strict=True):
        key = _match(table, label)
        if key is not None and key not in found:
            found[key] = _Column(cell, row.grid)
        else:
            others.append((cell, label))
    return found, others


def _looks_numeric(cell: Cell) -> bool:
    if cell.value is not None:
        return True
    try:
        parse_amount(cell.text)
    except NotANumber:
        return False
    return True


def map_forms(grids: Iterable[Grid], file: str) -> list[SelfEvaluation]:
    """Every form found in ``grids`` (in document order); partial forms list their gaps."""
    mapper = _Mapper(file)
    for row in _rows(grids):
        mapper.feed(row)
    mapper.finish()
    return mapper.forms


def require_forms(forms: list[SelfEvaluation], file: str, what: str) -> list[SelfEvaluation]:
    """Raise a clear error when a file held tables but no form at all."""
    if not forms:
        raise GridImportError(
            f"{file}: {what}中没有找到财政项目支出绩效自评表（未见“项目名称”“三级指标”等栏目）"
        )
    return forms
