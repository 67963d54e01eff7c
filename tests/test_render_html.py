"""The HTML export: the official layout, values as written, escaping, reviewer notes."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest

from jixiao.audit import Finding
from jixiao.model import Indicator, SelfEvaluation
from jixiao.render.html import render_html
from jixiao.render.review import Note, Review
from jixiao.render.reviewer import review_form
from jixiao.render.view import form_view, indicator_lines, show_number


class Cells(HTMLParser):
    """Collects table cells: (text, rowspan, colspan), and any <script> seen."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, int, int]] = []
        self.scripts = 0
        self._open: list[object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag in ("td", "th"):
            self._open = ["", int(a.get("rowspan") or 1), int(a.get("colspan") or 1)]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._open is not None:
            text, rows, cols = self._open
            self.cells.append((str(text), int(str(rows)), int(str(cols))))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[0] = str(self._open[0]) + data


def cells_of(html: str) -> Cells:
    parser = Cells()
    parser.feed(html)
    return parser


def test_show_number_keeps_the_written_decimal() -> None:
    assert show_number(Decimal("10.00")) == "10.00"
    assert show_number(Decimal("1245.5")) == "1245.5"
    assert show_number(None) == "-"
    assert show_number(Decimal("1E+2")) == "100"


def test_merged_level_cells_follow_runs_of_the_indicator_table(
    oracle_forms: list[SelfEvaluation],
) -> None:
    lines = indicator_lines(oracle_forms[0].indicators)
    # 其他人员经费: 成本指标 2 rows, 产出指标 7, 效益指标 3, 满意度指标 1.
    assert [x.level1_span for x in lines if x.level1_span] == [2, 7, 3, 1]
    assert [x.level2_span for x in lines if x.level2_span] == [2, 3, 2, 2, 1, 2, 1]


def test_level2_merge_never_crosses_a_level1_boundary() -> None:
    rows = [
        Indicator(level1="产出指标", level2="其他"),
        Indicator(level1="效益指标", level2="其他"),
        Indicator(level1="效益指标", level2="其他"),
    ]
    lines = indicator_lines(rows)
    assert [x.level1_span for x in lines] == [1, 2, 0]
    assert [x.level2_span for x in lines] == [1, 2, 0]


def test_seed_form_shows_every_declared_value(oracle_forms: list[SelfEvaluation]) -> None:
    form = oracle_forms[6]  # 其他专项工作经费: funds with 其他资金, 15 indicators
    cells = cells_of(render_html([form])).cells
    texts = [t for t, _, _ in cells]
    assert texts[:2] == ["项目名称", "其他专项工作经费"]
    assert ("项目资金（万元）", 5, 2) in cells
    other = texts.index("其他资金")
    assert texts[other + 1 : other + 7] == ["85.00", "67.38", "67.37", "-", "99.98", "-"]
    for ind in form.indicators:
        i = texts.index(ind.name)
        assert texts[i + 1 : i + 5] == [ind.target, ind.actual, str(ind.weight), str(ind.score)]
    assert ("偏差原因分析及改进措施", 1, 1) in cells
    assert ("三级指标", 1, 2) in cells
    total = texts.index("总分")
    assert texts[total + 1 : total + 3] == ["100.00", "99.61"]
    assert texts[texts.index("评分等级") + 1] == "优"
    assert ("年度总体目标", 2, 1) in cells
    assert (form.goals.expected, 1, 4) in cells
    assert (form.goals.achieved, 1, 4) in cells


def test_form_text_is_escaped() -> None:
    evil = '<script>alert("x")</script>&<b>'
    form = SelfEvaluation(
        project=evil,
        unit="<img src=x onerror=alert(1)>",
        indicators=[Indicator(level1="产出指标", name=evil, deviation="</td><td>注入")],
    )
    html = render_html([form])
    parsed = cells_of(html)
    assert parsed.scripts == 0
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert (evil, 1, 7) in parsed.cells
    assert ("</td><td>注入", 1, 1) in parsed.cells


def test_official_version_carries_no_annotation(oracle_forms: list[SelfEvaluation]) -> None:
    html = render_html(oracle_forms[:2])
    assert "计算" not in html
    assert "审核" not in html
    assert html.count('<section class="sheet">') == 2


def test_reviewer_notes_show_computed_values_where_they_differ(
    oracle_forms: list[SelfEvaluation], shanghai
) -> None:
    form = oracle_forms[0].model_copy(deep=True)
    form.funds.total.rate = Decimal("85.26")  # the rules give 85.25
    form.total_score = Decimal("99.00")  # 8.53 + 90 = 98.53
    review = review_form(form, shanghai)
    assert review.notes["funds.total.4"] == Note("85.25", True)
    assert review.notes["total_score"] == Note("98.53", True)
    assert review.notes["grade"] == Note("优", False)
    html = render_html([form], [review])
    assert "计算：85.25" in html
    assert "计算：98.53" in html
    assert "计算一致" in html


def test_reviewer_lists_findings_escaped() -> None:
    finding = Finding(
        "S01", "S", "error", "必填项缺失", "甲", None, "total_score", "<b>不一致</b>", "填写总分"
    )
    html = render_html([SelfEvaluation(project="甲")], [Review(findings=[finding])])
    assert "审核意见（1 条）" in html
    expected = (
        "〔错误〕S01 必填项缺失　位置：总分·得分。&lt;b&gt;不一致&lt;/b&gt;。修改意见：填写总分"
    )
    assert expected in html


def test_reviews_must_match_forms() -> None:
    with pytest.raises(ValueError):
        render_html([SelfEvaluation()], [None, None])


def test_year_line_and_amount_unit() -> None:
    view = form_view(SelfEvaluation(year=2023, amount_unit="元"))
    assert view.year_line == "（2023年度）"
    assert view.amount_caption == "（元）"
