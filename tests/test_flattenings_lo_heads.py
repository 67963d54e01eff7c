"""Forms the sweep of 2026-12-07 found read wrong with no gap from ``pdftotext``'s text of
LibreOffice's PDFs of jixiao's workbook and Word file (head fields, check boxes, goals and
fund rows printed out of their place). Each text is one form cut out of the sweep's text
(``tests/data/lo-texts/<layout>-<source>-<seed>-<mode>-<index of the form>.txt``: making
it again needs LibreOffice), read back against the generated form it was printed from:
every difference named by a gap, and the field in question read right or left empty with
its gap."""

from __future__ import annotations

import pytest

from jixiao.generate import layout_forms
from jixiao.ingest import read_text
from jixiao.ingest.text import parse_text
from jixiao.model import SelfEvaluation

from .forms import lo_excerpt, unexplained


def _read(layout: str, source: str, seed: int, mode: str, project: str):
    """The form read from the excerpt, and the generated form it was printed from."""
    forms = layout_forms(4, layout, seed=seed)
    [k] = [k for k, f in enumerate(forms) if f.project == project]
    want = forms[k]
    text = lo_excerpt(layout, source, seed, mode, k)
    [got] = [f for f in read_text(text, "lo.txt") if f.project == project]
    assert unexplained(got, want) == [], got.gaps
    return got, want


def _gap(form: SelfEvaluation, *words: str) -> str:
    found = [g for g in form.gaps if all(w in g for w in words)]
    assert found, (words, form.gaps)
    return found[0]


@pytest.mark.parametrize(
    ("layout", "seed", "project"),
    [
        # 新疆: 实施单位 printed among the indicator header's labels, 佐证资料 after it
        ("xinjiang", 106, "为老服务综合体运营经费"),
        # 转移支付: its 地方主管部门 (the model's 实施单位) there, then 三级指标
        ("transfer", 120, "违法建筑整治专项经费"),
    ],
)
def test_a_head_label_printed_after_the_fund_block_takes_no_value(layout, seed, project):
    """pdftotext default of LibreOffice's PDF of a workbook prints 实施单位's value in the
    head and its label after the fund rows, among the indicator header's pieces: the cell
    after the label is another's (it was read as 佐证资料, 产出指标验收报告, level pieces, or
    nothing with a gap naming only 地方主管部门)."""
    got, want = _read(layout, "lo-xlsx", seed, "default", project)
    assert got.unit in ("", want.unit)
    _gap(got, "实施单位", "印在表头之外")


def test_the_fast_reader_names_a_unit_read_empty():
    """四川, seed 112 (``pdftotext`` default, read by the fast reader): 实施单位 followed by
    年初预算数, its value printed after the fund header's first label: empty, with a gap."""
    got, _ = _read("sichuan", "lo-xlsx", 112, "default", "青村镇教育信息化设备更新")
    assert got.unit == ""
    _gap(got, "实施单位", "没有读到它的内容")


def test_level_pieces_and_a_goal_label_among_the_rows_are_no_goal_text():
    """河北, seed 127: 年度总体目标's pieces, then 经济成本 / 成本指标 / 指标 (the 一级 / 二级
    cells' pieces) where the goal text would be, and 实际完成情况 printed among the indicator
    rows: the pieces were read as 预期目标, and the next rows' cells under 实际完成情况's
    column as its text (社会效益指标10.004.001.00)."""
    got, _ = _read("hebei", "lo-xlsx", 127, "default", "市容环境综合整治经费")
    assert (got.goals.expected, got.goals.achieved) == ("", "")
    _gap(got, "实际完成情况", "印在绩效指标表的格中间")


def test_an_added_fund_column_among_the_rows_is_named():
    """河北, seed 119: 总体完成率98% printed among the indicator rows is no cell of the
    table: a gap names it as 项目资金's."""
    got, _ = _read("hebei", "lo-xlsx", 119, "default", "家庭医生签约服务经费")
    _gap(got, "项目资金的一栏", "总体完成率", "绩效指标表")


def test_a_fund_row_the_text_does_not_hold_is_named():
    """湖北, seed 102: 上年结转资金's label is not in the text (its numbers printed after 年度
    / 总体 / 目标): the row was left empty with no gap."""
    got, _ = _read("hubei-20", "lo-xlsx", 102, "default", "文旅融合宣传推广经费")
    assert got.funds.carryover.initial is None
    _gap(got, "项目资金缺少“上年结转资金”行")


