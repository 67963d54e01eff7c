"""Import tells what each sheet is: 申报表, 监控表, 自评表, or another sheet skipped.

On the real central 项目库 export (tests/data/workbooks) and on generated workbooks
holding its sheets, a filled 自评表 and filled 申报表 / 监控表 in shuffled orders.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.generate_plans import generate_year
from jixiao.ingest import read_bytes, read_documents, read_documents_bytes, read_forms
from jixiao.ingest.grid import Grid
from jixiao.ingest.kinds import Kind, classify, sheet_name
from jixiao.ingest.xlsx import xls_grids, xlsx_grids
from jixiao.plans import Documents
from jixiao.render import render_xlsx
from jixiao.render.plans import render_plans_xlsx

from .workbooks import REAL_OTHER_SHEETS, REAL_WORKBOOK, named, workbook_of

D = Decimal


@pytest.fixture(scope="module")
def real() -> Documents:
    return read_documents(REAL_WORKBOOK)


def test_each_sheet_of_the_real_workbook_is_told_apart() -> None:
    grids = xls_grids(REAL_WORKBOOK.read_bytes(), "x.xls")
    kinds = {sheet_name(g): classify(g).kind for g in grids}
    assert kinds == {
        **dict.fromkeys(REAL_OTHER_SHEETS, Kind.OTHER),
        "项目支出绩效目标申报表": Kind.DECLARATION,
        "项目支出绩效目标执行监控": Kind.MONITORING,
        "项目支出绩效自评表": Kind.SELF_EVALUATION,
    }
    titles = {sheet_name(g): classify(g).title for g in grids}
    assert titles["项目支出绩效目标申报表"] == "2019年210青少年校园足球扶持资金绩效目标表"
    assert titles["项目支出计划"] == "支出计划"


def test_the_real_workbook_gives_three_documents_and_names_every_other_sheet(
    real: Documents,
) -> None:
    assert real.skipped == [f"{name}：不是绩效表，已跳过" for name in REAL_OTHER_SHEETS]
    assert "项目支出计划：不是绩效表，已跳过" in real.skipped
    assert (len(real.forms), len(real.declarations), len(real.monitorings)) == (1, 1, 1)


def test_the_nearly_blank_self_evaluation_is_read_as_what_it_is(real: Documents) -> None:
    form = real.forms[0]
    assert form.title == "项目支出绩效自评表"
    assert form.year == 2019
    assert form.project == "2019年210青少年校园足球扶持资金"
    assert form.department == "教育部"
    assert form.goals.expected == "完成校园足球运动技术动画20集的设计制作与播出"
    assert form.goals.achieved == ""
    assert form.indicators == []
    assert (form.total_weight, form.total_score) == (D(0), D(0))
    assert form.gaps == [  # no 评分等级 asked: the national form has none
        "绩效指标：表中只有表头，指标行为空",
        "项目资金：表中只有表头，各行为空",
    ]
    assert form.unmapped == []
    # the forms-only readers give this one form, not ten
    assert [f.project for f in read_forms(REAL_WORKBOOK)] == [form.project]
    assert len(read_bytes(REAL_WORKBOOK.read_bytes(), "x.xls")) == 1


def test_the_real_declaration_and_monitoring(real: Documents) -> None:
    plan = real.declarations[0]
    assert (plan.title, plan.year) == ("2019年210青少年校园足球扶持资金绩效目标表", 2020)
    assert (plan.department, plan.unit) == ("[105]教育部", "北京大学")
    assert plan.extras == {"项目属性": "", "项目周期": "1年"}
    assert plan.annual_funds.total == D("0.00") and plan.medium_funds.fiscal == D("0.0")
    assert plan.indicators == [] and plan.medium_indicators == []
    assert plan.gaps == ["绩效指标：表中只有表头，指标行为空"]
    watch = real.monitorings[0]
    assert (watch.title, watch.year, watch.period) == ("项目支出绩效目标执行监控表", 2019, "1-7月")
    assert watch.funds.total.initial == D("190.00")
    assert watch.funds.total.executed == D("0.00") and watch.funds.total.rate == D("0.00")
    assert watch.goal == "完成校园足球运动技术动画20集的设计制作与播出"
    assert len(watch.indicators) == 14
    first, last = watch.indicators[0], watch.indicators[-1]
    assert (first.level1, first.level2, first.name, first.target) == (
        "产出指标",
        "成本指标",
        "成本节约率",
        "≥0",
    )
    assert (first.executed, first.forecast, first.likelihood) == ("一般", "100%", "确定能")
    assert first.reason == "制作5集样片，下半年会集中出版"
    assert first.note == "前半年设计后半年开发审核出版。"
    assert first.causes == []
    assert (last.level1, last.name, last.target) == ("满意度指标", "校园用户满意度", "很满意")
    assert [i.name for i in watch.indicators].count("媒体播出") == 1
    assert watch.gaps == [] and watch.unmapped == []


def test_a_workbook_without_a_self_evaluation_says_what_it_holds() -> None:
    from jixiao.ingest import IngestError

    grids = {sheet_name(g): g for g in xls_grids(REAL_WORKBOOK.read_bytes(), "x.xls")}
    data = workbook_of(
        [("计划", grids["项目支出计划"]), ("监控", grids["项目支出绩效目标执行监控"])]
    )
    docs = read_documents_bytes(data, "m.xlsx")
    assert (len(docs.forms), len(docs.monitorings), docs.skipped) == (
        0,
        1,
        ["计划：不是绩效表，已跳过"],
    )
    with pytest.raises(
        IngestError,
        match=r"^m\.xlsx: 工作簿中没有财政项目支出绩效自评表（只有绩效目标执行监控表 1 张",
    ):
        read_bytes(data, "m.xlsx")
    with pytest.raises(
        IngestError, match=r"^n\.xlsx: 工作簿中没有找到.*（计划：不是绩效表，已跳过）$"
    ):
        read_documents_bytes(workbook_of([("计划", grids["项目支出计划"])]), "n.xlsx")


@pytest.fixture(scope="module")
def sheets() -> list[tuple[str, Grid]]:
    """The real workbook's 11 sheets, a filled 自评表 and a filled 申报表 and 监控表."""
    year = generate_year(1, seed=7)
    own = [g for g in xlsx_grids(render_xlsx(year.forms), "f.xlsx") if sheet_name(g) == "自评表"]
    plans = xlsx_grids(render_plans_xlsx([*year.declarations, *year.monitorings]), "p.xlsx")
    return [
        *named(xls_grids(REAL_WORKBOOK.read_bytes(), "x.xls")),
        ("生成的自评表", own[0]),
        ("生成的申报表", plans[0]),
        ("生成的监控表", plans[1]),
    ]


