"""Flattened text holding several kinds of document, sorted by kind; a 申报表 or 监控表 read
from its text.

Text with no 申报表 or 监控表 title line goes to the 自评表 readers whole, as before
(:func:`jixiao.ingest.flattening.read_flattened`: one reading, the seed's speed). Text with
one is cut at its title lines (a short line that names a kind: …绩效目标申报表, …绩效目标表,
…执行监控表, …自评表): each 自评表 run goes to the 自评表 readers (its lines numbered as in
the file), each 申报表 or 监控表 to :func:`read_declaration_text` /
:func:`read_monitoring_text`, and text before the first title that holds no 自评表 is named
as skipped (“第1–12行：不是绩效表，已跳过”).

A flattening loses the table's columns, so a plan is read from its cells in order
(:func:`cells_of`: paragraphs when most lines are parted by blank lines, as ``pdftotext``
prints a table, else each line's words): head fields by their labels; a 申报表's funds by
their labels, the first of a part under 中期, the second under 年度; its goals after the
中期目标 / 年度目标 headings; its indicators as runs of 一级, 二级, 三级 and 指标值 (a second
二级 starting the 年度 half). A 监控表's fund rows are a label and four numbers; its goal
follows 年度总体目标. What cannot be told from the order is a gap, never a guess: a
监控表's indicator rows (their ticks under 偏差原因 and 完成目标可能性 are placed only by
column), an indicator run that breaks off.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TypeVar

from jixiao.ingest.amounts import NotANumber, parse_amount
from jixiao.ingest.kinds import Kind, title_kind
from jixiao.ingest.mapper.header import title_text
from jixiao.ingest.vocabulary import LEVEL1_LABELS, LEVEL2_LABELS, PAGE_DECORATION, grid_label
from jixiao.layouts import Label as Declared
from jixiao.layouts import Layout, get_layout, label_key, plan_layouts, recognise_plan
from jixiao.model import SelfEvaluation, Source
from jixiao.plans import (
    Documents,
    MonitorFundRow,
    Monitoring,
    PlanFunds,
    TargetDeclaration,
    TargetIndicator,
)

TITLE_MAX = 40
# A title line names one of the three kinds (checked by kinds.title_kind).
_TITLE_LINE = re.compile(
    rf"^[ \t\f\u3000]*([^\s][^\n]{{0,{TITLE_MAX}}}?(?:申报表|绩效目标表|监控表|自评表))"
    r"[ \t\u3000]*$",
    re.M,
)
_PLAN_WORDS = ("申报表", "绩效目标表", "监控表")
_PLAN_TITLE = re.compile(rf"(?:{'|'.join(_PLAN_WORDS)})[ \t\u3000]*$", re.M)
_YEAR_LINE = re.compile(r"^[(（]?\s*((?:19|20)\d{2})\s*年度?\s*[)）]?$")
_CELL_SPLIT = re.compile(r"\s*\|\s*|[ \t\u3000]+")

FormsReader = Callable[[str, str], list[SelfEvaluation]]
_T = TypeVar("_T")


@dataclass(frozen=True)
class _Run:
    """Lines ``start`` … ``end`` (0-based, end excluded) of one kind."""

    kind: Kind | None  # None: the text before the first title
    start: int
    end: int


def has_plan_title(text: str) -> bool:
    """Whether the text holds a 申报表 or 监控表 title line (one regex scan, when one of
    their words is in it at all)."""
    if not any(word in text for word in _PLAN_WORDS):
        return False
    return any(title_kind(m.group(1)) in (Kind.DECLARATION, Kind.MONITORING) for m in _titles(text))


def _titles(text: str) -> list[re.Match[str]]:
    if not _PLAN_TITLE.search(text):
        return []
    return [m for m in _TITLE_LINE.finditer(text) if title_kind(m.group(1)) is not None]


def _runs(text: str, lines: list[str]) -> list[_Run]:
    starts: list[tuple[int, Kind]] = []
    offsets = [0]
    for text_line in lines:
        offsets.append(offsets[-1] + len(text_line) + 1)
    for m in _titles(text):
        kind = title_kind(m.group(1))
        if kind is not None:
            starts.append((_line_at(offsets, m.start(1)), kind))
    runs: list[_Run] = []
    if not starts or starts[0][0] > 0:
        runs.append(_Run(None, 0, starts[0][0] if starts else len(lines)))
    for i, (first, kind) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(lines)
        previous = runs[-1] if runs else None
        if previous is not None and previous.kind is kind is Kind.SELF_EVALUATION:
            runs[-1] = _Run(kind, previous.start, end)  # the 自评表 readers part forms
        else:
            runs.append(_Run(kind, first, end))
    return runs


def _line_at(offsets: list[int], position: int) -> int:
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if offsets[mid] <= position:
            lo = mid
        else:
            hi = mid - 1
    return lo


def text_documents(text: str, name: str, read_forms: FormsReader) -> Documents:
    """The documents of flattened ``text`` by kind (see the module's text); ``read_forms``
    reads 自评表 text (the flattened-text importer)."""
    lines = text.split("\n")
    out = Documents()
    for run in _runs(text, lines):
        chunk = "\n".join(lines[run.start : run.end])
        if run.kind is Kind.DECLARATION:
            doc = read_declaration_text(chunk, name, len(out.declarations) + 1, run.start)
            out.declarations.append(doc)
        elif run.kind is Kind.MONITORING:
            out.monitorings.append(
                read_monitoring_text(chunk, name, len(out.monitorings) + 1, run.start)
            )
        elif run.kind is Kind.SELF_EVALUATION or _holds_form(chunk, name, read_forms):
            for form in read_forms(chunk, name):
                _shift(form, run.start)
                out.forms.append(form)
        elif any(not _chrome(line) for line in lines[run.start : run.end]):
            out.skipped.append(f"第{run.start + 1}–{run.end}行：不是绩效表，已跳过")
    for i, form in enumerate(out.forms, start=1):
        form.index = i
    return out


def _holds_form(chunk: str, name: str, read_forms: FormsReader) -> bool:
    """Text before the first title holds a 自评表 when it names a 项目名称 and an indicator
    header (else it is skipped, not read as a form)."""
    folded = grid_label(chunk)
    return "项目名称" in folded and "三级指标" in folded


def _chrome(line: str) -> bool:
    text = line.strip()
    return not text or bool(PAGE_DECORATION.match(grid_label(text)))


def _shift(form: SelfEvaluation, offset: int) -> None:
    source = form.source
    if source is None or not offset:
        return
    if source.start_line is not None:
        source.start_line += offset
    if source.end_line is not None:
        source.end_line += offset


# ---------------------------------------------------------------- cells of a plan's text


def paragraphs(chunk: str) -> bool:
    """Whether blank lines part most of the text's lines (each cell a paragraph, as
    ``pdftotext`` prints a table by default)."""
    lines = chunk.replace("\f", "\n").split("\n")
    return sum(1 for line in lines if not line.strip()) * 3 >= len(lines)


def cells_of(chunk: str) -> list[str]:
    """The text's cells in order: paragraphs (lines joined) when blank lines part most of
    its lines (:func:`paragraphs`); else each line's words (parted by spaces or ``|``).
    Page chrome (第1页共2页) is left out."""
    lines = chunk.replace("\f", "\n").split("\n")
    cells: list[str] = []
    if paragraphs(chunk):
        block: list[str] = []
        for line in [*lines, ""]:
            text = line.strip()
            if text and not _alone(text) and not (block and _alone(block[-1])):
                block.append(text)
                continue
            if block:
                cells.append("".join(block))
            block = [text] if text else []
    else:
        for line in lines:
            cells.extend(c for c in _CELL_SPLIT.split(line.strip()) if c)
    return [c for c in cells if not PAGE_DECORATION.match(grid_label(c))]


def _alone(line: str) -> bool:
    """A line that is a cell by itself even inside a paragraph: a title, a year line, a
    label of a plan layout's table."""
    label = _label(line)
    known, headers = _all_known()
    return (
        label in known
        or label in headers
        or bool(_YEAR_LINE.match(line))
        or title_kind(line) is not None
    )


