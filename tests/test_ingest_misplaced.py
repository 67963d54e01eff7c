"""Cells a flattening prints out of their place (LibreOffice's PDFs of jixiao's workbooks and
Word files, through ``pdftotext``): each is read where it can be told, else left out with a
gap that names it; never a value in the wrong field with no gap (#15 item 2, #16 item 4)."""

from __future__ import annotations

from jixiao.flattenings import cell_per_line
from jixiao.generate import layout_forms
from jixiao.ingest import read_text
from jixiao.ingest.aligned import align_rows, header_columns
from jixiao.ingest.flattening import name_stray_labels
from jixiao.ingest.grid import Grid
from jixiao.ingest.mapper import map_forms
from jixiao.ingest.text import _header_runs, _label_cut_by_page
from jixiao.ingest.text_lines import Line
from jixiao.ingest.tokens import split_tokens


def read_lines(lines: list[str]):
    return read_text("\n".join(lines) + "\n", "flat.txt")


def test_head_label_and_value_one_space_apart_in_a_paragraph():
    """``pdftotext`` default of a workbook: the label's cell filled to its edge, its value
    one space after it in the same paragraph."""
    text = "部门（单位）名称 动物疫病防控经费\n\n主管部门\n\n顾村镇\n\n年度指标值 实际完成值\n"
    got = [t.text for t in split_tokens(text, "paragraphs")]
    assert got == [
        "部门（单位）名称",
        "动物疫病防控经费",
        "主管部门",
        "顾村镇",
        "年度指标值 实际完成值",
    ]


def test_head_field_read_as_level_labels_is_left_out():
    """实施单位 printed among the 一级 / 二级 labels' pieces: what follows it is no unit."""
    [form] = layout_forms(1, "hebei", seed=3)
    form.unit = "经济成本指标数量指标"
    [form] = name_stray_labels([form])
    assert form.unit == ""
    assert any(g.startswith("实施单位：") and "经济成本指标数量指标" in g for g in form.gaps)


def test_added_fund_column_printed_among_the_goals_is_a_gap():
    """总体完成率 and its value printed after 预期目标 (pdftotext of LibreOffice's PDF of a
    河北 workbook): not the goal's text, and not placed in a fund row (which one is not
    known)."""
    rows = [
        ["项目名称", "动物疫病防控经费"],
        ["项目资金（元）", "年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"],
        ["年度资金总额：", "100.00", "100.00", "90.00", "10.00", "90.00", "9.00"],
        ["年度总体目标", "预期目标", "实际完成情况"],
        ["", "总体完成率98%", ""],
        ["", "做好防疫。", "已做好。"],
    ]
    [form] = map_forms([Grid.from_rows(rows, origin="表1")], "f.txt")
    assert form.goals.expected == "做好防疫。"
    assert form.funds.total.extras == {}
    assert any("总体完成率98%" in g and "年度总体目标" in g for g in form.gaps)


def test_fund_rows_with_more_numbers_than_the_header_are_not_placed():
    """The fund header printed without its 执行率(%) (LibreOffice's ``-raw`` of a 河北
    workbook prints it apart): six columns for seven numbers, so no row's numbers can be
    placed; the rest of the form is read."""
    forms = layout_forms(1, "national-2020", seed=3)
    lines = cell_per_line(forms)
    del lines[lines.index("执行率(%)")]
    [form] = read_lines(lines)
    assert form.funds.total.initial is None and form.funds.other.executed is None
    assert any("年度资金总额" in g and "多于表头" in g for g in form.gaps)
    assert form.indicators == forms[0].indicators


def test_indicator_header_missing_an_added_column_keeps_no_added_cells():
    """新疆's header printed without its 指标值设置依据 (apart, in LibreOffice's ``-raw``): the
    added columns' cells cannot be told apart, so no indicator keeps them; a gap names it."""
    forms = layout_forms(1, "xinjiang", seed=3)
    lines = cell_per_line(forms)
    del lines[lines.index("指标值设置依据")]
    [form] = read_lines(lines)
    assert form.indicators and all(ind.extras == {} for ind in form.indicators)
    assert any("指标值设置依据" in g for g in form.gaps)


def test_level_label_that_may_be_a_level1_before_the_first_rows_is_a_doubt():
    """成本指标 before the table's first rows, with no 一级 printed before it: a 二级 (of
    产出指标) or the 一级 whose 二级 is printed elsewhere. Read as the one, and said."""
    head = header_columns(["一级指标", "二级指标", "三级指标", "指标值", "完成值", "权重", "得分"])
    assert head is not None
    texts = [
        *("成本指标", "救助资金发放经费支出", "不超预算额度", "达成指标", "5.00", "5.00"),
        *("产出指标", "数量指标", "居家养老服务对象人数", "≥1600", "1680", "2.00", "2.00"),
    ]
    rows = align_rows(head.keys, head.texts, texts)
    assert rows is not None
    assert (rows[0].level2, rows[0].guessed) == ("成本指标", "产出指标")
    assert rows[1].guessed == ""


def test_level_label_printed_a_character_a_line_after_a_page_break():
    """LibreOffice's ``-raw`` of a Word file prints a merged 二级 cut by a page break only
    after the repeated header, a character a line: that it holds no row before the break
    cannot be told (a gap)."""
    texts = [
        "满意度 ≥90% 95% 10.00 10.00",
        "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分",
    ]
    texts += [
        "偏差原因分析及改进措施",
        "可",
        "持",
        "续",
        "影",
        "响",
        "指",
        "标",
        "机制健全 健全 达成 5.00 5.00",
    ]
    lines = [Line(no, text, 0) for no, text in enumerate(texts, start=10)]
    runs = _header_runs(lines)
    cut = _label_cut_by_page(lines, runs)
    assert cut is not None and cut.no == 13
    whole = [Line(10 + k, t, 0) for k, t in enumerate([*texts[:3], "可持续影响指标", texts[-1]])]
    assert _label_cut_by_page(whole, _header_runs(whole)) is None
