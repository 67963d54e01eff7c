"""Rows of an indicator table with text columns beyond the seed's three (新疆's six, 北京's
得分计算方法, 湖北's 改进措施及结果应用方案, 四川's 指标性质 / 度量单位) in ``pdftotext -raw``
text: where a row's wrapped cells part more than one way, the cells every reading agrees on
are read (三级指标, 指标值, 完成值 before the added columns, 分值 and 得分 after them), and a gap
names the row, the columns not settled and their text (``text_columns.settle_rows``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jixiao.generate import layout_forms
from jixiao.ingest.text import parse_text
from jixiao.ingest.text_columns import Row, read_rows, settle_rows
from jixiao.ingest.text_indicators import _apart_joined, _not_by_words

ROWS = Path(__file__).parent / "data" / "raw-rows"

XINJIANG = ("资金来源", "指标值设置依据", "上年完成值", "完成率", "指标赋分规则", "佐证资料")


def _cells(form) -> list[tuple]:
    return [(i.name, i.target, i.actual, i.weight, i.score) for i in form.indicators]


def test_xinjiang_rows_keep_the_cells_every_reading_agrees_on():
    """jixiao's PDF of 新疆 (seed 100, form 0, its first three rows; ``-raw``): the six added
    columns' narrow cells (财政资 / 金 / 预算支 / 出标准 / …) part several ways within the
    columns' widths, so they stay unread, named with their text; the three cells before them
    stand on one line (教学设备更新经费支出 不超预算额度 达成年度指标), so every reading has
    them, and they are read. Before, the whole row was a gap (no 三级指标 / 指标值 / 完成值)."""
    [form] = parse_text((ROWS / "xinjiang-jixiao-pdf-100-raw.txt").read_text("utf-8"))
    want = layout_forms(4, "xinjiang", seed=100)[0]
    assert _cells(form) == _cells(want)[:3]
    assert all(not i.extras for i in form.indicators)
    gaps = [g for g in form.gaps if "分不出各格所在的栏" in g]
    assert gaps[0] == (
        "第31行：绩效指标行“教学设备更新经费支出”的格折行印出，按文字的先后和各栏的宽度分不出"
        f"各格所在的栏（{'、'.join(XINJIANG)}），这几栏未读入，其文字依次为："
        + "".join(want.indicators[0].extras[label] for label in XINJIANG)
    )
    for gap, row in zip(gaps, want.indicators, strict=False):
        assert f"“{row.name}”" in gap and gap.endswith("".join(row.extras.values()))
    assert len(gaps) == 3


def test_a_row_settles_what_every_reading_agrees_on():
    """``settle_rows``: the cells every reading that fits agrees on, None for the others, the
    text of those in order; a row every reading agrees on whole is as ``read_rows`` reads it."""
    method = ["完成值", "达到指", "标值记", "满分，", "未达到", "按B/", "A×分", "值记分"]
    rows = [
        (["农田水利设施建设经费支出 按合同约定 达成指标", *method], []),
        (["项目总成本", "不高于", "1304215.90", "元", "492071.45元", *method], []),
    ]
    whole, part = settle_rows(rows, ("得分计算方法",), ["得分计", "算方法"])
    assert whole is not None and part is not None
    assert whole.cells == ["农田水利设施建设经费支出", "按合同约定", "达成指标", "".join(method)]
    assert whole.rest == ""
    # 不高于1304215.90元 / 492071.45元 / 完成值… or 不高于1304215.90元 / 492071.45元完成值 / 达到指…
    assert part.cells == ["项目总成本", None, None, None]
    assert part.rest == "不高于1304215.90元492071.45元" + "".join(method)
    assert read_rows(rows, ("得分计算方法",), ["得分计", "算方法"])[1] is None


def test_added_cells_of_one_line_with_none_settled_are_named_one_by_one():
    """Two added columns and one cell beyond the seed's: the seed's three are read, and the
    fourth may be either added column's (the count does not tell which is empty)."""
    pieces = ["指标赋", "分规则", "佐证资", "料"]
    [row] = settle_rows([([], ["甲", "乙", "丙", "丁"])], ("指标赋分规则", "佐证资料"), pieces)
    assert row is not None
    assert row.cells == ["甲", "乙", "丙", None, None] and row.rest == "丁"