@dataclass(frozen=True)
class _Words:
    """The words of one plan layout as compared in text (:func:`_label`; also without a
    leading 其中 and bracketed parts, :func:`jixiao.layouts.label_key`)."""

    layout: Layout
    head: dict[str, Declared]  # head labels (with or without a model field)
    totals: dict[str, str]  # 资金总额 words → "medium" / "annual" (申报表) or "total"
    parts: dict[str, Declared]  # the other fund rows
    goals: dict[str, Declared]  # goal headings
    targets: frozenset[str]  # the 指标值 column's words (the indicator header's end)
    known: frozenset[str]  # every label of the layout: no value is one

    def find(self, table: dict[str, _T], cell: str) -> _T | None:
        found = table.get(_label(cell))
        return found if found is not None else table.get(label_key(cell))


def _keys(label: Declared) -> set[str]:
    return {k for w in label.words() for k in (_label(w), label_key(w)) if k}


@cache
def _words(layout_id: str) -> _Words:
    layout = get_layout(layout_id)
    head = {k: h for h in layout.head for k in _keys(h)}
    totals: dict[str, str] = {}
    parts: dict[str, Declared] = {}
    if layout.document == "declaration":
        for col in layout.fund_columns:
            totals.update(dict.fromkeys(_keys(col), col.field or col.id))
        parts = {k: r for r in layout.fund_rows if r.field != "total" for k in _keys(r)}
    else:
        for row in layout.fund_rows:
            if row.field == "total":
                totals.update(dict.fromkeys(_keys(row), "total"))
            else:
                parts.update(dict.fromkeys(_keys(row), row))
    goals = {k: g for g in layout.goals for k in _keys(g)}
    targets = {k for c in layout.indicator_columns if c.field == "target" for k in _keys(c)}
    blocks = {
        _label(w)
        for w in (layout.fund_block, layout.goal_block, layout.indicator_block, "总体目标")
    }
    money = {f"{_label(layout.fund_block)}{unit}" for unit in ("万元", "元")}
    known = {*head, *totals, *parts, *goals, *blocks, *money}
    return _Words(layout, head, totals, parts, goals, frozenset(targets), frozenset(known))


