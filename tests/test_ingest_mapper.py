"""The label mapper's stages on their own: label classification on cells and rows, each
section builder on a small hand-made grid, the finish step; and, with Hypothesis, that
column order, extra columns and synonyms do not change the form read."""

# ruff: noqa: E501  (the grids are tables: one row per line reads best)

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.ingest.grid import Grid
from jixiao.ingest.mapper import funds, goals, header, indicators, map_forms, totals
from jixiao.ingest.mapper.draft import Draft, Row
from jixiao.ingest.mapper.finish import finish_form, leftover_row
from jixiao.ingest.mapper.labels import Role, label_of, row_roles
from jixiao.model import Unmapped

D = Decimal
_ = None  # a position covered by the merged cell to its left (or above)


def grid(rows, origin="表1", **kw) -> Grid:
    return Grid.from_rows(rows, origin=origin, **kw)


def roles(*texts: str) -> tuple[Role, ...]:
    return row_roles(tuple(label_of(t) for t in texts))


@dataclass
class Walk:
    """The smallest context a builder needs: a draft, and the forms it closed."""

    draft: Draft = field(default_factory=Draft)
    closed: list[Draft] = field(default_factory=list)

    def new_form(self) -> Draft:
        self.closed.append(self.draft)
        self.draft = Draft()
        return self.draft


def rows_of(g: Grid) -> list[Row]:
    return [Row.of(g, r) for r in g.row_numbers()]


# ------------------------------------------------------------------- label classification


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("项目名称", {"head": "project"}),
        ("主管部门及代码", {"head": "department"}),
        ("项目实施单位", {"head": "unit"}),
        ("项目类别", {"other_head": True}),
        ("项目资金（万元）", {"funds_block": True}),
        ("预算执行情况(万元)", {"funds_block": True}),
        ("年初预算数(A)", {"fund_column": "initial"}),
        ("调整后预算数", {"fund_column": "adjusted"}),
        ("全年执行数(B)", {"fund_column": "executed"}),
        ("执行率(B/A)", {"fund_column": "rate"}),
        ("其中：当年财政拨款", {"fund_row": "fiscal"}),
        ("本年财政拨款", {"fund_row": "fiscal"}),
        ("总额", {"fund_row": "total"}),
        ("单位资金", {"fund_row": None}),
        ("年度资金总额", {"fund_row": "total"}),
        ("年度总体目标", {"goals_block": True}),
        ("年初设定目标", {"goal_expected": True, "goal_achieved": False}),
        ("年度总体目标完成情况综述", {"goal_achieved": True, "goal_expected": False}),
        ("三级指标", {"indicator_column": "name"}),
        ("全年实际值(B)", {"indicator_column": "actual"}),
        ("未完成原因分析", {"indicator_column": "deviation"}),
        ("评分等级", {"grade": True, "total": False}),
        ("优秀", {"grade_value": True}),
        ("（2024年度）", {"year": 2024}),
        ("金额单位：元", {"amount_unit": "元"}),
        ("第 2 页 共 5 页", {"decoration": True}),
        ("附件2 财政项目支出绩效自评表", {"title": True}),
    ],
)
def test_what_a_cell_names(text: str, what: dict[str, object]) -> None:
    label = label_of(text)
    for name, value in what.items():
        assert getattr(label, name) == value, name


def test_one_label_may_name_several_parts() -> None:
    """分值 is a fund column and an indicator column; 合计 a fund row and the total."""
    weight = label_of("分值")
    assert (weight.fund_column, weight.indicator_column) == ("weight", "weight")
    total = label_of("合计")
    assert (total.fund_row, total.total) == ("total", True)
    assert label_of(" 项目\n名称： ").head == "project"  # whitespace, colons folded away
    assert label_of("").text == "" and label_of("  ").head is None


