"""Every flattening of a form reads back the same form (#15): cells one a line, ``|``
separated, glued numbers, page chrome and doc-site splits, for the nine seed forms and
generated ones; Hypothesis varies the separator, where pages break and how lines wrap."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.flattenings import cell_per_line, form_rows, glued, paginate, paragraphs, pipes
from jixiao.generate import generate_forms
from jixiao.ingest import IngestError, read_text
from jixiao.ingest.flattening import flattening_of
from jixiao.ingest.glued import fund_check, score_check, split_glued
from jixiao.ingest.layout import layout_tokens
from jixiao.ingest.rows import RowBuilder
from jixiao.ingest.tokens import split_tokens
from jixiao.model import SelfEvaluation

from .conftest import SEED_TEXT
from .forms import assert_identical, differences, unexplained

FLATTENINGS = {
    "cell-per-line": cell_per_line,
    "paragraphs": paragraphs,
    "paragraphs-narrow": lambda forms: paragraphs(forms, width=9),
    "pipes-rows": pipes,
    "pipes-html": lambda forms: pipes(forms, lead=True),
    "pipes-reflowed": lambda forms: pipes(forms, per_line=5),
    "glued": glued,
    "lines-pdf-chrome": lambda forms: paginate(cell_per_line(forms), 37, "pdf"),
    "pipes-dash-pages": lambda forms: paginate(pipes(forms), 11, "dash"),
    "glued-slash-pages": lambda forms: paginate(glued(forms), 29, "slash"),
    "lines-doc-site": lambda forms: paginate(cell_per_line(forms), 41, "site"),
    "glued-doc-site": lambda forms: paginate(glued(forms), 23, "site"),
}


def read_back(lines: list[str], name: str = "flat.txt") -> list[SelfEvaluation]:
    return read_text("\n".join(lines) + "\n", name)


@pytest.mark.parametrize("flattening", sorted(FLATTENINGS))
def test_seed_forms_read_back_identical(flattening, oracle_forms):
    assert_identical(oracle_forms, read_back(FLATTENINGS[flattening](oracle_forms)))


@pytest.mark.parametrize("flattening", sorted(FLATTENINGS))
def test_generated_forms_read_back_identical(flattening, generated_forms):
    forms = generated_forms[:80]
    assert_identical(forms, read_back(FLATTENINGS[flattening](forms)))


def test_form_rows_are_the_official_table(oracle_forms):
    rows = form_rows(oracle_forms[0])
    assert rows[2] == ["项目名称", "其他人员经费"]
    assert rows[5] == ["年度资金总额：", "1245.54", "956.64", "815.59", "10.00", "85.25", "8.53"]
    first, second = rows[12], rows[13]
    assert first[:3] == ["成本指标", "社会成本指标", "其他人员公用经费"]
    assert second[0] == "总成本控制率"  # 一级 / 二级 merged over it: not repeated
    assert rows[-1] == ["评分等级", "优"]


def test_glued_fund_row_is_cut_by_its_arithmetic():
    cols = ["initial", "adjusted", "executed", "weight", "rate", "score"]
    assert split_glued("1245.54956.64815.5910.0085.258.53", 6, fund_check(cols)) == [
        "1245.54",
        "956.64",
        "815.59",
        "10.00",
        "85.25",
        "8.53",
    ]
    assert split_glued("0.000.000.00-0.00-", 6, fund_check(cols)) == [
        "0.00",
        "0.00",
        "0.00",
        "-",
        "0.00",
        "-",
    ]
    # 10 / 10 / 100% / 1 or 10 / 1 / 0100% …: no cut is the only one, so none is taken
    assert split_glued("1010100%1", 4, fund_check(["weight", "executed", "rate", "score"])) is None


def test_glued_scores_respect_score_at_most_weight():
    check = score_check(["weight", "score"])
    assert split_glued("10.008.53", 2, check) == ["10.00", "8.53"]
    assert split_glued("5.0010.00", 2, check) is None  # 得分 10 > 分值 5: no valid cut
    assert split_glued("1210", 2, check) is None  # 12 / 10, 121 / 0 …: ambiguous


def test_page_chrome_and_site_splits_are_dropped_and_joined():
    text = "项目名称\n实现科学管\n\n2、理充分\n第 1 页 共 3 页\n-1-\n主管部门\n"
    assert [t.text for t in split_tokens(text, "lines")] == [
        "项目名称",
        "实现科学管理充分",
        "主管部门",
    ]
    # a lone number is a cell, not a page number, unless it counts the pages in order
    assert [t.text for t in split_tokens("分值\n7\n-3-\n", "lines")] == ["分值", "7", "-3-"]


def test_a_head_label_wrapped_over_two_lines_is_one_cell():
    # LibreOffice's text of a Word file, cells one a line: 部门（单 / 位）名称
    # (two head labels one under another and one value after them: which label it is the
    # value of is not known, so none is read, and the gap keeps it)
    text = "部门（单\n位）名称\n主管部门\n\n动物疫病防控经费\n"
    tokens = split_tokens(text, "lines")
    assert [t.text for t in tokens] == ["部门（单位）名称", "主管部门"]
    assert tokens[0].doubts == [
        "第1行起：“部门（单位）名称”、“主管部门”与其内容分开印出，内容印成 1 行，无法对应，"
        "未读入：动物疫病防控经费"
    ]
    # a label ending in free words (偏差原因…) is not joined to the cell after it, nor a
    # value to the label before it
    text = "偏差原因分析及改进措施\n成本指标\n项目名称\n及代码\n"
    assert [t.text for t in split_tokens(text, "lines")] == [
        "偏差原因分析及改进措施",
        "成本指标",
        "项目名称",
        "及代码",
    ]


def test_laid_out_head_label_wrapped_around_its_value_is_one_cell():
    """pdftotext -layout of a cell whose label wraps: its pieces above and below the
    value's line (部门（单 / value / 位）名称; 主管部门及 / value 实施单位 … / 代码), or the
    label one space from its value: the label, then the value."""
    lines = [
        "部门（单",
        "        动物疫病防控经费",
        "位）名称",
        "主管部门及",
        "      顾村镇                            实施单位         上海市宝山区顾村镇农业服务中心",
        "  代码",
        "部门（单位）名称 社区长者食堂运营补贴",
    ]
    cells = [t.text for t in layout_tokens("\n".join(lines) + "\n")]
    assert cells == [
        "部门（单位）名称",
        "动物疫病防控经费",
        "主管部门及代码",
        "顾村镇",
        "实施单位",
        "上海市宝山区顾村镇农业服务中心",
        "部门（单位）名称",
        "社区长者食堂运营补贴",
    ]


def test_pipes_keep_empty_cells_and_ignore_filler_lines():
    tokens = split_tokens("| a | | b |\n|\n||||\n| c |\n", "pipes")
    assert [t.text for t in tokens] == ["a", "", "b", "", "", "", "c"]
    assert [t.line for t in tokens][:3] == [1, 1, 1]


def test_unsplittable_fund_row_is_a_gap_not_a_shifted_value(oracle_forms):
    lines = glued(oracle_forms[:1])
    k = next(i for i, ln in enumerate(lines) if ln.startswith("年度资金总额"))
    lines[k] = "年度资金总额：1245.54956.64815.591085.258.53"  # 10.00 written as 10: ambiguous
    [form] = read_back(lines)
    assert form.funds.total.initial is None and form.funds.total.score is None
    assert any("年度资金总额" in g and "6 个数" in g for g in form.gaps)
    assert form.funds.fiscal.executed == Decimal("815.59")  # the other rows are read


def test_short_indicator_row_is_a_gap(oracle_forms):
    lines = cell_per_line(oracle_forms[:1])
    k = lines.index("10.00", lines.index("偏差原因分析及改进措施"))  # the first row's 分值: gone
    del lines[k]
    [form] = read_back(lines)
    assert any("绩效指标行" in g for g in form.gaps)
    assert not [d for d in differences(form, oracle_forms[0]) if "indicators" not in d]
    assert unexplained(form, oracle_forms[0]) == []


SEPARATORS = st.sampled_from(["lines", "paragraphs", "pipes", "pipes-lead", "reflowed", "glued"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    how=SEPARATORS,
    per_line=st.integers(2, 12),
    width=st.integers(6, 60),
    every=st.integers(5, 60),
    chrome=st.sampled_from([None, "pdf", "dash", "slash", "site"]),
    crlf=st.booleans(),
)
def test_any_flattening_reads_back_or_names_its_gaps(
    seed, how, per_line, width, every, chrome, crlf
):
    forms = generate_forms(2, seed=seed)
    lines = {
        "lines": lambda: cell_per_line(forms),
        "paragraphs": lambda: paragraphs(forms, width),
        "pipes": lambda: pipes(forms),
        "pipes-lead": lambda: pipes(forms, lead=True),
        "reflowed": lambda: pipes(forms, lead=True, per_line=per_line),
        "glued": lambda: glued(forms),
    }[how]()
    if chrome is not None:
        lines = paginate(lines, every, chrome)
    text = ("\r\n" if crlf else "\n").join(lines)
    got = read_text(text, "flat.txt")
    assert len(got) == len(forms)
    for g, w in zip(got, forms, strict=True):
        assert unexplained(g, w) == [], (how, chrome, unexplained(g, w)[:3])


@pytest.mark.parametrize(
    ("flattening", "kind"),
    [
        ("cell-per-line", "lines"),
        ("paragraphs", "paragraphs"),
        ("pipes-rows", "pipes"),
        ("pipes-html", "pipes"),
        ("pipes-reflowed", "pipes"),
        ("glued", "lines"),
        ("lines-pdf-chrome", "lines"),
        ("lines-doc-site", "lines"),
    ],
)
def test_flattening_is_told_before_it_is_read(flattening, kind, oracle_forms):
    """The chooser reads a text once, the way this cheap sign names."""
    lines = FLATTENINGS[flattening](oracle_forms)
    assert flattening_of("\n".join(lines)) == kind
    assert flattening_of("\r\n".join(lines)) == kind  # CRLF: the same


def test_seed_text_goes_to_the_fast_reader():
    assert flattening_of(SEED_TEXT.read_text(encoding="utf-8")) == "seed"


def test_goals_printed_side_by_side_are_parted_by_their_lines():
    """pdftotext's default mode prints the two goal columns on the same lines, the pieces
    of 年度总体目标 before some of them: the lines holding both come first, a line led by a
    piece is 预期目标's (the label stands left of it)."""
    lines = [
        "为提高市民满意度，将聘用信息 已聘用信息员，对服务质量进行",
        "年度 员，对服务质量进行考核，及 考核，完成工单处置工作。",
        "总体 时准确高效专业的完成工单处",
        "目标 置工作。",
    ]
    text = "预期目标\n\n实际完成情况\n\n" + "\n".join(lines) + "\n"
    assert [t.text for t in split_tokens(text, "paragraphs")] == [
        "预期目标",
        "实际完成情况",
        "为提高市民满意度，将聘用信息员，对服务质量进行考核，及时准确高效专业的完成工单处置工作。",
        "已聘用信息员，对服务质量进行考核，完成工单处置工作。",
    ]
    # lines of one column before those of both: which column each is not told; kept
    # as one paragraph, marked as text of two columns (a gap when it is read)
    lines = [
        "年度 为提高市民满意度，将聘用信",
        "已聘用信息员，对服务质量进行考",
        "总体 息员，对服务质量进行考核，及 核，完成工单处置工作。",
        "目标 时准确高效专业的完成工单处置工作。",
    ]
    text = "预期目标\n\n实际完成情况\n\n" + "\n".join(lines) + "\n"
    tokens = split_tokens(text, "paragraphs")
    assert len(tokens) == 3 and tokens[2].mixed


