"""Text laid out by position (``pdftotext -layout``, ``jixiao.ingest.layout``): the
indicator table read by the columns its own header prints (another layout's columns, in
its order), cells wrapped around their row's line put back on it (an added fund column, the
fund header's labels, the 总分 row's numbers), and what cannot be placed left as a doubt."""

from __future__ import annotations

import itertools

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


_FUNDS_HEADER = placed(
    (20, "年初预算数"),
    (30, "全年预算数"),
    (42, "全年执行数"),
    (54, "分数"),
    (60, "执行率(%)"),
    (74, "得分"),
)
_FUNDS_TOTAL = placed(
    (8, "年度资金总额："),
    (21, "2.10"),
    (33, "-"),
    (43, "2.10"),
    (53, "10.00"),
    (61, "100.00"),
    (73, "10.00"),
)


def _funds_row(first: str, rate: str) -> str:
    return placed((21, first), (33, "-"), (43, first), (55, "-"), (61, rate), (75, "-"))


def test_fund_row_label_wrapped_around_its_numbers():
    """其中：当年财政拨 / the row's numbers / 款 (jixiao's PDF of a 北京 or 河北 form, the
    label's cell narrow; LibreOffice's PDF of the Word file alike): one label, on the
    numbers' line; the block's label 项目资金 / （万元） between is passed over. Before, the
    row was read with no label (项目资金缺少“当年财政拨款”行) and the block carried a doubt."""
    lines = [
        _FUNDS_HEADER,
        _FUNDS_TOTAL,
        "项目资金",
        placed((8, "其中：当年财政拨")),
        "（万元）" + _funds_row("2.10", "100.00")[4:],
        placed((11, "款")),
        placed((9, "上年结转资金")) + _funds_row("0.00", "0.00")[15:],
    ]
    assert _doubts(*lines) == []
    got = texts(*lines)
    assert got[14:21] == ["其中：当年财政拨款", "2.10", "-", "2.10", "-", "100.00", "-"]
    assert got[21] == "上年结转资金"


def test_fund_label_pieces_another_row_could_take_are_a_doubt():
    """A piece between two lines of numbers with no label (款 under the first, over the
    second): the first row's label's end or the second's start, not told; left as printed,
    a doubt. A piece joining no fund row's label is left too."""
    lines = [
        _FUNDS_HEADER,
        _FUNDS_TOTAL,
        placed((8, "其中：当年财政拨")),
        _funds_row("2.10", "100.00"),
        placed((11, "款")),
        _funds_row("0.00", "0.00"),
    ]
    [doubt] = _doubts(*lines)
    assert "项目资金的格折行印出" in doubt
    odd = [_FUNDS_HEADER, _FUNDS_TOTAL, placed((8, "其中：当年")), _funds_row("2.10", "100.00")]
    assert len(_doubts(*odd)) == 1


def test_added_fund_column_wrapped_across_the_block_label():
    """得分计算方法 of 年度资金总额 wrapped over four lines around its row, the block's label
    项目资金 printed on a line of its own between its third and fourth pieces (jixiao's PDF
    of a 北京 form): one cell of the row. Before, 数×10 was left apart, a doubt."""
    lines = [
        placed(
            (20, "年初预算数"), (42, "全年执行数"), (54, "分数"), (74, "得分"), (88, "得分计算方法")
        ),
        placed((88, "全年执")),
        placed((88, "行数/年")),
        placed((8, "年度资金总额："), (21, "2.10"), (43, "2.10"), (53, "10.00"), (73, "10.00")),
        placed((88, "初预算")),
        "项目资金",
        placed((88, "数×10")),
    ]
    assert _doubts(*lines) == []
    got = texts(*lines)
    k = got.index("年度资金总额：")
    assert got[k : k + 6] == [
        "年度资金总额：",
        "2.10",
        "2.10",
        "10.00",
        "10.00",
        "全年执行数/年初预算数×10",
    ]