@pytest.mark.parametrize(
    ("cells", "first"),
    [
        (["财政项目支出绩效自评表"], Role.TITLE),
        (["（2023年度）"], Role.YEAR),
        (["单位：万元"], Role.AMOUNT_UNIT),
        (["-3-"], Role.DECORATION),
        ([""], Role.BLANK),
        (["项目名称", "工资福利"], Role.HEAD),
        (["主管部门", "d", "实施单位", "u"], Role.HEAD),
        (["项目类别", "新增"], Role.HEAD),
        (
            [
                "项目资金（万元）",
                "",
                "年初预算数",
                "全年预算数",
                "全年执行数",
                "分值",
                "执行率",
                "得分",
            ],
            Role.FUND_HEADER,
        ),
        (["年度总体目标", "预期目标", "实际完成情况"], Role.GOAL_HEADER),
        (
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            Role.INDICATOR_HEADER,
        ),
        (["绩效指标", "年度指标值", "实际完成值", "分值", "得分"], Role.INDICATOR_PRELUDE),
        (["总分", "", "100", "95"], Role.TOTAL),
        (["", "合计", "100"], Role.TOTAL),
        (["评分等级", "优"], Role.GRADE),
        (["序号", "项目名称", "一级指标", "二级指标", "三级指标", "分值"], Role.FLAT_LIST),
    ],
)
def test_what_a_row_may_be(cells: list[str], first: Role) -> None:
    assert roles(*cells)[0] is first


def test_rows_of_values_have_no_role_of_their_own() -> None:
    assert roles("产出指标", "数量指标", "保障人数", "24", "24", "30", "30", "") == ()
    assert roles("年度资金总额", "100", "100", "95", "10", "95%", "9.5") == ()
    # An indicator header is never a fund header, though it has 分值 and 得分.
    assert Role.FUND_HEADER not in roles("三级指标", "分值", "得分", "年初预算数", "全年执行数")
    assert roles("项目名称", "一级指标", "二级指标", "三级指标") == (Role.FLAT_LIST,)


# --------------------------------------------------------------------------- the builders


def test_header_builder_pairs_labels_and_values_and_keeps_other_fields() -> None:
    g = grid([
        ["项目名称", "工资福利", _, _],
        ["主管部门", "发改局", "实施单位", "发改局本级"],
        ["项目类别", "经常性", "联系电话", "12345"],
        ["主管部门", "实施单位", "x", _],
    ])  # fmt: skip
    walk = Walk()
    first, second, third, fourth = rows_of(g)
    assert header.head_row(walk, first) and header.head_row(walk, second)
    assert header.head_row(walk, third)
    form = walk.draft.form
    assert (form.project, form.department, form.unit) == ("工资福利", "发改局", "发改局本级")
    assert walk.draft.extras == {"项目类别": "经常性", "联系电话": "12345"}
    assert walk.draft.seen == {"project", "department", "unit"}
    # A label followed by a label has no value; the text after the second is its value.
    assert header.head_row(walk, fourth)
    assert (form.department, form.unit) == ("", "x")
    # Other head fields alone are read only in the head of a form.
    walk.draft.section = "indicators"
    assert not header.head_row(walk, third)


def test_a_second_project_name_starts_the_next_form() -> None:
    g = grid([["项目名称", "甲"], ["项目名称", "乙"]])
    walk = Walk()
    for row in rows_of(g):
        header.head_row(walk, row)
    assert [d.form.project for d in walk.closed] == ["甲"]
    assert walk.draft.form.project == "乙"


@pytest.mark.parametrize(
    ("text", "title", "year"),
    [
        ("附件2\n财政项目支出绩效自评表", "财政项目支出绩效自评表", None),
        ("项目支出绩效自评表（2024年度）", "项目支出绩效自评表", 2024),
        ("2023年度项目支出绩效自评表", "2023年度项目支出绩效自评表", 2023),
    ],
)
def test_title_text(text: str, title: str, year: int | None) -> None:
    assert header.title_text(text) == (title, year)


