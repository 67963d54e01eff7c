"""Text laid out by position (``pdftotext -layout``, ``jixiao.ingest.layout``): the
indicator table read by the columns its own header prints (another layout's columns, in
its order), cells wrapped around their row's line put back on it (an added fund column, the
fund header's labels, the 总分 row's numbers), and what cannot be placed left as a doubt."""

from __future__ import annotations

from jixiao.ingest.layout import layout_tokens, looks_laid_out, stacked


def placed(*cells: tuple[int, str]) -> str:
    """One line of laid-out text: each text at its character column."""
    line = ""
    for x, text in cells:
        line = line.ljust(x) + text
    return line


def texts(*lines: str) -> list[str]:
    return [t.text for t in layout_tokens("\n".join(lines) + "\n")]


def test_indicator_table_by_its_own_header_columns():
    """北京's 得分计算方法 between 全年实际值 and 分值: each cell under its column, the
    wrapped text of a row's cell joined (above and below its line), 分值 / 得分 numbers."""
    got = texts(
        placed(
            (0, "一级指标"),
            (9, "二级指标"),
            (20, "三级指标"),
            (34, "年度指标值"),
            (46, "全年实际值"),
            (58, "得分计算方法"),
            (70, "分值"),
            (78, "得分"),
            (86, "未完成原因分析"),
        ),
        placed((58, "完成值达到指")),
        placed(
            (0, "成本指标"),
            (8, "经济成本指标"),
            (20, "项目总成本"),
            (34, "不高于100元"),
            (46, "90元"),
            (58, "标值记满分，"),
            (70, "5.00"),
            (78, "4.50"),
            (86, "成本控制"),
        ),
        placed((58, "未达到按B/A"), (86, "较好")),
        placed((20, "总分"), (70, "100.00"), (78, "93.77")),
    )
    assert got == [
        *("一级指标", "二级指标", "三级指标", "年度指标值", "全年实际值"),
        *("得分计算方法", "分值", "得分", "未完成原因分析"),
        *("成本指标", "经济成本指标", "项目总成本", "不高于100元", "90元"),
        *("完成值达到指标值记满分，未达到按B/A", "5.00", "4.50", "成本控制较好"),
        *("总分", "100.00", "93.77"),
    ]


def test_wrapped_header_labels_are_stacked_into_columns():
    """四川's 指标性 / 质 and 度量单 / 位 printed over three lines around 三级指标's."""
    got = texts(
        placed((0, "一级 二级"), (60, "指标性"), (68, "度量单")),
        placed((16, "三级指标"), (36, "指标值"), (48, "完成值"), (76, "权重"), (84, "得分")),
        placed((0, "指标 指标"), (61, "质"), (69, "位")),
        placed((3, "经济"), (10, "项目总成本"), (36, "≤100"), (48, "90"), (60, "定量")),
        placed((68, "元"), (76, "5.00"), (84, "5.00")),
    )
    assert got[:5] == ["一级指标", "二级指标", "三级指标", "指标值", "完成值"]
    assert got[5:7] == ["指标性质", "度量单位"]
    assert got[7:9] == ["权重", "得分"]


def test_added_fund_column_wrapped_around_its_row_is_that_rows_cell():
    """得分计 / 算方法 over the header's line, 全年执行数/年初预算数×10 in five pieces around
    the 年度资金总额 row (jixiao's PDF of a 北京 form): one cell of that row; 项目资金（元）,
    printed among the rows, goes before the header."""
    got = texts(
        placed((104, "得分计")),
        placed(
            (23, "年初预算数"),
            (37, "全年预算数"),
            (50, "全年执行数"),
            (64, "分数"),
            (72, "执行率(%)"),
            (89, "得分"),
        ),
        placed((104, "算方法")),
        placed((104, "全年执")),
        placed((104, "行数/年")),
        placed(
            (11, "年度资金总额："),
            (23, "1304215.90"),
            (41, "-"),
            (50, "492071.45"),
            (64, "10.00"),
            (73, "37.73"),
            (89, "3.77"),
        ),
        placed((0, "项目资金"), (104, "初预算")),
        placed((1, "（元）"), (104, "数×10")),
        placed(
            (10, "其中：当年财政拨款"),
            (23, "1198445.14"),
            (41, "-"),
            (50, "492071.45"),
            (66, "-"),
            (73, "41.06"),
            (90, "-"),
        ),
    )
    assert got == [
        *("项目资金（元）", "年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"),
        "得分计算方法",
        *("年度资金总额：", "1304215.90", "-", "492071.45", "10.00", "37.73", "3.77"),
        "全年执行数/年初预算数×10",
        *("其中：当年财政拨款", "1198445.14", "-", "492071.45", "-", "41.06", "-"),
    ]


