"""The grid → form mapper on hand-made grids: layouts of other provinces, spans, gaps."""

# ruff: noqa: E501  (the grids are tables: one row per line reads best)

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.ingest.amounts import parse_amount
from jixiao.ingest.grid import Cell, Grid, join_lines
from jixiao.ingest.mapper import map_forms

D = Decimal
_ = None  # a position covered by the merged cell to its left (or above)


def grid(rows, origin="表1") -> Grid:
    return Grid.from_rows(rows, origin=origin)


# A Sichuan-style form (sample 003): 预算执行情况 with 调整后预算数 / 预算执行数 / 权重 / 原因,
# extra fund rows, indicators with 指标性质 and 度量单位, 合计 instead of 总分.
SICHUAN = [
    ["部门预算项目支出绩效自评表", _, _, _, _, _, _, _, _, _],
    ["（2023年度）", _, _, _, _, _, _, _, _, _],
    ["项目名称", "工资福利", _, _, _, _, _, _, _, _],
    ["主管部门", "青神县发展和改革局", _, _, "实施单位", "青神县发展和改革局本级", _, _, _, _],
    ["预算执行情况(万元)", "", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因", _],
    [None, "总额", "238.93", "251.89", "240.10", "95.32%", "10", "9.53", "", _],
    [None, "财政资金", "238.93", "251.89", "240.10", "95.32%", "-", "-", "", _],
    [None, "财政专户管理资金", "0.00", "0.00", "0.00", "0.00%", "-", "-", "", _],
    [None, "单位资金", "0.00", "0.00", "0.00", "0.00%", "-", "-", "", _],
    [None, "其他资金", "0.00", "0.00", "0.00", "0.00%", "-", "-", "", _],
    ["年度总体目标", "预期目标", _, _, _, "实际完成情况", _, _, _, _],
    [None, "保障在职人员工资按时足额发放", _, _, _, "已按时足额发放", _, _, _, _],
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"],
    ["产出指标", "数量指标", "保障人数", "=", "24", "人", "24", "30", "30", ""],
    [None, "时效指标", "发放及时率", "=", "100", "%", "100", "30", "30", ""],
    ["效益指标", "社会效益指标", "单位正常运转", "定性", "有效保障", "", "有效保障", "30", "29", "个别月份延迟"],
    ["合计", _, _, _, _, _, _, "100", "98.53", _],
    ["评分等级", _, _, _, _, _, _, "优", _, _],
]  # fmt: skip


def test_sichuan_layout_by_labels_not_positions() -> None:
    [form] = map_forms([grid(SICHUAN)], "sichuan.xlsx")
    assert form.gaps == []
    assert form.title == "部门预算项目支出绩效自评表"
    assert form.year == 2023
    assert (form.project, form.department, form.unit) == (
        "工资福利",
        "青神县发展和改革局",
        "青神县发展和改革局本级",
    )
    assert form.amount_unit == "万元"
    total = form.funds.total
    assert (total.initial, total.adjusted, total.executed) == (
        D("238.93"),
        D("251.89"),
        D("240.10"),
    )
    assert (total.rate, total.weight, total.score) == (D("95.32"), D("10"), D("9.53"))
    assert form.funds.fiscal.weight is None and form.funds.fiscal.score is None
    assert form.funds.other.executed == D("0.00")
    # Fund rows the model has no field for are kept, not dropped.
    extra_rows = form.funds.extras
    assert set(extra_rows) == {"财政专户管理资金", "单位资金"}
    assert extra_rows["单位资金"].initial == D("0.00")  # typed, as the four rows
    assert form.goals.expected == "保障在职人员工资按时足额发放"
    assert form.goals.achieved == "已按时足额发放"
    assert [i.name for i in form.indicators] == ["保障人数", "发放及时率", "单位正常运转"]
    first, second, third = form.indicators
    assert (first.level1, first.level2, first.target, first.actual) == (
        "产出指标",
        "数量指标",
        "24",
        "24",
    )
    assert second.level1 == "产出指标"  # from the merged 一级 cell
    assert first.extras == {"指标性质": "=", "度量单位": "人"}
    assert (third.weight, third.score, third.deviation) == (D("30"), D("29"), "个别月份延迟")
    assert (form.total_weight, form.total_score, form.grade) == (D("100"), D("98.53"), "优")


# The Beijing district layout (sample 021): 主管部门及代码, no 全年预算数, 得分计算方法 columns,
# 分值 before 年度指标值(A), 全年实际值(B).
BEIJING = [
    ["项目支出绩效自评表", _, _, _, _, _, _, _, _],
    ["（2016年度）", _, _, _, _, _, _, _, _],
    ["项目名称", "学院路街道清扫保洁", _, _, _, _, _, _, _],
    ["主管部门及代码", "学院路街道办事处", _, _, "实施单位", "城市运行服务中心", _, _, _],
    ["项目资金（万元）", "", "年初预算数(A)", "全年执行数(B)", "分值(10分)", "执行率(B/A)", "得分", "得分计算方法", _],
    [None, "年度资金总额", "310.2", "154.74", "10", "50%", "5", "执行率*该指标分值", _],
    ["一级指标", "二级指标", "三级指标", "分值", "年度指标值(A)", "全年实际值(B)", "得分计算方法", "得分", "未完成原因分析"],
    ["产出指标", "数量指标", "清扫面积", "12.5", "≥120万平方米", "120万平方米", "完成值达到指标值，记满分", "12.5", ""],
]  # fmt: skip


def test_beijing_layout_column_order_and_missing_parts_are_gaps() -> None:
    [form] = map_forms([grid(BEIJING, origin="工作表“Sheet1”")], "beijing.xls")
    assert form.department == "学院路街道办事处"
    total = form.funds.total
    assert (total.initial, total.adjusted, total.executed) == (D("310.2"), None, D("154.74"))
    assert (total.weight, total.rate, total.score) == (D("10"), D("50"), D("5"))
    assert total.extras == {"得分计算方法": "执行率*该指标分值"}
    [ind] = form.indicators
    assert (ind.weight, ind.target, ind.actual, ind.score) == (
        D("12.5"),
        "≥120万平方米",
        "120万平方米",
        D("12.5"),
    )
    assert ind.extras == {"得分计算方法": "完成值达到指标值，记满分"}
    assert form.layout == "beijing-district"
    # A truncated form: what is missing is listed, never filled in.
    assert form.gaps == ["表中未找到：年度总体目标、总分、评分等级"]  # cut off before its 总分
    assert form.total_score is None and form.grade is None
    assert form.funds.fiscal.initial is None


def test_grade_in_the_total_row_and_transfer_payment_labels() -> None:
    rows = [
        ["绩效目标自评表", _, _, _, _, _, _, _],
        ["2019年度", _, _, _, _, _, _, _],
        ["项目名称", "临时救助", _, _, _, _, _, _],
        ["主管部门", "[155]濉溪县民政局", _, _, _, _, _, _],
        ["项目资金（元）", "", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分", _],
        [None, "年度资金总额", "1,387,664.62", "1,387,664.62", "10", "100%", "10", _],
        [None, "本年财政拨款", "1,387,664.62", "1,387,664.62", "10", "100%", "10", _],
        ["年度总体目标", "年初设定目标", _, _, "年度总体目标完成情况综述", _, _, _],
        [None, "保障困难群众基本生活", _, _, "已完成", _, _, _],
        ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分", "未完成原因及拟采取的改进措施"],
        ["产出指标", "数量指标", "特困人员救助供养人数", "5", ">=4754人", "4604人", "5", "特困人员实行动态管理"],
        ["总分", _, _, "100", _, _, "96", "优"],
    ]  # fmt: skip
    [form] = map_forms([grid(rows)], "anhui.html")
    assert form.year == 2019
    assert form.amount_unit == "元"
    assert form.funds.total.initial is None  # this layout has no 年初预算数
    assert form.funds.total.adjusted == D("1387664.62")
    assert form.funds.fiscal.weight == D("10")  # declared as written, not "fixed"
    assert form.goals.expected == "保障困难群众基本生活"
    assert form.goals.achieved == "已完成"
    [ind] = form.indicators
    assert (ind.weight, ind.target, ind.actual, ind.score) == (D("5"), ">=4754人", "4604人", D("5"))
    assert ind.deviation == "特困人员实行动态管理"
    assert (form.total_weight, form.total_score, form.grade) == (D("100"), D("96"), "优")
    assert form.gaps == ["表中未找到：实施单位"]


def test_not_a_number_is_a_gap_with_its_place_and_the_text_is_kept() -> None:
    rows = [row[:] for row in SICHUAN]
    rows[13][7] = "三十"  # 权重 of 保障人数
    [form] = map_forms([grid(rows, origin="工作表“自评表”")], "bad.xlsx")
    assert form.indicators[0].weight is None
    assert form.gaps == ["工作表“自评表”第14行第8列：分值“三十”不是数字，未读入"]
    assert "工作表“自评表”第14行第8列：分值：三十" in [str(u) for u in form.unmapped]


def test_several_forms_in_one_grid_and_across_grids() -> None:
    two = SICHUAN + [list(r) for r in SICHUAN]
    two[len(SICHUAN) + 2] = ["项目名称", "第二个项目", _, _, _, _, _, _, _, _]
    forms = map_forms([grid(two), grid(SICHUAN)], "many.xlsx")
    assert [f.project for f in forms] == ["工资福利", "第二个项目", "工资福利"]
    assert [f.index for f in forms] == [1, 2, 3]
    assert all(len(f.indicators) == 3 and not f.gaps for f in forms)


# The indicator table's header up to 分值, as most layouts print it.
INDICATOR_HEADS = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值"]


def test_a_flat_indicator_list_is_not_a_form() -> None:
    flat = [
        ["序号", "项目名称", *INDICATOR_HEADS],
        ["1", "工资福利", "产出指标", "数量指标", "保障人数", "24", "24", "30"],
    ]
    forms = map_forms([grid(SICHUAN), grid(flat)], "x.xlsx")
    assert forms[0].project == "工资福利"
    assert len(forms) == 1


def test_spans_from_rows_and_cells() -> None:
    g = grid([["a", _, "b"], [_, _, _], ["d", "e", "f"]])
    cells = {(c.row, c.col): (c.rowspan, c.colspan, c.text) for c in g.cells}
    assert cells[(0, 0)] == (2, 2, "a")
    assert cells[(0, 2)] == (2, 1, "b")
    assert g.at(1, 1) is g.at(0, 0)
    assert g.matrix()[1] == [None, None, None]
    explicit = Grid([Cell(0, 0, 1, 3, "标题"), Cell(1, 0, text="x"), Cell(1, 2, text="y")])
    assert [c.text for c in explicit.row_cells(1)] == ["x", "y"]
    assert explicit.place(1, 2) == "第2行第3列"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,245.54", D("1245.54")),
        ("85.25%", D("85.25")),
        ("150万", D("150")),
        ("-", None),
        ("—", None),
        ("", None),
        (" 10.00 ", D("10.00")),
        ("-3.5", D("-3.5")),
    ],
)
def test_parse_amount(text: str, value: Decimal | None) -> None:
    assert parse_amount(text) == value