def test_goal_columns_with_the_label_above_and_a_last_line_each_are_parted():
    """年度 on a line of its own above the lines it leads, and each column one line longer
    than the lines holding both: those two lines share a baseline and pdftotext prints the
    left one first; the first has room left in either column, so it ends its column."""
    lines = [
        "年度",
        "总体 为促进农民增收，将发放农业生产补贴，落实动物疫病强制 "
        "全年已开展农业技术培训，落实动物疫病强制免疫，发放农业",
        "目标 免疫，开展农业技术培训，改善农村人居环境。确保动物防 "
        "生产补贴，有效促进农民增收，动物防疫工作有序推进，资金",
        "疫各项工作按计划高质量完成。",
        "使用规范。因实际需求变化，部分资金未能按预算执行。",
    ]
    text = "预期目标\n实际完成情况\n" + "\n".join(lines) + "\n"
    assert [t.text for t in split_tokens(text, "paragraphs")][2:] == [
        "为促进农民增收，将发放农业生产补贴，落实动物疫病强制免疫，开展农业技术培训，"
        "改善农村人居环境。确保动物防疫各项工作按计划高质量完成。",
        "全年已开展农业技术培训，落实动物疫病强制免疫，发放农业生产补贴，有效促进农民增收，"
        "动物防疫工作有序推进，资金使用规范。因实际需求变化，部分资金未能按预算执行。",
    ]
    # the first of the two lines as wide as a column: it may go on in that column (the
    # other ending at its full last line), so the paragraph is not parted
    full = [*lines[:3], "疫各项工作按计划高质量完成，确保动物防疫各项工作有", lines[4]]
    text = "预期目标\n实际完成情况\n" + "\n".join(full) + "\n"
    tokens = split_tokens(text, "paragraphs")
    assert len(tokens) == 3 and tokens[2].mixed


