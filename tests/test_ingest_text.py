"""The text importer against the hand-checked oracle of the nine seed forms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.generate import generate_forms
from jixiao.ingest import read_forms
from jixiao.ingest.text import parse_text
from jixiao.ingest.text_lines import split_lines
from jixiao.model import SelfEvaluation
from jixiao.textform import TextLayout, write_forms

from .conftest import SEED_TEXT
from .forms import assert_same_form, differences, squash


@pytest.fixture(scope="module")
def seed_forms() -> list[SelfEvaluation]:
    return read_forms(SEED_TEXT)


def test_seed_reads_all_nine_forms_and_hundred_indicators(seed_forms, oracle_forms):
    assert len(seed_forms) == 9
    assert sum(len(f.indicators) for f in seed_forms) == 100
    assert [f.project for f in seed_forms] == [f.project for f in oracle_forms]
    assert all(not f.gaps for f in seed_forms)


@pytest.mark.parametrize("n", range(9))
def test_seed_form_equals_oracle(seed_forms, oracle_forms, n):
    assert_same_form(seed_forms[n], oracle_forms[n])
    assert seed_forms[n].index == oracle_forms[n].index == n + 1


def test_seed_source_spans(seed_forms):
    spans = [(f.source.start_line, f.source.end_line) for f in seed_forms]
    assert spans[0] == (2, 176)
    assert spans[-1] == (1396, 1558)
    assert all(f.source.file == str(SEED_TEXT) for f in seed_forms)
    lines = SEED_TEXT.read_text(encoding="utf-8").splitlines()
    for start, end in spans:
        assert lines[start - 1] == "财政项目支出绩效自评表"
        assert lines[end - 1].startswith("评分等级")


def test_seed_hard_cells(seed_forms):
    """The places the seed wraps or breaks across pages, checked one by one."""
    f1, f2, f4, f7 = seed_forms[0], seed_forms[1], seed_forms[3], seed_forms[6]
    assert f1.funds.total.initial == Decimal("1245.54")
    assert f1.funds.fiscal.weight is None and f1.funds.fiscal.rate == Decimal("85.25")
    assert f1.indicators[0].target == "不超预算额度"
    assert f1.indicators[5].name == "城运中心信息员服务质量考核达标率"
    assert f1.indicators[8].target == "30分钟内到场"
    assert f1.indicators[10].level2 == "可持续影响指标"  # label continued after a page break
    assert f2.indicators[-1].level1 == "满意度指标"
    assert f2.indicators[-1].level2 == "服务对象满意度指标"
    assert f2.indicators[-1].name == "演练、集训轮训人员满意度"
    assert f4.indicators[9].name == "“一网统管”系统常态化运维机制"
    assert f4.goals.expected.endswith("内容。") and f4.goals.achieved.startswith("全年已经")
    assert squash(f7.indicators[1].target) == "按《嘉定区全勤网格评价工作方案》的工作要求"
    assert squash(f7.indicators[10].target) == "2024年10月"  # "月" after the page break
    assert f7.funds.other.executed == Decimal("67.37")


def test_crlf_and_text_api_agree(seed_forms):
    text = SEED_TEXT.read_text(encoding="utf-8")
    again = parse_text(text.replace("\n", "\r\n"), "x.txt")
    for a, b in zip(again, seed_forms, strict=True):
        assert_same_form(a, b)
        assert a.source.start_line == b.source.start_line


# -- page chrome and text without blank lines (as ``pdftotext -raw`` prints a PDF) ---------

HEADER_AS_PRINTED = [
    "一级",
    "指标",
    "二级",
    "指标",
    "三级指标 年度指标值 实际完成值 分值 得分",
    "偏差原因分析",
    "及改进措施",
]


def with_page_chrome(text: str) -> str:
    """The seed as a printed PDF comes out of pdftotext: a page number at the foot of each
    page, a form feed, and the table header again at the top of a continuation page."""
    out: list[str] = []
    blank = 0
    for line in text.split("\n"):
        if not line.strip():
            blank += 1
            out.append(line)
            continue
        if blank >= 3:  # the seed's page break
            out[-blank] = "第 1 页 共 2 页"
            if line == "财政项目支出绩效自评表":
                line = "\f" + line
            else:
                out += ["\f" + HEADER_AS_PRINTED[0], *HEADER_AS_PRINTED[1:]]
        blank = 0
        out.append(line)
    return "\n".join(out)


def test_seed_with_page_numbers_and_repeated_headers(oracle_forms):
    text = with_page_chrome(SEED_TEXT.read_text(encoding="utf-8"))
    assert text.count("第 1 页 共 2 页") >= 15 and text.count("\f一级") >= 5
    forms = parse_text(text, "printed.txt")
    assert len(forms) == len(oracle_forms)
    for got, want in zip(forms, oracle_forms, strict=True):
        assert_same_form(got, want)
        assert not got.gaps
    lines = text.split("\n")
    for form in forms:
        assert lines[form.source.start_line - 1].strip() == "财政项目支出绩效自评表"
        assert lines[form.source.end_line - 1].startswith("评分等级")


def test_page_number_lines_go_and_leave_a_page_break():
    text = "甲\r\n第 1 页 共 2 页\r\n\f乙 第 2 页\r\n第3页/共9页\r\nPage 4 of 9\r\n丙\r\n"
    lines, _ = split_lines(text)
    assert [(ln.no, ln.text) for ln in lines] == [(1, "甲"), (3, "乙 第 2 页"), (6, "丙")]
    assert lines[1].blank >= 2 and lines[2].blank >= 2


def test_a_page_number_at_a_page_foot_goes_when_it_counts_the_pages():
    # "-1-" / "2/3" printed at the foot of a page, before its form feed: page chrome; a
    # number that does not count the pages in order, or is not at a page's foot, stays
    text = "甲\n-1-\n\f乙\n2/3\n\f丙\n-7-\n\f丁\n-4-\n戊\n"
    assert [ln.text for ln in split_lines(text)[0]] == ["甲", "乙", "丙", "-7-", "丁", "-4-", "戊"]


def test_deviation_without_blank_lines_ends_before_labels_and_the_next_row():
    """Without blank lines between cells the 偏差原因 cell ends where its last line had room
    for the next line's first piece: before a 一级 / 二级 label, before the next row."""
    forms = generate_forms(120, seed=11)
    assert sum(1 for f in forms if any(r.deviation for r in f.indicators)) >= 30
    for layout in (TextLayout(page_lines=10**6), TextLayout(page_lines=10**6, deviation_width=30)):
        text = write_forms(forms, layout)
        text = "\n".join(line for line in text.split("\n") if line.strip())
        got = parse_text(text, "raw.txt")
        assert len(got) == len(forms)
        for g, w in zip(got, forms, strict=True):
            table = [d for d in differences(g, w) if d.startswith("indicators")]
            assert table == [], w.project