def _summary(docs: Documents) -> dict[str, list[str]]:
    """Each kind's documents as JSON text without their source (order-free)."""
    import json

    def text(doc: object) -> str:
        data = doc.to_json_dict()  # type: ignore[attr-defined]
        data.pop("source", None)
        data.pop("index", None)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    return {
        "forms": sorted(text(f) for f in docs.forms),
        "declarations": sorted(text(d) for d in docs.declarations),
        "monitorings": sorted(text(m) for m in docs.monitorings),
        "skipped": sorted(docs.skipped),
    }


def test_a_generated_workbook_with_all_sheets_filled(sheets: list[tuple[str, Grid]]) -> None:
    docs = read_documents_bytes(workbook_of(sheets), "all.xlsx")
    year = generate_year(1, seed=7)
    assert [f.project for f in docs.forms] == [
        "2019年210青少年校园足球扶持资金",
        year.forms[0].project,
    ]
    filled = docs.forms[1]
    assert filled.indicators == year.forms[0].indicators
    assert filled.total_score == year.forms[0].total_score and filled.gaps == []
    assert [d.project for d in docs.declarations] == [
        "2019年210青少年校园足球扶持资金",
        year.declarations[0].project,
    ]
    assert docs.declarations[1].indicators == year.declarations[0].indicators
    assert docs.monitorings[1].indicators == year.monitorings[0].indicators
    assert docs.monitorings[1].funds == year.monitorings[0].funds
    assert docs.skipped == [f"{name}：不是绩效表，已跳过" for name in REAL_OTHER_SHEETS]


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=st.permutations(range(14)))
def test_sheet_order_does_not_change_what_is_read(
    sheets: list[tuple[str, Grid]], order: list[int]
) -> None:
    want = _summary(read_documents_bytes(workbook_of(sheets), "a.xlsx"))
    shuffled = [sheets[i] for i in order]
    assert _summary(read_documents_bytes(workbook_of(shuffled), "b.xlsx")) == want