def test_wrapped_cjk_lines_join_without_spaces() -> None:
    assert join_lines("城运中心信息员服务质量\n考核达标率") == "城运中心信息员服务质量考核达标率"
    assert join_lines("≤600.00(元/\n人)") == "≤600.00(元/人)"


WORDS = [
    "财政项目支出绩效自评表", "（2024年度）", "项目名称", "主管部门", "实施单位", "项目资金（万元）",
    "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", "年度资金总额", "其中：当年财政拨款",
    "其他资金", "年度总体目标", "预期目标", "实际完成情况", "一级指标", "二级指标", "三级指标",
    "年度指标值", "实际完成值", "偏差原因分析及改进措施", "指标性质", "总分", "合计", "评分等级", "优",
    "10.00", "1,245.54", "85.25%", "-", "", "三十", "产出指标", "数量指标", "≥12.00(个)", "第 1 页",
]  # fmt: skip


@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.sampled_from(WORDS)), min_size=1, max_size=9),
        min_size=1,
        max_size=30,
    )
)
@settings(max_examples=300, deadline=None)
def test_any_grid_maps_without_an_exception(rows) -> None:
    """Whatever the cells, the mapper returns forms (maybe partial), never raises."""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    for form in map_forms([grid(rows)], "fuzz.xlsx"):
        form.to_json_dict()
        assert form.source is not None and form.source.file == "fuzz.xlsx"
        assert all(isinstance(i.weight, Decimal | None) for i in form.indicators)


