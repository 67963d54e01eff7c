"""The head of a form that LibreOffice Calc drew in two passes, read by the fast text reader.

Calc draws a sheet's cells of plain text (one script, one line) first, row by row, then
the cells its edit engine lays out (mixed scripts: ``（2024年度）``, ``执行率(%)``; wrapped
text: ``项目资金`` / ``（万元）``, ``年度`` / ``总体`` / ``目标``, the goal paragraphs), and
``pdftotext -raw`` keeps that order, page by page. So a form's first page prints its head,
a fund header without 项目资金 or 执行率(%) (``年初预算数 全年预算数 全年执行数 分数 得分``)
over rows that each print all six numbers, ``预期目标 实际完成情况`` with no text under it
and the table's first rows; then, a line each, the year, 项目资金 and its unit, 执行率(%),
the fund rows' wrapped cells, the goal label's pieces and the goal paragraphs, and the
rows' wrapped cells. The staged reader (:mod:`jixiao.ingest.rows`) reads this order back
for the layouts it reads; the layouts whose tables only the fast reader reads (北京's, with
its 得分计算方法 column, and 新疆's six added columns: their rows' wrapped cells leave too
few lines with spaces for the staged reading by words) are read here: each part only where
the text decides it, else a gap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jixiao.ingest import vocabulary as V
from jixiao.ingest.fund_cells import restored_columns
from jixiao.ingest.rows import declared_fund_orders, mixed_scripts
from jixiao.ingest.text_lines import Line
from jixiao.ingest.text_wraps import is_full
from jixiao.model import FUND_COLUMNS

_COLUMN_OF = {key: re.compile("|".join(V.GRID_FUND_COLUMNS[key])) for key in FUND_COLUMNS}
_FUND_EXTRA = re.compile("|".join(V.GRID_FUND_EXTRA_COLUMNS))
# The year as the title's row prints it, a cell of its own: （2024年度）
_YEAR_CELL = re.compile(r"[（(]((?:19|20)\d{2})年度[)）]")


def fund_header_apart(lines: list[Line], lo: int, label: int) -> int | None:
    """The fund header's line when 项目资金 (at ``label``) was printed after the table's
    first rows: the first line from ``lo`` before ``label`` holding two of the header's
    labels, with 预期目标 on a line between it and ``label``; else None."""
    for i in range(lo, label):
        if sum(map(lines[i].text.__contains__, V.FUND_HEADER_WORDS)) >= 2:
            goals = any(V.GOAL_EXPECTED_LABEL in ln.folded for ln in lines[i + 1 : label])
            return i if goals else None
    return None


def year_apart(lines: Sequence[Line]) -> tuple[int, Line] | None:
    """The form's year, printed in a line of its own (``（2024年度）``), and that line; None
    when there is no such line, or more than one."""
    found = [(m, ln) for ln in lines if (m := _YEAR_CELL.fullmatch(ln.text.replace(" ", "")))]
    if len(found) != 1:
        return None
    m, line = found[0]
    return int(m.group(1)), line


def unit_apart(lines: list[Line], label: int) -> tuple[str, int] | None:
    """The amount unit of 项目资金 printed apart (``项目资金`` / ``（万元）``, or both on one
    line), and the last line of the two; None when the line at ``label`` is not 项目资金
    with the unit alone after it."""
    rest = lines[label].folded.removeprefix(V.FUNDS_LABEL)
    at = label
    if not rest and label + 1 < len(lines):
        rest, at = lines[label + 1].folded, label + 1
    unit = V.AMOUNT_UNIT_PATTERN.fullmatch(rest)
    return (unit.group(1), at) if unit is not None else None


def header_columns(text: str) -> list[str] | None:
    """The fund columns a header line names, in order (model fields, "extra" for a column
    the seed lacks, 得分计算方法); None when a word of it is no fund column's label."""
    cols: list[str] = []
    for word in text.split():
        f = V.grid_label(word)
        key = next((k for k, pattern in _COLUMN_OF.items() if pattern.fullmatch(f)), None)
        if key is None and cols and _FUND_EXTRA.fullmatch(f):
            key = "extra"
        if key is None or (key in cols and key != "extra"):
            return None
        cols.append(key)
    return cols