# 湖北's goals in pdftotext -raw of jixiao's PDF (generated seed 123 / 125): the PDF breaks no
# line on either side of a quotation mark (UAX #14), so the character before “ went down
# with it and the line above is short by more than that character: still full
GOALS_BEFORE_A_QUOTE = [
    (
        [
            "根据嘉府办发〔2022〕5号文《嘉定区关于进一步加强市容",
            "环境整治工作的实施意见》的工作要求，为提",
            "高“12345”热线诉求解决能力，将聘用联勤队员开展街面",
            "巡查，对服务质量进行考核，保障“路长制”的良好运行。",
        ],
        [
            "全年已聘用联勤队员开展街面巡查，对服务质量进行考核，进",
            "一步提高“12345”热线诉求解决能力，项目按计划实施，市容",
            "环境整治工作取得预期成效。因实际需求变化，部分资金未能",
            "按预算执行。",
        ],
    ),
    (
        [
            "为创建“整洁、美观、文明、有序”的城市环境面貌，将对",
            "服务质量进行考核，开展违法建筑专项整治，提升城市精细",
            "化管理水平。确保网格巡查各项工作按计划高质量完成。",
        ],
        [
            "全年已对服务质量进行考核，开展违法建筑专项整治，创",
            "建“整洁、美观、文明、有序”的城市环境面貌，网格巡查工",
            "作质量稳步提升，服务对象满意度较高。因实际需求变化，部",
            "分资金未能按预算执行。",
        ],
    ),
]


@pytest.mark.parametrize(("expected", "achieved"), GOALS_BEFORE_A_QUOTE)
def test_goals_part_where_a_line_had_no_room_for_a_quoted_piece(expected, achieved):
    from jixiao.ingest.text_lines import Line
    from jixiao.ingest.text_wraps import split_goals

    lines = [Line(no, text, 0) for no, text in enumerate([*expected, *achieved], 1)]
    assert split_goals(lines) == len(expected)


def test_a_quoted_piece_is_measured_with_what_stands_on_both_sides_of_its_marks():
    from jixiao.ingest import vocabulary as V

    assert V.quoted_head("高“12345”热线") == "高“12345”热"
    assert V.quoted_head("建“整洁、美观") == "建“整"
    assert V.quoted_head("制”的良好") == "制”的"
    assert V.quoted_head("高效") == "高"
    assert V.first_unit_width("高“12345”热线") == 2  # the text writer's: it breaks before “
    assert V.first_piece_width("高“12345”热线") == 13
    assert V.first_piece_width("高效") == 2


