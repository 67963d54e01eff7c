"""The finish step: what a form lacks (``gaps``), what it holds beyond the model's fields
(``extras``), the cells no field took (``unmapped``, with their place), and the pages of
the source it came from."""

from __future__ import annotations

from jixiao.ingest.grid import join_lines
from jixiao.ingest.mapper.draft import Draft, Row
from jixiao.ingest.template_fields import complete_template_fields
from jixiao.ingest.vocabulary import (
    DEPARTMENT_LABEL,
    FUNDS_LABEL,
    GOALS_LABEL,
    GRADE_LABEL,
    PAGE_DECORATION,
    PROJECT_LABEL,
    TOTAL_LABEL,
    UNIT_LABEL,
    grid_label,
)
from jixiao.layouts import Layout, layout_of
from jixiao.model import SelfEvaluation, Source, Unmapped, fund_row_from_written, texts_pass

# The parts of a form a gap names when the tables lack them (keys of ``Draft.seen``).
PARTS = {
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


_FUND_FIELDS = frozenset(("total", "fiscal", "carryover", "other"))


def _has(layout: Layout, part: str) -> bool:
    """Whether the form's template has the part (a gap asks only for what it has: no
    评分等级 on the national form, no 实施单位 on the department-wide one)."""
    if part == "grade":
        return layout.fields.grade
    if part == "goals":
        return layout.fields.goals
    if part == "total":
        return layout.fields.total
    if part in ("project", "department", "unit"):
        return layout.has(part)
    return True


_CHECKED_UNMAPPED = Unmapped.checked_maker(("place", "text"))


def _unmapped(place: str, text: str) -> Unmapped:
    """An unmapped cell: made at once when both texts pass the model's check (the usual
    cell), else validated (the same object: ``tests/test_ingest_fast_paths.py``)."""
    if texts_pass([place, text]):
        return _CHECKED_UNMAPPED({"place": place, "text": text})
    return Unmapped(place=place, text=text)


def leftover_row(b: Draft, row: Row) -> None:
    """A row no builder took: its cells not read yet are kept as unmapped (page chrome on
    a line of its own is dropped; text before the first form is site chrome, headings)."""
    if not b.started:
        return
    for cell in row.cells:
        text = join_lines(cell.text)
        if not text or id(cell) in b.used:
            continue
        if row.grid.is_text and PAGE_DECORATION.match(grid_label(text)):
            continue
        b.unmap(row, cell, text)
        b.used.add(id(cell))


def finish_form(b: Draft, file: str, index: int) -> SelfEvaluation:
    """The form of ``b``: goals joined, extras and unmapped cells kept, a gap naming every
    part the tables lack that its layout has (first), the source file and pages, its
    index in the file, and what its template has in the typed fields (layout, 一级
    weights, check boxes: :mod:`jixiao.ingest.template_fields`)."""
    form = b.form
    for key in ("expected", "achieved"):
        if key in b.goal_parts:
            form.goals.set_checked(key, "".join(b.goal_parts[key]))
    if b.extras:
        form.extras = dict(b.extras)
    if b.fund_extras:
        form.funds.extras = {k: fund_row_from_written(v) for k, v in b.fund_extras.items()}
    if b.unmapped:
        form.unmapped = [_unmapped(place, text) for place, text in b.unmapped]
    layout = layout_of(complete_template_fields(form, b.head_labels)).layout
    # asked only of the parts the form's layout has; a form cut off before its 总分 cannot
    # tell whether a 评分等级 follows it
    lacks = [key for key in PARTS if key not in b.seen]
    cut = "total" in lacks
    lacks = [PARTS[key] for key in lacks if _has(layout, key) or (cut and key == "grade")]
    if "funds" in b.seen and not b.seen_fund_rows() and not b.fund_extras:
        form.gaps.insert(0, f"{FUNDS_LABEL}：表中只有表头，各行为空")
    elif b.funds_in_text and (rows := b.seen_fund_rows()):
        # a row of the layout's the text's block did not hold (its label printed elsewhere:
        # LibreOffice's PDF of a workbook, pdftotext default), as the seed's reader names
        # it (a table of a PDF, workbook or page holds the rows its form has)
        for row in layout.fund_rows:
            if row.field in _FUND_FIELDS and row.field not in rows:
                form.gaps.append(f"{FUNDS_LABEL}缺少“{row.label}”行")
    if "indicators" in b.seen and not form.indicators:
        form.gaps.insert(0, "绩效指标：表中只有表头，指标行为空")
    if lacks:
        form.gaps.insert(0, "表中未找到：" + "、".join(lacks))
    if "indicators" not in b.seen:  # the columns that tell most layouts apart
        form.gaps.insert(
            1 if lacks else 0,
            f"未找到绩效指标表，版式“{layout.name}”只按表头和项目资金推定，请核对",
        )
    end = b.last_page if b.last_page != b.first_page else None
    form.source = Source(file=file, page=b.first_page, end_page=end)
    form.index = index
    return form
