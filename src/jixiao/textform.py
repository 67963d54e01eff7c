"""Lay forms out as flattened text, in the style of the seed (pdftotext of the PDF).

The inverse of :mod:`jixiao.ingest.text`, used to test it and to measure it: each cell is
wrapped at its column width; adjacent single-line cells of a row share a line; cells
that wrap come out as blocks of lines; blocks are separated by a blank line. The merged
一级 / 二级 labels are centred over their rows, so a page break can fall in the middle of
one (``可持`` / ``续影`` … page break … ``标``). Rows are never split by a page break.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from jixiao.ingest import vocabulary as V
from jixiao.model import FUND_COLUMNS, FUND_ROWS, Indicator, SelfEvaluation

PAGE_BREAK = 3  # blank lines where one page ends and the next begins


@dataclass(frozen=True)
class TextLayout:
    """Column widths (half-width units; a CJK character is 2) and page length (lines)."""

    level1_width: int = 4
    level2_width: int = 4
    name_width: int = 28
    target_width: int = 12
    actual_width: int = 12
    deviation_width: int = 12
    header_width: int = 26
    fund_label_width: int = 14
    goal_label_width: int = 4
    expected_width: int = 48
    achieved_width: int = 46
    page_lines: int = 50
    newline: str = "\n"
    fullwidth: bool = True  # （2024年度） （万元） 年度资金总额： … or their ASCII forms
    thousands: bool = True  # 1,245.54


def _wrap(text: str, width: int) -> list[str]:
    return V.wrap("".join(text.split()), width) if text else []


def _num(value: Decimal | None, thousands: bool = False) -> str:
    if value is None:
        return "-"
    return format(value, ",f" if thousands else "f")


class _Out:
    """Blocks of lines with blank lines between them, counted into pages."""

    def __init__(self, page_lines: int) -> None:
        self.lines: list[str] = []
        self.page_lines = max(page_lines, 1)
        self.used = 0

    def block(self, lines: Iterable[str], count: bool = True) -> None:
        lines = [ln for ln in lines if ln]
        if not lines:
            return
        self.lines.append("")
        self.lines.extend(lines)
        if count:
            self.used += len(lines)

    def page_break(self) -> None:
        self.lines.extend([""] * (PAGE_BREAK - 1))
        self.used = 0


def row_blocks(cells: list[str], widths: list[int], deviation_last: bool) -> list[list[str]]:
    """One table row as blocks: runs of single-line cells joined by spaces, wrapped cells
    as blocks of their own; the wrapped 偏差原因 continues the line with 分值 / 得分."""
    blocks: list[list[str]] = []
    run: list[str] = []
    n = len(cells)
    for c, (text, width) in enumerate(zip(cells, widths, strict=True)):
        lines = _wrap(text, width)
        if len(lines) <= 1:
            run.extend(lines)
        elif deviation_last and c == n - 1:
            run.append(lines[0])
            blocks.append([" ".join(run), *lines[1:]])
            run = []
        else:
            if run:
                blocks.append([" ".join(run)])
                run = []
            blocks.append(lines)
    if run:
        blocks.append([" ".join(run)])
    return blocks


def write_form(form: SelfEvaluation, layout: TextLayout | None = None) -> str:
    """One form as text (lines joined by ``layout.newline``)."""
    return write_forms([form], layout)


def write_forms(forms: list[SelfEvaluation], layout: TextLayout | None = None) -> str:
    lay = layout or TextLayout()
    out = _Out(lay.page_lines)
    for n, form in enumerate(forms):
        if n:
            out.page_break()
        _write(form, lay, out)
    return lay.newline.join([*out.lines, ""])


def _write(form: SelfEvaluation, lay: TextLayout, out: _Out) -> None:
    fw = lay.fullwidth
    lp, rp, colon = ("（", "）", "：") if fw else ("(", ")", ":")
    out.block([form.title or V.TITLE])
    out.block([f"{lp}{form.year}年度{rp}" if form.year is not None else ""])
    project = _wrap(form.project, lay.header_width) or [""]
    out.block([f"{V.PROJECT_LABEL} {project[0]}".strip(), *project[1:]])
    dept = _wrap(form.department, lay.header_width)
    unit = _wrap(form.unit, lay.header_width)
    if len(dept) <= 1 and len(unit) <= 1:
        out.block([" ".join([V.DEPARTMENT_LABEL, *dept, V.UNIT_LABEL, *unit])])
    elif len(dept) <= 1:
        out.block([" ".join([V.DEPARTMENT_LABEL, *dept, V.UNIT_LABEL])])
        out.block(unit)
    else:
        out.block([f"{V.DEPARTMENT_LABEL} {dept[0]}", *dept[1:]])
        out.block([f"{V.UNIT_LABEL} {unit[0]}" if unit else V.UNIT_LABEL, *unit[1:]])
    out.block([V.FUNDS_LABEL])
    out.block([f"{lp}{form.amount_unit}{rp}"])
    rate = "执行率(%)" if not fw else "执行率（%）"
    out.block([f"年初预算数 全年预算数 全年执行数 分数 {rate} 得分"])
    labels = {
        "total": f"年度资金总额{colon}",
        "fiscal": f"其中{colon}当年财政拨款",
        "carryover": "上年结转资金",
        "other": "其他资金",
    }
    for key in FUND_ROWS:
        row = getattr(form.funds, key)
        values = " ".join(
            _num(getattr(row, col), lay.thousands and col in ("initial", "adjusted", "executed"))
            for col in FUND_COLUMNS
        )
        label = V.wrap(labels[key], lay.fund_label_width)
        if len(label) == 1:
            out.block([f"{label[0]} {values}"])
        else:
            out.block([*label, values])
    out.block(V.wrap(V.GOALS_LABEL, lay.goal_label_width))
    out.block([f"{V.GOAL_EXPECTED_LABEL} {V.GOAL_ACHIEVED_LABEL}"])
    out.block(V.wrap(form.goals.expected.strip(), lay.expected_width))
    out.block(V.wrap(form.goals.achieved.strip(), lay.achieved_width))
    header_widths = [
        lay.level1_width,
        lay.level2_width,
        lay.name_width,
        lay.target_width,
        lay.actual_width,
        99,
        99,
        lay.deviation_width,
    ]
    for b in row_blocks(list(V.TABLE_HEADER), header_widths, deviation_last=False):
        out.block(b)
    _write_table(form.indicators, lay, out)
    out.block([f"{V.TOTAL_LABEL} {_num(form.total_weight)} {_num(form.total_score)}"])
    out.block([f"{V.GRADE_LABEL} {form.grade or ''}".strip()])


def _write_table(indicators: list[Indicator], lay: TextLayout, out: _Out) -> None:
    widths = [lay.name_width, lay.target_width, lay.actual_width, 99, 99, lay.deviation_width]
    slots: list[list[list[str]]] = []
    for ind in indicators:
        if not (ind.name or ind.target or ind.actual) and ind.weight is None:
            slots.append([])  # an empty 二级 row: only its labels show
            continue
        cells = [ind.name, ind.target, ind.actual, _num(ind.weight), _num(ind.score)]
        slots.append(row_blocks([*cells, ind.deviation], widths, deviation_last=True))
    # pages: a row goes to the next page when it does not fit on this one
    pages: list[int] = []
    page, used = 0, out.used
    for blocks in slots:
        h = sum(len(b) for b in blocks)
        if used + h > out.page_lines and used > 0:
            page, used = page + 1, 0
        pages.append(page)
        used += h
    heights = [max(1, sum(len(b) for b in blocks)) for blocks in slots]
    # label lines of each merged cell, centred over its rows, and the page each falls on
    at_slot: dict[int, list[list[str]]] = {}
    for level, width in ((1, lay.level1_width), (2, lay.level2_width)):
        for first, last, text in _groups(indicators, level):
            lines = V.wrap(text, width)
            span = pages[first : last + 1]
            if level == 1 and len({i.level2 for i in indicators[first : last + 1]}) > 1:
                # a 一级 label over several 二级 ones is not cut: its rest would come on a
                # page where only the 二级 label goes on, and "标" could end either
                span = [span[0]] * len(span)
            for s, part in _place(lines, heights[first : last + 1], span):
                at_slot.setdefault(first + s, []).append(part)
    page = 0
    for s, blocks in enumerate(slots):
        if pages[s] != page:
            out.page_break()
            page = pages[s]
        for part in at_slot.get(s, []):
            out.block(part, count=False)
        for b in blocks:
            out.block(b)


def _groups(indicators: list[Indicator], level: int) -> list[tuple[int, int, str]]:
    """(first, last, label) of each run of rows under one 一级 (or 一级 + 二级) label."""
    out: list[tuple[int, int, str]] = []
    for i, ind in enumerate(indicators):
        key = (ind.level1,) if level == 1 else (ind.level1, ind.level2)
        text = ind.level1 if level == 1 else ind.level2
        if out and i > 0:
            prev = indicators[i - 1]
            pkey = (prev.level1,) if level == 1 else (prev.level1, prev.level2)
            if pkey == key:
                out[-1] = (out[-1][0], i, text)
                continue
        out.append((i, i, text))
    return [g for g in out if g[2]]


def _place(lines: list[str], heights: list[int], pages: list[int]) -> list[tuple[int, list[str]]]:
    """The label's lines, centred over rows of ``heights``: (row, lines) for the first row
    of the group on each page, carrying the lines that fall on that page."""
    total = sum(heights)
    top = (total - len(lines)) / 2
    ends, acc = [], 0
    for h in heights:
        acc += h
        ends.append(acc)
    by_page: dict[int, list[str]] = {}
    page = pages[0]  # the first line stays with the first row: labels come before rows
    for i, line in enumerate(lines):
        y = top + i + 0.5
        row = next((r for r, e in enumerate(ends) if y < e), len(heights) - 1)
        if i:
            page = max(page, pages[max(row, 0)])
        by_page.setdefault(page, []).append(line)
    first_on_page: dict[int, int] = {}
    for r, p in enumerate(pages):
        first_on_page.setdefault(p, r)
    return [(first_on_page[p], part) for p, part in sorted(by_page.items())]
