"""The official layouts of the 绩效目标申报表 and the 绩效目标执行监控表 as placed cells.

The layouts of the central 项目库 (as its export shows them,
tests/data/workbooks/central-moe-pku-2019-project-library.xls): the 申报表 on nine columns
(中期 and 年度 side by side: funds, goals, indicators with 指标值), the 监控表 on seventeen
(年初预算数, 1-7月执行数 / 执行率, 全年预计执行数; per indicator 1-7月执行数, 全年预计执行数,
偏差原因 ticked by category with 原因说明, 完成目标可能性 ticked, 备注). Every writer (HTML,
Excel) draws these cells (:class:`jixiao.render.layout.Placed`), so that what it writes
reads back through :mod:`jixiao.ingest.plan_tables`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.plans import CAUSES, LIKELIHOODS, Monitoring, TargetDeclaration
from jixiao.render.layout import Kind, Placed

TICK = "✔"
DECLARATION_COLUMNS = 9
MONITORING_COLUMNS = 17
DECLARATION_WIDTHS: tuple[float, ...] = (6, 10, 12, 18, 12, 12, 9, 9, 12)
MONITORING_WIDTHS: tuple[float, ...] = (3, 8, 9, 14, 9, 9, 9, 5, 5, 5, 5, 5, 16, 5, 5, 5, 14)
_FUND_PARTS = (("total", ""), ("fiscal", "其中：财政拨款"), ("carryover", "上年结转资金"))


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


def declaration_layout(doc: TargetDeclaration) -> PlanLayout:
    """A 申报表 on nine columns, as the central 项目库 prints it."""
    c = _Cells()
    last = DECLARATION_COLUMNS - 1
    c.put(0, 0, 0, last, doc.title, "title")
    c.put(1, 0, 1, last, year_line(doc.year), "year")
    c.put(2, 0, 2, 2, "项目名称", "label")
    c.put(2, 3, 2, last, doc.project, "value")
    c.put(3, 0, 3, 2, "主管部门及代码", "label")
    c.put(3, 3, 3, 4, doc.department, "value")
    c.put(3, 5, 3, 6, "实施单位", "label")
    c.put(3, 7, 3, last, doc.unit, "value")
    c.put(4, 0, 4, 2, "项目属性", "label")
    c.put(4, 3, 4, 4, doc.extras.get("项目属性", ""), "value")
    c.put(4, 5, 4, 6, "项目周期", "label")
    c.put(4, 7, 4, last, doc.extras.get("项目周期", ""), "value")
    c.put(5, 0, 8, 2, f"项目资金（{doc.amount_unit}）", "label")
    parts = (*_FUND_PARTS, ("other", "其他资金"))
    for i, (key, label) in enumerate(parts):
        row = 5 + i
        c.put(row, 3, row, 3, label or "中期资金总额：", "label")
        c.put(row, 4, row, 4, getattr(doc.medium_funds, key), "number")
        c.put(row, 5, row, 6, label or "年度资金总额：", "label")
        c.put(row, 7, row, last, getattr(doc.annual_funds, key), "number")
    c.put(9, 0, 10, 0, "总体目标", "label")
    c.put(9, 1, 9, 4, "中期目标", "label")
    c.put(9, 5, 9, last, "年度目标", "label")
    c.put(10, 1, 10, 4, doc.medium_goal, "text")
    c.put(10, 5, 10, last, doc.annual_goal, "text")
    header = 11
    count = max(len(doc.medium_indicators), len(doc.indicators))
    c.put(header, 0, header + max(count, 0), 0, "绩效指标", "label")
    for col, last_col, text in (
        (1, 1, "一级指标"),
        (2, 2, "二级指标"),
        (3, 3, "三级指标"),
        (4, 4, "指标值"),
        (5, 5, "二级指标"),
        (6, 7, "三级指标"),
        (8, 8, "指标值"),
    ):
        c.put(header, col, header, last_col, text, "header")
    for i in range(count):
        row = header + 1 + i
        medium = doc.medium_indicators[i] if i < len(doc.medium_indicators) else None
        annual = doc.indicators[i] if i < len(doc.indicators) else None
        level1 = medium.level1 if medium is not None else annual.level1 if annual else ""
        c.put(row, 1, row, 1, level1, "value")
        c.put(row, 2, row, 2, medium.level2 if medium else "", "value")
        c.put(row, 3, row, 3, medium.name if medium else "", "value")
        c.put(row, 4, row, 4, medium.target if medium else "", "value")
        c.put(row, 5, row, 5, annual.level2 if annual else "", "value")
        c.put(row, 6, row, 7, annual.name if annual else "", "value")
        c.put(row, 8, row, 8, annual.target if annual else "", "value")
    return PlanLayout(tuple(c.out), DECLARATION_COLUMNS, DECLARATION_WIDTHS, header)


def monitoring_layout(doc: Monitoring) -> PlanLayout:
    """A 监控表 on seventeen columns, as the central 项目库 prints it."""
    c = _Cells()
    last = MONITORING_COLUMNS - 1
    c.put(0, 0, 0, last, doc.title, "title")
    c.put(1, 0, 1, last, year_line(doc.year), "year")
    c.put(2, 0, 2, 2, "项目名称", "label")
    c.put(2, 3, 2, last, doc.project, "value")
    c.put(3, 0, 3, 2, "主管部门及代码", "label")
    c.put(3, 3, 3, 5, doc.department, "value")
    c.put(3, 6, 3, 6, "实施单位", "label")
    c.put(3, 7, 3, last, doc.unit, "value")
    c.put(4, 0, 8, 2, f"项目资金（{doc.amount_unit}）", "label")
    c.put(4, 3, 4, 6, "", "label")
    period = doc.period
    for col, last_col, text in (
        (7, 9, "年初预算数"),
        (10, 12, f"{period}执行数"),
        (13, 14, f"{period}执行率"),
        (15, 16, "全年预计执行数"),
    ):
        c.put(4, col, 4, last_col, text, "label")
    parts = (("total", "年度资金总额："), *_FUND_PARTS[1:], ("other", "其他资金"))
    for i, (key, label) in enumerate(parts):
        row = 5 + i
        fund = getattr(doc.funds, key)
        c.put(row, 3, row, 6, label, "label")
        c.put(row, 7, row, 9, fund.initial, "number")
        c.put(row, 10, row, 12, fund.executed, "number")
        rate = f"{fund.rate}%" if fund.rate is not None else None
        c.put(row, 13, row, 14, rate, "value")
        c.put(row, 15, row, 16, fund.forecast, "number")
    c.put(9, 0, 9, 0, "年度总体目标", "label")
    c.put(9, 1, 9, last, doc.goal, "text")
    header = 10
    for col, text in (
        (1, "一级指标"),
        (2, "二级指标"),
        (3, "三级指标"),
        (4, "年度指标值"),
        (5, f"{period}执行数"),
        (6, "全年预计执行数"),
    ):
        c.put(header, col, header + 1, col, text, "header")
    c.put(header, 0, header + 1, 0, "", "header")
    c.put(header, 7, header, 12, "偏差原因分析", "header")
    c.put(header, 13, header, 15, "完成目标可能性", "header")
    c.put(header, 16, header + 1, 16, "备注", "header")
    for i, text in enumerate((*CAUSES, "原因说明", *LIKELIHOODS)):
        c.put(header + 1, 7 + i, header + 1, 7 + i, text, "header")
    for i, ind in enumerate(doc.indicators):
        row = header + 2 + i
        c.put(row, 0, row, 0, "", "value")
        for col, value in enumerate(
            (ind.level1, ind.level2, ind.name, ind.target, ind.executed, ind.forecast), start=1
        ):
            c.put(row, col, row, col, value, "value")
        for j, cause in enumerate(CAUSES):
            c.put(row, 7 + j, row, 7 + j, TICK if cause in ind.causes else "", "value")
        c.put(row, 12, row, 12, ind.reason, "value")
        for j, likelihood in enumerate(LIKELIHOODS):
            c.put(row, 13 + j, row, 13 + j, TICK if ind.likelihood == likelihood else "", "value")
        c.put(row, 16, row, 16, ind.note, "value")
    return PlanLayout(tuple(c.out), MONITORING_COLUMNS, MONITORING_WIDTHS, header)


def plan_layout(doc: TargetDeclaration | Monitoring) -> PlanLayout:
    return declaration_layout(doc) if isinstance(doc, TargetDeclaration) else monitoring_layout(doc)