def test_funds_builder_reads_columns_by_label_in_any_order() -> None:
    g = grid([
        ["项目资金（元）", "", "得分", "全年执行数", "分值", "年初预算数", "原因"],
        [None, "年度资金总额", "9.5", "950", "10", "1,000", "进度慢"],
        [None, "其中：当年财政拨款", "-", "900", "-", "900", ""],
        [None, "单位资金", "-", "50", "-", "100", ""],
        [None, "总额", "-", "3", "-", "4", ""],
    ])  # fmt: skip
    walk = Walk()
    head, total, fiscal, own, again = rows_of(g)
    assert funds.fund_header(walk, head)
    form = walk.draft.form
    assert form.amount_unit == "元"
    assert set(walk.draft.fund_cols) == {"score", "executed", "weight", "initial"}
    assert set(walk.draft.fund_extra_cols) == {"原因"}
    for row in (total, fiscal, own, again):
        assert funds.fund_row(walk, row)
    t = form.funds.total
    assert (t.initial, t.adjusted, t.executed, t.weight, t.rate, t.score) == (
        D("1000"), None, D("950"), D("10"), None, D("9.5"),
    )  # fmt: skip
    assert t.extras == {"原因": "进度慢"}
    assert (form.funds.fiscal.initial, form.funds.fiscal.score) == (D("900"), None)
    assert form.funds.fiscal.extras == {"原因": ""}  # an empty cell is kept as written
    # Rows the model has no field for keep their values as written, by column.
    assert walk.draft.fund_extras["单位资金"] == {
        "score": "-", "executed": "50", "weight": "-", "initial": "100", "原因": "",
    }  # fmt: skip
    assert walk.draft.fund_extras["总额"]["initial"] == "4"


def test_funds_builder_a_value_that_is_not_a_number_is_a_gap_with_its_place() -> None:
    g = grid([["", "年初预算数", "全年执行数"], ["年度资金总额", "一百", "90"]], origin="表2")
    walk = Walk()
    head, row = rows_of(g)
    funds.fund_header(walk, head)
    funds.fund_row(walk, row)
    assert walk.draft.form.funds.total.initial is None
    assert walk.draft.form.funds.total.executed == D("90")
    assert walk.draft.form.gaps == ["表2第2行第2列：年初预算数“一百”不是数字，未读入"]
    assert walk.draft.unmapped == [("表2第2行第2列", "年初预算数：一百")]


def test_goals_builder_headings_with_text_below_and_a_label_with_text_beside() -> None:
    g = grid([
        ["年度总体目标", "预期目标", _, "实际完成情况"],
        [None, "目标一", _, "完成一"],
        [None, "目标二", _, "完成二"],
    ])  # fmt: skip
    walk = Walk()
    head, one, two = rows_of(g)
    assert goals.goal_header(walk, head)
    assert goals.goal_row(walk, one) and goals.goal_row(walk, two)
    assert walk.draft.goal_parts == {
        "expected": ["目标一", "目标二"],
        "achieved": ["完成一", "完成二"],
    }
    beside = Walk()
    [row] = rows_of(grid([["年度总体目标", "全年完成保洁任务"]]))
    assert goals.goal_header(beside, row)
    assert beside.draft.goal_parts == {"expected": ["全年完成保洁任务"]}


def test_indicator_builder_merged_levels_extra_columns_and_rows_that_only_continue() -> None:
    g = grid([
        ["一级指标", "二级指标", "三级指标", "度量单位", "年度指标值", "实际完成值", "分值", "得分", "偏差原因"],
        ["产出指标", "数量指标", "人数", "人", "24", "24", "30", "30", ""],
        [None, "质量指标", "合格率", "%", "≥95", "97", "20", "20", ""],
        [None, None, "", "", "", "", "", "", ""],
        ["效益指标", "社会效益指标", "满意度", "%", "≥90", "85", "50", "一半", "回访少"],
    ])  # fmt: skip
    walk = Walk()
    head, *body = rows_of(g)
    assert indicators.indicator_header(walk, head)
    assert [indicators.indicator_row(walk, row) for row in body] == [True, True, True, True]
    ind = walk.draft.form.indicators
    assert [(i.level1, i.level2, i.name) for i in ind] == [
        ("产出指标", "数量指标", "人数"),
        ("产出指标", "质量指标", "合格率"),
        ("效益指标", "社会效益指标", "满意度"),
    ]
    assert [i.extras for i in ind] == [{"度量单位": "人"}, {"度量单位": "%"}, {"度量单位": "%"}]
    assert (ind[1].target, ind[1].actual, ind[1].weight, ind[1].score) == (
        "≥95",
        "97",
        D("20"),
        D("20"),
    )
    assert (ind[2].score, ind[2].deviation) == (None, "回访少")
    assert walk.draft.form.gaps == ["表1第5行第8列：得分“一半”不是数字，未读入"]


