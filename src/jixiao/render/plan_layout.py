"""The official layouts of the 绩效目标申报表 and the 绩效目标执行监控表 as placed cells.

Each document is drawn from its layout declaration (:func:`jixiao.plans.plan_layout_of`:
``src/jixiao/layouts/*.toml`` of the document ``declaration`` or ``monitoring``): its
title, head fields, fund block (rows and columns, by the declared words), goal headings,
indicator columns and, for a 监控表, its 偏差原因 categories and 完成目标可能性 choices.
The central 项目库's layouts (tests/data/workbooks/central-moe-pku-2019-project-library.xls)
are the national declarations: the 申报表 on nine columns (中期 and 年度 side by side), the
监控表 on seventeen. A layout without 中期 (the 转移支付 区域 申报表) draws the 年度 half
alone; fund rows beyond the four (中央补助, 地方资金) come from the funds' ``extras``. Every
writer (HTML, Excel, Word) draws these cells (:class:`jixiao.render.layout.Placed`), so
that what it writes reads back through :mod:`jixiao.ingest.plan_tables` as the same
document, its layout recognised.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.layouts import Label, Layout, label_key
from jixiao.plans import MonitorFundRow, Monitoring, PlanFunds, TargetDeclaration, plan_layout_of
from jixiao.render.layout import Kind, Placed

TICK = "✔"
DECLARATION_COLUMNS = 9
DECLARATION_WIDTHS: tuple[float, ...] = (6, 10, 12, 18, 12, 12, 9, 9, 12)
_MONITORING_WIDTHS = {"level1": 8, "level2": 9, "name": 14, "target": 9}


@dataclass(frozen=True)
class PlanLayout:
    """The placed cells of one document, its column count and widths, and the row of its
    indicator header (repeated on every printed page)."""

    cells: tuple[Placed, ...]
    columns: int
    widths: tuple[float, ...]
    header_row: int


class _Cells:
    def __init__(self) -> None:
        self.out: list[Placed] = []

    def put(
        self, r1: int, c1: int, r2: int, c2: int, value: str | Decimal | None, kind: Kind
    ) -> None:
        self.out.append(Placed(r1, c1, r2, c2, value, kind))


def year_line(year: int | None) -> str:
    return f"（{year}年度）" if year is not None else "（    年度）"


def fund_key(row: Label) -> str:
    """The key of a fund row the model has no field for, in the funds' ``extras``: its
    label as compared (``其中：中央补助`` → ``中央补助``)."""
    return label_key(row.label)


def _plan_amount(funds: PlanFunds, row: Label) -> Decimal | None:
    if row.field is not None:
        value: Decimal | None = getattr(funds, row.field)
        return value
    return funds.extras.get(fund_key(row))


def _monitor_row(doc: Monitoring, row: Label) -> MonitorFundRow:
    if row.field is not None:
        found: MonitorFundRow = getattr(doc.funds, row.field)
        return found
    return doc.funds.extras.get(fund_key(row)) or MonitorFundRow()


def _head_value(doc: TargetDeclaration | Monitoring, label: Label) -> str:
    if label.field is not None:
        return str(getattr(doc, label.field) or "")
    return doc.extras.get(label.label, "")


def _head(
    c: _Cells, doc: TargetDeclaration | Monitoring, layout: Layout, row: int, pair: tuple[int, ...]
) -> int:
    """The head fields from ``row``: the first (项目名称) on a whole row, the others two a
    row at the column breaks ``pair`` (label, value, label, value, end); the next row."""
    last = pair[-1]
    first, *rest = layout.head
    c.put(row, 0, row, pair[1] - 1, first.label, "label")
    c.put(row, pair[1], row, last, _head_value(doc, first), "value")
    row += 1
    for i in range(0, len(rest), 2):
        left = rest[i]
        c.put(row, pair[0], row, pair[1] - 1, left.label, "label")
        if i + 1 < len(rest):
            right = rest[i + 1]
            c.put(row, pair[1], row, pair[2] - 1, _head_value(doc, left), "value")
            c.put(row, pair[2], row, pair[3] - 1, right.label, "label")
            c.put(row, pair[3], row, last, _head_value(doc, right), "value")
        else:
            c.put(row, pair[1], row, last, _head_value(doc, left), "value")
        row += 1
    return row


def _total_label(layout: Layout, row: Label, column: Label | None) -> str:
    """The label of a fund row: the total row names its column (中期资金总额：)."""
    if row.field == "total":
        return f"{column.label if column is not None else row.label}："
    return row.label


def declaration_layout(doc: TargetDeclaration, layout: Layout | None = None) -> PlanLayout:
    """A 申报表 on nine columns, as its layout declares it (the national one: as the
    central 项目库 prints it)."""
    layout = layout or plan_layout_of(doc)
    c = _Cells()
    last = DECLARATION_COLUMNS - 1
    c.put(0, 0, 0, last, doc.title or layout.printed_title, "title")
    c.put(1, 0, 1, last, year_line(doc.year), "year")
    row = _head(c, doc, layout, 2, (0, 3, 5, 7, last))
    medium = next((col for col in layout.fund_columns if col.field == "medium"), None)
    if layout.tasks:
        row = _tasks(c, doc, layout, row, last)
    else:
        row = _plan_fund_block(c, doc, layout, row, last)
    goals = {g.field: g for g in layout.goals}
    if medium is not None and "medium_goal" in goals:
        c.put(row, 0, row + 1, 0, layout.goal_block, "label")
        c.put(row, 1, row, 4, goals["medium_goal"].label, "label")
        c.put(row, 5, row, last, goals["annual_goal"].label, "label")
        c.put(row + 1, 1, row + 1, 4, doc.medium_goal, "text")
        c.put(row + 1, 5, row + 1, last, doc.annual_goal, "text")
        row += 2
    else:
        c.put(row, 0, row, 2, goals["annual_goal"].label, "label")
        c.put(row, 3, row, last, doc.annual_goal, "text")
        row += 1
    header = row
    count = max(len(doc.medium_indicators), len(doc.indicators))
    c.put(header, 0, header + max(count, 0), 0, layout.indicator_block, "label")
    columns = layout.indicator_columns
    level1 = next((col for col in columns if col.field == "level1"), None)
    others = [col for col in columns if col.field != "level1"]
    halves: list[tuple[list[tuple[int, int, Label]], bool]] = []
    if medium is not None:
        halves.append((_spread(others, 2, 4), True))
        halves.append((_spread(others, 5, last), False))
    else:
        halves.append((_spread(others, 2, last), False))
    if level1 is not None:
        c.put(header, 1, header, 1, level1.label, "header")
    for spans, _ in halves:
        for first, final, col in spans:
            c.put(header, first, header, final, col.label, "header")
    for i in range(count):
        r = header + 1 + i
        medium_row = doc.medium_indicators[i] if i < len(doc.medium_indicators) else None
        annual_row = doc.indicators[i] if i < len(doc.indicators) else None
        if level1 is not None:
            first_row = medium_row or annual_row
            c.put(r, 1, r, 1, first_row.level1 if first_row is not None else "", "value")
        for spans, is_medium in halves:
            ind = medium_row if is_medium else annual_row
            for first, final, col in spans:
                value = _indicator_value(ind, col)
                c.put(r, first, r, final, value, "value")
    return PlanLayout(tuple(c.out), DECLARATION_COLUMNS, DECLARATION_WIDTHS, header)


def _plan_fund_block(c: _Cells, doc: TargetDeclaration, layout: Layout, row: int, last: int) -> int:
    """The fund block of a 申报表: its rows, under the 中期 and 年度 columns (or 年度 alone)."""
    medium = next((col for col in layout.fund_columns if col.field == "medium"), None)
    annual = next(col for col in layout.fund_columns if col.field == "annual")
    rows = layout.fund_rows
    c.put(row, 0, row + len(rows) - 1, 2, f"{layout.fund_block}（{doc.amount_unit}）", "label")
    for i, fund in enumerate(rows):
        r = row + i
        if medium is not None:
            c.put(r, 3, r, 3, _total_label(layout, fund, medium), "label")
            c.put(r, 4, r, 4, _plan_amount(doc.medium_funds, fund), "number")
            c.put(r, 5, r, 6, _total_label(layout, fund, annual), "label")
        else:
            c.put(r, 3, r, 6, _total_label(layout, fund, annual), "label")
        c.put(r, 7, r, last, _plan_amount(doc.annual_funds, fund), "number")
    return row + len(rows)


def _tasks(c: _Cells, doc: TargetDeclaration, layout: Layout, row: int, last: int) -> int:
    """A 部门整体支出 申报表's 年度主要任务: two header rows (the amounts under 预算金额), a
    row per task, then 金额合计 (the 年度 funds); the next row."""
    texts = [t for t in layout.tasks if t.field in ("name", "content")]
    amounts = [t for t in layout.tasks if t.field not in ("name", "content")]
    first_amount = last - len(amounts) + 1
    count = len(doc.tasks)
    c.put(row, 0, row + 1 + count, 0, layout.task_block, "label")
    for first, final, col in _even(texts, 1, first_amount - 1):
        c.put(row, first, row + 1, final, col.label, "header")
        for i, task in enumerate(doc.tasks):
            value = getattr(task, col.field) if col.field else task.extras.get(col.label, "")
            c.put(row + 2 + i, first, row + 2 + i, final, value, "value")
    head = f"{layout.task_amounts}（{doc.amount_unit}）"
    c.put(row, first_amount, row, last, head, "header")
    for j, col in enumerate(amounts):
        at = first_amount + j
        c.put(row + 1, at, row + 1, at, col.label, "header")
        for i, task in enumerate(doc.tasks):
            c.put(row + 2 + i, at, row + 2 + i, at, _plan_amount(task.funds, col), "number")
    total = row + 2 + count
    c.put(total, 0, total, first_amount - 1, layout.task_total, "label")
    for j, col in enumerate(amounts):
        at = first_amount + j
        c.put(total, at, total, at, _plan_amount(doc.annual_funds, col), "number")
    return total + 1


def _indicator_value(ind: object, col: Label) -> str:
    if ind is None:
        return ""
    if col.field is not None:
        return str(getattr(ind, col.field) or "")
    extras: dict[str, str] = getattr(ind, "extras", {})
    return extras.get(col.label, "")


def _spread(columns: list[Label], first: int, last: int) -> list[tuple[int, int, Label]]:
    """``columns`` over the sheet's columns ``first`` … ``last``: one each, the 三级指标
    (else the last column) taking what is left."""
    spare = (last - first + 1) - len(columns)
    wide = next((i for i, col in enumerate(columns) if col.field == "name"), len(columns) - 1)
    out = []
    at = first
    for i, col in enumerate(columns):
        width = 1 + (spare if i == wide else 0)
        if i == wide and spare > 2 and i + 1 < len(columns):
            width -= 1  # the next column (指标值) gets two: as the national 年度 half prints it
        out.append((at, at + width - 1, col))
        at += width
    if out and at <= last:
        a, _, col = out[-1]
        out[-1] = (a, last, col)
    return out


def _monitor_word(col: Label, period: str) -> str:
    """A 监控表 column's word; the columns of the monitoring period print it in front
    (1-7月执行数, 1-7月执行率)."""
    return f"{period}{col.label}" if col.field in ("executed", "rate") else col.label


def monitoring_layout(doc: Monitoring, layout: Layout | None = None) -> PlanLayout:
    """A 监控表 as its layout declares it (the national one: seventeen columns, as the
    central 项目库 prints it)."""
    layout = layout or plan_layout_of(doc)
    plain = [col for col in layout.indicator_columns if col.field not in ("reason", "note")]
    reason = next((col for col in layout.indicator_columns if col.field == "reason"), None)
    note = next((col for col in layout.indicator_columns if col.field == "note"), None)
    causes, likelihoods = layout.causes, layout.likelihoods
    columns = 1 + len(plain) + len(causes) + (reason is not None) + len(likelihoods)
    columns += note is not None
    last = columns - 1
    c = _Cells()
    c.put(0, 0, 0, last, doc.title or layout.printed_title, "title")
    c.put(1, 0, 1, last, year_line(doc.year), "year")
    pair = (0, 3, 6, 7, last)
    row = _head(c, doc, layout, 2, pair)
    period = doc.period
    fund_rows = layout.fund_rows
    c.put(row, 0, row + len(fund_rows), 2, f"{layout.fund_block}（{doc.amount_unit}）", "label")
    c.put(row, 3, row, 6, "", "label")
    spans = _even(layout.fund_columns, 7, last)
    for first, final, col in spans:
        c.put(row, first, row, final, _monitor_word(col, period), "label")
    for i, fund in enumerate(fund_rows):
        r = row + 1 + i
        values = _monitor_row(doc, fund)
        c.put(r, 3, r, 6, _total_label(layout, fund, None), "label")
        for first, final, col in spans:
            value = getattr(values, col.field) if col.field is not None else None
            if col.field == "rate":
                c.put(r, first, r, final, f"{value}%" if value is not None else None, "value")
            else:
                c.put(r, first, r, final, value, "number")
    row += 1 + len(fund_rows)
    goal = layout.goals[0]
    c.put(row, 0, row, 0, goal.label, "label")
    c.put(row, 1, row, last, doc.goal, "text")
    header = row + 1
    c.put(header, 0, header + 1, 0, "", "header")
    for i, col in enumerate(plain, start=1):
        c.put(header, i, header + 1, i, _monitor_word(col, period), "header")
    at = 1 + len(plain)
    block = [*causes, *([reason] if reason is not None else [])]
    if block:
        c.put(header, at, header, at + len(block) - 1, "偏差原因分析", "header")
        for j, lab in enumerate(block):
            c.put(header + 1, at + j, header + 1, at + j, lab.label, "header")
    cause_at, reason_at = at, at + len(causes)
    at += len(block)
    likely_at = at
    if likelihoods:
        c.put(header, at, header, at + len(likelihoods) - 1, "完成目标可能性", "header")
        for j, lab in enumerate(likelihoods):
            c.put(header + 1, at + j, header + 1, at + j, lab.label, "header")
        at += len(likelihoods)
    if note is not None:
        c.put(header, at, header + 1, at, note.label, "header")
    for i, ind in enumerate(doc.indicators):
        r = header + 2 + i
        c.put(r, 0, r, 0, "", "value")
        for j, col in enumerate(plain, start=1):
            c.put(r, j, r, j, _indicator_value(ind, col), "value")
        for j, lab in enumerate(causes):
            c.put(
                r, cause_at + j, r, cause_at + j, TICK if lab.label in ind.causes else "", "value"
            )
        if reason is not None:
            c.put(r, reason_at, r, reason_at, ind.reason, "value")
        for j, lab in enumerate(likelihoods):
            ticked = TICK if ind.likelihood == lab.label else ""
            c.put(r, likely_at + j, r, likely_at + j, ticked, "value")
        if note is not None:
            c.put(r, at, r, at, ind.note, "value")
    widths = _monitoring_widths(plain, len(block), reason is not None, len(likelihoods), note)
    return PlanLayout(tuple(c.out), columns, widths, header)


def _even(columns: list[Label], first: int, last: int) -> list[tuple[int, int, Label]]:
    """``columns`` spread evenly over ``first`` … ``last`` (the first ones one wider)."""
    total = last - first + 1
    out = []
    at = first
    for i, col in enumerate(columns):
        width = total // len(columns) + (1 if i < total % len(columns) else 0)
        out.append((at, at + width - 1, col))
        at += width
    return out


def _monitoring_widths(
    plain: list[Label], block: int, reason: bool, likelihoods: int, note: Label | None
) -> tuple[float, ...]:
    widths: list[float] = [3]
    widths += [_MONITORING_WIDTHS.get(col.field or "", 9) for col in plain]
    widths += [5] * (block - reason) + ([16] if reason else [])
    widths += [5] * likelihoods + ([14] if note is not None else [])
    return tuple(widths)


def plan_layout(doc: TargetDeclaration | Monitoring) -> PlanLayout:
    return declaration_layout(doc) if isinstance(doc, TargetDeclaration) else monitoring_layout(doc)