def test_fund_numbers_out_of_their_header_columns_are_a_doubt():
    """LibreOffice's PDF of a 河北 Word file: pdftotext prints a row's 执行率 left of its
    分数 (``0.00  - -``: 0.00 is the 执行率, the first - the 分数); read in order 分数 would
    be 0.00 and 执行率 none. A number not under its own column (in order) is a doubt."""
    lines = [
        _FUNDS_HEADER,
        _FUNDS_TOTAL,
        placed(
            (9, "上年结转资金"),
            (21, "0.00"),
            (33, "-"),
            (43, "0.00"),
            (59, "0.00"),
            (66, "-"),
            (68, "-"),
        ),
    ]
    [doubt] = _doubts(*lines)
    assert "项目资金的数与表头的栏对不齐" in doubt
    assert _doubts(_FUNDS_HEADER, _FUNDS_TOTAL) == []


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
    narrow columns) on a line that does not hold the row's 三级指标 (printed on the line
    above): still placed at the least distance, but named as a doubt of the form (the
    table was read by position), never taken as sure. With 项目总成本 on the same line, four
    spaces before it, 三级指标's cell is that run (a column's words on a line stand one
    space apart at most): 年度指标值's, no doubt."""
    total = placed((20, "总分"), (66, "100.00"), (74, "93.77"))
    row = placed(
        (0, "成本指标"),
        (9, "经济成本指标"),
        (29, "不高于100元"),  # 5 columns from 三级指标's label, 4 from 年度指标值's
        (54, "90元"),
        (66, "5.00"),
        (74, "5.00"),
        (82, "成本控制较好"),
    )
    [doubt] = _doubts(_HEADER, placed((20, "项目总成本")), row, total)
    assert texts(_HEADER, placed((20, "项目总成本")), row, total)[8:12] == [
        *("成本指标", "经济成本指标", "项目总成本", "不高于100元")
    ]
    assert "按文字在行中的位置读出" in doubt and "“不高于100元”与两栏的距离相近" in doubt
    assert _doubts(_HEADER, _row(29), total) == []
    assert texts(_HEADER, _row(29), total)[11] == "不高于100元"


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


def test_goals_as_libreoffice_prints_the_word_file_leave_no_doubt():
    """LibreOffice's PDF of the Word file (#16 item 4, 2026-12-07): the label's first piece
    stands on the header's line (年, then 度 / 总 / 体 / 目 / 标 below), and digits are spaced
    from CJK text (〔2023〕7 号文). The label was read 度总体目标 and the line of three words
    placed word by word, each a doubt on 945 and 736 of the 1,080 forms of seeds 100–129
    (全国 seed 100 among them). One gap of two spaces or more parts a line's words into
    the two cells (a cell's line holds no such gap): no doubt; the words of one cell joined
    as two words are."""
    head = placed((0, "年"), (17, "预期目标"), (58, "实际完成情况"))
    body = [
        head,
        placed((0, "度"), (4, "根据浦府办发〔2023〕7 号文《关于"), (44, "全年已定期对系统平台")),
        placed((0, "总"), (4, "进一步加强视频监控工作"), (44, "进行维护和维修 2024 年")),
        placed((0, "体"), (4, "的实施意见》。"), (44, "完成。")),
        placed((0, "目")),
        placed((0, "标")),
    ]
    assert _doubts(*body) == []
    assert texts(*body)[:5] == [
        *("年度总体目标", "预期目标", "实际完成情况"),
        "根据浦府办发〔2023〕7号文《关于进一步加强视频监控工作的实施意见》。",
        "全年已定期对系统平台进行维护和维修2024年完成。",
    ]
    # the label short of its first piece: a piece of the text may have been taken for it
    [doubt] = _doubts(placed((17, "预期目标"), (58, "实际完成情况")), *body[1:])
    assert "“度总体目标”与两栏的距离相近" in doubt
    # two such gaps on a line, or none among three words: not told, as before
    three = placed((4, "根据 2023 年"), (24, "文件"), (44, "全年已完成"))
    assert len(_doubts(*body[:2], three, *body[2:])) == 1
    one = placed((4, "根据 2023 年文件"))
    assert len(_doubts(*body[:2], one, *body[2:])) == 1


def test_a_cell_wrapped_over_a_line_of_its_own_is_a_doubt():
    """A 偏差原因 wrapped onto a line between two rows: which row it goes to is inferred
    (the row whose own line lacks that column, else the nearer one; 7 of 100 generated forms
    read from jixiao's PDF put such a line on the wrong row with no gap), and so are the rows
    the level labels are centred on: a doubt, even where every word's column is clear. The
    line here is as wide as the column (成本控制较好): it may end the row above's cell or begin
    the row below's (the text does not say)."""
    total = placed((20, "总分"), (66, "100.00"), (74, "93.77"))
    wrap = placed((82, "已整改完成了"))
    doubts = _doubts(_HEADER, _row(40), wrap, _row(40).replace("项目总成本", "项目总成本二"), total)
    assert any("有的格折行印出" in d for d in doubts)
    assert _doubts(_HEADER, _row(40), _row(40).replace("项目总成本", "项目总成本二"), total) == []