@pytest.mark.parametrize(
    "head",
    [
        # pdftotext -raw: the label wrapped in its cell, its tail on the next line
        ["主管部门及", "代码", "顾村镇 实施单位 上海市宝山区顾村镇农业服务中心"],
        # -layout: the tail printed under the value's line
        ["主管部门及", "顾村镇 实施单位 上海市宝山区顾村镇农业服务中心", "代码"],
        # the whole label on the value's line
        ["主管部门及代码 顾村镇 实施单位 上海市宝山区顾村镇农业服务中心"],
    ],
)
def test_a_longer_department_label_is_not_read_into_its_value(head):
    """北京's 主管部门及代码: the label's tail (及代码), however it wraps, is the label's."""
    title = ["财政项目支出绩效自评表", "（2022年度）", "项目名称 动物疫病防控经费"]
    text = "\n".join([*title, *head, "项目资金（元）"])
    [form] = parse_text(text + "\n")
    assert (form.department, form.unit) == ("顾村镇", "上海市宝山区顾村镇农业服务中心")


def test_an_indicator_header_with_columns_beyond_the_seeds_is_a_gap_not_misread_rows():
    """pdftotext -raw of 河北's table: 权重占比 and 单项指标折算得分 after 得分, wrapped a
    piece a line. The fast reader places a row's words by the seed's columns only, so such
    a table is a gap naming the column, and no row is read into the wrong columns."""
    head = ["财政项目支出绩效自评表", "（2022年度）", "项目名称 甲", "主管部门 乙 实施单位 丙"]
    table = [
        *("一级", "指标", "二级", "指标"),
        "三级指标 年度指标值 实际完成值 指标分值",
        *("单项指标得", "分", "权重占", "比", "单项指", "标折算", "得分"),
        *("成本", "指标", "经济", "成本", "指标"),
        "农田水利设施建设经费支出 按合同约定 达成指标 5.00 5.00 5.00 0.25",
        "总分 100.00 93.77",
    ]
    [form] = parse_text("\n".join([*head, *table]) + "\n")
    assert form.indicators == []
    assert any("权重占比" in g and "绩效指标未读入" in g for g in form.gaps)
    assert (form.total_weight, form.total_score) == (Decimal("100.00"), Decimal("93.77"))


def test_a_level1_weight_wrapped_under_its_label_is_the_labels():
    """pdftotext -raw of 湖北's table: 成本指标(10分) printed a piece a line (成本 / 指标 /
    (10 / 分)). The weight's pieces are no cells of a row: the rows keep their columns and
    the weight is read into the form's 一级 weights."""
    head = ["财政项目支出绩效自评表", "（2022年度）", "项目名称 甲", "主管部门 乙 实施单位 丙"]
    table = [
        *("一级", "指标", "二级", "指标"),
        "三级指标 年度指标值 实际完成值 分值 得分",
        *("偏差原因分析", "及改进措施"),
        *("成本", "指标", "(10", "分)", "经济", "成本", "指标"),
        "高标准农田建设经费支出 不超预算额度 达成指标 5.00 5.00",
        "农田水利设施建设经费支出 不超预算总额 已完成 5.00 5.00",
        *("产出", "指标", "(35", "分)", "数量", "指标"),
        "建设高标准农田面积 不少于7700亩 8008亩 35.00 35.00",
        "总分 100.00 93.77",
    ]
    [form] = parse_text("\n".join([*head, *table]) + "\n")
    got = [(i.level1, i.level2, i.name, i.target, i.actual) for i in form.indicators]
    assert got == [
        ("成本指标", "经济成本指标", "高标准农田建设经费支出", "不超预算额度", "达成指标"),
        ("成本指标", "经济成本指标", "农田水利设施建设经费支出", "不超预算总额", "已完成"),
        ("产出指标", "数量指标", "建设高标准农田面积", "不少于7700亩", "8008亩"),
    ]
    assert [(w.label, w.weight) for w in form.level1_weights] == [
        ("成本指标", Decimal("10")),
        ("产出指标", Decimal("35")),
    ]


def test_a_whole_date_printed_spaced_is_one_cell():
    """LibreOffice's -raw text spaces each run of another font: "2023 年 8 月" is one cell;
    a date cut by a page break or a wrap ("2024年 10" … "月") is not whole, and stays."""
    from jixiao.ingest.text_indicators import _tokens

    line = "社会组织培育完成时间 2023 年 8 月 2023 年 7 月 31 日 4.00 4.00"
    assert _tokens(line) == ["社会组织培育完成时间", "2023年8月", "2023年7月31日", "4.00", "4.00"]
    assert _tokens("2024年 10") == ["2024年", "10"]
    assert _tokens("492071.45 元 5.00") == ["492071.45元", "5.00"]


