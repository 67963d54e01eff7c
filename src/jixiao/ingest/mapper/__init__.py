"""The label mapper: cell grids (PDF, Excel, HTML tables) → forms, in stages.

:func:`map_forms` walks the rows of the grids in document order. Each row goes through:

1. **label classification** (:mod:`.labels`): what each cell's text may name, by the
   vocabulary, and the roles the row may play (title, head, fund header, goal header,
   indicator header, total, grade …);
2. **one builder per section of the form**, tried in the order of those roles, each free
   to decline by the state of the form being built (:mod:`.header`, :mod:`.funds`,
   :mod:`.goals`, :mod:`.indicators`, :mod:`.totals`); a row no header takes is read by
   the section it is in (a fund row, a goal text, an indicator row), else kept as unmapped;
3. **the finish step** (:mod:`.finish`): gaps, extras, unmapped cells, source pages.

Forms are built from the *labels* found (项目名称, 年初预算数, 三级指标, 分值 …), never from
fixed positions, so column order, extra columns (指标性质, 度量单位, 佐证资料 …) and row
labels may vary between provinces. What cannot be mapped is kept: extra indicator columns
in ``Indicator.extras``, extra head fields and fund rows in ``SelfEvaluation.extras`` /
``Funds.extras``, unplaced cells in ``SelfEvaluation.unmapped`` (with their place), and
whatever the form lacks in ``SelfEvaluation.gaps``. Declared values are taken as written;
nothing is recomputed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jixiao.ingest.errors import GridImportError
from jixiao.ingest.grid import Grid
from jixiao.ingest.mapper import funds, goals, header, indicators, totals
from jixiao.ingest.mapper.draft import Context, Draft, Row
from jixiao.ingest.mapper.finish import finish_form, leftover_row
from jixiao.ingest.mapper.labels import Role, row_roles
from jixiao.limits import LimitExceeded, current
from jixiao.model import SelfEvaluation

__all__ = ["map_forms", "require_forms"]

Builder = Callable[[Context, Row], bool]


def _taken(ctx: Context, row: Row) -> bool:
    return True


# The builder of each role; it returns False to decline the row.
BUILDERS: dict[Role, Builder] = {
    Role.BLANK: _taken,
    Role.DECORATION: _taken,
    Role.TITLE: header.title_line,
    Role.YEAR: header.year_line,
    Role.AMOUNT_UNIT: header.amount_unit_line,
    Role.HEAD: header.head_row,
    Role.FUND_HEADER: funds.fund_header,
    Role.GOAL_HEADER: goals.goal_header,
    Role.INDICATOR_HEADER: indicators.indicator_header,
    Role.INDICATOR_PRELUDE: indicators.indicator_prelude,
    Role.TOTAL: totals.total_row,
    Role.GRADE: totals.grade_row,
}
# The builder of the rows below a header, by the section they are in.
BODIES: dict[str, Builder] = {
    "funds": funds.fund_row,
    "goals": goals.goal_row,
    "indicators": indicators.indicator_row,
}


class _Walk:
    """The rows of a file's grids, in order, and the forms built from them."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.forms: list[SelfEvaluation] = []
        self.draft = Draft()
        self.flat_grid: Grid | None = None  # a flat indicator list being skipped

    def new_form(self) -> Draft:
        self.finish()
        self.draft = Draft()
        return self.draft

    def finish(self) -> None:
        if not self.draft.started:
            return
        self.forms.append(finish_form(self.draft, self.file, len(self.forms) + 1))
        if len(self.forms) > current().max_forms:
            raise LimitExceeded(
                f"{self.file}: 文件中的自评表超过上限（每个文件最多 {current().max_forms} 张）"
            )

    def feed(self, row: Row) -> None:
        if self.flat_grid is not None:
            if row.grid is self.flat_grid or row.grid.is_text:
                return  # the flat list and text around it (e.g. cells running past it)
            self.flat_grid = None
        for role in row_roles(row.labels):
            if role is Role.FLAT_LIST:
                # 项目名称 | 一级指标 | … | 三级指标: one row per indicator of many projects
                # (like jixiao's own 指标明细 sheet), not a form; its table is skipped.
                self.flat_grid = row.grid
                return
            if BUILDERS[role](self, row):
                return
        body = BODIES.get(self.draft.section)
        if body is not None and body(self, row):
            return
        leftover_row(self.draft, row)


def map_forms(grids: Iterable[Grid], file: str) -> list[SelfEvaluation]:
    """Every form found in ``grids`` (in document order); partial forms list their gaps."""
    walk = _Walk(file)
    for grid in grids:
        for r in grid.row_numbers():
            row = Row.of(grid, r)
            if row.cells:
                walk.feed(row)
    walk.finish()
    return walk.forms


def require_forms(forms: list[SelfEvaluation], file: str, what: str) -> list[SelfEvaluation]:
    """Raise a clear error when a file held tables but no form at all."""
    if not forms:
        raise GridImportError(
            f"{file}: {what}中没有找到财政项目支出绩效自评表（未见“项目名称”“三级指标”等栏目）"
        )
    return forms