@cache
def _all_known() -> tuple[frozenset[str], frozenset[str]]:
    """Every plan layout's labels, and the indicator headings of the 申报表 layouts: what
    a line that is a cell by itself can be before the layout is known (:func:`_alone`)."""
    known: set[str] = set()
    headers: set[str] = set()
    for layout in plan_layouts():
        known |= _words(layout.id).known
        if layout.document == "declaration":
            headers |= {k for c in layout.indicator_columns for k in _keys(c)}
    return frozenset(known), frozenset(headers)


# Labels that no value holds: one inside a cell means it was glued to its neighbour.
_STRAY = ("项目名称", "主管部门", "实施单位", "年初预算数", "执行数", "执行率", "资金总额")


def _strays(value: str) -> bool:
    folded = grid_label(value)
    return any(word in folded for word in _STRAY)


def _label(cell: str) -> str:
    return grid_label(cell).rstrip("：:")


def _number(cell: str) -> Decimal | None:
    try:
        return parse_amount(cell)
    except NotANumber:
        return None


def _head(
    doc: TargetDeclaration | Monitoring,
    cells: list[str],
    lacks: list[str],
    whole: bool,
    words: _Words,
) -> None:
    """Title, year and head fields from the cells, by the layout's head labels (``whole``:
    cells are paragraphs; words of lines may be a wrapped value's pieces, so no head text
    is read from them)."""
    if cells:
        title, year = title_text(cells[0])
        doc.title = title or doc.title
        doc.year = year
    for cell in cells[1:4]:
        m = _YEAR_LINE.match(cell.strip())
        if m and doc.year is None:
            doc.year = int(m.group(1))
    block = _label(words.layout.fund_block)
    for i, cell in enumerate(cells[:-1]):
        label = _label(cell)
        value = cells[i + 1]
        if label.startswith(block) and "元" in label:
            doc.amount_unit = "万元" if "万元" in label else "元"
        before = words.find(words.head, cells[i - 1]) if i else None
        if (
            not whole
            or _label(value) in words.known
            or _label(value).startswith(block)
            or _strays(value)
            or before is not None
        ):
            continue  # a row printed out of order (labels together, values glued after)
        head = words.find(words.head, cell)
        if head is None:
            continue
        if head.field is not None:
            if not getattr(doc, head.field):
                setattr(doc, head.field, value)
        elif head.label not in doc.extras:
            doc.extras = {**doc.extras, head.label: value}
    for head in words.layout.head:
        if head.field is not None and not getattr(doc, head.field):
            lacks.append(head.label)
    printed = {h.id for c in cells if (h := words.find(words.head, c)) is not None}
    lacks.extend(
        h.label
        for h in words.layout.head
        if h.field is None and h.id in printed and h.label not in doc.extras
    )
    if doc.year is None:
        lacks.append("年度")