def test_a_goal_column_printed_after_the_level_pieces_is_read():
    """pdftotext's default mode prints a goal column shorter than the other after the 一级 /
    二级 pieces, the header's 偏差原因分析 / 及改进措施 right under it in its paragraph: it is
    the goal that was missing, and the label is the header's."""
    expected = [
        "年度 根据奉府办发〔2022〕36号文《奉贤区关于进一步加强社",
        "总体 会组织培育工作的实施意见》的工作要求，为完善社区养老",
        "目标 服务体系。",
    ]
    levels = ["一级 二级", "指标 指标", "产出 数量", "指标 指标"]
    achieved = ["全年已开展为老服务主题活动，为符合条件的老年人提供居家", "养老服务。"]
    header = ["偏差原因分析", "及改进措施", "", "三级指标", "", "年度指标值"]
    text = "\n".join(["预期目标", "", "实际完成情况", "", *expected, *levels, "", *achieved])
    text += "\n" + "\n".join(header) + "\n"
    builder = RowBuilder(split_tokens(text, "paragraphs"))
    builder.i = 0
    assert builder.goals()
    goals = builder.form.rows[-1]
    assert [c.text for c in goals] == [
        "根据奉府办发〔2022〕36号文《奉贤区关于进一步加强社会组织培育工作的实施意见》的工作要求，"
        "为完善社区养老服务体系。",
        "全年已开展为老服务主题活动，为符合条件的老年人提供居家养老服务。",
    ]
    assert builder.form.gaps == []
    rest = [t.text for t in builder.t[builder.i :]]
    assert rest[-3:] == ["偏差原因分析及改进措施", "三级指标", "年度指标值"]