def test_a_deviation_printed_under_its_row_before_a_whole_row_is_that_rows():
    """LibreOffice's -raw text of a Word file prints a row's 偏差原因 under it; the next row,
    all its cells on its own line, is not made of those lines."""
    head = ["财政项目支出绩效自评表", "（2022年度）", "项目名称 甲", "主管部门 乙 实施单位 丙"]
    table = [
        "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施",
        "满意度指标 服务对象满意度指标",
        "社区居民满意度 ≥95.00(%) 84.60(%) 5.00 4.45",
        "因年中预算调整，社",
        "区居民满意度未达到",
        "年初目标。",
        "服务对象满意度 ≥85.00(%) 91.00(%) 5.00 5.00",
        "总分 10.00 9.45",
    ]
    [form] = parse_text("\n".join([*head, *table]) + "\n")
    first, second = form.indicators
    assert first.deviation == "因年中预算调整，社区居民满意度未达到年初目标。"
    want = ("服务对象满意度", "≥85.00(%)", "91.00(%)")
    assert (second.name, second.target, second.actual) == want
    assert second.deviation == ""


def test_an_added_fund_column_is_read_into_the_rows_extras():
    """pdftotext -raw of 北京's and 河北's fund block: the added column's label wrapped under
    the header (得分计 / 算方法; 总体完 / 成率), its text under the row's numbers, before the
    next row's label, or its number after 得分."""
    head = ["财政项目支出绩效自评表", "（2022年度）", "项目名称 甲", "主管部门 乙 实施单位 丙"]
    funds = [
        "项目资金",
        "（元）",
        "年初预算数 全年预算数 全年执行数 分数 执行率(%) 得分",
        *("得分计", "算方法"),
        "年度资金总额： 1304215.90 - 492071.45 10.00 37.73 3.77",
        *("全年执", "行数/年", "初预算", "数×10"),
        "其中：当年财政拨款 1198445.14 - 492071.45 - 41.06 -",
        "上年结转资金 0.00 - 0.00 - 0.00 -",
        "其他资金 105770.76 - 0.00 - 0.00 -",
    ]
    [form] = parse_text("\n".join([*head, *funds]) + "\n")
    assert form.funds.total.extras == {"得分计算方法": "全年执行数/年初预算数×10"}
    assert form.funds.total.score == Decimal("3.77") and form.funds.fiscal.extras == {}
    assert not [g for g in form.gaps if "项目资金" in g]
    funds[3:5] = ["总体完", "成率"]
    funds[5] = funds[5] + " 87%"
    del funds[6:10]
    [form] = parse_text("\n".join([*head, *funds]) + "\n")
    assert form.funds.total.extras == {"总体完成率": "87%"}
    assert form.funds.total.score == Decimal("3.77") and form.funds.other.extras == {}


def test_another_layouts_head_labels_and_fund_rows_are_read():
    """pdftotext -raw of jixiao's PDF of a 部门整体 and a 转移支付 form: 部门（单位）名称
    wrapped in its cell (部门（单 / 位）名称), 地方主管部门 for 实施单位, 财政拨款 / 本年财政拨款
    for 当年财政拨款, and the rows a layout adds (基本支出, 中央补助 …) into ``funds.extras``
    by their label: the layout's words, as the declarations give them."""
    funds = [
        "项目资金",
        "（元）",
        "年初预算数 全年预算数 全年执行数 分数 执行率(%) 得分",
        "年度资金总额： 1304215.90 1304215.90 492071.45 10.00 37.73 3.77",
        "财政拨款 1198445.14 1198445.14 492071.45 - 41.06 -",
        "上年结转资金 - - - - - -",
        "其他资金 105770.76 105770.76 0.00 - 0.00 -",
        "基本支出 652107.95 652107.95 246035.73 - 37.73 -",
    ]
    head = ["财政项目支出绩效自评表", "（2022年度）", "部门（单", "位）名称", "动物疫病防控经费"]
    head.append("主管部门 顾村镇 实施单位")
    [form] = parse_text("\n".join([*head, *funds]) + "\n")
    assert (form.project, form.department, form.unit) == ("动物疫病防控经费", "顾村镇", "")
    assert form.funds.fiscal.executed == Decimal("492071.45")
    [(label, row)] = form.funds.extras.items()
    assert (label, row.initial, row.executed, row.rate) == (
        "基本支出",
        Decimal("652107.95"),
        Decimal("246035.73"),
        Decimal("37.73"),
    )
    assert not [g for g in form.gaps if "项目资金" in g or "项目名称" in g]
    head[2:5] = ["项目名称 动物疫病防控经费"]
    head[-1] = "主管部门 顾村镇 地方主管部门 上海市宝山区顾村镇农业服务中心"
    funds[4] = "本年财政拨款" + funds[4].removeprefix("财政拨款")
    funds[-1] = "中央补助 - 782529.54 295242.87 - 37.73 -"
    [form] = parse_text("\n".join([*head, *funds]) + "\n")
    assert (form.department, form.unit) == ("顾村镇", "上海市宝山区顾村镇农业服务中心")
    assert form.funds.fiscal.executed == Decimal("492071.45")
    assert list(form.funds.extras) == ["中央补助"]
    assert form.funds.extras["中央补助"].adjusted == Decimal("782529.54")
    assert not [g for g in form.gaps if "项目资金" in g or "实施单位" in g]


