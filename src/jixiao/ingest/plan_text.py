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

from jixiao.ingest.amounts import NotANumber, parse_amount
from jixiao.ingest.kinds import Kind, title_kind
from jixiao.ingest.mapper.header import title_text
from jixiao.ingest.vocabulary import LEVEL1_LABELS, LEVEL2_LABELS, PAGE_DECORATION, grid_label
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
_PLAN_TITLE = re.compile(r"(?:申报表|绩效目标表|监控表)[ \t\u3000]*$", re.M)
_YEAR_LINE = re.compile(r"^[(（]?\s*((?:19|20)\d{2})\s*年度?\s*[)）]?$")
_CELL_SPLIT = re.compile(r"\s*\|\s*|[ \t\u3000]+")

FormsReader = Callable[[str, str], list[SelfEvaluation]]


@dataclass(frozen=True)
class _Run:
    """Lines ``start`` … ``end`` (0-based, end excluded) of one kind."""

    kind: Kind | None  # None: the text before the first title
    start: int
    end: int


def has_plan_title(text: str) -> bool:
    """Whether the text holds a 申报表 or 监控表 title line (one regex scan)."""
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
    label of the plan's table."""
    label = _label(line)
    return (
        label in _KNOWN
        or label in _HEADERS
        or bool(_YEAR_LINE.match(line))
        or title_kind(line) is not None
    )


_HEADERS = frozenset({"一级指标", "二级指标", "三级指标", "指标值", "年度指标值"})
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


_HEAD = {
    "项目名称": "project",
    "主管部门": "department",
    "主管部门及代码": "department",
    "实施单位": "unit",
}
_HEAD_EXTRA = ("项目属性", "项目周期")
_FUND_PARTS = {
    "其中财政拨款": "fiscal",
    "财政拨款": "fiscal",
    "上年结转资金": "carryover",
    "其他资金": "other",
}
_KNOWN = {
    *_HEAD,
    *_HEAD_EXTRA,
    *_FUND_PARTS,
    "中期资金总额",
    "年度资金总额",
    "资金总额",
    "总体目标",
    "中期目标",
    "年度目标",
    "年度总体目标",
    "绩效指标",
    "项目资金",
    "项目资金万元",
    "项目资金元",
}


def _head(
    doc: TargetDeclaration | Monitoring, cells: list[str], lacks: list[str], whole: bool
) -> None:
    """Title, year and head fields from the cells (``whole``: cells are paragraphs; words
    of lines may be a wrapped value's pieces, so no head text is read from them)."""
    if cells:
        title, year = title_text(cells[0])
        doc.title = title or doc.title
        doc.year = year
    for cell in cells[1:4]:
        m = _YEAR_LINE.match(cell.strip())
        if m and doc.year is None:
            doc.year = int(m.group(1))
    for i, cell in enumerate(cells[:-1]):
        label = _label(cell)
        value = cells[i + 1]
        if label.startswith("项目资金") and "元" in label:
            doc.amount_unit = "万元" if "万元" in label else "元"
        before = _label(cells[i - 1]) if i else ""
        if (
            not whole
            or _label(value) in _KNOWN
            or _label(value).startswith("项目资金")
            or _strays(value)
            or before in _HEAD
            or before in _HEAD_EXTRA
        ):
            continue  # a row printed out of order (labels together, values glued after)
        if label in _HEAD and not getattr(doc, _HEAD[label]):
            setattr(doc, _HEAD[label], value)
        elif label in _HEAD_EXTRA and label not in doc.extras:
            doc.extras = {**doc.extras, label: value}
    for key, what in (("project", "项目名称"), ("department", "主管部门"), ("unit", "实施单位")):
        if not getattr(doc, key):
            lacks.append(what)
    labels = {_label(c) for c in cells}
    lacks.extend(label for label in _HEAD_EXTRA if label in labels and label not in doc.extras)
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


def read_declaration_text(
    chunk: str, name: str, index: int = 1, start: int = 0
) -> TargetDeclaration:
    """A 绩效目标申报表 from its flattened text (``start``: its first line in the file)."""
    cells = cells_of(chunk)
    doc = TargetDeclaration()
    lacks: list[str] = []
    _head(doc, cells, lacks, paragraphs(chunk))
    seen: dict[str, int] = {}
    funds_found = False
    for i, cell in enumerate(cells[:-1]):
        label = _label(cell)
        amount = _number(cells[i + 1])
        if label == "中期资金总额":
            doc.medium_funds.total = amount
            funds_found = True
        elif label in ("年度资金总额", "资金总额"):
            doc.annual_funds.total = amount
            funds_found = True
        elif label in _FUND_PARTS:
            key = _FUND_PARTS[label]
            half = seen.get(key, 0)
            seen[key] = half + 1
            if half < 2:
                funds = doc.medium_funds if half == 0 else doc.annual_funds
                setattr(funds, key, amount)
    if seen and max(seen.values()) == 1:  # one column of parts: the 年度 one
        for key in seen:
            setattr(doc.annual_funds, key, getattr(doc.medium_funds, key))
        doc.medium_funds = PlanFunds(total=doc.medium_funds.total)
    if not funds_found:
        lacks.append("项目资金")
    if paragraphs(chunk):
        _declaration_goals(doc, cells, lacks)
        _declaration_indicators(doc, cells, lacks)
    else:  # words of lines: side-by-side goals and wrapped cells cannot be told apart
        doc.gaps.append(
            "总体目标、绩效指标：文字版按行印出，中期与年度并排、单元格折行，无法分开，未读入"
            "（请导入 PDF、Excel、Word 或网页文件）"
        )
    _finish(doc, lacks, name, index, start)
    return doc