def labels_apart(lines: Sequence[Line], cols: Sequence[str]) -> dict[str, int] | None:
    """The seed's fund columns the header ``cols`` lacks, each with the place of the one
    line among ``lines`` that is its label alone, in mixed scripts (``执行率(%)``: drawn in
    Calc's second pass); None when one is not printed so, or more than once."""
    missing = [key for key in FUND_COLUMNS if key not in cols]
    found: dict[str, int] = {}
    for k, ln in enumerate(lines):
        if " " in ln.text or not mixed_scripts(ln.text):
            continue
        f = V.grid_label(ln.text)
        for key in missing:
            if _COLUMN_OF[key].fullmatch(f):
                if key in found:
                    return None
                found[key] = k
    return found if len(found) == len(missing) else None


def restored(
    cols: Sequence[str], apart: Sequence[str], rows: Sequence[Sequence[str]]
) -> list[str] | None:
    """``cols`` with the columns ``apart`` put back where the declared layouts put them and
    the rows' 执行率 decide (:func:`fund_cells.restored_columns`)."""
    return restored_columns(cols, apart, rows, declared_fund_orders())


def goal_label_end(lines: list[Line], start: int, stop: int) -> int | None:
    """The line after the first run of lines from ``start`` whose texts make 年度总体目标
    (年度 / 总体 / 目标), when it comes before ``stop``, a page break and any line of more
    than one cell (the lines between it and ``start``: the fund rows' wrapped cells, each a
    line); None when there is none."""
    for m in range(start, stop):
        if (m > start and lines[m].blank >= V.PAGE_BREAK_BLANKS) or " " in lines[m].text:
            return None
        acc, n = "", m
        while n < stop:
            acc += lines[n].folded
            if not V.GOALS_LABEL.startswith(acc):
                break
            n += 1
            if acc == V.GOALS_LABEL:
                return n
    return None


_INDICATOR_LABEL = re.compile(
    "|".join(
        (
            *(p for ps in V.GRID_INDICATOR_COLUMNS.values() for p in ps),
            *V.GRID_INDICATOR_EXTRA_COLUMNS,
        )
    )
)


def _indicator_label(text: str) -> bool:
    return _INDICATOR_LABEL.fullmatch(V.grid_label(text)) is not None


def goal_run(lines: list[Line], start: int, stop: int) -> list[Line]:
    """The lines of goal text from ``start`` (after the label's pieces): lines of one cell
    each up to a page break, a line of more than one cell, a merged level cell's piece or
    an indicator column's label wrapped in its cell (指标值设置依 / 据)."""
    run: list[Line] = []
    for j in range(start, stop):
        ln = lines[j]
        f = ln.folded
        if run and ln.blank >= V.PAGE_BREAK_BLANKS:
            break
        if " " in ln.text or V.LEVEL_CHARS.issuperset(f) or _indicator_label(ln.text):
            break
        if any(
            _indicator_label(f + "".join(x.folded for x in lines[j + 1 : n]))
            for n in (j + 2, j + 3)
            if n <= stop
        ):
            break  # a column label wrapped in its cell
        run.append(ln)
    return run


def paragraph(run: Sequence[Line]) -> bool:
    """Are ``run``'s lines one wrapped paragraph: every line but the last full
    (:func:`text_wraps.is_full`), the last ending a sentence?"""
    return bool(run) and V.ends_sentence(run[-1].text) and is_full(list(run))


def goal_paragraphs(run: Sequence[Line]) -> tuple[str, str] | None:
    """预期目标 and 实际完成情况 from the lines of ``run`` (:func:`goal_run`), when they
    part in one way only into two paragraphs (:func:`paragraph`); else None."""
    cuts = [
        c
        for c in range(1, len(run))
        if V.ends_sentence(run[c - 1].text) and paragraph(run[:c]) and paragraph(run[c:])
    ]
    if len(cuts) != 1:
        return None
    c = cuts[0]
    return "".join(ln.text for ln in run[:c]), "".join(ln.text for ln in run[c:])