def test_a_deviation_header_wrapped_over_lines_and_repeated_is_no_row():
    """pdftotext -raw of 转移支付's table: 未完成原因及拟采取 / 的改进措施 (its first line alone
    a 偏差原因 label too) is the header's, whole; the header printed again at the top of the
    next page is no row's text."""
    head = ["财政项目支出绩效自评表", "（2022年度）", "项目名称 甲", "主管部门 乙 实施单位 丙"]
    header = [
        *("一级", "指标", "二级", "指标"),
        "三级指标 年度指标值 全年实际值 分值 得分",
        *("未完成原因及拟采取", "的改进措施"),
    ]
    table = [
        *header,
        *("成本", "指标", "经济", "成本", "指标"),
        "农田水利设施建设经费支出 按合同约定 达成指标 5.00 5.00",
        "\f" + header[0],
        *header[1:],
        "项目总成本 不高于100元 90元 5.00 5.00",
        "总分 10.00 10.00",
    ]
    [form] = parse_text("\n".join([*head, *table]) + "\n")
    got = [(i.level1, i.level2, i.name, i.target, i.actual) for i in form.indicators]
    assert got == [
        ("成本指标", "经济成本指标", "农田水利设施建设经费支出", "按合同约定", "达成指标"),
        ("成本指标", "经济成本指标", "项目总成本", "不高于100元", "90元"),
    ]
    assert [i.deviation for i in form.indicators] == ["", ""]
    assert not [g for g in form.gaps if "指标" in g]


METHOD = ("完成值", "达到指", "标值记", "满分，", "未达到", "按B/", "A×分", "值记分")


def test_text_columns_before_the_weight_are_read_where_the_widths_decide():
    """pdftotext -raw of 北京's table (jixiao's PDF): 得分计算方法 between 实际完成值 and 分值,
    wrapped a few characters a line in every row. A row's cells come in column order, each
    cell's lines together, the cells of one line on one line: the rows those facts and the
    columns' widths leave one reading of are read, 得分计算方法 into ``extras``; a wrapped
    年度指标值 before a one-line 实际完成值 (不高于 / 1304215.90 / 元 / 492071.45元) can be
    parted two ways: those cells are a gap naming them and their text, not a guess, and the
    三级指标 every reading agrees on is read."""
    head = ["财政项目支出绩效自评表", "（2022年度）", "项目名称 甲", "主管部门 乙 实施单位 丙"]
    table = [
        *("一级", "指标", "二级", "指标"),
        "三级指标 年度指标值 全年实际值",
        *("得分计", "算方法"),
        "分值 得分 未完成原因分析",
        *("成本", "指标", "经济", "成本", "指标"),
        "农田水利设施建设经费支出 按合同约定 达成指标",
        *METHOD,
        "5.00 5.00",
        *("项目总成本", "不高于", "1304215.90", "元", "492071.45元"),
        *METHOD,
        "5.00 5.00",
        *("产出", "指标", "数量", "指标"),
        "动物防疫社会影响 积极",
        *("达成年度指", "标"),
        *METHOD,
        "10.00 10.00",
        "总分 20.00 20.00",
    ]
    [form] = parse_text("\n".join([*head, *table]) + "\n")
    method = "".join(METHOD)
    got = [(i.level1, i.name, i.target, i.actual, i.weight, i.extras) for i in form.indicators]
    assert got == [
        ("成本指标", "农田水利设施建设经费支出", "按合同约定", "达成指标", Decimal("5.00"),
         {"得分计算方法": method}),
        ("成本指标", "项目总成本", "", "", Decimal("5.00"), {}),
        ("产出指标", "动物防疫社会影响", "积极", "达成年度指标", Decimal("10.00"),
         {"得分计算方法": method}),
    ]  # fmt: skip
    [gap] = [g for g in form.gaps if "指标" in g]
    assert gap == (
        "第28行：绩效指标行“项目总成本”的格折行印出，按文字的先后和各栏的宽度分不出各格所在的栏"
        "（年度指标值、实际完成值、得分计算方法），这几栏未读入，其文字依次为："
        "不高于1304215.90元492071.45元" + method
    )


