"""The layouts of the 绩效目标申报表 and 绩效目标执行监控表 (src/jixiao/layouts, documents
``declaration`` and ``monitoring``): declared as data, recognised on import, drawn by the
render, and generated documents of each come back identical through Excel, Word and HTML."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.generate_plans import generate_year, plan_family
from jixiao.ingest import read_documents_bytes
from jixiao.layouts import (
    LayoutError,
    all_layouts,
    builtin_ids,
    get_layout,
    plan_layouts,
    recognise,
    recognise_plan,
)
from jixiao.layouts.declaration import layout_from_dict
from jixiao.plans import Documents, Monitoring, TargetDeclaration, documents_from_json_text
from jixiao.render.plans import render_plans_docx, render_plans_html, render_plans_xlsx

FAMILIES = ("national", "transfer", "department-wide")


@pytest.fixture(scope="module", params=FAMILIES)
def year(request: pytest.FixtureRequest) -> Documents:
    return generate_year(6, seed=7, plan_layouts=plan_family(request.param))


def _plans(docs: Documents) -> list[dict[str, object]]:
    out = []
    for doc in [*docs.declarations, *docs.monitorings]:
        data = doc.to_json_dict()
        for key in ("source", "index", "stage"):
            data.pop(key, None)
        out.append(data)
    return out


def test_plan_layouts_are_declared_apart_from_the_self_evaluation_ones() -> None:
    assert builtin_ids("declaration") == [
        "department-wide-declaration",
        "national-declaration",
        "transfer-declaration",
    ]
    assert builtin_ids("monitoring") == ["national-monitoring", "transfer-monitoring"]
    assert not {lay.id for lay in all_layouts()} & {lay.id for lay in plan_layouts()}
    transfer = get_layout("transfer-declaration")
    assert transfer.base == "national-declaration" and not transfer.has_medium
    assert [r.label for r in transfer.fund_rows] == [
        "年度金额",
        "其中：中央补助",
        "地方资金",
        "其他资金",
    ]
    assert transfer.fund_row("中央补助").id == "central"  # type: ignore[union-attr]
    national = get_layout("national-monitoring")
    assert [c.label for c in national.causes][-1] == "其他"
    assert [c.label for c in national.likelihoods] == ["确定能", "有可能", "完全不可能"]
    for lay in plan_layouts():
        assert lay.source and lay.printed_title.endswith("表")


def test_a_plan_declaration_is_checked() -> None:
    base = {"id": "x", "name": "某表", "document": "monitoring", "base": "national-monitoring"}
    with pytest.raises(LayoutError, match=r"causes\.bad\.label 应为"):
        layout_from_dict({**base, "causes": [{"id": "bad", "label": "天气"}]}, "x.toml")
    with pytest.raises(LayoutError, match=r"fund_columns\.medium\.field"):
        layout_from_dict(
            {**base, "fund_columns": [{"id": "medium", "label": "中期", "field": "medium"}]},
            "x.toml",
        )
    with pytest.raises(LayoutError, match="另一种表的版式"):
        layout_from_dict({**base, "base": "national-2020"}, "x.toml")


def test_recognition_of_a_plan_keeps_to_its_document() -> None:
    department = ["部门（单位）整体支出绩效目标申报表", "部门（单位）名称", "年度主要任务"]
    assert recognise_plan(department, "declaration").layout.id == "department-wide-declaration"
    texts = ["中央对地方转移支付区域绩效目标申报表", "专项名称", "其中：中央补助", "地方资金"]
    assert recognise_plan(texts, "declaration").layout.id == "transfer-declaration"
    assert recognise_plan(["项目支出绩效目标申报表", "项目名称"], "declaration").layout.id == (
        "national-declaration"
    )
    assert recognise_plan(texts, "monitoring").layout.id == "transfer-monitoring"
    # the 自评表's recognition never places a form in a plan layout
    assert recognise(texts).layout.document == "self_evaluation"


def test_generated_variants_hold_their_layouts_rows(year: Documents) -> None:
    plan, watch = year.declarations[0], year.monitorings[0]
    if plan.layout == "department-wide-declaration":
        assert watch.layout == "national-monitoring"  # no 部门整体 监控表 of its own
        assert plan.title == "部门（单位）整体支出绩效目标申报表"
        assert 2 <= len(plan.tasks) <= 3 and all(t.name and t.content for t in plan.tasks)
        for key in ("total", "fiscal", "other"):
            parts = [getattr(t.funds, key) for t in plan.tasks]
            assert getattr(plan.annual_funds, key) == sum(parts, Decimal(0))
        assert plan.medium_funds.total is None and plan.medium_indicators == []
        assert (plan.department, plan.unit) == ("", "")
    elif plan.layout == "transfer-declaration":
        assert plan.title == "中央对地方转移支付区域绩效目标申报表"
        assert plan.medium_indicators == [] and plan.medium_funds.total is None
        assert plan.annual_funds.fiscal is None and plan.annual_funds.carryover is None
        parts = plan.annual_funds.extras
        assert set(parts) == {"中央补助", "地方资金"}
        other = plan.annual_funds.other or Decimal(0)
        assert parts["中央补助"] + parts["地方资金"] + other == plan.annual_funds.total  # type: ignore[operator]
        assert plan.extras.keys() == {"省级财政部门"}
        assert set(watch.funds.extras) == {"中央补助", "地方资金"}
        assert watch.funds.fiscal.initial is None
    else:
        assert plan.medium_funds.total is not None and plan.annual_funds.extras == {}
        assert watch.funds.extras == {}


def test_excel_round_trip_of_every_plan_layout(year: Documents) -> None:
    got = read_documents_bytes(render_plans_xlsx([*year.declarations, *year.monitorings]), "p.xlsx")
    assert got.forms == [] and got.skipped == []
    assert _plans(got) == _plans(year)


def test_word_round_trip_of_every_plan_layout(year: Documents) -> None:
    docs = [*year.declarations[:2], *year.monitorings[:2]]
    got = read_documents_bytes(render_plans_docx(docs), "p.docx")
    assert _plans(got) == _plans(
        Documents(declarations=year.declarations[:2], monitorings=year.monitorings[:2])
    )


def test_html_round_trip_of_every_plan_layout(year: Documents) -> None:
    docs = [*year.declarations[:2], *year.monitorings[:2]]
    html = render_plans_html(docs)
    layout = get_layout(year.declarations[0].layout or "")
    assert f'<h1 class="title">{layout.printed_title}</h1>' in html
    for row in layout.fund_rows[1:]:
        assert row.label in html
    got = read_documents_bytes(html.encode("utf-8"), "p.html")
    assert _plans(got) == _plans(
        Documents(declarations=year.declarations[:2], monitorings=year.monitorings[:2])
    )


def test_canonical_json_without_layout_still_reads() -> None:
    old = '{"forms": [], "declarations": [{"kind": "declaration", "project": "甲"}]}'
    docs = documents_from_json_text(old, "old.json")
    assert docs.declarations[0].layout is None
    assert "layout" not in docs.declarations[0].to_json_dict()
    assert "layout" not in Monitoring(project="乙").to_json_dict()
    named = TargetDeclaration(project="甲", layout="transfer-declaration").to_json_dict()
    assert named["layout"] == "transfer-declaration"


def test_pdf_text_of_a_transfer_year_is_read_in_its_layout() -> None:
    """pdftotext of the 转移支付 区域 tables (each cell a paragraph): both are placed in
    their layout; the 申报表 comes back with its head, 中央补助 / 地方资金 and indicators (its
    goal, printed before its heading by pdftotext, is a named gap, not a guess); the 监控表
    with its fund rows."""
    from jixiao.render.plans import render_plans_pdf

    from .documents import text_of

    docs = generate_year(1, seed=5, plan_layouts=plan_family("transfer"))
    plan, watch = docs.declarations[0], docs.monitorings[0]
    text = text_of(render_plans_pdf([plan, watch]))
    got = read_documents_bytes(text.encode("utf-8"), "year.txt")
    [read_plan], [read_watch] = got.declarations, got.monitorings
    assert (read_plan.layout, read_watch.layout) == ("transfer-declaration", "transfer-monitoring")
    assert (read_plan.project, read_plan.department, read_plan.unit) == (
        plan.project,
        plan.department,
        plan.unit,
    )
    assert read_plan.annual_funds == plan.annual_funds
    assert read_plan.annual_goal in (plan.annual_goal, "")
    if not read_plan.annual_goal:
        assert "无法分出年度总体目标，未读入" in read_plan.gaps[-2]
    assert read_plan.indicators == plan.indicators
    assert read_watch.funds.extras == watch.funds.extras
    assert read_watch.funds.total == watch.funds.total