def _declaration_goals(doc: TargetDeclaration, cells: list[str], lacks: list[str]) -> None:
    labels = [_label(c) for c in cells]
    if "中期目标" not in labels and "年度目标" not in labels:
        lacks.append("总体目标")
        return
    at = max(i for i, label in enumerate(labels) if label in ("中期目标", "年度目标"))
    texts = []
    for cell, label in zip(cells[at + 1 :], labels[at + 1 :], strict=True):
        if label in _KNOWN or label in ("一级指标", "二级指标", "三级指标", "指标值"):
            break
        texts.append(cell)
    headings = [label for label in labels if label in ("中期目标", "年度目标")]
    if len(headings) == 2 and len(texts) == 2:
        doc.medium_goal, doc.annual_goal = texts
    elif len(headings) == 1 and len(texts) == 1:
        setattr(doc, "medium_goal" if headings[0] == "中期目标" else "annual_goal", texts[0])
    else:
        doc.gaps.append(
            f"总体目标：在文字版中有 {len(texts)} 段文字，无法分出中期目标和年度目标，未读入"
        )


def _declaration_indicators(doc: TargetDeclaration, cells: list[str], lacks: list[str]) -> None:
    labels = [_label(c) for c in cells]
    header = [i for i, label in enumerate(labels) if label == "指标值"]
    if not header:
        lacks.append("绩效指标")
        return
    i = header[-1] + 1
    medium: list[TargetIndicator] = []
    annual: list[TargetIndicator] = []
    while i < len(cells):
        level1 = labels[i]
        if level1 not in LEVEL1_LABELS:
            break
        groups: list[TargetIndicator] = []
        j = i + 1
        while j + 2 < len(cells) and labels[j] in LEVEL2_LABELS and len(groups) < 2:
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
    if i < len(cells):
        doc.gaps.append(
            f"绩效指标：读到第 {len(annual)} 行后，文字“{cells[i][:20]}”不是一级指标，其后未读入"
        )
    doc.medium_indicators, doc.indicators = medium, annual
    if not annual:
        doc.gaps.append("绩效指标：文字版中未读出指标行")


def read_monitoring_text(chunk: str, name: str, index: int = 1, start: int = 0) -> Monitoring:
    """A 绩效目标执行监控表 from its flattened text: head, funds and goal; its indicator
    rows are named as not read (their ticks are placed only by column)."""
    cells = cells_of(chunk)
    doc = Monitoring()
    lacks: list[str] = []
    whole = paragraphs(chunk)
    _head(doc, cells, lacks, whole)
    labels = [_label(c) for c in cells]
    rows = {"年度资金总额": "total", "资金总额": "total", **_FUND_PARTS}
    found = False
    for i, label in enumerate(labels):
        m = re.match(r"^(\d{1,2}[-—~至]\d{1,2}月)执行数$", label)
        if m:
            doc.period = m.group(1).replace("—", "-").replace("~", "-")
        key = rows.get(label)
        values = cells[i + 1 : i + 5]
        if key is None or len(values) < 4:
            continue
        numbers = [_number(v) for v in values]
        if any(n is None for n in numbers):
            doc.gaps.append(f"项目资金：“{cells[i]}”一行在文字版中不是四个数，未读入")
            continue
        initial, executed, rate, forecast = numbers
        setattr(
            doc.funds,
            key,
            MonitorFundRow(initial=initial, executed=executed, rate=rate, forecast=forecast),
        )
        found = True
    if not found:
        lacks.append("项目资金")
    at = labels.index("年度总体目标") if "年度总体目标" in labels else None
    if (
        whole
        and at is not None
        and at + 1 < len(cells)
        and labels[at + 1] not in _KNOWN
        and not _strays(cells[at + 1])
    ):
        doc.goal = cells[at + 1]
    else:
        lacks.append("年度总体目标")
    doc.gaps.append(
        "绩效指标：文字版中偏差原因和完成目标可能性的勾选只能按栏位定位，指标行未读入"
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