def test_an_empty_text_column_is_told_by_the_count_of_cells():
    """湖北's 改进措施及结果应用方案, one added column, empty in the rows without a 偏差原因: three
    cells are the seed's three (never empty), four are all of them."""
    from jixiao.ingest.text_columns import read_rows

    rows = [
        (
            [
                "社区助餐长效管理机制 健全",
                "部分达成指",
                "标",
                "加强过",
                "程管",
                "理，下",
                "年度按",
                "时完成",
            ],
            [],
        ),
        (["救助资金发放经费支出", "不超预算额", "度"], ["达成指标"]),
        ([], ["培育社会组织数量", "≥4.00(个)", "4.00(个)"]),
    ]
    assert read_rows(rows, ("改进措施及结果应用方案",)) == [
        ["社区助餐长效管理机制", "健全", "部分达成指标", "加强过程管理，下年度按时完成"],
        ["救助资金发放经费支出", "不超预算额度", "达成指标", ""],
        ["培育社会组织数量", "≥4.00(个)", "4.00(个)", ""],
    ]
    # two added columns and one cell beyond the seed's: which is empty is not told by the
    # count (the columns' words may tell it: below)
    assert read_rows([([], ["甲", "乙", "丙", "丁"])], ("指标赋分规则", "佐证资料")) == [None]


def test_what_an_added_column_may_hold_tells_which_is_empty():
    """四川's 定性 rows (jixiao's PDF, -raw; layout sichuan, seed 3): 指标性质 and 度量单位 after
    实际完成值, four cells for five columns. 指标性质 holds an operator (≥ ≤ = 定性 …) and a
    度量单位 never one, so 定性 is the 指标性质 and the 度量单位 is empty; a unit (%) is the
    度量单位. A text either column may hold leaves the row unread."""
    from jixiao.ingest.text_columns import read_rows

    labels = ("指标性质", "度量单位")
    assert read_rows([([], ["甲", "乙", "丙", "定性"])], labels) == [["甲", "乙", "丙", "定性", ""]]
    assert read_rows([([], ["甲", "乙", "丙", "≥"])], labels) == [["甲", "乙", "丙", "≥", ""]]
    assert read_rows([([], ["甲", "乙", "丙", "%"])], labels) == [["甲", "乙", "丙", "", "%"]]
    assert read_rows([([], ["甲", "乙", "丙", "=", "%"])], labels) == [["甲", "乙", "丙", "=", "%"]]
    assert read_rows([([], ["甲", "乙", "丙", "5"])], labels) == [None]  # (neither holds it)


SICHUAN_HEADER = (
    *("一级", "指标", "二级", "指标"),
    "三级指标 指标值 完成值",
    *("指标性", "质", "度量单", "位"),
    "权重 得分 未完成原因分析",
)


def test_sichuan_rows_of_a_qualitative_target_are_read():
    """pdftotext -raw of 四川's table (jixiao's PDF; layout sichuan, seed 3, 动物疫病防控经费):
    a 定性 row prints four cells for its five text columns, and a wrapped 指标值 (不高于 /
    1304215.90 / 元) before a one-line 完成值 is read once the other rows have told the
    columns' widths. Before, every such row was a gap (分不出各格所在的栏)."""
    head = ["财政项目支出绩效自评表", "（2022年度）", "项目名称 甲", "主管部门 乙 实施单位 丙"]
    table = [
        *SICHUAN_HEADER,
        *("成本", "指标", "经济", "成本", "指标"),
        "农田水利设施建设经费支出 按合同约定 达成指标 定性 5.00 5.00",
        *("项目总成本", "不高于", "1304215.90", "元"),
        "492071.45元 定性 5.00 5.00",
        *("产出", "指标", "质量", "指标"),
        "农技推广验收合格率 100 100% = % 5.00 5.00",
        *("时效", "指标"),
        "高标准农田建设办理时限 5 已完成 =",
        *("个工作", "日"),
        "5.00 5.00",
        "总分 20.00 20.00",
    ]
    [form] = parse_text("\n".join([*head, *table]) + "\n")
    got = [(i.name, i.target, i.actual, i.extras) for i in form.indicators]
    assert got == [
        ("农田水利设施建设经费支出", "按合同约定", "达成指标", {"指标性质": "定性"}),
        ("项目总成本", "不高于1304215.90元", "492071.45元", {"指标性质": "定性"}),
        ("农技推广验收合格率", "100", "100%", {"指标性质": "=", "度量单位": "%"}),
        ("高标准农田建设办理时限", "5", "已完成", {"指标性质": "=", "度量单位": "个工作日"}),
    ]
    assert not [g for g in form.gaps if "指标" in g]