def test_an_empty_level2_box_in_the_same_level1_takes_the_one_above_and_says_so() -> None:
    """A row's own 二级 box left empty (LibreOffice draws a merged 二级 cell a row short) in
    the 一级 of the row above is that row's 二级, with a gap naming the box; a row with no
    own level cell continues the merged cells above as before, without a gap."""
    g = grid([
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "人数", "24", "24", "30", "30"],
        [None, "", "场次", "≥8", "8", "10", "10"],
        [None, "质量指标", "合格率", "≥95", "97", "20", "20"],
        ["", "", "及时率", "100%", "100%", "40", "40"],
    ])  # fmt: skip
    walk = Walk()
    head, *body = rows_of(g)
    assert indicators.indicator_header(walk, head)
    assert all(indicators.indicator_row(walk, row) for row in body)
    assert [(i.level1, i.level2) for i in walk.draft.form.indicators] == [
        ("产出指标", "数量指标"),
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "质量指标"),
    ]
    assert walk.draft.form.gaps == [
        "表1第3行第2列：二级指标的格是空的，按上一行记为“数量指标”，请核对"
    ]


def test_indicator_prelude_only_before_the_table() -> None:
    [row] = rows_of(grid([["绩效指标", "年度指标值", "实际完成值", "分值"]]))
    walk = Walk()
    assert indicators.indicator_prelude(walk, row)
    walk.draft.section = "indicators"
    assert not indicators.indicator_prelude(walk, row)


def test_totals_builder_total_row_with_grade_and_a_grade_row() -> None:
    g = grid([
        ["三级指标", "分值", "得分"],
        ["总分", "100", "95.5"],
        ["评分等级", "良", _],
    ])  # fmt: skip
    head, total, grade = rows_of(g)
    walk = Walk()
    assert not totals.total_row(walk, total)  # in the head of a form, 总分 is not a total
    indicators.indicator_header(walk, head)
    assert totals.total_row(walk, total)
    assert (walk.draft.form.total_weight, walk.draft.form.total_score) == (D("100"), D("95.5"))
    assert totals.grade_row(walk, grade)
    assert walk.draft.form.grade == "良"
    assert walk.draft.section == "end" and {"total", "grade"} <= walk.draft.seen
    in_one = Walk()
    head, row = rows_of(grid([["三级指标", "分值", "得分", ""], ["合计", "100", "90", "优"]]))
    indicators.indicator_header(in_one, head)
    totals.total_row(in_one, row)
    assert (in_one.draft.form.total_score, in_one.draft.form.grade) == (D("90"), "优")


def test_total_numbers_not_under_the_weight_and_score_columns_are_a_gap() -> None:
    """A 总分 row whose numbers stand under other columns (a flattening that shifted them):
    the total is not read, and a gap says so (never a blank 总分 without a word)."""
    walk = Walk()
    head, row = rows_of(
        grid([["三级指标", "年度指标值", "分值", "得分"], ["总分", "100", "0", ""]])
    )
    indicators.indicator_header(walk, head)
    assert totals.total_row(walk, row)
    assert walk.draft.form.total_score is None
    assert walk.draft.form.gaps == [
        "表1第2行第1列：总分行的“100”不在分值 / 得分栏下，总分的分值 / 得分未读全"
    ]


def test_a_total_printed_apart_is_taken_only_where_the_sums_decide_it() -> None:
    """总分's numbers printed after its label among a page's 分值 / 得分 pairs (pdftotext's
    default mode): the last pair is 总分's when its 分值 and 得分 are the form's others
    added up (the rows read, the pairs before it, the 项目资金 分值 and 得分); else none."""
    from jixiao.model import FundRow, Funds, Indicator, SelfEvaluation

    def form() -> SelfEvaluation:
        rows = [Indicator(name="甲", weight=Decimal(50), score=Decimal("45.5"))]
        rows.append(Indicator(name="乙"))  # its pair printed after 总分
        total = FundRow(weight=Decimal(10), score=Decimal("9.75"))
        return SelfEvaluation(indicators=rows, funds=Funds(total=total))

    read = form()
    assert totals.total_by_sums(read, ["40.00", "38.00", "100.00", "93.25"])
    assert (read.total_weight, read.total_score) == (Decimal(100), Decimal("93.25"))
    for numbers in (
        ["40.00", "38.00", "100.00", "93.00"],  # 得分 not the sum
        ["40.00", "100.00", "38.00", "93.25"],  # the columns one after the other
        ["38.00", "100.00", "93.25"],  # not pairs
        ["100.00"],
    ):
        kept = form()
        assert not totals.total_by_sums(kept, numbers), numbers
        assert (kept.total_weight, kept.total_score) == (None, None)