_NAMES = "甲乙丙丁戊己"
_LEVEL2 = ("数量指标", "质量指标", "时效指标")


def _level_table(spans: list[tuple[int, int]], aligns: tuple[str, ...], whole: bool) -> list[str]:
    """Rows 甲乙丙… a line apart with a blank line between, under one 一级 (产出指标), the
    二级 labels over ``spans`` (first and last row), each topped, centred or at the bottom
    of its cells (``aligns``), printed on one line (``whole``) or two (数量 / 指标)."""
    n = spans[-1][1] + 1
    pieces: dict[int, list[tuple[int, str]]] = {}
    for (s, e), how, label in zip(spans, aligns, _LEVEL2, strict=True):
        parts = [label] if whole else [label[:2], label[2:]]
        h = len(parts)
        first = {"top": 2 * s, "bottom": 2 * e - (h - 1), "centre": s + e - (h - 1) // 2}[how]
        for k, part in enumerate(parts):
            pieces.setdefault(first + k, []).append((3, part))
    pieces.setdefault(n - 1, []).append((0, "产出"))
    pieces.setdefault(n, []).append((0, "指标"))
    out = [_HEADER]
    for i in range(2 * n - 1):
        cells = list(pieces.get(i, []))
        if i % 2 == 0:
            cells += [(20, _NAMES[i // 2]), (40, "按合同约定"), (54, "达成指标")]
            cells += [(66, "5.00"), (74, "5.00")]
        out.append(placed(*sorted(cells)))
    return [*out, placed((20, "总分"), (66, "100.00"), (74, "93.77"))]


def _level2_rows(lines: list[str]) -> dict[str, str]:
    """Each row's 二级 label as read (the rows a label is given to: its first)."""
    out: dict[str, str] = {}
    label = ""
    for t in texts(*lines):
        if t in _LEVEL2:
            label = t
        elif t and t in _NAMES:
            if label:
                out[t] = label
            label = ""
    return out


def test_level_spans_the_text_decides_leave_no_doubt():
    """Each 二级 label's pieces reach from its first row's line to its last's (or lie
    within its one row): no other cut of the rows lets every label stand over its rows,
    whatever the alignment of its cells, so the spans are read with no doubt. Before, the
    cut by where the labels are centred was taken as sure only when every cut one row away
    fitted worse by two lines squared: here it did not, a doubt."""
    lines = _level_table([(0, 1), (2, 2), (3, 4)], ("top", "centre", "top"), whole=False)
    assert _doubts(*lines) == []
    assert _level2_rows(lines) == {"甲": "数量指标", "丙": "质量指标", "丁": "时效指标"}


def test_a_level_label_topped_or_set_at_the_bottom_of_its_cells_is_never_read_unflagged():
    """A producer we have not seen may top its merged level cells (Word's default) or set
    them at the bottom (Excel's): every cut of five rows into three 二级 spans, each label
    topped, centred or at the bottom, on one line or two. Each is read right or carries
    the doubt 二级指标各管哪几行是按版面位置推定的. Before, 9 of them were read over the
    wrong rows with no doubt (the cut by where the labels are centred, taken as sure), e.g.
    数量指标 over 甲 alone and 质量指标 over 乙 and 丙, every label on one line at the
    bottom of its cells (Excel's default)."""
    decided = 0
    for cut in itertools.combinations(range(1, 5), 2):
        spans = [(0, cut[0] - 1), (cut[0], cut[1] - 1), (cut[1], 4)]
        want = {_NAMES[s]: label for (s, _), label in zip(spans, _LEVEL2, strict=True)}
        for aligns in itertools.product(("top", "centre", "bottom"), repeat=3):
            for whole in (False, True):
                lines = _level_table(spans, aligns, whole)
                doubted = any("二级指标" in d for d in _doubts(*lines))
                assert doubted or _level2_rows(lines) == want, (spans, aligns, whole)
                decided += not doubted
    assert decided >= 20  # and the text decides some of them


def test_a_level_label_among_another_labels_lines_is_centred_counted_in_rows():
    """质量指标 centred over 乙丙丁戊, its two lines printed between the rows' (质量 between
    丙 and 丁, 指标 on 丁's line), and 产出 (一级) on a line of its own between 乙 and 丙:
    counted in lines the label stands a line below its rows' middle, so no cut with it
    over its rows fitted and the one that fits (数量指标 over 甲乙) was read, with the
    doubt. Counted in the rows' lines, the lines that hold no row's words taking no
    room, it is centred: read over its rows, still with the doubt (全国, seed 101, jixiao's
    PDF, 消防设施维护经费)."""
    row = [(40, "按合同约定"), (54, "达成指标"), (66, "5.00"), (74, "5.00")]
    lines = [
        _HEADER,
        placed((3, "数量指标"), (20, "甲"), *row),
        placed((20, "乙"), *row),
        placed((0, "产出")),
        placed((20, "丙"), *row),
        placed((0, "指标"), (3, "质量")),
        placed((3, "指标"), (20, "丁"), *row),
        placed((20, "戊"), *row),
        placed((3, "时效指标"), (20, "己"), *row),
        placed((20, "总分"), (66, "100.00"), (74, "93.77")),
    ]
    assert any("二级指标各管哪几行" in d for d in _doubts(*lines))
    assert _level2_rows(lines) == {"甲": "数量指标", "乙": "质量指标", "己": "时效指标"}


def test_level_pieces_parted_by_their_words_leave_no_doubt():
    """The 一级 and 二级 pieces start in columns 0 to 4 with no gap of two between (标 of
    满意度指标 at 1, 指标 of 质量指标 at 2): by position alone 一级 and 二级 are not told
    apart (a doubt before). Every 一级 piece starts left of every 二级 piece, and of the
    columns to part them at, one alone joins them into whole 一级 and 二级 labels: no doubt
    (转移支付, seed 106, jixiao's PDF)."""
    row = [(40, "按合同约定"), (54, "达成指标"), (66, "5.00"), (74, "5.00")]
    lines = [
        _HEADER,
        placed((3, "数量")),
        placed((0, "产出"), (3, "指标")),
        placed((20, "督导检查次数"), *row),
        placed((0, "指标"), (3, "质量")),
        placed((20, "考核达标率"), *row),
        placed((2, "指标")),
        placed((3, "服务")),
        placed((0, "满意"), (3, "对象")),
        placed((0, "度指"), (3, "满意"), (20, "满意度"), *row),
        placed((1, "标"), (3, "度指")),
        placed((4, "标")),
        placed((20, "总分"), (66, "100.00"), (74, "93.77")),
    ]
    assert _doubts(*lines) == []
    got = texts(*lines)
    assert got[8:11] == ["产出指标", "数量指标", "督导检查次数"]
    assert "质量指标" in got and got[-11:-8] == ["满意度指标", "服务对象满意度指标", "满意度"]


def test_two_cells_one_space_apart_in_one_column_are_a_doubt():
    """pdftotext -layout counts a CJK character as one column, so a 年度指标值 and its
    实际完成值 may come one space apart (符合环保要求 达成预期指标, 四川, seed 102): read into
    one column they are one cell with a space in it or two, not told by position — a
    doubt. Before, 达成预期指标 was read into 年度指标值 with no gap of its own."""
    row = placed(
        (0, "成本指标"),
        (9, "经济成本指标"),
        (20, "施工扬尘控制"),
        (36, "符合环保要求 达成预期指标"),
        (66, "5.00"),
        (74, "5.00"),
    )
    total = placed((20, "总分"), (66, "100.00"), (74, "93.77"))
    [doubt] = _doubts(_HEADER, row, total)
    assert "“达成预期指标”与两栏的距离相近" in doubt


def _date_row(*actual: tuple[int, str]) -> str:
    """A row of 课后服务完成时间 whose 年度指标值 LibreOffice's Writer printed spaced
    (``2024 年 11 月``), with its 实际完成值's words (if any) on its line."""
    return placed(
        (0, "产出指标"),
        (9, "时效指标"),
        (20, "课后服务完成时间"),
        (40, "2024 年 11 月"),
        *actual,
        (66, "2.50"),
        (74, "2.50"),
    )


def test_words_spaced_in_a_cell_are_placed_by_the_runs_of_spaces():
    """LibreOffice's Writer spaces digits from CJK text (``2024 年 11 月``; 全国, seed 100,
    教师培训专项经费, its PDF of the Word file through -layout): 11 月's 月 stands as near
    实际完成值's label as 年度指标值's and was read into 实际完成值 (``2024年11`` /
    ``月2024年9月``, with the doubt). A column's words on a line are one run of words one
    space apart, and 实际完成值 holds the run three spaces on: one placing, no doubt."""
    row = _date_row((54, "2024 年 9 月"))
    total = placed((20, "总分"), (66, "100.00"), (74, "93.77"))
    assert _doubts(_HEADER, row, total) == []
    got = texts(_HEADER, row, total)
    cells = got[got.index("课后服务完成时间") :][1:5]
    assert cells == ["2024 年 11 月", "2024 年 9 月", "2.50", "2.50"]


def test_words_spaced_in_a_cell_the_runs_do_not_place_keep_the_doubt():
    """The same 年度指标值 with no 实际完成值 on its line (printed on the line below): 月 may
    be 年度指标值's or start 实际完成值 one space on (cells squeezed), not told — the doubt;
    and a cell wrapped to a line of its own (按 B/, as 北京's 得分计算方法 wraps) whose
    second word, one space on, could start no other cell (pdftotext pushes words right, not
    left: B/ stands left of the middle of 得分's label, and a text word takes no number
    column) is placed with no doubt of its own."""
    row = _date_row()
    total = placed((20, "总分"), (66, "100.00"), (74, "93.77"))
    [doubt] = _doubts(_HEADER, row, total)
    assert "“月”与两栏的距离相近" in doubt
    wrapped = placed((54, "按 B/"))
    [doubt] = _doubts(_HEADER, _row(40), wrapped, total)
    assert "有的格折行印出" in doubt


def test_a_header_repeated_on_a_new_page_is_no_level_piece():
    """The indicator header printed again at the top of page 2 (一级 二级 / 三级指标 … /
    指标 指标, as jixiao's PDF prints it in -layout): its 指标 / 指标 were taken for level
    pieces and 二级 read 指标质量指标, not a label (北京, seed 100: 二级指标…不完整, every
    level dropped). The header's lines are no rows' and no labels'."""
    row = [(40, "按合同约定"), (54, "达成指标"), (66, "5.00"), (74, "5.00")]
    head = [(20, "三级指标"), (40, "年度指标值"), (54, "实际完成值"), (66, "分值"), (74, "得分")]
    lines = [
        _HEADER,
        placed((0, "产出"), (9, "数量"), (20, "甲"), *row),
        placed((0, "指标"), (9, "指标")),
        placed((20, "乙"), *row),
        "",
        placed((30, "第1页共2页")),
        placed((0, "一级"), (5, "二级")),
        placed(*head),
        placed((0, "指标"), (5, "指标")),
        placed((20, "丙"), *row),
        placed((9, "质量")),
        placed((20, "丁"), *row),
        placed((9, "指标")),
        placed((20, "戊"), *row),
        placed((20, "总分"), (66, "100.00"), (74, "93.77")),
    ]
    assert not [d for d in _doubts(*lines) if "未读入" in d]
    assert _level2_rows(lines) == {"甲": "数量指标", "丙": "质量指标"}


def test_level1_labels_printed_with_their_weight_are_joined_with_it():
    """湖北 prints each 一级 label with its weight, wrapped in its cell like the label
    (成本 / 指标 / (20 / 分)), whole on one line of a wide cell (产出指标(25分), longer than
    any level label) or glued to the label's last piece (满意度指 / 标(10分)): each is one
    一级 label with its weight, over the rows it is centred on. Before, (20分) was read as
    the start of the next label (一级指标“(20分)产出指标…”不完整: no level read, and the
    weights lost with them; 湖北, every form of seeds 100–129 through jixiao's PDF or
    LibreOffice's of the workbook, -layout)."""
    row = [(40, "按合同约定"), (54, "达成指标"), (66, "5.00"), (74, "5.00")]
    lines = [
        _HEADER,
        placed((0, "成本"), (9, "经济")),
        placed((0, "指标"), (9, "成本"), (20, "项目总成本"), *row),
        placed((0, "(20"), (9, "指标")),
        placed((0, "分)")),
        placed((9, "数量指标"), (20, "督导检查次数"), *row),
        placed((0, "产出指标(25分)")),
        placed((9, "质量指标"), (20, "考核达标率"), *row),
        placed((0, "满意度指"), (9, "服务对象满意度指标")),
        placed((0, "标(10分)"), (20, "满意度"), *row),
        placed((20, "总分"), (66, "100.00"), (74, "93.77")),
    ]
    got = texts(*lines)
    assert got[8:11] == ["成本指标(20分)", "经济成本指标", "项目总成本"]
    assert got[16:19] == ["产出指标(25分)", "数量指标", "督导检查次数"]
    assert got[31:34] == ["满意度指标(10分)", "服务对象满意度指标", "满意度"]


def test_a_weight_with_no_label_before_it_is_no_label():
    """A weight printed before any 一级 label, or a second one after a label that has its
    own, is not a piece of one: the 一级 labels are not read (a gap), never guessed."""
    row = [(40, "按合同约定"), (54, "达成指标"), (66, "5.00"), (74, "5.00")]
    total = placed((20, "总分"), (66, "100.00"), (74, "93.77"))
    for pieces in (["(20", "分)", "产出", "指标"], ["产出", "指标(20分)", "(20", "分)"]):
        lines = [_HEADER]
        lines += [placed((0, p), (9, "数量指标"), (20, "甲"), *row) for p in pieces[:2]]
        lines += [placed((0, p), (9, "质量指标"), (20, "乙"), *row) for p in pieces[2:]]
        tokens = layout_tokens("\n".join([*lines, total]) + "\n")
        assert "产出指标" not in [t.text for t in tokens]
        assert any("一级指标" in d and "不完整" in d for t in tokens for d in t.doubts or ())


# 部门整体支出's head: 实施单位 left empty, its line then the fund header's (jixiao's PDF)
_NAME_ROW = placed((0, "部门（单位）名称"), (18, "庙镇课后服务经费"))
_UNIT_ROW = placed((0, "主管部门"), (12, "崇明区教育局"), (40, "实施单位"))
_FUND_HEAD = placed(
    (24, "年初预算数"), (38, "全年预算数"), (52, "全年执行数"), (66, "分数"), (74, "执行率(%)")
)


def test_a_head_label_with_nothing_in_its_place_is_an_empty_cell():
    """部门整体支出's 实施单位 left empty: nothing after it on its line, nothing at its
    columns or right of them on the lines between the row above (部门（单位）名称) and the
    row below (the fund header) — its value's cell, in its row, is empty, as printed: an
    empty cell, no gap. Before, the reader found the fund header after the label and named
    the value missing (“实施单位”后没有读到它的内容: every 部门整体支出 form, seeds 100–129,
    jixiao's PDF and LibreOffice's of the workbook and the Word file, -layout)."""
    for between in ([], [""], ["", ""]):
        got = texts(_NAME_ROW, *between, _UNIT_ROW, *between, _FUND_HEAD)
        assert got[:4] == ["部门（单位）名称", "庙镇课后服务经费", "主管部门", "崇明区教育局"]
        assert got[4:7] == ["实施单位", "", "年初预算数"]
    # the row below another head row (its label in the first column)
    kind = placed((0, "项目类别"), (12, "☑经常性项目"), (40, "项目属性"), (52, "☑延续项目"))
    got = texts(_NAME_ROW, _UNIT_ROW, kind, _FUND_HEAD)
    assert got[4:7] == ["实施单位", "", "项目类别"]
    # 主管部门's value wrapped around its line stands in its own cell, left of the label
    wrapped = placed((0, "主管部门"), (12, "崇明区教育"), (40, "实施单位"))
    got = texts(_NAME_ROW, wrapped, placed((12, "局")), _FUND_HEAD)
    assert got[4:6] == ["实施单位", ""]


def test_a_head_label_whose_place_the_text_does_not_decide_keeps_its_next_cell():
    """Where a word stands at the label's columns or right of them on a line of its row
    (its value printed above or below its line: another alignment, a value wrapped), under
    the row's first label (a paragraph's next line, not a table's cell), or no line of
    another row is found around it, the value is not told empty: the label is left as
    before (the next cell, or the gap)."""
    below = placed((44, "上海市宝山区应急管理局"))
    above = placed((40, "上海市宝山区"))
    paragraph = placed((0, "上海市宝山区应急管理局"))
    # a value that holds a word of the title, or is a label's word, is no other row's line
    like_title = placed((44, "区绩效自评表审核组"))
    for lines in (
        [_NAME_ROW, _UNIT_ROW, below, _FUND_HEAD],
        [_NAME_ROW, _UNIT_ROW, like_title, _FUND_HEAD],
        [_NAME_ROW, like_title, _UNIT_ROW, _FUND_HEAD],
        [_NAME_ROW, _UNIT_ROW, placed((44, "项目负责人")), _FUND_HEAD],
        [_NAME_ROW, above, _UNIT_ROW, _FUND_HEAD],
        [_NAME_ROW, _UNIT_ROW, paragraph, _FUND_HEAD],
        [_UNIT_ROW, _FUND_HEAD],  # no row above it
    ):
        got = texts(*lines)
        k = got.index("实施单位")
        assert got[k + 1] != ""


# 河北's header (jixiao's PDF, seed 101, -layout): four number columns, two of them under
# short wrapped labels (权重占 / 比: a CJK character counts one column, half its width)
_HEBEI_HEADER = [
    placed((91, "单项指")),
    placed((0, "一级"), (3, "二级"), (68, "单项指标"), (80, "权重占"), (105, "偏差原因分析")),
    placed(
        (13, "三级指标"), (30, "年度指标值"), (43, "实际完成值"), (55, "指标分值"), (91, "标折算")
    ),
    placed((0, "指标"), (3, "指标"), (69, "得分"), (81, "比"), (105, "及改进措施")),
    placed((91, "得分")),
]


def _hebei_row(name: str, *numbers: tuple[int, str]) -> str:
    """A row of the table (its level labels left out: only the row's own cells)."""
    return placed((12, name), (31, "≤100%"), (44, "93.29%"), *numbers)


def test_numbers_near_two_columns_are_placed_by_their_runs_down_the_table():
    """河北, seed 101, jixiao's PDF, -layout (#16 item 4, 2026-12-07): 成本控制数's 权重占比
    7.00 stands one column after 权重占 / 比 and three before 标折算: as near the two, a
    doubt on 114 of the 120 forms of 河北. But every row's numbers stand column under
    column: four runs, one a number column, in order; the runs tell its column (a row
    with a blank cell too: 项目总成本's last number is 单项指标折算得分's)."""
    rows = [
        _hebei_row("总成本控制率", (56, "6.50"), (69, "6.50"), (83, "6.50"), (91, "0.42")),
        _hebei_row("成本控制数", (56, "7.00"), (69, "7.00"), (84, "7.00"), (91, "0.49")),
        _hebei_row("项目总成本", (56, "5.00"), (69, "5.00"), (88, "0.25")),
    ]
    total = placed((12, "总分"), (56, "100.00"), (69, "93.77"))
    assert not [d for d in _doubts(*_HEBEI_HEADER, *rows, total) if "按文字在行中" in d]
    got = texts(*_HEBEI_HEADER, *rows, total)
    assert got[got.index("成本控制数") :][3:7] == ["7.00", "7.00", "7.00", "0.49"]
    assert got[got.index("项目总成本") :][3:7] == ["5.00", "5.00", "", "0.25"]


def test_numbers_in_fewer_runs_than_number_columns_keep_the_doubt():
    """A number column blank in every row: three runs for four columns, the runs do not
    tell which column is the blank one; 7.00, one column after 权重占 / 比 and three before
    标折算, keeps the doubt (still placed at the least distance: 权重占比)."""
    rows = [
        _hebei_row("总成本控制率", (56, "6.50"), (69, "6.50"), (84, "7.00")),
        _hebei_row("成本控制数", (56, "5.00"), (69, "5.00"), (84, "5.00")),
    ]
    total = placed((12, "总分"), (56, "100.00"), (69, "93.77"))
    [doubt] = [d for d in _doubts(*_HEBEI_HEADER, *rows, total) if "按文字在行中" in d]
    assert "“7.00”与两栏的距离相近" in doubt
    got = texts(*_HEBEI_HEADER, *rows, total)
    assert got[got.index("总成本控制率") :][3:7] == ["6.50", "6.50", "7.00", ""]


def _deviating(last: str) -> list[str]:
    """A row whose 分值 / 得分 / 偏差原因 are topped (jixiao's PDF, a row with a 偏差原因),
    its other cells centred two lines below, its 偏差原因 four lines ending with ``last``;
    then a row on one line with a 偏差原因 of its own."""
    return [
        _HEADER,
        placed((66, "5.00"), (74, "4.00"), (82, "由于部分工作推进")),
        placed((82, "滞后，已加强与相")),
        placed(
            (0, "成本指标"),
            (9, "经济成本指标"),
            (20, "项目总成本"),
            (40, "不高于100元"),
            (54, "90元"),
            (82, "关部门沟通协调。"),
        ),
        placed((82, last)),
        placed(
            (0, "产出指标"),
            (9, "数量指标"),
            (20, "项目数量"),
            (40, "≥10个"),
            (54, "10个"),
            (66, "5.00"),
            (74, "4.50"),
            (82, "质量未达标。"),
        ),
        placed((20, "总分"), (66, "100.00"), (74, "93.77")),
    ]


def test_a_wrapped_line_the_text_settles_goes_to_its_row_with_no_doubt():
    """Rows do not overlap, so one cut parts the lines between two rows' own lines in every
    column at once; and a cell's lines but its last are full. 下一步加快。 has room left for
    the next 偏差原因 line's first character (质, by the widths of the fonts forms are
    printed in): it ends its cell, so the cut lies below it and every line above it is the
    row above's. Before, the lines went to the nearer row (下一步加快。 to 项目数量's, a guess)
    or, worse, to the row whose own line lacked the column, with no gap of their own (全国 /
    上海 / 部门整体, jixiao's PDF: a topped 偏差原因 continued into the next row's, which has
    none, 6,321 words of seeds 100–129 read so under the blanket doubt)."""
    lines = _deviating("下一步加快。")
    assert _doubts(*lines) == []
    got = texts(*lines)
    assert got[8:16] == [
        *("成本指标", "经济成本指标", "项目总成本", "不高于100元", "90元", "5.00", "4.00"),
        "由于部分工作推进滞后，已加强与相关部门沟通协调。下一步加快。",
    ]
    assert got[16:24] == [
        *("产出指标", "数量指标", "项目数量", "≥10个", "10个", "5.00", "4.50", "质量未达标。"),
    ]


def test_a_wrapped_line_as_wide_as_its_column_keeps_the_doubt():
    """The same rows, the 偏差原因's last line as wide as the column's widest (it might have
    been full, the next line going on its cell): the rows of the lines below 项目总成本's are
    not settled, and the table keeps its doubt."""
    doubts = _doubts(*_deviating("下一步将加快实施"))
    assert any("有的格折行印出" in d for d in doubts)


def test_lines_around_a_row_without_the_column_are_not_both_its_own():
    """项目数量's own line has no 偏差原因; 推进滞后。 above it and 将加快工作进度， below it.
    推进滞后。 had room for 将 (a line of 8): the two are not one cell, so not both 项目数量's.
    控制较好。, the row above's own, had room for 推 too, so 推进滞后。 is 项目数量's, and
    将加快工作进度， goes on 确保完成。 below, the next row's own. Before, the line below went
    to the row whose own line lacked the column (项目数量, under the table's doubt)."""
    lines = [
        _HEADER,
        placed(
            (0, "成本指标"),
            (9, "经济成本指标"),
            (20, "项目总成本"),
            (40, "不高于100元"),
            (54, "90元"),
            (66, "5.00"),
            (74, "5.00"),
            (82, "控制较好。"),
        ),
        placed((82, "推进滞后。")),
        placed(
            (0, "产出指标"),
            (9, "数量指标"),
            (20, "项目数量"),
            (40, "≥10个"),
            (54, "10个"),
            (66, "5.00"),
            (74, "4.00"),
        ),
        placed((82, "将加快工作进度，")),
        placed(
            (0, "效益指标"),
            (9, "社会效益指标"),
            (20, "群众满意度"),
            (40, "≥90%"),
            (54, "85%"),
            (66, "5.00"),
            (74, "4.50"),
            (82, "确保完成。"),
        ),
        placed((20, "总分"), (66, "100.00"), (74, "93.77")),
    ]
    assert _doubts(*lines) == []
    got = texts(*lines)
    assert [got[15], got[23], got[31]] == ["控制较好。", "推进滞后。", "将加快工作进度，确保完成。"]