def test_a_comparison_word_or_unit_set_apart_is_one_word_with_its_number():
    """LibreOffice's PDF of 湖北's Word file (seed 104, form 0; ``-raw``) sets each run of
    another font apart: ``安全生产检查宣传活动场次 不少于 18 场 19 场``. A unit after its number
    and a comparison word before it are one word with it, as the seed's columns take them;
    before, ``不少于`` was the 指标值, ``18场`` the 完成值 and ``19场`` the 改进措施. (The
    second row, ``安全隐患排查经费支出 按合同约定`` / ``部分达成年`` / ``度指标`` / …, may
    have a two-line 指标值 begun on its first line, which this excerpt's other rows do not
    rule out: a gap.)"""
    [form] = parse_text((ROWS / "hubei-20-lo-docx-104-raw.txt").read_text("utf-8"))
    want = layout_forms(4, "hubei-20", seed=104)[0]
    got = _cells(form)
    assert got[1] == (want.indicators[1].name, "", "", Decimal("5.00"), Decimal("3.25"))
    assert got[:1] + got[2:] == (_cells(want)[:1] + _cells(want)[2:])[: len(got) - 1]
    assert len(form.indicators) == 8
    third = form.indicators[2]
    assert third.target == "不少于18场" and third.weight == Decimal("1.00")
    assert [g[:26] for g in form.gaps if "指标" in g] == [
        "第34行：绩效指标行“安全隐患排查经费支出”的格折行"
    ]
    assert _apart_joined("不低于 95% 96%") == "不低于95% 96%"
    assert _apart_joined("不少于 30") == "不少于30"
    assert _apart_joined("达成指标 按合同约定") == "达成指标 按合同约定"


def test_rows_whose_words_do_not_part_their_cells_are_not_read():
    """A row whose lines end a sentence holds a 偏差原因 printed under the row before
    (LibreOffice's Word file: 湖北 seed 207, …及时跟踪整改。 / 成本控制数 / 不高于 …), and a date
    printed apart may have the next cell's first piece set against it (北京 seed 100, ``2024 年
    11月2024 年 9 月``): neither is read by its words."""
    assert _not_by_words(["因服务对象实际需", "…及时跟踪整改。", "成本控制数"], ["达成指标"])
    assert _not_by_words(["课后服务完成时间 2024 年 11月2024 年 9 月 完成值"], [])
    assert not _not_by_words(["课后服务完成时间 2024年11月 2024年9月"], ["完成值"])


def test_text_not_printed_in_the_tables_order_reads_whole_rows_only():
    """The cells every reading agrees on are read only in text printed in the table's order
    (the seed's flattening, ``pdftotext -raw``); text the fast reader reads when no other
    reader found a form (``pdftotext`` default) reads only rows one reading fits, as
    before."""
    text = (ROWS / "xinjiang-jixiao-pdf-100-raw.txt").read_text("utf-8")
    [form] = parse_text(text, by_order=False)
    assert [i.name for i in form.indicators] == ["", "", ""]
    assert all("未读入：" in g for g in form.gaps if "分不出各格所在的栏" in g)


def test_a_two_line_cell_may_begin_on_the_line_of_the_cells_before_it():
    """LibreOffice's PDF of 湖北's Word file (seed 405, form 1, to its 11th row; ``-raw``):
    a row's cells are centred, so a cell of two lines after one of one line prints half a
    line off it, and ``pdftotext -raw`` may set its first line on the line before:
    ``慢性病管理及时性 按时 部分达成年`` / ``度指标`` / ``加强过`` / …, the 实际完成值
    部分达成年度指标. Read as a one-line 部分达成年 and 改进措施 度指标加强过…, it fits the
    widths too, so those two columns are a gap; before, 部分达成年 was read with no gap."""
    text = (ROWS / "hubei-20-lo-docx-405-raw.txt").read_text("utf-8")
    [form] = parse_text(text)
    want = layout_forms(4, "hubei-20", seed=405)[1]
    row = form.indicators[10]
    assert row.name == "慢性病管理及时性" and row.target == "按时" and row.actual == ""
    assert not row.extras
    assert (
        "第119行：绩效指标行“慢性病管理及时性”的格折行印出，按文字的先后和各栏的宽度分不出各格所在"
        "的栏（实际完成值、改进措施及结果应用方案），这几栏未读入，其文字依次为："
        "部分达成年度指标加强过程管理，下年度按时完成"
    ) in form.gaps
    assert want.indicators[10].actual == "部分达成年度指标"
    for got, row in zip(form.indicators, want.indicators, strict=False):  # read or a gap
        assert got.name == row.name and got.target in ("", row.target)
        assert got.actual in ("", row.actual) and got.extras in ({}, row.extras)
    # jixiao's PDF sets its lines 1.4 em apart: a line half a line off is never joined
    assert settle_rows(
        [(["慢性病管理及时性 按时 部分达成年", "度指标", "加强过"], [])],
        ("改进措施及结果应用方案",),
        ["改进措", "施及结", "果应用", "方案"],
    )[0] == Row(["慢性病管理及时性", "按时", "部分达成年", "度指标加强过"], "")
