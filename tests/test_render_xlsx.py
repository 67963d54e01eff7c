"""The Excel export read back with openpyxl: merges, numbers, print setup, flat sheet."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from jixiao.audit import audit_forms
from jixiao.model import FUND_COLUMNS, FUND_ROWS, SelfEvaluation
from jixiao.render.xlsx import render_xlsx, sheet_name, text_units, wrapped_lines


def number(cell) -> Decimal | str:
    """A cell as the form would write it: numbers back to Decimal via str (openpyxl floats)."""
    value = cell.value
    return value if isinstance(value, str) else Decimal(str(value))


@pytest.fixture(scope="module")
def workbook(oracle_forms: list[SelfEvaluation]):
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(oracle_forms)))


@pytest.fixture(scope="module")
def single(oracle_forms: list[SelfEvaluation]):
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(oracle_forms[:1])))["自评表"]


def test_sheets_summary_then_one_per_form_then_the_flat_table(workbook) -> None:
    assert workbook.sheetnames[0] == "汇总"
    assert workbook.sheetnames[1] == "1-其他人员经费"
    assert workbook.sheetnames[9] == "9-城维工程类"
    assert workbook.sheetnames[-1] == "指标明细"
    assert len(workbook.sheetnames) == 11


def test_summary_sheet_one_row_per_form(oracle_forms: list[SelfEvaluation], shanghai) -> None:
    audits = audit_forms(oracle_forms, shanghai)
    states = ["审核通过", *([None] * (len(oracle_forms) - 1))]
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(oracle_forms, audits, states)))
    ws = book["汇总"]
    head = [c.value for c in ws[1]]
    assert head == [
        "序号", "单位", "年度", "项目", "执行率(%)（填报）", "执行率(%)（计算）",
        "总分（填报）", "总分（计算）", "评分等级（填报）", "评分等级（计算）", "状态",
        "错误（项）", "警告（项）", "提示（项）",
    ]  # fmt: skip
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == len(oracle_forms) == 9
    first, audit = rows[0], audits[0]
    assert first[1:4] == ["上海市嘉定区江桥镇城市运行管理中心", 2024, "其他人员经费"]
    assert [Decimal(str(v)) for v in first[4:6]] == [Decimal("85.25"), Decimal("85.25")]
    assert Decimal(str(first[7])) == audit.scorecard.total.computed
    assert first[8:11] == ["优", "优", "审核通过"]
    assert first[11:] == [audit.count("error"), audit.count("warning"), audit.count("info")]
    assert rows[1][10] == "-"
    assert sum(sum(r[11:]) for r in rows) == sum(len(a.findings) for a in audits) > 0
    bare = openpyxl.load_workbook(io.BytesIO(render_xlsx(oracle_forms[:1])))["汇总"]
    values = [c.value for c in bare[2]]  # no audit given: nothing computed, no counts
    assert [values[i] for i in (5, 7, 9, 10, 11, 12, 13)] == ["-"] * 7
    assert values[8] == "优"


def test_header_block_merges(single) -> None:
    merges = {str(r) for r in single.merged_cells.ranges}
    expected = {"A1:I1", "A2:I2", "A3:B3", "C3:I3", "A4:B4", "C4:D4", "F4:I4", "A5:B9"}
    expected |= {"A10:A11", "B10:E10", "F10:I10", "B11:E11", "F11:I11", "C12:D12"}
    assert expected <= merges
    assert single["A1"].value == "财政项目支出绩效自评表"
    assert single["A2"].value == "（2024年度）"
    assert single["C3"].value == "其他人员经费"
    assert single["F4"].value == "上海市嘉定区江桥镇城市运行管理中心"
    assert single["A5"].value == "项目资金\n（万元）"


def test_funds_are_numbers_with_two_decimals(single, oracle_forms: list[SelfEvaluation]) -> None:
    form = oracle_forms[0]
    headers = [single.cell(5, c).value for c in range(4, 10)]
    assert headers == ["年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"]
    for r, key in enumerate(FUND_ROWS, start=6):
        row = getattr(form.funds, key)
        for c, column in enumerate(FUND_COLUMNS, start=4):
            cell = single.cell(r, c)
            declared = getattr(row, column)
            if declared is None:
                assert cell.value == "-"
            else:
                assert isinstance(cell.value, int | float)
                assert cell.number_format == "0.00"
                assert number(cell) == declared
    assert single["D6"].value == pytest.approx(1245.54)


def test_indicator_rows_and_level_merges(single, oracle_forms: list[SelfEvaluation]) -> None:
    form = oracle_forms[0]
    merges = {str(r) for r in single.merged_cells.ranges}
    # 一级: 成本 rows 13-14, 产出 15-21, 效益 22-24; 满意度 row 25 alone.
    assert {"A13:A14", "A15:A21", "A22:A24", "B15:B17", "B18:B19", "B20:B21"} <= merges
    assert not any(m.startswith("A25:") for m in merges)
    for r, ind in enumerate(form.indicators, start=13):
        assert single.cell(r, 3).value == ind.name
        assert single.cell(r, 5).value == ind.target
        assert single.cell(r, 6).value == ind.actual
        assert number(single.cell(r, 7)) == ind.weight
        assert number(single.cell(r, 8)) == ind.score
    assert single["A13"].value == "成本指标"
    assert single["B15"].value == "数量指标"
    assert single["A26"].value == "总分"
    assert number(single["G26"]) == Decimal("100.00")
    assert number(single["H26"]) == Decimal("98.53")
    assert single["A27"].value == "评分等级"
    assert single["G27"].value == "优"
    assert {"A26:F26", "A27:F27", "G27:I27"} <= merges


def test_print_setup(single) -> None:
    assert single.page_setup.paperSize == 9  # A4
    assert single.page_setup.orientation == "portrait"
    assert single.sheet_properties.pageSetUpPr.fitToPage is True
    assert single.page_setup.fitToHeight == 0
    assert single.print_title_rows == "$12:$12"
    assert single.print_area == "'自评表'!$A$1:$I$27"
    assert single["C13"].alignment.wrap_text is True
    assert single.column_dimensions["C"].width > single.column_dimensions["A"].width


def test_flat_sheet_has_every_indicator(workbook, oracle_forms: list[SelfEvaluation]) -> None:
    ws = workbook["指标明细"]
    rows = list(ws.iter_rows(min_row=2, values_only=False))
    assert len(rows) == sum(len(f.indicators) for f in oracle_forms) == 100
    assert [c.value for c in ws[1]][:7] == [
        "序号", "单位", "年度", "项目名称", "一级指标", "二级指标", "三级指标"
    ]  # fmt: skip
    last = rows[-1]
    form = oracle_forms[-1]
    assert last[0].value == 9
    assert (last[1].value, last[2].value) == (form.unit, 2024)
    assert last[3].value == form.project
    assert last[6].value == form.indicators[-1].name
    assert number(last[9]) == form.indicators[-1].weight
    assert last[10].number_format == "0.00"
    assert ws.freeze_panes == "A2"


def test_missing_numbers_show_a_dash() -> None:
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx([SelfEvaluation(project="甲")])))["自评表"]
    assert ws["D6"].value == "-"
    assert ws["H13"].value == "-"  # 总分 得分 of a form with no indicators


def test_sheet_names_are_valid_and_short() -> None:
    form = SelfEvaluation(project="很长的项目名称/含非法字符:*?[]" * 3)
    name = sheet_name(form, 12, 20)
    assert len(name) <= 31
    assert not set(name) & set("[]:*?/\\")
    assert name.startswith("12-很长的项目名称含非法字符")


def test_wrapping_estimate_counts_cjk_double() -> None:
    assert text_units("ab测试") == 6
    assert wrapped_lines("测" * 20, 11) == 4
    assert wrapped_lines("", 11) == 1


def test_a_merged_label_taller_than_its_rows_gets_room() -> None:
    from jixiao.model import Indicator

    form = SelfEvaluation(
        indicators=[Indicator(level1="满意度指标", level2="服务对象满意度指标", name="满意度")]
    )
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx([form])))["自评表"]
    # B holds 2 CJK characters a line (4.5 units): 服务对象满意度指标 needs 4 lines.
    assert ws.row_dimensions[13].height == pytest.approx(14.0 * 4 + 4)


def test_flat_sheet_prints_its_long_texts_whole() -> None:
    """A long 偏差原因 wraps in its cell and its row is tall enough for it: printed
    (LibreOffice's PDF of the workbook), it was cut off at the page's edge."""
    from jixiao.generate import layout_forms

    forms = layout_forms(2, "national-2020", seed=3)
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx(forms)))["指标明细"]
    rows = list(ws.iter_rows(min_row=2))
    indicators = [ind for form in forms for ind in form.indicators]
    long = next(i for i, ind in enumerate(indicators) if text_units(ind.deviation) > 80)
    cell = rows[long][11]
    assert cell.value == indicators[long].deviation
    assert cell.alignment.wrap_text is True
    lines = wrapped_lines(indicators[long].deviation, 40)
    assert lines >= 3
    assert ws.row_dimensions[long + 2].height == pytest.approx(14.0 * lines + 4, abs=0.5)