def test_a_fund_column_printed_apart_leaves_the_rows_unplaced():
    """四川, seed 106: 年初预算数 printed after the goals, the fund header read without it:
    each row's numbers went a column to the left (单位资金's 全年预算数 5.92, its 年初预算数)."""
    got, want = _read("sichuan", "lo-xlsx", 106, "default", "为老服务综合体运营经费")
    assert want.funds.extras["单位资金"].initial is not None
    assert "单位资金" not in got.funds.extras or got.funds.extras["单位资金"].adjusted is None
    assert got.funds.total.adjusted is None and got.funds.carryover.extras == {}
    # named by whichever check sees it first: the 执行率 of the row read under the short
    # header (RowBuilder.fund_column_lost), or the label after the header (fund_column_apart)
    _gap(got, "表头少", "各行的数所在的栏无法确定")


def test_check_boxes_whose_tick_is_printed_apart():
    """湖北, seed 105 (``-raw`` of the workbook's PDF): ``项目类别 经常性项目 □一次性项目`` /
    ``☑ 项目属性 …``: the tick printed apart. 项目类别 (no mark right after it) was read into
    实施单位; the options are read, which is ticked is a gap."""
    got, _ = _read("hubei-20", "lo-xlsx", 105, "raw", "图书馆运行经费")
    assert got.unit == "上海市青浦区博物馆"
    # the fast reader's reading (the one that read 项目类别 into 实施单位; another reading
    # with more values placed is the one returned here)
    text = lo_excerpt("hubei-20", "lo-xlsx", 105, "raw", 0)
    [fast] = parse_text(text, "lo.txt")
    assert fast.unit == "上海市青浦区博物馆"
    boxes = {box.label: box for box in fast.checkboxes}
    assert boxes["项目类别"].options == ["经常性项目", "一次性项目"]
    assert boxes["项目属性"].options == ["新增项目", "延续项目"]  # (the fund header not in)
    assert boxes["项目类别"].checked == boxes["项目属性"].checked == []
    _gap(fast, "项目类别", "勾选标记与选项分开印出")


def test_check_box_options_glued_to_a_tick_printed_apart():
    """湖北, seed 106 (``-raw`` of the Word file's PDF): ``项目属性 □新增项目 延续项目`` / ``☑``:
    read as one option 新增项目延续项目, none ticked, with no gap."""
    got, _ = _read("hubei-20", "lo-docx", 106, "raw", "为老服务综合体运营经费")
    boxes = {box.label: box for box in got.checkboxes}
    assert boxes["项目属性"].options == ["新增项目", "延续项目"]
    _gap(got, "项目属性", "勾选标记与选项分开印出")


def test_first_level_weights_lost_with_their_labels_are_named():
    """湖北, seed 105 (``-raw``): the rows read without their 一级 label, the weights read
    being those of the one 一级 read (成本指标(20分)): the others' are named."""
    got, want = _read("hubei-20", "lo-xlsx", 105, "raw", "安全生产监管经费")
    assert len(got.level1_weights) < len(want.level1_weights)
    _gap(got, "一级指标", "一级指标分值")


def test_level_labels_among_the_rows_are_no_deviation():
    """河北, seed 200 (held out; ``pdftotext`` default of the workbook's PDF): the header's
    一级指标 二级指标 printed after the rows, so the table is read with no level column; the
    二级 labels printed among the rows (质量指标, 时效指标, 经济效益 / 指标 …) were read as
    the rows' 偏差原因, 一级指标 二级指标 as the last row's, and the pieces after the rows
    (经济成本指标, 数量指标, 产出指标 …) as rows of their own. Now no row takes a level label
    as a cell, and the levels are lost with a gap."""
    got, want = _read("hebei", "lo-xlsx", 200, "default", "徐行镇绿色种植推广补贴")
    levels = {*(i.level1 for i in want.indicators), *(i.level2 for i in want.indicators)}
    assert len(got.indicators) == len(want.indicators)
    for row in got.indicators:
        assert row.deviation.replace(" ", "") not in levels | {"一级指标二级指标"}
        assert row.name not in levels
    _gap(got, "一级 / 二级指标的文字与指标行分开印出")


def test_word_default_values_after_the_fund_label_and_labels_spelled_down():
    """LibreOffice's Word file in ``pdftotext``'s default mode prints the head's label column
    as one block (项目名称 / 主管部门 / 及代码), then the fund block's label (项目资金 /
    （万元）) and, on later forms, labels printed a character a line (年 / 度 / 总 / 体 …,
    成 / 本 / 指 / 标), and only then the values (政务数据共享平台运维 / 川沙新镇). The fund
    label was taken for the values: 项目名称 and 主管部门 went unread (北京, seed 100; 285
    of the 1,080 forms of seeds 100–129 read without their 项目名称, now 48). The values
    are now the paragraph after them, paired in order with the doubt."""
    got, want = _read("beijing-district", "lo-docx", 100, "default", "政务数据共享平台运维")
    assert (got.project, got.department, got.amount_unit) == (
        want.project,
        want.department,
        want.amount_unit,
    )
    assert any("与其内容分开印出，按先后对应" in g for g in got.gaps)