def test_a_total_in_a_fund_block_without_indicators_is_a_fund_row() -> None:
    walk = Walk()
    walk.draft.section = "funds"
    [row] = rows_of(grid([["合计", "100", "90"]]))
    assert not totals.total_row(walk, row)


# ------------------------------------------------------------------------------ finishing


def test_finish_names_what_is_missing_keeps_extras_unmapped_and_the_pages() -> None:
    g = grid([["项目名称", "甲", "备注：无"], ["项目类别", "新增", _]], row_pages=[3, 4])
    walk = Walk()
    for row in rows_of(g):
        header.head_row(walk, row)
    form = finish_form(walk.draft, "a.pdf", 2)
    # 评分等级 too: a form cut off before its 总分 cannot tell whether one follows
    assert form.gaps == [
        "表中未找到：主管部门、实施单位、年度、项目资金、年度总体目标、绩效指标、总分、评分等级",
        # the layout is placed without the columns that tell most layouts apart
        "未找到绩效指标表，版式“项目支出绩效自评表（财预〔2020〕10号 附件1，全国通用）”"
        "只按表头和项目资金推定，请核对",
    ]
    assert form.layout == "national-2020"
    assert form.extras == {"项目类别": "新增"}
    assert form.unmapped == [Unmapped(place="表1第1行第3列", text="备注：无")]
    assert (form.source.file, form.source.page, form.source.end_page) == ("a.pdf", 3, 4)
    assert form.index == 2


def test_leftover_cells_are_kept_once_and_page_chrome_is_dropped() -> None:
    walk = Walk()
    text = Grid.text_line("第 1 页", origin="第1页")
    note = Grid.text_line("注：本表由单位填报", origin="第1页")
    for g in (text, note):
        leftover_row(walk.draft, rows_of(g)[0])
    assert walk.draft.unmapped == []  # nothing before the first form is kept
    walk.draft.started = True
    for g in (text, note, note):
        leftover_row(walk.draft, rows_of(g)[0])
    assert walk.draft.unmapped == [("第1页", "注：本表由单位填报")]


# ---------------------------------------------- the whole mapper: orders, extras, synonyms

SYNONYMS = {
    "project": ["项目名称", "项目全称"],
    "department": ["主管部门", "主管部门及代码", "预算部门"],
    "initial": ["年初预算数", "年初预算数(A)", "预算数"],
    "executed": ["全年执行数", "全年执行数(B)", "预算执行数", "实际支出数"],
    "weight": ["分值", "权重"],
    "score": ["得分"],
    "total": ["年度资金总额", "资金总额", "合计"],
    "fiscal": ["当年财政拨款", "其中：当年财政拨款", "本年财政拨款", "财政资金"],
    "expected": ["预期目标", "年初设定目标", "绩效目标"],
    "achieved": ["实际完成情况", "年度总体目标完成情况综述", "完成情况"],
    "name": ["三级指标", "指标名称"],
    "target": ["年度指标值", "指标值", "年度指标值(A)", "目标值"],
    "actual": ["实际完成值", "全年实际值(B)", "完成值"],
    "deviation": ["偏差原因分析及改进措施", "未完成原因分析", "原因"],
    "sum": ["总分", "合计"],
}
EXTRA_COLUMNS = ["指标性质", "度量单位", "佐证资料", "得分计算方法"]
INDICATORS = [
    ("产出指标", "数量指标", "培训人次", "≥200人次", "230人次", "20", "20", ""),
    ("产出指标", "质量指标", "合格率", "≥95%", "97%", "20", "18", "个别未达标"),
    ("效益指标", "社会效益指标", "覆盖率", "100%", "100%", "30", "30", ""),
    ("满意度指标", "服务对象满意度指标", "满意度", "≥90%", "93%", "30", "30", ""),
]
IND_KEYS = ["level1", "level2", "name", "target", "actual", "weight", "score", "deviation"]