def test_two_row_indicator_header_with_cells_spanning_down() -> None:
    """绩效指标 | 年度指标值 (two columns) | 实际完成值 … over 一级 | 二级 | 三级 | 指标值 | 度量单位."""
    C = Cell
    cells = [
        C(0, 0, 1, 9, "项目支出绩效自评表"),
        C(1, 0, text="项目名称"), C(1, 1, 1, 8, "x"),
        C(2, 0, text="主管部门"), C(2, 1, 1, 3, "d"), C(2, 4, text="实施单位"), C(2, 5, 1, 4, "u"),
        C(3, 0, 2, 1, "年度总体目标"), C(3, 1, 1, 4, "预期目标"), C(3, 5, 1, 4, "实际完成情况"),
        C(4, 1, 1, 4, "目标文字"), C(4, 5, 1, 4, "完成文字"),
        C(5, 0, 1, 3, "绩效指标"), C(5, 3, 1, 2, "年度指标值"), C(5, 5, 2, 1, "实际完成值"),
        C(5, 6, 2, 1, "分值"), C(5, 7, 2, 1, "得分"), C(5, 8, 2, 1, "未完成原因分析"),
        C(6, 0, text="一级指标"), C(6, 1, text="二级指标"), C(6, 2, text="三级指标"),
        C(6, 3, text="指标值"), C(6, 4, text="度量单位"),
        *[C(7, i, text=t) for i, t in enumerate(["产出指标", "数量指标", "人数", "24", "人", "24", "30", "30", ""])],
        C(8, 0, 1, 6, "总分"), C(8, 6, text="100"), C(8, 7, text="30"), C(8, 8, text=""),
    ]  # fmt: skip
    [form] = map_forms([Grid(cells)], "two-row.xlsx")
    assert (form.goals.expected, form.goals.achieved) == ("目标文字", "完成文字")
    [ind] = form.indicators
    assert (ind.name, ind.target, ind.actual, ind.weight, ind.score) == (
        "人数",
        "24",
        "24",
        D("30"),
        D("30"),
    )
    assert ind.extras == {"度量单位": "人"}
    assert (form.total_weight, form.total_score) == (D("100"), D("30"))
    assert form.unmapped == []


@pytest.mark.parametrize(
    "goal_rows",
    [
        [["年度总体目标", "全年完成清扫保洁任务", _, _, _, _, _, _]],
        [["年度总体目标", _, _, _, _, _, _, _], ["全年完成清扫保洁任务", _, _, _, _, _, _, _]],
    ],
)
def test_a_single_goal_text_beside_or_below_its_label(goal_rows) -> None:
    rows = [
        ["项目支出绩效自评表", _, _, _, _, _, _, _],
        ["项目名称", "清扫保洁", _, _, _, _, _, _],
        *goal_rows,
        [*INDICATOR_HEADS, "得分", "偏差原因"],
        ["产出指标", "数量指标", "保洁面积", "10", "10", "30", "30", ""],
    ]
    [form] = map_forms([grid(rows)], "goal.xlsx")
    assert form.goals.expected == "全年完成清扫保洁任务"
    assert form.goals.achieved == ""
    assert form.indicators[0].name == "保洁面积"
    assert form.unmapped == []
    assert "年度总体目标" not in form.gaps[0]