def test_fund_header_stacked_and_numbers_one_space_apart():
    """LibreOffice's PDF of a Word file: 执行率 / (%) above and below the header's line, and
    two numbers printed one space apart (492071.45 10.00) are two cells."""
    got = texts(
        placed((60, "执行率")),
        placed(
            (20, "年初预算数"), (28, "全年预算数"), (42, "全年执行数"), (52, "分数"), (66, "得分")
        ),
        placed((61, "(%)")),
        placed((8, "年度资金总额："), (23, "-"), (28, "1304215.90"), (42, "492071.45 10.00")),
    )
    assert got[:6] == ["年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"]
    assert got[6:] == ["年度资金总额：", "-", "1304215.90", "492071.45", "10.00"]


def test_fund_text_cell_not_centred_on_one_row_is_a_doubt():
    """Pieces of an added column that do not stand around one row's line are not joined to
    a row: the block's first row carries a doubt (a gap of the form)."""
    tokens = layout_tokens(
        "\n".join(
            [
                placed((20, "年初预算数"), (40, "全年执行数"), (56, "得分"), (64, "原因")),
                placed((64, "年中")),
                placed((64, "追加")),
                placed((64, "预算")),
                placed((8, "年度资金总额："), (20, "100.00"), (40, "90.00"), (56, "9.00")),
            ]
        )
        + "\n"
    )
    first = next(t for t in tokens if t.text == "年度资金总额：")
    assert first.doubts and "项目资金" in first.doubts[0]
    assert "年中追加预算" not in [t.text for t in tokens]


def test_total_row_numbers_wrapped_in_their_cells():
    """100.0 above the 总分 line and 0 below it (a narrow cell): 100.00."""
    got = texts(
        placed((46, "100.0")),
        placed((19, "总分"), (56, "93.77")),
        placed((48, "0")),
    )
    assert got == ["总分", "100.00", "93.77"]


def test_indicator_list_by_project_is_not_a_forms_table():
    """A workbook's sheet listing indicators by project (项目名称 beside 三级指标 on the
    header line) is read as cells, not as a form's indicator table."""
    got = texts(
        placed((0, "序号"), (8, "项目名称"), (24, "三级指标"), (40, "年度指标值"), (54, "分值")),
        placed((0, "1"), (8, "动物疫病防控经费"), (24, "项目总成本"), (40, "≤100"), (54, "5.00")),
    )
    assert got == [
        *("序号", "项目名称", "三级指标", "年度指标值", "分值"),
        *("1", "动物疫病防控经费", "项目总成本", "≤100", "5.00"),
    ]


def test_laid_out_header_is_told_from_other_text():
    """The 三级指标 line of a laid-out header: runs of spaces, or indented with its other
    labels on the lines around it; the seed's (``-raw``) one-space header is not."""
    assert looks_laid_out(placed((14, "三级指标"), (60, "指标")) + "\n")
    assert looks_laid_out(placed((0, "一级指标 二级指标"), (28, "三级指标"), (44, "指标值")) + "\n")
    seed = "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施\n"
    assert not looks_laid_out(seed)