def _finish(
    doc: TargetDeclaration | Monitoring, lacks: list[str], name: str, index: int, start: int
) -> None:
    if lacks:
        doc.gaps.insert(0, "表中未找到：" + "、".join(lacks))
    doc.gaps.append("按文字版读入（表格的栏位已失去，按单元格的先后读）")
    doc.source = Source(file=name, start_line=start + 1)
    doc.index = index


def _set_part(funds: PlanFunds, row: Declared, amount: Decimal | None) -> None:
    if row.field is not None:
        setattr(funds, row.field, amount)
    else:
        funds.extras = {**funds.extras, label_key(row.label): amount}


def _get_part(funds: PlanFunds, row: Declared) -> Decimal | None:
    if row.field is not None:
        value: Decimal | None = getattr(funds, row.field)
        return value
    return funds.extras.get(label_key(row.label))


def read_declaration_text(
    chunk: str, name: str, index: int = 1, start: int = 0
) -> TargetDeclaration:
    """A 绩效目标申报表 from its flattened text (``start``: its first line in the file), in
    the layout its cells show (:func:`jixiao.layouts.recognise_plan`)."""
    cells = cells_of(chunk)
    layout = recognise_plan(cells, "declaration").layout
    words = _words(layout.id)
    doc = TargetDeclaration(layout=layout.id)
    lacks: list[str] = []
    _head(doc, cells, lacks, paragraphs(chunk), words)
    seen: dict[str, int] = {}
    rows: dict[str, Declared] = {}
    funds_found = False
    halves = 2 if layout.has_medium_funds else 1
    for i, cell in enumerate(cells[:-1]):
        amount = _number(cells[i + 1])
        total = words.find(words.totals, cell)
        part = words.find(words.parts, cell)
        if total is not None:
            funds = doc.medium_funds if total == "medium" else doc.annual_funds
            funds.total = amount
            funds_found = True
        elif part is not None:
            half = seen.get(part.id, 0)
            seen[part.id] = half + 1
            rows[part.id] = part
            if half < halves:
                funds = doc.medium_funds if half == 0 and halves == 2 else doc.annual_funds
                _set_part(funds, part, amount)
    if halves == 2 and seen and max(seen.values()) == 1:  # one column of parts: the 年度 one
        for row in rows.values():
            _set_part(doc.annual_funds, row, _get_part(doc.medium_funds, row))
        doc.medium_funds = PlanFunds(total=doc.medium_funds.total)
    if not funds_found:
        lacks.append(layout.fund_block)
    if paragraphs(chunk):
        _declaration_goals(doc, cells, lacks, words)
        _declaration_indicators(doc, cells, lacks, words)
    else:  # words of lines: side-by-side goals and wrapped cells cannot be told apart
        doc.gaps.append(
            "总体目标、绩效指标：文字版按行印出，中期与年度并排、单元格折行，无法分开，未读入"
            "（请导入 PDF、Excel、Word 或网页文件）"
        )
    _finish(doc, lacks, name, index, start)
    return doc


def _declaration_goals(
    doc: TargetDeclaration, cells: list[str], lacks: list[str], words: _Words
) -> None:
    found = [words.find(words.goals, c) for c in cells]
    if not any(found):
        lacks.append("、".join(g.label for g in words.layout.goals))
        return
    at = max(i for i, goal in enumerate(found) if goal is not None)
    _known, headers = _all_known()
    texts = []
    for cell in cells[at + 1 :]:
        label = _label(cell)
        if label in words.known or label in headers or label in words.targets:
            break
        texts.append(cell)
    headings = [goal for goal in found if goal is not None]
    if len(headings) == len(texts) and len(texts) in (1, 2):
        for goal, text in zip(headings, texts, strict=True):
            if goal.field is not None:
                setattr(doc, goal.field, text)
    else:
        doc.gaps.append(
            f"总体目标：在文字版中有 {len(texts)} 段文字，"
            f"无法分出{'和'.join(g.label for g in headings)}，未读入"
        )


