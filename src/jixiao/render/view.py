"""The form laid out as the official table: rows, merged cells and display strings.

One view serves the HTML/PDF template and the Excel writer, so both show the same
cells. Values are shown as written on the form: a Decimal's own string, ``None`` as "-".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.model import (
    FUND_COLUMN_LABELS,
    FUND_COLUMNS,
    FUND_ROW_LABELS,
    FUND_ROWS,
    INDICATOR_LABELS,
    Indicator,
    SelfEvaluation,
)

DASH = "-"

# Labels as the Shanghai form prints them.
FUND_ROW_CAPTIONS: dict[str, str] = {
    "total": "年度资金总额：",
    "fiscal": "其中：" + FUND_ROW_LABELS["fiscal"],
    "carryover": FUND_ROW_LABELS["carryover"],
    "other": FUND_ROW_LABELS["other"],
}
FUND_COLUMN_CAPTIONS: dict[str, str] = {
    **FUND_COLUMN_LABELS,
    "weight": "分数",
    "rate": "执行率(%)",
}
INDICATOR_HEADERS: tuple[str, ...] = tuple(INDICATOR_LABELS.values())


# Where the official form breaks a long column heading.
HEADER_BREAKS: dict[str, tuple[str, ...]] = {
    "偏差原因分析及改进措施": ("偏差原因分析", "及改进措施"),
}


def header_lines(header: str) -> tuple[str, ...]:
    """A column heading as the lines the official form prints it on."""
    return HEADER_BREAKS.get(header, (header,))


def show_number(value: Decimal | None) -> str:
    """A number as the form writes it: its own string, never exponent form; None → "-"."""
    if value is None:
        return DASH
    text = str(value)
    return format(value, "f") if "E" in text or "e" in text else text


def show_value(value: Decimal | str | None) -> str:
    """A declared or computed value (a number or a 评分等级) as shown; None → "-"."""
    return value if isinstance(value, str) else show_number(value)


@dataclass
class FundLine:
    """One row of the 项目资金 block."""

    key: str
    caption: str
    cells: list[str]  # six display strings, in FUND_COLUMNS order
    values: list[Decimal | None]


@dataclass
class IndicatorLine:
    """One 三级指标 row; ``level1_span``/``level2_span`` > 0 where a merged cell starts."""

    indicator: Indicator
    level1_span: int
    level2_span: int
    weight: str
    score: str


@dataclass
class FormView:
    """Everything the official layout shows, in display order."""

    form: SelfEvaluation
    year_line: str
    amount_caption: str
    funds: list[FundLine]
    indicators: list[IndicatorLine]
    total_weight: str
    total_score: str
    grade: str
    fund_headers: list[str] = field(
        default_factory=lambda: [FUND_COLUMN_CAPTIONS[c] for c in FUND_COLUMNS]
    )
    indicator_headers: tuple[str, ...] = INDICATOR_HEADERS


def _spans(keys: list[tuple[str, ...]]) -> list[int]:
    """Run lengths of equal consecutive keys, placed at each run's first row (0 elsewhere)."""
    spans = [0] * len(keys)
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            spans[start] = i - start
            start = i
    return spans


def indicator_lines(indicators: list[Indicator]) -> list[IndicatorLine]:
    """Indicator rows with the merged 一级 and 二级 cells of the official table."""
    l1 = _spans([(i.level1,) for i in indicators])
    # A 二级 cell never crosses a 一级 boundary: key it on both, and on the 一级 run index.
    run = 0
    keys2: list[tuple[str, ...]] = []
    for i, ind in enumerate(indicators):
        if l1[i]:
            run += 1
        keys2.append((str(run), ind.level1, ind.level2))
    l2 = _spans(keys2)
    return [
        IndicatorLine(ind, l1[i], l2[i], show_number(ind.weight), show_number(ind.score))
        for i, ind in enumerate(indicators)
    ]


def form_view(form: SelfEvaluation) -> FormView:
    """Lay out one form as the official table shows it."""
    funds = []
    for key in FUND_ROWS:
        row = getattr(form.funds, key)
        values = [getattr(row, c) for c in FUND_COLUMNS]
        funds.append(
            FundLine(key, FUND_ROW_CAPTIONS[key], [show_number(v) for v in values], values)
        )
    return FormView(
        form=form,
        year_line=f"（{form.year}年度）" if form.year is not None else "（　　年度）",
        amount_caption=f"（{form.amount_unit}）",
        funds=funds,
        indicators=indicator_lines(form.indicators),
        total_weight=show_number(form.total_weight),
        total_score=show_number(form.total_score),
        grade=form.grade or "",
    )