@st.composite
def layouts(draw):
    """A form's grid: synonyms for every label, fund and indicator columns in any order,
    extra columns anywhere among them."""
    word = {key: draw(st.sampled_from(words)) for key, words in SYNONYMS.items()}
    fund_order = draw(st.permutations(["initial", "executed", "weight", "score"]))
    ind_order = ["level1", "level2", *draw(st.permutations(IND_KEYS[2:]))]
    extras = draw(st.lists(st.sampled_from(EXTRA_COLUMNS), unique=True, max_size=3))
    for extra in extras:
        ind_order.insert(draw(st.integers(3, len(ind_order))), extra)
    width = len(ind_order)
    fund_values = {
        "total": {"initial": "100", "executed": "95", "weight": "10", "score": "9.5"},
        "fiscal": {"initial": "80", "executed": "80", "weight": "-", "score": "-"},
    }
    fund_label = {"total": word["total"], "fiscal": word["fiscal"]}
    if fund_label["total"] == "合计" and word["sum"] == "合计":
        fund_label["total"] = "年度资金总额"
    label = {**word, "level1": "一级指标", "level2": "二级指标"}

    def pad(row, cover=""):
        return row + [cover] * (width - len(row))

    rows = [
        pad(["财政项目支出绩效自评表"], _),
        pad(["（2024年度）"], _),
        pad([word["project"], "职业技能培训"]),
        pad([word["department"], "人社局", "实施单位", "就业中心"]),
        pad(
            [
                "项目资金（万元）",
                "",
                *(SYNONYMS[k][0] if k == "score" else word[k] for k in fund_order),
            ]
        ),
        *(
            pad(["", fund_label[r], *(fund_values[r][k] for k in fund_order)])
            for r in ("total", "fiscal")
        ),
        pad(["年度总体目标", word["expected"], word["achieved"]]),
        pad(["", "完成培训任务", "已完成"]),
        [label.get(k, k) for k in ind_order],
    ]
    for ind in INDICATORS:
        values = dict(zip(IND_KEYS, ind, strict=True))
        rows.append([values.get(k, f"{k}·{ind[2]}") for k in ind_order])
    total_row = [""] * width
    total_row[0] = word["sum"]
    total_row[ind_order.index("weight")] = "100"
    total_row[ind_order.index("score")] = "98"
    rows.append(total_row)
    rows.append(pad(["评分等级", "优"]))
    return rows, extras


@given(layouts())
@settings(max_examples=150, deadline=None)
def test_synonyms_column_orders_and_extra_columns_read_the_same_form(layout) -> None:
    rows, extras = layout
    [form] = map_forms([grid(rows)], "any.xlsx")
    assert form.gaps == []
    assert (form.title, form.year, form.project, form.department) == (
        "财政项目支出绩效自评表", 2024, "职业技能培训", "人社局",
    )  # fmt: skip
    total, fiscal = form.funds.total, form.funds.fiscal
    assert (total.initial, total.executed, total.weight, total.score) == (
        D("100"),
        D("95"),
        D("10"),
        D("9.5"),
    )
    assert (fiscal.initial, fiscal.executed, fiscal.weight, fiscal.score) == (
        D("80"),
        D("80"),
        None,
        None,
    )
    assert (form.goals.expected, form.goals.achieved) == ("完成培训任务", "已完成")
    got = [
        (i.level1, i.level2, i.name, i.target, i.actual, str(i.weight), str(i.score), i.deviation)
        for i in form.indicators
    ]
    assert got == INDICATORS
    assert [i.extras for i in form.indicators] == [
        {e: f"{e}·{ind[2]}" for e in extras} for ind in INDICATORS
    ]
    assert (form.total_weight, form.total_score, form.grade) == (D("100"), D("98"), "优")
    assert form.unmapped == []


def test_a_unit_line_sets_the_amount_unit() -> None:
    """A "单位：元" line of its own (missed while colons were folded away before matching)."""
    rows = [["项目支出绩效自评表", _], ["单位：元", _], ["项目名称", "p"]]
    [form] = map_forms([grid(rows)], "unit.xlsx")
    assert form.amount_unit == "元" and form.unmapped == []
    assert label_of("（金额单位：万元）").amount_unit == "万元"
    assert label_of("填报单位：某某局").amount_unit is None
    assert label_of("实施单位").amount_unit is None