def test_level_pieces_with_a_printed_weight_are_no_goal():
    """A 一级 label printed with its weight (湖北's 成本指标(10分)) comes in pdftotext's
    default mode as pieces with the weight's among them (成本 | (10 | 指标 | 分)): they are
    level pieces still, never the goal column printed after them (they were read as 实际完成
    情况, with no gap); the goal printed elsewhere (after 年度指标值) is a gap."""
    expected = [
        "年度 根据崇府办发〔2023〕49号文《崇明区关于进一步加强学",
        "总体 生体质健康监测工作的实施意见》的工作要求，为促进学生",
        "目标 全面发展，提升教育教学质量。",
    ]
    levels = ["一级 二级", "指标 指标", "", "成本", "经济", "指标", "成本", "(10", "指标", "分)"]
    header = ["三级指标", "", "年度指标值", "", "全年已落实家庭经济困难学生资助政策。", ""]
    text = "\n".join(["预期目标", "", "实际完成情况", "", *expected, *levels, "", *header])
    builder = RowBuilder(split_tokens(text + "\n实际完成值\n", "paragraphs"))
    builder.i = 0
    assert builder.goals()
    texts = [c.text for row in builder.form.rows for c in row]
    assert not any("(10" in t for t in texts), texts
    assert builder.form.gaps == ["第5行：年度总体目标读到 1 段文字，应有 2 段"]


def test_the_collector_pause_ends_with_the_reading(oracle_forms):
    """The cyclic collector is paused only while a text is read, also when it fails."""
    import gc

    assert gc.isenabled()
    read_back(cell_per_line(oracle_forms[:1]))
    assert gc.isenabled()
    with pytest.raises(IngestError):
        read_text("nothing of a form here\n", "x.txt")
    assert gc.isenabled()
    gc.disable()
    try:
        read_back(cell_per_line(oracle_forms[:1]))
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()


def _indicator_list(forms: list[SelfEvaluation]) -> list[list[str]]:
    """A workbook's list of every form's indicators, a row each (jixiao's 指标明细 sheet)."""
    head = ["序号", "单位", "年度", "项目名称", "一级指标", "二级指标", "三级指标", "分值", "得分"]
    rows = [head]
    for number, form in enumerate(forms, start=1):
        for ind in form.indicators:
            where = [str(number), form.unit, str(form.year), form.project]
            names = [ind.level1, ind.level2, ind.name, str(ind.weight), str(ind.score)]
            rows.append(where + names)
    return rows