def test_number_columns_after_the_score_are_read_into_each_row():
    """pdftotext -raw of 河北's indicator table: 权重占比 and 单项指标折算得分 after 得分, their
    labels wrapped a piece a line under the header, printed again on the next page; each row's
    four numbers side by side, then its 偏差原因."""
    head = ["财政项目支出绩效自评表", "（2022年度）", "项目名称 甲", "主管部门 乙 实施单位 丙"]
    header = [
        *("一级", "指标", "二级", "指标"),
        "三级指标 年度指标值 实际完成值 指标分值",
        *(
            "单项指标",
            "得分",
            "权重占",
            "比",
            "单项指",
            "标折算",
            "得分",
            "偏差原因分析",
            "及改进措施",
        ),
    ]
    table = [
        *header,
        *("产出", "指标", "数量", "指标"),
        "督导检查次数 不少于35次 36次 15.00 15.00 15.00 2.25",
        "宣传活动场次 不少于11场 10场 10.00 9.00 10.00 0.90 因故少办",
        "一场。",
        "",
        "",
        *header,
        "项目总成本",
        "不高于",
        "1304215.90",
        "元",
        "492071.45元 5.00 5.00 5.00 0.25",
        "总分 30.00 29.00",
    ]
    [form] = parse_text("\n".join([*head, *table]) + "\n")
    assert not [g for g in form.gaps if "指标" in g], form.gaps
    rows = [
        (i.name, i.target, i.actual, i.weight, i.score, i.share, i.adjusted_score, i.deviation)
        for i in form.indicators
    ]
    d = Decimal
    assert rows == [
        ("督导检查次数", "不少于35次", "36次", d("15.00"), d("15.00"), d("15.00"), d("2.25"), ""),
        (
            "宣传活动场次",
            "不少于11场",
            "10场",
            d("10.00"),
            d("9.00"),
            d("10.00"),
            d("0.90"),
            "因故少办一场。",
        ),
        (
            "项目总成本",
            "不高于1304215.90元",
            "492071.45元",
            d("5.00"),
            d("5.00"),
            d("5.00"),
            d("0.25"),
            "",
        ),
    ]
    assert {i.level2 for i in form.indicators} == {"数量指标"}
    # another column beside them (得分计算方法) is still not read by the order of the words
    table[5:6] = ["得分计", "算方法", "单项指标"]
    [form] = parse_text("\n".join([*head, *table]) + "\n")
    assert not form.indicators and any("绩效指标表有栏目" in g for g in form.gaps)


def _assert_built_alike(fast: object, validated: object, where: str = "form") -> None:
    """The same object, down to what ``==`` does not look at: each model's type, fields
    set, extra fields and the order of its fields, each value's type (a ``Decimal`` with
    its exponent, not a string)."""
    assert type(fast) is type(validated), where
    if isinstance(fast, SelfEvaluation.__mro__[1]):  # OpenModel
        assert list(fast.__dict__) == list(validated.__dict__), where
        assert fast.model_fields_set == validated.model_fields_set, where
        assert fast.__pydantic_extra__ == validated.__pydantic_extra__ == {}, where
        for name, value in fast.__dict__.items():
            _assert_built_alike(value, validated.__dict__[name], f"{where}.{name}")
    elif isinstance(fast, list | dict):
        assert len(fast) == len(validated), where
        pairs = (
            zip(fast, validated, strict=True)
            if isinstance(fast, list)
            else ((fast[k], validated[k]) for k in fast)
        )
        for k, (a, b) in enumerate(pairs):
            _assert_built_alike(a, b, f"{where}[{k}]")
    else:
        assert fast == validated and str(fast) == str(validated), where