def _declaration_indicators(
    doc: TargetDeclaration, cells: list[str], lacks: list[str], words: _Words
) -> None:
    """The indicators after the 指标值 heading: runs of 一级, 二级, 三级, 指标值 (a second
    二级 on a row: the 年度 half beside the 中期 one); where the layout stacks its 中期
    table over the 年度 one, each read after its own heading."""
    labels = [_label(c) for c in cells]
    header = [i for i, c in enumerate(cells) if _label(c) in words.targets]
    if not header:
        lacks.append(words.layout.indicator_block)
        return
    layout = words.layout
    side = layout.has_medium and layout.indicator_halves == "side"
    if layout.has_medium and not side and len(header) >= 2:
        _, medium, _end = _indicator_runs(cells, labels, header[0] + 1, 1)
    else:
        medium = []
    pairs, annual, i = _indicator_runs(cells, labels, header[-1] + 1, 2 if side else 1)
    if side:
        medium = pairs
    if i < len(cells):
        doc.gaps.append(
            f"{layout.indicator_block}：读到第 {len(annual)} 行后，"
            f"文字“{cells[i][:20]}”不是一级指标，其后未读入"
        )
    doc.medium_indicators, doc.indicators = medium, annual
    if not annual:
        doc.gaps.append(f"{layout.indicator_block}：文字版中未读出指标行")


def _indicator_runs(
    cells: list[str], labels: list[str], i: int, halves: int
) -> tuple[list[TargetIndicator], list[TargetIndicator], int]:
    """Indicator rows from cell ``i``: the 中期 ones (a row's first of two groups), the 年度
    ones, and where the runs stopped."""
    medium: list[TargetIndicator] = []
    annual: list[TargetIndicator] = []
    while i < len(cells):
        level1 = labels[i]
        if level1 not in LEVEL1_LABELS:
            break
        groups: list[TargetIndicator] = []
        j = i + 1
        while j + 2 < len(cells) and labels[j] in LEVEL2_LABELS and len(groups) < halves:
            if groups and labels[j] in LEVEL1_LABELS and labels[j + 1] in LEVEL2_LABELS:
                break  # 成本指标 then 经济成本指标: the next row's 一级, not a 二级
            name, target = cells[j + 1], cells[j + 2]
            groups.append(TargetIndicator(level1=level1, level2=cells[j], name=name, target=target))
            j += 3
        if not groups:
            break
        if len(groups) == 2:
            medium.append(groups[0])
        annual.append(groups[-1])
        i = j
    return medium, annual, i


def read_monitoring_text(chunk: str, name: str, index: int = 1, start: int = 0) -> Monitoring:
    """A 绩效目标执行监控表 from its flattened text, in the layout its cells show: head,
    funds and goal; its indicator rows are named as not read (their ticks are placed only
    by column)."""
    cells = cells_of(chunk)
    layout = recognise_plan(cells, "monitoring").layout
    words = _words(layout.id)
    doc = Monitoring(layout=layout.id)
    lacks: list[str] = []
    whole = paragraphs(chunk)
    _head(doc, cells, lacks, whole, words)
    labels = [_label(c) for c in cells]
    found = False
    for i, cell in enumerate(cells):
        m = re.match(r"^(\d{1,2}[-—~至]\d{1,2}月)执行数$", labels[i])
        if m:
            doc.period = m.group(1).replace("—", "-").replace("~", "-")
        total = words.find(words.totals, cell)
        part = words.find(words.parts, cell)
        values = cells[i + 1 : i + 5]
        if (total is None and part is None) or len(values) < 4:
            continue
        numbers = [_number(v) for v in values]
        if any(n is None for n in numbers):
            doc.gaps.append(f"{layout.fund_block}：“{cell}”一行在文字版中不是四个数，未读入")
            continue
        initial, executed, rate, forecast = numbers
        row = MonitorFundRow(initial=initial, executed=executed, rate=rate, forecast=forecast)
        if part is None:
            doc.funds.total = row
        elif part.field is not None:
            setattr(doc.funds, part.field, row)
        else:
            doc.funds.extras = {**doc.funds.extras, label_key(part.label): row}
        found = True
    if not found:
        lacks.append(layout.fund_block)
    at = next((i for i, c in enumerate(cells) if words.find(words.goals, c) is not None), None)
    if (
        whole
        and at is not None
        and at + 1 < len(cells)
        and labels[at + 1] not in words.known
        and not _strays(cells[at + 1])
    ):
        doc.goal = cells[at + 1]
    else:
        lacks.append(layout.goals[0].label if layout.goals else "年度总体目标")
    doc.gaps.append(
        f"{layout.indicator_block}：文字版中偏差原因和完成目标可能性的勾选只能按栏位定位，指标行未读入"
        "（请导入 PDF、Excel、Word 或网页文件）"
    )
    _finish(doc, lacks, name, index, start)
    return doc


__all__ = [
    "cells_of",
    "has_plan_title",
    "read_declaration_text",
    "read_monitoring_text",
    "text_documents",
]