@pytest.mark.parametrize("cells", ["row a line", "cell a line"])
def test_a_printed_list_of_indicators_is_no_form(oracle_forms, cells):
    """The pages of a list of indicators by project printed after the forms (LibreOffice's
    PDF of jixiao's workbook prints its 指标明细 sheet) are no form: before, its first rows
    were read as a form of their own, with a gap for every part a form has."""
    forms = oracle_forms[:2]
    rows = _indicator_list(forms)
    lines = [" ".join(r) for r in rows] if cells == "row a line" else [c for r in rows for c in r]
    text = "\n".join(cell_per_line(forms)) + "\n\f" + "\n".join(lines) + "\n第 3 页 共 3 页\n\f"
    assert_identical(forms, read_text(text, "lo.txt"))


@pytest.mark.parametrize("kind", ["lines", "paragraphs"])
def test_head_labels_printed_apart_from_their_values_are_paired_in_order_with_a_doubt(kind):
    """LibreOffice's Word file in pdftotext's default mode prints the head's label column
    as one block and its values as the next (项目名称 / 主管部门, then 教师培训专项经费 /
    浦东新区教育局): the 主管部门 was read as both values joined, the 项目名称 as nothing
    (national 2020, seed 100), and no gap named the 主管部门. Each label now takes its
    line, with a doubt; once a text prints its head so, an empty line after a head label
    parts paragraphs (实施单位 / / its value)."""
    text = (
        "项目名称\n主管部门\n\n教师培训专项经费\n浦东新区教育局\n\n实施单位\n\n"
        "上海市浦东新区青少年活动中心\n\n年初预算数\n"
    )
    tokens = split_tokens(text, kind)
    assert [t.text for t in tokens][:6] == [
        "项目名称",
        "教师培训专项经费",
        "主管部门",
        "浦东新区教育局",
        "实施单位",
        "上海市浦东新区青少年活动中心",
    ]
    assert tokens[0].doubts == [
        "第1行起：“项目名称”、“主管部门”与其内容分开印出，按先后对应，请核对"
    ]


def test_the_judge_pairs_forms_read_without_their_project_in_order():
    """A form read without its 项目名称 is judged against the forms not found, in order:
    a value no gap names is wrong there too (before, such forms were only counted)."""
    from tests.forms import judge

    want = generate_forms(2, seed=5)
    got = [f.model_copy(deep=True) for f in want]
    for form in got:
        form.project = ""
        form.gaps = ["“项目名称”后没有读到它的内容"]
    got[1].department = "别的部门"
    verdict = judge(got, want)
    assert (verdict.partial, verdict.wrong) == (1, 1)
    assert verdict.details[0].endswith("department: '别的部门' != " + repr(want[1].department))
    got[1].gaps.append("“主管部门”的内容按先后对应，请核对")
    assert (judge(got, want).partial, judge(got, want).wrong) == (2, 0)


def test_the_judge_asks_a_gap_to_name_the_indicator_row_it_explains():
    """A difference in an indicator row is named only by a gap that names that row (its
    三级指标, read or written) or the whole table; a gap about another row is not enough.
    A level label read otherwise is named by a gap quoting it as read."""
    from tests.forms import unexplained

    [want] = generate_forms(1, seed=5)
    got = want.model_copy(deep=True)
    first, second = got.indicators[0], got.indicators[1]
    second.target = "别的值"
    got.gaps = [f"绩效指标行“{first.name}”的格折行印出，这几栏未读入"]
    [diff] = unexplained(got, want)
    assert diff.startswith(f"indicators[1] {second.name}: ")
    got.gaps.append(f"绩效指标行“{second.name}”的格折行印出，这几栏未读入")
    assert unexplained(got, want) == []
    got.gaps = ["第30行起：本表按文字在行中的位置读出，绩效指标为推定，请与原表核对"]
    assert unexplained(got, want) == []

    got = want.model_copy(deep=True)
    got.indicators[0].level2 = got.indicators[0].level2[:-1]
    got.gaps = ["二级指标不完整"]
    assert len(unexplained(got, want)) == 1
    got.gaps = [f"第9行：二级指标“{got.indicators[0].level2}”不完整或不在词表中"]
    assert unexplained(got, want) == []
    got.indicators[0].level2 = ""
    assert len(unexplained(got, want)) == 1
    got.gaps = ["第9行：二级指标“质量指标”对应哪几行无法确定，一级 / 二级指标未读入"]
    assert unexplained(got, want) == []

    got = want.model_copy(deep=True)
    got.indicators.append(got.indicators[0].model_copy(update={"name": "", "target": ""}))
    got.gaps = [f"绩效指标行“{want.indicators[0].name}”的格折行印出"]
    [diff] = unexplained(got, want)  # a row read that is no row written, named by nothing
    assert "None" in diff