def test_stacked_words_keep_their_columns():
    stacks = stacked(["  单项指   权重", "  标折算", "   得分    占比"])
    assert [(s.text, s.x0, s.top, s.bottom) for s in stacks] == [
        ("单项指标折算得分", 2, 0, 2),
        ("权重占比", 8, 0, 2),
    ]


def _doubts(*lines: str) -> list[str]:
    return [d for t in layout_tokens("\n".join(lines) + "\n") for d in t.doubts or ()]


_HEADER = placed(
    (0, "一级指标"),
    (9, "二级指标"),
    (20, "三级指标"),
    (40, "年度指标值"),
    (54, "实际完成值"),
    (66, "分值"),
    (74, "得分"),
    (82, "偏差原因分析及改进措施"),
)


def _row(target_at: int) -> str:
    return placed(
        (0, "成本指标"),
        (9, "经济成本指标"),
        (20, "项目总成本"),
        (target_at, "不高于100元"),
        (54, "90元"),
        (66, "5.00"),
        (74, "5.00"),
        (82, "成本控制较好"),
    )


def test_words_clearly_in_their_columns_leave_no_doubt():
    """Every word stands under its own column's label, the others 3 columns or more away:
    nothing was inferred, so the reading says nothing was (pdftotext -layout of a clear
    table reads back exact). Before, every reading by position carried a gap."""
    total = placed((20, "总分"), (66, "100.00"), (74, "93.77"))
    assert _doubts(_HEADER, _row(40), total) == []
    assert texts(_HEADER, _row(40), total)[8:16] == [
        *("成本指标", "经济成本指标", "项目总成本", "不高于100元", "90元"),
        *("5.00", "5.00", "成本控制较好"),
    ]


def test_a_word_near_two_columns_is_a_doubt():
    """年度指标值's cell printed as near 三级指标's label as its own (a LibreOffice PDF's
    narrow columns): still placed at the least distance, but named as a doubt of the form
    (the table was read by position), never taken as sure."""
    total = placed((20, "总分"), (66, "100.00"), (74, "93.77"))
    [doubt] = _doubts(_HEADER, _row(29), total)  # 5 columns from 三级指标's label, 4 from
    # 年度指标值's
    assert texts(_HEADER, _row(29), total)[11] == "不高于100元"
    assert "按文字在行中的位置读出" in doubt and "“不高于100元”与两栏的距离相近" in doubt


def test_goal_words_in_no_clear_column_are_a_doubt():
    """The goals: two words a line, 预期目标's and 实际完成情况's, are clear; a line whose
    words are parted by a space inside a cell (three words) is placed by where each starts,
    a doubt."""
    head = placed((14, "预期目标"), (46, "实际完成情况"))
    clear = [
        head,
        placed((0, "年度"), (5, "为促进农民增收，落实防疫"), (40, "全年已开展培训，落实防疫")),
        placed((0, "总体"), (5, "工作，改善人居环境。确"), (40, "工作，资金使用规范。")),
        placed((0, "目标"), (5, "保完成。")),
    ]
    spaced = [*clear[:3], placed((0, "目标"), (5, "保 2024 年完成。"))]
    assert _doubts(*clear) == []
    [doubt] = _doubts(*spaced)
    assert "按文字在行中的位置读出" in doubt and "年度总体目标" in doubt


def test_a_cell_wrapped_over_a_line_of_its_own_is_a_doubt():
    """A 偏差原因 wrapped onto a line between two rows: which row it goes to is inferred
    (the row whose own line lacks that column, else the nearer one; 7 of 100 generated forms
    read from jixiao's PDF put such a line on the wrong row with no gap), and so are the rows
    the level labels are centred on: a doubt, even where every word's column is clear."""
    total = placed((20, "总分"), (66, "100.00"), (74, "93.77"))
    wrap = placed((82, "，已整改"))
    doubts = _doubts(_HEADER, _row(40), wrap, _row(40).replace("项目总成本", "项目总成本二"), total)
    assert any("有的格折行印出" in d for d in doubts)
    assert _doubts(_HEADER, _row(40), _row(40).replace("项目总成本", "项目总成本二"), total) == []
