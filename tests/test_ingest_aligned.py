"""Indicator tables read by aligning cells to columns (``ingest/aligned.py``) and short fund
rows placed by their arithmetic (``ingest/fund_cells.py``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.ingest.aligned import align_rows, header_columns, is_level2, level_name
from jixiao.ingest.fund_cells import place_short
from jixiao.ingest.vocabulary import LEVELS, wrapped_levels

FUNDS = ["initial", "adjusted", "executed", "weight", "rate", "score"]
COLUMNS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")
HEADS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因")


def test_header_wrapped_over_two_lines():
    texts = ["一级指标", "二级指标", "三级指标", "年度", "实际", "分值", "得分"]
    texts += ["偏差原因分析及改进措施", "指标值", "完成值", "产出指标"]
    header = header_columns(texts)
    assert header is not None
    assert header.keys == COLUMNS
    assert header.texts[3:5] == ("年度指标值", "实际完成值")
    assert header.used == 10  # 产出指标 is the first row's


def test_header_in_two_rows_read_one_after_the_other():
    texts = ["绩效指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    texts += ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "产出指标"]
    header = header_columns(texts)
    assert header is not None
    assert header.texts == (
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "指标值",
        "度量单位",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    )
    assert header.keys[3:6] == ("extra", "target", "extra")


def test_header_without_scores_is_none():
    assert header_columns(["一级指标", "二级指标", "三级指标", "备注"]) is None


def _read(texts: list[str], keys=COLUMNS, heads=HEADS) -> list[dict[str, str]]:
    rows = align_rows(keys, heads, texts)
    assert rows is not None
    out = []
    for row in rows:
        cells = {keys[c]: texts[i] for c, i in row.cells}
        cells["level1"], cells["level2"] = row.level1, row.level2
        out.append(cells)
    return out


def test_dropped_blank_cells_and_merged_levels():
    # cells parted by spaces: the blank 偏差原因 cells vanished, 一级 / 二级 merged
    texts = "产出指标(50分) 数量指标 甲 ≥50个 50 8 8 质量指标 乙 ≥100% 100 8 8 丙 严格 达成 8 8"
    rows = _read(texts.split())
    # the 一级 as printed, its weight kept (the mapper makes it a level1_weights entry)
    assert [(r["level1"], r["level2"], r["name"]) for r in rows] == [
        ("产出指标(50分)", "数量指标", "甲"),
        ("产出指标(50分)", "质量指标", "乙"),
        ("产出指标(50分)", "质量指标", "丙"),
    ]
    assert [(r["target"], r["actual"], r["weight"], r["score"]) for r in rows][2] == (
        "严格",
        "达成",
        "8",
        "8",
    )
    assert all("deviation" not in r for r in rows)


def test_deviation_text_stays_with_its_row():
    texts = ["产出指标", "数量指标", "甲", "43.2", "37.24", "10", "9", "已完工，尾款未付。"]
    texts += ["", "", "乙", "100", "100", "10", "10", ""]
    rows = _read(texts)
    assert rows[0]["deviation"] == "已完工，尾款未付。"
    assert (rows[1]["name"], rows[1]["level2"], rows[1]["score"]) == ("乙", "数量指标", "10")


def test_a_level2_with_no_level3_ends_its_row():
    texts = "效益指标 社会效益指标 甲 有效 有效 10 10 生态效益指标 可持续影响指标 乙 好 好 10 9"
    rows = _read(texts.split())
    assert [(r["level2"], r.get("name", "")) for r in rows] == [
        ("社会效益指标", "甲"),
        ("生态效益指标", ""),
        ("可持续影响指标", "乙"),
    ]


def test_a_level1_printed_after_its_row_is_given_to_it():
    texts = ["数量指标", "甲", "12.5", "12.5", "12.5", "12.5", "产出指标(50分)", "质量指标", "乙"]
    rows = _read(texts)
    assert rows[0]["level1"] == "产出指标(50分)" and rows[0]["name"] == "甲"
    assert rows[1]["level1"] == "产出指标(50分)" and rows[1]["level2"] == "质量指标"


def test_a_number_is_no_level3():
    """Rows that lack both values (printed elsewhere: LibreOffice's second pass) and no
    偏差原因: each line its own row. Before, the next row's 三级指标 was read as the 偏差原因
    and its numbers as the following row's 三级指标 and 年度指标值 (三级指标 "2.50")."""
    texts = ["产出指标", "数量指标", "甲", "2.00", "2.00", "乙", "2.50", "2.50", "丙", "1.50"]
    texts += ["1.50", "丁", "≥1次", "1次", "1.00", "1.00"]
    rows = _read(texts)
    assert [(r["name"], r["weight"], r["score"]) for r in rows] == [
        ("甲", "2.00", "2.00"),
        ("乙", "2.50", "2.50"),
        ("丙", "1.50", "1.50"),
        ("丁", "1.00", "1.00"),
    ]
    assert not any("deviation" in r or "target" in r for r in rows[:3])


def test_a_level1_where_the_level2_stands_starts_its_rows():
    """A 一级 that is no 二级 (效益指标), read in the 二级 column after 产出指标's rows, is the
    next 一级 (its 二级, wrapped, printed elsewhere): not a 二级 of 产出指标. 成本指标, a 二级
    under 产出指标 too, stays a 二级 there."""
    texts = ["产出指标", "数量指标", "甲", "1", "1", "8", "8", "成本指标", "乙", "1", "1", "8"]
    texts += ["8", "效益指标", "丙", "有效", "有效", "10", "10", "丁", "好", "好", "10", "9"]
    rows = align_rows(COLUMNS, HEADS, texts)
    assert rows is not None
    assert [(r.level1, r.level2, r.level2_elsewhere) for r in rows] == [
        ("产出指标", "数量指标", False),
        ("产出指标", "成本指标", False),
        ("效益指标", "", True),
        ("效益指标", "", False),
    ]


def test_a_completion_that_ends_in_zhibiao_is_no_level2():
    """达成指标, 未达成年度指标: 实际完成值 that end in 指标 like a 二级 label; a 二级 that
    is not in the vocabulary (进度指标) still is one."""
    assert not is_level2("达成指标") and not is_level2("部分达成年度指标")
    assert is_level2("进度指标") and is_level2("服务对象满意度指标")


def test_wrapped_level_labels_are_joined_from_their_pieces():
    """The pieces of merged level cells, a cell each, as LibreOffice's second pass prints
    them after the table (a 一级's weight wrapped with it; another cell parts them)."""
    cells = ["经济成本", "指标", "≥2.00(次) 2.00(次)", "产出指标", "(35分)", "满意度指"]
    cells += ["标(10分)", "服务对象", "满意度指", "标", "指标"]
    assert wrapped_levels(cells) == ["经济成本指标", "产出指标", "满意度指标", "服务对象满意度指标"]
    assert wrapped_levels(["社会效益", "2小时内", "指标"]) == []


def test_level_names_drop_printed_weights_and_wraps():
    assert level_name("产出指标(50分)") == "产出指标"
    assert level_name("经济效益 指标") == "经济效益指标"


def test_short_fund_row_by_its_rate():
    # 云南: two amounts for three columns; 100% = 执行数 / 全年预算数 places them
    pieces = ["387664.62", "387664.62", "10", "100%", "10"]
    assert place_short(pieces, FUNDS) == [1, 2, 3, 4, 5]
    # the row below follows the row above's blank column
    assert place_short(["387664.62", "387664.62", "—", "—"], FUNDS, [1, 2, 3, 4, 5]) == [1, 2, 3, 4]


def test_short_fund_row_blank_at_its_end():
    assert place_short(["90", "89.974", "89.974"], FUNDS) == [0, 1, 2]


def test_short_fund_row_that_cannot_be_decided_is_none():
    # 5 numbers and no rate to check: which amount is missing is not known
    assert place_short(["30", "30", "10", "10", "10"], FUNDS) is None
    assert place_short(["1", "2", "3"], FUNDS[:3]) is None  # not short


NAMES = st.text(alphabet="甲乙丙丁戊己庚辛壬癸", min_size=1, max_size=6)
VALUES = st.sampled_from(["≥95%", "100%", "是", "12月底前", "≤90万元"])
NUMBERS = st.sampled_from(["5", "8", "10", "12.5", "20"])


@st.composite
def tables(draw):
    """Rows of an indicator table (一级 / 二级 from the template), with some 偏差原因."""
    rows = []
    for level1 in draw(st.lists(st.sampled_from(list(LEVELS)), min_size=1, max_size=3)):
        for level2 in draw(st.lists(st.sampled_from(LEVELS[level1]), min_size=1, max_size=2)):
            for _ in range(draw(st.integers(1, 3))):
                weight = draw(NUMBERS)
                deviation = draw(st.sampled_from(["", "", "未完成原因：天气。"]))
                row = [level1, level2, draw(NAMES), draw(VALUES), draw(VALUES), weight, weight]
                rows.append([*row, deviation])
    return rows


@settings(max_examples=60, deadline=None)
@given(tables(), st.booleans())
def test_rows_come_back_whatever_blank_cells_are_dropped(rows, drop):
    """Merged 一级 / 二级 printed once; blank cells dropped (cells parted by spaces) or kept."""
    texts: list[str] = []
    last = ("", "")
    for row in rows:
        cells = list(row)
        if (row[0], row[1]) == last:
            cells[0] = cells[1] = ""  # under a merge: printed empty …
            if drop:
                cells = cells[2:]  # … or not at all
        elif row[0] == last[0]:
            cells[0] = ""
            if drop:
                cells = cells[1:]
        last = (row[0], row[1])
        texts += [c for c in cells if c or not drop]
    read = _read(texts)
    assert [(r["level1"], r["level2"], r["name"], r["score"]) for r in read] == [
        (row[0], row[1], row[2], row[6]) for row in rows
    ]
    assert [r.get("deviation", "") for r in read] == [row[7] for row in rows]