def test_the_fast_reader_builds_each_form_as_validation_would(monkeypatch, oracle_forms):
    """The seed's reader builds its forms from values it typed and checked at once, not
    through validation object by object (:meth:`OpenModel.from_checked`): each form is the
    one ``model_validate`` makes of the same values — the seed, generated forms at several
    text layouts, forms with gaps (values left out or empty)."""
    from jixiao.ingest import text

    built: list[SelfEvaluation] = []
    typed = text._Draft._typed

    def both(draft):
        fast = typed(draft)
        assert fast is not None
        _assert_built_alike(fast, draft.validated())
        built.append(fast)
        return fast

    monkeypatch.setattr(text._Draft, "_typed", both)
    seed = SEED_TEXT.read_text(encoding="utf-8")
    texts = [seed, seed[: len(seed) // 2], seed.replace("总分", "合计").replace("-", "")]
    forms = generate_forms(40, seed=7)
    texts += [write_forms(forms[k : k + 10], TextLayout(thousands=k > 10)) for k in (0, 10)]
    texts.append(write_forms(forms[20:], TextLayout(name_width=20, page_lines=30)))
    read = [f for t in texts for f in parse_text(t, "x.txt")]
    assert len(built) == len(read) >= 9 + 40
    assert any(f.gaps for f in read) and any(not f.gaps for f in read)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("江桥镇", "江\x01桥镇", r"department: 含不允许的控制字符 U\+0001"),
        (
            "10.00 10.00",
            "10.00 1." + "0" * 44 + "1",
            r"indicators\[0\]\.score: 数字有 46 位有效数字",
        ),
    ],
)
def test_a_value_the_model_refuses_is_named_as_validation_names_it(old, new, message):
    """A value the fast reader's one test does not pass is validated, which names it."""
    from jixiao.ingest import IngestError, read_text

    text = SEED_TEXT.read_text(encoding="utf-8").replace(old, new, 1)
    with pytest.raises(IngestError, match=message):
        read_text(text, "x.txt")


def test_the_limits_in_force_are_those_the_fast_reader_checks_against():
    """Lowered limits refuse what validation refuses, with its words, all of it named."""
    from jixiao import limits
    from jixiao.ingest import IngestError, read_text

    text = SEED_TEXT.read_text(encoding="utf-8")
    with limits.use(max_number_digits=4, max_text_chars=60), pytest.raises(IngestError) as refused:
        read_text(text, "x.txt")
    assert str(refused.value).startswith(
        "x.txt: funds.total.initial: 数字有 6 位有效数字，超过上限（最多 4 位）"
    )
    assert "goals.expected: 文字长度 134 字超过上限（最多 60 字）" in str(refused.value)


def test_a_unit_alone_after_a_number_begins_no_added_column_cell():
    """pdftotext -raw of 湖北's table (jixiao's PDF; layout hubei-20, seed 124, 第53行):
    `成本控制数 / 不高于 / 1129789.67 / 元 / 1020701.38 / 元` parted `元 / 1020701.38 / 元` as
    the 实际完成值 as well (its width allows it, digits being proportional), so the row was a
    gap; a unit on its own after a number is the number's (``V.UNIT_ALONE``)."""
    from jixiao.ingest.text_columns import read_rows

    rows = [
        (["安全隐患排查经费支出", "不超预算额", "度"], ["达成指标"]),
        (["应急物资储备经费支出", "不超预算额", "度", "达成预期指", "标"], []),
        (["成本控制数", "不高于", "1129789.67", "元", "1020701.38", "元"], []),
        ([], ["应急演练宣传活动场次", "不少于19场", "19场"]),
        (["应急物资储备任务完成率", "不低于", "95.5%"], ["95.5%"]),
        (
            [
                *("安全生产检查工作时效", "按上级部门", "要求", "部分达成指", "标"),
                *("调整实", "施计", "划，跟", "踪整改"),
            ],
            [],
        ),
    ]
    pieces = ["改进措", "施及结", "果应用", "方案"]
    got = read_rows(rows, ("改进措施及结果应用方案",), pieces)
    assert got[2] == ["成本控制数", "不高于1129789.67元", "1020701.38元", ""]
    assert got[5] == [
        "安全生产检查工作时效",
        "按上级部门要求",
        "部分达成指标",
        "调整实施计划，跟踪整改",
    ]


def test_a_units_word_broken_over_two_lines_goes_on_with_its_number():
    """A unit's word broken at a narrow column's edge (250700 平 / 方米, 30 分 / 钟内到场)
    begins no cell: every unit the vocabulary knows, broken anywhere after a number."""
    from jixiao.ingest import vocabulary as V
    from jixiao.ingest.text_wraps import _continues

    assert _continues("30分", "钟内到场")
    assert _continues("24小", "时内")
    assert _continues("元/平", "方米")
    assert not _continues("按时得分", "钟")  # (no number before the piece)
    for unit in (*V.UNIT_WORDS, *V.DURATION_WORDS):
        for k in range(1, len(unit)):
            assert _continues(f"1129789.67 {unit[:k]}", unit[k:]), unit
